import type Database from 'better-sqlite3';
import { enrolledServer } from './user-sessions';

/**
 * Counts the status shows, read from the device database. Its own module so the session's sync
 * controller (session-sync.ts) can use it without importing the sync barrel that re-exports it.
 */
export function syncCounts(sqlite: Database.Database): { pending: number; quarantined: number; conflictsOpen: number; serverUrl: string | null } {
  const n = (sql: string): number => (sqlite.prepare(sql).get() as { n: number }).n;
  return {
    pending: n('SELECT count(*) AS n FROM sync_outbox WHERE pushed_at IS NULL'),
    quarantined: n("SELECT count(*) AS n FROM sync_outbox WHERE quarantined_at IS NOT NULL AND coalesce(quarantined_reason, '') NOT LIKE 'reviewed:%'"),
    conflictsOpen: n("SELECT count(*) AS n FROM sync_conflicts WHERE status = 'open'"),
    serverUrl: enrolledServer(sqlite)?.serverUrl ?? null,
  };
}
