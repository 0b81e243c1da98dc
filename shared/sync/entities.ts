import type { Role } from '../domain/user';

/**
 * How each synced entity merges:
 * - `fields`: per-field last-writer-wins by hybrid logical clock; two devices overwriting the same
 *   field while apart keep both values in a conflict record.
 * - `append`: written once (vitals, results, medication events, prescriptions…); a later change is refused.
 * - `note`: a draft merges like `fields`; once signed the server refuses every change except
 *   marking it entered in error.
 */
export type MergeKind = 'fields' | 'append' | 'note';

export interface EntitySpec {
  /** The device table (and the name the server keeps rows under). */
  table: string;
  kind: MergeKind;
  /** Roles whose writes the server accepts for this entity. */
  writers: readonly Role[];
  /** Columns that stay on the device (row ids, optimistic versions, lockout counters). */
  localOnly?: readonly string[];
  /** Columns computed from another column: they follow it and raise no conflict of their own. */
  derived?: readonly string[];
  /** False for records whose concurrent edits need no review of their own (conflict records). */
  conflicts?: boolean;
  /**
   * The patient portal (on the clinic server) may write these on a patient's behalf, authored
   * `portal:<account id>`. Only the server itself writes as a portal author: a device never may.
   */
  portal?: boolean;
}

const CLINICAL_WRITE: readonly Role[] = ['physician', 'nurse'];
const DEMOGRAPHICS_WRITE: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];
const BILLING_SETUP: readonly Role[] = ['front_desk', 'billing', 'admin'];
const COVERAGE_WRITE: readonly Role[] = ['physician', 'nurse', 'front_desk', 'billing', 'admin'];
/** Physicians confirm the charges they capture; billers work the claims. */
const CLAIM_WRITE: readonly Role[] = ['physician', 'billing', 'admin'];
/** Staff who invite patients to the portal, answer their messages and review what they report. */
const PORTAL_STAFF: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];
/** Staff who scan, file and attach documents, and keep referrals and the address book moving. */
const RECORDS_STAFF: readonly Role[] = ['physician', 'nurse', 'front_desk'];

export const ENTITIES = {
  user: { table: 'users', kind: 'fields', writers: ['admin'], localOnly: ['failed_attempts', 'locked_until'] },
  patient: { table: 'patients', kind: 'fields', writers: DEMOGRAPHICS_WRITE, derived: ['phone_digits'] },
  encounter: { table: 'encounters', kind: 'fields', writers: ['physician', 'nurse', 'front_desk'] },
  note: { table: 'clinical_notes', kind: 'note', writers: CLINICAL_WRITE },
  observation: {
    table: 'observations',
    kind: 'append',
    writers: CLINICAL_WRITE,
    // What a lab message said of a result travels with it (order numbers, the ordered test, the
    // lab's NTE comments), so every device shows the same caveats. Two columns stay on the device
    // that received the message: the id of its stored message (a row only that device has) and an
    // ED attachment, which can be megabytes, more than a sync batch should carry.
    localOnly: ['lab_message_id', 'lab_attachment'],
  },
  condition: { table: 'conditions', kind: 'fields', writers: CLINICAL_WRITE },
  allergy: { table: 'allergies', kind: 'fields', writers: CLINICAL_WRITE },
  medication_event: { table: 'medication_events', kind: 'append', writers: CLINICAL_WRITE },
  prescription: { table: 'prescriptions', kind: 'append', writers: ['physician'] },
  med_alert_override: { table: 'med_alert_overrides', kind: 'append', writers: CLINICAL_WRITE },
  med_reconciliation: { table: 'med_reconciliations', kind: 'append', writers: CLINICAL_WRITE },
  immunization: { table: 'immunizations', kind: 'append', writers: CLINICAL_WRITE },
  lab_order: { table: 'lab_orders', kind: 'fields', writers: CLINICAL_WRITE },
  appointment: { table: 'appointments', kind: 'fields', writers: ['physician', 'nurse', 'front_desk'], portal: true },
  /** Conflict and duplicate records: made by the server, resolved by a clinician. */
  sync_conflict: { table: 'sync_conflicts', kind: 'fields', writers: ['physician', 'nurse', 'front_desk', 'admin'], conflicts: false },
  /** A clinician's acknowledgement of a lab result (the results inbox): written once. */
  result_ack: { table: 'result_acknowledgements', kind: 'append', writers: CLINICAL_WRITE },
  /** Procedures, diagnostic reports and care plans (imported FHIR history for now). */
  procedure: { table: 'procedures', kind: 'fields', writers: CLINICAL_WRITE },
  diagnostic_report: { table: 'diagnostic_reports', kind: 'fields', writers: CLINICAL_WRITE },
  care_plan: { table: 'care_plans', kind: 'fields', writers: CLINICAL_WRITE },
  // Practice management (billing). The ledger, eligibility answers, claim history and remittances are
  // written once, so a posted payment can never be overwritten by another device.
  payer: { table: 'payers', kind: 'fields', writers: BILLING_SETUP },
  coverage: { table: 'coverages', kind: 'fields', writers: COVERAGE_WRITE },
  eligibility_check: { table: 'eligibility_checks', kind: 'append', writers: COVERAGE_WRITE },
  fee: { table: 'fee_schedule', kind: 'fields', writers: ['billing', 'admin'] },
  claim: { table: 'claims', kind: 'fields', writers: CLAIM_WRITE },
  claim_line: { table: 'claim_lines', kind: 'fields', writers: CLAIM_WRITE },
  claim_event: { table: 'claim_events', kind: 'append', writers: CLAIM_WRITE },
  ledger_entry: { table: 'ledger_entries', kind: 'append', writers: ['physician', 'front_desk', 'billing', 'admin'] },
  remittance: { table: 'remittances', kind: 'append', writers: ['billing', 'admin'] },
  unmatched_remittance: { table: 'unmatched_remittances', kind: 'fields', writers: ['billing', 'admin'] },
  x12_batch: { table: 'x12_batches', kind: 'fields', writers: ['billing', 'admin'] },
  // The patient portal: invitations and confidential marks are staff's; threads, messages and
  // patient-reported items are written by both sides; a message is written once.
  portal_invite: { table: 'portal_invites', kind: 'fields', writers: PORTAL_STAFF, portal: true },
  portal_confidential: { table: 'portal_confidential', kind: 'fields', writers: CLINICAL_WRITE },
  portal_thread: { table: 'portal_threads', kind: 'fields', writers: PORTAL_STAFF, portal: true },
  portal_message: { table: 'portal_messages', kind: 'append', writers: PORTAL_STAFF, portal: true },
  patient_reported_item: { table: 'patient_reported_items', kind: 'fields', writers: PORTAL_STAFF, portal: true },
  // Records in and out. A document's row syncs here; its bytes travel in chunks of their own
  // (/sync/documents), so a device may hold the row before (or without) the bytes.
  document: { table: 'documents', kind: 'fields', writers: RECORDS_STAFF },
  ccda_import: { table: 'ccda_imports', kind: 'append', writers: CLINICAL_WRITE },
  /** What an import offers a clinician: accepting or ignoring it is a clinician's decision. */
  reconcile_item: { table: 'reconcile_items', kind: 'fields', writers: CLINICAL_WRITE },
  referral_contact: { table: 'referral_contacts', kind: 'fields', writers: [...RECORDS_STAFF, 'admin'] },
  referral: { table: 'referrals', kind: 'fields', writers: RECORDS_STAFF },
  care_event: { table: 'care_events', kind: 'fields', writers: RECORDS_STAFF },
} as const satisfies Record<string, EntitySpec>;

export type EntityName = keyof typeof ENTITIES;

export function isEntity(name: string): name is EntityName {
  return Object.hasOwn(ENTITIES, name);
}

export function entitySpec(name: EntityName): EntitySpec {
  return ENTITIES[name];
}

/** Never sent: the device's own row numbers and optimistic versions. */
export const DEVICE_COLUMNS: readonly string[] = ['row_id', 'version'];

/** Bookkeeping columns: merged last-writer-wins but never a conflict on their own. */
export const META_COLUMNS: readonly string[] = ['updated_at', 'updated_by'];

/** Once set, never cleared: a delete does not resurrect. */
export const STICKY_COLUMNS: readonly string[] = ['deleted_at', 'deleted_by'];

/** The only changes a signed note accepts (marking it entered in error). */
export const SIGNED_NOTE_MUTABLE: readonly string[] = ['status', 'error_reason', 'updated_at', 'updated_by'];

/** Columns of one row as they travel: SQLite values keyed by column name. */
export type Fields = Record<string, string | number | null>;
/** The clock of the last write of each column. */
export type Clocks = Record<string, string>;

/** The set of values a row column can take on the wire. */
export function isWireValue(v: unknown): v is string | number | null {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}
