/** One line of the benchmark table (`npm run bench`). */
export interface Row {
  label: string;
  median: number;
  p95: number | null;
  n: number;
  unit: 'ms' | 'x';
  target: string;
  pass: boolean | null;
  note: string;
}

/** Adds a latency row (median and p95 of `times`, in ms) with an optional p95 target. */
export type LatencyRow = (key: string, times: readonly number[], note: string, targetP95?: number) => void;
