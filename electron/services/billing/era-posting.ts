import { CairnFailure } from '../../../shared/api/result';
import type { ClaimStatus } from '../../../shared/domain/billing/model';
import type { RemittanceClaim, X12Adjustment } from '../../../shared/x12/types';
import type { Actor } from '../repos/writer';
import { checkMove, type ClaimsRepo, type PayableClaim } from './claims.repo';
import type { CoverageRepo } from './coverage.repo';
import type { LedgerRepo, Posting } from './ledger.repo';
import type { BillingRows, Row } from './rows';

/** Denied outright (CLP02 4) or reversed (22); 1, 2, 3 and 19–21 are processed. */
export const DENIED = '4';
export const REVERSAL = '22';

/** Claim payments worked out before their rows are written: enough to share statements, few enough to keep memory small. */
const FLUSH_EVERY = 256;

export interface PostingDeps {
  rows: BillingRows;
  claims: ClaimsRepo;
  coverage: CoverageRepo;
  ledger: LedgerRepo;
}

/** The remittance a claim payment comes from: its row, and how a repeated payment names it. */
export interface EraSource {
  remittanceId: string;
  trace: string;
  date: string;
}

/** What a posted claim payment hands on: the primary claim whose patient share goes to this secondary coverage. */
export interface SecondaryToOpen {
  primaryId: string;
  coverageId: string;
}

const key = (claimId: string, other: string): string => `${claimId}\u0000${other}`;

/**
 * The claim payments of one 835 (or one payment matched by hand), posted together. Every claim
 * payment matched by its patient control number (CLP01) to a claim, every service line by its
 * procedure code (SVC), every adjustment by group and reason. Contractual and other adjustments
 * write the insurance balance off; patient responsibility (PR) moves to the patient, or to the
 * secondary payer when the patient has one.
 *
 * What the claim payments need is read once for all the claims (their lines, payers, secondary
 * coverages, their ledger entries: the payments already posted and what each payer still owes),
 * each payment is worked out in memory in file order, and the ledger entries and the claims' moves
 * are written a few hundred claims at a time, in a few statements: a read and a few writes per
 * claim had cost five times what the rows themselves cost. A claim paid twice in one file sees its
 * first payment (its status, its amounts, what it still owes).
 */
export class EraPosting {
  private readonly lines: Map<string, { id: string; code: string }[]>;
  /** Remittances whose payment of a claim (by payer claim number) is posted: a second one is refused. */
  private readonly posted = new Map<string, string[]>();
  /** What each payer still owes on each claim (its insurance entries, by claim and payer). */
  private readonly owed = new Map<string, number>();
  private readonly secondaryOf: (patientId: string, onDate: string) => { id: string; payerRef: string } | undefined;
  /** Each claim as its last payment in this file left it. */
  private readonly current = new Map<string, PayableClaim>();
  private postings: Posting[] = [];
  private moves: { c: PayableClaim; status: ClaimStatus; detail: string; more: Row }[] = [];
  private readonly secondaries: SecondaryToOpen[] = [];

  constructor(
    private readonly d: PostingDeps,
    private readonly at: string,
    private readonly actor: Actor,
    private readonly source: EraSource,
    claims: readonly PayableClaim[],
  ) {
    const ids = claims.map((c) => c.id);
    this.lines = d.claims.lineCodesOf(ids);
    // A secondary claim's payer was owed its share as a transfer on the primary claim: read both.
    const related = claims.flatMap((c) => (c.related_claim_id ? [c.related_claim_id] : []));
    for (const e of d.rows.allIn<{
      claim_id: string;
      kind: string;
      party: string;
      payer_ref: string | null;
      reference: string | null;
      remittance_id: string | null;
      n: number;
    }>(
      (m) => `SELECT claim_id, kind, party, payer_ref, reference, remittance_id, amount_cents AS n FROM ledger_entries WHERE claim_id IN (${m})`,
      [...ids, ...related],
    )) {
      if (e.party === 'insurance' && e.payer_ref !== null)
        this.owed.set(key(e.claim_id, e.payer_ref), (this.owed.get(key(e.claim_id, e.payer_ref)) ?? 0) + e.n);
      if (e.reference !== null && e.remittance_id !== null && (e.kind === 'payment' || e.kind === 'adjustment' || e.kind === 'transfer'))
        this.markPosted(key(e.claim_id, e.reference), e.remittance_id);
    }
    this.secondaryOf = d.coverage.inForceRefs(
      claims.filter((c) => c.payer_rank === 1).map((c) => c.patient_id),
      2,
    );
  }

  /**
   * Works out one claim payment (the `i`th of its file): refused when the same payment (payer claim
   * number) was posted to the claim already, from another file or earlier in this one.
   */
  add(found: PayableClaim, clp: RemittanceClaim, i: number): void {
    const claim = this.current.get(found.id) ?? found;
    const paidKey = key(claim.id, clp.payerClaimNumber);
    if (clp.status !== REVERSAL) {
      const again = this.postedFrom(paidKey);
      if (again)
        throw new CairnFailure(
          'conflict',
          `CLP segment of claim ${i + 1} (${clp.patientControlNumber}): this claim payment was already posted from ERA ${again.trace} of ${again.date}; nothing in this file was posted`,
        );
    }
    let pr = 0;
    let hasPr = false;
    const codes = new Set<string>();
    const read = (a: X12Adjustment): void => {
      codes.add(`${a.group}-${a.reason}`);
      if (a.group !== 'PR') return;
      pr += a.amountCents;
      hasPr = true;
    };
    for (const a of clp.adjustments) read(a);
    for (const l of clp.lines) for (const a of l.adjustments) read(a);
    // Only a patient share can go to a secondary payer: look one up only then.
    const secondary = hasPr && claim.payer_rank === 1 && clp.status !== REVERSAL ? this.secondaryOf(claim.patient_id, claim.service_date) : undefined;
    const payerRef = claim.payer_ref;
    const before = this.postings.length;
    this.postingsOf(claim, clp, payerRef, secondary?.payerRef);
    for (let k = before; k < this.postings.length; k++) {
      const p = this.postings[k]!;
      if (p.party === 'insurance' && p.payerRef) this.owed.set(key(claim.id, p.payerRef), (this.owed.get(key(claim.id, p.payerRef)) ?? 0) + p.amountCents);
    }
    if (this.postings.length > before) this.markPosted(paidKey, this.source.remittanceId);
    const status = this.nextStatus(claim, clp, payerRef, hasPr);
    checkMove(claim, status);
    const sign = clp.status === REVERSAL ? -1 : 1;
    const more = {
      paid_cents: claim.paid_cents + sign * clp.paidCents,
      patient_responsibility_cents: claim.patient_responsibility_cents + sign * pr,
      payer_claim_number: clp.payerClaimNumber || claim.payer_claim_number,
    };
    const detail = `ERA ${clp.payerClaimNumber}: paid ${clp.paidCents}, patient ${pr}${codes.size ? `; ${[...codes].join(' ')}` : ''}`;
    this.moves.push({ c: claim, status, detail, more });
    this.current.set(claim.id, { ...claim, status, ...more });
    if (secondary && pr > 0 && status !== 'denied') this.secondaries.push({ primaryId: claim.id, coverageId: secondary.id });
    if (this.moves.length >= FLUSH_EVERY) this.flush();
  }

  /** Writes what is left to write; returns the secondary claims the caller opens. */
  finish(): SecondaryToOpen[] {
    this.flush();
    return this.secondaries;
  }

  /**
   * Writes the claim payments worked out so far: every ledger entry (one outbox entry each), then
   * every claim's move (its audit entry, which names the ERA and the amounts, its sync entry and
   * its history).
   */
  private flush(): void {
    this.d.ledger.postAll(this.at, this.actor, this.postings);
    this.d.claims.moveMany(this.at, this.actor, this.moves);
    this.postings = [];
    this.moves = [];
  }

  private markPosted(k: string, remittanceId: string): void {
    const list = this.posted.get(k);
    if (!list) this.posted.set(k, [remittanceId]);
    else if (!list.includes(remittanceId)) list.push(remittanceId);
  }

  /** The remittance a payment was posted from (read only when one was). */
  private postedFrom(k: string): { trace: string; date: string } | undefined {
    for (const id of this.posted.get(k) ?? []) {
      if (id === this.source.remittanceId) return { trace: this.source.trace, date: this.source.date };
      const r = this.d.rows.get<{ trace: string; date: string }>('SELECT trace_number AS trace, payment_date AS date FROM remittances WHERE id = ?', id);
      if (r) return r;
    }
    return undefined;
  }

  /** The ledger entries of one claim payment, onto this.postings. */
  private postingsOf(claim: PayableClaim, clp: RemittanceClaim, payerRef: string | null, secondaryPayer: string | undefined): void {
    const sign = clp.status === REVERSAL ? -1 : 1;
    const { remittanceId } = this.source;
    const post = (
      kind: Posting['kind'],
      party: Posting['party'],
      amountCents: number,
      claimLineId: string | null,
      a: X12Adjustment | null,
      memo: string | null = null,
      toPayer = payerRef,
    ): void =>
      void this.postings.push({
        patientId: claim.patient_id,
        claimId: claim.id,
        serviceDate: claim.service_date,
        remittanceId,
        reference: clp.payerClaimNumber,
        payerRef: toPayer,
        kind,
        party,
        amountCents,
        claimLineId,
        method: kind === 'payment' ? 'era' : null,
        adjustmentGroup: a?.group ?? null,
        adjustmentReason: a?.reason ?? null,
        memo,
      });
    const adjust = (a: X12Adjustment, lineId: string | null): void => {
      const amount = sign * a.amountCents;
      if (a.group === 'PR') {
        // Patient responsibility leaves the primary's balance for the patient's, or for the secondary payer's.
        post('transfer', 'insurance', -amount, lineId, a, secondaryPayer ? 'to secondary' : 'to patient');
        post('transfer', secondaryPayer ? 'insurance' : 'patient', amount, lineId, a, null, secondaryPayer ?? null);
      } else post('adjustment', 'insurance', -amount, lineId, a);
    };
    for (const a of clp.adjustments) adjust(a, null);
    const lines = this.lines.get(claim.id) ?? [];
    const used = new Set<string>();
    let linePaid = 0;
    for (const svc of clp.lines) {
      const line = lines.find((x) => x.code === svc.procedureCode && !used.has(x.id));
      if (line) used.add(line.id);
      linePaid += svc.paidCents;
      if (svc.paidCents !== 0) post('payment', 'insurance', -sign * svc.paidCents, line?.id ?? null, null);
      for (const a of svc.adjustments) adjust(a, line?.id ?? null);
    }
    // Paid at claim level only (no SVC), or the lines do not add up to CLP04: the rest is a claim payment.
    const rest = clp.paidCents - linePaid;
    if (rest !== 0) post('payment', 'insurance', -sign * rest, null, null);
  }

  /** Where the claim goes: what this payer still owes on it decides paid or partially paid. */
  private nextStatus(claim: PayableClaim, clp: RemittanceClaim, payerRef: string | null, hasPr: boolean): ClaimStatus {
    if (clp.status === REVERSAL) return 'submitted';
    if (clp.status === DENIED) return 'denied';
    if (clp.paidCents === 0 && !hasPr) return 'denied';
    const owed = (claimId: string | null): number => (claimId && payerRef ? (this.owed.get(key(claimId, payerRef)) ?? 0) : 0);
    return owed(claim.id) + owed(claim.related_claim_id) <= 0 ? 'paid' : 'partially_paid';
  }
}
