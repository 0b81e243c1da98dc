import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { encounters, patients } from './patients';

// Records in and out: documents in the chart (and the unfiled scan/fax inbox), C-CDA imports and
// the items they offer for reconciliation, referrals and the clinic's address book, and the
// admission/discharge notices hospitals send.

/**
 * A document: a PDF or image (JPEG, PNG, TIFF) in a chart, or not yet filed (`patient_id` null,
 * status `unfiled`: the scan/fax inbox). The row syncs; the bytes live in `document_chunks` (inside
 * the encrypted database) and travel in chunks of their own (see services/documents).
 */
export const documents = sqliteTable(
  'documents',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id').references(() => patients.id),
    /** unfiled (inbox, no patient yet) or filed. */
    status: text('status').notNull(),
    /** outside_lab, imaging_report, consult_letter, outside_records, insurance_card, consent, other (null while unfiled). */
    category: text('category'),
    title: text('title').notNull(),
    /** The date the document speaks of (YYYY-MM-DD), not when it was scanned. */
    documentDate: text('document_date'),
    /** Where it came from, in words: "Fax from Mercy Radiology", a file name, "C-CDA from …". */
    source: text('source'),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** SHA-256 of the whole content (hex): checked when the bytes are put together again. */
    sha256: text('sha256').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    /** upload, scan, hl7, ccda, generated. */
    origin: text('origin').notNull(),
    /** What it came with: a C-CDA import id, an HL7 control id, a referral id… */
    originRef: text('origin_ref'),
    /** The imaging or lab order this document reports on (closes it). */
    orderId: text('order_id'),
    /** The referral this document answers (a consult note) or carries. */
    referralId: text('referral_id'),
    filedBy: text('filed_by'),
    filedAt: text('filed_at'),
    note: text('note'),
  },
  (t) => [index('documents_patient_idx').on(t.patientId, t.documentDate), index('documents_status_idx').on(t.status)],
);

/**
 * The bytes of a document, in chunks (DOCUMENT_CHUNK_BYTES each, the last shorter). Local to this
 * device: encrypted with the rest of the database; a device may hold a document's row without its
 * bytes until someone opens it.
 */
export const documentChunks = sqliteTable(
  'document_chunks',
  {
    documentId: text('document_id').notNull(),
    idx: integer('idx').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.idx] })],
);

/**
 * Where a document's bytes stand on this device (local): whether every chunk is here, and whether
 * the clinic server has them all (uploaded). A document made here starts complete and not uploaded.
 */
export const documentContentState = sqliteTable('document_content_state', {
  documentId: text('document_id').primaryKey(),
  complete: integer('complete').notNull().default(0),
  uploaded: integer('uploaded').notNull().default(0),
  lastError: text('last_error'),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One C-CDA document received for a chart: what it was, who sent it, and what came of it. The XML
 * itself is a document (`document_id`, category outside_records).
 */
export const ccdaImports = sqliteTable(
  'ccda_imports',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    documentId: text('document_id'),
    /** CCD, Referral Note, Consultation Note… (from the document's template or code). */
    docType: text('doc_type').notNull(),
    title: text('title').notNull(),
    /** The organisation (or author) the document came from, as it names itself. */
    sourceName: text('source_name').notNull(),
    effectiveTime: text('effective_time'),
    /** reconcile (items wait for a clinician) or migration (written as "imported from <source>"). */
    mode: text('mode').notNull(),
    /** JSON: entries read per section. */
    counts: text('counts').notNull(),
    /** JSON: entries not read, each with its reason. */
    skipped: text('skipped').notNull(),
    importedAt: text('imported_at').notNull(),
  },
  (t) => [index('ccda_imports_patient_idx').on(t.patientId)],
);

/**
 * An item offered for reconciliation (from a C-CDA, an immunization registry's VXU, a hospital's
 * demographic update): pending until a clinician accepts or ignores it. `match` says how it stands
 * beside the chart: new, same (already there: same code and date) or different.
 */
export const reconcileItems = sqliteTable(
  'reconcile_items',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    importId: text('import_id'),
    /** ccda, vxu, adt. */
    source: text('source').notNull(),
    /** "C-CDA CCD from Good Health Clinic, 2012-09-12" */
    sourceLabel: text('source_label').notNull(),
    /** problems, medications, allergies, immunizations, results, vitals, encounters, procedures, smoking, demographics. */
    section: text('section').notNull(),
    match: text('match').notNull(),
    /** The chart row it matches or differs from (entity name and id). */
    matchType: text('match_type'),
    matchId: text('match_id'),
    summary: text('summary').notNull(),
    codeSystem: text('code_system'),
    code: text('code'),
    itemDate: text('item_date'),
    /** JSON: the item as read (the shared/ccda model entry), what accepting writes. */
    payload: text('payload').notNull(),
    /** pending, accepted, ignored. */
    status: text('status').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    /** entity:id of what accepting wrote. */
    chartRecord: text('chart_record'),
  },
  (t) => [index('reconcile_items_patient_idx').on(t.patientId, t.status), index('reconcile_items_import_idx').on(t.importId)],
);

/** The clinic's address book: specialists and facilities it refers to and hears from. */
export const referralContacts = sqliteTable('referral_contacts', {
  ...audited,
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  organization: text('organization'),
  specialty: text('specialty').notNull(),
  npi: text('npi'),
  phone: text('phone'),
  fax: text('fax'),
  email: text('email'),
  directAddress: text('direct_address'),
  address: text('address'),
  note: text('note'),
});

/**
 * A referral out (or, `direction` in, one received by REF^I12): sent → scheduled → consult note
 * received → closed (or cancelled), each step's time kept. `reply_due` makes the overdue list.
 */
export const referrals = sqliteTable(
  'referrals',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id').references(() => encounters.id),
    direction: text('direction').notNull(),
    contactId: text('contact_id'),
    specialty: text('specialty').notNull(),
    reason: text('reason').notNull(),
    /** routine, urgent, stat. */
    urgency: text('urgency').notNull(),
    /** JSON array of ICD-10-CM codes. */
    diagnoses: text('diagnoses').notNull(),
    status: text('status').notNull(),
    orderedBy: text('ordered_by'),
    replyDue: text('reply_due'),
    sentAt: text('sent_at'),
    scheduledAt: text('scheduled_at'),
    appointmentAt: text('appointment_at'),
    consultReceivedAt: text('consult_received_at'),
    consultDocumentId: text('consult_document_id'),
    closedAt: text('closed_at'),
    closedNote: text('closed_note'),
    /** The sender's referral number (REF^I12 RF1-6) or ours as the receiver sees it. */
    externalRef: text('external_ref'),
  },
  (t) => [index('referrals_patient_idx').on(t.patientId), index('referrals_status_idx').on(t.status, t.replyDue)],
);

/**
 * A hospital's admission or discharge notice (ADT^A01/A03): the care-coordination list, with the
 * follow-up a clinic owes after a discharge (contact within 2 business days, a visit within 7–14).
 */
export const careEvents = sqliteTable(
  'care_events',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** admission, discharge. */
    kind: text('kind').notNull(),
    facility: text('facility').notNull(),
    eventAt: text('event_at').notNull(),
    reason: text('reason'),
    disposition: text('disposition'),
    attending: text('attending'),
    followUpDue: text('follow_up_due'),
    /** open, done, not_needed. */
    followUpStatus: text('follow_up_status').notNull(),
    followUpBy: text('follow_up_by'),
    followUpAt: text('follow_up_at'),
    followUpNote: text('follow_up_note'),
    controlId: text('control_id'),
  },
  (t) => [index('care_events_patient_idx').on(t.patientId), index('care_events_follow_up_idx').on(t.followUpStatus, t.followUpDue)],
);
