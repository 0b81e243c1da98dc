import { describe, expect, it } from 'vitest';
import { assessGrowth, correctedAgeDays, DAYS_PER_MONTH, lmsAt, valueFromLms, zFromLms, zFromPercentile } from '../../../../../shared/domain/growth';
import { publishedRow, table, tables } from './growth.helpers';

const TEN_YEARS = 120.5 * DAYS_PER_MONTH;

describe('assessGrowth', () => {
  it('a WHO median is the 50th percentile, z 0', () => {
    const a = assessGrowth(tables, { measure: 'weightForAge', sex: 'male', ageDays: 0, value: 3.3464 });
    expect(a).toMatchObject({
      measure: 'weightForAge',
      referenceId: 'who2006-wfa-male',
      reference: 'WHO 2006 weight-for-age (boys, 0–24 months)',
      value: 3.3464,
    });
    expect(a!.z).toBeCloseTo(0, 12);
    expect(a!.percentile).toBeCloseTo(50, 10);
    expect(a!.percentOfP95).toBeUndefined();
  });

  it('a value on a published WHO percentile column is at that percentile', () => {
    const row = publishedRow('who2006-lhfa-girls.csv', (r) => r.age_days === 365);
    const a = assessGrowth(tables, { measure: 'lengthForAge', sex: 'female', ageDays: 365, value: row.P97! });
    expect(a!.percentile).toBeCloseTo(97, 1);
  });

  it('CDC BMI at the published 95th percentile (girl, 10 years): percentile 95, 100% of P95', () => {
    const p95 = publishedRow('cdc2000-bmiagerev.csv', (r) => r.Sex === 2 && r.Agemos === 120.5).P95!;
    const a = assessGrowth(tables, { measure: 'bmiForAge', sex: 'female', ageDays: TEN_YEARS, value: p95 });
    expect(a!.referenceId).toBe('cdc2000-bmiagerev-female');
    expect(a!.percentile).toBeCloseTo(95, 5);
    expect(a!.z).toBeCloseTo(zFromPercentile(95), 6);
    expect(a!.percentOfP95).toBeCloseTo(100, 5);
    const heavier = assessGrowth(tables, { measure: 'bmiForAge', sex: 'female', ageDays: TEN_YEARS, value: 1.3 * p95 });
    expect(heavier!.percentOfP95).toBeCloseTo(130, 5);
  });

  it('weight-for-length is judged at the length, not the age', () => {
    const lms = lmsAt(table('cdc2000-wtleninf-male'), 70.5)!;
    const a = assessGrowth(tables, { measure: 'weightForLength', sex: 'male', ageDays: 200, value: lms.M, lengthCm: 70.5 });
    expect(a).toMatchObject({ referenceId: 'cdc2000-wtleninf-male' });
    expect(a!.percentile).toBeCloseTo(50, 10);
  });

  it('is null where no reference applies or the value is not a measurement', () => {
    expect(assessGrowth(tables, { measure: 'bmiForAge', sex: 'male', ageDays: 400, value: 17 })).toBeNull();
    expect(assessGrowth(tables, { measure: 'weightForLength', sex: 'male', ageDays: 200, value: 8 })).toBeNull();
    expect(assessGrowth(tables, { measure: 'weightForLength', sex: 'male', ageDays: 200, value: 8, lengthCm: 40 })).toBeNull();
    expect(assessGrowth(tables, { measure: 'headForAge', sex: 'male', ageDays: 1200, value: 50 })).toBeNull();
    expect(assessGrowth(tables, { measure: 'weightForAge', sex: 'male', ageDays: 21 * 365.25, value: 70 })).toBeNull();
    expect(assessGrowth(tables, { measure: 'weightForAge', sex: 'male', ageDays: 100, value: 0 })).toBeNull();
    expect(assessGrowth(tables, { measure: 'weightForAge', sex: 'male', ageDays: 100, value: Number.NaN })).toBeNull();
  });

  it('crosses from WHO to CDC at 730 days', () => {
    const who = assessGrowth(tables, { measure: 'weightForAge', sex: 'female', ageDays: 729, value: 12 });
    const cdc = assessGrowth(tables, { measure: 'weightForAge', sex: 'female', ageDays: 730, value: 12 });
    expect(who!.referenceId).toBe('who2006-wfa-female');
    expect(cdc!.referenceId).toBe('cdc2000-wtage-female');
    // Each is judged by its own table: the CDC median at 24 months is heavier than WHO's, so 12 kg sits lower on CDC's chart.
    expect(who!.z).toBeCloseTo(zFromLms(12, lmsAt(table('who2006-wfa-female'), 729)!), 12);
    expect(cdc!.z).toBeCloseTo(zFromLms(12, lmsAt(table('cdc2000-wtage-female'), 730)!), 12);
    expect(cdc!.percentile).toBeLessThan(who!.percentile);
  });
});

describe('correctedAgeDays', () => {
  it('subtracts the weeks born early (280 − GA×7 days) under 37 weeks and 24 months', () => {
    expect(correctedAgeDays(100, 30)).toEqual({ ageDays: 30, corrected: true });
    expect(correctedAgeDays(100, 36.5)).toEqual({ ageDays: 100 - (280 - 256), corrected: true });
    expect(correctedAgeDays(729, 28)).toEqual({ ageDays: 729 - 84, corrected: true });
  });

  it('never goes below 0', () => {
    expect(correctedAgeDays(20, 28)).toEqual({ ageDays: 0, corrected: true });
  });

  it('leaves term babies, unknown GA and children from 24 months alone', () => {
    expect(correctedAgeDays(100, 37)).toEqual({ ageDays: 100, corrected: false });
    expect(correctedAgeDays(100, 40)).toEqual({ ageDays: 100, corrected: false });
    expect(correctedAgeDays(100, null)).toEqual({ ageDays: 100, corrected: false });
    expect(correctedAgeDays(730, 30)).toEqual({ ageDays: 730, corrected: false });
  });

  it('a corrected age is what the chart is read at', () => {
    const { ageDays } = correctedAgeDays(180, 32);
    const lms = lmsAt(table('who2006-wfa-female'), ageDays)!;
    const a = assessGrowth(tables, { measure: 'weightForAge', sex: 'female', ageDays, value: valueFromLms(0, lms) });
    expect(ageDays).toBe(124);
    expect(a!.percentile).toBeCloseTo(50, 8);
  });
});
