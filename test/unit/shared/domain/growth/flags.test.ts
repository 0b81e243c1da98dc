import { describe, expect, it } from 'vitest';
import {
  assessGrowth,
  DAYS_PER_MONTH,
  flagsFor,
  lmsAt,
  valueFromLms,
  zFromPercentile,
  type GrowthAssessment,
  type GrowthMeasure,
  type GrowthSex,
} from '../../../../../shared/domain/growth';
import { publishedRow, tables } from './growth.helpers';

const TEN_YEARS = 120.5 * DAYS_PER_MONTH;
const bmiRow = publishedRow('cdc2000-bmiagerev.csv', (r) => r.Sex === 2 && r.Agemos === 120.5);

function assess(measure: GrowthMeasure, ageDays: number, value: number, lengthCm?: number, sex: GrowthSex = 'female'): GrowthAssessment {
  const a = assessGrowth(tables, { measure, sex, ageDays, value, lengthCm });
  if (!a) throw new Error('no assessment');
  return a;
}
const bmi = (value: number): GrowthAssessment => assess('bmiForAge', TEN_YEARS, value);
const codes = (a: GrowthAssessment, prev?: GrowthAssessment): string[] => flagsFor(a, prev).map((f) => f.code);

/** A head circumference at percentile p for a boy of `ageDays`. */
function head(ageDays: number, p: number): GrowthAssessment {
  const t = tables.tables.find(
    (x) => x.measure === 'headForAge' && x.sex === 'male' && ageDays >= x.xMin && ageDays <= x.xMax && ageDays < 730 === x.id.startsWith('who'),
  )!;
  return assess('headForAge', ageDays, valueFromLms(zFromPercentile(p), lmsAt(t, ageDays)!), undefined, 'male');
}

describe('weight flags (BMI-for-age and weight-for-length)', () => {
  it('BMI below the 5th percentile is underweight; at the 5th it is not', () => {
    expect(flagsFor(bmi(bmiRow.P3!))).toEqual([
      { code: 'underweight', label: 'Underweight: BMI-for-age < 5th percentile', reference: 'CDC 2000 BMI-for-age (girls, 2–20 years)' },
    ]);
    expect(codes(bmi(bmiRow.P5!))).toEqual([]);
    expect(codes(bmi(bmiRow.P50!))).toEqual([]);
  });

  it('from the 85th to below the 95th is overweight', () => {
    expect(codes(bmi(bmiRow.P85!))).toEqual(['overweight']);
    expect(flagsFor(bmi(bmiRow.P90!))[0]!.label).toBe('Overweight: BMI-for-age 85th to < 95th percentile');
    expect(codes(bmi(bmiRow.P85! - 0.01))).toEqual([]);
  });

  it('at or above the 95th is obesity; at 120% of the 95th also severe obesity', () => {
    expect(flagsFor(bmi(bmiRow.P95!))).toEqual([
      { code: 'obesity', label: 'Obesity: BMI-for-age ≥ 95th percentile', reference: 'CDC 2000 BMI-for-age (girls, 2–20 years)' },
    ]);
    expect(codes(bmi(bmiRow.P95! - 0.01))).toEqual(['overweight']);
    expect(codes(bmi(1.19 * bmiRow.P95!))).toEqual(['obesity']);
    const severe = flagsFor(bmi(1.2 * bmiRow.P95!));
    expect(severe.map((f) => f.code)).toEqual(['obesity', 'severeObesity']);
    expect(severe[1]!.label).toBe('Severe obesity: BMI ≥ 120% of the 95th percentile (120%)');
  });

  it('weight-for-length flags name their chart', () => {
    const row = publishedRow('cdc2000-wtleninf.csv', (r) => r.Sex === 1 && r.Length === 70.5);
    const wfl = (v: number): GrowthAssessment => assess('weightForLength', 200, v, 70.5, 'male');
    expect(flagsFor(wfl(row.P3!))[0]!.label).toBe('Underweight: weight-for-length < 5th percentile');
    expect(codes(wfl(row.P90!))).toEqual(['overweight']);
    expect(codes(wfl(row.P97!))).toEqual(['obesity']);
    const stature = assess('weightForLength', 1000, 30, 100, 'male');
    expect(flagsFor(stature)[0]!.label).toBe('Obesity: weight-for-stature ≥ 95th percentile');
  });
});

describe('short stature and weight-for-age', () => {
  it('length-for-age below the 3rd percentile is short stature', () => {
    const row = publishedRow('who2006-lhfa-girls.csv', (r) => r.age_days === 365);
    expect(flagsFor(assess('lengthForAge', 365, row.P3! - 0.2))).toEqual([
      { code: 'shortStature', label: 'Short stature: length-for-age < 3rd percentile', reference: 'WHO 2006 length-for-age (girls, 0–24 months)' },
    ]);
    expect(codes(assess('lengthForAge', 365, row.P3! + 0.2))).toEqual([]);
    const cdc = publishedRow('cdc2000-statage.csv', (r) => r.Sex === 2 && r.Agemos === 120.5);
    expect(flagsFor(assess('lengthForAge', TEN_YEARS, cdc.P3! - 0.5))[0]!.label).toBe('Short stature: stature-for-age < 3rd percentile');
  });

  it('weight-for-age raises no flag of its own', () => {
    expect(codes(assess('weightForAge', 100, 2))).toEqual([]);
  });
});

describe('head circumference crossing major percentile lines', () => {
  it('crossing two lines since the last visit is flagged, naming both percentiles and the lines', () => {
    const f = flagsFor(head(200, 20), head(100, 70));
    expect(f).toEqual([
      {
        code: 'headCrossing',
        label: 'Head circumference crossed 2 major percentile lines (50th, 25th): 70th → 20th percentile',
        reference: 'WHO 2006 head circumference-for-age (boys, 0–24 months)',
      },
    ]);
    expect(codes(head(200, 80), head(100, 30))).toEqual(['headCrossing']);
  });

  it('crossing one line, or none, is not', () => {
    expect(codes(head(200, 40), head(100, 70))).toEqual([]);
    expect(codes(head(200, 60), head(100, 55))).toEqual([]);
    expect(codes(head(200, 60))).toEqual([]);
    expect(flagsFor(head(200, 5), null)).toEqual([]);
  });

  it('uses the current chart’s lines: WHO 3 and 97, CDC 5 and 95', () => {
    // 96th → 89th crosses CDC's 95 and 90 (two lines) but only WHO's 90 (one).
    expect(codes(head(900, 89), head(800, 96))).toEqual(['headCrossing']);
    expect(codes(head(300, 89), head(200, 96))).toEqual([]);
    // 4th → 11th crosses CDC's 5 and 10 but only WHO's 10.
    expect(codes(head(900, 11), head(800, 4))).toEqual(['headCrossing']);
    expect(codes(head(300, 11), head(200, 4))).toEqual([]);
    // 2nd → 11th crosses WHO's 3 and 10.
    expect(codes(head(300, 11), head(200, 2))).toEqual(['headCrossing']);
  });

  it('only compares head with head', () => {
    expect(codes(head(200, 5), assess('weightForAge', 100, 8))).toEqual([]);
  });
});
