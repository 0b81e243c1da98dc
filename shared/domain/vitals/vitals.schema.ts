import { z } from 'zod';
import { VITAL_KINDS, type EnteredVitalKind, type UcumUnit, type VitalKind, type VitalUnit } from './kinds';
import { PHYSIOLOGIC_LIMITS, computeBmi, fmt, limitProblem } from './limits';
import { toUcum } from './units';

// One set of vitals taken together: the entry schema and its normalization to UCUM observations.

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
