import { percentileCurves, type GrowthMeasure, type ReferenceTable } from '../../../shared/domain/growth';
import { addDays, daysBetween } from '../../../shared/domain/dates';
import { GROWTH_MEASURE_LABELS, GROWTH_MEASURES, type GrowthChart, type GrowthMeasureChart } from '../../../shared/domain/growth-view';
import type { Patient } from '../../../shared/domain/patient';
import type { GrowthAssessor } from './assessor';

/** The curves drawn: WHO charts' 3rd–97th, CDC charts' 5th–95th (and the 85th on BMI-for-age, where overweight starts). */
const WHO_CURVES = [3, 10, 25, 50, 75, 90, 97] as const;
const CDC_CURVES = [5, 10, 25, 50, 75, 90, 95] as const;
const CDC_BMI_CURVES = [5, 10, 25, 50, 75, 85, 90, 95] as const;

const UNITS: Record<GrowthMeasure, string> = { weightForAge: 'kg', lengthForAge: 'cm', headForAge: 'cm', weightForLength: 'kg', bmiForAge: 'kg/m2' };

function curvesFor(t: ReferenceTable): readonly number[] {
  if (t.source === 'WHO 2006') return WHO_CURVES;
  return t.measure === 'bmiForAge' ? CDC_BMI_CURVES : CDC_CURVES;
}

/**
 * A child's growth charts: per measure, each reference's percentile curves (WHO 2006 to 24 months,
 * CDC 2000 after, which the page switches between at the boundary) and the child's points.
 */
export function buildGrowthChart(assessor: GrowthAssessor, p: Patient, today: string): GrowthChart {
  const ageDays = daysBetween(p.birthDate, today);
  const base = {
    patientId: p.id,
    name: [p.givenName, p.familyName].filter(Boolean).join(' '),
    sex: p.sex,
    birthDate: p.birthDate,
    ageDays,
  };
  const history = assessor.history(p);
  const ga = history.gestationalAgeWeeks;
  const correctedUntil = ga !== null && ga < 37 ? addDays(p.birthDate, 730) : null;
  const unavailable =
    p.sex !== 'female' && p.sex !== 'male'
      ? 'Growth charts are by sex (WHO 2006, CDC 2000): record the sex at birth as female or male to chart this child.'
      : assessor.charted(p, today) || history.points.size > 0
        ? null
        : 'Growth charts cover birth to 20 years; this patient is older.';
  if (unavailable) return { ...base, gestationalAgeWeeks: ga, correctedUntil, unavailable, measures: [], flags: [] };
  const tables = assessor.tables().tables.filter((t) => t.sex === p.sex);
  const measures: GrowthMeasureChart[] = GROWTH_MEASURES.map((measure) => {
    const segments = tables
      .filter((t) => t.measure === measure)
      .sort((a, b) => a.xMin - b.xMin)
      .map((t) => ({
        referenceId: t.id,
        reference: t.name,
        citation: t.citation,
        source: t.source,
        xMin: t.xMin,
        xMax: t.xMax,
        curves: percentileCurves(t, curvesFor(t)),
      }));
    return {
      measure,
      label: GROWTH_MEASURE_LABELS[measure],
      unit: UNITS[measure],
      xUnit: measure === 'weightForLength' ? 'cm' : 'days',
      segments,
      points: history.points.get(measure) ?? [],
    };
  });
  const flags = measures.flatMap((m) => {
    const last = [...m.points].reverse().find((pt) => pt.reading !== null);
    return last?.reading ? last.reading.flags.map((f) => ({ ...f, at: last.at })) : [];
  });
  return { ...base, gestationalAgeWeeks: ga, correctedUntil, unavailable: null, measures, flags };
}
