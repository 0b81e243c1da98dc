import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import type { MeasureSummary } from '../../../shared/domain/population-report';
import { printable } from './lab-requisition.pdf';

/** A quality measure report for a period (letter pages): each measure's populations with counts and rate, and where the logic is approximated. */
export async function measuresPdf(r: { clinicName: string; year: number; provider: string | null; measures: MeasureSummary[]; printedAt: string }): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`Quality measures ${r.year}${r.provider ? ` - ${r.provider}` : ''}`));
  doc.setCreator('Cairn');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([612, 792]);
  let y = 742;
  const line = (text: string, size = 10, font: PDFFont = regular, x = 50): void => {
    if (y < 60) {
      page = doc.addPage([612, 792]);
      y = 742;
    }
    page.drawText(printable(text), { x, y, size, font, color: rgb(0, 0, 0), maxWidth: 512 - (x - 50) });
    y -= size + 5;
  };
  line(r.clinicName, 16, bold);
  line(`Quality measures, reporting period ${r.year}${r.provider ? ` - patients of ${r.provider}` : ' - whole practice'}`, 12, bold);
  line(`Printed ${r.printedAt.slice(0, 16).replace('T', ' ')} UTC`, 9);
  y -= 6;
  for (const m of r.measures) {
    line(`${m.id} ${m.title}`, 12, bold);
    line(`${m.version}; period ${m.period.start} to ${m.period.end}`, 9);
    for (const p of m.populations) {
      const rate = p.rate === null ? 'no eligible patients' : `${(p.rate * 100).toFixed(1)} %${p.inverse ? ' (lower is better)' : ''}`;
      line(`${p.label}: denominator ${p.denominator}, exclusions ${p.exclusions}, numerator ${p.numerator}, gaps ${p.gaps} - ${rate}`, 10, regular, 60);
    }
    for (const a of m.approximations) line(`Note: ${a}`, 8, regular, 60);
    y -= 6;
  }
  return doc.save();
}
