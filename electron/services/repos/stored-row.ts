import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * A row as SQLite stores it, keyed by column name: what `SELECT *` or `RETURNING *` gives. The
 * ClinicalWriter hands it to the outbox, which sends the synced columns of it as they are.
 */
export type StoredRow = Readonly<Record<string, string | number | bigint | null>>;

const COLUMNS = new WeakMap<SQLiteTable, [key: string, column: SQLiteColumn][]>();

/**
 * A drizzle row (camelCase keys, booleans as booleans: what `.returning().get()` gave) as SQLite
 * stores it: keyed by column name, each value as the driver wrote it (a boolean column holds 0/1).
 * Pass the whole row: a key missing here leaves its column out, and the outbox refuses a row
 * without every synced column.
 */
export function storedRow<T extends SQLiteTable>(table: T, row: T['$inferSelect']): StoredRow {
  let columns = COLUMNS.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table));
    COLUMNS.set(table, columns);
  }
  const values = row as Record<string, unknown>;
  const out: Record<string, string | number | bigint | null> = {};
  for (const [key, column] of columns) {
    const v = values[key];
    if (v === undefined) continue;
    out[column.name] = v === null ? null : (column.mapToDriverValue(v) as string | number | bigint);
  }
  return out;
}
