import { describe, expect, it } from 'vitest';
import { normalCdf, percentileFromZ, zFromPercentile } from '../../../../../shared/domain/growth';

// Reference values of Φ to 16 digits (computed with mpmath at 50 digits).
const PHI: [z: number, phi: number][] = [
  [-8, 6.22096057427178e-16],
  [-5, 2.866515718791939e-7],
  [-3, 0.0013498980316300946],
  [-1.8807936081512509, 0.03],
  [-1, 0.15865525393145707],
  [-0.3, 0.38208857781104733],
  [0, 0.5],
  [0.2, 0.579259709439103],
  [0.6744897501960817, 0.75],
  [1.2815515655446004, 0.9],
  [1.959963984540054, 0.975],
  [2.5, 0.9937903346742238],
  [4, 0.9999683287581669],
];

describe('standard normal', () => {
  it('Φ(1.6448536) is 0.95 to 1e-7 (the 95th percentile line)', () => {
    expect(Math.abs(normalCdf(1.6448536) - 0.95)).toBeLessThan(1e-7);
    expect(percentileFromZ(1.6448536)).toBeCloseTo(95, 5);
  });

  it('Φ matches reference values to 1e-12 relative, tails included', () => {
    for (const [z, phi] of PHI) expect(Math.abs(normalCdf(z) - phi) / phi).toBeLessThan(1e-12);
  });

  it('is symmetric: Φ(−z) = 1 − Φ(z)', () => {
    for (let z = -6; z <= 6; z += 0.37) expect(normalCdf(-z) + normalCdf(z)).toBeCloseTo(1, 14);
  });

  it('zFromPercentile inverts percentileFromZ to 1e-9 across the charts’ range', () => {
    for (let z = -5; z <= 5; z += 0.1234) expect(zFromPercentile(percentileFromZ(z))).toBeCloseTo(z, 9);
    for (const p of [0.1, 3, 5, 10, 25, 50, 75, 85, 90, 95, 97, 99.9]) expect(percentileFromZ(zFromPercentile(p))).toBeCloseTo(p, 10);
  });

  it('knows the chart lines: z at the 3rd, 50th, 85th, 95th, 97th percentiles', () => {
    expect(zFromPercentile(50)).toBe(0);
    expect(zFromPercentile(95)).toBeCloseTo(1.6448536269514722, 12);
    expect(zFromPercentile(97)).toBeCloseTo(1.8807936081512509, 12);
    expect(zFromPercentile(3)).toBeCloseTo(-1.8807936081512509, 12);
    expect(zFromPercentile(85)).toBeCloseTo(1.0364333894937898, 12);
  });

  it('gives ±∞ at 0 and 100 and refuses a percentile outside 0–100', () => {
    expect(zFromPercentile(0)).toBe(-Infinity);
    expect(zFromPercentile(100)).toBe(Infinity);
    expect(() => zFromPercentile(101)).toThrow(/not between 0 and 100/);
    expect(() => zFromPercentile(Number.NaN)).toThrow(RangeError);
  });
});
