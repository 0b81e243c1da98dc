import type { MeasureSummary } from '../../../shared/domain/population-report';
import { textPdf } from './pdf-text';

/** A quality measure report for a period (letter pages): each measure's populations with counts and rate, and where the logic is approximated. */
export async function measuresPdf(r: {
  clinicName: string;
  year: number;
  provider: string | null;
  measures: MeasureSummary[];
  printedAt: string;
}): Promise<Uint8Array> {
  const { line, gap, bold, regular, save } = await textPdf(`Quality measures ${r.year}${r.provider ? ` - ${r.provider}` : ''}`);
  line(r.clinicName, 16, bold);
  line(`Quality measures, reporting period ${r.year}${r.provider ? ` - patients of ${r.provider}` : ' - whole practice'}`, 12, bold);
  line(`Printed ${r.printedAt.slice(0, 16).replace('T', ' ')} UTC`, 9);
  gap(6);
  for (const m of r.measures) {
    line(`${m.id} ${m.title}`, 12, bold);
    line(`${m.version}; period ${m.period.start} to ${m.period.end}`, 9);
    for (const p of m.populations) {
      const rate = p.rate === null ? 'no eligible patients' : `${(p.rate * 100).toFixed(1)} %${p.inverse ? ' (lower is better)' : ''}`;
      line(`${p.label}: denominator ${p.denominator}, exclusions ${p.exclusions}, numerator ${p.numerator}, gaps ${p.gaps} - ${rate}`, 10, regular, 60);
    }
    for (const a of m.approximations) line(`Note: ${a}`, 8, regular, 60);
    gap(6);
  }
  return save();
}
