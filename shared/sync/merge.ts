import { DEVICE_COLUMNS, META_COLUMNS, SIGNED_NOTE_MUTABLE, STICKY_COLUMNS, type Clocks, type EntitySpec, type Fields } from './entities';

/** The server's current state of one row: its values and the clock of each value. */
export interface RowState {
  data: Fields;
  clocks: Clocks;
}

/** One change as it arrives from a device. */
export interface IncomingChange {
  op: 'insert' | 'update';
  hlc: string;
  fields: Fields;
  /** The clock of every column of the row as the writer last saw it (absent: it had not seen one). */
  base: Clocks;
  deviceId: string;
  authorId: string;
}

/** Two values written to one field while apart: both kept, the later one provisionally shown. */
export interface ConflictDraft {
  field: string;
  winner: { value: unknown; hlc: string };
  values: { value: unknown; hlc: string; deviceId: string | null; authorId: string | null }[];
}

export type MergeResult =
  | { ok: true; row: RowState; touched: Fields; touchedClocks: Clocks; conflicts: ConflictDraft[] }
  | { ok: false; code: 'append_only' | 'signed_note' | 'not_found'; message: string };

export interface MergeOptions {
  /**
   * Important: test-only. A deliberately broken merge that forgets conflict records, used by the
   * simulation's canary to prove the suite notices lost writes.
   */
  canaryDropConflicts?: boolean;
}

const same = (a: unknown, b: unknown): boolean => a === b || (a == null && b == null);

function isSignedNote(data: Fields): boolean {
  return data['signed_at'] != null || data['status'] === 'signed' || data['status'] === 'addendum';
}

/**
 * Merges one change into a row. Pure, deterministic and shared by every server process, so the
 * order the server applies changes in (its sequence) fully decides the result.
 */
const DEVICE_ONLY = new Set<string>(DEVICE_COLUMNS);

/** The columns of a change that sync (device-only and local-only columns left out), in their order. */
function syncedColumns(spec: EntitySpec, given: Fields): Fields {
  const localOnly = spec.localOnly ?? [];
  const out: Fields = {};
  for (const k in given) if (!DEVICE_ONLY.has(k) && !localOnly.includes(k)) out[k] = given[k]!;
  return out;
}

export function mergeChange(spec: EntitySpec, current: RowState | null, change: IncomingChange, opts: MergeOptions = {}): MergeResult {
  const fields = syncedColumns(spec, change.fields);
  if (!current) {
    if (change.op === 'update')
      return { ok: false, code: 'not_found', message: 'this change is for a record the clinic server never received (its creation was refused or is missing)' };
    const clocks: Clocks = {};
    for (const k in fields) clocks[k] = change.hlc;
    return { ok: true, row: { data: { ...fields }, clocks }, touched: fields, touchedClocks: clocks, conflicts: [] };
  }
  if (spec.kind === 'append') {
    const differs = Object.entries(fields).some(([k, v]) => !same(current.data[k], v));
    if (differs)
      return {
        ok: false,
        code: 'append_only',
        message: 'this record is append-only (vitals, results, medication events, prescriptions); record a new entry instead of changing it',
      };
  }
  if (spec.kind === 'note') {
    const refusal = checkNote(current, change, fields);
    if (refusal) return refusal;
  }
  // Important: a signature covers the text the signer saw, so signing wins every field it carries
  // (it carries the title and text); an edit made elsewhere meanwhile is kept in a conflict record.
  const signing = spec.kind === 'note' && fields['status'] === 'signed' && !isSignedNote(current.data);
  const data = { ...current.data };
  const clocks = { ...current.clocks };
  const touched: Fields = {};
  const touchedClocks: Clocks = {};
  const conflicts: ConflictDraft[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const curClock = clocks[field];
    const curValue = data[field] ?? null;
    const sticky = STICKY_COLUMNS.includes(field) && curValue !== null && value === null;
    const incomingWins = !sticky && (signing || curClock === undefined || change.hlc > curClock);
    // Concurrent: someone else wrote this field after the value the writer was looking at.
    const concurrent =
      curClock !== undefined &&
      change.base[field] !== curClock &&
      !same(curValue, value) &&
      !META_COLUMNS.includes(field) &&
      !(spec.derived ?? []).includes(field) &&
      !sticky &&
      spec.conflicts !== false;
    if (concurrent && !opts.canaryDropConflicts) {
      const mine = { value, hlc: change.hlc, deviceId: change.deviceId, authorId: change.authorId };
      const theirs = { value: curValue, hlc: curClock, deviceId: null, authorId: (data['updated_by'] as string | null) ?? null };
      conflicts.push({ field, winner: incomingWins ? { value, hlc: change.hlc } : { value: curValue, hlc: curClock }, values: [theirs, mine] });
    }
    if (incomingWins) {
      data[field] = value;
      clocks[field] = curClock !== undefined && curClock > change.hlc ? curClock : change.hlc;
    }
    touched[field] = data[field] ?? null;
    touchedClocks[field] = clocks[field]!;
  }
  return { ok: true, row: { data, clocks }, touched, touchedClocks, conflicts };
}

function checkNote(current: RowState, change: IncomingChange, fields: Fields): MergeResult | null {
  const changed = Object.entries(fields)
    .filter(([k, v]) => !same(current.data[k], v))
    .map(([k]) => k);
  if (isSignedNote(current.data)) {
    const forbidden = changed.filter((k) => !SIGNED_NOTE_MUTABLE.includes(k));
    const badStatus = changed.includes('status') && fields['status'] !== 'entered_in_error';
    if (forbidden.length > 0 || badStatus) {
      return {
        ok: false,
        code: 'signed_note',
        message: `this note was signed and cannot change (${[...forbidden, ...(badStatus ? ['status'] : [])].join(', ')}); write an addendum instead`,
      };
    }
    return null;
  }
  return null;
}
