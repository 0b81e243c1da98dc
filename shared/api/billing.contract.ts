import { z } from 'zod';
import {
  account,
  agingReport,
  claimView,
  CLAIM_STATUSES,
  coverage,
  coverageInput,
  eligibilityView,
  payer,
  payerInput,
  paymentInput,
  superbillInput,
} from '../domain/billing/model';
import { billingSettings } from '../domain/billing/settings';
import { isoDate } from '../domain/clinical';
import { channel, none, ofPatient } from './channel';
import type { Role } from '../domain/user';

/** Billers work claims, ERAs and accounts (never note text); the front desk edits coverage and takes copays; physicians confirm charges. */
const BILLING: readonly Role[] = ['billing', 'admin'];
const COVERAGE_READ: readonly Role[] = ['physician', 'nurse', 'front_desk', 'billing', 'admin'];
const COVERAGE_WRITE: readonly Role[] = ['front_desk', 'billing', 'admin'];
const CHARGES: readonly Role[] = ['physician', 'billing'];
const ACCOUNTS: readonly Role[] = ['front_desk', 'billing', 'admin'];
const PAYMENTS: readonly Role[] = ['front_desk', 'billing'];

const pdf = z.object({ fileName: z.string(), base64: z.string() });
const x12File = z.object({
  fileName: z.string().min(1).max(200),
  text: z.string().min(1, 'the file is empty').max(20_000_000, 'an X12 file over 20 MB: split it'),
});
export const importReport = z.object({
  fileName: z.string(),
  type: z.string(),
  controlNumber: z.string().nullable(),
  claimsMatched: z.number(),
  claimsUnmatched: z.number(),
  postedCents: z.number(),
  duplicate: z.boolean(),
  errors: z.array(z.string()),
  summary: z.string(),
});
export type ImportReport = z.infer<typeof importReport>;

const claimListItem = z.object({
  id: z.string(),
  claimNumber: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  payerName: z.string().nullable(),
  status: z.enum(CLAIM_STATUSES),
  serviceDate: z.string(),
  totalCents: z.number(),
  paidCents: z.number(),
  errors: z.number(),
  warnings: z.number(),
});

/** Practice management: payers, coverage and eligibility, charges and claims, remittances, accounts and reports. */
export const billingChannels = {
  'billing.settings': channel({
    doc: "The clinic's billing provider, clearinghouse and claim flags (null until set).",
    roles: BILLING,
    scope: 'none',
    input: none,
    output: billingSettings.nullable(),
  }),
  'billing.setSettings': channel({
    doc: 'Sets the billing provider, clearinghouse and claim flags.',
    roles: ['admin'],
    scope: 'none',
    input: billingSettings,
    output: billingSettings,
  }),
  'billing.payers': channel({ doc: 'The payer directory.', roles: COVERAGE_READ, scope: 'none', input: none, output: z.array(payer) }),
  'billing.addPayer': channel({ doc: 'Adds a payer to the directory.', roles: COVERAGE_WRITE, scope: 'none', input: payerInput, output: payer }),
  'billing.coverages': channel({
    doc: "A patient's coverages in order, with each one's last eligibility answer.",
    roles: COVERAGE_READ,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.array(coverage),
  }),
  'billing.addCoverage': channel({
    doc: 'Adds a coverage (primary, secondary or tertiary) to a patient.',
    roles: COVERAGE_WRITE,
    scope: ofPatient,
    input: coverageInput,
    output: coverage,
  }),
  'billing.changeCoverage': channel({
    doc: 'Ends a coverage, changes its copay, or confirms it with the patient at check-in.',
    roles: COVERAGE_WRITE,
    scope: (i, o) => [o('coverage', i.coverageId)],
    input: z
      .object({ coverageId: z.uuid(), effectiveTo: isoDate.optional(), copayCents: z.number().int().min(0).optional(), confirm: z.boolean().optional() })
      .strict(),
    output: coverage,
  }),
  'billing.card': channel({
    doc: 'An insurance card image (front or back) as it was scanned at registration.',
    roles: COVERAGE_READ,
    scope: (i, o) => [o('coverage', i.coverageId)],
    input: z.object({ coverageId: z.uuid(), side: z.enum(['front', 'back']) }).strict(),
    output: z.object({ dataUrl: z.string().nullable() }),
  }),
  'billing.eligibility': channel({
    doc: 'Checks eligibility: writes the 270 to the clearinghouse and records a 271 answer when one is given or waiting in the inbound folder.',
    roles: COVERAGE_WRITE,
    scope: (i, o) => [o('coverage', i.coverageId)],
    input: z.object({ coverageId: z.uuid(), response271: z.string().max(2_000_000).optional() }).strict(),
    output: z.object({ inquiry270: z.string(), fileName: z.string(), result: eligibilityView.nullable(), waiting: z.boolean() }),
  }),
  'billing.codes': channel({
    doc: "Searches the clinic's procedure codes (CPT/HCPCS from its own licensed file) with their fee.",
    roles: ['physician', 'nurse', 'billing', 'admin'],
    scope: 'none',
    input: z.object({ q: z.string().trim().min(1).max(60), date: isoDate.optional() }).strict(),
    output: z.array(z.object({ code: z.string(), description: z.string(), feeCents: z.number().nullable() })),
  }),
  'billing.importFees': channel({
    doc: "Loads a fee schedule CSV (code,modifier,price) from a date, or the clinic's licensed CPT/HCPCS code file (code,description).",
    roles: BILLING,
    scope: 'none',
    input: z
      .object({
        kind: z.enum(['fees', 'cpt', 'hcpcs']),
        fileName: z.string().min(1).max(200),
        csv: z.string().min(1, 'the file is empty').max(20_000_000),
        effectiveFrom: isoDate.optional(),
      })
      .strict(),
    output: z.object({ imported: z.number() }),
  }),
  'billing.superbill': channel({
    doc: "Saves a finished visit's superbill: ranked diagnoses and priced procedure lines; charges post to the account and the claim is scrubbed.",
    roles: CHARGES,
    scope: (i, o) => [o('encounter', i.encounterId)],
    input: superbillInput,
    output: claimView,
  }),
  'billing.visitClaim': channel({
    doc: "A visit's claim, if its superbill was saved.",
    roles: ['physician', 'nurse', 'billing', 'admin'],
    scope: (i, o) => [o('encounter', i.encounterId)],
    input: z.object({ encounterId: z.uuid() }).strict(),
    output: claimView.nullable(),
  }),
  'billing.claims': channel({
    doc: 'The claims worklist, by status.',
    roles: BILLING,
    scope: 'none',
    input: z.object({ status: z.enum(CLAIM_STATUSES).optional(), patientId: z.uuid().optional() }).strict(),
    output: z.array(claimListItem),
  }),
  'billing.claim': channel({
    doc: 'One claim with its lines, findings and history.',
    roles: BILLING,
    scope: (i, o) => [o('claim', i.claimId)],
    input: z.object({ claimId: z.uuid() }).strict(),
    output: claimView,
  }),
  'billing.scrub': channel({
    doc: 'Runs the scrubber again over a claim.',
    roles: BILLING,
    scope: (i, o) => [o('claim', i.claimId)],
    input: z.object({ claimId: z.uuid() }).strict(),
    output: claimView,
  }),
  'billing.correct': channel({
    doc: 'Corrects a sent claim: a replacement (7) or a void (8) carrying the payer’s claim number, or resubmits a rejected or denied one.',
    roles: BILLING,
    scope: (i, o) => [o('claim', i.claimId)],
    input: z
      .object({ claimId: z.uuid(), action: z.enum(['replace', 'void', 'resubmit']), note: z.string().trim().min(1, 'say what was corrected').max(300) })
      .strict(),
    output: claimView,
  }),
  'billing.batch': channel({
    doc: 'Makes an 837P batch of the ready claims, marks them submitted and drops it in the clearinghouse folder.',
    roles: BILLING,
    scope: 'none',
    input: z.object({ claimIds: z.array(z.uuid()).max(5000).optional() }).strict(),
    output: z.object({
      batchId: z.string(),
      interchangeControl: z.number(),
      claimCount: z.number(),
      totalCents: z.number(),
      fileName: z.string(),
      text: z.string(),
      skipped: z.array(z.object({ claimNumber: z.string(), reason: z.string() })),
    }),
  }),
  'billing.claimForm': channel({
    doc: 'A claim on the CMS-1500 (02/12) paper form, as a PDF.',
    roles: BILLING,
    scope: (i, o) => [o('claim', i.claimId)],
    input: z.object({ claimId: z.uuid() }).strict(),
    output: pdf,
  }),
  'billing.import': channel({
    doc: 'Imports X12 replies (999, 277, 835, 271), recognised by ST01: one transaction per file; an 835 posts once and only when it balances.',
    roles: BILLING,
    scope: 'none',
    input: z.object({ files: z.array(x12File).min(1).max(50) }).strict(),
    output: z.array(importReport),
  }),
  'billing.fetchReplies': channel({
    doc: "Imports every reply waiting in the clearinghouse's inbound folder (999, 277, 835, 271), each file once, and moves it to done/.",
    roles: BILLING,
    scope: 'none',
    input: none,
    output: z.array(importReport),
  }),
  'billing.unmatched': channel({
    doc: 'ERA claim payments that matched no claim, kept for a biller.',
    roles: BILLING,
    scope: 'none',
    input: none,
    output: z.array(
      z.object({
        id: z.string(),
        patientControlNumber: z.string(),
        payerClaimNumber: z.string().nullable(),
        patientName: z.string().nullable(),
        chargeCents: z.number(),
        paidCents: z.number(),
        receivedAt: z.string(),
        payerName: z.string(),
      }),
    ),
  }),
  'billing.resolveUnmatched': channel({
    doc: 'Settles an unmatched ERA payment: posts it to the claim it belongs to, or closes it with the reason.',
    roles: BILLING,
    scope: (i, o) => [o('claim', i.claimId)],
    input: z
      .object({
        id: z.uuid(),
        claimId: z.uuid().optional(),
        note: z.string().trim().min(3, 'say why: the payer mistyped the claim number, a payment for another practice …').max(300),
      })
      .strict(),
    output: z.object({ claimNumber: z.string().nullable() }),
  }),
  'billing.denials': channel({
    doc: 'Denied claims grouped by reason (CARC), to correct and resubmit.',
    roles: BILLING,
    scope: 'none',
    input: none,
    output: z.array(
      z.object({
        reason: z.string(),
        description: z.string(),
        claims: z.array(z.object({ id: z.string(), claimNumber: z.string(), patientName: z.string(), serviceDate: z.string(), totalCents: z.number() })),
      }),
    ),
  }),
  'billing.account': channel({
    doc: "A patient's account: ledger entries and balances.",
    roles: ACCOUNTS,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: account,
  }),
  'billing.pay': channel({
    doc: 'Records a payment from the patient (a copay at check-in) and returns its receipt.',
    roles: PAYMENTS,
    scope: ofPatient,
    input: paymentInput,
    output: z.object({ entryId: z.string(), receiptNumber: z.string(), patientBalanceCents: z.number(), receipt: pdf }),
  }),
  'billing.reverse': channel({
    doc: 'Corrects a ledger entry with a reversing entry (the original is kept).',
    roles: ['billing'],
    scope: ofPatient,
    input: z.object({ patientId: z.uuid(), entryId: z.uuid(), reason: z.string().trim().min(3, 'say why it is reversed').max(200) }).strict(),
    output: account,
  }),
  'billing.statement': channel({
    doc: 'A patient statement PDF: activity, what insurance paid, what is owed.',
    roles: ACCOUNTS,
    scope: ofPatient,
    input: z.object({ patientId: z.uuid() }).strict(),
    output: pdf,
  }),
  'billing.aging': channel({
    doc: 'A/R aging by payer and by patient (0–30 … 120+ days).',
    roles: BILLING,
    scope: 'none',
    input: z.object({ asOf: isoDate.optional() }).strict(),
    output: agingReport,
  }),
  'billing.report': channel({
    doc: 'Day sheet, collections by provider or denial rate by reason, with a CSV export.',
    roles: BILLING,
    scope: 'none',
    input: z.object({ kind: z.enum(['day-sheet', 'collections', 'denials']), from: isoDate, to: isoDate }).strict(),
    output: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.union([z.string(), z.number()]))), csv: z.string() }),
  }),
};
