import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Progress on stderr, timing and the statistics every benchmark group reports.

const started = performance.now();
export function progress(msg: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile: an actually observed latency, never an interpolated one. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/**
 * Lets pending signal handlers run. The measurements are synchronous, so without this a Ctrl-C
 * would wait for the next await (minutes away during the bulk load) before cleaning up.
 */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * A full garbage collection. The run starts each group from a collected heap, as the group finds it
 * when run alone (`--only`), whatever the groups before it left: on a machine with this much memory
 * V8 lets their garbage pile up (1.2 GiB of heap before billing), and a group that allocates on such
 * a heap pays for it (ERA posting 4,929 claims/s after the groups before it, 5,581 from a collected heap).
 */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
