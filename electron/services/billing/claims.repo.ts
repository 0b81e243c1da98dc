import { CairnFailure } from '../../../shared/api/result';
import { rankName, type ClaimStatus, type ClaimView, type Finding } from '../../../shared/domain/billing/model';
import type { Actor } from '../repos/writer';
import type { BillingRows, Row } from './rows';

export interface ClaimRow {
  id: string;
  claim_number: string;
  patient_id: string;
  encounter_id: string | null;
  coverage_id: string | null;
  payer_rank: number | null;
  status: ClaimStatus;
  frequency: '1' | '7' | '8';
  related_claim_id: string | null;
  payer_claim_number: string | null;
  service_date: string;
  place_of_service: string;
  diagnoses: string;
  rendering_id: string | null;
  rendering_npi: string | null;
  referring_name: string | null;
  referring_npi: string | null;
  facility: string | null;
  total_cents: number;
  paid_cents: number;
  patient_responsibility_cents: number;
  findings: string | null;
  batch_id: string | null;
  submitted_at: string | null;
  version: number;
}

export interface LineRow {
  id: string;
  claim_id: string;
  line_number: number;
  code: string;
  modifiers: string;
  units: number;
  charge_cents: number;
  pointers: string;
  ndc: string | null;
  ndc_quantity: number | null;
  ndc_unit: string | null;
  paid_cents: number;
}

/** Where a claim may go from where it is (void and replacement are new claims of their own). */
const NEXT: Record<ClaimStatus, readonly ClaimStatus[]> = {
  draft: ['ready', 'void'],
  ready: ['draft', 'submitted', 'void'],
  submitted: ['accepted', 'rejected', 'paid', 'partially_paid', 'denied'],
  accepted: ['paid', 'partially_paid', 'denied', 'rejected'],
  rejected: ['draft', 'ready', 'void'],
  // An adjudicated claim goes back to submitted when the payer reverses its payment (835 CLP02 22),
  // waiting for the corrected one.
  paid: ['partially_paid', 'paid', 'denied', 'submitted'],
  partially_paid: ['paid', 'partially_paid', 'denied', 'submitted'],
  denied: ['draft', 'ready', 'paid', 'partially_paid', 'void', 'submitted'],
  void: [],
};

/** What moving a claim reads of it. */
export type MovableClaim = Pick<ClaimRow, 'id' | 'claim_number' | 'patient_id' | 'status'>;

/** What posting a payment reads of a claim, with its payer (the coverage's). */
export type PayableClaim = MovableClaim &
  Pick<ClaimRow, 'coverage_id' | 'payer_rank' | 'related_claim_id' | 'payer_claim_number' | 'service_date' | 'paid_cents' | 'patient_responsibility_cents'> & {
    payer_ref: string | null;
  };

/** Refuses a step a claim cannot take from where it is. */
export function checkMove(c: Pick<ClaimRow, 'claim_number' | 'status'>, status: ClaimStatus): void {
  if (status !== c.status && !NEXT[c.status].includes(status))
    throw new CairnFailure('conflict', `claim ${c.claim_number} is ${c.status.replace('_', ' ')} and cannot become ${status.replace('_', ' ')}`);
}

/**
 * CLM01: a claim's number from its UUIDv7, at most 20 characters (the 837P's limit). It keeps the
 * millisecond and the 31-bit counter ids made in one millisecond count with (through byte 10), so
 * claims made together never share a number; written in base 36, upper case, after a "C".
 */
export function claimNumberOf(id: string): string {
  const hex = id.replace(/-/g, '');
  const bits = BigInt(`0x${hex.slice(0, 12)}${hex.slice(13, 16)}${hex.slice(17, 22)}`);
  return `C${bits.toString(36).toUpperCase().padStart(16, '0')}`;
}

/** Claims, their lines and their history. */
export class ClaimsRepo {
  constructor(private readonly rows: BillingRows) {}

  row(id: string): ClaimRow {
    const r = this.rows.get<ClaimRow>('SELECT * FROM claims WHERE id = ? AND deleted_at IS NULL', id);
    if (!r) throw new CairnFailure('not_found', 'no such claim');
    return r;
  }

  byNumber(claimNumber: string): ClaimRow | undefined {
    return this.rows.get<ClaimRow>('SELECT * FROM claims WHERE claim_number = ? AND deleted_at IS NULL', claimNumber);
  }

  lines(claimId: string): LineRow[] {
    return this.rows.all<LineRow>('SELECT * FROM claim_lines WHERE claim_id = ? AND deleted_at IS NULL ORDER BY line_number', claimId);
  }

  /** The claims an 835 pays, found by number (or by id) all at once: what posting a payment reads of each, and its payer. */
  payable(by: 'claim_number' | 'id', keys: Iterable<string>): Map<string, PayableClaim> {
    const rows = this.rows.allIn<PayableClaim>(
      (m) => `SELECT c.id, c.claim_number, c.patient_id, c.coverage_id, c.payer_rank, c.status, c.related_claim_id, c.payer_claim_number, c.service_date,
                     c.paid_cents, c.patient_responsibility_cents, v.payer_ref
                FROM claims c LEFT JOIN coverages v ON v.id = c.coverage_id WHERE c.${by} IN (${m}) AND c.deleted_at IS NULL`,
      keys,
    );
    return new Map(rows.map((r) => [r[by], r]));
  }

  /** The lines of many claims at once (id and code, in line order), by claim; a claim without lines is left out. */
  lineCodesOf(claimIds: Iterable<string>): Map<string, { id: string; code: string }[]> {
    const out = new Map<string, { id: string; code: string }[]>();
    for (const l of this.rows.allIn<{ id: string; claim_id: string; code: string }>(
      (m) => `SELECT id, claim_id, code FROM claim_lines WHERE claim_id IN (${m}) AND deleted_at IS NULL ORDER BY claim_id, line_number`,
      claimIds,
    )) {
      const list = out.get(l.claim_id);
      if (list) list.push(l);
      else out.set(l.claim_id, [l]);
    }
    return out;
  }

  /** The open (not yet sent) original claim of a visit for a payer rank. */
  openForVisit(encounterId: string, rank: number | null): ClaimRow | undefined {
    return this.rows.get<ClaimRow>(
      `SELECT * FROM claims WHERE encounter_id = ? AND payer_rank IS ? AND deleted_at IS NULL AND status NOT IN ('void') ORDER BY created_at DESC LIMIT 1`,
      encounterId,
      rank,
    );
  }

  /** Inside writer.write: a new claim row (its number from its id). */
  insert(at: string, actor: Actor, values: Omit<Row, 'claim_number'> & { id: string }): ClaimRow {
    return this.rows.insert(
      at,
      actor,
      'claim',
      { ...values, claim_number: claimNumberOf(values.id) },
      String(values['patient_id']),
      'billing.claim.create',
    ) as unknown as ClaimRow;
  }

  insertLine(at: string, actor: Actor, values: Row): LineRow {
    return this.rows.insert(at, actor, 'claim_line', values, String(values['patient_id']), 'billing.claim.line') as unknown as LineRow;
  }

  /** Inside writer.write: moves a claim, recording the step in its history. */
  move(at: string, actor: Actor, c: ClaimRow, status: ClaimStatus, detail: string | null, more: Row = {}): ClaimRow {
    checkMove(c, status);
    const next = this.rows.update(
      at,
      actor,
      'claim',
      c.id,
      { status, ...more },
      c.patient_id,
      `billing.claim.${status}`,
      detail ?? undefined,
    ) as unknown as ClaimRow;
    this.event(at, actor, c, status, detail);
    return next;
  }

  /**
   * Inside writer.write: move() for many claims (an 835's, a batch's), each step checked, audited and
   * added to its claim's history as move() does, the rows written together. A claim may be moved
   * more than once: give it as it stands before each step. Returns the claims as stored, in order.
   */
  moveMany(at: string, actor: Actor, moves: readonly { c: MovableClaim; status: ClaimStatus; detail: string | null; more?: Row }[]): ClaimRow[] {
    for (const { c, status } of moves) checkMove(c, status);
    const next = this.rows.updateRows(
      at,
      actor,
      'claim',
      moves.map(({ c, status, detail, more }) => ({
        id: c.id,
        values: { status, ...more },
        patientId: c.patient_id,
        action: `billing.claim.${status}`,
        detail,
      })),
    ) as unknown as ClaimRow[];
    this.rows.appendRows(
      at,
      actor,
      'claim_event',
      moves.map(({ c, status, detail }) => ({ claim_id: c.id, patient_id: c.patient_id, status, at, detail })),
    );
    return next;
  }

  event(at: string, actor: Actor, c: { id: string; patient_id: string }, status: string, detail: string | null): void {
    this.rows.insert(at, actor, 'claim_event', { claim_id: c.id, patient_id: c.patient_id, status, at, detail }, c.patient_id);
  }

  view(id: string): ClaimView {
    const c = this.row(id);
    const who = this.rows.get<{ name: string; payer: string | null }>(
      `SELECT trim(p.given_name || ' ' || p.family_name) AS name, (SELECT y.name FROM coverages v JOIN payers y ON y.id = v.payer_ref WHERE v.id = ?) AS payer
         FROM patients p WHERE p.id = ?`,
      c.coverage_id,
      c.patient_id,
    );
    const history = this.rows.all<{ status: string; at: string; by: string; detail: string | null }>(
      `SELECT e.status, e.at, coalesce(u.display_name, e.created_by) AS by, e.detail FROM claim_events e LEFT JOIN users u ON u.id = e.created_by
        WHERE e.claim_id = ? ORDER BY e.at, e.created_at`,
      id,
    );
    return {
      id: c.id,
      claimNumber: c.claim_number,
      patientId: c.patient_id,
      patientName: who?.name ?? '',
      encounterId: c.encounter_id,
      payerName: who?.payer ?? null,
      rank: c.payer_rank === null ? null : rankName(c.payer_rank),
      status: c.status,
      frequency: c.frequency,
      serviceDate: c.service_date,
      placeOfService: c.place_of_service,
      diagnoses: JSON.parse(c.diagnoses) as string[],
      renderingNpi: c.rendering_npi,
      totalCents: c.total_cents,
      paidCents: c.paid_cents,
      patientResponsibilityCents: c.patient_responsibility_cents,
      payerClaimNumber: c.payer_claim_number,
      findings: c.findings ? (JSON.parse(c.findings) as Finding[]) : [],
      lines: this.lines(id).map((l) => ({
        id: l.id,
        lineNumber: l.line_number,
        code: l.code,
        description: this.rows.get<{ d: string }>('SELECT description AS d FROM procedure_codes WHERE code = ?', l.code)?.d ?? null,
        modifiers: l.modifiers ? l.modifiers.split(',') : [],
        units: l.units,
        chargeCents: l.charge_cents,
        pointers: l.pointers.split(',').map(Number),
        // What payers paid on the line, from the ledger (the line row itself is not rewritten per payment).
        paidCents: -(
          this.rows.get<{ n: number | null }>(
            `SELECT sum(amount_cents) AS n FROM ledger_entries WHERE claim_line_id = ? AND kind = 'payment' AND party = 'insurance'`,
            l.id,
          )?.n ?? 0
        ),
        ndc: l.ndc,
      })),
      history,
      version: c.version,
    };
  }

  /** The visit's current claim (the latest that is not void), if its superbill was saved. */
  latestForVisit(encounterId: string): string | null {
    return (
      this.rows.get<{ id: string }>(
        `SELECT id FROM claims WHERE encounter_id = ? AND deleted_at IS NULL AND status <> 'void' ORDER BY created_at DESC LIMIT 1`,
        encounterId,
      )?.id ?? null
    );
  }

  /** Denied claims with the reason code carrying the largest amount, oldest service first. */
  denied(): { id: string; claim_number: string; patient_id: string; name: string; service_date: string; total_cents: number; reason: string | null }[] {
    return this.rows.all(
      `SELECT c.id, c.claim_number, c.patient_id, trim(p.given_name || ' ' || p.family_name) AS name, c.service_date, c.total_cents,
              (SELECT l.adjustment_reason FROM ledger_entries l WHERE l.claim_id = c.id AND l.adjustment_reason IS NOT NULL ORDER BY abs(l.amount_cents) DESC LIMIT 1) AS reason
         FROM claims c JOIN patients p ON p.id = c.patient_id WHERE c.status = 'denied' AND c.deleted_at IS NULL ORDER BY c.service_date`,
    );
  }

  /** ERA claim payments that matched no claim and are not settled yet, oldest first. */
  unmatchedQueue(): {
    id: string;
    patientControlNumber: string;
    payerClaimNumber: string | null;
    patientName: string | null;
    chargeCents: number;
    paidCents: number;
    receivedAt: string;
    payerName: string;
  }[] {
    return this.rows.all(
      `SELECT u.id, u.patient_control_number AS patientControlNumber, u.payer_claim_number AS payerClaimNumber, u.patient_name AS patientName,
              u.charge_cents AS chargeCents, u.paid_cents AS paidCents, u.created_at AS receivedAt, r.payer_name AS payerName
         FROM unmatched_remittances u JOIN remittances r ON r.id = u.remittance_id WHERE u.status = 'open' ORDER BY u.created_at`,
    );
  }

  /** The worklist: claims by status (all when none given), newest service first. */
  list(filter: { status?: ClaimStatus | undefined; patientId?: string | undefined; limit?: number | undefined }): {
    id: string;
    claimNumber: string;
    patientId: string;
    patientName: string;
    payerName: string | null;
    status: ClaimStatus;
    serviceDate: string;
    totalCents: number;
    paidCents: number;
    errors: number;
    warnings: number;
  }[] {
    const rows = this.rows.all<ClaimRow & { patient_name: string; payer_name: string | null }>(
      `SELECT c.*, trim(p.given_name || ' ' || p.family_name) AS patient_name, y.name AS payer_name
         FROM claims c JOIN patients p ON p.id = c.patient_id LEFT JOIN coverages v ON v.id = c.coverage_id LEFT JOIN payers y ON y.id = v.payer_ref
        WHERE c.deleted_at IS NULL AND (? IS NULL OR c.status = ?) AND (? IS NULL OR c.patient_id = ?)
        ORDER BY c.service_date DESC, c.created_at DESC LIMIT ?`,
      filter.status ?? null,
      filter.status ?? null,
      filter.patientId ?? null,
      filter.patientId ?? null,
      filter.limit ?? 500,
    );
    return rows.map((c) => {
      const f = c.findings ? (JSON.parse(c.findings) as Finding[]) : [];
      return {
        id: c.id,
        claimNumber: c.claim_number,
        patientId: c.patient_id,
        patientName: c.patient_name,
        payerName: c.payer_name,
        status: c.status,
        serviceDate: c.service_date,
        totalCents: c.total_cents,
        paidCents: c.paid_cents,
        errors: f.filter((x) => x.severity === 'error').length,
        warnings: f.filter((x) => x.severity === 'warning').length,
      };
    });
  }
}
