import { z } from 'zod';
import { SUBSTANCE_TYPES } from '../domain/clinical';
import { attachmentType, REPORTED_KINDS, type ReportedKind } from '../domain/portal';
import type { Role } from '../domain/user';
import { channel, ofPatient } from './channel';

/**
 * The desk side of the patient portal: staff invite patients (and parents or guardians), answer
 * their messages and review what they report on intake forms. What the portal writes reaches the
 * desktop by sync (portal_threads, portal_messages, patient_reported_items); what staff write here
 * goes back the same way (row + audit + outbox in one transaction).
 */

/** Staff who give portal access: anyone who registers patients. */
const ACCESS: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];
/** Staff who read and answer portal messages (never billing: messages hold health information). */
const MESSAGES: readonly Role[] = ['physician', 'nurse', 'front_desk'];
/** A chart note from a thread, a confidential mark: clinicians only. */
const CLINICAL: readonly Role[] = ['physician', 'nurse'];
/**
 * Who reviews patient-reported items. The channel lets the front desk in, but only for
 * demographics and insurance: they see only those kinds, and accepting or declining a clinical kind
 * (allergy, medication, score, answer) needs a physician or nurse (refused `forbidden`).
 */
const INTAKE: readonly Role[] = ['physician', 'nurse', 'front_desk'];
/** The kinds the front desk may see, accept and decline. */
export const FRONT_DESK_KINDS: readonly ReportedKind[] = ['demographics', 'insurance'];

const id = z.uuid();
const reason = (what: string): z.ZodString => z.string().trim().min(3, `say why ${what}`).max(500);

export const INVITE_STATUSES = ['pending', 'redeemed', 'expired', 'revoked'] as const;
/** One invitation as the chart's portal card shows it (never the code: only its hash is kept). */
export const portalInviteView = z.object({
  id: z.string(),
  patientId: z.string(),
  kind: z.enum(['self', 'proxy']),
  proxyName: z.string().nullable(),
  proxyRelationship: z.string().nullable(),
  createdAt: z.string(),
  /** The staff member who made it (display name, or their id if unknown). */
  createdBy: z.string(),
  expiresAt: z.string(),
  redeemedAt: z.string().nullable(),
  /** The portal account that used the code. */
  redeemedAccount: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  /** Derived: revoked, else redeemed, else expired (past expiresAt), else pending. */
  status: z.enum(INVITE_STATUSES),
});
export type PortalInviteView = z.infer<typeof portalInviteView>;

export const THREAD_STATUSES = ['open', 'closed'] as const;
/** A thread in the inbox. On a restricted chart the subject is withheld (null) until the glass is broken. */
export const portalThreadSummary = z.object({
  id: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  restricted: z.boolean(),
  subject: z.string().nullable(),
  status: z.enum(THREAD_STATUSES),
  assignedTo: z.string().nullable(),
  assignedName: z.string().nullable(),
  /** patient | proxy | staff */
  openedBy: z.string(),
  lastMessageAt: z.string(),
  messageCount: z.number(),
  /** The patient (or proxy) wrote last: no staff reply since. */
  awaitingReply: z.boolean(),
  /** The chart note the thread became, if it did. */
  noteId: z.string().nullable(),
});
export type PortalThreadSummary = z.infer<typeof portalThreadSummary>;

export const portalMessageView = z.object({
  id: z.string(),
  threadId: z.string(),
  authorKind: z.enum(['patient', 'proxy', 'staff']),
  authorName: z.string(),
  body: z.string(),
  sentAt: z.string(),
  /** Metadata only: the file itself is fetched (and audited) with portal.attachment. */
  attachment: z.object({ name: z.string(), type: z.string(), bytes: z.number() }).nullable(),
});
export type PortalMessageView = z.infer<typeof portalMessageView>;

export const portalThreadView = z.object({ thread: portalThreadSummary, messages: z.array(portalMessageView) });
export type PortalThreadView = z.infer<typeof portalThreadView>;

export const REPORTED_STATUSES = ['pending', 'accepted', 'declined'] as const;
/** One patient-reported item, with what the chart holds now for the same thing (so nothing is overwritten unseen). */
export const reportedItemView = z.object({
  id: z.string(),
  submissionId: z.string(),
  itemId: z.string(),
  kind: z.enum(REPORTED_KINDS),
  label: z.string(),
  /** The answer as the patient gave it (shape by kind: shared/domain/portal.ts reported* schemas). */
  value: z.unknown(),
  /** The answer in plain words, as the review screen shows it. */
  text: z.string(),
  /** What the chart holds now for the same field or substance, in plain words (null: nothing to compare). */
  chartNow: z.string().nullable(),
  status: z.enum(REPORTED_STATUSES),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  /** `entity:id` of the chart record an accepted item became (null: accepted with no chart change). */
  chartRecord: z.string().nullable(),
  version: z.number(),
});
export type ReportedItemView = z.infer<typeof reportedItemView>;

/** One form as the patient sent it, its items in form order. */
export const reportedSubmission = z.object({
  submissionId: z.string(),
  formId: z.string(),
  formTitle: z.string(),
  submittedAt: z.string(),
  /** patient | proxy */
  submittedBy: z.string(),
  appointmentId: z.string().nullable(),
  items: z.array(reportedItemView),
});
export type ReportedSubmission = z.infer<typeof reportedSubmission>;

export const confidentialMark = z.object({
  id: z.string(),
  patientId: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  hidden: z.boolean(),
  reason: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type ConfidentialMark = z.infer<typeof confidentialMark>;

/**
 * Chart records a clinician may hide from proxies: sync entity names. For `medication_event` the
 * record id is the medication's course id (every event of that course is hidden).
 */
export const CONFIDENTIAL_RECORD_TYPES = [
  'condition',
  'allergy',
  'medication_event',
  'observation',
  'note',
  'encounter',
  'immunization',
  'lab_order',
  'diagnostic_report',
] as const;

const threadRef = z.object({ threadId: id }).strict();
const attachmentInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: attachmentType,
    // 10 MB is the most the settings allow; the clinic's own limit is checked by the handler.
    base64: z
      .string()
      .min(1, 'the attachment is empty')
      .max(14_000_000, 'an attachment over 10 MB cannot be sent')
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'the attachment is not base64'),
  })
  .strict();

export const portalChannels = {
  'portal.invite': channel({
    doc: "Makes a one-time portal code for the patient (or a parent/guardian), valid 14 days, with its printable letter (PDF, QR code of the portal's address).",
    roles: ACCESS,
    scope: ofPatient,
    input: z
      .object({
        patientId: id,
        kind: z.enum(['self', 'proxy']).default('self'),
        proxyName: z.string().trim().min(2, 'name the parent or guardian').max(200).optional(),
        proxyRelationship: z.string().trim().min(2, 'say how they are related (mother, guardian…)').max(60).optional(),
      })
      .strict()
      .refine((i) => i.kind === 'self' || i.proxyName !== undefined, { path: ['proxyName'], message: 'name the parent or guardian' })
      .refine((i) => i.kind === 'self' || i.proxyRelationship !== undefined, { path: ['proxyRelationship'], message: 'say how they are related' })
      .refine((i) => i.kind === 'proxy' || (i.proxyName === undefined && i.proxyRelationship === undefined), {
        path: ['kind'],
        message: 'a proxy name was given: choose proxy access',
      }),
    output: z.object({ inviteId: z.string(), code: z.string(), expiresAt: z.string(), fileName: z.string(), letterPdfBase64: z.string() }),
  }),
  'portal.access': channel({
    doc: "A chart's portal invitations and who redeemed them (the portal card).",
    roles: ACCESS,
    scope: ofPatient,
    input: z.object({ patientId: id }).strict(),
    output: z.array(portalInviteView),
  }),
  'portal.revoke': channel({
    doc: 'Revokes an invitation (unused code) or the portal access it gave, with the reason.',
    roles: ACCESS,
    scope: (i, o) => [o('portal_invite', i.inviteId)],
    input: z.object({ inviteId: id, reason: reason('access is revoked') }).strict(),
    output: portalInviteView,
  }),
  'portal.inbox': channel({
    doc: 'Portal message threads, newest first: open, closed or all; mine, unassigned or any.',
    roles: MESSAGES,
    // Lists many charts: a restricted chart's thread shows its patient's name only (no subject), like search.
    scope: 'none',
    input: z.object({ status: z.enum(['open', 'closed', 'all']).default('open'), assignedTo: z.enum(['me', 'unassigned', 'any']).default('any') }).strict(),
    output: z.array(portalThreadSummary),
  }),
  'portal.thread': channel({
    doc: 'One thread and its messages (attachments as metadata); audited as a read of the chart.',
    roles: MESSAGES,
    scope: (i, o) => [o('portal_thread', i.threadId)],
    input: threadRef,
    output: portalThreadView,
  }),
  'portal.attachment': channel({
    doc: "A message's attachment (audited).",
    roles: MESSAGES,
    scope: (i, o) => [o('portal_message', i.messageId)],
    input: z.object({ messageId: id }).strict(),
    output: z.object({ name: z.string(), type: z.string(), base64: z.string() }),
  }),
  'portal.reply': channel({
    doc: "Replies to a thread as the signed-in staff member (reopens a closed thread); reaches the patient's portal by sync.",
    roles: MESSAGES,
    scope: (i, o) => [o('portal_thread', i.threadId)],
    input: z
      .object({
        threadId: id,
        body: z.string().trim().min(1, 'the reply is empty').max(20_000, 'a reply over 20,000 characters'),
        attachment: attachmentInput.optional(),
      })
      .strict(),
    output: portalThreadView,
  }),
  'portal.assign': channel({
    doc: 'Assigns a thread to a staff member (null: back to unassigned).',
    roles: MESSAGES,
    scope: (i, o) => [o('portal_thread', i.threadId)],
    input: z.object({ threadId: id, userId: id.nullable() }).strict(),
    output: portalThreadSummary,
  }),
  'portal.close': channel({
    doc: 'Closes a thread (a reply from either side opens it again).',
    roles: MESSAGES,
    scope: (i, o) => [o('portal_thread', i.threadId)],
    input: threadRef,
    output: portalThreadSummary,
  }),
  'portal.toNote': channel({
    doc: 'Turns a thread into a draft chart note ("Portal message: <subject>") holding its messages, linked from the thread.',
    roles: CLINICAL,
    scope: (i, o) => [o('portal_thread', i.threadId)],
    input: threadRef,
    output: z.object({ noteId: z.string(), thread: portalThreadSummary }),
  }),
  'portal.reported': channel({
    doc: "A patient's reported items from intake forms, grouped by submission, newest first (front desk: demographics and insurance only).",
    roles: INTAKE,
    scope: ofPatient,
    input: z.object({ patientId: id, status: z.enum(['pending', 'accepted', 'declined', 'all']).default('pending') }).strict(),
    output: z.array(reportedSubmission),
  }),
  'portal.accept': channel({
    doc: 'Accepts one reported item into the chart (allergy, medication, demographics, coverage, score, check-in answer); never twice.',
    roles: INTAKE,
    scope: (i, o) => [o('patient_reported_item', i.itemId)],
    input: z
      .object({
        itemId: id,
        note: z.string().trim().max(500).optional(),
        /** Allergy: what the substance is (the patient's words carry no type); default other. */
        substanceType: z.enum(SUBSTANCE_TYPES).optional(),
        /** Insurance: the payer from the directory (needed unless exactly one payer has the reported name). */
        payerId: id.optional(),
      })
      .strict(),
    output: reportedItemView,
  }),
  'portal.decline': channel({
    doc: 'Declines one reported item with the reason; the chart is not changed.',
    roles: INTAKE,
    scope: (i, o) => [o('patient_reported_item', i.itemId)],
    input: z.object({ itemId: id, reason: reason('it is declined') }).strict(),
    output: reportedItemView,
  }),
  'portal.confidential': channel({
    doc: "Hides a chart item from the patient's proxies while the patient is 12–17 (or shows it again).",
    roles: CLINICAL,
    scope: ofPatient,
    input: z
      .object({
        patientId: id,
        recordType: z.enum(CONFIDENTIAL_RECORD_TYPES),
        recordId: id,
        hidden: z.boolean(),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: confidentialMark,
  }),
  'portal.confidentialList': channel({
    doc: "A chart's confidential marks (items hidden from proxies for 12–17-year-olds).",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: id }).strict(),
    output: z.array(confidentialMark),
  }),
};
