import { z } from 'zod';
import { isoDate } from '../clinical';
import { npi } from '../prescriber';

/**
 * Practice management's records as the screens, the CLI and the handlers see them. Money is integer
 * cents everywhere; dates of service are YYYY-MM-DD; timestamps UTC ISO-8601.
 */

export const CLAIM_STATUSES = ['draft', 'ready', 'submitted', 'accepted', 'rejected', 'paid', 'partially_paid', 'denied', 'void'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const RANKS = ['primary', 'secondary', 'tertiary'] as const;
export type Rank = (typeof RANKS)[number];
export const rankNumber = (r: Rank): 1 | 2 | 3 => (r === 'primary' ? 1 : r === 'secondary' ? 2 : 3);
export const rankName = (n: number): Rank => (n === 1 ? 'primary' : n === 2 ? 'secondary' : 'tertiary');

const cents = z
  .number()
  .int('an amount in whole cents')
  .min(0, 'an amount cannot be negative')
  .max(100_000_000_00, 'an amount over $100 million is a typing error');
const shortText = (what: string, max = 60) => z.string().trim().min(1, `${what} is required`).max(max, `${what}: at most ${max} characters`);
/** X12 values cannot hold its delimiters; keep names and ids to letters, digits and plain punctuation. */
const x12Text = (what: string, max = 60) => shortText(what, max).regex(/^[^*~:^|]*$/, `${what} cannot contain * ~ : ^ or |`);

export const FILING_INDICATORS = [
  '09',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  'AM',
  'BL',
  'CH',
  'CI',
  'DS',
  'FI',
  'HM',
  'LM',
  'MA',
  'MB',
  'MC',
  'OF',
  'TV',
  'VA',
  'WC',
  'ZZ',
] as const;

export const payerInput = z
  .object({
    name: x12Text('payer name'),
    payerId: x12Text('payer id', 80).regex(/^[A-Za-z0-9-]+$/, 'payer id: letters, digits and dashes, as the clearinghouse lists it'),
    filingIndicator: z.enum(FILING_INDICATORS, {
      error: 'filing indicator: one of MB (Medicare B), MC (Medicaid), CI (commercial), BL (BCBS), HM (HMO), 12 (PPO) …',
    }),
    addressLine1: x12Text('address', 55).optional(),
    city: x12Text('city', 30).optional(),
    state: z
      .string()
      .regex(/^[A-Z]{2}$/, 'state: two capital letters')
      .optional(),
    zip: z
      .string()
      .regex(/^\d{5}(\d{4})?$/, 'ZIP: 5 or 9 digits')
      .optional(),
    phone: z.string().max(30).optional(),
  })
  .strict();
export const payer = payerInput.extend({ id: z.string() });
export type Payer = z.infer<typeof payer>;

export const RELATIONSHIPS = { self: '18', spouse: '01', child: '19', other: 'G8' } as const;
export const subscriberPerson = z
  .object({
    lastName: x12Text('subscriber last name'),
    firstName: x12Text('subscriber first name'),
    birthDate: isoDate,
    sex: z.enum(['F', 'M', 'U']),
  })
  .strict();

export const coverageInput = z
  .object({
    patientId: z.uuid(),
    payerRef: z.uuid({ error: 'choose a payer from the directory' }),
    rank: z.enum(RANKS).default('primary'),
    memberId: x12Text('member id', 80),
    groupNumber: x12Text('group number', 50).optional(),
    planName: x12Text('plan name', 60).optional(),
    relationship: z.enum(['self', 'spouse', 'child', 'other']).default('self'),
    /** Required unless the patient is the subscriber. */
    subscriber: subscriberPerson.optional(),
    effectiveFrom: isoDate.optional(),
    effectiveTo: isoDate.optional(),
    copayCents: cents.optional(),
    cardFront: z.string().max(3_000_000, 'a card image must be under 2 MB').optional(),
    cardBack: z.string().max(3_000_000, 'a card image must be under 2 MB').optional(),
  })
  .strict()
  .refine((c) => c.relationship === 'self' || c.subscriber !== undefined, {
    path: ['subscriber'],
    message: 'the patient is not the subscriber: enter the subscriber’s name, birth date and sex',
  })
  .refine((c) => !c.effectiveFrom || !c.effectiveTo || c.effectiveFrom <= c.effectiveTo, { path: ['effectiveTo'], message: 'coverage ends before it starts' });

export const eligibilityView = z.object({
  id: z.string(),
  coverageId: z.string(),
  checkedAt: z.string(),
  active: z.boolean().nullable(),
  planName: z.string().nullable(),
  copayCents: z.number().nullable(),
  coinsurancePercent: z.number().nullable(),
  deductibleCents: z.number().nullable(),
  deductibleRemainingCents: z.number().nullable(),
  messages: z.array(z.string()),
});
export type EligibilityView = z.infer<typeof eligibilityView>;

export const coverage = z.object({
  id: z.string(),
  patientId: z.string(),
  payerRef: z.string(),
  payerName: z.string(),
  payerId: z.string(),
  filingIndicator: z.string(),
  rank: z.enum(RANKS),
  memberId: z.string(),
  groupNumber: z.string().nullable(),
  planName: z.string().nullable(),
  relationship: z.enum(['self', 'spouse', 'child', 'other']),
  subscriber: subscriberPerson.nullable(),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  copayCents: z.number().nullable(),
  hasCardFront: z.boolean(),
  hasCardBack: z.boolean(),
  confirmedAt: z.string().nullable(),
  eligibility: eligibilityView.nullable(),
  version: z.number(),
});
export type Coverage = z.infer<typeof coverage>;

export const procedureLine = z
  .object({
    code: z.string().regex(/^[A-Z0-9]{5}$/, 'a procedure code is 5 letters or digits (CPT 99213, HCPCS J1885)'),
    modifiers: z
      .array(z.string().regex(/^[A-Z0-9]{2}$/, 'a modifier is 2 letters or digits'))
      .max(4, 'at most 4 modifiers a line')
      .default([]),
    units: z.number().int().min(1, 'at least 1 unit').max(999, 'at most 999 units').default(1),
    /** 1-based positions in the diagnosis list, up to 4. */
    pointers: z.array(z.number().int().min(1).max(12)).min(1, 'point each line at a diagnosis').max(4, 'at most 4 diagnosis pointers a line').default([1]),
    /** Price override; otherwise the fee schedule prices the line. */
    chargeCents: cents.optional(),
    ndc: z
      .object({
        code: z.string().regex(/^\d{11}$/, 'an NDC is 11 digits (5-4-2, without dashes)'),
        quantity: z.number().positive(),
        unit: z.enum(['UN', 'ML', 'GR', 'F2', 'ME']),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ProcedureLineInput = z.input<typeof procedureLine>;

export const superbillInput = z
  .object({
    encounterId: z.uuid(),
    /** ICD-10-CM codes, ranked (principal first), up to 12. */
    diagnoses: z.array(z.string().trim().toUpperCase()).min(1, 'a claim needs at least one diagnosis').max(12, 'a claim carries at most 12 diagnoses'),
    lines: z.array(procedureLine).min(1, 'add at least one procedure line').max(50),
    renderingNpi: npi.optional(),
    referring: z
      .object({ name: x12Text('referring provider'), npi })
      .strict()
      .optional(),
    placeOfService: z
      .string()
      .regex(/^\d{2}$/, 'place of service is 2 digits (11 office, 02 or 10 telehealth)')
      .default('11'),
    /** The service facility when it is not the billing provider's address. */
    facility: z
      .object({
        name: x12Text('facility name'),
        npi,
        addressLine1: x12Text('address', 55),
        city: x12Text('city', 30),
        state: z.string().regex(/^[A-Z]{2}$/),
        zip: z.string().regex(/^\d{5}(\d{4})?$/),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => s.lines.every((l) => (l.pointers ?? [1]).every((p) => p <= s.diagnoses.length)), {
    path: ['lines'],
    message: 'a line points at a diagnosis that is not on the claim',
  });

export const finding = z.object({ severity: z.enum(['error', 'warning']), field: z.string(), message: z.string() });
export type Finding = z.infer<typeof finding>;

export const claimLineView = z.object({
  id: z.string(),
  lineNumber: z.number(),
  code: z.string(),
  description: z.string().nullable(),
  modifiers: z.array(z.string()),
  units: z.number(),
  chargeCents: z.number(),
  pointers: z.array(z.number()),
  paidCents: z.number(),
  ndc: z.string().nullable(),
});

export const claimView = z.object({
  id: z.string(),
  claimNumber: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  encounterId: z.string().nullable(),
  payerName: z.string().nullable(),
  rank: z.enum(RANKS).nullable(),
  status: z.enum(CLAIM_STATUSES),
  frequency: z.enum(['1', '7', '8']),
  serviceDate: z.string(),
  placeOfService: z.string(),
  diagnoses: z.array(z.string()),
  renderingNpi: z.string().nullable(),
  totalCents: z.number(),
  paidCents: z.number(),
  patientResponsibilityCents: z.number(),
  payerClaimNumber: z.string().nullable(),
  findings: z.array(finding),
  lines: z.array(claimLineView),
  history: z.array(z.object({ status: z.string(), at: z.string(), by: z.string(), detail: z.string().nullable() })),
  version: z.number(),
});
export type ClaimView = z.infer<typeof claimView>;

export const LEDGER_KINDS = ['charge', 'payment', 'adjustment', 'refund', 'transfer', 'reversal'] as const;
export const ledgerEntry = z.object({
  id: z.string(),
  kind: z.enum(LEDGER_KINDS),
  party: z.enum(['patient', 'insurance']),
  amountCents: z.number(),
  postedAt: z.string(),
  serviceDate: z.string().nullable(),
  claimNumber: z.string().nullable(),
  method: z.string().nullable(),
  reference: z.string().nullable(),
  adjustment: z.string().nullable(),
  memo: z.string().nullable(),
  reversed: z.boolean(),
  reversesId: z.string().nullable(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

export const account = z.object({
  patientId: z.string(),
  patientBalanceCents: z.number(),
  insuranceBalanceCents: z.number(),
  entries: z.array(ledgerEntry),
});
export type Account = z.infer<typeof account>;

export const paymentInput = z
  .object({
    patientId: z.uuid(),
    amountCents: cents.min(1, 'enter the amount received'),
    method: z.enum(['cash', 'check', 'card', 'other']),
    reference: z.string().trim().max(60).optional(),
    /** Copay for this visit (optional). */
    encounterId: z.uuid().optional(),
    memo: z.string().trim().max(200).optional(),
  })
  .strict();

export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '91-120', '120+'] as const;
export const agingRow = z.object({ key: z.string(), name: z.string(), buckets: z.array(z.number()).length(5), totalCents: z.number() });
export const agingReport = z.object({
  asOf: z.string(),
  byPayer: z.array(agingRow),
  byPatient: z.array(agingRow),
  totals: z.array(z.number()).length(5),
  totalCents: z.number(),
});
export type AgingReport = z.infer<typeof agingReport>;
