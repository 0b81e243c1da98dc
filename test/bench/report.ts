/** One line of the benchmark table (`npm run bench`). */
export interface Row {
  label: string;
  median: number;
  p95: number | null;
  n: number;
  /** ms: latency; x: a ratio; /s: a rate (higher is better). */
  unit: 'ms' | 'x' | '/s';
  target: string;
  pass: boolean | null;
  note: string;
}

/** Adds a latency row (median and p95 of `times`, in ms) with an optional p95 target. */
export type LatencyRow = (key: string, times: readonly number[], note: string, targetP95?: number) => void;
