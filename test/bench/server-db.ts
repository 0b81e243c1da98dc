import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ServerDbTarget } from '../../electron/server/db/open';
import type { Store } from '../../electron/services/db/open';
import { enrolledServer, signInWithServer } from '../../electron/services/sync/user-sessions';

// The clinic server databases and the sign-in the sync and scale benchmarks share.

const PG_ADMIN = process.env['CAIRN_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchServerDb {
  target: ServerDbTarget;
  label: 'PostgreSQL' | 'PGlite';
  drop: () => Promise<void>;
}

/** Embedded PGlite with its data in a folder, as `cairn server` runs it by default. */
export function pgliteDb(): BenchServerDb {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-pglite-'));
  return { target: { dataDir }, label: 'PGlite', drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })) };
}

/** A new, empty clinic database for one phase: on the PostgreSQL at 127.0.0.1:5432 when it answers, else PGlite. */
export async function serverDb(phase: string): Promise<BenchServerDb> {
  const name = `cairn_bench_${phase}_${process.pid}`;
  try {
    const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    return {
      target: { databaseUrl: PG_ADMIN.replace(/\/[^/]*$/, `/${name}`) },
      label: 'PostgreSQL',
      drop: async () => {
        const d = new pg.Client({ connectionString: PG_ADMIN });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  } catch {
    return pgliteDb();
  }
}

/** The user signs in on the device with the clinic server checking the password, so it may sync for them. */
export async function signIn(store: Store, username: string, password: string): Promise<void> {
  const v = await signInWithServer(store.sqlite, enrolledServer(store.sqlite)!, username, password);
  if (v.status !== 'ok') throw new Error(`sign-in of ${username} refused: ${v.message}`);
}
