import { CairnFailure } from '../../../shared/api/result';
import type { Account, LedgerEntry } from '../../../shared/domain/billing/model';
import type { Actor } from '../repos/writer';
import type { BillingRows, Row } from './rows';

export type Party = 'patient' | 'insurance';
export type LedgerKind = LedgerEntry['kind'];

/** One entry to post: signed cents (+ raises what `party` owes, − lowers it). */
export interface Posting {
  patientId: string;
  kind: LedgerKind;
  party: Party;
  amountCents: number;
  claimId?: string | null;
  claimLineId?: string | null;
  payerRef?: string | null;
  serviceDate?: string | null;
  providerId?: string | null;
  method?: string | null;
  reference?: string | null;
  adjustmentGroup?: string | null;
  adjustmentReason?: string | null;
  remittanceId?: string | null;
  reversesId?: string | null;
  memo?: string | null;
}

interface EntryRow {
  id: string;
  kind: string;
  party: string;
  amount_cents: number;
  posted_at: string;
  service_date: string | null;
  claim_number: string | null;
  method: string | null;
  reference: string | null;
  adjustment_group: string | null;
  adjustment_reason: string | null;
  memo: string | null;
  reverses_id: string | null;
  reversed: number;
}

/**
 * The patient account: an append-only ledger. Nothing here updates or deletes an entry; a mistake is
 * corrected by a reversing entry that names the one it reverses. Balances are sums of entries, so
 * they always equal the ledger.
 */
export class LedgerRepo {
  constructor(private readonly rows: BillingRows) {}

  /** Inside writer.write: posts one entry (its outbox entry; the caller audits what the postings mean). */
  post(at: string, actor: Actor, p: Posting): string {
    return this.postMany(at, actor, [p])[0]!;
  }

  /** Inside writer.write: posts entries of one patient's account together (one outbox call for all). */
  postMany(at: string, actor: Actor, postings: readonly Posting[]): string[] {
    if (postings.length === 0) return [];
    const patientId = postings[0]!.patientId;
    if (postings.some((p) => p.patientId !== patientId)) throw new Error('postMany: entries of one account at a time');
    return this.rows.insertMany(
      at,
      actor,
      'ledger_entry',
      postings.map((p) => this.rowOf(at, p)),
      patientId,
    );
  }

  /** Inside writer.write: posts entries of any accounts together (an 835's), with one outbox call for all. */
  postAll(at: string, actor: Actor, postings: readonly Posting[]): string[] {
    return this.rows.appendRows(
      at,
      actor,
      'ledger_entry',
      postings.map((p) => this.rowOf(at, p)),
    );
  }

  private rowOf(at: string, p: Posting): Row {
    if (!Number.isSafeInteger(p.amountCents)) throw new CairnFailure('invalid_input', 'a ledger amount must be whole cents');
    return {
      patient_id: p.patientId,
      kind: p.kind,
      party: p.party,
      amount_cents: p.amountCents,
      posted_at: at,
      claim_id: p.claimId ?? null,
      claim_line_id: p.claimLineId ?? null,
      payer_ref: p.payerRef ?? null,
      service_date: p.serviceDate ?? null,
      provider_id: p.providerId ?? null,
      method: p.method ?? null,
      reference: p.reference ?? null,
      adjustment_group: p.adjustmentGroup ?? null,
      adjustment_reason: p.adjustmentReason ?? null,
      remittance_id: p.remittanceId ?? null,
      reverses_id: p.reversesId ?? null,
      memo: p.memo ?? null,
    };
  }

  balance(patientId: string): { patient: number; insurance: number } {
    const r = this.rows.get<{ pt: number | null; ins: number | null }>(
      `SELECT sum(CASE WHEN party = 'patient' THEN amount_cents END) AS pt, sum(CASE WHEN party = 'insurance' THEN amount_cents END) AS ins
         FROM ledger_entries WHERE patient_id = ?`,
      patientId,
    );
    return { patient: r?.pt ?? 0, insurance: r?.ins ?? 0 };
  }

  account(patientId: string): Account {
    const entries = this.rows
      .all<EntryRow>(
        `SELECT l.id, l.kind, l.party, l.amount_cents, l.posted_at, l.service_date, c.claim_number, l.method, l.reference, l.adjustment_group,
                l.adjustment_reason, l.memo, l.reverses_id, EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = l.id) AS reversed
           FROM ledger_entries l LEFT JOIN claims c ON c.id = l.claim_id WHERE l.patient_id = ? ORDER BY l.posted_at, l.created_at, l.id`,
        patientId,
      )
      .map(toEntry);
    const b = this.balance(patientId);
    return { patientId, patientBalanceCents: b.patient, insuranceBalanceCents: b.insurance, entries };
  }

  /** Reverses an entry with an equal and opposite one; an entry is reversed once. */
  reverse(entryId: string, reason: string, actor: Actor): string {
    return this.rows.writer.write((at) => {
      const e = this.rows.get<EntryRow & { patient_id: string; claim_id: string | null; claim_line_id: string | null; payer_ref: string | null }>(
        'SELECT * FROM ledger_entries WHERE id = ?',
        entryId,
      );
      if (!e) throw new CairnFailure('not_found', 'no such ledger entry');
      if (e.kind === 'reversal') throw new CairnFailure('conflict', 'a reversal cannot itself be reversed: post a new entry instead');
      if (this.rows.get('SELECT 1 FROM ledger_entries WHERE reverses_id = ?', entryId)) throw new CairnFailure('conflict', 'this entry was already reversed');
      const id = this.post(at, actor, {
        patientId: e.patient_id,
        kind: 'reversal',
        party: e.party as Party,
        amountCents: -e.amount_cents,
        claimId: e.claim_id,
        claimLineId: e.claim_line_id,
        payerRef: e.payer_ref,
        serviceDate: e.service_date,
        reversesId: entryId,
        memo: reason,
      });
      this.rows.writer.audited(at, 'billing.ledger.reverse', actor, e.patient_id, 'ledger_entry', id, reason);
      return id;
    });
  }
}

function toEntry(r: EntryRow): LedgerEntry {
  return {
    id: r.id,
    kind: r.kind as LedgerEntry['kind'],
    party: r.party as LedgerEntry['party'],
    amountCents: r.amount_cents,
    postedAt: r.posted_at,
    serviceDate: r.service_date,
    claimNumber: r.claim_number,
    method: r.method,
    reference: r.reference,
    adjustment: r.adjustment_group ? `${r.adjustment_group}-${r.adjustment_reason ?? ''}` : null,
    memo: r.memo,
    reversed: r.reversed === 1,
    reversesId: r.reverses_id,
  };
}
