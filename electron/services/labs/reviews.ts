import { CairnFailure } from '../../../shared/api/result';
import { type DemographicKey, type Hl7Demographics, type Hl7Identifier, readPatientFacts } from '../../../shared/domain/hl7-patient';
import type { Hl7Review, Hl7ReviewKind, ReviewChart } from '../../../shared/domain/lab-review';
import { type Patient, patientUpdate } from '../../../shared/domain/patient';
import { parseMessage } from '../../../shared/hl7';
import type { Repos } from '../repos';
import type { Viewer } from '../sync/conflicts.repo';
import { type MatchDecision, PatientMatcher } from './match';

/**
 * The HL7 review queue: what a message put in front of a person, and their decisions. A field
 * edited here that a message would change (field_difference) is settled through the patients
 * repository; an A40 merge is applied only when a person approves it, through the same merge as a
 * sync duplicate (reversible); a message tied to no chart can be dismissed. Nothing is deleted: a
 * review is closed (resolved or dismissed), and each decision is audited with who and why.
 */

interface ReviewRow {
  id: string;
  messageId: string;
  kind: Hl7ReviewKind;
  patientId: string | null;
  detail: string;
  status: Hl7Review['status'];
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  controlId: string;
  messageType: string;
  sendingFacility: string;
  receivedAt: string;
}

interface MergeDetail {
  survivor: Hl7Identifier[];
  mergeFrom: { value: string; authority: string; type: string }[];
  match: MatchDecision;
}
interface HeldDetail {
  reason?: string;
  identifiers?: Hl7Identifier[];
  demographics?: Partial<Hl7Demographics>;
}
interface FieldDetail {
  field: DemographicKey;
  local: string;
  incoming: string;
}
/** What the audit entry of a decision holds (JSON), read back to show the decision. */
interface DecisionRecord {
  decision: string;
  reason?: string;
  duplicateId?: string;
}

const SELECT = `SELECT r.id, r.message_id AS messageId, r.kind, r.patient_id AS patientId, r.detail, r.status, r.created_at AS createdAt,
  r.resolved_at AS resolvedAt, r.resolved_by AS resolvedBy, m.control_id AS controlId, m.message_type AS messageType,
  m.sending_facility AS sendingFacility, m.received_at AS receivedAt
  FROM hl7_reviews r JOIN hl7_messages m ON m.id = r.message_id`;

const FIELD_LABELS: Record<DemographicKey, string> = {
  familyName: 'family name',
  givenName: 'given name',
  middleName: 'middle name',
  birthDate: 'birth date',
  sex: 'sex',
  phone: 'phone',
  'address.line1': 'street address',
  'address.city': 'city',
  'address.state': 'state',
  'address.postalCode': 'postal code',
  'address.country': 'country',
};

/** A chart's value of one demographic key, as the ADT handler compares it ('' when empty). */
function valueOf(p: Patient, key: DemographicKey): string {
  if (key.startsWith('address.')) return p.address[key.slice('address.'.length) as keyof Patient['address']] ?? '';
  return p[key as Exclude<DemographicKey, `address.${string}`>] ?? '';
}

/** The patient-update fields that set `key` to `value` (an address is written whole). */
function changeOf(p: Patient, key: DemographicKey, value: string): Record<string, unknown> {
  if (key.startsWith('address.')) return { address: { ...p.address, [key.slice('address.'.length)]: value } };
  return { [key]: value };
}

function identifierText(i: Pick<Hl7Identifier, 'value' | 'typeCode' | 'namespace' | 'universalId'>): string {
  return `${i.value} (${[i.typeCode, i.namespace || i.universalId].filter(Boolean).join(', ') || 'no type'})`;
}

function mergeFromFacts(d: MergeDetail): Hl7Identifier[] {
  return d.mergeFrom.filter((m) => m.value !== '').map((m) => ({ value: m.value, typeCode: m.type, namespace: m.authority, universalId: '' }));
}

const NO_DEMOGRAPHICS: Hl7Demographics = {
  familyName: '',
  givenName: '',
  middleName: '',
  birthDate: '',
  sex: '',
  phone: '',
  'address.line1': '',
  'address.city': '',
  'address.state': '',
  'address.postalCode': '',
  'address.country': '',
};

export class Hl7ReviewsService {
  private readonly matcher: PatientMatcher;

  constructor(private readonly repos: Repos) {
    this.matcher = new PatientMatcher(repos.store.sqlite);
  }

  /** Open reviews oldest first, or closed ones newest first (at most 200). */
  list(status: 'open' | 'closed', viewer: Viewer): Hl7Review[] {
    const where = status === 'open' ? `r.status = 'open' ORDER BY r.created_at, r.rowid` : `r.status <> 'open' ORDER BY r.resolved_at DESC, r.id LIMIT 200`;
    const rows = this.repos.store.sqlite.prepare<[], ReviewRow>(`${SELECT} WHERE ${where}`).all();
    return rows.map((r) => this.view(r, viewer));
  }

  /** Keeps the chart's value (nothing changes) or writes the message's through the patients repository. */
  resolveFieldDifference(i: { reviewId: string; patientId: string; keep: 'local' | 'incoming'; note?: string | undefined }, viewer: Viewer): Hl7Review {
    this.repos.writer.write((at) => {
      const row = this.openRow(i.reviewId, ['field_difference']);
      if (row.patientId !== i.patientId) throw new CairnFailure('conflict', 'this review is about another chart: reload the review queue');
      const d = JSON.parse(row.detail) as FieldDetail;
      const p = this.repos.patients.peek(i.patientId);
      const local = valueOf(p, d.field);
      const label = FIELD_LABELS[d.field];
      if (i.keep === 'incoming' && local !== d.incoming) {
        const parsed = patientUpdate.safeParse({ id: p.id, expectedVersion: p.version, ...changeOf(p, d.field, d.incoming) });
        if (!parsed.success) {
          const message = `the message's ${label} "${d.incoming}" cannot be recorded: ${parsed.error.issues[0]?.message ?? 'not valid'}; keep the chart's value`;
          throw new CairnFailure('invalid_input', message, [{ path: 'keep', message }]);
        }
        this.repos.patients.update(parsed.data, viewer);
      }
      const kept =
        i.keep === 'incoming'
          ? `took the message's ${label} "${d.incoming}" (was "${local}")`
          : `kept the chart's ${label} "${local}" (the message said "${d.incoming}")`;
      this.close(row, 'resolved', i.patientId, at, viewer, { decision: kept, ...(i.note && { reason: i.note }) }, 'hl7.review.field_difference');
    });
    return this.get(i.reviewId, viewer);
  }

  /**
   * Approves an A40 merge with the existing chart merge (the duplicate points at the survivor;
   * unmerging restores both), or rejects it. The person names the charts they saw; a merge is refused
   * unless they are the ones the message names now.
   */
  resolveMerge(
    i: { reviewId: string; action: 'merge' | 'reject'; reason: string; survivorId?: string | undefined; duplicateId?: string | undefined },
    viewer: Viewer,
  ): Hl7Review {
    this.repos.writer.write((at) => {
      const row = this.openRow(i.reviewId, ['merge']);
      const { survivorId, duplicateId, problem } = this.mergeCharts(row);
      if (i.action === 'reject') {
        for (const id of [survivorId, duplicateId]) if (id !== null) this.requireOpen(id, viewer);
        this.close(
          row,
          'dismissed',
          survivorId,
          at,
          viewer,
          { decision: 'merge rejected', reason: i.reason, ...(duplicateId && { duplicateId }) },
          'hl7.review.merge_rejected',
        );
        return;
      }
      if (problem !== null || survivorId === null || duplicateId === null)
        throw new CairnFailure('conflict', `this merge cannot be applied: ${problem ?? 'a chart is missing'}; reject it with a reason`);
      if (i.survivorId !== survivorId || i.duplicateId !== duplicateId)
        throw new CairnFailure('conflict', 'the charts this merge names have changed since you looked: reload the review queue');
      this.repos.conflicts.merge(survivorId, duplicateId, undefined, viewer);
      const names = `MRN ${this.repos.patients.peek(duplicateId).mrn} merged into MRN ${this.repos.patients.peek(survivorId).mrn}`;
      this.close(row, 'resolved', survivorId, at, viewer, { decision: names, reason: i.reason, duplicateId }, 'hl7.review.merge');
    });
    return this.get(i.reviewId, viewer);
  }

  /** Closes a message tied to no chart: it stays stored with its review, marked dismissed. */
  dismissUnmatched(i: { reviewId: string; reason: string }, viewer: Viewer): Hl7Review {
    this.repos.writer.write((at) => {
      const row = this.openRow(i.reviewId, ['unmatched', 'ambiguous']);
      this.close(row, 'dismissed', null, at, viewer, { decision: 'dismissed without a chart', reason: i.reason }, 'hl7.review.dismiss');
    });
    return this.get(i.reviewId, viewer);
  }

  get(id: string, viewer: Viewer): Hl7Review {
    const row = this.repos.store.sqlite.prepare<[string], ReviewRow>(`${SELECT} WHERE r.id = ?`).get(id);
    if (!row) throw new CairnFailure('not_found', `no HL7 review with id ${id}`);
    return this.view(row, viewer);
  }

  private openRow(id: string, kinds: readonly Hl7ReviewKind[]): ReviewRow {
    const row = this.repos.store.sqlite.prepare<[string], ReviewRow>(`${SELECT} WHERE r.id = ?`).get(id);
    if (!row) throw new CairnFailure('not_found', `no HL7 review with id ${id}`);
    if (!kinds.includes(row.kind))
      throw new CairnFailure('conflict', `this review is ${row.kind.replace('_', ' ')}, not ${kinds.map((k) => k.replace('_', ' ')).join(' or ')}`);
    if (row.status !== 'open') throw new CairnFailure('conflict', `this review was already ${row.status}`);
    return row;
  }

  private requireOpen(patientId: string, viewer: Viewer): void {
    if (!viewer.mayOpen(patientId))
      throw new CairnFailure('break_glass_required', 'this chart is restricted: break the glass (give a reason and your password) to open it');
  }

  /**
   * Marks the review closed and audits the decision (who, what and why); when the message has no
   * open review left, its status says so (processed when something of it was applied, else not processed).
   */
  private close(
    row: ReviewRow,
    status: 'resolved' | 'dismissed',
    patientId: string | null,
    at: string,
    viewer: Viewer,
    record: DecisionRecord,
    action: string,
  ): void {
    const sqlite = this.repos.store.sqlite;
    sqlite
      .prepare(`UPDATE hl7_reviews SET status = ?, patient_id = COALESCE(?, patient_id), resolved_at = ?, resolved_by = ? WHERE id = ?`)
      .run(status, patientId, at, viewer.userId, row.id);
    this.repos.audit.append({ action, userId: viewer.userId, patientId, recordType: 'hl7_review', recordId: row.id, detail: JSON.stringify(record) }, at);
    const left = sqlite
      .prepare<[string], { open: number; resolved: number }>(
        `SELECT sum(status = 'open') AS open, sum(status = 'resolved') AS resolved FROM hl7_reviews WHERE message_id = ?`,
      )
      .get(row.messageId);
    // Results stored for another patient of the same message count as applied too.
    if (left && left.open === 0)
      sqlite
        .prepare(`UPDATE hl7_messages SET status = CASE WHEN ? OR results > 0 THEN 'processed' ELSE 'not_processed' END WHERE id = ?`)
        .run(left.resolved > 0 ? 1 : 0, row.messageId);
  }

  /** The surviving chart (PID) and the one to merge (MRG-1), as they are found now; why not, if not. */
  private mergeCharts(row: ReviewRow): { survivorId: string | null; duplicateId: string | null; problem: string | null } {
    const d = JSON.parse(row.detail) as MergeDetail;
    const live = (id: string | null): string | null =>
      id !== null && this.repos.store.sqlite.prepare(`SELECT 1 FROM patients WHERE id = ? AND deleted_at IS NULL AND merged_into IS NULL`).get(id) ? id : null;
    const found = (ids: Hl7Identifier[]): MatchDecision =>
      ids.length === 0 ? { kind: 'unmatched', reason: 'no identifier given' } : this.matcher.match({ identifiers: ids, demographics: NO_DEMOGRAPHICS });
    const s = live(row.patientId) !== null ? ({ kind: 'matched', patientId: row.patientId!, by: 'identifier', detail: '' } as const) : found(d.survivor);
    const m = found(mergeFromFacts(d));
    const survivorId = s.kind === 'matched' ? s.patientId : null;
    const duplicateId = m.kind === 'matched' ? m.patientId : null;
    let problem: string | null = null;
    if (survivorId === null)
      problem = `the surviving chart (PID-3 ${d.survivor.map(identifierText).join('; ') || 'empty'}) ${s.kind === 'ambiguous' ? 'is ambiguous' : 'is not found'}`;
    else if (duplicateId === null)
      problem = `the chart to merge (MRG-1 ${mergeFromFacts(d).map(identifierText).join('; ') || 'empty'}) ${m.kind === 'ambiguous' ? 'is ambiguous' : 'is not found'}`;
    else if (survivorId === duplicateId) problem = 'PID and MRG name the same chart';
    return { survivorId, duplicateId, problem };
  }

  private chart(id: string | null, viewer: Viewer): ReviewChart | null {
    if (id === null) return null;
    const p = this.repos.store.sqlite
      .prepare<[string], { id: string; given: string; family: string; mrn: string; birthDate: string; restricted: number }>(
        `SELECT id, given_name AS given, family_name AS family, mrn, birth_date AS birthDate, restricted FROM patients WHERE id = ?`,
      )
      .get(id);
    if (!p) return null;
    const hidden = p.restricted === 1 && !viewer.mayOpen(p.id);
    return { id: p.id, name: `${p.family}, ${p.given}`, mrn: hidden ? null : p.mrn, birthDate: hidden ? null : p.birthDate, restricted: p.restricted === 1 };
  }

  private decision(id: string): DecisionRecord | null {
    const row = this.repos.store.sqlite
      .prepare<[string], { detail: string | null }>(
        `SELECT detail FROM audit_log WHERE record_type = 'hl7_review' AND record_id = ? AND action LIKE 'hl7.review.%' ORDER BY seq DESC LIMIT 1`,
      )
      .get(id);
    return row?.detail ? (JSON.parse(row.detail) as DecisionRecord) : null;
  }

  private view(r: ReviewRow, viewer: Viewer): Hl7Review {
    const by =
      r.resolvedBy === null
        ? null
        : (this.repos.store.sqlite.prepare<[string], { n: string }>('SELECT display_name AS n FROM users WHERE id = ?').get(r.resolvedBy)?.n ?? r.resolvedBy);
    const recorded = r.status === 'open' ? null : this.decision(r.id);
    const base: Hl7Review = {
      id: r.id,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt,
      resolvedAt: r.resolvedAt,
      resolvedBy: by,
      message: { id: r.messageId, controlId: r.controlId, type: r.messageType, sendingFacility: r.sendingFacility, receivedAt: r.receivedAt },
      reason: '',
      chart: null,
      duplicate: null,
      field: null,
      fieldLabel: null,
      local: null,
      incoming: null,
      pid: null,
      decision: recorded ? [recorded.decision, recorded.reason].filter(Boolean).join(': ') : null,
    };
    switch (r.kind) {
      case 'field_difference': {
        const d = JSON.parse(r.detail) as FieldDetail;
        const chart = this.chart(r.patientId, viewer);
        const visible = chart !== null && (!chart.restricted || viewer.mayOpen(chart.id));
        const now = visible && r.status === 'open' ? valueOf(this.repos.patients.peek(chart.id), d.field) : d.local;
        const label = FIELD_LABELS[d.field] ?? d.field;
        return {
          ...base,
          chart,
          field: d.field,
          fieldLabel: label,
          local: visible ? now : null,
          incoming: visible ? d.incoming : null,
          reason: `the message would change the ${label}, which was edited here`,
        };
      }
      case 'merge': {
        const d = JSON.parse(r.detail) as MergeDetail;
        const pid = `PID-3 ${d.survivor.map(identifierText).join('; ') || 'empty'} · MRG-1 ${mergeFromFacts(d).map(identifierText).join('; ') || 'empty'}`;
        if (r.status !== 'open')
          return {
            ...base,
            chart: this.chart(r.patientId, viewer),
            duplicate: this.chart(recorded?.duplicateId ?? null, viewer),
            pid,
            reason: 'the sender asks to merge two charts',
          };
        const m = this.mergeCharts(r);
        return {
          ...base,
          chart: this.chart(m.survivorId, viewer),
          duplicate: this.chart(m.duplicateId, viewer),
          pid,
          reason: m.problem ?? 'the sender asks to merge two charts',
        };
      }
      case 'unmatched':
      case 'ambiguous': {
        const d = JSON.parse(r.detail) as HeldDetail;
        return { ...base, reason: d.reason ?? '', pid: this.heldPid(r, d) };
      }
    }
  }

  /** Who a held message names: from the review (ADT) or the message's PID (ORU). */
  private heldPid(r: ReviewRow, d: HeldDetail): string {
    let facts: { identifiers: Hl7Identifier[]; demographics: Partial<Hl7Demographics> } | null = d.demographics
      ? { identifiers: d.identifiers ?? [], demographics: d.demographics }
      : null;
    if (!facts) {
      const raw = this.repos.store.sqlite.prepare<[string], { raw: string }>('SELECT raw FROM hl7_messages WHERE id = ?').get(r.messageId)?.raw ?? '';
      const parsed = parseMessage(raw);
      facts = parsed.ok ? readPatientFacts(parsed.value) : null;
    }
    const demo = facts?.demographics ?? {};
    const who = `${demo.familyName || '(no family name)'}, ${demo.givenName || '(no given name)'} · born ${demo.birthDate || 'unknown'}`;
    return [who, ...(facts?.identifiers ?? []).map(identifierText)].join(' · ');
  }
}
