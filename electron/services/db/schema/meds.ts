import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { users } from './security';
import { patients } from './patients';

// Medications: the course of events, prescriptions written here, overridden alerts and reconciliations.

export const medicationEvents = sqliteTable(
  'medication_events',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** All events of one medication share a course id. */
    courseId: text('course_id').notNull(),
    event: text('event', { enum: ['start', 'change', 'stop'] }).notNull(),
    rxcui: text('rxcui'),
    drugName: text('drug_name').notNull(),
    dose: text('dose'),
    route: text('route'),
    frequency: text('frequency'),
    source: text('source').notNull(),
    reason: text('reason'),
    effectiveAt: text('effective_at').notNull(),
    /** Structured directions (shared/domain/sig.ts) as JSON, when prescribed here. */
    sig: text('sig'),
    prescriptionId: text('prescription_id'),
    encounterId: text('encounter_id'),
  },
  (t) => [index('medication_events_patient_idx').on(t.patientId, t.courseId)],
);

// Prescriptions written here, kept in FHIR MedicationRequest form (JSON) for print and send.
export const prescriptions = sqliteTable(
  'prescriptions',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id'),
    courseId: text('course_id').notNull(),
    rxcui: text('rxcui').notNull(),
    drugName: text('drug_name').notNull(),
    sig: text('sig').notNull(),
    /** active | completed | cancelled | entered-in-error (FHIR MedicationRequest.status) */
    status: text('status').notNull(),
    prescriberId: text('prescriber_id')
      .notNull()
      .references(() => users.id),
    signedAt: text('signed_at').notNull(),
    medicationRequest: text('medication_request').notNull(),
    /** How it left the clinic: printed, or the pharmacy adapter's reference. */
    transmission: text('transmission'),
  },
  (t) => [index('prescriptions_patient_idx').on(t.patientId, t.signedAt)],
);

// Every alert a clinician chose to override, with the reason: never silent.
export const medAlertOverrides = sqliteTable(
  'med_alert_overrides',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** prescribe | add | change | reconcile | allergy */
    context: text('context').notNull(),
    rxcui: text('rxcui'),
    courseId: text('course_id'),
    ruleId: text('rule_id').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    reason: text('reason').notNull(),
    userId: text('user_id').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('med_alert_overrides_patient_idx').on(t.patientId, t.at)],
);

// "Reconciled by X at T": the decision for each medication at a visit.
export const medReconciliations = sqliteTable('med_reconciliations', {
  ...audited,
  id: text('id').primaryKey(),
  patientId: text('patient_id')
    .notNull()
    .references(() => patients.id),
  encounterId: text('encounter_id'),
  reconciledBy: text('reconciled_by').notNull(),
  reconciledAt: text('reconciled_at').notNull(),
  /** JSON: [{ courseId, drugName, action: continue | change | stop | added, detail }] */
  items: text('items').notNull(),
});
