import { lmsAt, valueFromLms, zFromLms } from './lms';
import { percentileFromZ, zFromPercentile } from './normal';
import { referenceFor } from './reference';
import type { GrowthMeasure, GrowthSex, GrowthTables, Lms } from './types';

/** A measurement judged against its reference. */
export interface GrowthAssessment {
  measure: GrowthMeasure;
  referenceId: string;
  /** The reference table's name, e.g. 'CDC 2000 BMI-for-age (girls, 2–20 years)'. */
  reference: string;
  value: number;
  z: number;
  /** 0–100, not rounded. */
  percentile: number;
  /** bmiForAge only: 100 × BMI / the BMI at the 95th percentile for age and sex. */
  percentOfP95?: number;
}

/** The z-score of the 95th percentile, Φ⁻¹(0.95). */
const Z95 = zFromPercentile(95);

/** The value at the 95th percentile at a reference point. */
export function p95(lms: Lms): number {
  return valueFromLms(Z95, lms);
}

/**
 * z-score and percentile of one measurement: weight kg, length/height cm, head circumference cm, BMI kg/m².
 * Ages in days; for weightForLength `lengthCm` is required. null when no reference applies (see referenceFor)
 * or the value is not a positive number.
 *
 * z is the plain LMS z at every value. CDC's 2022 "extended" BMI-for-age method (a different curve above
 * the 95th percentile) needs parameters not in the CDC 2000 files, so it is not applied: z and percentile
 * above the 97th are less reliable, and severe obesity is judged by percentOfP95 instead, as CDC and AAP
 * (2023) recommend.
 */
export function assessGrowth(
  t: GrowthTables,
  m: { measure: GrowthMeasure; sex: GrowthSex; ageDays: number; value: number; lengthCm?: number },
): GrowthAssessment | null {
  if (!(m.value > 0) || !Number.isFinite(m.value)) return null;
  const table = referenceFor(t, m.measure, m.sex, m.ageDays, m.lengthCm);
  if (!table) return null;
  const x = table.xUnit === 'cm' ? m.lengthCm : m.ageDays;
  if (x === undefined) return null;
  const lms = lmsAt(table, x);
  if (!lms) return null;
  const z = zFromLms(m.value, lms);
  const a: GrowthAssessment = { measure: m.measure, referenceId: table.id, reference: table.name, value: m.value, z, percentile: percentileFromZ(z) };
  if (m.measure === 'bmiForAge') a.percentOfP95 = (100 * m.value) / p95(lms);
  return a;
}

/** Term is 280 days (40 weeks); correction applies below 37 weeks. */
const TERM_DAYS = 280;
const PRETERM_WEEKS = 37;
const CORRECT_UNTIL_DAYS = 730;

/**
 * Age corrected for prematurity, for plotting: when gestational age at birth is under 37 weeks and the
 * chronological age is under 730 days (24 months), ageDays − (280 − round(GA × 7)), not below 0.
 * Otherwise (term, unknown GA, or from 2 years) the age is unchanged and `corrected` is false.
 */
export function correctedAgeDays(ageDays: number, gestationalAgeWeeks: number | null): { ageDays: number; corrected: boolean } {
  const ga = gestationalAgeWeeks;
  if (ga === null || !Number.isFinite(ga) || ga <= 0 || ga >= PRETERM_WEEKS || ageDays >= CORRECT_UNTIL_DAYS) return { ageDays, corrected: false };
  return { ageDays: Math.max(0, ageDays - (TERM_DAYS - Math.round(ga * 7))), corrected: true };
}
