import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import { RELATIONSHIPS, rankName, rankNumber, type Coverage, type coverageInput, type EligibilityView } from '../../../shared/domain/billing/model';
import type { Actor } from '../repos/writer';
import type { BillingRows } from './rows';

interface CoverageRow {
  id: string;
  patient_id: string;
  payer_ref: string;
  rank: number;
  member_id: string;
  group_number: string | null;
  plan_name: string | null;
  relationship: string;
  subscriber: string | null;
  effective_from: string | null;
  effective_to: string | null;
  copay_cents: number | null;
  card_front: string | null;
  card_back: string | null;
  confirmed_at: string | null;
  version: number;
  payer_name: string;
  payer_code: string;
  filing_indicator: string;
}

interface EligibilityRow {
  id: string;
  coverage_id: string;
  checked_at: string;
  active: number | null;
  plan_name: string | null;
  copay_cents: number | null;
  coinsurance_percent: number | null;
  deductible_cents: number | null;
  deductible_remaining_cents: number | null;
  detail: string | null;
}

const RELATIONSHIP_NAME: Record<string, Coverage['relationship']> = { '18': 'self', '01': 'spouse', '19': 'child', G8: 'other' };

const SELECT = `SELECT c.id, c.patient_id, c.payer_ref, c.rank, c.member_id, c.group_number, c.plan_name, c.relationship, c.subscriber,
  c.effective_from, c.effective_to, c.copay_cents, c.card_front IS NOT NULL AS card_front, c.card_back IS NOT NULL AS card_back, c.confirmed_at, c.version,
  p.name AS payer_name, p.payer_id AS payer_code, p.filing_indicator FROM coverages c JOIN payers p ON p.id = c.payer_ref`;

/** A stable id for what a device derives from an existing row, so two devices deriving it agree. */
export function derivedId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function toEligibility(r: EligibilityRow): EligibilityView {
  const detail = r.detail ? (JSON.parse(r.detail) as { messages?: string[] }) : {};
  return {
    id: r.id,
    coverageId: r.coverage_id,
    checkedAt: r.checked_at,
    active: r.active === null ? null : r.active === 1,
    planName: r.plan_name,
    copayCents: r.copay_cents,
    coinsurancePercent: r.coinsurance_percent,
    deductibleCents: r.deductible_cents,
    deductibleRemainingCents: r.deductible_remaining_cents,
    messages: detail.messages ?? [],
  };
}

/** A patient's ordered coverages (primary, secondary, tertiary), with the last eligibility answer of each. */
export class CoverageRepo {
  constructor(private readonly rows: BillingRows) {}

  add(input: z.output<typeof coverageInput>, actor: Actor): Coverage {
    return this.rows.writer.write((at) => {
      const rank = rankNumber(input.rank);
      const taken = this.rows.get<{ id: string }>(
        `SELECT id FROM coverages WHERE patient_id = ? AND rank = ? AND deleted_at IS NULL AND (effective_to IS NULL OR effective_to >= ?)`,
        input.patientId,
        rank,
        at.slice(0, 10),
      );
      if (taken)
        throw new CairnFailure('conflict', `the patient already has a ${input.rank} coverage: end it (set its end date) or choose another rank`, [
          { path: 'rank', message: 'taken' },
        ]);
      if (!this.rows.get('SELECT 1 FROM payers WHERE id = ? AND deleted_at IS NULL', input.payerRef))
        throw new CairnFailure('not_found', 'that payer is not in the directory: add it first', [{ path: 'payerRef', message: 'unknown payer' }]);
      const stored = this.rows.insert(
        at,
        actor,
        'coverage',
        {
          patient_id: input.patientId,
          payer_ref: input.payerRef,
          rank,
          member_id: input.memberId,
          group_number: input.groupNumber ?? null,
          plan_name: input.planName ?? null,
          relationship: RELATIONSHIPS[input.relationship],
          subscriber: input.relationship === 'self' || !input.subscriber ? null : JSON.stringify(input.subscriber),
          effective_from: input.effectiveFrom ?? null,
          effective_to: input.effectiveTo ?? null,
          copay_cents: input.copayCents ?? null,
          card_front: input.cardFront ?? null,
          card_back: input.cardBack ?? null,
          confirmed_at: at,
        },
        input.patientId,
        'billing.coverage.add',
      );
      return this.get(String(stored['id']));
    });
  }

  /** Ends a coverage (the row stays, with its end date) or marks it confirmed at check-in. */
  change(id: string, patch: { effectiveTo?: string; confirm?: boolean; copayCents?: number }, actor: Actor): Coverage {
    return this.rows.writer.write((at) => {
      const cur = this.get(id);
      const values: Record<string, string | number | null> = {};
      if (patch.effectiveTo !== undefined) values['effective_to'] = patch.effectiveTo;
      if (patch.copayCents !== undefined) values['copay_cents'] = patch.copayCents;
      if (patch.confirm) values['confirmed_at'] = at;
      if (Object.keys(values).length === 0) return cur;
      this.rows.update(at, actor, 'coverage', id, values, cur.patientId, patch.confirm ? 'billing.coverage.confirm' : 'billing.coverage.change');
      return this.get(id);
    });
  }

  /** One coverage; `eligibility: false` skips reading its last eligibility answer (claims do not print it). */
  get(id: string, opts: { eligibility?: boolean } = {}): Coverage {
    const r = this.rows.get<CoverageRow>(`${SELECT} WHERE c.id = ? AND c.deleted_at IS NULL`, id);
    if (!r) throw new CairnFailure('not_found', 'no such coverage');
    return this.view(r, opts.eligibility ?? true);
  }

  /** Current and past coverages, current first by rank. */
  list(patientId: string): Coverage[] {
    return this.rows
      .all<CoverageRow>(
        `${SELECT} WHERE c.patient_id = ? AND c.deleted_at IS NULL ORDER BY (c.effective_to IS NOT NULL AND c.effective_to < date('now')), c.rank, c.created_at`,
        patientId,
      )
      .map((r) => this.view(r));
  }

  /** The coverage of a rank in force on a date, if any. */
  inForce(patientId: string, rank: number, onDate: string): Coverage | undefined {
    const r = this.rows.get<CoverageRow>(
      `${SELECT} WHERE c.patient_id = ? AND c.rank = ? AND c.deleted_at IS NULL AND (c.effective_from IS NULL OR c.effective_from <= ?)
        AND (c.effective_to IS NULL OR c.effective_to >= ?) ORDER BY c.created_at DESC LIMIT 1`,
      patientId,
      rank,
      onDate,
      onDate,
    );
    return r ? this.view(r) : undefined;
  }

  /** inForce's id and payer only (for posting, which needs nothing else). */
  inForceRef(patientId: string, rank: number, onDate: string): { id: string; payerRef: string } | undefined {
    return this.rows.get<{ id: string; payerRef: string }>(
      `SELECT id, payer_ref AS payerRef FROM coverages WHERE patient_id = ? AND rank = ? AND deleted_at IS NULL AND (effective_from IS NULL OR effective_from <= ?)
        AND (effective_to IS NULL OR effective_to >= ?) ORDER BY created_at DESC LIMIT 1`,
      patientId,
      rank,
      onDate,
      onDate,
    );
  }

  /**
   * inForceRef for many patients at once: their coverages of `rank`, read once, and a function that
   * answers inForceRef(patientId, rank, onDate) from them (the same coverage, newest first).
   */
  inForceRefs(patientIds: Iterable<string>, rank: number): (patientId: string, onDate: string) => { id: string; payerRef: string } | undefined {
    const byPatient = new Map<string, { id: string; payerRef: string; from: string | null; to: string | null }[]>();
    for (const c of this.rows.allIn<{ id: string; payerRef: string; patientId: string; from: string | null; to: string | null }>(
      (m) => `SELECT id, payer_ref AS payerRef, patient_id AS patientId, effective_from AS "from", effective_to AS "to" FROM coverages
               WHERE rank = ? AND deleted_at IS NULL AND patient_id IN (${m}) ORDER BY created_at DESC`,
      patientIds,
      rank,
    )) {
      const list = byPatient.get(c.patientId);
      if (list) list.push(c);
      else byPatient.set(c.patientId, [c]);
    }
    return (patientId, onDate) => {
      const c = byPatient.get(patientId)?.find((x) => (x.from === null || x.from <= onDate) && (x.to === null || x.to >= onDate));
      return c ? { id: c.id, payerRef: c.payerRef } : undefined;
    };
  }

  card(id: string, side: 'front' | 'back'): string | null {
    return this.rows.get<{ v: string | null }>(`SELECT card_${side === 'front' ? 'front' : 'back'} AS v FROM coverages WHERE id = ?`, id)?.v ?? null;
  }

  latestEligibility(coverageId: string): EligibilityView | null {
    const r = this.rows.get<EligibilityRow>('SELECT * FROM eligibility_checks WHERE coverage_id = ? ORDER BY checked_at DESC LIMIT 1', coverageId);
    return r ? toEligibility(r) : null;
  }

  /**
   * Round 1 kept insurance as three text fields on the patient. The first time billing reads such a
   * chart, they become a payer (by name) and a primary coverage, with ids derived from the patient and
   * payer so two devices doing it while apart make the same rows.
   */
  adoptLegacy(patientId: string, actor: Actor): void {
    const p = this.rows.get<{ insurance_payer: string | null; insurance_member_id: string | null; insurance_group: string | null }>(
      'SELECT insurance_payer, insurance_member_id, insurance_group FROM patients WHERE id = ?',
      patientId,
    );
    if (!p?.insurance_payer?.trim() || !p.insurance_member_id?.trim()) return;
    const coverageId = derivedId(`legacy-coverage:${patientId}`);
    if (this.rows.get('SELECT 1 FROM coverages WHERE id = ?', coverageId)) return;
    this.rows.writer.write((at) => {
      const name = p
        .insurance_payer!.trim()
        .slice(0, 60)
        .replace(/[*~:^|]/g, ' ');
      const payerRef = derivedId(`legacy-payer:${name.toLowerCase()}`);
      if (!this.rows.get('SELECT 1 FROM payers WHERE id = ?', payerRef))
        this.rows.insert(at, actor, 'payer', { id: payerRef, name, payer_id: 'UNKNOWN', filing_indicator: 'CI' }, null, 'billing.payer.adopt');
      this.rows.insert(
        at,
        actor,
        'coverage',
        {
          id: coverageId,
          patient_id: patientId,
          payer_ref: payerRef,
          rank: 1,
          member_id: p.insurance_member_id!.trim(),
          group_number: p.insurance_group?.trim() || null,
          relationship: '18',
        },
        patientId,
        'billing.coverage.adopt',
      );
    });
  }

  private view(r: CoverageRow, eligibility = true): Coverage {
    return {
      id: r.id,
      patientId: r.patient_id,
      payerRef: r.payer_ref,
      payerName: r.payer_name,
      payerId: r.payer_code,
      filingIndicator: r.filing_indicator,
      rank: rankName(r.rank),
      memberId: r.member_id,
      groupNumber: r.group_number,
      planName: r.plan_name,
      relationship: RELATIONSHIP_NAME[r.relationship] ?? 'other',
      subscriber: r.subscriber ? (JSON.parse(r.subscriber) as Coverage['subscriber']) : null,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      copayCents: r.copay_cents,
      hasCardFront: Boolean(r.card_front),
      hasCardBack: Boolean(r.card_back),
      confirmedAt: r.confirmed_at,
      eligibility: eligibility ? this.latestEligibility(r.id) : null,
      version: r.version,
    };
  }
}
