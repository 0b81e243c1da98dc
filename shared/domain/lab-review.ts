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

/**
 * The lab's comments as an observation stores them (`lab_notes`, `lab_order_notes`: JSON arrays of
 * NTE texts): the non-blank texts, or none for null, a result that came without comments, or a
 * value that is not such an array.
 */
export function storedNotes(json: string | number | null | undefined): string[] {
  if (typeof json !== 'string' || json === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(v) ? v.filter((n): n is string => typeof n === 'string' && n.trim() !== '') : [];
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
  /** The lab's comments on this result (NTE after its OBX), e.g. "specimen hemolyzed". */
  notes: z.array(z.string()),
  /** The lab's comments on the whole order (NTE after its OBR): they apply to each of its results. */
  orderNotes: z.array(z.string()),
  /** A corrected result: it replaces an earlier version. */
  corrected: z.boolean(),
  /** The version this one replaces, as it was reported, so whoever acted on it sees what changed. */
  previous: z.object({ value: z.string(), unit: z.string().nullable(), flag: z.string().nullable(), status: z.string(), receivedAt: z.string() }).nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  /** The acknowledgement's note, e.g. why an imported result was filed as reviewed. */
  acknowledgedNote: z.string().nullable(),
});
export type LabResultView = z.infer<typeof labResultView>;

/**
 * One unacknowledged result with whose it is, and whose inbox it is in: the ordering provider's
 * (`orderedById`, the order's provider), or the shared queue every physician sees (null: no order
 * here, or its provider's account is disabled). A restricted chart shows the name only.
 */
export const inboxItem = labResultView.extend({
  patientName: z.string(),
  mrn: z.string().nullable(),
  restricted: z.boolean(),
  orderedById: z.string().nullable(),
  orderedBy: z.string().nullable(),
});
export type InboxItem = z.infer<typeof inboxItem>;

/** Whose results: mine (the results of my orders, and the shared queue of results with no provider) or everyone's. */
export const inboxScope = z.enum(['mine', 'all'], { message: 'choose mine or all' });
export type InboxScope = z.infer<typeof inboxScope>;

export const inboxInput = z.object({ scope: inboxScope.default('mine'), limit: z.number().int().min(1).max(500).default(200) }).strict();

/** A page of the inbox: `total` is how many wait in this scope (the page may hold fewer). */
export const inboxPage = z.object({ items: z.array(inboxItem), total: z.number().int(), scope: inboxScope });
export type InboxPage = z.infer<typeof inboxPage>;

/**
 * Imported history is not news: a lab result brought in by an import (FHIR) and collected more
 * than this many days before the import is filed as already reviewed; a more recent one waits in
 * the inbox like a result from the lab.
 */
export const IMPORTED_RESULT_REVIEW_DAYS = 30;

/** Whether an imported result collected at `effectiveAt` is filed as reviewed when imported at `importedAt`. */
export function fileImportedAsReviewed(effectiveAt: string, importedAt: string): boolean {
  const collected = Date.parse(effectiveAt);
  const imported = Date.parse(importedAt);
  if (Number.isNaN(collected) || Number.isNaN(imported)) return false; // unsure: a person looks at it
  return imported - collected > IMPORTED_RESULT_REVIEW_DAYS * 86_400_000;
}

/** The acknowledgement note of a result filed on import. */
export const FILED_ON_IMPORT_NOTE = `Imported history (collected more than ${IMPORTED_RESULT_REVIEW_DAYS} days before import): filed as reviewed`;

/** A cell carries the lab's comments on its result and order, so a value with a caveat is never shown bare. */
export const cumulativeCell = z.object({ id: z.string(), value: z.string(), flag: z.string().nullable(), severity, notes: z.array(z.string()) });
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

/** What an HL7 message put in front of a person (`hl7_reviews.kind`). */
export const hl7ReviewKind = z.enum(['unmatched', 'ambiguous', 'field_difference', 'merge']);
export type Hl7ReviewKind = z.infer<typeof hl7ReviewKind>;
/** A review's kind as the review queue names it. */
export const HL7_REVIEW_KIND_LABELS: Readonly<Record<Hl7ReviewKind, string>> = {
  field_difference: 'Field difference',
  merge: 'Merge (A40)',
  unmatched: 'Unmatched',
  ambiguous: 'Ambiguous',
};
export const hl7ReviewStatus = z.enum(['open', 'resolved', 'dismissed']);

/** A chart a review names, as far as the viewer may see it: a restricted chart shows its name only. */
export const reviewChart = z.object({
  id: z.string(),
  name: z.string(),
  mrn: z.string().nullable(),
  birthDate: z.string().nullable(),
  restricted: z.boolean(),
});
export type ReviewChart = z.infer<typeof reviewChart>;

/**
 * One HL7 review: a field a message would change that was edited here (field_difference), a merge
 * the sender asked for (merge, A40), or a message tied to no chart (unmatched, ambiguous).
 */
export const hl7Review = z.object({
  id: z.string(),
  kind: hl7ReviewKind,
  status: hl7ReviewStatus,
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** The display name of who decided. */
  resolvedBy: z.string().nullable(),
  message: z.object({ id: z.string(), controlId: z.string(), type: z.string(), sendingFacility: z.string(), receivedAt: z.string() }),
  /** Why it is held, in words. */
  reason: z.string(),
  /** field_difference: the chart; merge: the surviving chart (PID); null when none is found. */
  chart: reviewChart.nullable(),
  /** merge: the chart MRG-1 names, to be merged into `chart`. */
  duplicate: reviewChart.nullable(),
  /** field_difference: the field, its label, the chart's value now and the message's (null: hidden, restricted chart). */
  field: z.string().nullable(),
  fieldLabel: z.string().nullable(),
  local: z.string().nullable(),
  incoming: z.string().nullable(),
  /** unmatched/ambiguous (and merge): who PID names, e.g. "Test, Test · born 2018-02-05 · 12345 (MR, BCBS)". */
  pid: z.string().nullable(),
  /** The decision as recorded: the choice and the reason given. */
  decision: z.string().nullable(),
});
export type Hl7Review = z.infer<typeof hl7Review>;

/** Why a person decided as they did: kept in the audit log. */
const decisionReason = z.string().trim().min(10, 'say why (at least 10 characters)').max(500, 'at most 500 characters');

/** labs.reviews: the open reviews (oldest first) or the decided ones (newest first). */
export const labReviewsInput = z.object({ status: z.enum(['open', 'closed'], { message: 'choose open or closed reviews' }).default('open') }).strict();

/** Keep the chart's value, or take the message's (written through the patients repository). */
export const resolveFieldDifferenceInput = z
  .object({
    reviewId: z.uuid('not a review id'),
    /** The chart the person saw: the review must be about it. */
    patientId: z.uuid('not a patient id'),
    keep: z.enum(['local', 'incoming'], { message: "choose the chart's value (local) or the message's (incoming)" }),
    note: z.string().trim().max(500, 'at most 500 characters').optional(),
  })
  .strict();

/** Approve an A40 merge (the charts the person saw, named) or reject it; either with a reason. */
export const resolveMergeInput = z
  .object({
    reviewId: z.uuid('not a review id'),
    action: z.enum(['merge', 'reject'], { message: 'choose merge or reject' }),
    reason: decisionReason,
    survivorId: z.uuid('not a patient id').optional(),
    duplicateId: z.uuid('not a patient id').optional(),
  })
  .strict()
  .refine((v) => v.action === 'reject' || (v.survivorId !== undefined && v.duplicateId !== undefined), {
    path: ['survivorId'],
    message: 'name both charts to merge',
  })
  .refine((v) => v.survivorId === undefined || v.survivorId !== v.duplicateId, { path: ['duplicateId'], message: 'a chart cannot be merged into itself' });

/** Close an unmatched or ambiguous message without a chart: it stays stored, marked dismissed. */
export const dismissUnmatchedInput = z.object({ reviewId: z.uuid('not a review id'), reason: decisionReason }).strict();
