import type Database from 'better-sqlite3';
import { DEVICE_COLUMNS, ENTITIES, isEntity, isWireValue, type Clocks, type EntityName, type Fields } from '../../../shared/sync/entities';
import { decodeStoredClocks, encodeStoredClocks } from '../../../shared/sync/compact-clocks';
import type { DeviceClock } from '../sync/device-clock';
import type { RowAccess } from '../sync/row-reader';
import type { StoredRow } from './stored-row';

export type OutboxOp = 'insert' | 'update' | 'delete';

export interface OutboxMeta {
  userId: string | null;
  patientId: string | null;
}

const NO_META: OutboxMeta = { userId: null, patientId: null };

/**
 * The payload of an append-only row's insert: the row is written once and never changed, so the
 * outbox keeps no copy of it and the row is read as stored when the change travels (outboxFields).
 * Lab ingest writes ten such rows per message; copying each one doubled what a result costs.
 */
export const AS_STORED = '';

/** The columns an outbox entry carries: its payload, or for AS_STORED the row itself. */
export function outboxFields(rows: RowAccess, entity: string, entityId: string, payload: string): Fields {
  if (payload !== AS_STORED) return JSON.parse(payload) as Fields;
  const row = rows.read(entity, entityId);
  if (!row) throw new Error(`outbox: the ${entity} ${entityId} it records is no longer in the database`);
  return row;
}

/**
 * The synced columns of a row just written, as RowAccess.read would give them from the database:
 * in the table's column order, device-only columns left out, integers as numbers. Important: the
 * wire format is this object's JSON, byte for byte, so the order and the values must be the stored ones.
 */
export function syncedFields(rows: RowAccess, entity: EntityName, entityId: string, given: StoredRow): Fields {
  const spec = ENTITIES[entity];
  const skip = new Set<string>([...DEVICE_COLUMNS, ...('localOnly' in spec ? spec.localOnly : [])]);
  const out: Fields = {};
  for (const column of rows.columnsOf(entity)) {
    if (skip.has(column)) continue;
    const v = given[column];
    if (v === undefined) throw new Error(`outbox: the row given for ${entity} ${entityId} has no ${column}: pass the whole row as written`);
    const value = typeof v === 'bigint' ? Number(v) : v;
    if (!isWireValue(value)) throw new Error(`outbox: ${entity}.${column} of ${entityId} is not a stored value`);
    out[column] = value;
  }
  return out;
}

/** One local change waiting for (or acknowledged by) the clinic server. */
export interface OutboxRow {
  seq: number;
  entity: string;
  entityId: string;
  op: 'insert' | 'update';
  hlc: string;
  userId: string;
  patientId: string | null;
  fields: Fields;
  base: Clocks;
}

/**
 * The sync outbox: one row per local mutation keyed (device id, sequence), written inside the
 * same transaction as the clinical write so a committed change is never missing from sync.
 *
 * What travels is the row as stored (column → value), taken from the row the caller just wrote
 * (never a domain object): for an update, only the columns that changed since this device last knew the row, with the clocks it knew
 * (`base`), so the server can tell a sequential edit from two edits made while apart.
 */
export class OutboxRepo {
  private readonly next: Database.Statement<[string], { n: number }>;
  private readonly insert: Database.Statement;
  private readonly countPending: Database.Statement<[], { n: number }>;
  private readonly stateGet: Database.Statement<[string, string], { data: string; clocks: string }>;
  private readonly statePut: Database.Statement<[string, string, string, string]>;
  private readonly counts = new Map<string, Database.Statement<string[], { n: number }>>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
    private readonly rows: RowAccess,
    private readonly clock: DeviceClock,
  ) {
    this.next = sqlite.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM sync_outbox WHERE device_id = ?');
    this.countPending = sqlite.prepare('SELECT count(*) AS n FROM sync_outbox WHERE pushed_at IS NULL');
    this.insert = sqlite.prepare(
      `INSERT INTO sync_outbox (device_id, seq, entity, entity_id, op, payload, created_at, hlc, user_id, patient_id, base)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.stateGet = sqlite.prepare('SELECT data, clocks FROM sync_state WHERE entity = ? AND entity_id = ?');
    this.statePut = sqlite.prepare(
      `INSERT INTO sync_state (entity, entity_id, data, clocks) VALUES (?, ?, ?, ?)
       ON CONFLICT(entity, entity_id) DO UPDATE SET data = excluded.data, clocks = excluded.clocks`,
    );
  }

  /** Mutations not yet acknowledged by the clinic server. */
  pending(): number {
    return this.countPending.get()!.n;
  }

  /**
   * Records a write-once row just inserted by the caller's own statement. The outbox keeps no copy
   * of such a row (AS_STORED: it is read when the change travels), so only its id is needed and the
   * insert need not return the row (a lab result may carry a megabyte attachment). Call after the
   * row is written, inside the same transaction.
   */
  addInserted(entity: EntityName, entityId: string, at: string, meta: OutboxMeta = NO_META): number {
    return this.addInsertedMany(entity, [entityId], at, meta)[0]!;
  }

  /**
   * addInserted for several rows at once (the results of one lab message): one existence check,
   * one sequence read and one clock read and write for all of them, instead of one of each per row.
   * The entries are the same as one addInserted per id, in the order given. Returns their sequences.
   */
  addInsertedMany(entity: EntityName, entityIds: readonly string[], at: string, meta: OutboxMeta = NO_META): number[] {
    if (ENTITIES[entity].kind !== 'append') throw new Error(`outbox: ${entity} rows change after they are written: record them with the row`);
    if (entityIds.length === 0) return [];
    // One probe by primary key for all of them: the caller promises the rows are written, and nothing else shows it here.
    const unique = entityIds.length === 1 ? entityIds : [...new Set(entityIds)];
    if (this.countWritten(entity, unique) !== unique.length) {
      const missing = entityIds.filter((id) => !this.rows.exists(entity, id));
      throw new Error(`outbox: ${entity} ${missing.join(', ')} was not written before its outbox entry`);
    }
    const first = this.next.get(this.deviceId)!.n;
    const clocks = this.clock.ticks(entityIds.length);
    return entityIds.map((id, i) => {
      this.insert.run(this.deviceId, first + i, entity, id, 'insert', AS_STORED, at, clocks[i]!, meta.userId, meta.patientId, '{}');
      return first + i;
    });
  }

  /**
   * How many of `ids` are rows of the entity's table: one statement per 32 ids, prepared once per
   * table and size (bound values: a json_each list cost three times as much to read).
   */
  private countWritten(entity: EntityName, ids: readonly string[]): number {
    const table = ENTITIES[entity].table;
    let n = 0;
    for (let i = 0; i < ids.length; i += 32) {
      const chunk = ids.slice(i, i + 32);
      const key = `${table}/${chunk.length}`;
      let stmt = this.counts.get(key);
      if (!stmt) this.counts.set(key, (stmt = this.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE id IN (${chunk.map(() => '?').join(', ')})`)));
      n += stmt.get(...chunk)!.n;
    }
    return n;
  }

  /**
   * Records the change just written to `entity`/`entityId`, from `row`: the whole row as written
   * (as `RETURNING *` gives it, or storedRow of drizzle's `.returning()`). It is not read back:
   * what travels is built from it exactly as from the stored row (the synced columns in the
   * table's column order). Call after the row is written, inside the same transaction. Returns the
   * sequence, or null when nothing synced changed.
   */
  add(entity: string, entityId: string, row: StoredRow, at: string, meta: OutboxMeta = NO_META): number | null {
    if (!isEntity(entity)) throw new Error(`"${entity}" is not a synced record type`);
    if (row['id'] !== entityId) throw new Error(`outbox: the row given for ${entity} ${entityId} is ${String(row['id'])}`);
    // Written once, never changed: no per-column state to keep, and no copy (see AS_STORED).
    if (ENTITIES[entity].kind === 'append') return this.appendEntry(entity, entityId, at, meta);
    return this.fieldsEntry(entity, entityId, syncedFields(this.rows, entity, entityId, row), at, meta);
  }

  private appendEntry(entity: EntityName, entityId: string, at: string, meta: OutboxMeta): number {
    const seq = this.next.get(this.deviceId)!.n;
    this.insert.run(this.deviceId, seq, entity, entityId, 'insert', AS_STORED, at, this.clock.tick(), meta.userId, meta.patientId, '{}');
    return seq;
  }

  private fieldsEntry(entity: EntityName, entityId: string, row: Fields, at: string, meta: OutboxMeta): number | null {
    const state = this.stateGet.get(entity, entityId);
    const knownData = state ? (JSON.parse(state.data) as Fields) : null;
    const known = state && knownData ? { data: knownData, clocks: decodeStoredClocks(state.clocks, knownData) } : null;
    const fields: Fields = known ? Object.fromEntries(Object.entries(row).filter(([k, v]) => known.data[k] !== v)) : row;
    if (known && entity === 'note' && row['status'] === 'signed' && known.data['status'] !== 'signed') {
      // A signature travels with the text it covers (the server keeps that text, whatever else arrived).
      fields['title'] = row['title']!;
      fields['content'] = row['content']!;
    }
    if (known && Object.keys(fields).length === 0) return null;
    const hlc = this.clock.tick();
    const clocks: Clocks = { ...(known?.clocks ?? {}) };
    for (const k of Object.keys(fields)) clocks[k] = hlc;
    this.statePut.run(entity, entityId, JSON.stringify(row), encodeStoredClocks(clocks, row));
    const seq = this.next.get(this.deviceId)!.n;
    const wireOp = known ? 'update' : 'insert';
    this.insert.run(
      this.deviceId,
      seq,
      entity,
      entityId,
      wireOp,
      JSON.stringify(fields),
      at,
      hlc,
      meta.userId,
      meta.patientId,
      JSON.stringify(known?.clocks ?? {}),
    );
    return seq;
  }
}
