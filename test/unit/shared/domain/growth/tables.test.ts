import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, GROWTH_FILES, parseCdcTable, parseWhoTable, referenceFor, type GrowthMeasure } from '../../../../../shared/domain/growth';
import { DIR, read, tables } from './growth.helpers';

/** The file's text with line `n` (1-based) replaced. */
function withLine(file: string, n: number, replacement: string): string {
  const lines = read(file).split('\n');
  lines[n - 1] = replacement;
  return lines.join('\n');
}

describe('the shipped files', () => {
  it('GROWTH_FILES names growth files shipped in resources/growth, each once', () => {
    const shipped = readdirSync(DIR);
    const named = GROWTH_FILES.map((f) => f.file);
    expect(new Set(named).size).toBe(named.length);
    for (const f of named) expect(shipped).toContain(f);
  });

  it('builds every table: WHO and CDC, both sexes, with names a clinician reads', () => {
    const ids = tables.tables.map((t) => t.id).sort();
    expect(ids).toHaveLength(18);
    expect(ids).toContain('who2006-wfa-male');
    expect(ids).toContain('cdc2000-bmiagerev-female');
    const names = Object.fromEntries(tables.tables.map((t) => [t.id, t.name]));
    expect(names['who2006-wfa-male']).toBe('WHO 2006 weight-for-age (boys, 0–24 months)');
    expect(names['cdc2000-bmiagerev-female']).toBe('CDC 2000 BMI-for-age (girls, 2–20 years)');
    expect(names['cdc2000-wtleninf-male']).toBe('CDC 2000 weight-for-length (boys, 45–103.5 cm)');
    for (const t of tables.tables) {
      expect(t.citation).toMatch(/https:\/\//);
      for (let i = 1; i < t.rows.length; i++) expect(t.rows[i]!.x).toBeGreaterThan(t.rows[i - 1]!.x);
      expect(t.rows[0]!.x).toBeLessThanOrEqual(t.xMin + DAYS_PER_MONTH / 2);
      expect(t.rows[t.rows.length - 1]!.x).toBeGreaterThanOrEqual(t.xMax);
    }
  });
});

describe('parsers refuse a malformed row, naming the file and line', () => {
  it('WHO: a value that is not a number', () => {
    const text = withLine('who2006-wfa-boys.csv', 12, '10,0.2,abc,0.13\r');
    expect(() => parseWhoTable(text, 'who2006-wfa-boys.csv', 'weightForAge', 'male')).toThrow("who2006-wfa-boys.csv line 12: M is 'abc', not a number");
  });

  it('WHO: a missing S, a non-positive M, rows out of order, a wrong header', () => {
    const f = 'who2006-lhfa-girls.csv';
    expect(() => parseWhoTable(withLine(f, 5, '3,1,49.6'), f, 'lengthForAge', 'female')).toThrow(`${f} line 5: S is missing`);
    expect(() => parseWhoTable(withLine(f, 6, '4,1,0,0.03'), f, 'lengthForAge', 'female')).toThrow(`${f} line 6: M and S must be positive`);
    expect(() => parseWhoTable(withLine(f, 7, '2,1,49.6,0.03'), f, 'lengthForAge', 'female')).toThrow(`${f} line 7: 2 does not follow 4`);
    expect(() => parseWhoTable(withLine(f, 1, 'day,L,M,S'), f, 'lengthForAge', 'female')).toThrow(`${f} line 1: header must begin age_days,L,M,S`);
    expect(() => parseWhoTable(read(f), f, 'bmiForAge', 'female')).toThrow(/not one the product uses/);
  });

  it('CDC: a bad sex code, a bad number, the wrong measure, an unknown file', () => {
    const f = 'cdc2000-bmiagerev.csv';
    expect(() => parseCdcTable(withLine(f, 4, '3,25.5,-1.9,16.4,0.08'), f, 'bmiForAge')).toThrow(`${f} line 4: Sex is '3', not 1 (male) or 2 (female)`);
    expect(() => parseCdcTable(withLine(f, 300, '2,100.5,-2.1,,0.13'), f, 'bmiForAge')).toThrow(`${f} line 300: M is missing`);
    expect(() => parseCdcTable(read(f), f, 'weightForAge')).toThrow(`${f}: this file is bmiForAge, not weightForAge`);
    expect(() => parseCdcTable(read(f), 'cdc2000-bmiage.csv', 'bmiForAge')).toThrow(/not a CDC 2000 file this product knows/);
  });

  it('CDC: skips its repeated header line but not a truncated file', () => {
    expect(read('cdc2000-bmiagerev.csv').split('\n')[220]).toMatch(/^Sex,Agemos/);
    expect(parseCdcTable(read('cdc2000-bmiagerev.csv'), 'cdc2000-bmiagerev.csv', 'bmiForAge')).toHaveLength(2);
    const truncated = read('cdc2000-wtage.csv').split('\n').slice(0, 300).join('\n');
    expect(() => parseCdcTable(truncated, 'cdc2000-wtage.csv', 'weightForAge')).toThrow(/girls' rows do not cover 2–20 years/);
  });
});

describe('referenceFor: WHO to 24 months, CDC from 2 years', () => {
  const id = (measure: GrowthMeasure, ageDays: number, lengthCm?: number): string | null =>
    referenceFor(tables, measure, 'female', ageDays, lengthCm)?.id ?? null;

  it('weight-for-age and length-for-age: WHO before day 730, CDC from day 730 to 20 years, nothing after', () => {
    expect(id('weightForAge', 0)).toBe('who2006-wfa-female');
    expect(id('weightForAge', 729.9)).toBe('who2006-wfa-female');
    expect(id('weightForAge', 730)).toBe('cdc2000-wtage-female');
    expect(id('weightForAge', 7305)).toBe('cdc2000-wtage-female');
    expect(id('weightForAge', 7306)).toBeNull();
    expect(id('lengthForAge', 400)).toBe('who2006-lhfa-female');
    expect(id('lengthForAge', 4000)).toBe('cdc2000-statage-female');
    expect(id('weightForAge', -1)).toBeNull();
  });

  it('head circumference: WHO, then CDC to 36 months, then none', () => {
    expect(id('headForAge', 700)).toBe('who2006-hcfa-female');
    expect(id('headForAge', 730)).toBe('cdc2000-hcageinf-female');
    expect(id('headForAge', 36 * DAYS_PER_MONTH)).toBe('cdc2000-hcageinf-female');
    expect(id('headForAge', 36 * DAYS_PER_MONTH + 1)).toBeNull();
  });

  it('weight-for-length: CDC wtleninf under 2 years, wtstat to 5 years, within each table’s lengths', () => {
    expect(id('weightForLength', 100, 60)).toBe('cdc2000-wtleninf-female');
    expect(id('weightForLength', 100)).toBe('cdc2000-wtleninf-female');
    expect(id('weightForLength', 100, 44.9)).toBeNull();
    expect(id('weightForLength', 800, 85)).toBe('cdc2000-wtstat-female');
    expect(id('weightForLength', 800, 76)).toBeNull();
    expect(id('weightForLength', 60 * DAYS_PER_MONTH, 110)).toBe('cdc2000-wtstat-female');
    expect(id('weightForLength', 60 * DAYS_PER_MONTH + 1, 110)).toBeNull();
  });

  it('BMI-for-age: none before 2 years, CDC after', () => {
    expect(id('bmiForAge', 729)).toBeNull();
    expect(id('bmiForAge', 730)).toBe('cdc2000-bmiagerev-female');
    expect(referenceFor(tables, 'bmiForAge', 'male', 3650)?.id).toBe('cdc2000-bmiagerev-male');
  });
});
