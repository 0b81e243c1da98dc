import { z } from 'zod';
import { DURATION_TEXT } from '../dates';

// Schedule schema (the JSON file).

const durationText = z.string().regex(DURATION_TEXT, 'must be an age or interval such as "2 months" or "14 weeks 6 days"');
const cvxCode = z.string().regex(/^\d{2,3}$/, 'CVX codes are 2 or 3 digits, e.g. "08", "110"');
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');

/** A minimum (and optionally recommended and overdue) interval from the previous dose or from valid dose N. */
export const intervalRule = z.object({
  fromDose: z.union([z.literal('previous'), z.number().int().positive()]),
  min: durationText,
  recommended: durationText.optional(),
  overdue: durationText.optional(),
});
export type IntervalRule = z.infer<typeof intervalRule>;

/** One dose of a series: ages and intervals that decide when it may be given, is due, is overdue. */
export const doseRule = z.object({
  dose: z.number().int().positive(),
  label: z.string().min(1).optional(),
  /** When present, only these CVX codes count for this dose (e.g. Tdap for the adolescent dose). */
  cvx: z.array(cvxCode).min(1).optional(),
  /** The schedule's recommended window, as printed (documentation for people). */
  window: z.string().optional(),
  recommendedAge: durationText.optional(),
  minAge: durationText,
  /** Inclusive: a dose given on the maximum age date still counts; after it, it does not. */
  maxAge: durationText.optional(),
  overdueAge: durationText.optional(),
  intervals: z.array(intervalRule).default([]),
});
export type DoseRule = z.infer<typeof doseRule>;

const ageLimit = z.object({ age: durationText, label: z.string().min(1) });

/** When a dose plan applies (all given conditions must hold). */
export const variantCondition = z.object({
  /** The first valid dose (or the assessment date when none) is before this age. */
  firstDoseBeforeAge: durationText.optional(),
  /** Every one of the first `firstDoses` doses given (default all) is one of these CVX codes; at least one dose given. */
  allDosesCvx: z.object({ cvx: z.array(cvxCode).min(1), firstDoses: z.number().int().positive().optional() }).optional(),
});
export type VariantCondition = z.infer<typeof variantCondition>;

const variant = z.object({
  id: z.string().min(1),
  when: variantCondition.optional(),
  doses: z.array(doseRule).min(1),
});

const booster = z.object({
  label: z.string().min(1),
  cvx: z.array(cvxCode).min(1),
  minInterval: durationText,
  recommendedInterval: durationText,
  overdueInterval: durationText,
});

const common = {
  id: z.string().regex(/^[a-z0-9-]+$/, 'series id: lower-case letters, digits and dashes'),
  name: z.string().min(1),
  vaccineGroup: z.string().min(1),
  citation: z.string().min(1),
  cvx: z.array(cvxCode).min(1),
};

/** A fixed series (with optional dose plans and an optional repeating booster). */
export const doseSeries = z.object({
  ...common,
  kind: z.literal('series'),
  ageRange: z.object({ from: ageLimit.optional(), until: ageLimit.optional() }).optional(),
  doses: z.array(doseRule).min(1).optional(),
  variants: z.array(variant).min(1).optional(),
  booster: booster.optional(),
});
export type DoseSeries = z.infer<typeof doseSeries>;

/** A seasonal series (influenza): doses per season rather than a fixed count. */
export const seasonalSeries = z.object({
  ...common,
  kind: z.literal('seasonal'),
  season: z.object({ start: monthDay, overdueFrom: monthDay }),
  minAge: durationText,
  recommendedAge: durationText,
  overdueAge: durationText.optional(),
  childTwoDoses: z
    .object({ untilAge: durationText, priorDosesBefore: monthDay, priorDosesNeeded: z.number().int().positive(), minInterval: durationText })
    .optional(),
});
export type SeasonalSeries = z.infer<typeof seasonalSeries>;

export const seriesRule = z.discriminatedUnion('kind', [doseSeries, seasonalSeries]);
export type SeriesRule = z.infer<typeof seriesRule>;

function checkDoses(doses: DoseRule[], seriesCvx: string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  doses.forEach((d, i) => {
    if (d.dose !== i + 1) ctx.addIssue({ code: 'custom', path: [...path, i, 'dose'], message: `dose numbers must run 1, 2, 3…: expected ${i + 1}` });
    for (const c of d.cvx ?? [])
      if (!seriesCvx.includes(c)) ctx.addIssue({ code: 'custom', path: [...path, i, 'cvx'], message: `CVX ${c} is not in the series CVX list` });
    d.intervals.forEach((iv, j) => {
      if (iv.fromDose !== 'previous' && iv.fromDose >= d.dose)
        ctx.addIssue({ code: 'custom', path: [...path, i, 'intervals', j, 'fromDose'], message: 'an interval must refer to an earlier dose' });
      if (iv.fromDose === 'previous' && d.dose === 1)
        ctx.addIssue({ code: 'custom', path: [...path, i, 'intervals', j], message: 'dose 1 has no previous dose' });
    });
  });
}

/** Validates resources/immunizations/schedule.json. */
export const immunizationSchedule = z
  .object({
    title: z.string().min(1),
    version: z.string().min(1),
    gracePeriodDays: z.number().int().min(0).max(7),
    notes: z.array(z.string().min(1)),
    series: z.array(seriesRule).min(1),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.series.forEach((series, i) => {
      if (ids.has(series.id)) ctx.addIssue({ code: 'custom', path: ['series', i, 'id'], message: `duplicate series id "${series.id}"` });
      ids.add(series.id);
      if (series.kind !== 'series') return;
      if ((series.doses === undefined) === (series.variants === undefined))
        ctx.addIssue({ code: 'custom', path: ['series', i], message: 'a series needs exactly one of "doses" or "variants"' });
      if (series.doses) checkDoses(series.doses, series.cvx, ['series', i, 'doses'], ctx);
      series.variants?.forEach((v, j) => {
        checkDoses(v.doses, series.cvx, ['series', i, 'variants', j, 'doses'], ctx);
        const last = j === (series.variants?.length ?? 0) - 1;
        if (last && v.when)
          ctx.addIssue({ code: 'custom', path: ['series', i, 'variants', j, 'when'], message: 'the last variant is the default and must have no "when"' });
      });
      for (const c of series.booster?.cvx ?? [])
        if (!series.cvx.includes(c)) ctx.addIssue({ code: 'custom', path: ['series', i, 'booster', 'cvx'], message: `CVX ${c} is not in the series CVX list` });
    });
  });
export type ImmunizationSchedule = z.infer<typeof immunizationSchedule>;
