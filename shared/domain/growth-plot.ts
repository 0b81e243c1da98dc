import type { GrowthMeasureChart, GrowthPoint, GrowthSegment } from './growth-view';

// Geometry for drawing one growth chart (one reference segment): scales, ticks, curves and points
// in a box with y pointing down. The renderer draws it as SVG and the PDF with pdf-lib, so both
// show the same chart.

export interface PlotBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Tick {
  value: number;
  at: number;
  label: string;
}

export interface Plot {
  segment: GrowthSegment;
  xLabel: string;
  yLabel: string;
  xTicks: Tick[];
  yTicks: Tick[];
  curves: { percentile: number; path: [number, number][]; labelAt: [number, number] }[];
  points: { at: [number, number]; point: GrowthPoint }[];
}

const DAYS_PER_MONTH = 30.4375;
const DAYS_PER_YEAR = 365.25;

/** The points a segment shows: those judged against its table (or, unjudged, inside its range). */
export function pointsIn(chart: GrowthMeasureChart, segment: GrowthSegment): GrowthPoint[] {
  return chart.points.filter((p) => (p.reading ? p.reading.referenceId === segment.referenceId : p.x >= segment.xMin && p.x <= segment.xMax));
}

/** The segment to open on: the one holding the child's latest judged point, else the one for today's age. */
export function defaultSegment(chart: GrowthMeasureChart, ageDays: number): GrowthSegment | null {
  const last = [...chart.points].reverse().find((p) => p.reading);
  const byLast = last && chart.segments.find((s) => s.referenceId === last.reading!.referenceId);
  if (byLast) return byLast;
  const x = chart.xUnit === 'days' ? ageDays : null;
  return chart.segments.find((s) => x !== null && x >= s.xMin && x <= s.xMax) ?? chart.segments[0] ?? null;
}

function niceStep(span: number, target: number): number {
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
}

function xTicksFor(segment: GrowthSegment, xUnit: 'days' | 'cm'): { values: number[]; label: (v: number) => string; axis: string } {
  const values: number[] = [];
  if (xUnit === 'cm') {
    for (let v = Math.ceil(segment.xMin / 5) * 5; v <= segment.xMax; v += 5) values.push(v);
    return { values, label: (v) => `${v}`, axis: 'Length/height (cm)' };
  }
  if (segment.xMax <= 2.1 * DAYS_PER_YEAR) {
    for (let m = Math.ceil(segment.xMin / DAYS_PER_MONTH); m * DAYS_PER_MONTH <= segment.xMax + 1; m += 2) values.push(m * DAYS_PER_MONTH);
    return { values, label: (v) => `${Math.round(v / DAYS_PER_MONTH)}`, axis: 'Age (months)' };
  }
  const step = segment.xMax - segment.xMin > 6 * DAYS_PER_YEAR ? 2 : 1;
  for (let y = Math.ceil(segment.xMin / DAYS_PER_YEAR); y * DAYS_PER_YEAR <= segment.xMax + 1; y += step) values.push(y * DAYS_PER_YEAR);
  return { values, label: (v) => `${Math.round(v / DAYS_PER_YEAR)}`, axis: 'Age (years)' };
}

/** Lays out one segment of a measure's chart in `box`. */
export function plotSegment(chart: GrowthMeasureChart, segment: GrowthSegment, box: PlotBox): Plot {
  const points = pointsIn(chart, segment);
  const ys = [...segment.curves.flatMap((c) => c.points.map((p) => p[1])), ...points.map((p) => p.value)];
  const step = niceStep(Math.max(...ys) - Math.min(...ys) || 1, 8);
  const yMin = Math.floor(Math.min(...ys) / step) * step;
  const yMax = Math.ceil(Math.max(...ys) / step) * step;
  const xMin = Math.min(segment.xMin, ...points.map((p) => p.x));
  const xMax = Math.max(segment.xMax, ...points.map((p) => p.x));
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const px = (x: number): number => box.left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const py = (y: number): number => box.top + (1 - (y - yMin) / (yMax - yMin || 1)) * plotH;
  const xt = xTicksFor(segment, chart.xUnit);
  const yTicks: Tick[] = [];
  for (let v = yMin; v <= yMax + step / 2; v += step) yTicks.push({ value: v, at: py(v), label: `${Math.round(v * 100) / 100}` });
  return {
    segment,
    xLabel: xt.axis,
    yLabel: `${chart.label.split('-for-')[0]} (${chart.unit === 'kg/m2' ? 'kg/m²' : chart.unit})`,
    xTicks: xt.values.map((v) => ({ value: v, at: px(v), label: xt.label(v) })),
    yTicks,
    curves: segment.curves.map((c) => {
      const path = c.points.map(([x, y]): [number, number] => [px(x), py(y)]);
      return { percentile: c.percentile, path, labelAt: path[path.length - 1] ?? [box.left, box.top] };
    }),
    points: points.map((p) => ({ at: [px(p.x), py(p.value)], point: p })),
  };
}

/** "62nd", "3rd", "< 1st", "> 99th": a percentile as a clinician says it. */
export function ordinalPercentile(p: number): string {
  if (p < 1) return '< 1st';
  if (p > 99) return '> 99th';
  const n = Math.round(p);
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}
