import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { patients } from './patients';

// The patient portal. The portal itself runs on the clinic server; these rows are how staff and
// patients reach each other through sync. Rows the portal writes carry `portal:<account id>` as
// created_by/updated_by (see shared/sync/entities.ts, `portal: true`).

/**
 * An invitation to the portal: a one-time code (stored only as a SHA-256 hash of its normalised
 * form), valid until `expires_at`. `kind` self: the patient's own access; proxy: a parent or
 * guardian's access to this (child's) chart. The clinic server fills `redeemed_*` when the code is
 * used; staff revoke access by setting `revoked_at`.
 */
export const portalInvites = sqliteTable(
  'portal_invites',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind').notNull(),
    proxyName: text('proxy_name'),
    proxyRelationship: text('proxy_relationship'),
    codeHash: text('code_hash').notNull(),
    expiresAt: text('expires_at').notNull(),
    redeemedAt: text('redeemed_at'),
    redeemedAccount: text('redeemed_account'),
    revokedAt: text('revoked_at'),
    revokedBy: text('revoked_by'),
  },
  (t) => [index('portal_invites_patient_idx').on(t.patientId)],
);

/**
 * A chart item the clinic hides from proxies while the patient is 12–17 (confidential adolescent
 * care). `record_type` is a sync entity name (condition, medication_event, observation, note…).
 */
export const portalConfidential = sqliteTable(
  'portal_confidential',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    recordType: text('record_type').notNull(),
    recordId: text('record_id').notNull(),
    hidden: integer('hidden').notNull().default(1),
    reason: text('reason'),
  },
  (t) => [index('portal_confidential_patient_idx').on(t.patientId, t.recordType, t.recordId)],
);

/** A secure-message thread between a patient (or proxy) and the care team. */
export const portalThreads = sqliteTable(
  'portal_threads',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    subject: text('subject').notNull(),
    /** open | closed */
    status: text('status').notNull(),
    /** The staff user working it (null: unassigned). */
    assignedTo: text('assigned_to'),
    /** patient | proxy | staff */
    openedBy: text('opened_by').notNull(),
    lastMessageAt: text('last_message_at').notNull(),
    /** The chart note the thread was turned into, if any. */
    noteId: text('note_id'),
  },
  (t) => [index('portal_threads_patient_idx').on(t.patientId), index('portal_threads_status_idx').on(t.status, t.lastMessageAt)],
);

/** One message in a thread: written once. A small attachment travels inside it (base64). */
export const portalMessages = sqliteTable(
  'portal_messages',
  {
    ...audited,
    id: text('id').primaryKey(),
    threadId: text('thread_id')
      .notNull()
      .references(() => portalThreads.id),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** patient | proxy | staff */
    authorKind: text('author_kind').notNull(),
    /** A staff user id, or a portal account id. */
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    attachmentName: text('attachment_name'),
    /** application/pdf | image/jpeg | image/png */
    attachmentType: text('attachment_type'),
    attachmentBytes: integer('attachment_bytes'),
    attachmentData: text('attachment_data'),
    sentAt: text('sent_at').notNull(),
  },
  (t) => [index('portal_messages_thread_idx').on(t.threadId, t.sentAt)],
);

/**
 * What a patient reported on an intake form, one item a row: staff accept it into the chart (or
 * decline it) one by one at check-in; it is never written over the chart by itself.
 */
export const patientReportedItems = sqliteTable(
  'patient_reported_items',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** One form filled in once: its items share this id. */
    submissionId: text('submission_id').notNull(),
    formId: text('form_id').notNull(),
    formTitle: text('form_title').notNull(),
    itemId: text('item_id').notNull(),
    /** demographics | insurance | medication | allergy | score | answer (shared/domain/portal.ts) */
    kind: text('kind').notNull(),
    label: text('label').notNull(),
    /** JSON: the answer, shaped by kind. */
    value: text('value').notNull(),
    appointmentId: text('appointment_id'),
    submittedAt: text('submitted_at').notNull(),
    /** patient | proxy */
    submittedBy: text('submitted_by').notNull(),
    /** pending | accepted | declined */
    status: text('status').notNull(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: text('reviewed_at'),
    reviewNote: text('review_note'),
    /** `entity:id` of the chart record an accepted item became. */
    chartRecord: text('chart_record'),
  },
  (t) => [index('patient_reported_items_patient_idx').on(t.patientId, t.status), index('patient_reported_items_submission_idx').on(t.submissionId)],
);
