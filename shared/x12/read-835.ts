import { at, bad, cents, comps, date, el, guard, headerOf, quantity } from './access';
import type { X12Interchange, X12TransactionSet } from './envelope';
import type { X12Segment } from './read';
import type { RemittanceClaim, RemittanceLine, Remittance835, X12Adjustment, X12Result } from './types';
import { formatCents, parseD8 } from './values';

const GROUPS = new Set(['CO', 'PR', 'OA', 'PI', 'CR']);

/**
 * Reads an 835 remittance (005010X221A1): the payment (BPR, TRN), payer and payee (N1*PR, N1*PE),
 * each claim payment (CLP with its CAS, NM1*QC, MOA/MIA remarks), its service lines (SVC with
 * DTM*472, CAS, LQ*HE) and provider-level adjustments (PLB, "WO:ref" reasons split).
 * Amounts become integer cents. Does not check that the file balances: see `checkBalance`.
 */
export function read835(ic: X12Interchange, set: X12TransactionSet): X12Result<Remittance835> {
  return guard(() => readAll(ic, set));
}

interface State {
  r: Remittance835;
  claim: RemittanceClaim | undefined;
  line: RemittanceLine | undefined;
  bpr: X12Segment | undefined;
  productionDate: string | undefined;
}

function readAll(ic: X12Interchange, set: X12TransactionSet): Remittance835 {
  const r: Remittance835 = {
    ...headerOf(ic, set, '835'),
    paymentCents: 0,
    method: '',
    traceNumber: '',
    paymentDate: '',
    payer: { name: '' },
    payee: { name: '' },
    claims: [],
    providerAdjustments: [],
  };
  const s: State = { r, claim: undefined, line: undefined, bpr: undefined, productionDate: undefined };
  for (const seg of set.segments) readSegment(s, seg, ic);
  const st = set.segments[0]!;
  if (s.bpr === undefined) bad(st, 'the 835 has no BPR segment, which states the payment', 'content');
  if (r.traceNumber === '') bad(st, 'the 835 has no TRN*1 segment, which gives the check or EFT trace number', 'content');
  settleDate(s, s.bpr);
  if (r.warnings?.length === 0) delete r.warnings;
  return r;
}

function readSegment(s: State, seg: X12Segment, ic: X12Interchange): void {
  const { r } = s;
  switch (seg.id) {
    case 'BPR':
      s.bpr = seg;
      r.paymentCents = cents(seg, 2);
      r.method = el(seg, 4);
      return;
    case 'TRN':
      if (el(seg, 1) === '1' && r.traceNumber === '') r.traceNumber = el(seg, 2);
      return;
    case 'DTM':
      return readDate(s, seg);
    case 'N1':
      if (el(seg, 1) === 'PR') r.payer = el(seg, 4) ? { name: el(seg, 2), id: el(seg, 4) } : { name: el(seg, 2) };
      if (el(seg, 1) === 'PE') r.payee = el(seg, 3) === 'XX' ? { name: el(seg, 2), npi: el(seg, 4) } : { name: el(seg, 2) };
      return;
    case 'REF':
      // REF*2U is the payer's id when N1*PR did not give one.
      if (el(seg, 1) === '2U' && s.claim === undefined && r.payer.id === undefined) r.payer.id = el(seg, 2);
      return;
    case 'CLP':
      s.claim = readClaim(seg);
      s.line = undefined;
      r.claims.push(s.claim);
      return;
    case 'CAS':
      (s.line ?? inClaim(s, seg)).adjustments.push(...readCas(seg));
      return;
    case 'NM1':
      if (el(seg, 1) === 'QC' && s.claim !== undefined) s.claim.patientName = person(seg);
      return;
    case 'MOA':
      inClaim(s, seg).remarks.push(...remarks(seg, [3, 4, 5, 6, 7]));
      return;
    case 'MIA':
      inClaim(s, seg).remarks.push(...remarks(seg, [5, 20, 21, 22, 23]));
      return;
    case 'SVC':
      s.line = readLine(seg, ic, r);
      inClaim(s, seg).lines.push(s.line);
      return;
    case 'LQ':
      if (s.line !== undefined && el(seg, 2) !== '') s.line.remarks.push(el(seg, 2));
      return;
    case 'PLB':
      r.providerAdjustments.push(...readPlb(seg, ic));
      return;
    default:
      return;
  }
}

function readDate(s: State, seg: X12Segment): void {
  const q = el(seg, 1);
  if (q === '405' && s.claim === undefined) s.productionDate = parseD8(el(seg, 2)) ?? undefined;
  // 472 is the service date; 150 (period start) stands in when a line gives a period instead.
  if (s.line !== undefined && (q === '472' || (q === '150' && s.line.serviceDate === undefined))) s.line.serviceDate = date(seg, 2);
}

function readClaim(seg: X12Segment): RemittanceClaim {
  if (el(seg, 1) === '') bad(seg, 'CLP01 (the patient control number) is empty');
  return {
    patientControlNumber: el(seg, 1),
    status: el(seg, 2),
    chargeCents: cents(seg, 3),
    paidCents: cents(seg, 4),
    patientResponsibilityCents: cents(seg, 5, 0),
    payerClaimNumber: el(seg, 7),
    adjustments: [],
    remarks: [],
    lines: [],
  };
}

function readLine(seg: X12Segment, ic: X12Interchange, r: Remittance835): RemittanceLine {
  const parts = comps(seg, 1, ic.delimiters);
  if (parts.length === 1) {
    // Seen in the wild ("HC>55669"): a composite written with another separator than ISA16 declares.
    warn(r, `${at(seg)}: SVC01 ${JSON.stringify(parts[0])} has no component separator "${ic.delimiters.component}" (ISA16); read as one procedure code`);
  }
  return {
    procedureCode: parts.length === 1 ? parts[0]! : (parts[1] ?? ''),
    modifiers: parts.slice(2, 6).filter(Boolean),
    chargeCents: cents(seg, 2),
    paidCents: cents(seg, 3),
    units: quantity(seg, 5, 1),
    adjustments: [],
    remarks: [],
  };
}

/** CAS: a group code, then up to six reason/amount/quantity triples. */
export function readCas(seg: X12Segment): X12Adjustment[] {
  const group = el(seg, 1);
  if (!GROUPS.has(group)) bad(seg, `CAS01 "${group}" is not an adjustment group (CO, PR, OA, PI or CR)`);
  const out: X12Adjustment[] = [];
  for (let k = 0; k < 6; k++) {
    const reason = el(seg, 2 + 3 * k);
    if (reason === '') continue;
    const a: X12Adjustment = { group: group as X12Adjustment['group'], reason, amountCents: cents(seg, 3 + 3 * k) };
    if (el(seg, 4 + 3 * k) !== '') a.quantity = quantity(seg, 4 + 3 * k, 0);
    out.push(a);
  }
  if (out.length === 0) bad(seg, 'CAS has a group code but no reason and amount');
  return out;
}

function readPlb(seg: X12Segment, ic: X12Interchange): Remittance835['providerAdjustments'] {
  const out: Remittance835['providerAdjustments'] = [];
  for (let n = 3; n <= 13; n += 2) {
    if (el(seg, n) === '') continue;
    const [reason = '', reference] = comps(seg, n, ic.delimiters);
    const adj: Remittance835['providerAdjustments'][number] = { reason, amountCents: cents(seg, n + 1) };
    if (reference) adj.reference = reference;
    out.push(adj);
  }
  return out;
}

function remarks(seg: X12Segment, positions: number[]): string[] {
  return positions.map((n) => el(seg, n)).filter((v) => v !== '');
}

function inClaim(s: State, seg: X12Segment): RemittanceClaim {
  if (s.claim === undefined) bad(seg, `${seg.id} comes before any claim payment (CLP)`);
  return s.claim;
}

function person(seg: X12Segment): NonNullable<RemittanceClaim['patientName']> {
  const p: NonNullable<RemittanceClaim['patientName']> = { lastName: el(seg, 3) };
  if (el(seg, 4)) p.firstName = el(seg, 4);
  if (el(seg, 5)) p.middleName = el(seg, 5);
  return p;
}

/** BPR16, or the production date (DTM*405) with a warning when BPR16 is missing or not a date. */
function settleDate(s: State, bpr: X12Segment): void {
  const text = el(bpr, 16);
  const d = parseD8(text);
  if (d !== null) {
    s.r.paymentDate = d;
    return;
  }
  s.r.paymentDate = s.productionDate ?? '';
  const instead = s.productionDate ? `the production date (DTM*405) ${s.productionDate} is used instead` : 'no payment date is known';
  warn(s.r, `${at(bpr)}: BPR16 ${text === '' ? 'is empty' : `${JSON.stringify(text)} is not a date`}; ${instead}`);
}

function warn(r: Remittance835, message: string): void {
  (r.warnings ??= []).push(message);
}

/**
 * Checks that an 835 balances: BPR02 (the payment) equals the sum of the claim payments (CLP04)
 * less the provider-level adjustments (PLB). A file that does not balance must not be posted.
 */
export function checkBalance(r: Remittance835): X12Result<{ claimsPaidCents: number; providerAdjustmentsCents: number }> {
  const claimsPaidCents = r.claims.reduce((n, c) => n + c.paidCents, 0);
  const providerAdjustmentsCents = r.providerAdjustments.reduce((n, a) => n + a.amountCents, 0);
  const expected = claimsPaidCents - providerAdjustmentsCents;
  if (expected === r.paymentCents) return { ok: true, value: { claimsPaidCents, providerAdjustmentsCents } };
  const message =
    `BPR segment: BPR02 pays ${formatCents(r.paymentCents)}, but the claim payments (CLP04) add up to ${formatCents(claimsPaidCents)} ` +
    `less provider adjustments (PLB) of ${formatCents(providerAdjustmentsCents)} = ${formatCents(expected)}; the remittance does not balance and must not be posted`;
  return { ok: false, error: { code: 'content', message, segmentId: 'BPR' } };
}
