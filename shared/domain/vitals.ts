import { z } from 'zod';
import { unitLabel } from './display-units';

/**
 * Vital signs: codes, units, physiologic limits and age-appropriate interpretation.
 *
 * Values are stored in one UCUM unit per kind (the unit FHIR's vital-signs profile uses where it
 * has one) and converted from whatever unit the clinic enters. Entry unit names follow the
 * clinic setting ('lb', 'in', 'oz'); the UCUM codes for those are [lb_av], [in_i] and [oz_av],
 * which matters only if entered units are ever exchanged as UCUM.
 */

// ---------------------------------------------------------------------------------------------
// Kinds
// ---------------------------------------------------------------------------------------------

/** What is known about one kind of vital sign. */
export interface VitalKindInfo {
  /** LOINC code of the observation. */
  readonly loinc: string;
  /** LOINC long common name. */
  readonly display: string;
  /** How messages name it ("systolic 900 mm[Hg] is not possible ..."). */
  readonly label: string;
  /** UCUM unit the value is stored in. */
  readonly unit: string;
  /** Units a value may be entered in or shown in; the first is the storage unit. */
  readonly units: readonly string[];
  /** True when the value is computed from others and never entered (BMI). */
  readonly computed: boolean;
}

/** The table behind {@link VITAL_KINDS}, with literal types throughout. */
const KINDS = {
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure', label: 'systolic', unit: 'mm[Hg]', units: ['mm[Hg]'], computed: false },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure', label: 'diastolic', unit: 'mm[Hg]', units: ['mm[Hg]'], computed: false },
  heartRate: { loinc: '8867-4', display: 'Heart rate', label: 'heart rate', unit: '/min', units: ['/min'], computed: false },
  respiratoryRate: { loinc: '9279-1', display: 'Respiratory rate', label: 'respiratory rate', unit: '/min', units: ['/min'], computed: false },
  temperature: { loinc: '8310-5', display: 'Body temperature', label: 'temperature', unit: 'Cel', units: ['Cel', '[degF]'], computed: false },
  spo2: {
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    label: 'SpO2',
    unit: '%',
    units: ['%'],
    computed: false,
  },
  height: { loinc: '8302-2', display: 'Body height', label: 'height', unit: 'cm', units: ['cm', 'in'], computed: false },
  weight: { loinc: '29463-7', display: 'Body weight', label: 'weight', unit: 'kg', units: ['kg', 'lb', 'oz'], computed: false },
  bmi: { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', label: 'BMI', unit: 'kg/m2', units: ['kg/m2'], computed: true },
  painScore: {
    loinc: '72514-3',
    display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
    label: 'pain score',
    unit: '{score}',
    units: ['{score}'],
    computed: false,
  },
  headCircumference: {
    loinc: '9843-4',
    display: 'Head Occipital-frontal circumference',
    label: 'head circumference',
    unit: 'cm',
    units: ['cm', 'in'],
    computed: false,
  },
} as const satisfies Record<string, VitalKindInfo>;

/**
 * The vital signs Cairn records, in chart order, with LOINC code and UCUM storage unit.
 * Codes as in the HL7 FHIR vital-signs profile; SpO2 uses 59408-5 (pulse oximetry) rather than
 * 2708-6 (arterial blood gas) because clinics measure it with a finger probe. Head circumference
 * is for children under 3 years; the form decides when to offer it. Units keep their literal
 * types; codes and names are plain strings so they can be looked up by stored text.
 */
export const VITAL_KINDS: {
  readonly [K in keyof typeof KINDS]: Omit<(typeof KINDS)[K], 'loinc' | 'display' | 'label'> & Pick<VitalKindInfo, 'loinc' | 'display' | 'label'>;
} = KINDS;

/** One kind of vital sign, e.g. 'systolic' or 'headCircumference'. */
export type VitalKind = keyof typeof VITAL_KINDS;
/** The kinds a person enters (everything but BMI). */
export type EnteredVitalKind = Exclude<VitalKind, 'bmi'>;
/** The units a kind may be entered in or shown in. */
export type VitalUnit<K extends VitalKind> = (typeof KINDS)[K]['units'][number];
/** The UCUM unit a kind is stored in. */
export type UcumUnit = (typeof KINDS)[VitalKind]['unit'];

const KIND_NAMES = Object.keys(VITAL_KINDS) as [VitalKind, ...VitalKind[]];
/** Schema for a vital kind name. */
export const vitalKind = z.enum(KIND_NAMES);

/** The blood pressure panel that groups a systolic and diastolic taken together. */
export const BP_PANEL = { loinc: '85354-9', display: 'Blood pressure panel with all children optional' } as const;

/** Weight entry units a clinic may choose (oz for infants). */
export type WeightUnit = VitalUnit<'weight'>;
/** Height, length and head circumference entry units. */
export type LengthUnit = VitalUnit<'height'>;
/** Temperature entry units, as UCUM codes. */
export type TemperatureUnit = VitalUnit<'temperature'>;

// ---------------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------------

/** Exact by definition (International Yard and Pound Agreement, 1959). */
const KG_PER_LB = 0.45359237;
const KG_PER_OZ = KG_PER_LB / 16;
const CM_PER_IN = 2.54;

/** Decimal places kept when storing, by storage unit; units not listed are stored as entered. */
const STORAGE_DECIMALS: Readonly<Record<string, number>> = { kg: 3, cm: 1, Cel: 2, 'kg/m2': 1 };
/** Decimal places shown for display units that are not storage units. */
const DISPLAY_DECIMALS: Readonly<Record<string, number>> = { lb: 2, oz: 1, in: 1, '[degF]': 1 };

/** How a unit is written for people (mmHg, °C, °F, kg/m², nothing for a score): one place, display-units. */
export { unitLabel };

/** Rounds half away from zero to `decimals` places, without 1.005 → 1.00 binary surprises. */
function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = Number((Math.abs(value) * f).toPrecision(15));
  const r = (Math.sign(value) * Math.round(scaled)) / f;
  return r === 0 ? 0 : r; // no -0
}

function assertUnit(kind: VitalKind, unit: string): void {
  if (!(VITAL_KINDS[kind].units as readonly string[]).includes(unit)) {
    throw new RangeError(`${VITAL_KINDS[kind].label} cannot be in ${unit}: use ${VITAL_KINDS[kind].units.join(' or ')}`);
  }
}

/** Exact conversion to the storage unit (no rounding). */
function toStorageExact(value: number, unit: string): number {
  switch (unit) {
    case 'lb':
      return value * KG_PER_LB;
    case 'oz':
      return value * KG_PER_OZ;
    case 'in':
      return value * CM_PER_IN;
    case '[degF]':
      return ((value - 32) * 5) / 9;
    default:
      return value;
  }
}

/** Exact conversion from the storage unit (no rounding). */
function fromStorageExact(value: number, unit: string): number {
  switch (unit) {
    case 'lb':
      return value / KG_PER_LB;
    case 'oz':
      return value / KG_PER_OZ;
    case 'in':
      return value / CM_PER_IN;
    case '[degF]':
      return (value * 9) / 5 + 32;
    default:
      return value;
  }
}

/**
 * Converts a value as entered to the kind's UCUM storage unit, rounded to what is worth keeping:
 * kg to 3 decimals (1 g), cm to 1 (1 mm), Cel to 2, BMI to 1; other kinds are stored as entered.
 * e.g. `toUcum('weight', 154, 'lb')` → 69.853, `toUcum('temperature', 98.6, '[degF]')` → 37.
 * Throws RangeError for a unit the kind does not use or a value that is not a finite number.
 */
export function toUcum<K extends VitalKind>(kind: K, value: number, enteredUnit: VitalUnit<K>): number {
  assertUnit(kind, enteredUnit);
  if (!Number.isFinite(value)) throw new RangeError(`${VITAL_KINDS[kind].label} must be a number`);
  const unit = VITAL_KINDS[kind].unit;
  const exact = toStorageExact(value, enteredUnit);
  const decimals = STORAGE_DECIMALS[unit];
  return decimals === undefined ? exact : roundTo(exact, decimals);
}

/**
 * Converts a stored UCUM value to a unit for display, rounded for reading: lb to 2 decimals,
 * oz, in and °F to 1; storage units keep their storage precision.
 * e.g. `fromUcum('height', 177.8, 'in')` → 70. Throws RangeError like {@link toUcum}.
 */
export function fromUcum<K extends VitalKind>(kind: K, value: number, displayUnit: VitalUnit<K>): number {
  assertUnit(kind, displayUnit);
  if (!Number.isFinite(value)) throw new RangeError(`${VITAL_KINDS[kind].label} must be a number`);
  const exact = fromStorageExact(value, displayUnit);
  const decimals = DISPLAY_DECIMALS[displayUnit] ?? STORAGE_DECIMALS[displayUnit];
  return decimals === undefined ? exact : roundTo(exact, decimals);
}

// ---------------------------------------------------------------------------------------------
// Physiologic limits
// ---------------------------------------------------------------------------------------------

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
function fmt(n: number): string {
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

// ---------------------------------------------------------------------------------------------
// One set of vitals taken together
// ---------------------------------------------------------------------------------------------

const asEntered = (label: string) => z.number({ error: `${label} must be a number` }).optional();

/** The entered kinds as they appear on the input, in chart order. */
const ENTERED: readonly EnteredVitalKind[] = [
  'systolic',
  'diastolic',
  'heartRate',
  'respiratoryRate',
  'temperature',
  'spo2',
  'height',
  'weight',
  'painScore',
  'headCircumference',
];

/** The clinic's entry units for one set of vitals. All four are required: a silent default could store pounds as kilograms. */
export const vitalsUnits = z.object({
  weight: z.enum(['kg', 'lb'], { error: 'weight unit must be kg or lb' }),
  height: z.enum(['cm', 'in'], { error: 'height unit must be cm or in' }),
  temperature: z.enum(['Cel', '[degF]'], { error: 'temperature unit must be Cel or [degF]' }),
  headCircumference: z.enum(['cm', 'in'], { error: 'head circumference unit must be cm or in' }),
});
/** Entry units for one set of vitals. */
export type VitalsUnits = z.infer<typeof vitalsUnits>;

function unitFor(kind: EnteredVitalKind, units: VitalsUnits): string {
  switch (kind) {
    case 'weight':
    case 'height':
    case 'temperature':
    case 'headCircumference':
      return units[kind];
    case 'systolic':
    case 'diastolic':
    case 'heartRate':
    case 'respiratoryRate':
    case 'spo2':
    case 'painScore':
      return VITAL_KINDS[kind].unit;
  }
}

/**
 * One set of vitals taken together, numbers as entered in `units`. Refuses: impossible values
 * (message on the field, in the entered unit), a set with no value, systolic without diastolic or
 * the reverse, diastolic not below systolic, and a weight/height pair whose BMI is impossible.
 */
export const vitalsInput = z
  .object({
    takenAt: z.iso.datetime({ offset: true, error: 'taken at must be an ISO date and time with a zone, e.g. 2025-03-04T09:30:00Z' }),
    units: vitalsUnits,
    systolic: asEntered('systolic'),
    diastolic: asEntered('diastolic'),
    heartRate: asEntered('heart rate'),
    respiratoryRate: asEntered('respiratory rate'),
    temperature: asEntered('temperature'),
    spo2: asEntered('SpO2'),
    height: asEntered('height'),
    weight: asEntered('weight'),
    painScore: asEntered('pain score'),
    headCircumference: asEntered('head circumference'),
  })
  .superRefine((v, ctx) => {
    const ok = new Set<EnteredVitalKind>();
    for (const kind of ENTERED) {
      const value = v[kind];
      if (value === undefined) continue;
      const problem = limitProblem(kind, value, unitFor(kind, v.units) as VitalUnit<typeof kind>);
      if (problem) ctx.addIssue({ code: 'custom', path: [kind], message: problem });
      else ok.add(kind);
    }
    if (ENTERED.every((kind) => v[kind] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'enter at least one vital sign' });
    }
    const { systolic, diastolic, weight, height } = v;
    if (systolic !== undefined && diastolic === undefined) {
      ctx.addIssue({ code: 'custom', path: ['diastolic'], message: 'diastolic is missing: blood pressure needs both systolic and diastolic' });
    }
    if (diastolic !== undefined && systolic === undefined) {
      ctx.addIssue({ code: 'custom', path: ['systolic'], message: 'systolic is missing: blood pressure needs both systolic and diastolic' });
    }
    if (systolic !== undefined && diastolic !== undefined && ok.has('systolic') && ok.has('diastolic') && diastolic >= systolic) {
      ctx.addIssue({
        code: 'custom',
        path: ['diastolic'],
        message: `diastolic ${fmt(diastolic)} mm[Hg] must be lower than systolic ${fmt(systolic)} mm[Hg]`,
      });
    }
    if (weight !== undefined && height !== undefined && ok.has('weight') && ok.has('height')) {
      const bmi = computeBmi(toUcum('weight', weight, v.units.weight), toUcum('height', height, v.units.height));
      const { min, max } = PHYSIOLOGIC_LIMITS.bmi;
      if (bmi < min || bmi > max) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message:
            `weight ${fmt(weight)} ${v.units.weight} with height ${fmt(height)} ${v.units.height} gives a BMI of ${fmt(bmi)}, ` +
            `which is not possible (expected ${min}–${max}): check both values and their units`,
        });
      }
    }
  });
/** A validated set of vitals, numbers as entered. */
export type VitalsInput = z.infer<typeof vitalsInput>;
/** What a form or the CLI sends for one set of vitals. */
export type VitalsInputRaw = z.input<typeof vitalsInput>;

/** One stored observation: value in the kind's UCUM unit. */
export interface VitalObservation {
  kind: VitalKind;
  loinc: string;
  value: number;
  unit: UcumUnit;
}

/**
 * Validates one set of vitals (throws the ZodError of {@link vitalsInput} when it is not valid)
 * and returns its observations in storage units, in chart order, adding BMI when weight and height
 * are both in the set.
 */
export function normalizeVitals(input: VitalsInputRaw): VitalObservation[] {
  const v = vitalsInput.parse(input);
  const out: VitalObservation[] = [];
  const push = (kind: VitalKind, value: number): void => {
    out.push({ kind, loinc: VITAL_KINDS[kind].loinc, value, unit: VITAL_KINDS[kind].unit });
  };
  for (const kind of ENTERED) {
    const value = v[kind];
    if (value === undefined) continue;
    push(kind, toUcum(kind, value, unitFor(kind, v.units) as VitalUnit<typeof kind>));
    if (kind === 'weight' && v.height !== undefined) {
      push('bmi', computeBmi(toUcum('weight', value, v.units.weight), toUcum('height', v.height, v.units.height)));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Interpretation by age
// ---------------------------------------------------------------------------------------------

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

/** Hypertensive crisis (ACC/AHA 2017; ESC/ESH 2018 grade 3): used as HH at every age. */
const CRISIS_SYSTOLIC = 180;
const CRISIS_DIASTOLIC = 120;

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
      // BMI-for-age percentiles (CDC/WHO growth charts), which this module does not hold.
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
