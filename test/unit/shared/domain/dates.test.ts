import { describe, expect, it } from 'vitest';
import { formatAge, isIsoDate, parseTypedDate } from '../../../../shared/domain/dates';
import { classifySearch } from '../../../../shared/domain/search';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('1980-02-29')).toBe(true);
    expect(isIsoDate('1981-02-29')).toBe(false);
    expect(isIsoDate('1980-02-31')).toBe(false);
    expect(isIsoDate('1980-13-01')).toBe(false);
    expect(isIsoDate('80-01-01')).toBe(false);
  });
  it('reads typed dates in ISO and US order', () => {
    expect(parseTypedDate('1980-03-04')).toBe('1980-03-04');
    expect(parseTypedDate('03/04/1980')).toBe('1980-03-04');
    expect(parseTypedDate('3/4/1980')).toBe('1980-03-04');
    expect(parseTypedDate('13/04/1980')).toBeNull();
    expect(parseTypedDate('Smith')).toBeNull();
  });
  it('gives ages as a clinician reads them', () => {
    expect(formatAge('1984-02-29', '2026-11-25')).toBe('42 y');
    expect(formatAge('1984-11-26', '2026-11-25')).toBe('41 y');
    expect(formatAge('2025-05-10', '2026-11-25')).toBe('18 mo');
    expect(formatAge('2026-11-10', '2026-11-25')).toBe('15 d');
  });
});

describe('search classification', () => {
  it('tells dates, digits and names apart', () => {
    expect(classifySearch('  ')).toEqual({ kind: 'empty' });
    expect(classifySearch('03/04/1980')).toEqual({ kind: 'birthDate', date: '1980-03-04' });
    expect(classifySearch('(617) 555-0101')).toEqual({ kind: 'digits', digits: '6175550101' });
    expect(classifySearch('Núñez, José')).toEqual({ kind: 'text', terms: ['núñez', 'josé'] });
    expect(classifySearch("O'Brien")).toEqual({ kind: 'text', terms: ['o', 'brien'] });
  });
});
