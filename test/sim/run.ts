/**
 * `npm run sim -- --seeds N [--from S] [--clients C] [--ops O]` runs the sync simulation for longer
 * than `npm test` does; `npm run sim -- --seed N` replays one seed (as printed by a failing test).
 */
import { parseArgs } from 'node:util';
import { createSimServer, runSim } from './harness';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string' },
    seed: { type: 'string' },
    from: { type: 'string' },
    clients: { type: 'string' },
    ops: { type: 'string' },
    canary: { type: 'boolean' },
  },
  strict: true,
});
const num = (v: string | undefined, d: number): number => (v === undefined ? d : Number(v));
const first = num(values.seed ?? values.from, 0);
const count = values.seed !== undefined ? 1 : num(values.seeds, 1000);
const server = await createSimServer();
let failed = 0;
const t0 = Date.now();
for (let seed = first; seed < first + count; seed++) {
  const r = await runSim(server, { seed, clients: num(values.clients, 5), opsPerClient: num(values.ops, 200), canary: values.canary === true });
  if (r.violations.length > 0) {
    failed++;
    process.stdout.write(`seed ${seed}: FAILED\n  ${r.violations.join('\n  ')}\n`);
  } else if (count <= 20 || seed % 50 === 0) {
    process.stdout.write(`seed ${seed}: ok (${r.writes} writes, ${r.syncs} syncs, ${r.conflicts} conflict records, ${r.quarantined} quarantined)\n`);
  }
}
process.stdout.write(`${count - failed}/${count} seeds passed in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
await server.close();
process.exitCode = failed > 0 ? 1 : 0;
