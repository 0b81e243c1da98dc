import type Database from 'better-sqlite3';

/** Rows per statement: enough that a statement's trip into SQLite no longer shows, few enough to bind cheaply. */
const CHUNK = 64;

/**
 * One INSERT for many rows: `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), …`, prepared once per
 * number of rows and kept. Bulk paths (an 835 posting thousands of claims) spent as much on each
 * row's own statement call as on the row: here 64 rows share one. A remainder is written in
 * power-of-two pieces, so a table never needs more than seven statements.
 */
export class MultiRowInsert {
  private readonly stmts = new Map<number, Database.Statement>();
  private readonly row: string;

  /**
   * `head`: `INSERT INTO t (a, b, c)`; `width`: the number of columns; `tail`: what follows the
   * VALUES list (an ON CONFLICT clause), the same for every row.
   */
  constructor(
    private readonly sqlite: Database.Database,
    private readonly head: string,
    readonly width: number,
    private readonly tail = '',
  ) {
    this.row = `(${new Array<string>(width).fill('?').join(', ')})`;
  }

  private statement(rows: number): Database.Statement {
    let stmt = this.stmts.get(rows);
    if (!stmt) {
      stmt = this.sqlite.prepare(`${this.head} VALUES ${new Array<string>(rows).fill(this.row).join(', ')}${this.tail ? ` ${this.tail}` : ''}`);
      this.stmts.set(rows, stmt);
    }
    return stmt;
  }

  /**
   * Writes `values`, row after row (`width` values each), in order: rows get their rowids (and an
   * AUTOINCREMENT key its numbers) in the order given, as one INSERT per row would. Returns the rows written.
   */
  run(values: readonly unknown[]): number {
    if (values.length % this.width !== 0) throw new Error(`MultiRowInsert: ${values.length} values are not rows of ${this.width}`);
    const total = values.length / this.width;
    let done = 0;
    let changes = 0;
    while (done < total) {
      const left = total - done;
      const n = left >= CHUNK ? CHUNK : 2 ** Math.floor(Math.log2(left));
      changes += this.statement(n).run(...values.slice(done * this.width, (done + n) * this.width)).changes;
      done += n;
    }
    return changes;
  }
}

/**
 * `SELECT … WHERE key IN (…)` for many keys: 64 keys per statement, the last piece padded with its
 * own last key (a repeated key finds nothing more), so one prepared statement serves every call.
 * `sql` builds the text from the placeholder list; `before` are values bound ahead of the keys.
 * Keys are looked up once each even when given twice.
 */
export function selectIn<T>(
  prepare: (sql: string) => Database.Statement,
  sql: (marks: string) => string,
  keys: Iterable<unknown>,
  before: readonly unknown[] = [],
): T[] {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  const stmt = prepare(sql(new Array<string>(CHUNK).fill('?').join(', ')));
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    while (chunk.length < CHUNK) chunk.push(chunk[chunk.length - 1]);
    for (const r of stmt.all(...before, ...chunk)) out.push(r as T);
  }
  return out;
}
