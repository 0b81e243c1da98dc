import { z } from 'zod';

/**
 * What a clinician sees of lab results: the inbox, a patient's results, the cumulative table, the
 * trend per LOINC code and the queue of results that matched no chart. Pure schemas and rules.
 */

/** HL7 table 0078 flags that call for action now (critically high, low, abnormal). */
export const CRITICAL_FLAGS: readonly string[] = ['HH', 'LL', 'AA'];

export const severity = z.enum(['critical', 'abnormal', 'normal']);
export type Severity = z.infer<typeof severity>;

/** How urgent a result's abnormal flag is: critical (HH/LL/AA), abnormal (any other flag but N), or normal. */
export function flagSeverity(flag: string | null): Severity {
  if (flag === null || flag === '' || flag === 'N') return 'normal';
  return CRITICAL_FLAGS.includes(flag) ? 'critical' : 'abnormal';
}

/** Inbox order: critical, then abnormal, then normal. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, abnormal: 1, normal: 2 };

export const labResultView = z.object({
  id: z.string(),
  patientId: z.string(),
  loinc: z.string(),
  display: z.string(),
  /** The value as shown: the number, the text, or '' (no value yet). */
  value: z.string(),
  valueNum: z.number().nullable(),
  unit: z.string().nullable(),
  refLow: z.number().nullable(),
  refHigh: z.number().nullable(),
  refText: z.string().nullable(),
  flag: z.string().nullable(),
  severity,
  status: z.string(),
  effectiveAt: z.string(),
  /** When Cairn received it. */
  receivedAt: z.string(),
  orderDisplay: z.string().nullable(),
  /** A corrected result: it replaces an earlier version. */
  corrected: z.boolean(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type LabResultView = z.infer<typeof labResultView>;

/** One unacknowledged result with whose it is. A restricted chart shows the name only (no test or value). */
export const inboxItem = labResultView.extend({ patientName: z.string(), mrn: z.string().nullable(), restricted: z.boolean() });
export type InboxItem = z.infer<typeof inboxItem>;

export const cumulativeCell = z.object({ id: z.string(), value: z.string(), flag: z.string().nullable(), severity });
/** Rows are tests (LOINC), columns are collection times, newest first; a cell is null where that test was not done. */
export const cumulativeView = z.object({
  columns: z.array(z.string()),
  rows: z.array(
    z.object({
      loinc: z.string(),
      display: z.string(),
      unit: z.string().nullable(),
      refLow: z.number().nullable(),
      refHigh: z.number().nullable(),
      refText: z.string().nullable(),
      cells: z.array(cumulativeCell.nullable()),
    }),
  ),
});
export type CumulativeView = z.infer<typeof cumulativeView>;

/** One numeric test over time, oldest first, with the reference range of its latest result. */
export const labTrend = z.object({
  loinc: z.string(),
  display: z.string(),
  unit: z.string().nullable(),
  refLow: z.number().nullable(),
  refHigh: z.number().nullable(),
  points: z.array(z.object({ id: z.string(), at: z.string(), value: z.number(), flag: z.string().nullable(), severity })),
});
export type LabTrend = z.infer<typeof labTrend>;

/** A received result message held because it matched no chart (or several). */
export const unmatchedItem = z.object({
  reviewId: z.string(),
  messageId: z.string(),
  kind: z.enum(['unmatched', 'ambiguous']),
  reason: z.string(),
  receivedAt: z.string(),
  controlId: z.string(),
  sendingFacility: z.string(),
  messageType: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  /** PID-3 as "value (type, authority)". */
  identifiers: z.array(z.string()),
  /** How many results the message holds. */
  results: z.number(),
  /** Charts the matcher found for an ambiguous message. */
  candidates: z.array(z.string()),
});
export type UnmatchedItem = z.infer<typeof unmatchedItem>;
