import { describe, expect, it } from 'vitest';
import { clinicDate, clinicDayReader, formatAge, isIsoDate, parseTypedDate } from '../../../../shared/domain/dates';
import { classifySearch } from '../../../../shared/domain/search';

describe('calendar dates', () => {
  it("reads stored dates and timestamps as the clinic's days, row after row", () => {
    const day = clinicDayReader('America/New_York');
    expect(day('2026-12-07')).toBe('2026-12-07'); // a date is a date
    expect(day('2026-12-07T01:30:00.000Z')).toBe('2026-12-06'); // 20:30 the evening before
    expect(day('2026-12-07T05:00:00.000Z')).toBe('2026-12-07');
    expect(day('2026-12-07T01:59:00.000Z')).toBe('2026-12-06'); // the same hour, from the cache
    expect(day('2026-07-07T03:30:00.000Z')).toBe('2026-07-06'); // summer time: −4 h
    expect(day('2026-03-08T06:30:00.000Z')).toBe('2026-03-08'); // the morning of the spring change
    expect(day('2026-12-06T20:00:00-05:00')).toBe('2026-12-06'); // a stored offset is read as given
    expect(day('not a timestamp')).toBe('not a time');
    const auckland = clinicDayReader('Pacific/Auckland');
    expect(auckland('2026-12-06T20:00:00Z')).toBe('2026-12-07');
    // Half an hour off UTC (India, +5:30): the day changes at 18:30 UTC, inside an hour.
    const kolkata = clinicDayReader('Asia/Kolkata');
    expect(kolkata('2026-12-06T18:10:00.000Z')).toBe('2026-12-06');
    expect(kolkata('2026-12-06T18:40:00.000Z')).toBe('2026-12-07');
  });

  it("gives the clinic's day of an instant, not UTC's", () => {
    // 20:30 in New York on 6 December is 01:30 UTC on the 7th; 09:00 in Auckland on the 7th is the 6th in UTC.
    expect(clinicDate('2026-12-07T01:30:00Z', 'America/New_York')).toBe('2026-12-06');
    expect(clinicDate(Date.parse('2026-12-06T20:00:00Z'), 'Pacific/Auckland')).toBe('2026-12-07');
    expect(clinicDate(new Date('2026-12-07T05:00:00Z'), 'America/New_York')).toBe('2026-12-07');
    // Across the spring change (2 a.m. becomes 3 a.m.), 23:30 the evening before is still that day.
    expect(clinicDate('2026-03-08T04:30:00Z', 'America/New_York')).toBe('2026-03-07');
  });
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
