import type Database from 'better-sqlite3';
import { ENTITIES, type EntityName } from '../../../shared/sync/entities';
import { newId } from '../../common/ids';
import { statementsFor, type StatementCache } from '../db/statement-cache';
import type { StoredRow } from '../repos/stored-row';
import type { Actor, ClinicalWriter } from '../repos/writer';

export type Values = Record<string, string | number | null>;

/**
 * The portal desk's rows, written with plain SQL inside the ClinicalWriter's transaction: a
 * `fields` row records its audit and outbox entry with it; a write-once message records its outbox
 * entry and one audit entry of its own (the writer keeps no copy of write-once rows in the outbox).
 */
export class PortalRows {
  private readonly stmts: StatementCache;

  constructor(
    readonly sqlite: Database.Database,
    readonly writer: ClinicalWriter,
  ) {
    this.stmts = statementsFor(sqlite);
  }

  /** Inside writer.write: inserts a row of `entity`, audited as `action` (with `detail`) and queued for sync. */
  insert(at: string, actor: Actor, entity: EntityName, values: Values, patientId: string, action: string, detail?: string): StoredRow {
    const spec = ENTITIES[entity];
    const row: Values = { id: newId(), created_at: at, created_by: actor.userId, updated_at: at, updated_by: actor.userId, version: 1, ...values };
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`;
    const stored = this.stmts.get(sql).get(...cols.map((c) => row[c])) as StoredRow;
    const id = String(stored['id']);
    if (spec.kind === 'append') {
      this.writer.syncInserted(at, entity, id, actor, patientId);
      this.writer.audited(at, action, actor, patientId, entity, id, detail);
    } else this.writer.record(at, { action, actor, patientId, entity, id, op: 'insert', payload: stored, ...(detail === undefined ? {} : { detail }) });
    return stored;
  }

  /** Inside writer.write: changes columns of a `fields` row (version + 1), with its audit and outbox entry. */
  update(at: string, actor: Actor, entity: EntityName, id: string, values: Values, patientId: string, action: string, detail?: string): StoredRow {
    const cols = Object.keys(values);
    const set = [...cols.map((c) => `${c} = ?`), 'updated_at = ?', 'updated_by = ?', 'version = version + 1'].join(', ');
    const sql = `UPDATE ${ENTITIES[entity].table} SET ${set} WHERE id = ? RETURNING *`;
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
