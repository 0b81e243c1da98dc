import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, lmsAt, valueFromLms, zFromLms, zFromPercentile, type Lms } from '../../../../../shared/domain/growth';
import { published, publishedRow, table } from './growth.helpers';

const at = (id: string, x: number): Lms => {
  const lms = lmsAt(table(id), x);
  if (!lms) throw new Error(`no LMS at ${x} in ${id}`);
  return lms;
};

describe('WHO 2006 published values', () => {
  it('boys weight-for-age median: 3.3464 kg at day 0 in the file and from lmsAt', () => {
    expect(publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 0).M).toBe(3.3464);
    expect(at('who2006-wfa-male', 0)).toEqual({ L: 0.3487, M: 3.3464, S: 0.14602 });
  });

  it('boys weight-for-age median at one year: the daily table has 9.646 at day 365; 12 months (365.25 d) gives WHO’s monthly 9.6479', () => {
    expect(publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 365).M).toBe(9.646);
    expect(at('who2006-wfa-male', 365).M).toBe(9.646);
    // WHO's monthly table gives 9.6479 kg at 12 months; the daily rows interpolated at 365.25 days reproduce it.
    expect(at('who2006-wfa-male', 12 * DAYS_PER_MONTH).M).toBeCloseTo(9.6479, 4);
  });

  it.each([
    ['who2006-wfa-boys.csv', 'who2006-wfa-male'],
    ['who2006-wfa-girls.csv', 'who2006-wfa-female'],
    ['who2006-lhfa-girls.csv', 'who2006-lhfa-female'],
    ['who2006-hcfa-boys.csv', 'who2006-hcfa-male'],
  ])('%s: P3, P50 and P97 reproduced from L, M, S within 0.01 at several ages', (file, id) => {
    for (const day of [0, 1, 30, 100, 200, 365, 500, 729, 730]) {
      const row = publishedRow(file, (r) => r.age_days === day);
      const lms = at(id, day);
      expect(Math.abs(valueFromLms(zFromPercentile(3), lms) - row.P3!)).toBeLessThan(0.01);
      expect(Math.abs(valueFromLms(0, lms) - row.P50!)).toBeLessThan(0.001);
      expect(Math.abs(valueFromLms(zFromPercentile(97), lms) - row.P97!)).toBeLessThan(0.01);
    }
  });

  it('keeps the WHO rows used, birth to 730 days, not the file’s 1856', () => {
    const t = table('who2006-wfa-male');
    expect([t.xMin, t.xMax]).toEqual([0, 730]);
    expect(lmsAt(t, 730)).not.toBeNull();
    expect(lmsAt(t, 731)).toBeNull();
    expect(lmsAt(t, -1)).toBeNull();
  });
});

describe('CDC 2000 published values', () => {
  it('girls BMI-for-age 95th percentile at 10 years (Agemos 120.5) is ≈ 22.98 kg/m², reproduced from L, M, S', () => {
    const row = publishedRow('cdc2000-bmiagerev.csv', (r) => r.Sex === 2 && r.Agemos === 120.5);
    expect(row.P95).toBeGreaterThan(22.9);
    expect(row.P95).toBeLessThan(23.0);
    const computed = valueFromLms(zFromPercentile(95), at('cdc2000-bmiagerev-female', 120.5 * DAYS_PER_MONTH));
    expect(Math.abs(computed - row.P95!)).toBeLessThan(1e-6);
  });

  it.each([
    ['cdc2000-bmiagerev.csv', 'bmiagerev', ['P3', 'P5', 'P10', 'P25', 'P50', 'P75', 'P85', 'P90', 'P95', 'P97']],
    ['cdc2000-wtage.csv', 'wtage', ['P3', 'P5', 'P50', 'P95', 'P97']],
    ['cdc2000-statage.csv', 'statage', ['P3', 'P5', 'P50', 'P95', 'P97']],
    ['cdc2000-hcageinf.csv', 'hcageinf', ['P5', 'P50', 'P95']],
  ])('%s: every row used, both sexes, percentile columns reproduced from L, M, S', (file, stem, columns) => {
    for (const row of published(file)) {
      const sex = row.Sex === 1 ? 'male' : 'female';
      const t = table(`cdc2000-${stem}-${sex}`);
      const x = row.Agemos! * DAYS_PER_MONTH;
      if (x < t.xMin || x > t.xMax) continue;
      const lms = at(t.id, x);
      expect(lms).toEqual({ L: row.L, M: row.M, S: row.S });
      for (const c of columns) {
        const p = Number(c.slice(1));
        expect(Math.abs(valueFromLms(zFromPercentile(p), lms) - row[c]!), `${file} ${sex} ${row.Agemos} ${c}`).toBeLessThan(1e-5 * row[c]!);
      }
    }
  });

  it.each([
    ['cdc2000-wtleninf.csv', 'wtleninf', 'Length'],
    ['cdc2000-wtstat.csv', 'wtstat', 'Height'],
  ])('%s: weight-for-length columns P5 and P85 reproduced, x in cm', (file, stem, xName) => {
    for (const row of published(file)) {
      const lms = at(`cdc2000-${stem}-${row.Sex === 1 ? 'male' : 'female'}`, row[xName]!);
      expect(Math.abs(valueFromLms(zFromPercentile(5), lms) - row.P5!)).toBeLessThan(1e-5 * row.P5!);
      expect(Math.abs(valueFromLms(0, lms) - row.P50!)).toBeLessThan(1e-6 * row.P50!);
    }
  });

  it('is used from day 730 (first row 24.0 months = 730.5 days) to 20 years, not after', () => {
    const t = table('cdc2000-bmiagerev-male');
    expect([t.xMin, t.xMax]).toEqual([730, 7305]);
    expect(lmsAt(t, 730)).toEqual(lmsAt(t, 730.5));
    expect(lmsAt(t, 7305)).not.toBeNull();
    expect(lmsAt(t, 7306)).toBeNull();
  });
});

describe('interpolation and the LMS transform', () => {
  it('interpolates L, M and S linearly between the two nearest rows', () => {
    const a = publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 100);
    const b = publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 101);
    const mid = at('who2006-wfa-male', 100.25);
    expect(mid.L).toBeCloseTo(a.L! + 0.25 * (b.L! - a.L!), 12);
    expect(mid.M).toBeCloseTo(a.M! + 0.25 * (b.M! - a.M!), 12);
    expect(mid.S).toBeCloseTo(a.S! + 0.25 * (b.S! - a.S!), 12);
    // Between CDC half months: 10 years 1 month = 121 months lies halfway between 120.5 and 121.5.
    const lo = publishedRow('cdc2000-bmiagerev.csv', (r) => r.Sex === 2 && r.Agemos === 120.5);
    const hi = publishedRow('cdc2000-bmiagerev.csv', (r) => r.Sex === 2 && r.Agemos === 121.5);
    expect(at('cdc2000-bmiagerev-female', 121 * DAYS_PER_MONTH).M).toBeCloseTo((lo.M! + hi.M!) / 2, 12);
  });

  it('round-trips value → z → value for positive, negative and zero L', () => {
    for (const lms of [
      { L: 0.3487, M: 3.3464, S: 0.14602 },
      { L: -2.17, M: 16.86, S: 0.137 },
      { L: 0, M: 10, S: 0.1 },
      { L: 1e-9, M: 10, S: 0.1 },
    ]) {
      for (const z of [-3, -1.5, 0, 0.7, 2, 3]) expect(zFromLms(valueFromLms(z, lms), lms)).toBeCloseTo(z, 9);
    }
  });

  it('uses ln(X/M)/S when L is 0, and agrees with the limit of the power form', () => {
    expect(zFromLms(12, { L: 0, M: 10, S: 0.1 })).toBeCloseTo(Math.log(1.2) / 0.1, 12);
    expect(zFromLms(12, { L: 1e-8, M: 10, S: 0.1 })).toBeCloseTo(Math.log(1.2) / 0.1, 6);
    expect(zFromLms(10, { L: 0.5, M: 10, S: 0.1 })).toBe(0);
  });

  it('has no value where the LMS curve ends (BMI far above the median) and refuses a non-positive measurement', () => {
    expect(valueFromLms(4, { L: -2.17, M: 16.86, S: 0.137 })).toBeNaN();
    expect(() => zFromLms(0, { L: 1, M: 10, S: 0.1 })).toThrow(/not a positive number/);
  });
});
