import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { users } from './security';
import { encounters, patients } from './patients';
import { observations } from './charting';

// Lab orders, HL7 v2 messages and their review queue, and result acknowledgements.

export const labOrders = sqliteTable(
  'lab_orders',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id').references(() => encounters.id),
    /** Kept whole, compound (^) components included. */
    placerNumber: text('placer_number').notNull(),
    fillerNumber: text('filler_number'),
    tests: text('tests').notNull(),
    status: text('status').notNull(),
    orderedBy: text('ordered_by').references(() => users.id),
    orderedAt: text('ordered_at').notNull(),
    /** lab, or imaging (a radiology study whose report closes the order). */
    category: text('category').notNull().default('lab'),
    /** JSON: an imaging order's clinical indication, priority and ICD-10 diagnoses (null for labs). */
    detail: text('detail'),
  },
  (t) => [index('lab_orders_patient_idx').on(t.patientId), uniqueIndex('lab_orders_placer_uq').on(t.placerNumber)],
);

/**
 * Every HL7 v2 message received (file import or MLLP), kept as it came. A control id (MSH-10) is
 * unique per sending facility among messages that were accepted: a resend is acknowledged again
 * and not applied twice, while a message that failed (status error) may be sent again, fixed.
 * Local to this device (not synced): the results it produced sync as observations.
 */
export const hl7Messages = sqliteTable(
  'hl7_messages',
  {
    id: text('id').primaryKey(),
    controlId: text('control_id').notNull(),
    sendingFacility: text('sending_facility').notNull(),
    sendingApplication: text('sending_application').notNull(),
    /** e.g. ORU^R01 */
    messageType: text('message_type').notNull(),
    raw: text('raw').notNull(),
    /** Where it came from: a file path or mllp:HOST:PORT. */
    source: text('source').notNull(),
    receivedAt: text('received_at').notNull(),
    /** processed | queued | not_processed | error */
    status: text('status').notNull(),
    ackCode: text('ack_code').notNull(),
    error: text('error'),
    patientId: text('patient_id'),
    results: integer('results').notNull().default(0),
  },
  (t) => [
    uniqueIndex('hl7_messages_control_uq')
      .on(t.sendingFacility, t.controlId)
      .where(sql`status <> 'error'`),
    index('hl7_messages_status_idx').on(t.status, t.receivedAt),
  ],
);

/**
 * What a person must decide about a message: no chart matched (unmatched), several did
 * (ambiguous), an incoming demographic differs from a locally edited one (field_difference), or
 * a merge was asked for (merge). Nothing here has been applied to a chart.
 */
export const hl7Reviews = sqliteTable(
  'hl7_reviews',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => hl7Messages.id),
    /** unmatched | ambiguous | field_difference | merge */
    kind: text('kind').notNull(),
    patientId: text('patient_id'),
    /** JSON: candidates, or { field, local, incoming }, or the merge's identifiers. */
    detail: text('detail').notNull(),
    /** open | resolved | dismissed */
    status: text('status').notNull(),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('hl7_reviews_status_idx').on(t.status, t.createdAt), index('hl7_reviews_message_idx').on(t.messageId)],
);

// The demographics HL7 last set on a chart: a field that differs from it was edited here since.
export const hl7PatientSources = sqliteTable('hl7_patient_sources', {
  patientId: text('patient_id').primaryKey(),
  /** JSON: demographic key → the value last received. */
  fields: text('fields').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * A clinician's acknowledgement of one lab result (the results inbox). Append-only and synced: a
 * result is acknowledged once someone acknowledged it on any device; a corrected result (a new
 * observation superseding it) needs its own acknowledgement.
 */
export const resultAcknowledgements = sqliteTable(
  'result_acknowledgements',
  {
    ...audited,
    id: text('id').primaryKey(),
    observationId: text('observation_id')
      .notNull()
      .references(() => observations.id),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    note: text('note'),
  },
  (t) => [index('result_acknowledgements_observation_idx').on(t.observationId), index('result_acknowledgements_patient_idx').on(t.patientId)],
);
