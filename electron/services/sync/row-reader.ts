import type Database from 'better-sqlite3';
import { StatementCache } from '../db/statement-cache';
import { DEVICE_COLUMNS, ENTITIES, isEntity, type EntityName, type Fields } from '../../../shared/sync/entities';

/**
 * Reads and writes synced rows by column name, generically for every entity, with prepared
 * statements cached per table. The wire format is the row itself: SQLite values keyed by column.
 */
export class RowAccess {
  private readonly columns = new Map<string, Set<string>>();
  private readonly selects = new Map<string, Database.Statement<[string], Record<string, unknown>>>();

  private readonly writes: StatementCache;
  private readonly inserts = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {
    this.writes = new StatementCache(sqlite);
  }

  private prepared(sql: string): Database.Statement {
    return this.writes.get(sql);
  }

  /** The table's columns (as this version of Cairn knows them). */
  columnsOf(entity: EntityName): Set<string> {
    const table = ENTITIES[entity].table;
    let cols = this.columns.get(table);
    if (!cols) {
      cols = new Set((this.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
      this.columns.set(table, cols);
    }
    return cols;
  }

  /** The synced columns of one row (device-only columns left out), or null. */
  read(entity: string, id: string): Fields | null {
    if (!isEntity(entity)) return null;
    const spec = ENTITIES[entity];
    let stmt = this.selects.get(entity);
    if (!stmt) {
      stmt = this.sqlite.prepare(`SELECT * FROM ${spec.table} WHERE id = ?`);
      this.selects.set(entity, stmt);
    }
    const row = stmt.get(id);
    if (!row) return null;
    const skip = new Set<string>([...DEVICE_COLUMNS, ...('localOnly' in spec ? spec.localOnly : [])]);
    const out: Fields = {};
    for (const [k, v] of Object.entries(row)) {
      if (skip.has(k)) continue;
      out[k] = typeof v === 'bigint' ? Number(v) : (v as string | number | null);
    }
    return out;
  }

  exists(entity: EntityName, id: string): boolean {
    return this.prepared(`SELECT 1 FROM ${ENTITIES[entity].table} WHERE id = ?`).get(id) !== undefined;
  }

  /** Inserts a row from pulled columns (`ignoreExisting`: a write-once row already here is left as it is). */
  insert(entity: EntityName, fields: Fields, ignoreExisting = false): void {
    const cols = Object.keys(fields);
    // Keyed by the column list so a long pull builds each INSERT's text once, not once per row.
    const key = `${entity}|${ignoreExisting ? 1 : 0}|${cols.join(',')}`;
    let stmt = this.inserts.get(key);
    if (!stmt) {
      stmt = this.sqlite.prepare(
        `INSERT ${ignoreExisting ? 'OR IGNORE ' : ''}INTO ${ENTITIES[entity].table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      );
      this.inserts.set(key, stmt);
    }
    stmt.run(cols.map((c) => fields[c]));
  }

  /** Updates pulled columns; a row edited here gets a new version, so an open editor sees the change. */
  update(entity: EntityName, id: string, fields: Fields): void {
    const cols = Object.keys(fields).filter((c) => c !== 'id');
    if (cols.length === 0) return;
    const hasVersion = this.columnsOf(entity).has('version');
    const sets = [...cols.map((c) => `"${c}" = ?`), ...(hasVersion ? ['version = version + 1'] : [])];
    this.prepared(`UPDATE ${ENTITIES[entity].table} SET ${sets.join(', ')} WHERE id = ?`).run(...cols.map((c) => fields[c]), id);
  }
}
