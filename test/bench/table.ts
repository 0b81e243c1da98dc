import type { Row } from './report';
import { median, percentile } from './stats';

// The report: the rows of the printed table and the --json figures, filled in as the groups run.

export const rows: Row[] = [];
export const json: Record<string, number | string> = {};

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function latencyRow(key: string, times: readonly number[], note: string, targetP95?: number): void {
  const p95 = percentile(times, 95);
  const med = median(times);
  rows.push({
    label: key,
    median: med,
    p95,
    n: times.length,
    unit: 'ms',
    target: targetP95 === undefined ? '' : `p95 ≤ ${targetP95} ms`,
    pass: targetP95 === undefined ? null : p95 <= targetP95,
    note,
  });
  json[`${key}.p95_ms`] = round(p95);
  json[`${key}.median_ms`] = round(med);
  json[`${key}.n`] = times.length;
}

function fmt(x: number, unit: Row['unit']): string {
  if (!Number.isFinite(x)) return '-';
  if (unit === '/s') return `${Math.round(x).toLocaleString('en-US')}/s`;
  if (unit === 'x') return `${x.toFixed(2)}×`;
  return x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
}

export function printTable(header: string[]): void {
  const cells = rows.map((r) => [
    r.label,
    fmt(r.median, r.unit),
    r.p95 === null ? '' : fmt(r.p95, r.unit),
    String(r.n),
    r.target,
    r.pass === null ? '' : r.pass ? 'PASS' : 'MISS',
    r.note,
  ]);
  const head = ['metric', 'median', 'p95', 'n', 'target', 'result', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]): string =>
    c
      .map((s, i) => (i === 1 || i === 2 || i === 3 ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [...header, '', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  process.stdout.write(out.join('\n') + '\n');
}
