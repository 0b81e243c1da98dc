import { z } from 'zod';

import { labOrder, labOrderInput, labOrderStatusInput, orderSet } from '../domain/lab-orders';
import {
  cumulativeView,
  dismissUnmatchedInput,
  hl7Review,
  inboxInput,
  inboxPage,
  labResultView,
  labReviewsInput,
  labTrend,
  resolveFieldDifferenceInput,
  resolveMergeInput,
  unmatchedItem,
} from '../domain/lab-review';

import { CLINICAL, CLINICAL_WRITE, PHYSICIAN } from './roles';
import { channel, none, ofPatient, ofPatientAndVisit } from './channel';

/** The labs area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const labsChannels = {
  'labs.inbox': channel({
    doc: "Lab results to review, across charts (the clinician's inbox).",
    // Lab results: clinicians review and acknowledge; the administrator may read them and work the unmatched queue.
    roles: CLINICAL,
    // Across charts: a restricted chart's results are listed by the patient's name only, by the repository.
    scope: 'none',
    input: inboxInput,
    output: inboxPage,
  }),
  'labs.acknowledge': channel({
    doc: 'Acknowledges results (one acknowledged before is left as it was).',
    roles: CLINICAL_WRITE,
    scope: (i, o) => i.observationIds.map((id) => o('observation', id)),
    input: z
      .object({
        observationIds: z.array(z.uuid('not a result id')).min(1, 'choose at least one result').max(500),
        note: z.string().trim().max(500, 'at most 500 characters').optional(),
      })
      .strict(),
    /** The results acknowledged now (one acknowledged before is left as it was). */
    output: z.object({ acknowledged: z.array(z.string()) }),
  }),
  'labs.patientResults': channel({
    doc: "A patient's lab results, newest first.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(labResultView),
  }),
  'labs.resultVersions': channel({
    doc: 'Every version of one lab result (preliminary, final, corrections, late resends), oldest first, and which is current.',
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid(), id: z.uuid('not a result id') }).strict(),
    output: z.object({ currentId: z.string().nullable(), versions: z.array(labResultView) }),
  }),
  'labs.cumulative': channel({
    doc: "A patient's results as a cumulative table (tests by date).",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: cumulativeView,
  }),
  'labs.trend': channel({
    doc: "One test's results over time for a patient.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid(), loinc: z.string().trim().min(1).max(40) }).strict(),
    output: labTrend,
  }),
  'labs.unmatched': channel({
    doc: 'Lab messages that matched no chart yet.',
    roles: CLINICAL,
    // The queue holds messages tied to no chart yet.
    scope: 'none',
    input: none,
    output: z.array(unmatchedItem),
  }),
  'labs.matchToPatient': channel({
    doc: "Files an unmatched lab message's results in a patient's chart.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ reviewId: z.uuid('not a review id'), patientId: z.uuid('not a patient id') }).strict(),
    output: z.object({ reviewId: z.string(), patientId: z.string(), results: z.number() }),
  }),
  'labs.orderSets': channel({
    doc: "The clinic's lab order sets and tests.",
    // Lab orders: the physician orders; the nurse also records collection and results arriving.
    roles: CLINICAL,
    scope: 'none',
    input: none,
    output: z.array(orderSet),
  }),
  'labs.order': channel({
    doc: 'Orders lab tests for a patient.',
    roles: PHYSICIAN,
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: labOrderInput,
    output: labOrder,
  }),
  'labs.orders': channel({
    doc: "A patient's lab orders and their status.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid('not a patient id') }).strict(),
    output: z.array(labOrder),
  }),
  'labs.orderStatus': channel({
    doc: 'Moves a lab order to another status (collected, resulted, cancelled…).',
    roles: CLINICAL_WRITE,
    scope: (i, o) => [o('lab_order', i.id)],
    input: labOrderStatusInput,
    output: labOrder,
  }),
  'labs.requisitionPdf': channel({
    doc: 'A lab order as a requisition PDF.',
    roles: CLINICAL,
    scope: (i, o) => [o('lab_order', i.id)],
    input: z.object({ id: z.uuid('not a lab order id') }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string() }),
  }),
  'labs.orderMessage': channel({
    doc: 'The ORM^O01 text of a lab order for the lab interface (CR-separated segments).',
    roles: CLINICAL,
    scope: (i, o) => [o('lab_order', i.id)],
    input: z.object({ id: z.uuid('not a lab order id') }).strict(),
    output: z.object({ placerNumber: z.string(), controlId: z.string(), message: z.string() }),
  }),
  'labs.reviews': channel({
    doc: 'HL7 messages held for a person: demographic differences, possible duplicates, unmatched.',
    // HL7 reviews: who works the unmatched queue settles demographic differences and closes held messages;
    // a merge of two charts is a chart identity decision, as for sync duplicates.
    roles: CLINICAL,
    // Across charts: a restricted chart's values are hidden by the service. A decision names the charts the
    // person saw, and the service refuses it unless they are the review's.
    scope: 'none',
    input: labReviewsInput,
    output: z.array(hl7Review),
  }),
  'labs.resolveFieldDifference': channel({
    doc: 'Settles a demographic difference between a lab message and the chart.',
    roles: CLINICAL,
    scope: ofPatient,
    input: resolveFieldDifferenceInput,
    output: hl7Review,
  }),
  'labs.resolveMerge': channel({
    doc: 'Settles a possible duplicate a lab message revealed: merge or keep apart.',
    roles: ['physician', 'admin'],
    scope: (i) => [i.survivorId, i.duplicateId],
    input: resolveMergeInput,
    output: hl7Review,
  }),
  'labs.dismissUnmatched': channel({
    doc: 'Closes a held unmatched message, with the reason.',
    roles: CLINICAL,
    // Held messages are tied to no chart.
    scope: 'none',
    input: dismissUnmatchedInput,
    output: hl7Review,
  }),
};
