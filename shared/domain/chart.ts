import { z } from 'zod';
import { allergy, problem } from './clinical';
import { severity } from './lab-review';
import { allergyStatus, patient } from './patient';
import { vitalAssessment } from './growth-view';

/** HL7 v2 / FHIR interpretation codes used for flags. */
export const interpretationFlag = z.enum(['N', 'L', 'H', 'LL', 'HH', 'A', 'AA']);

/** One stored vital sign (an observation in UCUM units). */
export const vitalObservation = z.object({
  id: z.string(),
  kind: z.string(),
  loinc: z.string(),
  display: z.string(),
  value: z.number(),
  unit: z.string(),
  enteredAs: z.string().nullable(),
  interpretation: z.string().nullable(),
  effectiveAt: z.string(),
  setId: z.string().nullable(),
  encounterId: z.string().nullable(),
  /** A child's growth percentiles, or a reading's blood pressure category (on the systolic). */
  assessment: vitalAssessment.optional(),
});
export type VitalObservation = z.infer<typeof vitalObservation>;

/** A vital over time, with the normal band for the patient's current age (null when none applies). */
export const vitalTrend = z.object({
  kind: z.string(),
  display: z.string(),
  unit: z.string(),
  points: z.array(z.object({ at: z.string(), value: z.number(), flag: z.string().nullable() })),
  band: z.object({ low: z.number().nullable(), high: z.number().nullable() }).nullable(),
});
export type VitalTrend = z.infer<typeof vitalTrend>;

/** Mirrors DueItem in immunizations.ts, as a schema for the contract. */
export const dueItem = z.object({
  seriesId: z.string(),
  series: z.string(),
  vaccineGroup: z.string(),
  status: z.enum(['due', 'overdue', 'complete', 'not_yet_due', 'not_applicable']),
  dosesValid: z.number(),
  dosesRequired: z.number(),
  nextDose: z.number().nullable(),
  earliestDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  overdueDate: z.string().nullable(),
  reason: z.string(),
  citation: z.string(),
  invalidDoses: z.array(z.object({ date: z.string(), cvx: z.string(), why: z.string() })),
});

export const TREND = ['up', 'down', 'steady'] as const;

/** The face sheet: everything a clinician scans before walking into the room. */
export const chartSummary = z.object({
  patient,
  allergyStatus,
  allergies: z.array(allergy),
  problems: z.array(problem),
  medications: z.array(
    z.object({
      courseId: z.string(),
      drugName: z.string(),
      rxcui: z.string().nullable(),
      dose: z.string().nullable(),
      route: z.string().nullable(),
      frequency: z.string().nullable(),
      since: z.string(),
    }),
  ),
  lastVitals: z.array(
    z.object({
      kind: z.string(),
      loinc: z.string(),
      display: z.string(),
      value: z.number(),
      unit: z.string(),
      flag: z.string().nullable(),
      at: z.string(),
      previous: z.number().nullable(),
      trend: z.enum(TREND).nullable(),
      assessment: vitalAssessment.optional(),
    }),
  ),
  immunizationsDue: z.array(dueItem),
  recentNotes: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), kind: z.string(), author: z.string().nullable(), at: z.string() })),
  /**
   * Current lab results, newest first, after any critical one not yet acknowledged (those come
   * first, whatever their age). `value` is as read (display-units): the lab's string, or rounded.
   */
  recentResults: z.array(
    z.object({
      id: z.string(),
      loinc: z.string(),
      display: z.string(),
      value: z.string(),
      unit: z.string().nullable(),
      flag: z.string().nullable(),
      severity,
      acknowledged: z.boolean(),
      at: z.string(),
    }),
  ),
});
export type ChartSummary = z.infer<typeof chartSummary>;
