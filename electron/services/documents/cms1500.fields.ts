import type { Cms1500Program } from '../../../shared/domain/billing/codes';
import type { X12Address, X12ClaimBill, X12Person, X12Provider, X12ServiceLine } from '../../../shared/x12/types';

/**
 * What goes in each box of a CMS-1500 (02/12), following the NUCC 1500 instruction manual: names in capitals
 * as LAST, FIRST, MIDDLE, dates as MM DD YY(YY), money without $ or commas, diagnosis codes without the dot.
 * Pure, so the PDF drawing (cms1500.pdf.ts) only places strings.
 */

/** The clinic that bills (2010AA): 33/33a, the tax id of 25 and the phone of 33. */
export interface Cms1500Input {
  billing: X12Provider & { address: X12Address; taxId: string; phone?: string };
  bill: X12ClaimBill;
  /** Box 26, the clinic's own account number for the patient. */
  patientAccountNumber: string;
  /** YYYY-MM-DD, printed beside "SIGNATURE ON FILE" in boxes 12 and 31. */
  signatureDate: string;
  /** Box 5 telephone (and box 7's when the patient is the insured). */
  patientPhone?: string;
}

export interface FormAddress {
  street: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
}

export interface FormLine {
  from: string;
  to: string;
  pos: string;
  cpt: string;
  modifiers: string[];
  /** 24E: letters A–L, no separators ("AB"). */
  pointers: string;
  chargeCents: number;
  units: string;
  /** Shaded part of 24A–G: "N4" + NDC + unit and quantity for a billed drug. */
  supplemental: string;
  /** 24J (unshaded); the shaded part holds ZZ + taxonomy. */
  renderingNpi: string;
  renderingTaxonomy: string;
}

export interface Cms1500Form {
  carrier: string[];
  program: Cms1500Program;
  insuredId: string;
  patient: { name: string; birth: string; sex: 'M' | 'F' | null; address: FormAddress | null; relationship: 'SELF' | 'SPOUSE' | 'CHILD' | 'OTHER' };
  insured: { name: string; address: FormAddress | null; group: string; birth: string; sex: 'M' | 'F' | null; plan: string };
  /** 9, 9a, 9d: the other coverage (on a secondary claim, the primary that already paid). */
  other: { name: string; policy: string; plan: string } | null;
  /** Box 12's date when the release of information is on file; null leaves 12 blank. */
  patientSignature: string | null;
  insuredSignature: boolean;
  referring: { name: string; npi: string } | null;
  diagnoses: string[];
  /** Box 22: 7 replacement or 8 void, with the payer's claim number. */
  resubmission: { code: '7' | '8'; originalRef: string } | null;
  taxId: string;
  accountNumber: string;
  acceptAssignment: boolean;
  totalCents: number;
  /** Box 29: what earlier payers paid; null when no one has. */
  paidCents: number | null;
  providerSignature: string | null;
  facility: { lines: string[]; npi: string } | null;
  billing: { lines: string[]; phone: string; npi: string; taxonomy: string };
  /** The service lines, six to a page. */
  pages: FormLine[][];
}

export const LINES_PER_PAGE = 6;
const LETTERS = 'ABCDEFGHIJKL';

/** Box 1 program for an SBR09 claim filing indicator (resources/billing/claim-filing.json says the same; a test checks). */
export function programOf(filingIndicator: string): Cms1500Program {
  const programs: Record<string, Cms1500Program> = { MA: 'medicare', MB: 'medicare', MC: 'medicaid', CH: 'tricare', VA: 'champva' };
  const group = ['12', '13', '14', '15', '16', '17', 'BL', 'CI', 'FI', 'HM'];
  return programs[filingIndicator] ?? (group.includes(filingIndicator) ? 'group' : 'other');
}

/** MM DD YYYY (or MM DD YY) from YYYY-MM-DD; anything else is printed as given. */
export function formDate(iso: string | undefined, shortYear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return iso ?? '';
  return `${m[2]} ${m[3]} ${shortYear ? m[1]!.slice(2) : m[1]}`;
}

/** LAST, FIRST, MIDDLE in capitals (boxes 2, 4, 9). */
export function formName(p: X12Person): string {
  return [p.lastName, p.firstName, p.middleName]
    .filter((s): s is string => !!s)
    .join(', ')
    .toUpperCase();
}

/** A provider as a person reads it (17, 32, 33): FIRST MIDDLE LAST, or the organisation's name. */
function providerName(p: X12Provider): string {
  const name = p.person ? [p.person.firstName, p.person.middleName, p.person.lastName].filter(Boolean).join(' ') : p.name;
  return name.toUpperCase();
}

function formAddress(a: X12Address | undefined, phone = ''): FormAddress | null {
  if (!a) return null;
  const street = [a.line1, a.line2].filter(Boolean).join(' ');
  return { street: street.toUpperCase(), city: a.city.toUpperCase(), state: a.state.toUpperCase(), zip: a.zip, phone };
}

/** Street, then city/state/zip, in capitals. */
function addressLines(a: X12Address | undefined): string[] {
  return a ? [[a.line1, a.line2].filter(Boolean).join(' ').toUpperCase(), `${a.city.toUpperCase()} ${a.state.toUpperCase()} ${a.zip}`] : [];
}

/** Name, street, then city/state/zip: the three lines of boxes 32 and 33. */
function providerLines(p: X12Provider): string[] {
  return [providerName(p), ...addressLines(p.address)];
}

const sexOf = (s: 'F' | 'M' | 'U'): 'M' | 'F' | null => (s === 'U' ? null : s);
const RELATIONSHIP: Record<string, 'SELF' | 'SPOUSE' | 'CHILD'> = { '18': 'SELF', '01': 'SPOUSE', '19': 'CHILD' };

function formLine(l: X12ServiceLine, claimPos: string, rendering: X12Provider | undefined): FormLine {
  const ndc = l.ndc ? `N4${l.ndc.code.replace(/\D/g, '')} ${l.ndc.unit}${l.ndc.quantity}` : '';
  return {
    from: formDate(l.serviceDate, true),
    to: formDate(l.serviceDate, true),
    pos: l.placeOfService ?? claimPos,
    cpt: l.procedureCode,
    modifiers: l.modifiers.slice(0, 4),
    pointers: l.diagnosisPointers.map((p) => LETTERS[p - 1] ?? '?').join(''),
    chargeCents: l.chargeCents,
    units: String(l.units),
    supplemental: ndc,
    renderingNpi: rendering?.npi ?? '',
    renderingTaxonomy: rendering?.taxonomy ?? '',
  };
}

/** The CMS-1500 box contents for one claim. */
export function cms1500Form(input: Cms1500Input): Cms1500Form {
  const { bill, billing } = input;
  const { claim, subscriber, payer } = bill;
  const self = !bill.patient;
  const patient = bill.patient ?? { person: subscriber.person, birthDate: subscriber.birthDate, sex: subscriber.sex, address: subscriber.address };
  const prior = claim.priorPayments?.[0];
  const paid = claim.priorPayments?.reduce((sum, p) => sum + p.paidCents, 0) ?? null;
  const pages: FormLine[][] = [];
  const lines = claim.lines.map((l) => formLine(l, claim.placeOfService, claim.rendering));
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));
  return {
    carrier: [payer.name.toUpperCase(), ...addressLines(payer.address)],
    program: programOf(subscriber.filingIndicator),
    insuredId: subscriber.memberId,
    patient: {
      name: formName(patient.person),
      birth: formDate(patient.birthDate),
      sex: sexOf(patient.sex),
      address: formAddress(patient.address, input.patientPhone ?? ''),
      relationship: self ? 'SELF' : (RELATIONSHIP[subscriber.relationship] ?? 'OTHER'),
    },
    insured: {
      name: formName(subscriber.person),
      address: formAddress(subscriber.address, self ? (input.patientPhone ?? '') : ''),
      group: subscriber.groupNumber ?? '',
      birth: formDate(subscriber.birthDate),
      sex: sexOf(subscriber.sex),
      plan: payer.name.toUpperCase(),
    },
    other: prior ? { name: formName(prior.subscriber.person), policy: prior.subscriber.memberId, plan: prior.payer.name.toUpperCase() } : null,
    patientSignature: claim.releaseOfInformation === 'Y' ? formDate(input.signatureDate) : null,
    insuredSignature: claim.benefitsAssigned === 'Y',
    referring: claim.referring ? { name: providerName(claim.referring), npi: claim.referring.npi } : null,
    diagnoses: claim.diagnoses.slice(0, 12).map((d) => d.replace('.', '').toUpperCase()),
    resubmission: claim.frequency === '1' ? null : { code: claim.frequency, originalRef: claim.payerClaimNumber ?? '' },
    taxId: billing.taxId.replace(/\D/g, ''),
    accountNumber: input.patientAccountNumber,
    // CLM07 A (assigned) and B (assigned for lab services only) both mean the payer pays the provider.
    acceptAssignment: claim.assignment !== 'C',
    totalCents: claim.totalChargeCents,
    paidCents: paid,
    providerSignature: claim.providerSignature ? formDate(input.signatureDate) : null,
    facility: claim.serviceFacility ? { lines: providerLines(claim.serviceFacility), npi: claim.serviceFacility.npi } : null,
    billing: { lines: providerLines(billing), phone: billing.phone ?? '', npi: billing.npi, taxonomy: billing.taxonomy ?? '' },
    pages: pages.length > 0 ? pages : [[]],
  };
}
