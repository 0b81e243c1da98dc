import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { ordinalPercentile, plotSegment, pointsIn } from '../../../shared/domain/growth-plot';
import type { GrowthChart } from '../../../shared/domain/growth-view';
import { printable } from './pdf-text';

const PAGE: [number, number] = [612, 792];
const BOX = { width: 612, height: 470, left: 70, right: 60, top: 110, bottom: 60 };
const GREY = rgb(0.55, 0.55, 0.55);
const MEDIAN = rgb(0.2, 0.35, 0.6);
const POINT = rgb(0.75, 0.1, 0.1);

/**
 * A child's growth charts for the parents (letter pages): one page per chart that has the child's
 * measurements, the reference's percentile curves with the points, and a table of the readings
 * with percentile and z-score, the reference named and cited.
 */
export async function growthPdf(chart: GrowthChart, clinicName: string, printedOn: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`Growth charts - ${chart.name}`));
  doc.setCreator('Cairn');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const text = (page: ReturnType<typeof doc.addPage>, s: string, x: number, yDown: number, size = 9, font = regular, color = rgb(0, 0, 0)): void => {
    page.drawText(printable(s), { x, y: PAGE[1] - yDown, size, font, color });
  };
  let pages = 0;
  for (const m of chart.measures) {
    for (const segment of m.segments) {
      const pts = pointsIn(m, segment);
      if (pts.length === 0) continue;
      pages += 1;
      const page = doc.addPage(PAGE);
      const plot = plotSegment(m, segment, BOX);
      text(page, clinicName, 50, 40, 12, bold);
      text(page, `Growth chart: ${chart.name}, born ${chart.birthDate} (${chart.sex})`, 50, 58, 11, bold);
      text(page, `${m.label} - ${segment.reference}`, 50, 76, 11);
      text(page, `Printed ${printedOn}. Curves: ${segment.curves.map((c) => ordinalPercentile(c.percentile)).join(', ')} percentiles.`, 50, 92, 8);
      const y = (v: number): number => PAGE[1] - v;
      for (const t of plot.yTicks) {
        page.drawLine({ start: { x: BOX.left, y: y(t.at) }, end: { x: BOX.width - BOX.right, y: y(t.at) }, thickness: 0.3, color: rgb(0.88, 0.88, 0.88) });
        text(page, t.label, BOX.left - 30, t.at + 3, 7);
      }
      for (const t of plot.xTicks) text(page, t.label, t.at - 3, BOX.height - BOX.bottom + 12, 7);
      text(page, plot.xLabel, BOX.left + 150, BOX.height - BOX.bottom + 26, 8);
      text(page, plot.yLabel, 20, BOX.top - 8, 8);
      for (const c of plot.curves) {
        for (let i = 1; i < c.path.length; i++) {
          const [a, b] = [c.path[i - 1]!, c.path[i]!];
          page.drawLine({
            start: { x: a[0], y: y(a[1]) },
            end: { x: b[0], y: y(b[1]) },
            thickness: c.percentile === 50 ? 1.2 : 0.6,
            color: c.percentile === 50 ? MEDIAN : GREY,
          });
        }
        text(page, ordinalPercentile(c.percentile), c.labelAt[0] + 3, c.labelAt[1] + 3, 6, regular, GREY);
      }
      for (const p of plot.points) page.drawCircle({ x: p.at[0], y: y(p.at[1]), size: 3, color: POINT });
      let row = BOX.height + 20;
      text(page, 'Date          Value        Percentile   z-score   Flags', 50, row, 8, bold);
      for (const p of pts.slice(-14)) {
        row += 12;
        const r = p.reading;
        const cells = [
          p.at.slice(0, 10),
          `${Math.round(p.value * 100) / 100} ${m.unit === 'kg/m2' ? 'kg/m2' : m.unit}`,
          r ? ordinalPercentile(r.percentile) : '-',
          r ? r.z.toFixed(2) : '-',
          r ? r.flags.map((f) => f.label).join('; ') || 'none' : 'outside the reference',
        ];
        [50, 115, 180, 245, 290].forEach((x, i) => text(page, cells[i]!, x, row, 8));
      }
      text(page, `Reference: ${segment.citation}`, 50, 760, 7);
    }
  }
  if (pages === 0) {
    const page = doc.addPage(PAGE);
    text(page, `Growth charts: ${chart.name}`, 50, 60, 12, bold);
    text(page, chart.unavailable ?? 'No weight, length, head circumference or BMI recorded yet.', 50, 80, 10);
  }
  return doc.save();
}
