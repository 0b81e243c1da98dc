import type Database from 'better-sqlite3';

/** Prepares each SQL text once per connection: preparing costs more than running these small statements. */
export class StatementCache {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  get(sql: string): Database.Statement {
    let stmt = this.stmts.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      this.stmts.set(sql, stmt);
    }
    return stmt;
  }
}
