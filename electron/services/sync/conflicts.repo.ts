import type Database from 'better-sqlite3';
import { mayCall } from '../../../shared/api/permissions';
import { CairnFailure } from '../../../shared/api/result';
import { displayName, patientInput } from '../../../shared/domain/patient';
import {
  entityLabel,
  fieldLabel,
  type ChartCard,
  type ChartLinks,
  type ConflictValue,
  type ConflictView,
  type WireValue,
} from '../../../shared/domain/sync-review';
import type { Role } from '../../../shared/domain/user';
import { DEVICE_COLUMNS, ENTITIES, isEntity, META_COLUMNS, SIGNED_NOTE_MUTABLE, type EntityName, type Fields } from '../../../shared/sync/entities';
import { decodeHlc, isHlc } from '../../../shared/sync/hlc';
import { MrnAllocator } from '../repos/mrn';
import type { StoredRow } from '../repos/stored-row';
import type { Actor, ClinicalWriter } from '../repos/writer';
import type { RowAccess } from './row-reader';

/** Who is looking: the role decides what they may settle; restricted charts need the glass broken. */
export interface Viewer extends Actor {
  role: Role;
  mayOpen: (patientId: string) => boolean;
}

interface ConflictRow {
  id: string;
  kind: ConflictView['kind'];
  entity: string;
  entity_id: string;
  patient_id: string | null;
  field: string | null;
  values: string;
  winner: string | null;
  status: ConflictView['status'];
  created_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

interface PatientRow {
  id: string;
  mrn: string;
  given_name: string;
  middle_name: string | null;
  family_name: string;
  birth_date: string;
  sex: string;
  phone: string | null;
  email: string | null;
  address_line1: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  created_at: string;
  merged_into: string | null;
  restricted: number;
  deleted_at: string | null;
}

/** How a conflict was settled, as stored (JSON) in `sync_conflicts.resolution`. */
type Resolution =
  | { action: 'keep'; choice: number | null; value: WireValue; note?: string }
  | { action: 'merge'; survivorId: string; duplicateId: string }
  | { action: 'new_mrn'; patientId: string; mrn: string }
  | { action: 'dismiss'; reason: string };

type StoredValue = { value?: WireValue; hlc?: string | null; deviceId?: string | null; authorId?: string | null; patientId?: string };

const same = (a: unknown, b: unknown): boolean => a === b || (a == null && b == null);
const NEVER_SET: readonly string[] = ['id', 'created_at', 'created_by', ...DEVICE_COLUMNS, ...META_COLUMNS, 'deleted_at', 'deleted_by'];

/** Columns computed from the one a conflict names: they follow it. */
const DERIVED: Record<string, (v: WireValue) => Fields> = {
  'patient.phone': (v) => ({ phone_digits: typeof v === 'string' && v.replace(/\D/g, '') ? v.replace(/\D/g, '') : null }),
};

/** Patient columns a typed-in value is checked against, by the registration form's own schema. */
const PATIENT_KEYS: Record<string, keyof typeof patientInput.shape> = {
  given_name: 'givenName',
  middle_name: 'middleName',
  family_name: 'familyName',
  preferred_name: 'preferredName',
  birth_date: 'birthDate',
  sex: 'sex',
  gender_identity: 'genderIdentity',
  phone: 'phone',
  email: 'email',
  preferred_language: 'preferredLanguage',
  mrn: 'mrn',
};

/**
 * May this role settle a conflict on this record? The clinic server accepts a record's changes only
 * from its writers, so a resolution by anyone else would be refused there; front desk, though a
 * writer of visits, settles demographics only.
 */
export function maySettle(role: Role, entity: string): boolean {
  if (!isEntity(entity) || !seesConflictsOn(role, entity)) return false;
  return (ENTITIES[entity].writers as readonly string[]).includes(role);
}

/** The records front desk and billing settle: demographics and coverage; billing's own records. */
const FRONT_DESK_RECORDS: readonly string[] = ['patient', 'coverage', 'payer'];
const BILLING_RECORDS: readonly string[] = ['coverage', 'payer', 'fee', 'claim', 'claim_line', 'unmatched_remittance', 'x12_batch'];

/** Whose conflicts a role sees: front desk and billing only those on the records they keep. */
export function seesConflictsOn(role: Role, entity: string): boolean {
  if (role === 'front_desk') return FRONT_DESK_RECORDS.includes(entity);
  if (role === 'billing') return BILLING_RECORDS.includes(entity);
  return true;
}

function isSignedNote(row: Fields): boolean {
  return row['signed_at'] != null || row['status'] === 'signed' || row['status'] === 'addendum';
}

/**
 * Conflicts and duplicates found by the clinic server, and their resolution on this device. Every
 * resolution goes through the writer (row, audit entry and outbox entry in one transaction), so it
 * reaches the clinic server and every other device like any other change.
 */
export class ConflictsRepo {
  private readonly mrns: MrnAllocator;
  private readonly byId: Database.Statement<[string], ConflictRow>;
  private readonly patient: Database.Statement<[string], PatientRow>;
  private readonly userById: Database.Statement<[string], { n: string }>;
  private readonly deviceName: Database.Statement<[], { value: string }>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
    private readonly writer: ClinicalWriter,
    private readonly rows: RowAccess,
  ) {
    this.mrns = new MrnAllocator(sqlite);
    this.byId = sqlite.prepare('SELECT * FROM sync_conflicts WHERE id = ?');
    this.patient = sqlite.prepare('SELECT * FROM patients WHERE id = ?');
    this.userById = sqlite.prepare('SELECT display_name AS n FROM users WHERE id = ?');
    this.deviceName = sqlite.prepare(`SELECT value FROM meta WHERE key = 'sync.device_name'`);
  }

  private row(id: string): ConflictRow {
    const c = this.byId.get(id);
    if (!c) throw new CairnFailure('not_found', `no conflict with id ${id}`);
    return c;
  }

  private patientRow(id: string): PatientRow {
    const p = this.patient.get(id);
    if (!p || p.deleted_at) throw new CairnFailure('not_found', `no patient with id ${id}`);
    return p;
  }

  /** Open conflicts first (then, when asked, settled ones), newest first; only what the viewer's role may see. */
  list(viewer: Viewer, o: { patientId?: string | undefined; includeClosed: boolean; limit: number }): ConflictView[] {
    const found = this.sqlite
      .prepare(
        `SELECT * FROM sync_conflicts
         WHERE (@pid IS NULL OR patient_id = @pid OR (kind <> 'field' AND instr("values", @pid) > 0))
           AND (@closed = 1 OR status = 'open')
         ORDER BY status = 'open' DESC, created_at DESC LIMIT @limit`,
      )
      .all({ pid: o.patientId ?? null, closed: o.includeClosed ? 1 : 0, limit: o.limit }) as ConflictRow[];
    return found.filter((c) => seesConflictsOn(viewer.role, c.entity)).map((c) => this.view(c, viewer));
  }

  /** Open conflicts on one chart that this role would see (for the chart's banner). */
  openCount(role: Role, patientId?: string): number {
    if (!mayCall(role, 'sync.conflicts.list')) return 0;
    const sql = `SELECT count(*) AS n FROM sync_conflicts WHERE status = 'open'
      AND (@pid IS NULL OR patient_id = @pid OR (kind <> 'field' AND instr("values", @pid) > 0))
      AND (@only IS NULL OR entity IN (SELECT value FROM json_each(@only)))`;
    const only = role === 'front_desk' ? FRONT_DESK_RECORDS : role === 'billing' ? BILLING_RECORDS : null;
    return (this.sqlite.prepare(sql).get({ pid: patientId ?? null, only: only ? JSON.stringify(only) : null }) as { n: number }).n;
  }

  get(id: string, viewer: Viewer): ConflictView {
    const c = this.row(id);
    if (!seesConflictsOn(viewer.role, c.entity))
      throw new CairnFailure(
        'forbidden',
        viewer.role === 'front_desk' ? 'front desk settles conflicts in demographics and coverage only' : 'billing settles conflicts in billing records only',
      );
    return this.view(c, viewer);
  }

  /** Keeps one of the values (or a value typed in): the record and the conflict change together. */
  resolve(id: string, choice: number | { value: WireValue }, note: string | undefined, viewer: Viewer): ConflictView {
    this.writer.write((at) => {
      const c = this.openRow(id, viewer);
      if (c.kind === 'duplicate_patient')
        throw new CairnFailure('conflict', 'a possible duplicate is settled by merging the charts, or by dismissing it as not the same person');
      if (c.kind === 'duplicate_mrn') throw new CairnFailure('conflict', 'two charts with one MRN are settled by giving one of them a new MRN');
      const { entity, field, target } = this.target(c);
      const values = JSON.parse(c.values) as StoredValue[];
      let value: WireValue;
      if (typeof choice === 'number') {
        if (choice >= values.length)
          throw new CairnFailure('invalid_input', `this conflict has ${values.length} values; choose one of them`, [
            { path: 'choice', message: 'no such value' },
          ]);
        value = values[choice]!.value ?? null;
      } else {
        value = this.checkTyped(entity, field, choice.value);
      }
      if (!same(target[field], value)) {
        const written = this.setColumns(entity, c.entity_id, { [field]: value, ...(DERIVED[`${entity}.${field}`]?.(value) ?? {}) }, at, viewer);
        this.writer.record(at, {
          action: 'sync.conflict_resolve',
          actor: viewer,
          patientId: c.patient_id,
          entity,
          id: c.entity_id,
          op: 'update',
          payload: written,
          detail: JSON.stringify({ conflictId: c.id, field }),
        });
      }
      this.settle(c, 'resolved', { action: 'keep', choice: typeof choice === 'number' ? choice : null, value, ...(note && { note }) }, at, viewer);
    });
    return this.view(this.row(id), viewer);
  }

  /** Closes a conflict without changing the record (a signed note's text: the addendum says it). */
  dismiss(id: string, reason: string, viewer: Viewer): ConflictView {
    this.writer.write((at) => this.settle(this.openRow(id, viewer), 'dismissed', { action: 'dismiss', reason }, at, viewer));
    return this.view(this.row(id), viewer);
  }

  /**
   * The same person registered twice: the duplicate chart points at the survivor. Nothing moves and
   * nothing is deleted, so unmerging restores both charts exactly.
   */
  merge(survivorId: string, duplicateId: string, conflictId: string | undefined, viewer: Viewer): void {
    this.writer.write((at) => {
      const survivor = this.patientRow(survivorId);
      const duplicate = this.patientRow(duplicateId);
      if (survivor.merged_into) throw new CairnFailure('conflict', `MRN ${survivor.mrn} was itself merged into another chart: merge into that chart instead`);
      if (duplicate.merged_into) throw new CairnFailure('conflict', `MRN ${duplicate.mrn} is already merged into another chart: unmerge it first`);
      if (this.mergedHere(duplicateId).length > 0) throw new CairnFailure('conflict', `other charts were merged into MRN ${duplicate.mrn}: unmerge them first`);
      const conflict = this.duplicateConflict(conflictId, 'duplicate_patient', [survivorId, duplicateId]);
      const written = this.setColumns('patient', duplicateId, { merged_into: survivorId }, at, viewer);
      this.recordChart(at, 'patient.merge', viewer, duplicateId, written, { survivorId, conflictId: conflict?.id ?? null });
      if (conflict) this.settle(conflict, 'resolved', { action: 'merge', survivorId, duplicateId }, at, viewer);
    });
  }

  /** Undoes a merge: the chart is listed and searchable again on its own. */
  unmerge(id: string, viewer: Viewer): void {
    this.writer.write((at) => {
      const p = this.patientRow(id);
      if (!p.merged_into) throw new CairnFailure('conflict', `MRN ${p.mrn} is not merged into another chart`);
      const written = this.setColumns('patient', id, { merged_into: null }, at, viewer);
      this.recordChart(at, 'patient.unmerge', viewer, id, written, { survivorId: p.merged_into });
    });
  }

  /** Two charts with one MRN: this one gets the next MRN of this device (never reused). */
  reassignMrn(id: string, conflictId: string | undefined, viewer: Viewer): void {
    this.writer.write((at) => {
      this.patientRow(id);
      const conflict = this.duplicateConflict(conflictId, 'duplicate_mrn', [id]);
      const mrn = this.mrns.next();
      const written = this.setColumns('patient', id, { mrn }, at, viewer);
      this.recordChart(at, 'patient.mrn_reassign', viewer, id, written, { conflictId: conflict?.id ?? null });
      if (conflict) this.settle(conflict, 'resolved', { action: 'new_mrn', patientId: id, mrn }, at, viewer);
    });
  }

  /** What a chart's header says: merged into another chart, others merged into it, open conflicts. */
  links(id: string, viewer: Viewer): ChartLinks {
    const p = this.patientRow(id);
    const ref = (other: PatientRow): ChartLinks['mergedHere'][number] => ({
      id: other.id,
      mrn: other.restricted && !viewer.mayOpen(other.id) ? null : other.mrn,
      name: this.name(other),
    });
    const into = p.merged_into ? this.patient.get(p.merged_into) : undefined;
    return { mergedInto: into ? ref(into) : null, mergedHere: this.mergedHere(id).map(ref), openConflicts: this.openCount(viewer.role, id) };
  }

  private mergedHere(id: string): PatientRow[] {
    return this.sqlite.prepare('SELECT * FROM patients WHERE merged_into = ? AND deleted_at IS NULL ORDER BY created_at').all(id) as PatientRow[];
  }

  private openRow(id: string, viewer: Viewer): ConflictRow {
    const c = this.row(id);
    if (!maySettle(viewer.role, c.entity)) {
      throw new CairnFailure(
        'forbidden',
        viewer.role === 'front_desk'
          ? 'front desk settles conflicts in demographics and coverage only'
          : `a ${viewer.role.replace('_', ' ')} may not change ${entityLabel(c.entity).toLowerCase()} records`,
      );
    }
    const charts = [c.patient_id, ...(JSON.parse(c.values) as StoredValue[]).map((v) => v.patientId)].filter((p): p is string => typeof p === 'string');
    if (charts.some((p) => this.patient.get(p)?.restricted === 1 && !viewer.mayOpen(p))) {
      throw new CairnFailure(
        'break_glass_required',
        'this conflict involves a restricted chart: break the glass (give a reason and your password) to open it first',
      );
    }
    if (c.status !== 'open') throw new CairnFailure('conflict', `this conflict was already ${c.status}${c.resolved_at ? ` at ${c.resolved_at}` : ''}`);
    return c;
  }

  /** The record and column a field conflict names, checked: a signed note's text never changes. */
  private target(c: ConflictRow): { entity: EntityName; field: string; target: Fields } {
    const entity = c.entity;
    const field = c.field ?? '';
    if (!isEntity(entity) || entity === 'sync_conflict') throw new CairnFailure('conflict', `records of type "${entity}" cannot be changed here`);
    const spec = ENTITIES[entity] as { localOnly?: readonly string[] };
    if (!this.rows.columnsOf(entity).has(field) || NEVER_SET.includes(field) || (spec.localOnly ?? []).includes(field)) {
      throw new CairnFailure('conflict', `the field "${field}" of ${entity} records cannot be set here`);
    }
    const target = this.rows.read(entity, c.entity_id);
    if (!target)
      throw new CairnFailure('not_found', `the ${entityLabel(entity).toLowerCase()} record of this conflict is not on this device yet: sync, then try again`);
    if (entity === 'note' && isSignedNote(target) && !SIGNED_NOTE_MUTABLE.includes(field)) {
      throw new CairnFailure(
        'conflict',
        'this note was signed and its text cannot change: write an addendum with what the other version said, then dismiss this conflict with a note',
      );
    }
    return { entity, field, target };
  }

  /** A value typed in for a demographic field is checked like the registration form checks it. */
  private checkTyped(entity: EntityName, field: string, value: WireValue): WireValue {
    const key = entity === 'patient' ? PATIENT_KEYS[field] : undefined;
    if (!key) return value === '' ? null : value;
    const parsed = patientInput.shape[key].safeParse(value ?? undefined);
    if (!parsed.success)
      throw new CairnFailure('invalid_input', `${fieldLabel(field)}: ${parsed.error.issues[0]?.message ?? 'not valid'}`, [
        { path: 'choice.value', message: parsed.error.issues[0]?.message ?? 'not valid' },
      ]);
    const out = (parsed.data ?? null) as WireValue;
    if (field === 'mrn' && typeof out === 'string' && this.mrns.isTaken(out))
      throw new CairnFailure('conflict', `MRN ${out} already belongs to another patient`, [{ path: 'choice.value', message: 'this MRN is taken' }]);
    return out;
  }

  /** Records a change made here to a chart (merge, unmerge, new MRN), from the row written. */
  private recordChart(at: string, action: string, viewer: Viewer, id: string, written: StoredRow, detail: unknown): void {
    this.writer.record(at, { action, actor: viewer, patientId: id, entity: 'patient', id, op: 'update', payload: written, detail: JSON.stringify(detail) });
  }

  /** A generic column update with who/when and the next version; returns the row written (the caller records it). */
  private setColumns(entity: EntityName, id: string, cols: Fields, at: string, actor: Actor): StoredRow {
    const has = this.rows.columnsOf(entity);
    const names = Object.keys(cols).filter((c) => has.has(c));
    const sets = names.map((c) => `"${c}" = ?`);
    const args: WireValue[] = names.map((c) => cols[c] ?? null);
    for (const [col, v] of [
      ['updated_at', at],
      ['updated_by', actor.userId],
    ] as const) {
      if (!has.has(col)) continue;
      sets.push(`${col} = ?`);
      args.push(v);
    }
    if (has.has('version')) sets.push('version = version + 1');
    return this.sqlite.prepare(`UPDATE ${ENTITIES[entity].table} SET ${sets.join(', ')} WHERE id = ? RETURNING *`).get(...args, id) as StoredRow;
  }

  /** Marks the conflict settled and records it (the outbox entry is built from the row written). */
  private settle(c: ConflictRow, status: 'resolved' | 'dismissed', resolution: Resolution, at: string, actor: Actor): void {
    const written = this.sqlite
      .prepare(
        'UPDATE sync_conflicts SET status = ?, resolved_by = ?, resolved_at = ?, resolution = ?, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *',
      )
      .get(status, actor.userId, at, JSON.stringify(resolution), at, actor.userId, c.id) as StoredRow;
    const action = status === 'dismissed' ? 'sync.conflict_dismiss' : 'sync.conflict_resolve';
    this.writer.record(at, {
      action,
      actor,
      patientId: c.patient_id,
      entity: 'sync_conflict',
      id: c.id,
      op: 'update',
      payload: written,
      detail: JSON.stringify({ kind: c.kind, field: c.field, action: resolution.action }),
    });
  }

  /** The duplicate conflict a merge or new MRN settles: the one named, or the open one about these charts. */
  private duplicateConflict(conflictId: string | undefined, kind: 'duplicate_patient' | 'duplicate_mrn', patientIds: string[]): ConflictRow | null {
    const involves = (c: ConflictRow): boolean => patientIds.every((p) => (JSON.parse(c.values) as StoredValue[]).some((v) => v.patientId === p));
    if (conflictId) {
      const c = this.row(conflictId);
      if (c.kind !== kind || !involves(c)) throw new CairnFailure('conflict', 'that conflict is not about these charts');
      if (c.status !== 'open') throw new CairnFailure('conflict', `that conflict was already ${c.status}`);
      return c;
    }
    const open = this.sqlite
      .prepare(`SELECT * FROM sync_conflicts WHERE kind = ? AND status = 'open' AND instr("values", ?) > 0 ORDER BY created_at`)
      .all(kind, patientIds[0]!) as ConflictRow[];
    return open.find(involves) ?? null;
  }

  private name(p: Pick<PatientRow, 'given_name' | 'middle_name' | 'family_name'>): string {
    return displayName({ givenName: p.given_name, middleName: p.middle_name, familyName: p.family_name });
  }

  private card(p: PatientRow): ChartCard {
    const address = [p.address_line1, p.city, p.state, p.postal_code].filter(Boolean).join(', ');
    return {
      id: p.id,
      mrn: p.mrn,
      name: this.name(p),
      birthDate: p.birth_date,
      sex: p.sex,
      phone: p.phone,
      email: p.email,
      address,
      createdAt: p.created_at,
      mergedInto: p.merged_into,
    };
  }

  private view(c: ConflictRow, viewer: Viewer): ConflictView {
    const stored = JSON.parse(c.values) as StoredValue[];
    const patient = c.patient_id ? this.patient.get(c.patient_id) : undefined;
    const charts =
      c.kind === 'field' ? [] : stored.map((v) => (v.patientId ? this.patient.get(v.patientId) : undefined)).filter((p): p is PatientRow => p !== undefined);
    const hidden = [patient, ...charts].some((p) => p !== undefined && p.restricted === 1 && !viewer.mayOpen(p.id));
    const target = c.kind === 'field' && isEntity(c.entity) ? this.rows.read(c.entity, c.entity_id) : null;
    const signedNote = c.entity === 'note' && target !== null && isSignedNote(target) && !SIGNED_NOTE_MUTABLE.includes(c.field ?? '');
    const settle = c.status === 'open' && !hidden && maySettle(viewer.role, c.entity);
    // Duplicates and MRN collisions are settled by merging or renumbering: physicians and administrators.
    const mayResolve = settle && (c.kind === 'field' ? !signedNote : viewer.role === 'physician' || viewer.role === 'admin');
    return {
      id: c.id,
      kind: c.kind,
      status: c.status,
      entity: c.entity,
      entityLabel: entityLabel(c.entity),
      entityId: c.entity_id,
      patientId: c.patient_id,
      patientName: patient ? this.name(patient) : null,
      patientMrn: patient && !hidden ? patient.mrn : null,
      field: c.field,
      fieldLabel: c.field ? fieldLabel(c.field) : null,
      values: hidden || c.kind !== 'field' ? [] : stored.map((v) => this.value(v, target?.[c.field ?? ''])),
      charts: hidden ? [] : charts.map((p) => this.card(p)),
      hidden,
      signedNote,
      mayResolve,
      mayDismiss: settle,
      createdAt: c.created_at,
      resolvedAt: c.resolved_at,
      resolvedBy: c.resolved_by ? this.userName(c.resolved_by) : null,
      resolution: c.resolution ? this.describe(JSON.parse(c.resolution) as Resolution) : null,
    };
  }

  private value(v: StoredValue, current: WireValue | undefined): ConflictValue {
    // The writer's device is the node of its clock, even where the server did not say it.
    const deviceId = v.deviceId ?? (v.hlc && isHlc(v.hlc) ? decodeHlc(v.hlc).node : null);
    const name = this.deviceName.get()?.value;
    const device = deviceId === this.deviceId ? `this device${name ? ` (${name})` : ''}` : 'another device';
    const at = v.hlc && isHlc(v.hlc) ? new Date(decodeHlc(v.hlc).wall).toISOString() : null;
    return {
      value: v.value ?? null,
      hlc: v.hlc ?? null,
      at,
      deviceId,
      device,
      authorId: v.authorId ?? null,
      author: v.authorId ? this.userName(v.authorId) : null,
      shown: current !== undefined && same(current, v.value),
    };
  }

  private userName(id: string): string {
    if (id.startsWith('cli:')) return `Command line (${id.slice(4)})`;
    return this.userById.get(id)?.n ?? 'an unknown user';
  }

  private describe(r: Resolution): string {
    switch (r.action) {
      case 'keep':
        return `kept ${r.value === null || r.value === '' ? 'an empty value' : JSON.stringify(r.value)}${r.note ? ` — ${r.note}` : ''}`;
      case 'merge': {
        const survivor = this.patient.get(r.survivorId);
        return `merged into MRN ${survivor?.mrn ?? r.survivorId}`;
      }
      case 'new_mrn': {
        const renumbered = this.patient.get(r.patientId);
        return `gave ${renumbered ? this.name(renumbered) : 'one chart'} the new MRN ${r.mrn}`;
      }
      case 'dismiss':
        return `dismissed: ${r.reason}`;
    }
  }
}
