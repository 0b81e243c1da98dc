import { createHash } from 'node:crypto';
import { CairnFailure } from '../../../shared/api/result';
import type { Finding } from '../../../shared/domain/billing/model';
import { newId } from '../../common/ids';
import type { Remittance835, RemittanceClaim } from '../../../shared/x12/types';
import type { Actor } from '../repos/writer';
import type { ClaimRow } from './claims.repo';
import { EraPosting, type PostingDeps } from './era-posting';

export interface PostResult {
  remittanceId: string | null;
  duplicate: boolean;
  claimsMatched: number;
  claimsUnmatched: number;
  postedCents: number;
  secondaryClaims: string[];
}

export interface RemittanceDeps extends PostingDeps {
  /** The scrubber, for the secondary claim a primary's payment opens. */
  scrub: (c: ClaimRow) => Finding[];
}

/**
 * Posts a balanced 835, all in one transaction, once per file: each claim payment matched by its
 * patient control number (CLP01) to a claim is posted by EraPosting (era-posting.ts, which says
 * how); one that matches no claim waits in the unmatched queue, once.
 */
export function postRemittance(d: RemittanceDeps, era: Remittance835, text: string, actor: Actor): PostResult {
  const hash = createHash('sha256').update(text.replace(/\s+$/, '')).digest('hex');
  const prior = d.rows.get<{ id: string }>('SELECT id FROM remittances WHERE file_hash = ?', hash);
  if (prior) return { remittanceId: prior.id, duplicate: true, claimsMatched: 0, claimsUnmatched: 0, postedCents: 0, secondaryClaims: [] };
  return d.rows.writer.writeLarge((at) => {
    const found = d.claims.payable(
      'claim_number',
      era.claims.map((clp) => clp.patientControlNumber),
    );
    const matched = era.claims.map((clp) => ({ clp, claim: found.get(clp.patientControlNumber) }));
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
    const posting = new EraPosting(d, at, actor, { remittanceId, trace: era.traceNumber, date: era.paymentDate }, [...found.values()]);
    let postedCents = 0;
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
      posting.add(claim, clp, i);
      postedCents += clp.paidCents;
    });
    const secondaryClaims = posting.finish().map((s) => openSecondary(d, at, actor, d.claims.row(s.primaryId), s.coverageId));
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
    const claim = d.claims.payable('id', [claimId]).get(claimId);
    if (!claim) throw new CairnFailure('not_found', 'no such claim');
    const clp = JSON.parse(u.detail) as RemittanceClaim;
    const era = d.rows.get<{ trace: string; date: string }>(
      'SELECT trace_number AS trace, payment_date AS date FROM remittances WHERE id = ?',
      u.remittance_id,
    );
    const posting = new EraPosting(d, at, actor, { remittanceId: u.remittance_id, trace: era?.trace ?? '', date: era?.date ?? '' }, [claim]);
    posting.add(claim, clp, 0);
    for (const s of posting.finish()) openSecondary(d, at, actor, d.claims.row(s.primaryId), s.coverageId);
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
