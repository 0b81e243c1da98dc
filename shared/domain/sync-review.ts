import { z } from 'zod';

/**
 * What people see of sync: the status in the header, the conflicts and duplicates the clinic
 * server found, and the changes it refused. Shared by the contract and the renderer.
 */

/** A column value as synced records hold it (SQLite text, number or null). */
export const wireValue = z.union([z.string(), z.number(), z.null()]);
export type WireValue = z.infer<typeof wireValue>;

/** The sync indicator's data: online / offline / syncing / error, last synced, pending, progress. */
export const syncStatus = z.object({
  state: z.enum(['not_enrolled', 'idle', 'syncing', 'offline', 'error']),
  serverUrl: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** Local changes the clinic server has not acknowledged yet. */
  pending: z.number(),
  /** Changes the server refused that nobody has reviewed yet. */
  quarantined: z.number(),
  conflictsOpen: z.number(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  progress: z.object({ phase: z.enum(['push', 'pull']), done: z.number(), total: z.number() }).nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type SyncStatusView = z.infer<typeof syncStatus>;

export const conflictKind = z.enum(['field', 'duplicate_patient', 'duplicate_mrn']);
export type ConflictKind = z.infer<typeof conflictKind>;

/** One of the values written to a field while devices were apart. */
export const conflictValue = z.object({
  value: wireValue,
  hlc: z.string().nullable(),
  /** When it was written (from its clock), ISO-8601. */
  at: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** "this device (Exam room laptop)" or "another device". */
  device: z.string(),
  authorId: z.string().nullable(),
  author: z.string().nullable(),
  /** The value the record holds now (the one provisionally shown). */
  shown: z.boolean(),
});
export type ConflictValue = z.infer<typeof conflictValue>;

/** One chart of a possible duplicate (or MRN collision), for a side-by-side comparison. */
export const chartCard = z.object({
  id: z.string(),
  mrn: z.string(),
  name: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string(),
  createdAt: z.string(),
  mergedInto: z.string().nullable(),
});
export type ChartCard = z.infer<typeof chartCard>;

export const conflictView = z.object({
  id: z.string(),
  kind: conflictKind,
  status: z.enum(['open', 'resolved', 'dismissed']),
  entity: z.string(),
  entityLabel: z.string(),
  entityId: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  patientMrn: z.string().nullable(),
  field: z.string().nullable(),
  fieldLabel: z.string().nullable(),
  values: z.array(conflictValue),
  /** Duplicates and MRN collisions: the charts involved. */
  charts: z.array(chartCard),
  /** A restricted chart: values and charts are left out until the glass is broken. */
  hidden: z.boolean(),
  /** A signed note's text cannot change: write an addendum, then dismiss the conflict. */
  signedNote: z.boolean(),
  /** Whether the signed-in user may resolve it (front desk: demographics only). */
  mayResolve: z.boolean(),
  /** Whether the signed-in user may close it without a change (not the same person; settled by an addendum). */
  mayDismiss: z.boolean(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  /** How it was settled, in words ("kept 555-0101", "merged into MRN 1000009", "dismissed: …"). */
  resolution: z.string().nullable(),
});
export type ConflictView = z.infer<typeof conflictView>;

/** A change the clinic server refused, kept on this device for a person to review. */
export const quarantineItem = z.object({
  deviceId: z.string(),
  seq: z.number(),
  entity: z.string(),
  entityLabel: z.string(),
  entityId: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  author: z.string().nullable(),
  createdAt: z.string(),
  quarantinedAt: z.string().nullable(),
  reason: z.string(),
  reviewed: z.boolean(),
  /** The refused values; empty when hidden from this role or chart. */
  values: z.array(z.object({ field: z.string(), label: z.string(), value: wireValue })),
  hidden: z.boolean(),
});
export type QuarantineItem = z.infer<typeof quarantineItem>;

const chartRef = z.object({ id: z.string(), mrn: z.string().nullable(), name: z.string() });

/** What a chart's header says about merges and open conflicts. */
export const chartLinks = z.object({
  /** This chart was merged into another: the chart to use. */
  mergedInto: chartRef.nullable(),
  /** Charts merged into this one ("also recorded as …"). */
  mergedHere: z.array(chartRef),
  /** Open conflicts on this chart the signed-in user may see. */
  openConflicts: z.number(),
});
export type ChartLinks = z.infer<typeof chartLinks>;

const ENTITY_LABELS: Record<string, string> = {
  user: 'User account',
  patient: 'Demographics',
  encounter: 'Visit',
  note: 'Note',
  observation: 'Vitals / result',
  condition: 'Problem',
  allergy: 'Allergy',
  medication_event: 'Medication',
  prescription: 'Prescription',
  med_alert_override: 'Alert override',
  med_reconciliation: 'Medication reconciliation',
  immunization: 'Immunization',
  lab_order: 'Lab order',
  appointment: 'Appointment',
  sync_conflict: 'Conflict record',
  result_ack: 'Result acknowledgement',
};

/** Column labels where the plain words are not enough ("dob" and friends); others are spelled out. */
const FIELD_LABELS: Record<string, string> = {
  given_name: 'Given name',
  middle_name: 'Middle name',
  family_name: 'Family name',
  preferred_name: 'Preferred name',
  birth_date: 'Birth date',
  phone: 'Phone',
  email: 'Email',
  address_line1: 'Address',
  address_line2: 'Address (line 2)',
  postal_code: 'Postal code',
  preferred_language: 'Preferred language',
  insurance_payer: 'Insurance payer',
  insurance_member_id: 'Insurance member ID',
  insurance_group: 'Insurance group',
  mrn: 'MRN',
  merged_into: 'Merged into',
  gender_identity: 'Gender identity',
  content: 'Note text',
  reason: 'Reason',
  visit_type: 'Visit type',
  start_at: 'Start',
  end_at: 'End',
  provider_id: 'Provider',
  icd10: 'ICD-10-CM code',
  clinical_status: 'Status',
  onset_date: 'Onset',
  abatement_date: 'Resolved on',
  display_name: 'Full name',
};

/** "Demographics", "Note", … for an entity name. */
export function entityLabel(entity: string): string {
  return ENTITY_LABELS[entity] ?? sentence(entity);
}

/** "Phone", "Birth date", … for a column name (snake_case). */
export function fieldLabel(column: string): string {
  return FIELD_LABELS[column] ?? sentence(column);
}

function sentence(snake: string): string {
  const words = snake.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
