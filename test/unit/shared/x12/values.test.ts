import { describe, expect, it } from 'vitest';
import { formatCents, formatD8, formatQuantity, parseCents, parseD8, parsePercent, parseQuantity, parseScaled } from '../../../../shared/x12/values';

describe('amounts', () => {
  it('reads dollars into cents exactly, by the digits', () => {
    expect(parseCents('125')).toBe(12500);
    expect(parseCents('125.5')).toBe(12550);
    expect(parseCents('125.50')).toBe(12550);
    expect(parseCents('125.500')).toBe(12550);
    expect(parseCents('.5')).toBe(50);
    expect(parseCents('-9.00')).toBe(-900);
    expect(parseCents('0.07')).toBe(7);
    // Floating point would make these 1.1*100 = 110.00000000000001 and 0.29*100 = 28.999999999999996.
    expect(parseCents('1.1')).toBe(110);
    expect(parseCents('0.29')).toBe(29);
    expect(parseCents('8513.88')).toBe(851388);
    expect(parseCents('99999999999.99')).toBe(9999999999999);
  });

  it('refuses what is not an amount, or not a whole cent', () => {
    for (const bad of ['', ' ', '.', '-', '1.005', '1e3', '12,50', '$5', '1.2.3', 'abc', '0x10']) expect(parseCents(bad), bad).toBeNull();
    expect(parseScaled('1.005', 3)).toBe(1005);
  });

  it('writes cents with trailing zeros after the point left off', () => {
    expect(formatCents(12550)).toBe('125.5');
    expect(formatCents(12500)).toBe('125');
    expect(formatCents(12505)).toBe('125.05');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(0)).toBe('0');
    expect(formatCents(-900)).toBe('-9');
    for (const c of [0, 1, 10, 99, 100, 101, 12345, 999999999, -1, -12345]) expect(parseCents(formatCents(c))).toBe(c);
  });
});

describe('percents, quantities, dates', () => {
  it('reads EB08 fractions as percents without float noise', () => {
    expect(parsePercent('.2')).toBe(20);
    expect(parsePercent('0.125')).toBe(12.5);
    expect(parsePercent('1')).toBe(100);
    expect(parsePercent('0.07')).toBe(7);
    expect(parsePercent('x')).toBeNull();
    expect(parsePercent('-.2')).toBeNull();
  });

  it('reads and writes quantities', () => {
    expect(parseQuantity('1.00')).toBe(1);
    expect(parseQuantity('2.5')).toBe(2.5);
    expect(parseQuantity('')).toBeNull();
    expect(formatQuantity(1)).toBe('1');
    expect(formatQuantity(1.5)).toBe('1.5');
    expect(formatQuantity(0.125)).toBe('0.125');
    expect(formatQuantity(1.0001)).toBeNull();
    expect(formatQuantity(Number.NaN)).toBeNull();
  });

  it('checks calendar dates both ways', () => {
    expect(parseD8('20240229')).toBe('2024-02-29');
    expect(parseD8('20230229')).toBeNull();
    expect(parseD8('20002316')).toBeNull();
    expect(parseD8('2024011')).toBeNull();
    expect(formatD8('2024-03-01')).toBe('20240301');
    expect(formatD8('2024-13-01')).toBeNull();
    expect(formatD8('03/01/2024')).toBeNull();
  });
});
