import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimServer, runSim, type SimServer } from './harness';

/**
 * Seeds [first, first + count) of the simulation: 5 devices × 200 random operations each, over a
 * network that drops, duplicates, delays and partitions. `npm test` runs seeds 0–199 split over
 * four files so they spread over the CPUs; `npm run sim -- --seeds N` runs more, and a failing
 * seed replays exactly with `npm run sim -- --seed N`.
 */
export function simSuite(first: number, count: number, opts: { canary?: boolean } = {}): void {
  const chunk = 10;
  describe(`sync simulation, seeds ${first}–${first + count - 1}`, () => {
    let server: SimServer;
    beforeAll(async () => {
      server = await createSimServer();
    });
    afterAll(async () => {
      await server?.close();
    });

    for (let start = first; start < first + count; start += chunk) {
      it(`seeds ${start}–${start + chunk - 1}: replicas converge, no acknowledged write is lost, replays change nothing`, async () => {
        let conflicts = 0;
        for (let seed = start; seed < start + chunk; seed++) {
          const r = await runSim(server, { seed });
          expect(r.violations, `seed ${seed} (replay: npm run sim -- --seed ${seed})`).toEqual([]);
          expect(r.writes).toBeGreaterThan(300);
          conflicts += r.conflicts;
        }
        // The workload must actually produce concurrent edits, or the checks above prove little.
        expect(conflicts).toBeGreaterThan(0);
      });
    }

    if (opts.canary) {
      it('canary: a merge that drops conflict records is caught as lost writes', async () => {
        const found: string[] = [];
        for (let seed = 0; seed < 10 && found.length === 0; seed++) {
          const r = await runSim(server, { seed, canary: true });
          found.push(...r.violations.filter((v) => v.startsWith('lost write')));
        }
        expect(found.length).toBeGreaterThan(0);
      });
    }
  });
}
