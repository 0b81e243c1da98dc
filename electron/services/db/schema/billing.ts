import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audited } from './columns';
import { encounters, patients } from './patients';

// Practice management: payers, coverage, charges and claims, the patient ledger, remittances.
// Money is integer cents in every column; the ledger is append-only (a correction is a reversing entry).

export const payers = sqliteTable(
  'payers',
  {
    ...audited,
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The id used in 837 NM1*PR and 270 (the clearinghouse's payer id). */
    payerId: text('payer_id').notNull(),
    /** SBR09 claim filing indicator (MB, MC, CI, BL …). */
    filingIndicator: text('filing_indicator').notNull(),
    addressLine1: text('address_line1'),
    city: text('city'),
    state: text('state'),
    zip: text('zip'),
    phone: text('phone'),
  },
  (t) => [index('payers_payer_id_idx').on(t.payerId)],
);

export const coverages = sqliteTable(
  'coverages',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    payerRef: text('payer_ref')
      .notNull()
      .references(() => payers.id),
    /** 1 primary, 2 secondary, 3 tertiary. */
    rank: integer('rank').notNull(),
    memberId: text('member_id').notNull(),
    groupNumber: text('group_number'),
    planName: text('plan_name'),
    /** The patient's relationship to the subscriber: 18 self, 01 spouse, 19 child, G8 other. */
    relationship: text('relationship').notNull(),
    /** The subscriber when not the patient (JSON: lastName, firstName, birthDate, sex, address). */
    subscriber: text('subscriber'),
    effectiveFrom: text('effective_from'),
    effectiveTo: text('effective_to'),
    copayCents: integer('copay_cents'),
    /** Insurance card images as data URLs (the whole database is encrypted). */
    cardFront: text('card_front'),
    cardBack: text('card_back'),
    /** When the front desk last confirmed it with the patient. */
    confirmedAt: text('confirmed_at'),
  },
  (t) => [index('coverages_patient_idx').on(t.patientId, t.rank)],
);

/** One eligibility answer (271) as shown at check-in: written once. */
export const eligibilityChecks = sqliteTable(
  'eligibility_checks',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    coverageId: text('coverage_id').notNull(),
    checkedAt: text('checked_at').notNull(),
    /** 1 active, 0 inactive, null unknown (rejected inquiry). */
    active: integer('active'),
    planName: text('plan_name'),
    copayCents: integer('copay_cents'),
    coinsurancePercent: integer('coinsurance_percent'),
    deductibleCents: integer('deductible_cents'),
    deductibleRemainingCents: integer('deductible_remaining_cents'),
    /** AAA rejections and benefit messages (JSON). */
    detail: text('detail'),
    reference: text('reference'),
  },
  (t) => [index('eligibility_patient_idx').on(t.patientId, t.checkedAt), index('eligibility_coverage_idx').on(t.coverageId, t.checkedAt)],
);

/** The clinic's fee schedule: the price of a code (with a modifier) from a date. */
export const feeSchedule = sqliteTable(
  'fee_schedule',
  {
    ...audited,
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    modifier: text('modifier').notNull().default(''),
    priceCents: integer('price_cents').notNull(),
    effectiveFrom: text('effective_from').notNull(),
  },
  (t) => [index('fee_schedule_code_idx').on(t.code, t.modifier, t.effectiveFrom)],
);

/** CPT/HCPCS codes the clinic imported from its own licensed file (not synced: each device imports). */
export const procedureCodes = sqliteTable('procedure_codes', {
  code: text('code').primaryKey(),
  system: text('system').notNull(),
  description: text('description').notNull(),
  importedAt: text('imported_at').notNull(),
});

export const claims = sqliteTable(
  'claims',
  {
    ...audited,
    id: text('id').primaryKey(),
    /** CLM01 patient control number, echoed in the 835's CLP01. */
    claimNumber: text('claim_number').notNull(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: text('encounter_id').references(() => encounters.id),
    coverageId: text('coverage_id'),
    /** 1 primary, 2 secondary, 3 tertiary, null self-pay. */
    payerRank: integer('payer_rank'),
    status: text('status').notNull(),
    /** 1 original, 7 replacement, 8 void. */
    frequency: text('frequency').notNull(),
    /** The claim this one replaces, voids or follows (the primary's, for a secondary). */
    relatedClaimId: text('related_claim_id'),
    payerClaimNumber: text('payer_claim_number'),
    serviceDate: text('service_date').notNull(),
    placeOfService: text('place_of_service').notNull(),
    /** Diagnoses, ranked, without dots (JSON array of up to 12). */
    diagnoses: text('diagnoses').notNull(),
    renderingId: text('rendering_id'),
    renderingNpi: text('rendering_npi'),
    referringName: text('referring_name'),
    referringNpi: text('referring_npi'),
    /** The service facility when it differs from the billing provider (JSON), else null. */
    facility: text('facility'),
    totalCents: integer('total_cents').notNull(),
    paidCents: integer('paid_cents').notNull().default(0),
    patientResponsibilityCents: integer('patient_responsibility_cents').notNull().default(0),
    /** The scrubber's findings at the last check (JSON). */
    findings: text('findings'),
    batchId: text('batch_id'),
    submittedAt: text('submitted_at'),
  },
  (t) => [
    uniqueIndex('claims_number_idx').on(t.claimNumber),
    index('claims_patient_idx').on(t.patientId),
    index('claims_status_idx').on(t.status),
    index('claims_encounter_idx').on(t.encounterId),
  ],
);

export const claimLines = sqliteTable(
  'claim_lines',
  {
    ...audited,
    id: text('id').primaryKey(),
    claimId: text('claim_id')
      .notNull()
      .references(() => claims.id),
    patientId: text('patient_id').notNull(),
    lineNumber: integer('line_number').notNull(),
    code: text('code').notNull(),
    /** Up to four, comma separated. */
    modifiers: text('modifiers').notNull().default(''),
    units: integer('units').notNull(),
    chargeCents: integer('charge_cents').notNull(),
    /** Diagnosis pointers 1..12, comma separated (up to four). */
    pointers: text('pointers').notNull(),
    ndc: text('ndc'),
    ndcQuantity: integer('ndc_quantity'),
    ndcUnit: text('ndc_unit'),
    paidCents: integer('paid_cents').notNull().default(0),
  },
  (t) => [index('claim_lines_claim_idx').on(t.claimId, t.lineNumber)],
);

/** A claim's history: every status it went through, with why. Written once. */
export const claimEvents = sqliteTable(
  'claim_events',
  {
    ...audited,
    id: text('id').primaryKey(),
    claimId: text('claim_id').notNull(),
    patientId: text('patient_id').notNull(),
    status: text('status').notNull(),
    at: text('at').notNull(),
    detail: text('detail'),
  },
  (t) => [index('claim_events_claim_idx').on(t.claimId, t.at)],
);

/**
 * The patient account: append-only. `amount_cents` is signed (+ raises what is owed, − lowers it);
 * `party` says who owes it (patient or insurance). A balance is the sum of a party's entries.
 */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    ...audited,
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    claimId: text('claim_id'),
    claimLineId: text('claim_line_id'),
    kind: text('kind').notNull(),
    party: text('party').notNull(),
    payerRef: text('payer_ref'),
    amountCents: integer('amount_cents').notNull(),
    postedAt: text('posted_at').notNull(),
    serviceDate: text('service_date'),
    providerId: text('provider_id'),
    method: text('method'),
    reference: text('reference'),
    adjustmentGroup: text('adjustment_group'),
    adjustmentReason: text('adjustment_reason'),
    remittanceId: text('remittance_id'),
    reversesId: text('reverses_id'),
    memo: text('memo'),
  },
  (t) => [index('ledger_patient_idx').on(t.patientId, t.postedAt), index('ledger_claim_idx').on(t.claimId), index('ledger_posted_idx').on(t.postedAt)],
);

/** An imported ERA (835): posted whole or not at all, and only once (by content hash). */
export const remittances = sqliteTable(
  'remittances',
  {
    ...audited,
    id: text('id').primaryKey(),
    fileHash: text('file_hash').notNull(),
    controlNumber: text('control_number').notNull(),
    traceNumber: text('trace_number').notNull(),
    payerName: text('payer_name').notNull(),
    paymentCents: integer('payment_cents').notNull(),
    paymentDate: text('payment_date').notNull(),
    claimsMatched: integer('claims_matched').notNull(),
    claimsUnmatched: integer('claims_unmatched').notNull(),
    providerAdjustments: text('provider_adjustments'),
  },
  // Not unique: two devices may import the same file while apart (sync must still apply both rows).
  (t) => [index('remittances_hash_idx').on(t.fileHash)],
);

/** A claim payment in an ERA that matched no claim: kept for a biller, never dropped. */
export const unmatchedRemittances = sqliteTable(
  'unmatched_remittances',
  {
    ...audited,
    id: text('id').primaryKey(),
    remittanceId: text('remittance_id').notNull(),
    patientControlNumber: text('patient_control_number').notNull(),
    payerClaimNumber: text('payer_claim_number'),
    patientName: text('patient_name'),
    chargeCents: integer('charge_cents').notNull(),
    paidCents: integer('paid_cents').notNull(),
    detail: text('detail').notNull(),
    status: text('status').notNull(),
    resolvedClaimId: text('resolved_claim_id'),
  },
  (t) => [index('unmatched_status_idx').on(t.status)],
);

/** X12 batches made here or on another device: their control numbers are never reused. */
export const x12Batches = sqliteTable(
  'x12_batches',
  {
    ...audited,
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    interchangeControl: integer('interchange_control').notNull(),
    groupControl: integer('group_control').notNull(),
    claimCount: integer('claim_count').notNull(),
    totalCents: integer('total_cents').notNull(),
    fileName: text('file_name'),
    status: text('status').notNull(),
  },
  (t) => [index('x12_batches_control_idx').on(t.interchangeControl)],
);
