import type Database from 'better-sqlite3';
import { DEVICE_COLUMNS, ENTITIES, isEntity, isWireValue, type Clocks, type EntityName, type Fields } from '../../../shared/sync/entities';
import { decodeStoredClocks, encodeStoredClocks } from '../../../shared/sync/compact-clocks';
import type { DeviceClock } from '../sync/device-clock';
import type { RowAccess } from '../sync/row-reader';
import { MultiRowInsert, selectIn } from './multi-row';
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
export function syncedFields(rows: RowAccess, entity: EntityName, entityId: string, given: StoredRow, columns = syncedColumns(rows, entity)): Fields {
  const out: Fields = {};
  for (const column of columns) {
    const v = given[column];
    if (v === undefined) throw new Error(`outbox: the row given for ${entity} ${entityId} has no ${column}: pass the whole row as written`);
    const value = typeof v === 'bigint' ? Number(v) : v;
    if (!isWireValue(value)) throw new Error(`outbox: ${entity}.${column} of ${entityId} is not a stored value`);
    out[column] = value;
  }
  return out;
}

/** The columns syncedFields takes from a row of `entity`: the table's, in order, without the device-only ones. */
export function syncedColumns(rows: RowAccess, entity: EntityName): string[] {
  const spec = ENTITIES[entity];
  const skip = new Set<string>([...DEVICE_COLUMNS, ...('localOnly' in spec ? spec.localOnly : [])]);
  return [...rows.columnsOf(entity)].filter((c) => !skip.has(c));
}

/**
 * What an update sends: the columns of `row` that differ from what this device last knew of it
 * (`known`; all of them for a row it never recorded). A signature travels with the text it covers
 * (the server keeps that text, whatever else arrived).
 */
function changedFields(entity: EntityName, row: Fields, known: Fields | null): Fields {
  if (!known) return { ...row };
  const fields: Fields = {};
  for (const k in row) if (known[k] !== row[k]) fields[k] = row[k]!;
  if (entity === 'note' && row['status'] === 'signed' && known['status'] !== 'signed') {
    fields['title'] = row['title']!;
    fields['content'] = row['content']!;
  }
  return fields;
}

/** A row changed in a batch (OutboxRepo.addChangedMany): the whole row as written, and whose chart it is. */
export interface ChangedRow {
  id: string;
  row: StoredRow;
  patientId: string | null;
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
  private readonly insertMany: MultiRowInsert;
  private readonly statePutMany: MultiRowInsert;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly deviceId: string,
    private readonly rows: RowAccess,
    private readonly clock: DeviceClock,
  ) {
    // Numbered on from the highest change here, or from the highest the clinic server holds of this
    // device when that is higher (after a restore from a backup: `sync.seq_floor`, sync.client.ts).
    this.next = sqlite.prepare(
      `SELECT max(coalesce((SELECT max(seq) FROM sync_outbox WHERE device_id = ?), 0),
         coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'sync.seq_floor'), 0)) + 1 AS n`,
    );
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
    this.insertMany = new MultiRowInsert(
      sqlite,
      'INSERT INTO sync_outbox (device_id, seq, entity, entity_id, op, payload, created_at, hlc, user_id, patient_id, base)',
      11,
    );
    this.statePutMany = new MultiRowInsert(
      sqlite,
      'INSERT INTO sync_state (entity, entity_id, data, clocks)',
      4,
      'ON CONFLICT(entity, entity_id) DO UPDATE SET data = excluded.data, clocks = excluded.clocks',
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
   * `inserted`: as for addInsertedRows, the rows the caller's own INSERTs of exactly these new ids
   * reported; all of them shows they are written, with no probe.
   */
  addInsertedMany(entity: EntityName, entityIds: readonly string[], at: string, meta: OutboxMeta = NO_META, inserted?: number): number[] {
    if (ENTITIES[entity].kind !== 'append') throw new Error(`outbox: ${entity} rows change after they are written: record them with the row`);
    if (entityIds.length === 0) return [];
    // One probe by primary key for all of them: the caller promises the rows are written, and nothing else shows it here.
    const unique = entityIds.length === 1 || inserted === entityIds.length ? entityIds : [...new Set(entityIds)];
    if (inserted !== entityIds.length && this.countWritten(entity, unique) !== unique.length) {
      const missing = entityIds.filter((id) => !this.rows.exists(entity, id));
      throw new Error(`outbox: ${entity} ${missing.join(', ')} was not written before its outbox entry`);
    }
    const first = this.next.get(this.deviceId)!.n;
    const clocks = this.clock.ticks(entityIds.length);
    if (entityIds.length === 1) {
      this.insert.run(this.deviceId, first, entity, entityIds[0]!, 'insert', AS_STORED, at, clocks[0]!, meta.userId, meta.patientId, '{}');
      return [first];
    }
    // Several to a statement (a C-CDA's hundreds of results, an ORU's dozen).
    const values: (string | number | null)[] = [];
    const seqs = entityIds.map((id, i) => {
      values.push(this.deviceId, first + i, entity, id, 'insert', AS_STORED, at, clocks[i]!, meta.userId, meta.patientId, '{}');
      return first + i;
    });
    this.insertMany.run(values);
    return seqs;
  }

  /**
   * addInsertedMany for write-once rows of several charts (the ledger entries of every claim an 835
   * pays): the same entries, in the order given, each with its own chart, written by one INSERT per
   * 64 entries after one existence check, one sequence read and one clock read for them all. The
   * check is skipped when the caller's INSERT reported every row (`inserted`): probing the 30,000
   * ledger entries of a 5,000-claim 835 just written cost ~50 ms of its ~1.4 s.
   */
  addInsertedRows(
    entity: EntityName,
    entries: readonly { id: string; patientId: string | null }[],
    at: string,
    userId: string | null,
    /** How many rows the caller's own INSERT of exactly these new ids reported: all of them shows they are written, with no probe. */
    inserted?: number,
  ): void {
    if (ENTITIES[entity].kind !== 'append') throw new Error(`outbox: ${entity} rows change after they are written: record them with the row`);
    if (entries.length === 0) return;
    const ids = entries.map((e) => e.id);
    const unique = inserted === entries.length ? ids : [...new Set(ids)];
    if (inserted !== entries.length && this.countWritten(entity, unique) !== unique.length) {
      const missing = unique.filter((id) => !this.rows.exists(entity, id));
      throw new Error(`outbox: ${entity} ${missing.join(', ')} was not written before its outbox entry`);
    }
    const first = this.next.get(this.deviceId)!.n;
    const clocks = this.clock.ticks(entries.length);
    const values: (string | number | null)[] = [];
    entries.forEach((e, i) => values.push(this.deviceId, first + i, entity, e.id, 'insert', AS_STORED, at, clocks[i]!, userId, e.patientId, '{}'));
    this.insertMany.run(values);
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

  /**
   * add() for many changed rows of one `fields` entity (the claims an 835 pays): one read of what
   * this device knew of them, one clock read, and one INSERT per 64 states and per 64 entries
   * instead of a read and two writes per row. A row given twice is diffed against its first
   * change, as two add() calls would. Each entry's `base` holds the clocks of the columns it
   * carries, the only ones the clinic server reads (shared/sync/merge.ts); add() keeps all of them.
   * The full set was more than half of what a claim's outbox entry held.
   */
  addChangedMany(entity: EntityName, changes: readonly ChangedRow[], at: string, userId: string | null): void {
    if (ENTITIES[entity].kind === 'append') throw new Error(`outbox: ${entity} rows are written once: record them with addInsertedRows`);
    if (changes.length === 0) return;
    const known = new Map<string, { data: Fields; clocks: Clocks }>();
    for (const s of selectIn<{ entity_id: string; data: string; clocks: string }>(
      (sql) => this.statement(sql),
      (marks) => `SELECT entity_id, data, clocks FROM sync_state WHERE entity = ? AND entity_id IN (${marks})`,
      changes.map((c) => c.id),
      [entity],
    )) {
      const data = JSON.parse(s.data) as Fields | null;
      if (data) known.set(s.entity_id, { data, clocks: decodeStoredClocks(s.clocks, data) });
    }
    const columns = syncedColumns(this.rows, entity);
    const hlcs = this.clock.ticks(changes.length);
    const states: (string | number | null)[] = [];
    const entries: (string | number | null)[] = [];
    let seq = this.next.get(this.deviceId)!.n;
    changes.forEach((c, i) => {
      if (c.row['id'] !== c.id) throw new Error(`outbox: the row given for ${entity} ${c.id} is ${String(c.row['id'])}`);
      const row = syncedFields(this.rows, entity, c.id, c.row, columns);
      const was = known.get(c.id);
      const fields = changedFields(entity, row, was?.data ?? null);
      const names = Object.keys(fields);
      if (was && names.length === 0) return;
      const hlc = hlcs[i]!;
      const clocks: Clocks = { ...(was?.clocks ?? {}) };
      const base: Clocks = {};
      for (const k of names) {
        if (was?.clocks[k] !== undefined) base[k] = was.clocks[k];
        clocks[k] = hlc;
      }
      known.set(c.id, { data: row, clocks });
      states.push(entity, c.id, JSON.stringify(row), encodeStoredClocks(clocks, row));
      entries.push(this.deviceId, seq++, entity, c.id, was ? 'update' : 'insert', JSON.stringify(fields), at, hlc, userId, c.patientId, JSON.stringify(base));
    });
    this.statePutMany.run(states);
    this.insertMany.run(entries);
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.sqlite.prepare(sql)));
    return stmt;
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
    const fields = changedFields(entity, row, known?.data ?? null);
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
