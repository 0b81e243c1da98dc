import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { users } from './security';

// The chart itself (demographics, identifiers, merge and restriction) and its visits.

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
