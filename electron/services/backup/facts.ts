import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { join } from 'node:path';

/**
 * The database's identity: the device id made when it was created (meta.device_id). Every device
 * has its own database, so two files with different ids are different databases, even of the
 * same clinic: restoring one over the other would give two devices the same sync identity.
 */
export function deviceIdOf(sqlite: Database.Database): string | null {
  try {
    const row = sqlite.prepare(`SELECT value FROM meta WHERE key = 'device_id'`).get() as { value: string } | undefined;
    return row?.value ?? null;
  } catch {
    return null;
  }
}

export function appliedMigrations(sqlite: Database.Database): { hash: string; createdAt: number }[] {
  return sqlite.prepare('SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at').all() as { hash: string; createdAt: number }[];
}

/**
 * Which applied migrations this build of Cairn does not ship (none for a database made by this
 * version or an older one; the app applies what is missing when it opens the file).
 */
export function unknownMigrations(sqlite: Database.Database, resourcesDir: string): number {
  const shipped = new Map(readMigrationFiles({ migrationsFolder: join(resourcesDir, 'migrations', 'client') }).map((m) => [m.folderMillis, m.hash]));
  return appliedMigrations(sqlite).filter((m) => shipped.get(Number(m.createdAt)) !== m.hash).length;
}

/** `PRAGMA integrity_check` (reading every page also checks every page's HMAC); [] when sound. */
export function integrityProblems(sqlite: Database.Database, quick = false): string[] {
  const rows = sqlite.pragma(quick ? 'quick_check' : 'integrity_check') as Record<string, string>[];
  const msgs = rows.map((r) => Object.values(r)[0] ?? '');
  return msgs.length === 1 && msgs[0] === 'ok' ? [] : msgs;
}
