import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimServer, runSim, type SimServer } from './harness';

/**
 * 200 seeds × 5 devices × 200 random operations each, over a network that drops, duplicates,
 * delays and partitions (`npm run sim -- --seeds N` runs more). A failing seed is printed and
 * replays exactly with `npm run sim -- --seed N`.
 */
const SEEDS = Number(process.env['CAIRN_SIM_SEEDS'] ?? 200);
const CHUNK = 25;

describe('sync simulation', () => {
  let server: SimServer;
  beforeAll(async () => {
    server = await createSimServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (let start = 0; start < SEEDS; start += CHUNK) {
    it(`seeds ${start}–${Math.min(start + CHUNK, SEEDS) - 1}: replicas converge, no acknowledged write is lost, replays change nothing`, async () => {
      let conflicts = 0;
      for (let seed = start; seed < Math.min(start + CHUNK, SEEDS); seed++) {
        const r = await runSim(server, { seed });
        expect(r.violations, `seed ${seed} (replay: npm run sim -- --seed ${seed})`).toEqual([]);
        expect(r.writes).toBeGreaterThan(300);
        conflicts += r.conflicts;
      }
      // The workload must actually produce concurrent edits, or the checks above prove little.
      expect(conflicts).toBeGreaterThan(0);
    });
  }

  it('canary: a merge that drops conflict records is caught as lost writes', async () => {
    const found: string[] = [];
    for (let seed = 0; seed < 10 && found.length === 0; seed++) {
      const r = await runSim(server, { seed, canary: true });
      found.push(...r.violations.filter((v) => v.startsWith('lost write')));
    }
    expect(found.length).toBeGreaterThan(0);
  });
});
