import { unitLabel } from '../display-units';
import { VITAL_KINDS, type VitalKind, type VitalUnit } from './kinds';
import { fromStorageExact, roundTo, toUcum } from './units';

// Physiologic limits: values that cannot be real are refused at entry.

/** Inclusive range of values that can be real, in the storage unit. */
export interface PhysiologicLimit {
  readonly min: number;
  readonly max: number;
}

/**
 * Values outside these ranges are refused as impossible (almost always a typo or a wrong unit).
 * They are deliberately wide: abnormal but real readings must never be refused.
 */
export const PHYSIOLOGIC_LIMITS: Readonly<Record<VitalKind, PhysiologicLimit>> = {
  // Aneroid and mercury sphygmomanometer scales end at 300 mmHg; below 40 a cuff reads nothing.
  systolic: { min: 40, max: 300 },
  // Severe aortic regurgitation and small children give diastolics in the 20s; 200 is above any reported crisis.
  diastolic: { min: 10, max: 200 },
  // Complete heart block can run at 20-30/min; infant SVT reaches about 300/min (AHA PALS).
  heartRate: { min: 20, max: 350 },
  // Opioid toxicity can slow breathing to a few breaths/min; newborn tachypnoea rarely passes 120/min.
  respiratoryRate: { min: 2, max: 150 },
  // Clinic thermometers (oral, tympanic, temporal, axillary) do not read outside 25-45 °C;
  // deeper hypothermia needs a core probe and is not a clinic vital sign.
  temperature: { min: 25, max: 45 },
  // Pulse oximeters are specified for accuracy over 70-100 % (ISO 80601-2-61); below 50 a reading
  // is not usable, and above 100 % is impossible.
  spo2: { min: 50, max: 100 },
  // Extremely preterm survivors measure about 24 cm; the tallest recorded person was 272 cm.
  height: { min: 20, max: 275 },
  // Smallest reported surviving newborn 212 g (2020); heaviest recorded person about 635 kg.
  weight: { min: 0.2, max: 700 },
  // Guards gross unit errors only: BMI of a 212 g newborn is about 4, of a 635 kg adult about 185.
  bmi: { min: 2, max: 250 },
  // 0-10 numeric rating scale (LOINC 72514-3).
  painScore: { min: 0, max: 10 },
  // Extremely preterm newborns about 18 cm; untreated hydrocephalus has been reported near 95 cm.
  headCircumference: { min: 15, max: 100 },
};

/** Sizes where 0 is a common placeholder entry and deserves its own message. */
const MUST_BE_POSITIVE: ReadonlySet<VitalKind> = new Set<VitalKind>(['weight', 'height', 'headCircumference']);

/** A number as people read it: no trailing zeros, no float noise. */
export function fmt(n: number): string {
  return String(roundTo(n, 6));
}

/**
 * Why a value as entered is impossible, or null when it is possible. The message echoes the value
 * and unit as entered and gives the accepted range in that unit (rounded inwards, so every value
 * inside the shown range is accepted): `systolic 900 mm[Hg] is not possible (expected 40–300)`,
 * `temperature 140 °F is not possible (expected 77–113 °F)`, `weight must be more than 0`.
 * The range repeats the unit for kinds with a choice of units. Limits are checked on the value
 * as it would be stored (after conversion and rounding).
 */
export function limitProblem<K extends VitalKind>(kind: K, value: number, enteredUnit: VitalUnit<K>): string | null {
  const info = VITAL_KINDS[kind];
  if (!Number.isFinite(value)) return `${info.label} must be a number`;
  if (MUST_BE_POSITIVE.has(kind) && value <= 0) return `${info.label} must be more than 0`;
  const stored = toUcum(kind, value, enteredUnit);
  const { min, max } = PHYSIOLOGIC_LIMITS[kind];
  if (stored >= min && stored <= max) {
    if (kind === 'painScore' && !Number.isInteger(value)) return 'pain score must be a whole number from 0 to 10';
    return null;
  }
  const shownMin = Math.ceil(roundTo(fromStorageExact(min, enteredUnit) * 10, 6)) / 10;
  const shownMax = Math.floor(roundTo(fromStorageExact(max, enteredUnit) * 10, 6)) / 10;
  const label = unitLabel(enteredUnit);
  const entered = label === '' ? fmt(value) : `${fmt(value)} ${label}`;
  const rangeUnit = info.units.length > 1 ? ` ${label}` : '';
  return `${info.label} ${entered} is not possible (expected ${fmt(shownMin)}–${fmt(shownMax)}${rangeUnit})`;
}

/** BMI in kg/m2 from weight in kg and height in cm, rounded to 1 decimal. */
export function computeBmi(weightKg: number, heightCm: number): number {
  const m = heightCm / 100;
  return roundTo(weightKg / (m * m), 1);
}
