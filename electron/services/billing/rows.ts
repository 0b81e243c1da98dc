import type Database from 'better-sqlite3';
import type { EntityName } from '../../../shared/sync/entities';
import { ENTITIES } from '../../../shared/sync/entities';
import { newId } from '../../common/ids';
import { statementsFor, type StatementCache } from '../db/statement-cache';
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
}
