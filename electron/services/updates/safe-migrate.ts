import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';

interface JournalEntry {
  tag: string;
  when: number;
}

function journal(folder: string): JournalEntry[] {
  return (JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
}

/** The last migration applied to the database (drizzle records each one's journal time), or null for a new one. */
export function appliedMigration(sqlite: Database.Database, folder: string): string | null {
  let last: { created_at: number } | undefined;
  try {
    last = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as { created_at: number } | undefined;
  } catch {
    return null;
  }
  if (!last) return null;
  return journal(folder).find((e) => e.when === Number(last.created_at))?.tag ?? `a later version's migration (${last.created_at})`;
}

/**
 * Which pending migration fails: replayed one by one, exactly as drizzle runs them (each statement
 * prepared and run), inside a transaction that is always rolled back. better-sqlite3's error does not
 * carry the statement, and drizzle runs every pending migration in one transaction.
 */
function failingMigration(sqlite: Database.Database, folder: string): string | null {
  let lastWhen = Number.NEGATIVE_INFINITY;
  try {
    const row = sqlite.prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get() as { created_at: number } | undefined;
    if (row) lastWhen = Number(row.created_at);
  } catch {
    // No migrations table yet: every migration is pending.
  }
  sqlite.exec('BEGIN');
  try {
    for (const entry of journal(folder).filter((e) => e.when > lastWhen)) {
      const sql = readFileSync(join(folder, `${entry.tag}.sql`), 'utf8');
      try {
        for (const statement of sql.split('--> statement-breakpoint')) sqlite.prepare(statement).run();
      } catch {
        return entry.tag;
      }
    }
    return null;
  } finally {
    sqlite.exec('ROLLBACK');
  }
}

/**
 * Applies the pending migrations (drizzle runs them all in one transaction, so a failure rolls every
 * one of them back) and, when one fails, says so in words a person can act on: which step failed,
 * that nothing was changed, and the version the database is still at, which the previous version of
 * Cairn opens as before. The caller closes the connection.
 */
export function migrateOrExplain(sqlite: Database.Database, folder: string, file: string): void {
  const before = appliedMigration(sqlite, folder);
  try {
    migrate(drizzle(sqlite), { migrationsFolder: folder });
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause ?? e;
    const why = cause instanceof Error ? cause.message : String(cause);
    const step = failingMigration(sqlite, folder);
    const still = appliedMigration(sqlite, folder);
    const unchanged = still === before;
    throw new CairnFailure(
      'database_error',
      `this version of Cairn could not update the database ${file}: step ${step ?? '(unknown)'} failed (${why}). ` +
        (unchanged
          ? `Nothing was changed: the database is still at ${before ?? 'its first version'}, and the previous version of Cairn opens it as before. `
          : `The database now reports ${still ?? 'no version'} (it was at ${before ?? 'its first version'}): do not use it; restore the last backup. `) +
        'Reinstall the previous version (or ask the administrator to publish it with cairn server publish-update --rollback) and report this message.',
    );
  }
}
