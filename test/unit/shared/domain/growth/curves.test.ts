import { describe, expect, it } from 'vitest';
import { percentileCurves } from '../../../../../shared/domain/growth';
import { publishedRow, table } from './growth.helpers';

describe('percentileCurves', () => {
  const t = table('who2006-wfa-male');

  it('draws each percentile over the table’s range, at most 120 points by default, ends kept', () => {
    const curves = percentileCurves(t, [3, 50, 97]);
    expect(curves.map((c) => c.percentile)).toEqual([3, 50, 97]);
    for (const c of curves) {
      expect(c.points.length).toBeLessThanOrEqual(120);
      expect(c.points.length).toBeGreaterThan(100);
      expect(c.points[0]![0]).toBe(0);
      expect(c.points[c.points.length - 1]![0]).toBe(730);
      for (let i = 1; i < c.points.length; i++) expect(c.points[i]![0]).toBeGreaterThan(c.points[i - 1]![0]);
    }
    const [p3, p50, p97] = curves;
    expect(p50!.points[0]![1]).toBeCloseTo(3.3464, 10);
    const day0 = publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 0);
    expect(Math.abs(p3!.points[0]![1] - day0.P3!)).toBeLessThan(0.01);
    expect(Math.abs(p97!.points[0]![1] - day0.P97!)).toBeLessThan(0.01);
  });

  it('honours from, to and maxPoints, interpolating at ends between rows', () => {
    const [c] = percentileCurves(t, [50], 100.5, 200, 11);
    expect(c!.points).toHaveLength(11);
    expect(c!.points[0]![0]).toBe(100.5);
    expect(c!.points[10]![0]).toBe(200);
    const m100 = publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 100).M!;
    const m101 = publishedRow('who2006-wfa-boys.csv', (r) => r.age_days === 101).M!;
    expect(c!.points[0]![1]).toBeCloseTo((m100 + m101) / 2, 10);
  });

  it('clamps to the range used and is empty when the range is', () => {
    const [c] = percentileCurves(t, [50], -100, 5000, 1000);
    expect(c!.points[0]![0]).toBe(0);
    expect(c!.points[c!.points.length - 1]![0]).toBe(730);
    expect(c!.points).toHaveLength(731);
    expect(percentileCurves(t, [50], 800, 900)[0]!.points).toEqual([]);
  });
});
