import { VITAL_KINDS, type VitalKind } from './kinds';

// Interpretation by age: normal bands and HL7 interpretation flags.

/** HL7 v3 ObservationInterpretation codes: normal, low, high, critically low, critically high. */
export type InterpretationFlag = 'N' | 'L' | 'H' | 'LL' | 'HH';

/**
 * The normal range for a kind at an age. A value is normal when `low ≤ value < high`:
 * `low` is the lowest normal value, `high` the first high one. null means no limit on that side.
 */
export interface NormalBand {
  low: number | null;
  high: number | null;
}

/** A flag with the normal range it was judged against. */
export interface VitalInterpretation extends NormalBand {
  flag: InterpretationFlag;
}

/** Pediatric age bands as PALS names them, then adult. */
export type AgeBand = 'newborn' | 'infant' | 'toddler' | 'preschool' | 'schoolAge' | 'adolescent' | 'adult';

/** Days from birth to the n-th birthday, give or take a day for leap years. */
const yearsToDays = (years: number): number => Math.floor(years * 365.25);

/** Whole years completed at `ageDays` (the 1st birthday is day 365). */
function completedYears(ageDays: number): number {
  let years = Math.floor(ageDays / 365.25);
  if (ageDays >= yearsToDays(years + 1)) years += 1;
  return years;
}

/** Band edges in months (for matching Fleming's age groups); newborn is 0–28 days. */
const BANDS: readonly { band: AgeBand; fromMonths: number; toMonths: number }[] = [
  { band: 'newborn', fromMonths: 0, toMonths: 29 / (365.25 / 12) },
  { band: 'infant', fromMonths: 1, toMonths: 12 },
  { band: 'toddler', fromMonths: 12, toMonths: 36 },
  { band: 'preschool', fromMonths: 36, toMonths: 72 },
  { band: 'schoolAge', fromMonths: 72, toMonths: 144 },
  { band: 'adolescent', fromMonths: 144, toMonths: 216 },
];

function assertAge(ageDays: number): void {
  if (!Number.isFinite(ageDays) || ageDays < 0) throw new RangeError(`age ${ageDays} days is not valid: it must be 0 or more`);
}

/**
 * The age band for an age in days: newborn 0–28 d, infant 29 d to 1 y, toddler 1–3 y,
 * preschool 3–6 y, school age 6–12 y, adolescent 12–18 y, adult from 18 y (upper edges exclusive).
 */
export function ageBand(ageDays: number): AgeBand {
  assertAge(ageDays);
  if (ageDays <= 28) return 'newborn';
  if (ageDays < yearsToDays(1)) return 'infant';
  if (ageDays < yearsToDays(3)) return 'toddler';
  if (ageDays < yearsToDays(6)) return 'preschool';
  if (ageDays < yearsToDays(12)) return 'schoolAge';
  if (ageDays < yearsToDays(18)) return 'adolescent';
  return 'adult';
}

/** Thresholds for one kind at one age: normal is [low, high); LL below criticalLow, HH from criticalHigh. */
interface Thresholds {
  criticalLow: number | null;
  low: number | null;
  high: number | null;
  criticalHigh: number | null;
}

const NONE: Thresholds = { criticalLow: null, low: null, high: null, criticalHigh: null };

/**
 * Fleming S, Thompson M, Stevens R, et al. Normal ranges of heart rate and respiratory rate in
 * children from birth to 18 years of age: a systematic review of observational studies.
 * Lancet 2011;377:1011–18 (doi:10.1016/S0140-6736(10)62226-X), Table 2: 1st, 10th, 90th and
 * 99th centiles by age group. Ages in months. Centile values must be re-checked against the
 * published table whenever this list is edited.
 */
const FLEMING_HR: readonly (readonly [fromMonths: number, toMonths: number, c1: number, c10: number, c90: number, c99: number])[] = [
  [0, 3, 107, 123, 164, 181],
  [3, 6, 104, 120, 159, 175],
  [6, 9, 98, 114, 152, 168],
  [9, 12, 93, 109, 145, 161],
  [12, 18, 88, 103, 140, 156],
  [18, 24, 82, 98, 135, 149],
  [24, 36, 76, 92, 128, 142],
  [36, 48, 70, 86, 123, 136],
  [48, 72, 65, 81, 117, 131],
  [72, 96, 59, 74, 111, 123],
  [96, 144, 52, 67, 103, 115],
  [144, 180, 47, 62, 96, 108],
  [180, 216, 43, 58, 92, 104],
];
/** Fleming et al. 2011, respiratory rate centiles; layout as {@link FLEMING_HR}. */
const FLEMING_RR: typeof FLEMING_HR = [
  [0, 3, 25, 34, 57, 66],
  [3, 6, 24, 33, 55, 64],
  [6, 9, 23, 31, 52, 61],
  [9, 12, 22, 30, 50, 58],
  [12, 18, 21, 28, 46, 53],
  [18, 24, 19, 25, 40, 46],
  [24, 36, 18, 22, 34, 38],
  [36, 48, 17, 21, 29, 33],
  [48, 72, 17, 20, 27, 29],
  [72, 96, 16, 18, 24, 27],
  [96, 144, 14, 16, 22, 25],
  [144, 180, 12, 15, 21, 23],
  [180, 216, 11, 13, 19, 22],
];

/**
 * A child's HR or RR thresholds from Fleming's centiles over every age group the band overlaps,
 * taking the widest envelope: normal from the 10th to below the 90th centile, critical below the
 * 1st or from the 99th centile (the limits Fleming et al. judged published ranges against).
 */
function flemingThresholds(table: typeof FLEMING_HR, band: AgeBand): Thresholds {
  const edges = BANDS.find((b) => b.band === band) ?? { fromMonths: 0, toMonths: 0 };
  const rows = table.filter(([from, to]) => from < edges.toMonths && to > edges.fromMonths);
  if (rows.length === 0) return NONE;
  return {
    criticalLow: Math.min(...rows.map((r) => r[2])),
    low: Math.min(...rows.map((r) => r[3])),
    high: Math.max(...rows.map((r) => r[4])),
    criticalHigh: Math.max(...rows.map((r) => r[5])),
  };
}

/**
 * AAP 2017 (Flynn JT et al., Clinical Practice Guideline for Screening and Management of High
 * Blood Pressure in Children and Adolescents, Pediatrics 2017;140(3):e20171904), Table 6
 * "Screening BP values requiring further evaluation", by completed years 1–12, taking the lower
 * of the boys' and girls' values so either sex is flagged; from 13 years the guideline uses 120/80.
 * Index = age in years.
 */
const AAP_SCREEN_SYSTOLIC = [NaN, 98, 100, 101, 102, 103, 105, 106, 107, 107, 108, 110, 113] as const;
const AAP_SCREEN_DIASTOLIC = [NaN, 52, 55, 58, 60, 63, 66, 68, 69, 70, 72, 74, 75] as const;

/**
 * Hypertensive crisis, ACC/AHA 2017: systolic above 180 and/or diastolic above 120 mm Hg, used as
 * HH at every age. HH is "from criticalHigh", so the first critical whole value is 181 / 121.
 */
const CRISIS_SYSTOLIC = 181;
const CRISIS_DIASTOLIC = 121;

function bpThresholds(kind: 'systolic' | 'diastolic', ageDays: number): Thresholds {
  const band = ageBand(ageDays);
  const years = completedYears(ageDays);
  if (band === 'adult') {
    // Hypertension grade 1 / JNC 7 stage 1 from 140/90; crisis from 180/120; hypotension below 90/60.
    return kind === 'systolic'
      ? { criticalLow: null, low: 90, high: 140, criticalHigh: CRISIS_SYSTOLIC }
      : { criticalLow: null, low: 60, high: 90, criticalHigh: CRISIS_DIASTOLIC };
  }
  if (kind === 'diastolic') {
    // No simple lower limit for a child's diastolic; upper from AAP 2017 (none under 1 year).
    const high = years < 1 ? null : years >= 13 ? 80 : (AAP_SCREEN_DIASTOLIC[years] ?? null);
    return { criticalLow: null, low: null, high, criticalHigh: CRISIS_DIASTOLIC };
  }
  // PALS (AHA 2020) hypotension: < 60 term newborn, < 70 infant, < 70 + 2 × years from 1 to 10, < 90 from 10.
  const low = band === 'newborn' ? 60 : years < 1 ? 70 : Math.min(90, 70 + 2 * years);
  // Under 1 year there is no simple upper limit: neonatal and infant norms depend on post-menstrual
  // age (Dionne JM et al., Pediatr Nephrol 2012), which a vitals set does not carry.
  const high = years < 1 ? null : years >= 13 ? 120 : (AAP_SCREEN_SYSTOLIC[years] ?? null);
  return { criticalLow: null, low, high, criticalHigh: CRISIS_SYSTOLIC };
}

function thresholds(kind: VitalKind, ageDays: number): Thresholds {
  const band = ageBand(ageDays);
  switch (kind) {
    case 'heartRate':
      // Adults: bradycardia < 60, tachycardia > 100/min (AHA); critical at NEWS2 3-point bands, ≤ 40 or ≥ 131
      // (Royal College of Physicians, National Early Warning Score 2, 2017).
      return band === 'adult' ? { criticalLow: 41, low: 60, high: 101, criticalHigh: 131 } : flemingThresholds(FLEMING_HR, band);
    case 'respiratoryRate':
      // Adults: 12–20/min normal; critical at NEWS2 3-point bands, ≤ 8 or ≥ 25.
      return band === 'adult' ? { criticalLow: 9, low: 12, high: 21, criticalHigh: 25 } : flemingThresholds(FLEMING_RR, band);
    case 'systolic':
    case 'diastolic':
      return bpThresholds(kind, ageDays);
    case 'temperature':
      // All ages: fever from 38.0 °C (NICE NG143 fever in under 5s; AAP 2021 febrile infant guideline),
      // critical from 40.0 °C; below 36.0 low; hypothermia (critical) below 35.0 °C, the usual definition.
      return { criticalLow: 35, low: 36, high: 38, criticalHigh: 40 };
    case 'spo2':
      // All ages: below 92 % low, below 88 % critical. For context, NEWS2 (scale 1) scores ≤ 91 % with
      // its maximum 3 points, and 88 % is the bottom of the BTS 2017 target range for patients at risk
      // of hypercapnia, so a reading under 88 % is below every usual target.
      return { criticalLow: 88, low: 92, high: null, criticalHigh: null };
    case 'bmi':
      // Adults only, WHO classes: underweight < 18.5, obesity ≥ 30, class III ≥ 40. Children need
      // BMI-for-age percentiles: shared/domain/growth judges those (CDC 2000 from 2 years).
      return band === 'adult' ? { criticalLow: null, low: 18.5, high: 30, criticalHigh: 40 } : NONE;
    case 'painScore':
      // 0–10 numeric rating: 7–10 is severe pain.
      return { criticalLow: null, low: null, high: 7, criticalHigh: null };
    case 'height':
    case 'weight':
    case 'headCircumference':
      // Judged against growth charts by percentile, not by a fixed band.
      return NONE;
  }
}

/**
 * The normal band for a kind at an age, for shading trend charts: `{ low, high }` with
 * low ≤ normal < high (either side may be null), or null when the kind has no fixed band at that
 * age (height, weight, head circumference; a child's BMI). Same band as {@link interpretVital}.
 */
export function normalBand(kind: VitalKind, ageDays: number): NormalBand | null {
  const t = thresholds(kind, ageDays);
  return t.low === null && t.high === null ? null : { low: t.low, high: t.high };
}

/**
 * Flags a stored value (UCUM unit) against the reference range for the patient's age in days:
 * LL below the critical low, L below `low`, HH from the critical high, H from `high`, else N.
 * Heart and respiratory rate use Fleming 2011 centiles for children; blood pressure uses
 * PALS lower limits and AAP 2017 upper limits for children and fixed limits for adults.
 * Kinds without a fixed band (growth measures, a child's BMI) are N with null limits.
 */
export function interpretVital(kind: VitalKind, valueUcum: number, ageDays: number): VitalInterpretation {
  if (!Number.isFinite(valueUcum)) throw new RangeError(`${VITAL_KINDS[kind].label} must be a number`);
  const t = thresholds(kind, ageDays);
  const band = { low: t.low, high: t.high };
  if (t.criticalLow !== null && valueUcum < t.criticalLow) return { flag: 'LL', ...band };
  if (t.low !== null && valueUcum < t.low) return { flag: 'L', ...band };
  if (t.criticalHigh !== null && valueUcum >= t.criticalHigh) return { flag: 'HH', ...band };
  if (t.high !== null && valueUcum >= t.high) return { flag: 'H', ...band };
  return { flag: 'N', ...band };
}
