import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { users } from './security';
import { encounters, patients } from './patients';

// What a visit records on the chart: notes, observations (vitals and results), problems, allergies, immunizations and imported history.

export const clinicalNotes = sqliteTable(
  'clinical_notes',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id').references(() => encounters.id),
    /** draft | signed | addendum | entered_in_error */
    status: text('status').notNull(),
    kind: text('kind').notNull().default('note'),
    templateId: text('template_id'),
    title: text('title').notNull(),
    /** JSON document built from the template. */
    content: text('content').notNull(),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    signedAt: text('signed_at'),
    signedBy: text('signed_by'),
    /** SHA-256 of the canonical content at signing; a signed note never changes. */
    contentHash: text('content_hash'),
    amendsNoteId: text('amends_note_id'),
    errorReason: text('error_reason'),
  },
  (t) => [
    index('notes_patient_idx').on(t.patientId, t.createdAt),
    index('notes_encounter_idx').on(t.encounterId),
    index('notes_amends_idx').on(t.amendsNoteId),
  ],
);

export const observations = sqliteTable(
  'observations',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id').references(() => encounters.id),
    category: text('category').notNull(),
    loinc: text('loinc').notNull(),
    display: text('display'),
    valueNum: real('value_num'),
    valueText: text('value_text'),
    unit: text('unit'),
    refLow: real('ref_low'),
    refHigh: real('ref_high'),
    refText: text('ref_text'),
    interpretation: text('interpretation'),
    status: text('status').notNull(),
    effectiveAt: text('effective_at').notNull(),
    orderId: text('order_id'),
    supersedesId: text('supersedes_id'),
    /** Vitals taken together share a set id. */
    setId: text('set_id'),
    /** What the person typed, before conversion to UCUM, e.g. "154 [lb_av]". */
    enteredAs: text('entered_as'),
    /** A coded answer (FHIR valueCodeableConcept: survey and social-history answers), with value_text as its display. */
    valueCode: text('value_code'),
    valueSystem: text('value_system'),
    // What a result from a lab message carries beyond the observation (synced, except the message id
    // and an attachment: see ENTITIES.observation.localOnly). They were a table of their own, one
    // more row per result.
    /** The hl7_messages row it came in. */
    labMessageId: text('lab_message_id'),
    /** Finds the earlier version of a result: filler (else placer) number, code, OBX-4 sub-id. */
    labResultKey: text('lab_result_key'),
    /** Order numbers kept whole (compound ones with their ^ components). */
    labPlacerNumber: text('lab_placer_number'),
    labFillerNumber: text('lab_filler_number'),
    /** The ordered test (OBR-4). */
    labOrderCode: text('lab_order_code'),
    labOrderDisplay: text('lab_order_display'),
    /** OBX-2, and a CE/CWE value as system|code. */
    labValueType: text('lab_value_type'),
    labValueCode: text('lab_value_code'),
    /** JSON arrays of NTE text: the result's and its order's. */
    labNotes: text('lab_notes'),
    labOrderNotes: text('lab_order_notes'),
    /** JSON ED attachment { sourceApplication, type, subtype, encoding, data }. */
    labAttachment: text('lab_attachment'),
  },
  // Most observations have neither an encounter (lab results) nor a predecessor: those are left out
  // of the two indexes (a lookup by value, `= ?`, still uses them), so storing one touches two fewer b-trees.
  (t) => [
    index('observations_patient_code_idx').on(t.patientId, t.loinc, t.effectiveAt),
    index('observations_encounter_idx')
      .on(t.encounterId)
      .where(sql`${t.encounterId} IS NOT NULL`),
    index('observations_supersedes_idx')
      .on(t.supersedesId)
      .where(sql`${t.supersedesId} IS NOT NULL`),
    index('observations_lab_key_idx')
      .on(t.patientId, t.labResultKey)
      .where(sql`${t.labResultKey} IS NOT NULL`),
  ],
);

export const conditions = sqliteTable(
  'conditions',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    icd10: text('icd10'),
    snomed: text('snomed'),
    display: text('display').notNull(),
    clinicalStatus: text('clinical_status').notNull(),
    onsetDate: text('onset_date'),
    abatementDate: text('abatement_date'),
    chronic: integer('chronic', { mode: 'boolean' }).notNull().default(false),
    note: text('note'),
  },
  (t) => [index('conditions_patient_idx').on(t.patientId)],
);

export const allergies = sqliteTable(
  'allergies',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    /** Null substance with kind 'nka' records "no known allergies" as a reviewed fact. */
    kind: text('kind').notNull().default('allergy'),
    substance: text('substance'),
    substanceCode: text('substance_code'),
    reactions: text('reactions').notNull().default('[]'),
    severity: text('severity'),
    criticality: text('criticality'),
    status: text('status').notNull(),
    recordedAt: text('recorded_at').notNull(),
    /** drug | food | environment | other */
    substanceType: text('substance_type'),
    onsetDate: text('onset_date'),
    note: text('note'),
  },
  (t) => [index('allergies_patient_idx').on(t.patientId)],
);

export const immunizations = sqliteTable(
  'immunizations',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    cvx: text('cvx').notNull(),
    mvx: text('mvx'),
    lot: text('lot'),
    site: text('site'),
    route: text('route'),
    administeredOn: text('administered_on').notNull(),
    status: text('status').notNull().default('completed'),
    expirationDate: text('expiration_date'),
    doseNumber: integer('dose_number'),
    /** administered (given here) | historical (reported or imported) */
    source: text('source').notNull().default('administered'),
    note: text('note'),
  },
  (t) => [index('immunizations_patient_idx').on(t.patientId)],
);

// A procedure performed (imported history, e.g. Synthea's), coded in code_system (SNOMED CT, CPT…).
export const procedures = sqliteTable(
  'procedures',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id'),
    codeSystem: text('code_system'),
    code: text('code'),
    display: text('display').notNull(),
    status: text('status').notNull(),
    performedStart: text('performed_start'),
    performedEnd: text('performed_end'),
    reasonCode: text('reason_code'),
    reasonDisplay: text('reason_display'),
    note: text('note'),
  },
  (t) => [index('procedures_patient_idx').on(t.patientId, t.performedStart)],
);

// A report grouping results (a lab panel): the results themselves are observations.
export const diagnosticReports = sqliteTable(
  'diagnostic_reports',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id'),
    /** e.g. LAB (HL7 v2-0074 diagnostic service section). */
    category: text('category'),
    loinc: text('loinc'),
    display: text('display').notNull(),
    status: text('status').notNull(),
    effectiveAt: text('effective_at'),
    issuedAt: text('issued_at'),
    /** JSON array of observation ids. */
    resultIds: text('result_ids').notNull().default('[]'),
    conclusion: text('conclusion'),
  },
  (t) => [index('diagnostic_reports_patient_idx').on(t.patientId, t.effectiveAt)],
);

// A care plan (imported history): its activities and the conditions it addresses are kept as JSON.
export const carePlans = sqliteTable(
  'care_plans',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id'),
    status: text('status').notNull(),
    intent: text('intent').notNull(),
    categoryCode: text('category_code'),
    categoryDisplay: text('category_display'),
    title: text('title'),
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    /** JSON: [{ code, system, display, status }] */
    activities: text('activities').notNull().default('[]'),
    /** JSON array of condition ids. */
    addresses: text('addresses').notNull().default('[]'),
  },
  (t) => [index('care_plans_patient_idx').on(t.patientId)],
);
