import type Database from 'better-sqlite3';
import pg from 'pg';
import { enrolledServer, signInWithServer } from '../../electron/services/sync/user-sessions';
import { randomBytes } from 'node:crypto';
import { openServerDb, type ServerDb } from '../../electron/server/db/open';
import { startServer, type RunningServer } from '../../electron/server/server';
import type { SyncServiceOptions } from '../../electron/server/sync.service';
import type { AppOptions } from '../../electron/server/app';
import { CLINIC } from './clinic';
import { resourcesDir } from './temp-db';

/** The PostgreSQL every machine here has (CI too): trust auth on loopback. */
export const PG_ADMIN_URL = process.env['CAIRN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A brand-new PostgreSQL database for one test file, dropped afterwards. */
export async function freshPostgresDb(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export type Backend = 'pglite' | 'postgres';

/** The clinic database alone (no HTTP): embedded PGlite in memory, or a fresh PostgreSQL database; `drop` after close. */
export async function openTestDb(backend: Backend): Promise<{ db: ServerDb; drop: () => Promise<void> }> {
  if (backend === 'pglite') return { db: await openServerDb({ memory: true }, resourcesDir), drop: () => Promise.resolve() };
  const pgdb = await freshPostgresDb();
  return { db: await openServerDb({ databaseUrl: pgdb.url }, resourcesDir), drop: pgdb.drop };
}

/** A real clinic server on a loopback port, on embedded PGlite (in memory) or a fresh PostgreSQL database. */
export async function startTestServer(
  backend: Backend,
  sync?: SyncServiceOptions,
  databaseUrl?: string,
  app?: AppOptions,
): Promise<RunningServer & { stop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const s = await startServer({ target: { memory: true }, resourcesDir, port: 0, ...(sync && { sync }), ...(app && { app }) });
    return { ...s, stop: () => s.close() };
  }
  const db = databaseUrl ? { url: databaseUrl, drop: (): Promise<void> => Promise.resolve() } : await freshPostgresDb();
  const s = await startServer({ target: { databaseUrl: db.url }, resourcesDir, port: 0, ...(sync && { sync }), ...(app && { app }) });
  return {
    ...s,
    stop: async () => {
      await s.close();
      await db.drop();
    },
  };
}

/**
 * Signs a user in with the clinic server from an enrolled device (the server checks the password),
 * so the device holds that user's session and the server accepts their changes from it.
 */
export async function signInOnServer(sqlite: Database.Database, username: string, password: string): Promise<string> {
  const server = enrolledServer(sqlite);
  if (!server) throw new Error('the device is not enrolled');
  const v = await signInWithServer(sqlite, server, username, password);
  if (v.status !== 'ok') throw new Error(`the clinic server refused ${username}: ${v.message}`);
  return v.userId;
}

/** The test clinic's administrator and physician sign in on the device with the clinic server (see openClinic). */
export async function signInClinicUsers(sqlite: Database.Database): Promise<void> {
  await signInOnServer(sqlite, CLINIC.admin.username, CLINIC.admin.password);
  await signInOnServer(sqlite, CLINIC.doc.username, CLINIC.doc.password);
}
