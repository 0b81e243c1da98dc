import { lmsAt, valueFromLms } from './lms';
import { zFromPercentile } from './normal';
import type { ReferenceTable } from './types';

/** One percentile line of a chart: [x, y] points, x in the table's unit (days or cm). */
export interface PercentileCurve {
  percentile: number;
  points: [x: number, y: number][];
}

/** The x values to draw: `from`, every row strictly between, `to`; thinned evenly to at most `maxPoints`, keeping both ends. */
function xsBetween(table: ReferenceTable, from: number, to: number, maxPoints: number): number[] {
  const xs = [from, ...table.rows.filter((r) => r.x > from && r.x < to).map((r) => r.x)];
  if (to > from) xs.push(to);
  const n = Math.max(2, Math.floor(maxPoints));
  if (xs.length <= n) return xs;
  const picked: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = xs[Math.round((i * (xs.length - 1)) / (n - 1))]!;
    if (picked[picked.length - 1] !== x) picked.push(x);
  }
  return picked;
}

/**
 * Percentile curves for drawing a chart: y = valueFromLms at each x from `from` to `to` (default and at
 * most the table's xMin–xMax), at most `maxPoints` (default 120) points a curve. A point where the LMS
 * curve has no value (far tails, see valueFromLms) is left out.
 */
export function percentileCurves(table: ReferenceTable, percentiles: readonly number[], from?: number, to?: number, maxPoints = 120): PercentileCurve[] {
  const lo = Math.max(table.xMin, from ?? table.xMin);
  const hi = Math.min(table.xMax, to ?? table.xMax);
  const xs = hi >= lo ? xsBetween(table, lo, hi, maxPoints) : [];
  const lmss = xs.map((x) => ({ x, lms: lmsAt(table, x) }));
  return percentiles.map((percentile) => {
    const z = zFromPercentile(percentile);
    const points: [number, number][] = [];
    for (const { x, lms } of lmss) {
      const y = lms ? valueFromLms(z, lms) : Number.NaN;
      if (Number.isFinite(y)) points.push([x, y]);
    }
    return { percentile, points };
  });
}
