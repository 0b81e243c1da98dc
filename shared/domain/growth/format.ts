// Percentiles as a clinician reads them: '3rd', '62nd', '< 1st', '> 99th'.

/** An integer with its English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st … */
export function ordinal(n: number): string {
  const r100 = Math.abs(n) % 100;
  const r10 = Math.abs(n) % 10;
  const suffix = r100 >= 11 && r100 <= 13 ? 'th' : r10 === 1 ? 'st' : r10 === 2 ? 'nd' : r10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** A percentile (0–100) rounded to a whole number for display; the tails show as '< 1st' and '> 99th'. */
export function formatPercentile(p: number): string {
  if (p < 0.5) return '< 1st';
  if (p >= 99.5) return '> 99th';
  return ordinal(Math.round(p));
}
