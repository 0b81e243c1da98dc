import type { Lms, ReferenceTable } from './types';

// Cole's LMS method: a measurement X at a point where the reference has power L, median M and
// coefficient of variation S has z = ((X/M)^L − 1)/(L·S), or ln(X/M)/S when L = 0.
// (Cole TJ, Green PJ. Smoothing reference centile curves: the LMS method. Stat Med 1992;11:1305–19.)

/** Below this |L| the L = 0 (log-normal) form is used. */
const L_ZERO = 1e-12;

/**
 * The z-score of `value` at a reference point. Written with expm1 so that a small L keeps its digits
 * (the textbook form loses them in (X/M)^L − 1). Throws RangeError for a value that is not a positive number.
 */
export function zFromLms(value: number, lms: Lms): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`measurement ${value} is not a positive number`);
  const logRatio = Math.log(value / lms.M);
  if (Math.abs(lms.L) < L_ZERO) return logRatio / lms.S;
  return Math.expm1(lms.L * logRatio) / (lms.L * lms.S);
}

/**
 * The measurement at a z-score: M·(1 + L·S·z)^(1/L), or M·e^(S·z) when L = 0; draws percentile curves.
 * NaN where the LMS curve has no value (1 + L·S·z ≤ 0, far out in the tail when L < 0, e.g. BMI beyond z ≈ +3.3).
 */
export function valueFromLms(z: number, lms: Lms): number {
  if (Math.abs(lms.L) < L_ZERO) return lms.M * Math.exp(lms.S * z);
  const base = lms.L * lms.S * z;
  if (!(base > -1)) return Number.NaN;
  return lms.M * Math.exp(Math.log1p(base) / lms.L);
}

/**
 * L, M and S at x (age in days, or length/height in cm), interpolated linearly between the two nearest
 * rows. null outside [xMin, xMax]; inside that range but beyond the first or last row (CDC's first row is
 * 24.0 months = 730.5 days, used from day 730) it is the end row's values.
 */
export function lmsAt(table: ReferenceTable, x: number): Lms | null {
  if (!Number.isFinite(x) || x < table.xMin || x > table.xMax) return null;
  const rows = table.rows;
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return null;
  if (x <= first.x) return { L: first.L, M: first.M, S: first.S };
  if (x >= last.x) return { L: last.L, M: last.M, S: last.S };
  // Binary search for the last row at or below x.
  let lo = 0;
  let hi = rows.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.x <= x) lo = mid;
    else hi = mid;
  }
  const a = rows[lo]!;
  const b = rows[hi]!;
  if (a.x === x) return { L: a.L, M: a.M, S: a.S };
  const t = (x - a.x) / (b.x - a.x);
  return { L: a.L + t * (b.L - a.L), M: a.M + t * (b.M - a.M), S: a.S + t * (b.S - a.S) };
}
