import { bad, comp, date, el, guard, headerOf, optCents } from './access';
import type { X12Interchange, X12TransactionSet } from './envelope';
import type { X12Segment } from './read';
import type { ClaimStatus277, X12Result } from './types';

type Status = ClaimStatus277['claims'][number];

interface ClaimLoop {
  trace: string;
  stcs: X12Segment[];
  payerClaimNumber?: string;
  patientAccount?: string;
}

/**
 * Reads a 277 claim status response (005010X212) or claim acknowledgement (277CA, 005010X214):
 * one entry per claim-level STC in the patient loops (HL 22 subscriber, 23 dependent), with the
 * claim's REF*1K payer claim number and patient control number (REF*EJ; in a 277CA, TRN02 echoes
 * CLM01). STC01 is split into category (A1, A3, F1, P3 …) and status code; STC04/STC05 give the
 * charge and paid amounts. Statuses of single service lines (after SVC) are left out.
 */
export function read277(ic: X12Interchange, set: X12TransactionSet): X12Result<ClaimStatus277> {
  return guard(() => readAll(ic, set));
}

function readAll(ic: X12Interchange, set: X12TransactionSet): ClaimStatus277 {
  const r: ClaimStatus277 = { ...headerOf(ic, set, '277'), claims: [] };
  const isAck = set.version.includes('X214');
  let level = '';
  let claim: ClaimLoop | undefined;
  let inService = false;
  const flush = (): void => {
    if (claim !== undefined) r.claims.push(...statuses(claim, isAck, ic));
    claim = undefined;
  };
  for (const seg of set.segments) {
    if (seg.id === 'HL') {
      flush();
      level = el(seg, 3);
    } else if (seg.id === 'TRN' && (level === '22' || level === '23' || level === 'PT')) {
      flush();
      claim = { trace: el(seg, 2), stcs: [] };
      inService = false;
    } else if (seg.id === 'SVC') {
      inService = true;
    } else if (claim !== undefined && !inService) {
      if (seg.id === 'STC') claim.stcs.push(seg);
      if (seg.id === 'REF' && el(seg, 1) === '1K') claim.payerClaimNumber = el(seg, 2);
      if (seg.id === 'REF' && el(seg, 1) === 'EJ') claim.patientAccount = el(seg, 2);
    }
  }
  flush();
  return r;
}

function statuses(claim: ClaimLoop, isAck: boolean, ic: X12Interchange): Status[] {
  const pcn = claim.patientAccount ?? (isAck && claim.trace ? claim.trace : undefined);
  return claim.stcs.map((stc) => {
    const s: Status = { category: comp(stc, 1, 1, ic.delimiters), statusCode: comp(stc, 1, 2, ic.delimiters) };
    if (s.category === '') bad(stc, 'STC01 has no status category (e.g. "A1:20")');
    if (pcn !== undefined) s.patientControlNumber = pcn;
    if (claim.payerClaimNumber) s.payerClaimNumber = claim.payerClaimNumber;
    const charge = optCents(stc, 4);
    if (charge !== undefined) s.chargeCents = charge;
    const paid = optCents(stc, 5);
    if (paid !== undefined) s.paidCents = paid;
    if (el(stc, 2)) s.date = date(stc, 2);
    if (el(stc, 12)) s.message = el(stc, 12);
    return s;
  });
}
