/**
 * Referrals, the clinic's address book and hospital care notices (admissions and discharges): the
 * shapes the referrals contract takes and gives, and the pure rules of a referral's life
 * (draft → sent → scheduled → consult note received → closed, or cancelled) and of a discharge's
 * follow-up. The stored row shapes are services/db/schema/records.ts.
 */
import { z } from 'zod';
import { isoDate } from './clinical';
import { addDays, clinicDate, daysBetween } from './dates';
import { CARE_EVENT_KINDS, FOLLOW_UP_STATUSES, REFERRAL_REPLY_DAYS, REFERRAL_STATUSES, REFERRAL_URGENCIES, type ReferralStatus } from './records';

const id = z.uuid('not an id');
const words = (max: number, what: string): z.ZodString => z.string().trim().min(1, `give the ${what}`).max(max, `at most ${max} characters`);
const optionalWords = (max: number): z.ZodOptional<z.ZodString> => z.string().trim().max(max, `at most ${max} characters`).optional();
const dateTime = (what: string): z.ZodISODateTime => z.iso.datetime({ offset: true, error: `${what}: a date and time such as 2026-03-04T09:00:00Z` });

export const referralUrgency = z.enum(REFERRAL_URGENCIES);
export type ReferralUrgency = z.infer<typeof referralUrgency>;
export const referralStatus = z.enum(REFERRAL_STATUSES);
export const REFERRAL_DIRECTIONS = ['out', 'in'] as const;
export const referralDirection = z.enum(REFERRAL_DIRECTIONS);

/** An ICD-10-CM code as typed (checked against the shipped index by the service). */
export const icd10Text = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'not an ICD-10-CM code (e.g. I10, E11.9)');
export const diagnosisList = z.array(icd10Text).max(12, 'at most 12 diagnoses').default([]);

// ---------------------------------------------------------------- the address book

/** A US National Provider Identifier: 10 digits, the last a Luhn check digit over "80840" + the first 9. */
export function isNpi(s: string): boolean {
  if (!/^\d{10}$/.test(s)) return false;
  const digits = `80840${s.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(s[9]);
}

const contactFields = {
  name: words(200, 'name (a person or a department)'),
  organization: optionalWords(200),
  specialty: words(100, 'specialty'),
  npi: z.string().trim().refine(isNpi, 'not an NPI (10 digits with its check digit)').optional(),
  phone: optionalWords(40),
  fax: optionalWords(40),
  email: z.email('not an email address').max(200).optional(),
  directAddress: z.email('a Direct address looks like an email address').max(200).optional(),
  address: optionalWords(500),
  note: optionalWords(1000),
};

export const contactAdd = z.object(contactFields).strict();
/** Changes to an entry: only the fields given change; `null` clears an optional one. */
export const contactUpdate = z
  .object({
    id,
    expectedVersion: z.number().int().positive(),
    name: contactFields.name.optional(),
    specialty: contactFields.specialty.optional(),
    organization: contactFields.organization.unwrap().nullable().optional(),
    npi: contactFields.npi.unwrap().nullable().optional(),
    phone: contactFields.phone.unwrap().nullable().optional(),
    fax: contactFields.fax.unwrap().nullable().optional(),
    email: contactFields.email.unwrap().nullable().optional(),
    directAddress: contactFields.directAddress.unwrap().nullable().optional(),
    address: contactFields.address.unwrap().nullable().optional(),
    note: contactFields.note.unwrap().nullable().optional(),
  })
  .strict();
export const contactsQuery = z
  .object({
    /** Words of the name or organization. */
    query: z.string().trim().max(100).optional(),
    specialty: z.string().trim().max(100).optional(),
    includeRemoved: z.boolean().default(false),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .strict();

export const referralContact = z.object({
  id: z.string(),
  name: z.string(),
  organization: z.string().nullable(),
  specialty: z.string(),
  npi: z.string().nullable(),
  phone: z.string().nullable(),
  fax: z.string().nullable(),
  email: z.string().nullable(),
  directAddress: z.string().nullable(),
  address: z.string().nullable(),
  note: z.string().nullable(),
  removed: z.boolean(),
  version: z.number().int(),
});
export type ReferralContact = z.infer<typeof referralContact>;

// ---------------------------------------------------------------- referrals

export const referralCreate = z
  .object({
    patientId: id,
    encounterId: id.optional(),
    /** The receiving provider from the address book; leave out to refer to a specialty only. */
    contactId: id.optional(),
    /** Required without a contact; with one, defaults to the contact's specialty. */
    specialty: words(100, 'specialty').optional(),
    reason: words(2000, 'reason for the referral'),
    urgency: referralUrgency.default('routine'),
    diagnoses: diagnosisList,
    /** The referring physician (a nurse entering a referral on a physician's behalf must name one; a physician is the default). */
    referringId: id.optional(),
    /** When a reply is expected (default: the day sent + REFERRAL_REPLY_DAYS[urgency]). */
    replyDue: isoDate.optional(),
    /** 'draft' to prepare it, 'sent' when it goes out now. */
    status: z.enum(['draft', 'sent']).default('draft'),
  })
  .strict()
  .refine((r) => r.contactId !== undefined || r.specialty !== undefined, {
    path: ['specialty'],
    message: 'choose a provider from the address book or give the specialty',
  });

/** One step of a referral's life: what it moves to and what that step needs. */
export const referralAdvance = z.discriminatedUnion('to', [
  z.object({ id, expectedVersion: z.number().int().positive().optional(), to: z.literal('sent') }).strict(),
  z
    .object({
      id,
      expectedVersion: z.number().int().positive().optional(),
      to: z.literal('scheduled'),
      appointmentAt: dateTime('appointment'),
    })
    .strict(),
  z
    .object({
      id,
      expectedVersion: z.number().int().positive().optional(),
      to: z.literal('consult_received'),
      /** The consult note: a document filed in the chart (a letter, a scan, or a C-CDA import's document). */
      documentId: z.uuid('not a document id'),
    })
    .strict(),
  z.object({ id, expectedVersion: z.number().int().positive().optional(), to: z.literal('closed'), note: optionalWords(1000) }).strict(),
  z.object({ id, expectedVersion: z.number().int().positive().optional(), to: z.literal('cancelled'), reason: words(1000, 'reason for cancelling') }).strict(),
]);
export type ReferralAdvance = z.output<typeof referralAdvance>;

export const referral = z.object({
  id: z.string(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  direction: referralDirection,
  contactId: z.string().nullable(),
  /** The address book entry as it stands now (null: specialty only, or removed from the book). */
  contact: referralContact.nullable(),
  specialty: z.string(),
  reason: z.string(),
  urgency: referralUrgency,
  diagnoses: z.array(z.object({ code: z.string(), display: z.string().nullable() })),
  status: referralStatus,
  orderedBy: z.string().nullable(),
  orderedByName: z.string().nullable(),
  replyDue: z.string().nullable(),
  sentAt: z.string().nullable(),
  scheduledAt: z.string().nullable(),
  appointmentAt: z.string().nullable(),
  consultReceivedAt: z.string().nullable(),
  consultDocumentId: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedNote: z.string().nullable(),
  externalRef: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Referral = z.infer<typeof referral>;

/** A line of the care-coordination worklist: a referral whose reply is late. */
export const overdueReferral = referral.extend({
  patientName: z.string(),
  mrn: z.string().nullable(),
  /** A restricted chart is listed by the patient's name only: reason and diagnoses are withheld until the glass is broken. */
  restricted: z.boolean(),
  daysOverdue: z.number().int(),
});
export type OverdueReferral = z.infer<typeof overdueReferral>;

/** The states a referral may leave for each other state. Closed and cancelled are the end. */
export const REFERRAL_TRANSITIONS: { readonly [S in ReferralStatus]: readonly ReferralStatus[] } = {
  draft: ['sent', 'cancelled'],
  sent: ['scheduled', 'consult_received', 'cancelled'],
  scheduled: ['scheduled', 'consult_received', 'cancelled'],
  consult_received: ['closed', 'cancelled'],
  closed: [],
  cancelled: [],
};

const IN_WORDS: Readonly<Record<ReferralStatus, string>> = {
  draft: 'a draft',
  sent: 'sent',
  scheduled: 'scheduled',
  consult_received: 'answered (consult note received)',
  closed: 'closed',
  cancelled: 'cancelled',
};

/** Why a referral may not move from `from` to `to`, in words a person can act on; null when it may. */
export function referralTransitionProblem(from: ReferralStatus, to: ReferralStatus): string | null {
  if (REFERRAL_TRANSITIONS[from].includes(to)) return null;
  if (from === 'closed' || from === 'cancelled') return `this referral is ${IN_WORDS[from]}: it can no longer change`;
  if (from === 'draft' && (to === 'scheduled' || to === 'consult_received'))
    return `a referral that was never sent cannot be marked ${to === 'scheduled' ? 'scheduled' : 'answered'}: send it first`;
  if (from === 'draft' && to === 'closed') return 'a referral that was never sent cannot be closed: send it, or cancel it';
  if (to === 'closed') return 'a referral is closed once its consult note is received: record the consult note first, or cancel it';
  if (to === 'sent') return `this referral is already ${IN_WORDS[from]}`;
  if (to === 'scheduled') return 'the consult note is already in: the appointment can no longer be changed';
  if (from === to) return `this referral is already ${IN_WORDS[from]}`;
  return `a referral that is ${IN_WORDS[from]} cannot become ${IN_WORDS[to]}`;
}

/** The day a reply is due: the clinic's day the referral was sent plus the urgency's days (YYYY-MM-DD). */
export function replyDueFrom(sentAt: string, urgency: ReferralUrgency, zone: string): string {
  return addDays(clinicDate(sentAt, zone), REFERRAL_REPLY_DAYS[urgency]);
}

/** Whole days from a due date (YYYY-MM-DD) to the clinic's today (0 on the due day, negative before). */
export function daysPast(due: string, now: Date, zone: string): number {
  return daysBetween(due, clinicDate(now, zone));
}

// ---------------------------------------------------------------- hospital care notices

export const careEventKind = z.enum(CARE_EVENT_KINDS);
export const followUpStatus = z.enum(FOLLOW_UP_STATUSES);

/** A notice that came by phone or fax, entered by staff (HL7 ADT notices are written by the interface). */
export const careRecord = z
  .object({
    patientId: id,
    kind: careEventKind,
    facility: words(200, 'hospital or facility'),
    eventAt: dateTime('admitted or discharged at'),
    reason: optionalWords(1000),
    disposition: optionalWords(200),
    attending: optionalWords(200),
  })
  .strict();

export const careFollowUp = z
  .object({
    id,
    status: z.enum(['done', 'not_needed']),
    note: words(1000, 'note of the follow-up (who was reached, what was arranged, or why none is needed)'),
  })
  .strict();

export const careEvent = z.object({
  id: z.string(),
  patientId: z.string(),
  kind: careEventKind,
  facility: z.string(),
  eventAt: z.string(),
  reason: z.string().nullable(),
  disposition: z.string().nullable(),
  attending: z.string().nullable(),
  followUpDue: z.string().nullable(),
  followUpStatus: followUpStatus,
  followUpBy: z.string().nullable(),
  followUpByName: z.string().nullable(),
  followUpAt: z.string().nullable(),
  followUpNote: z.string().nullable(),
  /** HL7 control id when it came as ADT; null when entered by staff. */
  controlId: z.string().nullable(),
  version: z.number().int(),
});
export type CareEvent = z.infer<typeof careEvent>;

/** A line of the care-coordination list: the notice, its patient, and (admissions) whether a discharge followed. */
export const careListItem = careEvent.extend({
  patientName: z.string(),
  mrn: z.string().nullable(),
  restricted: z.boolean(),
  /** An admission with no later discharge from that facility: the patient is (as far as we know) still in. */
  stillAdmitted: z.boolean(),
  /** Days past the follow-up due date (negative: days left); null when nothing is owed. */
  daysOverdue: z.number().int().nullable(),
});
export type CareListItem = z.infer<typeof careListItem>;

/**
 * The day a discharge's contact call is due: two business days after the discharge (Saturday and
 * Sunday skipped), as the transitional care codes ask (CPT 99495/99496: contact within 2 business days),
 * counted from the clinic's day of the discharge.
 */
export function followUpDueFrom(dischargedAt: string, zone: string): string {
  let day = clinicDate(dischargedAt, zone);
  let left = 2;
  while (left > 0) {
    day = addDays(day, 1);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return day;
}
