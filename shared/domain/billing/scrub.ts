import { npiProblem } from '../prescriber';
import type { Finding } from './model';

/** What the scrubber reads of a claim: plain values, gathered by the service. */
export interface ScrubInput {
  serviceDate: string;
  today: string;
  placeOfService: string;
  diagnoses: string[];
  lines: { lineNumber: number; code: string; units: number; chargeCents: number; pointers: number[]; modifiers: string[] }[];
  billing: { npi: string | null; taxId: string | null; name: string | null; address: string | null };
  renderingNpi: string | null;
  referringNpi: string | null;
  facility: { npi: string; address: string } | null;
  /** null: self-pay (no insurance claim is made). */
  coverage: {
    memberId: string;
    payerId: string;
    relationship: string;
    subscriber: { lastName: string; firstName: string; birthDate: string } | null;
    effectiveFrom: string | null;
    effectiveTo: string | null;
    eligibilityActive: boolean | null;
  } | null;
  frequency: '1' | '7' | '8';
  payerClaimNumber: string | null;
  /** ICD-10-CM lookup: undefined when the code does not exist. */
  diagnosis: (code: string) => { billable: boolean; description: string } | undefined;
  /** Whether the clinic's procedure file or fee schedule knows the code. */
  knownProcedure: (code: string) => boolean;
}

const err = (field: string, message: string): Finding => ({ severity: 'error', field, message });
const warn = (field: string, message: string): Finding => ({ severity: 'warning', field, message });

/**
 * The claim scrubber: every reason a payer or clearinghouse would reject the claim, each one
 * sentence a biller can act on. Errors block the claim from a batch; warnings do not.
 */
export function scrubClaim(c: ScrubInput): Finding[] {
  return [...scrubProviders(c), ...scrubCoverage(c), ...scrubDiagnoses(c), ...scrubLines(c), ...scrubDates(c)];
}

function scrubProviders(c: ScrubInput): Finding[] {
  const out: Finding[] = [];
  if (!c.billing.npi) out.push(err('billing.npi', 'The clinic has no billing NPI: an administrator sets it in Billing settings.'));
  else if (npiProblem(c.billing.npi)) out.push(err('billing.npi', `Billing provider: ${npiProblem(c.billing.npi)}.`));
  if (!c.billing.taxId) out.push(err('billing.taxId', 'The clinic has no tax id (EIN): an administrator sets it in Billing settings.'));
  if (!c.billing.address) out.push(err('billing.address', 'The billing provider has no street address; payers refuse a P.O. box or none.'));
  if (!c.renderingNpi)
    out.push(err('renderingNpi', 'No rendering provider NPI: choose the physician who saw the patient (their NPI is on their user profile).'));
  else if (npiProblem(c.renderingNpi)) out.push(err('renderingNpi', `Rendering provider: ${npiProblem(c.renderingNpi)}.`));
  if (c.referringNpi && npiProblem(c.referringNpi)) out.push(err('referring.npi', `Referring provider: ${npiProblem(c.referringNpi)}.`));
  if (c.facility) {
    if (npiProblem(c.facility.npi)) out.push(err('facility.npi', `Service facility: ${npiProblem(c.facility.npi)}.`));
    if (c.billing.address && sameAddress(c.facility.address, c.billing.address))
      out.push(
        err(
          'facility',
          'The service facility is the billing provider’s own address: leave the facility out, or payers reject the claim for printing it twice.',
        ),
      );
  }
  return out;
}

function scrubCoverage(c: ScrubInput): Finding[] {
  const cov = c.coverage;
  if (!cov) return [];
  const out: Finding[] = [];
  if (!cov.memberId.trim()) out.push(err('coverage.memberId', 'The coverage has no member id: copy it from the insurance card.'));
  if (!cov.payerId.trim()) out.push(err('coverage.payer', 'The payer has no payer id: add it in the payer directory.'));
  if (cov.relationship !== '18' && !cov.subscriber)
    out.push(err('coverage.subscriber', 'The patient is not the subscriber, but the subscriber’s name and birth date are missing.'));
  if (cov.effectiveFrom && c.serviceDate < cov.effectiveFrom)
    out.push(err('coverage.dates', `The coverage starts ${cov.effectiveFrom}, after the date of service ${c.serviceDate}.`));
  if (cov.effectiveTo && c.serviceDate > cov.effectiveTo)
    out.push(err('coverage.dates', `The coverage ended ${cov.effectiveTo}, before the date of service ${c.serviceDate}.`));
  if (cov.eligibilityActive === false)
    out.push(warn('coverage.eligibility', 'The last eligibility check said this coverage is inactive: check again before sending.'));
  if (c.frequency !== '1' && !c.payerClaimNumber)
    out.push(err('payerClaimNumber', 'A replacement or void needs the payer’s claim number of the original claim (from its remittance).'));
  return out;
}

function scrubDiagnoses(c: ScrubInput): Finding[] {
  const out: Finding[] = [];
  if (c.diagnoses.length === 0) out.push(err('diagnoses', 'The claim has no diagnosis.'));
  if (c.diagnoses.length > 12) out.push(err('diagnoses', `A claim carries at most 12 diagnoses; this one has ${c.diagnoses.length}.`));
  const seen = new Set<string>();
  c.diagnoses.forEach((code, i) => {
    const d = c.diagnosis(code);
    if (!d) out.push(err(`diagnoses.${i}`, `${code} is not an ICD-10-CM code.`));
    else if (!d.billable) out.push(err(`diagnoses.${i}`, `${code} (${d.description}) is a category, not billable: choose a more specific code under it.`));
    if (seen.has(code)) out.push(err(`diagnoses.${i}`, `${code} is on the claim twice.`));
    seen.add(code);
  });
  return out;
}

function scrubLines(c: ScrubInput): Finding[] {
  const out: Finding[] = [];
  if (c.lines.length === 0) out.push(err('lines', 'The claim has no procedure line.'));
  for (const l of c.lines) {
    const at = `lines.${l.lineNumber - 1}`;
    if (!c.knownProcedure(l.code)) out.push(warn(at, `Line ${l.lineNumber}: ${l.code} is not in the clinic’s code file or fee schedule; check the code.`));
    if (l.chargeCents <= 0) out.push(err(at, `Line ${l.lineNumber}: ${l.code} has no charge: add it to the fee schedule or enter a price.`));
    if (l.units < 1) out.push(err(at, `Line ${l.lineNumber}: units must be at least 1.`));
    for (const p of l.pointers)
      if (p < 1 || p > c.diagnoses.length)
        out.push(err(at, `Line ${l.lineNumber}: diagnosis pointer ${p} points to no diagnosis (the claim has ${c.diagnoses.length}).`));
    if (l.pointers.length === 0) out.push(err(at, `Line ${l.lineNumber}: point the line at the diagnosis it treats.`));
    if (new Set(l.modifiers).size !== l.modifiers.length) out.push(err(at, `Line ${l.lineNumber}: a modifier is repeated.`));
  }
  return out;
}

function scrubDates(c: ScrubInput): Finding[] {
  const out: Finding[] = [];
  if (c.serviceDate > c.today) out.push(err('serviceDate', `The date of service ${c.serviceDate} is in the future: bill after the visit.`));
  if (!/^\d{2}$/.test(c.placeOfService)) out.push(err('placeOfService', 'Place of service must be a 2-digit code (11 office, 02 or 10 telehealth).'));
  return out;
}

function sameAddress(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return norm(a) === norm(b);
}
