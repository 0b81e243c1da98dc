import { CairnFailure } from '../../../shared/api/result';
import type { BillingSettings } from '../../../shared/domain/billing/settings';
import type { X12Address, X12Adjustment, X12ClaimBill, X12Person, X12PriorPayment, X12Provider } from '../../../shared/x12/types';
import type { ClaimRow, ClaimsRepo } from './claims.repo';
import type { CoverageRepo } from './coverage.repo';
import type { BillingRows } from './rows';

interface PatientRow {
  given_name: string;
  middle_name: string | null;
  family_name: string;
  birth_date: string;
  sex: string;
  address_line1: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
}

const SEX: Record<string, 'F' | 'M' | 'U'> = { female: 'F', male: 'M' };
/** X12 values cannot hold its delimiters; names typed with them are written with a space instead. */
const clean = (s: string): string => s.replace(/[*~:^|]/g, ' ').trim();

function addressOf(p: PatientRow): X12Address | undefined {
  if (!p.address_line1 || !p.city || !p.state || !p.postal_code) return undefined;
  return { line1: clean(p.address_line1), city: clean(p.city), state: p.state.toUpperCase().slice(0, 2), zip: p.postal_code.replace(/\D/g, '') };
}

export function billingProvider(s: BillingSettings): X12Provider & { address: X12Address; taxId: string } {
  return {
    name: s.billingName,
    npi: s.billingNpi,
    ...(s.taxonomy ? { taxonomy: s.taxonomy } : {}),
    address: { line1: s.addressLine1, city: s.city, state: s.state, zip: s.zip },
    taxId: s.taxId,
  };
}

/** One stored claim as the 837P and the CMS-1500 need it: subscriber, patient, payer, lines and any prior payment. */
export function claimBill(rows: BillingRows, claims: ClaimsRepo, coverage: CoverageRepo, c: ClaimRow, s: BillingSettings): X12ClaimBill {
  if (!c.coverage_id || c.payer_rank === null) throw new CairnFailure('conflict', `claim ${c.claim_number} is self-pay: there is no payer to send it to`);
  const cov = coverage.get(c.coverage_id, { eligibility: false });
  const payer = rows.get<{ name: string; payer_id: string; address_line1: string | null; city: string | null; state: string | null; zip: string | null }>(
    'SELECT * FROM payers WHERE id = ?',
    cov.payerRef,
  )!;
  const p = rows.get<PatientRow>('SELECT * FROM patients WHERE id = ?', c.patient_id)!;
  const person: X12Person = { lastName: clean(p.family_name), firstName: clean(p.given_name), ...(p.middle_name ? { middleName: clean(p.middle_name) } : {}) };
  const sex = SEX[p.sex] ?? 'U';
  const self = cov.relationship === 'self' || !cov.subscriber;
  const rendering = c.rendering_npi ? renderingOf(rows, c) : undefined;
  const facility = c.facility
    ? (JSON.parse(c.facility) as { name: string; npi: string; addressLine1: string; city: string; state: string; zip: string })
    : null;
  return {
    payer: { name: clean(payer.name), payerId: payer.payer_id },
    payerResponsibility: c.payer_rank === 1 ? 'P' : c.payer_rank === 2 ? 'S' : 'T',
    subscriber: {
      memberId: cov.memberId,
      ...(cov.groupNumber ? { groupNumber: cov.groupNumber } : {}),
      filingIndicator: cov.filingIndicator,
      person: self ? person : { lastName: cov.subscriber!.lastName, firstName: cov.subscriber!.firstName },
      birthDate: self ? p.birth_date : cov.subscriber!.birthDate,
      sex: self ? sex : cov.subscriber!.sex,
      ...(self && addressOf(p) ? { address: addressOf(p)! } : {}),
      relationship: self ? '18' : cov.relationship === 'spouse' ? '01' : cov.relationship === 'child' ? '19' : 'G8',
    },
    ...(self ? {} : { patient: { person, birthDate: p.birth_date, sex, ...(addressOf(p) ? { address: addressOf(p)! } : {}) } }),
    claim: {
      patientControlNumber: c.claim_number,
      totalChargeCents: c.total_cents,
      placeOfService: c.place_of_service,
      frequency: c.frequency,
      ...(c.payer_claim_number && c.frequency !== '1' ? { payerClaimNumber: c.payer_claim_number } : {}),
      providerSignature: s.providerSignatureOnFile,
      assignment: s.acceptAssignment,
      benefitsAssigned: s.benefitsAssigned,
      releaseOfInformation: s.releaseOfInformation,
      diagnoses: (JSON.parse(c.diagnoses) as string[]).map((d) => d.replace('.', '')),
      ...(rendering ? { rendering } : {}),
      ...(c.referring_npi && c.referring_name
        ? { referring: { name: clean(c.referring_name), person: splitName(c.referring_name), npi: c.referring_npi } }
        : {}),
      ...(facility
        ? {
            serviceFacility: {
              name: facility.name,
              npi: facility.npi,
              address: { line1: facility.addressLine1, city: facility.city, state: facility.state, zip: facility.zip },
            },
          }
        : {}),
      ...(c.payer_rank > 1 ? { priorPayments: priorPayments(rows, claims, coverage, c) } : {}),
      lines: claims.lines(c.id).map((l) => ({
        procedureCode: l.code,
        modifiers: l.modifiers ? l.modifiers.split(',') : [],
        chargeCents: l.charge_cents,
        units: l.units,
        diagnosisPointers: l.pointers.split(',').map(Number),
        serviceDate: c.service_date,
        ...(l.ndc && l.ndc_unit ? { ndc: { code: l.ndc, quantity: (l.ndc_quantity ?? 1000) / 1000, unit: l.ndc_unit as 'UN' } } : {}),
      })),
    },
  };
}

function splitName(name: string): X12Person {
  const parts = clean(name).split(/\s+/);
  return parts.length > 1 ? { lastName: parts[parts.length - 1]!, firstName: parts.slice(0, -1).join(' ') } : { lastName: parts[0] ?? name };
}

function renderingOf(rows: BillingRows, c: ClaimRow): X12Provider {
  const u = c.rendering_id ? rows.get<{ display_name: string }>('SELECT display_name FROM users WHERE id = ?', c.rendering_id) : undefined;
  const person = splitName((u?.display_name ?? 'Provider').replace(/^Dr\.?\s+/i, '').replace(/,.*$/, ''));
  return { name: person.lastName, person, npi: c.rendering_npi! };
}

/**
 * A secondary claim carries what the primary did (2320/2330/2430): its payment and adjustments, read
 * back from the ledger entries the primary's 835 posted.
 */
function priorPayments(rows: BillingRows, claims: ClaimsRepo, coverage: CoverageRepo, c: ClaimRow): X12PriorPayment[] {
  if (!c.related_claim_id) throw new CairnFailure('conflict', `secondary claim ${c.claim_number} does not name its primary claim`);
  const primary = claims.row(c.related_claim_id);
  const cov = coverage.get(primary.coverage_id!);
  const entries = rows.all<{
    claim_line_id: string | null;
    kind: string;
    amount_cents: number;
    adjustment_group: string | null;
    adjustment_reason: string | null;
    posted_at: string;
  }>(
    `SELECT claim_line_id, kind, amount_cents, adjustment_group, adjustment_reason, posted_at FROM ledger_entries
      WHERE claim_id = ? AND party = 'insurance' AND payer_ref = ? AND remittance_id IS NOT NULL AND kind IN ('payment', 'adjustment', 'transfer')`,
    primary.id,
    cov.payerRef,
  );
  const paidDate =
    rows.get<{ d: string }>(
      `SELECT r.payment_date AS d FROM remittances r JOIN ledger_entries l ON l.remittance_id = r.id WHERE l.claim_id = ? LIMIT 1`,
      primary.id,
    )?.d ?? c.service_date;
  const adjOf = (list: typeof entries): X12Adjustment[] =>
    list
      .filter((e) => e.adjustment_group)
      .map((e) => ({ group: e.adjustment_group as X12Adjustment['group'], reason: e.adjustment_reason ?? '', amountCents: -e.amount_cents }));
  const primaryLines = claims.lines(primary.id);
  return [
    {
      payer: { name: cov.payerName, payerId: cov.payerId },
      filingIndicator: cov.filingIndicator,
      subscriber: {
        memberId: cov.memberId,
        person: cov.subscriber ? { lastName: cov.subscriber.lastName, firstName: cov.subscriber.firstName } : patientPerson(rows, c.patient_id),
      },
      paidCents: -entries.filter((e) => e.kind === 'payment').reduce((s, e) => s + e.amount_cents, 0),
      adjustments: adjOf(entries.filter((e) => e.claim_line_id === null)),
      lines: primaryLines.map((l, i) => {
        const mine = entries.filter((e) => e.claim_line_id === l.id);
        return {
          lineNumber: i + 1,
          procedureCode: l.code,
          paidCents: -mine.filter((e) => e.kind === 'payment').reduce((s, e) => s + e.amount_cents, 0),
          units: l.units,
          adjustments: adjOf(mine),
          paidDate,
        };
      }),
      paidDate,
    },
  ];
}

function patientPerson(rows: BillingRows, patientId: string): X12Person {
  const p = rows.get<PatientRow>('SELECT * FROM patients WHERE id = ?', patientId)!;
  return { lastName: clean(p.family_name), firstName: clean(p.given_name) };
}
