import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { Sql } from './db/open';

/**
 * Liveness and readiness, for systemd watchers, container HEALTHCHECKs and load balancers.
 *
 * - `GET /health` (liveness): the process answers HTTP. Nothing else is checked, so a database that is
 *   briefly down never gets a healthy server restarted.
 * - `GET /ready` (readiness): the server can do its job now: the database answers a real query, every
 *   migration this server ships is recorded in it, and the server is not shutting down. 200 or 503.
 *
 * Neither answer says anything about patients: statuses and one sentence each.
 */

type Check = { ok: true } | { ok: false; message: string };
export interface Readiness {
  ready: boolean;
  checks: { database: Check; migrations: Check; shutdown: Check };
}

/** How long the readiness query may take before the database counts as unreachable. */
export const READY_QUERY_TIMEOUT_MS = 3000;

/** The migration journal drizzle-kit writes beside the server's migrations (one entry per migration, `when` in ms). */
interface Journal {
  entries: { tag: string; when: number }[];
}

/**
 * Where the server's migrations are: CAIRN_RESOURCES_DIR when set (the packaged app), else the nearest
 * `resources/` above this module (from source, the electron-vite build, and the container's bundle).
 * Important: the same rule as electron/services/paths.ts, which server code may not import.
 */
export function serverMigrationsFolder(from: string = import.meta.url): string {
  const env = process.env['CAIRN_RESOURCES_DIR'];
  if (env) return join(env, 'migrations', 'server');
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, 'resources', 'migrations', 'server');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('Cairn resources folder not found; set CAIRN_RESOURCES_DIR');
    dir = up;
  }
}

/** The migrations this server ships, oldest first, as drizzle records them (`created_at` = the journal's `when`). */
export function shippedMigrations(folder: string): { tag: string; when: number }[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;
  return journal.entries.map((e) => ({ tag: e.tag, when: Number(e.when) }));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const reason = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0]! : String(e));

/** The database answers a real query, and holds every shipped migration (none missing, none newer than this server). */
async function databaseChecks(db: Sql, shipped: { tag: string; when: number }[]): Promise<Pick<Readiness['checks'], 'database' | 'migrations'>> {
  let applied: number[];
  try {
    await withTimeout(db.query('SELECT 1 AS ok'), READY_QUERY_TIMEOUT_MS, 'the database');
    const rows = await withTimeout(
      db.query<{ created_at: number | string }>('SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at'),
      READY_QUERY_TIMEOUT_MS,
      'the database',
    );
    applied = rows.map((r) => Number(r.created_at));
  } catch (e) {
    const message = `the database cannot be reached: ${reason(e)}; check that it is running and that this server may connect to it`;
    // A database with no migration table at all answers; its schema is what is wrong.
    if (/__drizzle_migrations|relation .* does not exist|schema "drizzle"/.test(reason(e)))
      return { database: { ok: true }, migrations: { ok: false, message: 'the database has no Cairn schema; start the server once against it to migrate it' } };
    return { database: { ok: false, message }, migrations: { ok: false, message: 'not checked: the database cannot be reached' } };
  }
  const have = new Set(applied);
  const missing = shipped.filter((m) => !have.has(m.when));
  const last = shipped.at(-1)?.when ?? 0;
  const newer = applied.filter((w) => w > last).length;
  if (missing.length > 0)
    return {
      database: { ok: true },
      migrations: { ok: false, message: `${missing.length} migration(s) are not applied (first: ${missing[0]!.tag}); restart the server to apply them` },
    };
  if (newer > 0)
    return {
      database: { ok: true },
      migrations: { ok: false, message: `the database has ${newer} migration(s) newer than this server; upgrade this server to the version that applied them` },
    };
  return { database: { ok: true }, migrations: { ok: true } };
}

/**
 * Whether the HTTP server that received this request still accepts connections. Important: the
 * clinic server's close() first stops listening, then finishes the requests in flight; a request
 * that arrives on a kept-alive connection in between must learn that the server is going away.
 */
function stillListening(c: Context): boolean {
  const socket = (c.env as { incoming?: { socket?: { server?: Server } } } | undefined)?.incoming?.socket;
  const server = socket?.server;
  return server ? server.listening : true;
}

/** Runs every readiness check. */
export async function readiness(db: Sql, shipped: { tag: string; when: number }[], listening: boolean): Promise<Readiness> {
  const shutdown: Check = listening ? { ok: true } : { ok: false, message: 'the server is shutting down; send requests to another server or retry shortly' };
  // A server that is going away is not asked anything more of its database (it may already be closing).
  const skipped: Check = { ok: false, message: 'not checked: the server is shutting down' };
  const data = listening ? await databaseChecks(db, shipped) : { database: skipped, migrations: skipped };
  const checks = { ...data, shutdown };
  return { ready: checks.database.ok && checks.migrations.ok && checks.shutdown.ok, checks };
}

/** Adds `GET /health` and `GET /ready` to the clinic server's routes. */
export function healthRoutes(app: Hono, db: Sql, migrationsFolder: string = serverMigrationsFolder()): void {
  const shipped = shippedMigrations(migrationsFolder);
  app.get('/health', (c) => c.json({ ok: true, service: 'cairn-clinic-server', time: Date.now() }));
  app.get('/ready', async (c) => {
    const r = await readiness(db, shipped, stillListening(c));
    c.header('cache-control', 'no-store');
    return c.json(r, r.ready ? 200 : 503);
  });
}
