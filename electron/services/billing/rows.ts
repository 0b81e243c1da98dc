import type Database from 'better-sqlite3';
import type { EntityName } from '../../../shared/sync/entities';
import { ENTITIES } from '../../../shared/sync/entities';
import { newId } from '../../common/ids';
import { statementsFor, type StatementCache } from '../db/statement-cache';
import { MultiRowInsert, selectIn } from '../repos/multi-row';
import type { Actor, ClinicalWriter } from '../repos/writer';
import type { StoredRow } from '../repos/stored-row';

export type Row = Record<string, string | number | null>;

/**
 * Billing's rows are written with plain SQL (claims and remittances are posted thousands a second)
 * but always through the ClinicalWriter's transaction: a `fields` row records its audit and outbox
 * entry; a write-once (`append`) row only its outbox entry, the caller writing one audit entry for
 * what the rows together mean (one claim posted, one superbill saved).
 */
export class BillingRows {
  private readonly stmts: StatementCache;
  private readonly bulk = new Map<string, MultiRowInsert>();

  constructor(
    readonly sqlite: Database.Database,
    readonly writer: ClinicalWriter,
  ) {
    this.stmts = statementsFor(sqlite);
  }

  /** The audited columns of a new row. */
  private stamp(at: string, actor: Actor): Row {
    return { created_at: at, created_by: actor.userId, updated_at: at, updated_by: actor.userId, version: 1 };
  }

  /** Inserts a row of `entity` (inside writer.write) and records it for sync (and audit, for a fields row). */
  insert(at: string, actor: Actor, entity: EntityName, values: Row, patientId: string | null, action?: string): StoredRow {
    const spec = ENTITIES[entity];
    const row: Row = { id: newId(), ...this.stamp(at, actor), ...values };
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`;
    const stored = this.stmts.get(sql).get(...cols.map((c) => row[c])) as StoredRow;
    if (spec.kind === 'append') this.writer.syncInserted(at, entity, String(stored['id']), actor, patientId);
    else this.writer.record(at, { action: action ?? `${entity}.add`, actor, patientId, entity, id: String(stored['id']), op: 'insert', payload: stored });
    return stored;
  }

  /**
   * Inside writer.write: inserts write-once (`append`) rows of one chart and records them for sync
   * with one outbox call (one existence check, one clock read); the caller writes the audit entry.
   */
  insertMany(at: string, actor: Actor, entity: EntityName, rows: readonly Row[], patientId: string | null): string[] {
    if (ENTITIES[entity].kind !== 'append') throw new Error(`${entity} rows change after they are written: insert them one by one`);
    const ids: string[] = [];
    for (const values of rows) {
      const row: Row = { id: newId(), ...this.stamp(at, actor), ...values };
      const cols = Object.keys(row);
      this.stmts.get(`INSERT INTO ${ENTITIES[entity].table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
      ids.push(String(row['id']));
    }
    this.writer.syncInsertedMany(at, entity, ids, actor, patientId);
    return ids;
  }

  /**
   * Inside writer.write: inserts write-once (`append`) rows of any charts (each row's `patient_id`
   * names its chart) with one INSERT per 64 rows, and records them for sync with one outbox call;
   * the caller writes the audit entries. Every row has the same columns. Returns the new ids, in order.
   */
  appendRows(at: string, actor: Actor, entity: EntityName, rows: readonly Row[]): string[] {
    const spec = ENTITIES[entity];
    if (spec.kind !== 'append') throw new Error(`${entity} rows change after they are written: insert them one by one`);
    if (rows.length === 0) return [];
    const given = Object.keys(rows[0]!);
    const columns = ['id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version', ...given];
    const key = `${spec.table}(${columns.join(',')})`;
    let insert = this.bulk.get(key);
    if (!insert) this.bulk.set(key, (insert = new MultiRowInsert(this.sqlite, `INSERT INTO ${spec.table} (${columns.join(', ')})`, columns.length)));
    const values: (string | number | null)[] = [];
    const entries: { id: string; patientId: string | null }[] = [];
    for (const r of rows) {
      const id = newId();
      values.push(id, at, actor.userId, at, actor.userId, 1);
      let n = 0;
      for (const c of given) {
        const v = r[c];
        if (v === undefined) throw new Error(`${entity} rows written together must have the same columns: one has no ${c}`);
        values.push(v);
        n++;
      }
      for (const c in r) if (--n < 0) throw new Error(`${entity} rows written together must have the same columns: one has ${c} too`);
      const patientId = r['patient_id'];
      entries.push({ id, patientId: typeof patientId === 'string' ? patientId : null });
    }
    // New ids, one INSERT with no conflict clause: every row is written, or the statement throws.
    const inserted = insert.run(values);
    this.writer.syncInsertedRows(at, entity, entries, actor, inserted);
    return entries.map((e) => e.id);
  }

  /**
   * update() for many rows of one `fields` entity: each row changed by its own statement (as
   * update() does, so a row changed twice is changed in turn), then every audit and outbox entry
   * recorded together. Returns the rows as stored, in order.
   */
  updateRows(
    at: string,
    actor: Actor,
    entity: EntityName,
    changes: readonly { id: string; values: Row; patientId: string | null; action: string; detail?: string | null }[],
  ): StoredRow[] {
    const spec = ENTITIES[entity];
    const sql = new Map<string, { cols: string[]; stmt: ReturnType<StatementCache['get']> }>();
    const stored = changes.map((ch) => {
      const shape = Object.keys(ch.values).join(',');
      let u = sql.get(shape);
      if (!u) {
        const cols = Object.keys(ch.values);
        const set = [...cols.map((c) => `${c} = ?`), 'updated_at = ?', 'updated_by = ?', 'version = version + 1'].join(', ');
        sql.set(shape, (u = { cols, stmt: this.stmts.get(`UPDATE ${spec.table} SET ${set} WHERE id = ? RETURNING *`) }));
      }
      const row = u.stmt.get(...u.cols.map((c) => ch.values[c]), at, actor.userId, ch.id) as StoredRow | undefined;
      if (!row) throw new Error(`${entity} ${ch.id} does not exist`);
      return row;
    });
    this.writer.recordMany(
      at,
      entity,
      actor,
      changes.map((ch, i) => ({ id: ch.id, row: stored[i]!, patientId: ch.patientId, action: ch.action, detail: ch.detail ?? null })),
    );
    return stored;
  }

  /** Changes columns of a `fields` row, bumping its version, with its audit and outbox entry. */
  update(at: string, actor: Actor, entity: EntityName, id: string, values: Row, patientId: string | null, action: string, detail?: string): StoredRow {
    const spec = ENTITIES[entity];
    const cols = Object.keys(values);
    const set = [...cols.map((c) => `${c} = ?`), 'updated_at = ?', 'updated_by = ?', 'version = version + 1'].join(', ');
    const sql = `UPDATE ${spec.table} SET ${set} WHERE id = ? RETURNING *`;
    const stored = this.stmts.get(sql).get(...cols.map((c) => values[c]), at, actor.userId, id) as StoredRow | undefined;
    if (!stored) throw new Error(`${entity} ${id} does not exist`);
    this.writer.record(at, { action, actor, patientId, entity, id, op: 'update', payload: stored, ...(detail === undefined ? {} : { detail }) });
    return stored;
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmts.get(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.stmts.get(sql).all(...params) as T[];
  }

  /** Rows whose key is one of `keys` (see selectIn): `sql` gets the placeholder list; `before` binds ahead of the keys. */
  allIn<T>(sql: (marks: string) => string, keys: Iterable<unknown>, ...before: unknown[]): T[] {
    return selectIn<T>((text) => this.stmts.get(text), sql, keys, before);
  }
}
