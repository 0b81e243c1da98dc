import { describe, expect, it } from 'vitest';
import {
  BP_PANEL,
  VITAL_KINDS,
  ageBand,
  fromUcum,
  interpretVital,
  limitProblem,
  normalBand,
  normalizeVitals,
  toUcum,
  vitalsInput,
  type VitalsInputRaw,
} from '../../../../shared/domain/vitals';

const DAY = 1;
const YEAR = 365.25;
const ADULT = 40 * 365;
const NEWBORN = 10 * DAY;
const FIVE_YEARS = Math.floor(5 * YEAR); // 1826 days: the 5th birthday

const US_UNITS = { weight: 'lb', height: 'in', temperature: '[degF]', headCircumference: 'in' } as const;
const METRIC_UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' } as const;
const TAKEN_AT = '2025-03-04T09:30:00Z';

/** Issue messages keyed by path, for a set that must be refused. */
function problems(input: unknown): Record<string, string> {
  const r = vitalsInput.safeParse(input);
  expect(r.success).toBe(false);
  return Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('vital kinds', () => {
  it('carry LOINC codes and UCUM storage units', () => {
    expect(VITAL_KINDS.systolic).toMatchObject({ loinc: '8480-6', unit: 'mm[Hg]' });
    expect(VITAL_KINDS.diastolic).toMatchObject({ loinc: '8462-4', unit: 'mm[Hg]' });
    expect(VITAL_KINDS.heartRate).toMatchObject({ loinc: '8867-4', unit: '/min' });
    expect(VITAL_KINDS.respiratoryRate).toMatchObject({ loinc: '9279-1', unit: '/min' });
    expect(VITAL_KINDS.temperature).toMatchObject({ loinc: '8310-5', unit: 'Cel' });
    expect(VITAL_KINDS.spo2).toMatchObject({ loinc: '59408-5', unit: '%' });
    expect(VITAL_KINDS.height).toMatchObject({ loinc: '8302-2', unit: 'cm' });
    expect(VITAL_KINDS.weight).toMatchObject({ loinc: '29463-7', unit: 'kg' });
    expect(VITAL_KINDS.bmi).toMatchObject({ loinc: '39156-5', unit: 'kg/m2', computed: true });
    expect(VITAL_KINDS.painScore).toMatchObject({ loinc: '72514-3', unit: '{score}' });
    expect(VITAL_KINDS.headCircumference).toMatchObject({ loinc: '9843-4', unit: 'cm' });
    expect(BP_PANEL.loinc).toBe('85354-9');
  });
});

describe('unit conversion', () => {
  it('converts entered units to UCUM storage units with exact factors', () => {
    expect(toUcum('weight', 154, 'lb')).toBe(69.853);
    expect(toUcum('weight', 1, 'lb')).toBe(0.454);
    expect(toUcum('weight', 120, 'oz')).toBe(3.402);
    expect(toUcum('weight', 70.5, 'kg')).toBe(70.5);
    expect(toUcum('height', 70, 'in')).toBe(177.8);
    expect(toUcum('headCircumference', 13.5, 'in')).toBe(34.3);
    expect(toUcum('temperature', 98.6, '[degF]')).toBe(37);
    expect(toUcum('temperature', 32, '[degF]')).toBe(0);
    expect(toUcum('temperature', 100.4, '[degF]')).toBe(38);
    expect(toUcum('temperature', 101.3, '[degF]')).toBe(38.5);
    expect(toUcum('systolic', 120, 'mm[Hg]')).toBe(120);
  });
  it('converts stored values back for display', () => {
    expect(fromUcum('weight', 69.853, 'lb')).toBe(154);
    expect(fromUcum('weight', 3.402, 'oz')).toBe(120);
    expect(fromUcum('height', 177.8, 'in')).toBe(70);
    expect(fromUcum('temperature', 37, '[degF]')).toBe(98.6);
    expect(fromUcum('temperature', 38, '[degF]')).toBe(100.4);
    expect(fromUcum('temperature', 37, 'Cel')).toBe(37);
  });
  it('refuses a unit the kind does not use', () => {
    // @ts-expect-error: lb is not a temperature unit
    expect(() => toUcum('temperature', 100, 'lb')).toThrow(RangeError);
  });
});

describe('physiologic limits', () => {
  it('refuse impossible values with messages in the unit as entered', () => {
    expect(limitProblem('systolic', 900, 'mm[Hg]')).toBe('systolic 900 mmHg is not possible (expected 40–300)');
    expect(limitProblem('temperature', 60, 'Cel')).toBe('temperature 60 °C is not possible (expected 25–45 °C)');
    expect(limitProblem('temperature', 140, '[degF]')).toBe('temperature 140 °F is not possible (expected 77–113 °F)');
    expect(limitProblem('weight', 0, 'kg')).toBe('weight must be more than 0');
    expect(limitProblem('weight', -3, 'lb')).toBe('weight must be more than 0');
    expect(limitProblem('spo2', 101, '%')).toBe('SpO2 101 % is not possible (expected 50–100)');
    expect(limitProblem('painScore', 11, '{score}')).toBe('pain score 11 is not possible (expected 0–10)');
    expect(limitProblem('painScore', 6.5, '{score}')).toBe('pain score must be a whole number from 0 to 10');
    // A range converted to pounds is rounded inwards, so everything inside it is accepted.
    expect(limitProblem('weight', 2000, 'lb')).toBe('weight 2000 lb is not possible (expected 0.5–1543.2 lb)');
  });
  it('accept the edges of the range', () => {
    expect(limitProblem('systolic', 300, 'mm[Hg]')).toBeNull();
    expect(limitProblem('temperature', 77, '[degF]')).toBeNull();
    expect(limitProblem('temperature', 113, '[degF]')).toBeNull();
    expect(limitProblem('spo2', 100, '%')).toBeNull();
    expect(limitProblem('painScore', 0, '{score}')).toBeNull();
  });
  it('name each problem on its field in a set of vitals', () => {
    const byPath = problems({
      takenAt: TAKEN_AT,
      units: METRIC_UNITS,
      systolic: 900,
      diastolic: 80,
      temperature: 60,
      weight: 0,
      spo2: 101,
    });
    expect(byPath).toEqual({
      systolic: 'systolic 900 mmHg is not possible (expected 40–300)',
      temperature: 'temperature 60 °C is not possible (expected 25–45 °C)',
      weight: 'weight must be more than 0',
      spo2: 'SpO2 101 % is not possible (expected 50–100)',
    });
    expect(problems({ takenAt: TAKEN_AT, units: US_UNITS, temperature: 140 })).toEqual({
      temperature: 'temperature 140 °F is not possible (expected 77–113 °F)',
    });
  });
});

describe('vitals input', () => {
  it('refuses diastolic at or above systolic', () => {
    expect(problems({ takenAt: TAKEN_AT, units: METRIC_UNITS, systolic: 80, diastolic: 90 })).toEqual({
      diastolic: 'diastolic 90 mm[Hg] must be lower than systolic 80 mm[Hg]',
    });
    expect(problems({ takenAt: TAKEN_AT, units: METRIC_UNITS, systolic: 80, diastolic: 80 })).toEqual({
      diastolic: 'diastolic 80 mm[Hg] must be lower than systolic 80 mm[Hg]',
    });
  });
  it('needs systolic and diastolic together', () => {
    expect(problems({ takenAt: TAKEN_AT, units: METRIC_UNITS, systolic: 120 })).toEqual({
      diastolic: 'diastolic is missing: blood pressure needs both systolic and diastolic',
    });
    expect(problems({ takenAt: TAKEN_AT, units: METRIC_UNITS, diastolic: 80 })).toEqual({
      systolic: 'systolic is missing: blood pressure needs both systolic and diastolic',
    });
  });
  it('needs at least one value, a time with a zone and all four units', () => {
    expect(problems({ takenAt: TAKEN_AT, units: METRIC_UNITS })).toEqual({ '': 'enter at least one vital sign' });
    expect(problems({ takenAt: '2025-03-04T09:30:00', units: METRIC_UNITS, heartRate: 70 })['takenAt']).toMatch(/ISO date and time/);
    expect(problems({ takenAt: TAKEN_AT, units: { ...METRIC_UNITS, weight: 'stone' }, heartRate: 70 })).toEqual({
      'units.weight': 'weight unit must be kg or lb',
    });
  });
  it('refuses a weight and height whose BMI is impossible (a wrong unit)', () => {
    expect(problems({ takenAt: TAKEN_AT, units: METRIC_UNITS, weight: 200, height: 20 })['']).toMatch(
      /^weight 200 kg with height 20 cm gives a BMI of 5000, which is not possible \(expected 2–250\)/,
    );
  });
  it('normalizes to UCUM observations with BMI computed from lb and in', () => {
    const input: VitalsInputRaw = {
      takenAt: '2025-03-04T09:30:00-05:00',
      units: US_UNITS,
      systolic: 118,
      diastolic: 76,
      heartRate: 72,
      temperature: 98.6,
      height: 70,
      weight: 154,
      painScore: 2,
    };
    expect(normalizeVitals(input)).toEqual([
      { kind: 'systolic', loinc: '8480-6', value: 118, unit: 'mm[Hg]' },
      { kind: 'diastolic', loinc: '8462-4', value: 76, unit: 'mm[Hg]' },
      { kind: 'heartRate', loinc: '8867-4', value: 72, unit: '/min' },
      { kind: 'temperature', loinc: '8310-5', value: 37, unit: 'Cel' },
      { kind: 'height', loinc: '8302-2', value: 177.8, unit: 'cm' },
      { kind: 'weight', loinc: '29463-7', value: 69.853, unit: 'kg' },
      { kind: 'bmi', loinc: '39156-5', value: 22.1, unit: 'kg/m2' },
      { kind: 'painScore', loinc: '72514-3', value: 2, unit: '{score}' },
    ]);
  });
  it('adds no BMI without both weight and height, and converts head circumference', () => {
    const obs = normalizeVitals({ takenAt: TAKEN_AT, units: US_UNITS, weight: 15, headCircumference: 16 });
    expect(obs).toEqual([
      { kind: 'weight', loinc: '29463-7', value: 6.804, unit: 'kg' },
      { kind: 'headCircumference', loinc: '9843-4', value: 40.6, unit: 'cm' },
    ]);
  });
  it('throws rather than normalizing an invalid set', () => {
    expect(() => normalizeVitals({ takenAt: TAKEN_AT, units: METRIC_UNITS, spo2: 101 })).toThrow(/SpO2 101 % is not possible/);
  });
});

describe('age bands', () => {
  it('put band edges where the names say', () => {
    expect(ageBand(0)).toBe('newborn');
    expect(ageBand(28)).toBe('newborn');
    expect(ageBand(29)).toBe('infant');
    expect(ageBand(364)).toBe('infant');
    expect(ageBand(365)).toBe('toddler');
    expect(ageBand(FIVE_YEARS)).toBe('preschool');
    expect(ageBand(Math.floor(18 * YEAR) - 1)).toBe('adolescent');
    expect(ageBand(Math.floor(18 * YEAR))).toBe('adult');
    expect(() => ageBand(-1)).toThrow(RangeError);
  });
});

describe('interpretation for an adult', () => {
  const flag = (kind: Parameters<typeof interpretVital>[0], value: number): string => interpretVital(kind, value, ADULT).flag;

  it('flags blood pressure at its edges', () => {
    expect(interpretVital('systolic', 120, ADULT)).toEqual({ flag: 'N', low: 90, high: 140 });
    // Hypertensive crisis is above 180 and/or above 120 (ACC/AHA 2017).
    expect([89, 90, 139, 140, 180, 181].map((v) => flag('systolic', v))).toEqual(['L', 'N', 'N', 'H', 'H', 'HH']);
    expect([59, 60, 89, 90, 120, 121].map((v) => flag('diastolic', v))).toEqual(['L', 'N', 'N', 'H', 'H', 'HH']);
  });
  it('flags heart and respiratory rate', () => {
    expect([40, 41, 59, 60, 100, 101, 130, 131].map((v) => flag('heartRate', v))).toEqual(['LL', 'L', 'L', 'N', 'N', 'H', 'H', 'HH']);
    expect([8, 9, 11, 12, 20, 21, 24, 25].map((v) => flag('respiratoryRate', v))).toEqual(['LL', 'L', 'L', 'N', 'N', 'H', 'H', 'HH']);
  });
  it('flags fever and hypothermia', () => {
    expect([34.9, 35, 35.99, 36, 37.99].map((v) => flag('temperature', v))).toEqual(['LL', 'L', 'L', 'N', 'N']);
    expect(interpretVital('temperature', 38, ADULT)).toEqual({ flag: 'H', low: 36, high: 38 });
    expect(flag('temperature', toUcum('temperature', 100.4, '[degF]'))).toBe('H');
    expect([39.99, 40].map((v) => flag('temperature', v))).toEqual(['H', 'HH']);
  });
  it('flags SpO2, BMI and pain', () => {
    expect([87, 88, 91, 92, 100].map((v) => flag('spo2', v))).toEqual(['LL', 'L', 'L', 'N', 'N']);
    expect(interpretVital('spo2', 97, ADULT)).toEqual({ flag: 'N', low: 92, high: null });
    expect([18.4, 18.5, 29.9, 30, 39.9, 40].map((v) => flag('bmi', v))).toEqual(['L', 'N', 'N', 'H', 'H', 'HH']);
    expect([0, 6, 7, 10].map((v) => flag('painScore', v))).toEqual(['N', 'N', 'H', 'H']);
  });
  it('does not flag growth measures', () => {
    expect(interpretVital('weight', 300, ADULT)).toEqual({ flag: 'N', low: null, high: null });
    expect(normalBand('height', ADULT)).toBeNull();
  });
});

describe('interpretation for a newborn', () => {
  it('flags heart rate against Fleming centiles', () => {
    expect(interpretVital('heartRate', 180, NEWBORN)).toEqual({ flag: 'H', low: 123, high: 164 });
    expect(interpretVital('heartRate', 140, NEWBORN).flag).toBe('N');
    expect(interpretVital('heartRate', 181, NEWBORN).flag).toBe('HH');
    expect(interpretVital('heartRate', 100, NEWBORN).flag).toBe('LL');
    // 100/min is normal for an adult and critically low for a newborn.
    expect(interpretVital('heartRate', 100, ADULT).flag).toBe('N');
  });
  it('uses the PALS newborn systolic lower limit and no upper limit', () => {
    expect(interpretVital('systolic', 59, NEWBORN)).toEqual({ flag: 'L', low: 60, high: null });
    expect(interpretVital('systolic', 60, NEWBORN).flag).toBe('N');
  });
  it('flags fever at 38.0 °C as for any age', () => {
    expect(interpretVital('temperature', 38, NEWBORN).flag).toBe('H');
    expect(interpretVital('temperature', 37.9, NEWBORN).flag).toBe('N');
  });
});

describe('interpretation for a 5-year-old', () => {
  it('gives a normal heart rate band for charts', () => {
    expect(ageBand(FIVE_YEARS)).toBe('preschool');
    expect(normalBand('heartRate', FIVE_YEARS)).toEqual({ low: 81, high: 123 });
    expect(normalBand('respiratoryRate', FIVE_YEARS)).toEqual({ low: 20, high: 29 });
  });
  it('flags heart and respiratory rate at the band edges', () => {
    expect([64, 65, 80, 81, 122, 123, 135, 136].map((v) => interpretVital('heartRate', v, FIVE_YEARS).flag)).toEqual([
      'LL',
      'L',
      'L',
      'N',
      'N',
      'H',
      'H',
      'HH',
    ]);
    expect([19, 20, 28, 29].map((v) => interpretVital('respiratoryRate', v, FIVE_YEARS).flag)).toEqual(['L', 'N', 'N', 'H']);
  });
  it('uses 70 + 2 × age for the systolic lower limit and AAP 2017 for the upper', () => {
    expect(normalBand('systolic', FIVE_YEARS)).toEqual({ low: 80, high: 103 });
    expect([79, 80, 102, 103, 181].map((v) => interpretVital('systolic', v, FIVE_YEARS).flag)).toEqual(['L', 'N', 'N', 'H', 'HH']);
    expect(normalBand('diastolic', FIVE_YEARS)).toEqual({ low: null, high: 63 });
  });
  it('needs percentiles for BMI, so does not flag it', () => {
    expect(interpretVital('bmi', 35, FIVE_YEARS)).toEqual({ flag: 'N', low: null, high: null });
    expect(normalBand('bmi', FIVE_YEARS)).toBeNull();
  });
});
