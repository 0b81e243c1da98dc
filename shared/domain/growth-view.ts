import { z } from 'zod';

// What the growth chart, the vitals panel and the face sheet are shown: the result of judging a
// measurement against its reference table (shared/domain/growth), as contract schemas.

export const GROWTH_MEASURES = ['weightForAge', 'lengthForAge', 'headForAge', 'weightForLength', 'bmiForAge'] as const;
export type GrowthMeasureName = (typeof GROWTH_MEASURES)[number];

/** What a clinician calls each chart. */
export const GROWTH_MEASURE_LABELS: Record<GrowthMeasureName, string> = {
  weightForAge: 'Weight-for-age',
  lengthForAge: 'Length/height-for-age',
  headForAge: 'Head circumference-for-age',
  weightForLength: 'Weight-for-length/height',
  bmiForAge: 'BMI-for-age',
};

/** A flag raised by a percentile, naming the table it was judged against. */
export const growthFlag = z.object({ code: z.string(), label: z.string(), reference: z.string() });
export type GrowthFlagView = z.infer<typeof growthFlag>;

/** One measurement judged against its reference: z-score, percentile (0–100) and flags. */
export const growthReading = z.object({
  measure: z.enum(GROWTH_MEASURES),
  referenceId: z.string(),
  reference: z.string(),
  z: z.number(),
  percentile: z.number(),
  /** BMI-for-age: the BMI as a percentage of the 95th percentile (severe obesity from 120 %). */
  percentOfP95: z.number().nullable(),
  /** The age the reading was judged at was corrected for prematurity. */
  correctedAge: z.boolean(),
  flags: z.array(growthFlag),
});
export type GrowthReading = z.infer<typeof growthReading>;

export const BP_CATEGORIES = ['normal', 'elevated', 'stage1', 'stage2'] as const;

/** A blood pressure reading's category (AAP 2017 for children and adolescents; the clinic's guideline for adults). */
export const bpReading = z.object({
  category: z.enum(BP_CATEGORIES),
  label: z.string(),
  systolicBand: z.string(),
  diastolicBand: z.string(),
  heightPercentile: z.number().nullable(),
  heightPercentileColumn: z.number().nullable(),
  basis: z.string(),
  reference: z.string(),
});
export type BpReading = z.infer<typeof bpReading>;

/** What is known about one stored vital beyond its flag: growth percentiles (weight, height, head, BMI) or a BP category (systolic). */
export const vitalAssessment = z.object({
  growth: z.array(growthReading),
  bp: bpReading.nullable(),
  /** The table a child's heart or respiratory rate flag was judged against, and whether its values were checked against the source. */
  reference: z.object({ name: z.string(), verified: z.boolean(), note: z.string() }).nullable().optional(),
});
export type VitalAssessment = z.infer<typeof vitalAssessment>;

export const ADULT_BP_GUIDELINES = ['acc-aha-2017', 'esc-esh-2018'] as const;
export type AdultBpGuidelineName = (typeof ADULT_BP_GUIDELINES)[number];
export const ADULT_BP_GUIDELINE_LABELS: Record<AdultBpGuidelineName, string> = {
  'acc-aha-2017': 'ACC/AHA 2017 (stage 1 from 130/80)',
  'esc-esh-2018': 'ESC/ESH 2018 (hypertension from 140/90)',
};

/** Gestational age at birth, for correcting a premature baby's age until 24 months. */
export const birthHistory = z.object({
  gestationalWeeks: z.number().int('weeks: a whole number').min(22, 'gestational age: at least 22 weeks').max(44, 'gestational age: at most 44 weeks'),
  gestationalDays: z.number().int('days: a whole number').min(0, 'days: 0 to 6').max(6, 'days: 0 to 6').default(0),
});

/** One measurement as plotted: x is age in days (or length in cm for weight-for-length). */
export const growthPoint = z.object({
  observationId: z.string(),
  at: z.string(),
  ageDays: z.number(),
  x: z.number(),
  value: z.number(),
  reading: growthReading.nullable(),
});
export type GrowthPoint = z.infer<typeof growthPoint>;

/** One reference's part of a chart (WHO 2006 to 24 months, CDC 2000 after), its percentile curves as [x, y] points. */
export const growthSegment = z.object({
  referenceId: z.string(),
  reference: z.string(),
  citation: z.string(),
  source: z.string(),
  xMin: z.number(),
  xMax: z.number(),
  curves: z.array(z.object({ percentile: z.number(), points: z.array(z.tuple([z.number(), z.number()])) })),
});
export type GrowthSegment = z.infer<typeof growthSegment>;

export const growthMeasureChart = z.object({
  measure: z.enum(GROWTH_MEASURES),
  label: z.string(),
  unit: z.string(),
  xUnit: z.enum(['days', 'cm']),
  segments: z.array(growthSegment),
  points: z.array(growthPoint),
});
export type GrowthMeasureChart = z.infer<typeof growthMeasureChart>;

/** A child's growth charts: every measure with its reference curves and the child's points. */
export const growthChart = z.object({
  patientId: z.string(),
  name: z.string(),
  sex: z.string(),
  birthDate: z.string(),
  ageDays: z.number(),
  gestationalAgeWeeks: z.number().nullable(),
  /** Ages are corrected for prematurity on measurements before this date (24 months). */
  correctedUntil: z.string().nullable(),
  /** Why there is nothing to chart (an adult, sex not recorded), else null. */
  unavailable: z.string().nullable(),
  measures: z.array(growthMeasureChart),
  /** The flags of each measure's latest reading. */
  flags: z.array(growthFlag.extend({ at: z.string() })),
});
export type GrowthChart = z.infer<typeof growthChart>;
