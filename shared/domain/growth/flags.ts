import type { GrowthAssessment } from './assess';
import { formatPercentile, ordinal } from './format';

/** What a growth measurement can be flagged for. */
export type GrowthFlagCode = 'underweight' | 'overweight' | 'obesity' | 'severeObesity' | 'shortStature' | 'headCrossing';

/** A flag, with the reference table it was judged against. */
export interface GrowthFlag {
  code: GrowthFlagCode;
  /** e.g. 'Obesity: BMI-for-age ≥ 95th percentile'. */
  label: string;
  /** The reference table's name. */
  reference: string;
}

/** Major percentile lines drawn on each source's charts. */
export const MAJOR_PERCENTILES = {
  who: [3, 10, 25, 50, 75, 90, 97],
  cdc: [5, 10, 25, 50, 75, 90, 95],
} as const;

// A value read off a published percentile column computes to within ~1e-7 of that percentile; it is
// on the line, and "at the line" counts as at or above it (≥ 95th is obesity).
const ON_LINE = 1e-6;
const atLeast = (p: number, line: number): boolean => p >= line - ON_LINE;

const isWho = (a: GrowthAssessment): boolean => a.referenceId.startsWith('who');

/** The major lines crossed going from percentile `from` to `to` (a line is crossed when one is below it and the other at or above). */
export function linesCrossed(from: number, to: number, lines: readonly number[]): number[] {
  const crossed = lines.filter((l) => atLeast(from, l) !== atLeast(to, l));
  return to < from ? crossed.reverse() : crossed;
}

function weightFlags(a: GrowthAssessment): { code: GrowthFlagCode; label: string }[] {
  const chart = a.measure === 'bmiForAge' ? 'BMI-for-age' : a.referenceId.includes('wtstat') ? 'weight-for-stature' : 'weight-for-length';
  const p = a.percentile;
  if (!atLeast(p, 5)) return [{ code: 'underweight', label: `Underweight: ${chart} < 5th percentile` }];
  if (atLeast(p, 95)) {
    const flags: { code: GrowthFlagCode; label: string }[] = [{ code: 'obesity', label: `Obesity: ${chart} ≥ 95th percentile` }];
    if (a.measure === 'bmiForAge' && a.percentOfP95 !== undefined && a.percentOfP95 >= 120) {
      flags.push({ code: 'severeObesity', label: `Severe obesity: BMI ≥ 120% of the 95th percentile (${Math.round(a.percentOfP95)}%)` });
    }
    return flags;
  }
  if (atLeast(p, 85)) return [{ code: 'overweight', label: `Overweight: ${chart} 85th to < 95th percentile` }];
  return [];
}

/**
 * Flags for one assessment.
 * - weightForLength, bmiForAge: < 5th percentile underweight; 85th to < 95th overweight; ≥ 95th obesity;
 *   BMI ≥ 120% of the 95th percentile also severe obesity (AAP 2023 class 2).
 * - lengthForAge: < 3rd percentile short stature.
 * - headForAge: crossing two or more major percentile lines since `previous` (another headForAge
 *   assessment); the lines are the current chart's (WHO 3, 10, 25, 50, 75, 90, 97; CDC 5, 10, 25, 50, 75, 90, 95).
 * - weightForAge: none (judged through weight-for-length or BMI).
 */
export function flagsFor(a: GrowthAssessment, previous?: GrowthAssessment | null): GrowthFlag[] {
  const out = (flags: { code: GrowthFlagCode; label: string }[]): GrowthFlag[] => flags.map((f) => ({ ...f, reference: a.reference }));
  switch (a.measure) {
    case 'weightForLength':
    case 'bmiForAge':
      return out(weightFlags(a));
    case 'lengthForAge':
      if (atLeast(a.percentile, 3)) return [];
      return out([{ code: 'shortStature', label: `Short stature: ${isWho(a) ? 'length' : 'stature'}-for-age < 3rd percentile` }]);
    case 'headForAge': {
      if (!previous || previous.measure !== 'headForAge') return [];
      const crossed = linesCrossed(previous.percentile, a.percentile, MAJOR_PERCENTILES[isWho(a) ? 'who' : 'cdc']);
      if (crossed.length < 2) return [];
      const from = formatPercentile(previous.percentile);
      const to = formatPercentile(a.percentile);
      const lines = crossed.map(ordinal).join(', ');
      return out([
        { code: 'headCrossing', label: `Head circumference crossed ${crossed.length} major percentile lines (${lines}): ${from} → ${to} percentile` },
      ]);
    }
    case 'weightForAge':
      return [];
  }
}
