import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The client (device) schema. drizzle-kit turns this into SQL under resources/migrations/client;
 * the SQL is applied at run time after the key is set (drizzle-kit cannot open an encrypted file).
 *
 * Every clinical row: a UUIDv7 id made on the device, created/updated by and at, a soft-delete
 * marker, and a version for optimistic concurrency and sync. Timestamps are UTC ISO-8601 text.
 */
const audited = {
  id: text('id').notNull(),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  updatedAt: text('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  deletedAt: text('deleted_at'),
  deletedBy: text('deleted_by'),
  version: integer('version').notNull().default(1),
};

export const roles = sqliteTable('roles', {
  name: text('name').primaryKey(),
  description: text('description').notNull(),
});

export const users = sqliteTable('users', {
  ...audited,
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role')
    .notNull()
    .references(() => roles.name),
  /** `scrypt$N$r$p$salt$hash`, parameters recorded with the hash so they can be raised later. */
  passwordHash: text('password_hash').notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: text('locked_until'),
  /** A prescriber's National Provider Identifier (10 digits, Luhn-checked), printed on prescriptions. */
  npi: text('npi'),
  /** A prescriber's DEA registration number, printed on prescriptions of controlled substances. */
  dea: text('dea'),
});

export const patients = sqliteTable(
  'patients',
  {
    // Important: an INTEGER PRIMARY KEY keeps rowids stable through VACUUM; the FTS index joins on it.
    rowId: integer('row_id').primaryKey(),
    ...audited,
    mrn: text('mrn').notNull(),
    givenName: text('given_name').notNull(),
    middleName: text('middle_name'),
    familyName: text('family_name').notNull(),
    preferredName: text('preferred_name'),
    birthDate: text('birth_date').notNull(),
    sex: text('sex', { enum: ['female', 'male', 'other', 'unknown'] }).notNull(),
    genderIdentity: text('gender_identity'),
    phone: text('phone'),
    phoneDigits: text('phone_digits'),
    email: text('email'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    city: text('city'),
    state: text('state'),
    postalCode: text('postal_code'),
    country: text('country'),
    preferredLanguage: text('preferred_language'),
    insurancePayer: text('insurance_payer'),
    insuranceMemberId: text('insurance_member_id'),
    insuranceGroup: text('insurance_group'),
    /** JSON array of {system, value, type}. */
    identifiers: text('identifiers').notNull().default('[]'),
    /** Set when this chart was merged into another (a likely duplicate); clearing it undoes the merge. */
    mergedInto: text('merged_into'),
    /** Restricted charts (staff, VIP) will need break-glass to open. */
    restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
    /** YYYY-MM-DD when the patient died (recorded or imported): no more outreach, reminders or measure gaps. */
    deceasedOn: text('deceased_on'),
    /** Whom to call in an emergency (the check-in checklist asks to confirm it). */
    emergencyContactName: text('emergency_contact_name'),
    emergencyContactRelationship: text('emergency_contact_relationship'),
    emergencyContactPhone: text('emergency_contact_phone'),
    /** Who pays: 'self' (the patient) or another person's relationship, name, phone and address. */
    guarantorRelationship: text('guarantor_relationship'),
    guarantorName: text('guarantor_name'),
    guarantorPhone: text('guarantor_phone'),
    guarantorAddress: text('guarantor_address'),
  },
  (t) => [
    uniqueIndex('patients_id_uq').on(t.id),
    // Not unique: two devices registering offline before enrollment can collide; the clinic server flags it.
    index('patients_mrn_idx').on(t.mrn),
    index('patients_birth_date_idx').on(t.birthDate),
    index('patients_phone_digits_idx').on(t.phoneDigits),
  ],
);

export const encounters = sqliteTable(
  'encounters',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    visitType: text('visit_type').notNull(),
    status: text('status').notNull(),
    providerId: text('provider_id').references(() => users.id),
    reason: text('reason'),
    startAt: text('start_at'),
    endAt: text('end_at'),
  },
  (t) => [index('encounters_patient_idx').on(t.patientId, t.startAt)],
);

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

/** Prescriptions written here, kept in FHIR MedicationRequest form (JSON) for print and send. */
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

/** Every alert a clinician chose to override, with the reason: never silent. */
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

/** "Reconciled by X at T": the decision for each medication at a visit. */
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
  },
  (t) => [index('lab_orders_patient_idx').on(t.patientId), uniqueIndex('lab_orders_placer_uq').on(t.placerNumber)],
);

export const appointments = sqliteTable(
  'appointments',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    providerId: text('provider_id').references(() => users.id),
    room: text('room'),
    appointmentType: text('appointment_type').notNull(),
    startAt: text('start_at').notNull(),
    endAt: text('end_at').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    /** A recurring series shares one id; `series_index` numbers its visits from 1. */
    seriesId: text('series_id'),
    seriesIndex: integer('series_index'),
    /** Why a visit was cancelled or missed (no-show), by whom and when: kept, never deleted. */
    cancelReason: text('cancel_reason'),
    cancelledAt: text('cancelled_at'),
    cancelledBy: text('cancelled_by'),
    /** Flow board: when the visit entered each state (UTC ISO). */
    arrivedAt: text('arrived_at'),
    checkedInAt: text('checked_in_at'),
    roomedAt: text('roomed_at'),
    withProviderAt: text('with_provider_at'),
    checkedOutAt: text('checked_out_at'),
    /** The check-in checklist (JSON: demographics, insurance, intake answers). */
    checkIn: text('check_in'),
    /** The visit's encounter, opened at check-in. */
    encounterId: text('encounter_id').references(() => encounters.id),
  },
  (t) => [
    index('appointments_start_idx').on(t.startAt),
    index('appointments_patient_idx').on(t.patientId),
    // The day/week views and the free-slot search read one provider's or one room's visits by time.
    index('appointments_provider_start_idx').on(t.providerId, t.startAt),
    index('appointments_room_start_idx').on(t.room, t.startAt),
    index('appointments_series_idx').on(t.seriesId),
  ],
);

/**
 * Append-only audit of every PHI read and write. Each entry holds the hash of the one before
 * (`prev_hash`) so removing or editing an entry breaks the chain.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    userId: text('user_id'),
    deviceId: text('device_id').notNull(),
    action: text('action').notNull(),
    patientId: text('patient_id'),
    recordType: text('record_type'),
    recordId: text('record_id'),
    detail: text('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_patient_idx').on(t.patientId, t.at)],
);

/** Mutations waiting to be pushed, written in the same transaction as the clinical write. */
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    deviceId: text('device_id').notNull(),
    seq: integer('seq').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    op: text('op', { enum: ['insert', 'update', 'delete'] }).notNull(),
    /** JSON: the columns this change set (column name → value), as the row holds them. */
    payload: text('payload').notNull(),
    createdAt: text('created_at').notNull(),
    pushedAt: text('pushed_at'),
    quarantinedReason: text('quarantined_reason'),
    /** Hybrid logical clock of the change (orders concurrent field writes). */
    hlc: text('hlc'),
    /** Who made the change: the server checks this user's role. */
    userId: text('user_id'),
    patientId: text('patient_id'),
    /** JSON: the clock of every column as this device saw it when writing. */
    base: text('base'),
    /** Where the server put it in its change log, once acknowledged. */
    serverSeq: integer('server_seq'),
    attempts: integer('attempts').notNull().default(0),
    quarantinedAt: text('quarantined_at'),
  },
  (t) => [uniqueIndex('sync_outbox_pk').on(t.deviceId, t.seq), index('sync_outbox_entity_idx').on(t.entity, t.entityId)],
);

/** What this device last knew of each synced row: its values and the clock of each column. */
export const syncState = sqliteTable(
  'sync_state',
  {
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    data: text('data').notNull(),
    clocks: text('clocks').notNull(),
  },
  (t) => [uniqueIndex('sync_state_pk').on(t.entity, t.entityId)],
);

/**
 * Two values written to one field while apart (or one person registered twice): both kept, the
 * later one provisionally shown, until a clinician resolves it. Made by the clinic server.
 */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    /** field | duplicate_patient */
    kind: text('kind').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    patientId: text('patient_id'),
    field: text('field'),
    /** JSON: every value, with its clock, device and author. */
    values: text('values').notNull(),
    /** JSON: the value provisionally shown. */
    winner: text('winner'),
    /** open | resolved | dismissed */
    status: text('status').notNull(),
    createdAt: text('created_at').notNull(),
    resolvedBy: text('resolved_by'),
    resolvedAt: text('resolved_at'),
    resolution: text('resolution'),
    updatedAt: text('updated_at'),
    updatedBy: text('updated_by'),
  },
  (t) => [index('sync_conflicts_status_idx').on(t.status, t.createdAt), index('sync_conflicts_patient_idx').on(t.patientId)],
);

/** Pulled changes this version of Cairn cannot apply yet (a newer schema): replayed after an upgrade. */
export const syncParked = sqliteTable('sync_parked', {
  serverSeq: integer('server_seq').primaryKey(),
  change: text('change').notNull(),
  reason: text('reason').notNull(),
  parkedAt: text('parked_at').notNull(),
});

/** Small key/value facts: device id, clinic name, counters, sync cursors. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

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

/** The demographics HL7 last set on a chart: a field that differs from it was edited here since. */
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

/** A procedure performed (imported history, e.g. Synthea's), coded in code_system (SNOMED CT, CPT…). */
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

/** A report grouping results (a lab panel): the results themselves are observations. */
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

/** A care plan (imported history): its activities and the conditions it addresses are kept as JSON. */
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

/**
 * Where an imported row came from (local only, never synced): re-importing a FHIR resource with the
 * same content hash is skipped; a changed hash updates the row it made.
 */
export const fhirImportSources = sqliteTable(
  'fhir_import_sources',
  {
    /** The bundle entry's fullUrl (or the resource's system), for the record. */
    source: text('source').notNull(),
    resourceType: text('resource_type').notNull(),
    sourceId: text('source_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    contentHash: text('content_hash').notNull(),
    importedAt: text('imported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.resourceType, t.sourceId] }), index('fhir_import_sources_entity_idx').on(t.entityId)],
);
