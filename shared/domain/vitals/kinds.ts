import { z } from 'zod';

// Kinds: the vital signs recorded, their codes and units.

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
