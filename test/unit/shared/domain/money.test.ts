import { describe, expect, it } from 'vitest';
import { formatCents, parseDollars } from '../../../../shared/domain/money';

describe('formatCents', () => {
  it('prints dollars with thousands separators and two decimals', () => {
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(100)).toBe('$1.00');
    expect(formatCents(12500)).toBe('$125.00');
    expect(formatCents(123456)).toBe('$1,234.56');
    expect(formatCents(100000000)).toBe('$1,000,000.00');
    expect(formatCents(Number.MAX_SAFE_INTEGER)).toBe('$90,071,992,547,409.91');
  });

  it('prints a credit with a leading minus', () => {
    expect(formatCents(-2500)).toBe('-$25.00');
    expect(formatCents(-7)).toBe('-$0.07');
    expect(formatCents(-0)).toBe('$0.00');
  });

  it('refuses a fraction of a cent instead of rounding it away', () => {
    expect(() => formatCents(10.5)).toThrow(RangeError);
    expect(() => formatCents(Number.NaN)).toThrow(/not a whole number of cents/);
    expect(() => formatCents(0.1 + 0.2)).toThrow(RangeError);
  });
});

describe('parseDollars', () => {
  it('reads the ways people and spreadsheets write dollars', () => {
    expect(parseDollars('125')).toBe(12500);
    expect(parseDollars('125.00')).toBe(12500);
    expect(parseDollars('125.5')).toBe(12550);
    expect(parseDollars(' $1,234.56 ')).toBe(123456);
    expect(parseDollars('.99')).toBe(99);
    expect(parseDollars('0')).toBe(0);
    expect(parseDollars('-12.00')).toBe(-1200);
    expect(parseDollars('-$12.01')).toBe(-1201);
    expect(parseDollars('$-12.01')).toBe(-1201);
    expect(parseDollars('-0.00')).toBe(0);
  });

  it('is exact where a float is not (0.29 * 100 is 28.999999999999996)', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(parseDollars('0.29')).toBe(29);
    expect(parseDollars('1.15')).toBe(115);
    expect(parseDollars('4.35')).toBe(435);
    for (let c = 0; c < 100_000; c += 7) expect(parseDollars(formatCents(c))).toBe(c);
    expect(parseDollars('90,071,992,547,409.91')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('returns null for anything that is not an amount', () => {
    for (const bad of [
      '',
      ' ',
      '$',
      '-',
      '.',
      'abc',
      '12a',
      '1.234',
      '0.105',
      '1,23',
      '12,34.00',
      '1,2345',
      '--5',
      '-$-5',
      '1 000',
      '1e3',
      '0x10',
      '90071992547409.92',
      '1.',
    ]) {
      expect(parseDollars(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
