import { createHash } from 'node:crypto';
import { CairnFailure } from '../../../shared/api/result';
import type { ClaimStatus, Finding } from '../../../shared/domain/billing/model';
import { newId } from '../../common/ids';
import type { Remittance835, RemittanceClaim, X12Adjustment } from '../../../shared/x12/types';
import type { Actor } from '../repos/writer';
import type { ClaimRow, ClaimsRepo, LineRow } from './claims.repo';
import type { CoverageRepo } from './coverage.repo';
import type { LedgerRepo, Posting } from './ledger.repo';
import type { BillingRows } from './rows';

export interface PostResult {
  remittanceId: string | null;
  duplicate: boolean;
  claimsMatched: number;
  claimsUnmatched: number;
  postedCents: number;
  secondaryClaims: string[];
}

export interface RemittanceDeps {
  rows: BillingRows;
  claims: ClaimsRepo;
  coverage: CoverageRepo;
  ledger: LedgerRepo;
  /** The scrubber, for the secondary claim a primary's payment opens. */
  scrub: (c: ClaimRow) => Finding[];
}

/** Denied outright (CLP02 4) or reversed (22); 1, 2, 3 and 19–21 are processed. */
const DENIED = '4';
const REVERSAL = '22';

/**
 * Posts a balanced 835: every claim payment matched by its patient control number (CLP01) to a claim,
 * every service line by its procedure code (SVC), every adjustment by group and reason. Contractual
 * and other adjustments write the insurance balance off; patient responsibility (PR) moves to the
 * patient, or to the secondary payer when the patient has one. All in one transaction, once per file.
 */
export function postRemittance(d: RemittanceDeps, era: Remittance835, text: string, actor: Actor): PostResult {
  const hash = createHash('sha256').update(text.replace(/\s+$/, '')).digest('hex');
  const prior = d.rows.get<{ id: string }>('SELECT id FROM remittances WHERE file_hash = ?', hash);
  if (prior) return { remittanceId: prior.id, duplicate: true, claimsMatched: 0, claimsUnmatched: 0, postedCents: 0, secondaryClaims: [] };
  return d.rows.writer.write((at) => {
    const matched = era.claims.map((clp) => ({ clp, claim: d.claims.byNumber(clp.patientControlNumber) }));
    const remittance = d.rows.insert(
      at,
      actor,
      'remittance',
      {
        file_hash: hash,
        control_number: `${era.interchangeControl}/${era.transactionControl}`,
        trace_number: era.traceNumber,
        payer_name: era.payer.name,
        payment_cents: era.paymentCents,
        payment_date: era.paymentDate,
        claims_matched: matched.filter((m) => m.claim).length,
        claims_unmatched: matched.filter((m) => !m.claim).length,
        provider_adjustments: era.providerAdjustments.length ? JSON.stringify(era.providerAdjustments) : null,
      },
      null,
    );
    const remittanceId = String(remittance['id']);
    d.rows.writer.audited(at, 'billing.era.import', actor, null, 'remittance', remittanceId, `${era.payer.name} ${era.traceNumber}: ${era.paymentCents} cents`);
    let postedCents = 0;
    const secondaryClaims: string[] = [];
    matched.forEach(({ clp, claim }, i) => {
      if (!claim) {
        // The same stray payment re-sent (under another trace) is already waiting: not queued twice.
        const waiting = d.rows.get(
          `SELECT 1 FROM unmatched_remittances WHERE patient_control_number = ? AND payer_claim_number IS ? AND paid_cents = ? AND status = 'open'`,
          clp.patientControlNumber,
          clp.payerClaimNumber || null,
          clp.paidCents,
        );
        if (waiting) return;
        d.rows.insert(
          at,
          actor,
          'unmatched_remittance',
          {
            remittance_id: remittanceId,
            patient_control_number: clp.patientControlNumber,
            payer_claim_number: clp.payerClaimNumber || null,
            patient_name: clp.patientName ? `${clp.patientName.firstName ?? ''} ${clp.patientName.lastName}`.trim() : null,
            charge_cents: clp.chargeCents,
            paid_cents: clp.paidCents,
            detail: JSON.stringify(clp),
            status: 'open',
          },
          null,
          'billing.era.unmatched',
        );
        return;
      }
      refuseRepost(d, claim, clp, i);
      postedCents += clp.paidCents;
      const secondary = postClaim(d, at, actor, claim, clp, remittanceId);
      if (secondary) secondaryClaims.push(secondary);
    });
    return {
      remittanceId,
      duplicate: false,
      claimsMatched: matched.filter((m) => m.claim).length,
      claimsUnmatched: matched.filter((m) => !m.claim).length,
      postedCents,
      secondaryClaims,
    };
  });
}

/**
 * A biller settles an unmatched ERA payment: posts it to the claim it belongs to (the CLP as the
 * payer sent it, now matched by hand), or closes it with the reason (a payment for another practice,
 * a duplicate). The queue row stays, with how it was settled.
 */
export function resolveUnmatched(d: RemittanceDeps, id: string, claimId: string | null, note: string, actor: Actor): { claimNumber: string | null } {
  return d.rows.writer.write((at) => {
    const u = d.rows.get<{ remittance_id: string; detail: string; status: string; patient_control_number: string }>(
      'SELECT * FROM unmatched_remittances WHERE id = ?',
      id,
    );
    if (!u) throw new CairnFailure('not_found', 'no such unmatched payment');
    if (u.status !== 'open') throw new CairnFailure('conflict', `this payment was already ${u.status}`);
    if (claimId === null) {
      d.rows.update(at, actor, 'unmatched_remittance', id, { status: 'dismissed' }, null, 'billing.era.dismiss', note);
      return { claimNumber: null };
    }
    const claim = d.claims.row(claimId);
    const clp = JSON.parse(u.detail) as RemittanceClaim;
    refuseRepost(d, claim, clp, 0);
    postClaim(d, at, actor, claim, clp, u.remittance_id);
    d.rows.update(
      at,
      actor,
      'unmatched_remittance',
      id,
      { status: 'posted', resolved_claim_id: claimId },
      claim.patient_id,
      'billing.era.match',
      `${u.patient_control_number} → ${claim.claim_number}: ${note}`,
    );
    return { claimNumber: claim.claim_number };
  });
}

/** A claim payment already posted from another file (same payer claim number, same status) would post twice. */
function refuseRepost(d: RemittanceDeps, claim: ClaimRow, clp: RemittanceClaim, i: number): void {
  if (clp.status === REVERSAL) return;
  const again = d.rows.get<{ trace: string; date: string }>(
    `SELECT r.trace_number AS trace, r.payment_date AS date FROM ledger_entries l JOIN remittances r ON r.id = l.remittance_id
      WHERE l.claim_id = ? AND l.reference = ? AND l.kind IN ('payment', 'adjustment', 'transfer') LIMIT 1`,
    claim.id,
    clp.payerClaimNumber,
  );
  if (again)
    throw new CairnFailure(
      'conflict',
      `CLP segment of claim ${i + 1} (${clp.patientControlNumber}): this claim payment was already posted from ERA ${again.trace} of ${again.date}; nothing in this file was posted`,
    );
}

function postClaim(d: RemittanceDeps, at: string, actor: Actor, claim: ClaimRow, clp: RemittanceClaim, remittanceId: string): string | null {
  const sign = clp.status === REVERSAL ? -1 : 1;
  const hasPr = clp.adjustments.some((a) => a.group === 'PR') || clp.lines.some((l) => l.adjustments.some((a) => a.group === 'PR'));
  // Only a patient share can go to a secondary payer: look one up only then.
  const secondary = hasPr && claim.payer_rank === 1 && clp.status !== REVERSAL ? d.coverage.inForceRef(claim.patient_id, 2, claim.service_date) : undefined;
  const payerRef = claim.coverage_id ? (d.rows.get<{ p: string }>('SELECT payer_ref AS p FROM coverages WHERE id = ?', claim.coverage_id)?.p ?? null) : null;
  const base = { patientId: claim.patient_id, claimId: claim.id, serviceDate: claim.service_date, remittanceId, reference: clp.payerClaimNumber, payerRef };
  const postings: Posting[] = [];
  const post = (p: Omit<Posting, Exclude<keyof typeof base, 'payerRef'>>): void => void postings.push({ ...base, ...p });
  const lines = d.claims.lines(claim.id);
  const used = new Set<string>();
  const lineOf = (code: string): LineRow | undefined => {
    const l = lines.find((x) => x.code === code && !used.has(x.id));
    if (l) used.add(l.id);
    return l;
  };
  const adjust = (a: X12Adjustment, lineId: string | null): void => {
    const amount = sign * a.amountCents;
    const tag = { claimLineId: lineId, adjustmentGroup: a.group, adjustmentReason: a.reason };
    if (a.group === 'PR') {
      // Patient responsibility leaves the primary's balance for the patient's, or for the secondary payer's.
      post({ ...tag, kind: 'transfer', party: 'insurance', amountCents: -amount, memo: secondary ? 'to secondary' : 'to patient' });
      post({ ...tag, kind: 'transfer', party: secondary ? 'insurance' : 'patient', amountCents: amount, payerRef: secondary?.payerRef ?? null });
    } else post({ ...tag, kind: 'adjustment', party: 'insurance', amountCents: -amount });
  };
  for (const a of clp.adjustments) adjust(a, null);
  let linePaid = 0;
  for (const svc of clp.lines) {
    const line = lineOf(svc.procedureCode);
    linePaid += svc.paidCents;
    if (svc.paidCents !== 0) post({ kind: 'payment', party: 'insurance', amountCents: -sign * svc.paidCents, claimLineId: line?.id ?? null, method: 'era' });
    for (const a of svc.adjustments) adjust(a, line?.id ?? null);
  }
  // Paid at claim level only (no SVC), or the lines do not add up to CLP04: the rest is a claim payment.
  const rest = clp.paidCents - linePaid;
  if (rest !== 0) post({ kind: 'payment', party: 'insurance', amountCents: -sign * rest, claimLineId: null, method: 'era' });
  d.ledger.postMany(at, actor, postings);
  const pr = [...clp.adjustments, ...clp.lines.flatMap((l) => l.adjustments)].filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
  const status = nextStatus(d, claim, clp);
  const detail = `ERA ${clp.payerClaimNumber}: paid ${clp.paidCents}, patient ${pr}` + reasons(clp);
  d.claims.move(at, actor, claim, status, detail, {
    paid_cents: claim.paid_cents + sign * clp.paidCents,
    patient_responsibility_cents: claim.patient_responsibility_cents + sign * pr,
    payer_claim_number: clp.payerClaimNumber || claim.payer_claim_number,
  });
  // The claim's move (above) is the audit entry of the posting: it names the ERA and the amounts.
  if (secondary && pr > 0 && status !== 'denied') return openSecondary(d, at, actor, claim, secondary.id);
  return null;
}

function nextStatus(d: RemittanceDeps, claim: ClaimRow, clp: RemittanceClaim): ClaimStatus {
  if (clp.status === REVERSAL) return 'submitted';
  if (clp.status === DENIED) return 'denied';
  // What this payer still owes on the claim: a secondary's share arrived as a transfer on the primary claim.
  const open = d.rows.get<{ n: number }>(
    `SELECT coalesce(sum(amount_cents), 0) AS n FROM ledger_entries
      WHERE claim_id IN (?, ?) AND party = 'insurance' AND payer_ref = (SELECT payer_ref FROM coverages WHERE id = ?)`,
    claim.id,
    claim.related_claim_id,
    claim.coverage_id,
  )!.n;
  if (clp.paidCents === 0 && !clp.adjustments.concat(clp.lines.flatMap((l) => l.adjustments)).some((a) => a.group === 'PR')) return 'denied';
  return open <= 0 ? 'paid' : 'partially_paid';
}

function reasons(clp: RemittanceClaim): string {
  const codes = [...clp.adjustments, ...clp.lines.flatMap((l) => l.adjustments)].map((a) => `${a.group}-${a.reason}`);
  return codes.length ? `; ${[...new Set(codes)].join(' ')}` : '';
}

/** The secondary claim: the primary's lines again, to the secondary coverage, carrying the primary's payment (claim-bill.ts). */
function openSecondary(d: RemittanceDeps, at: string, actor: Actor, primary: ClaimRow, coverageId: string): string {
  const id = newId();
  const claim = d.claims.insert(at, actor, {
    id,
    patient_id: primary.patient_id,
    encounter_id: primary.encounter_id,
    coverage_id: coverageId,
    payer_rank: 2,
    status: 'draft',
    frequency: '1',
    related_claim_id: primary.id,
    service_date: primary.service_date,
    place_of_service: primary.place_of_service,
    diagnoses: primary.diagnoses,
    rendering_id: primary.rendering_id,
    rendering_npi: primary.rendering_npi,
    referring_name: primary.referring_name,
    referring_npi: primary.referring_npi,
    facility: primary.facility,
    total_cents: primary.total_cents,
  });
  for (const l of d.claims.lines(primary.id)) {
    const { line_number, code, modifiers, units, charge_cents, pointers, ndc, ndc_quantity, ndc_unit } = l;
    d.claims.insertLine(at, actor, {
      claim_id: id,
      patient_id: primary.patient_id,
      line_number,
      code,
      modifiers,
      units,
      charge_cents,
      pointers,
      ndc,
      ndc_quantity,
      ndc_unit,
    });
  }
  const findings = d.scrub(claim);
  const ready = !findings.some((f) => f.severity === 'error');
  d.rows.update(at, actor, 'claim', id, { findings: JSON.stringify(findings), status: ready ? 'ready' : 'draft' }, primary.patient_id, 'billing.claim.scrub');
  d.claims.event(at, actor, claim, ready ? 'ready' : 'draft', `secondary claim after ${primary.claim_number} was paid`);
  return claim.claim_number;
}
