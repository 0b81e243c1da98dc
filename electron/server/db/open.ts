import { PGlite, types, type QueryOptions } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Parametrised SQL ($1, $2, …) returning rows. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** The clinic server's database: embedded PGlite or a PostgreSQL server, same SQL. */
export interface ServerDb extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one READ COMMITTED transaction; rolls back if it throws. */
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type ServerDbTarget = { dataDir: string } | { databaseUrl: string } | { memory: true };

// Two server processes starting together must not both migrate.
const MIGRATION_LOCK = 7_301_001;

/**
 * PGlite serializes every parameter by its type; a jsonb parameter given as bytes (jsonb-param.ts)
 * is passed on as it is, which PGlite's protocol writer sends in binary form. Any other jsonb value
 * goes to this PGlite's own serializer, as before.
 */
function liteQueryOptions(lite: PGlite): QueryOptions {
  const jsonb = lite.serializers[types.JSONB]!;
  return { serializers: { [types.JSONB]: (v: unknown) => (Buffer.isBuffer(v) ? (v as unknown as string) : jsonb(v)) } };
}

/** Opens (and migrates) the clinic server's database. */
export async function openServerDb(target: ServerDbTarget, resourcesDir: string): Promise<ServerDb> {
  const migrationsFolder = join(resourcesDir, 'migrations', 'server');
  if ('databaseUrl' in target) return openPostgres(target.databaseUrl, migrationsFolder);
  if ('dataDir' in target) mkdirSync(target.dataDir, { recursive: true });
  const lite = new PGlite('dataDir' in target ? target.dataDir : undefined);
  await lite.waitReady;
  await migratePglite(drizzlePglite(lite), { migrationsFolder });
  const options = liteQueryOptions(lite);
  return {
    kind: 'pglite',
    query: async (text, params) => (await lite.query(text, params as unknown[], options)).rows as never,
    tx: (fn) => lite.transaction((t) => fn({ query: async (text, params) => (await t.query(text, params as unknown[], options)).rows as never })),
    close: () => lite.close(),
  };
}

async function openPostgres(url: string, migrationsFolder: string): Promise<ServerDb> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection the database ends (a restart, an administrator) must not take the server
  // down: the pool drops it and opens another on the next query.
  pool.on('error', (e) => console.error(`PostgreSQL: an idle connection was closed (${e.message}); it will be replaced`));
  // int8 as a JS number: sequences stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return {
    kind: 'postgres',
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows as never,
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn({ query: async (text, params) => (await c.query(text, params as unknown[])).rows as never });
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}
