import { z } from 'zod';

import { imagingOrder, imagingOrderInput, imagingProcedure } from '../domain/imaging';
import {
  careEvent,
  careFollowUp,
  careListItem,
  careRecord,
  contactAdd,
  contactUpdate,
  contactsQuery,
  overdueReferral,
  referral,
  referralAdvance,
  referralContact,
  referralCreate,
} from '../domain/referrals';

import { channel, none, ofPatient, ofPatientAndVisit } from './channel';

// Who does what (the sync entities' writers agree: shared/sync/entities.ts RECORDS_STAFF):
// - Referrals and care notices are the care-coordination work of physicians, nurses and the front
//   desk: all three see the lists, move a referral along (sent, scheduled, consult note in) and
//   record a hospital's phone or fax notice. Billing sees none of it; the administrator keeps
//   the address book only.
// - Making a referral is a clinical decision: a physician makes it, or a nurse enters it on a
//   named physician's behalf (the letter is signed in the physician's name, with the NPI).
// - Ordering imaging is a physician's, as ordering labs is; physicians and nurses file its report.
const COORDINATION = ['physician', 'nurse', 'front_desk'] as const;
const REFERRING = ['physician', 'nurse'] as const;
const ADDRESS_BOOK = ['physician', 'nurse', 'front_desk', 'admin'] as const;
const byId = z.object({ id: z.uuid('not an id') }).strict();
const pdf = z.object({ fileName: z.string(), base64: z.string() });

/** Referrals, the clinic address book, imaging orders and hospital care notices. */
export const referralsChannels = {
  // ------------------------------------------------------------ the address book
  'referrals.contacts.list': channel({
    doc: "The clinic's address book of specialists and facilities, by name/organization words and specialty.",
    roles: ADDRESS_BOOK,
    scope: 'none',
    input: contactsQuery,
    output: z.array(referralContact),
  }),
  'referrals.contacts.add': channel({
    doc: 'Adds a specialist or facility to the address book.',
    roles: ADDRESS_BOOK,
    scope: 'none',
    input: contactAdd,
    output: referralContact,
  }),
  'referrals.contacts.update': channel({
    doc: 'Changes an address book entry (only the fields given; the version guards a concurrent edit).',
    roles: ADDRESS_BOOK,
    scope: 'none',
    input: contactUpdate,
    output: referralContact,
  }),
  'referrals.contacts.remove': channel({
    doc: 'Removes an entry from the address book (kept for the referrals that name it).',
    roles: ADDRESS_BOOK,
    scope: 'none',
    input: byId,
    output: referralContact,
  }),
  // ------------------------------------------------------------ referrals
  'referrals.create': channel({
    doc: 'Makes a referral (draft, or sent now) to an address book entry or a specialty, with reason, urgency and ICD-10 diagnoses.',
    roles: REFERRING,
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: referralCreate,
    output: referral,
  }),
  'referrals.advance': channel({
    doc: 'Moves a referral along: sent, scheduled (appointment), consult note received (a filed document), closed, or cancelled (with the reason).',
    roles: COORDINATION,
    scope: (i, o) => [o('referral', i.id), i.to === 'consult_received' ? o('document', i.documentId) : undefined],
    input: referralAdvance,
    output: referral,
  }),
  'referrals.get': channel({
    doc: 'One referral.',
    roles: COORDINATION,
    scope: (i, o) => [o('referral', i.id)],
    input: byId,
    output: referral,
  }),
  'referrals.list': channel({
    doc: "A chart's referrals, out and in, newest first.",
    roles: COORDINATION,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid('not a patient id') }).strict(),
    output: z.array(referral),
  }),
  'referrals.overdue': channel({
    doc: 'The care-coordination worklist: referrals sent or scheduled whose reply is past due and no consult note is in, oldest first.',
    roles: COORDINATION,
    // Across charts: a restricted chart is listed by the patient's name only (no reason or diagnoses).
    scope: 'none',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(300) }).strict(),
    output: z.array(overdueReferral),
  }),
  'referrals.letter': channel({
    doc: 'The referral letter to the specialist as a PDF: patient, reason, urgency, diagnoses, problems, medications, allergies, the referring physician.',
    roles: COORDINATION,
    scope: (i, o) => [o('referral', i.id)],
    input: byId,
    output: pdf,
  }),
  'referrals.summary': channel({
    doc: 'The C-CDA Referral Note (XML) of a referral, to send with it.',
    roles: COORDINATION,
    scope: (i, o) => [o('referral', i.id)],
    input: byId,
    output: z.object({ fileName: z.string(), xml: z.string() }),
  }),
  // ------------------------------------------------------------ imaging
  'imaging.catalog': channel({
    doc: 'The imaging studies that may be ordered (LOINC/RSNA Radiology Playbook codes).',
    roles: ['physician', 'nurse', 'front_desk', 'admin'],
    scope: 'none',
    input: none,
    output: z.array(imagingProcedure),
  }),
  'imaging.order': channel({
    doc: 'Orders imaging studies for a patient, with the clinical indication, ICD-10 diagnoses and priority.',
    roles: ['physician'],
    scope: (i, o) => ofPatientAndVisit(i, o),
    input: imagingOrderInput,
    output: imagingOrder,
  }),
  'imaging.list': channel({
    doc: "A chart's imaging orders, newest first, with their status and whether a report arrived.",
    roles: COORDINATION,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid('not a patient id') }).strict(),
    output: z.array(imagingOrder),
  }),
  'imaging.requisition': channel({
    doc: 'An imaging order as a requisition PDF for the imaging center.',
    roles: COORDINATION,
    scope: (i, o) => [o('lab_order', i.id)],
    input: byId,
    output: pdf,
  }),
  'imaging.attachReport': channel({
    doc: "Files a chart document as an imaging order's report: the order is final and the document names it.",
    roles: ['physician', 'nurse'],
    scope: (i, o) => [o('lab_order', i.orderId), o('document', i.documentId)],
    input: z.object({ orderId: z.uuid('not an order id'), documentId: z.uuid('not a document id') }).strict(),
    output: imagingOrder,
  }),
  // ------------------------------------------------------------ hospital care notices
  'care.list': channel({
    doc: 'The care-coordination list: discharges whose follow-up is open (due first), then patients still admitted; with done ones when asked.',
    roles: COORDINATION,
    // Across charts: a restricted chart is listed by the patient's name only.
    scope: 'none',
    input: z.object({ includeClosed: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(300) }).strict(),
    output: z.array(careListItem),
  }),
  'care.forPatient': channel({
    doc: "A chart's admission and discharge notices, newest first.",
    roles: COORDINATION,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid('not a patient id') }).strict(),
    output: z.array(careEvent),
  }),
  'care.record': channel({
    doc: 'Records an admission or discharge notice that came by phone or fax (a discharge opens its follow-up).',
    roles: COORDINATION,
    scope: ofPatient,
    input: careRecord,
    output: careEvent,
  }),
  'care.followUp': channel({
    doc: "Closes a discharge's follow-up: done (who was reached, what was arranged) or not needed (why).",
    roles: COORDINATION,
    scope: (i, o) => [o('care_event', i.id)],
    input: careFollowUp,
    output: careEvent,
  }),
};
