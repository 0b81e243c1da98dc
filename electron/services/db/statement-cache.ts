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

const perConnection = new WeakMap<Database.Database, StatementCache>();

/** The statement cache of one connection, for code on a hot path that holds no object of its own. */
export function statementsFor(sqlite: Database.Database): StatementCache {
  let cache = perConnection.get(sqlite);
  if (!cache) {
    cache = new StatementCache(sqlite);
    perConnection.set(sqlite, cache);
  }
  return cache;
}
