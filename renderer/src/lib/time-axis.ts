/**
 * A real time axis for the trend charts: points are placed by their date (a visit five years ago
 * sits five years from today's, not one step away), with dates for ticks and tooltips.
 */

const DAY = 86_400_000;

/** The x value of a point: its time in epoch ms. */
export function timeOf(iso: string): number {
  return Date.parse(iso);
}

/** A tick or tooltip date, as coarse as the span needs ("Mar 2019" over years, "Mar 4" within months). */
function dateLabel(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs > 400 * DAY) return d.toLocaleDateString([], { year: 'numeric', month: 'short' });
  if (spanMs > 2 * DAY) return d.toLocaleDateString([], { year: '2-digit', month: 'short', day: 'numeric' });
  return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** recharts XAxis props for a time axis over these times, and the tooltip's label. */
export function timeAxis(times: readonly number[]): {
  xAxisProps: { type: 'number'; scale: 'time'; domain: [number, number]; tickFormatter: (t: number) => string; padding: { left: number; right: number } };
  labelFormatter: (label: unknown) => string;
} {
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  // One reading (or all on one instant): a day either side, so the point sits in the middle.
  const [from, to] = hi > lo ? [lo, hi] : [lo - DAY, hi + DAY];
  const span = to - from;
  return {
    xAxisProps: { type: 'number', scale: 'time', domain: [from, to], tickFormatter: (t) => dateLabel(t, span), padding: { left: 16, right: 16 } },
    labelFormatter: (label) =>
      typeof label === 'number'
        ? new Date(label).toLocaleString([], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
        : String(label),
  };
}
