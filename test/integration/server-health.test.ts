import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedMigrations, serverMigrationsFolder, type Readiness } from '../../electron/server/health';
import { startServer, type RunningServer } from '../../electron/server/server';
import { freshPostgresDb, PG_ADMIN_URL, startTestServer, type Backend } from '../helpers/sync-server';
import { resourcesDir, tempDir } from '../helpers/temp-db';

/**
 * /health (liveness) and /ready (readiness) over real HTTP, on embedded PGlite and on PostgreSQL:
 * ready only while the database answers, holds exactly the migrations this server ships, and the
 * server is not shutting down.
 */

async function get(url: string): Promise<{ status: number; body: Readiness & { ok?: boolean; service?: string } }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Readiness };
}

type Reply = { status: number; body: string; reused: boolean };

/**
 * Two requests on one kept-alive connection: a POST whose body is held back until `between` has run
 * (so the connection is busy when the server starts closing), then `second` on the same connection.
 */
async function acrossClose(
  url: string,
  agent: http.Agent,
  between: () => void,
  second: string,
  request: typeof http.request = http.request,
): Promise<{ first: Reply; second: Reply }> {
  const send = (method: string, path: string, parts?: [string, string]): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const headers = parts ? { 'content-type': 'application/json', 'content-length': String(parts.join('').length) } : undefined;
      const req = request(`${url}${path}`, { method, agent, ...(headers && { headers }) }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      if (!parts) return void req.end();
      req.write(parts[0]);
      setTimeout(() => {
        between();
        setTimeout(() => req.end(parts[1]), 150);
      }, 150);
    });
  const first = await send('POST', '/sync/enroll', ['{"code":', '"AAAAAA"}']);
  return { first, second: await send('GET', second) };
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe.each<Backend>(['pglite', 'postgres'])('clinic server on %s: /health and /ready', (backend) => {
  let s: RunningServer & { stop: () => Promise<void> };
  const shipped = shippedMigrations(serverMigrationsFolder());

  beforeAll(async () => {
    s = await startTestServer(backend);
  });
  afterAll(async () => {
    await s.stop().catch(() => undefined);
  });

  it('answers alive and ready when the database answers and holds every shipped migration', async () => {
    const health = await get(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, service: 'cairn-clinic-server' });
    const ready = await get(`${s.url}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, checks: { database: { ok: true }, migrations: { ok: true }, shutdown: { ok: true } } });
    expect(shipped.length).toBeGreaterThan(5);
  });

  it('is not ready while a shipped migration is missing from the database, or the database has one newer than the server', async () => {
    const last = shipped.at(-1)!;
    const [row] = await s.db.query<{ hash: string }>('SELECT hash FROM drizzle.__drizzle_migrations WHERE created_at = $1', [last.when]);
    expect(row).toBeDefined();
    await s.db.query('DELETE FROM drizzle.__drizzle_migrations WHERE created_at = $1', [last.when]);
    let ready = await get(`${s.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.ready).toBe(false);
    expect(ready.body.checks.database).toEqual({ ok: true });
    expect(ready.body.checks.migrations).toMatchObject({ ok: false });
    expect(JSON.stringify(ready.body.checks.migrations)).toContain(last.tag);
    await s.db.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [row!.hash, last.when]);
    expect((await get(`${s.url}/ready`)).status).toBe(200);

    await s.db.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', ['from-a-newer-server', last.when + 60_000]);
    ready = await get(`${s.url}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body.checks.migrations)).toMatch(/newer than this server; upgrade/);
    await s.db.query('DELETE FROM drizzle.__drizzle_migrations WHERE hash = $1', ['from-a-newer-server']);
    expect((await get(`${s.url}/ready`)).status).toBe(200);
  });

  it('answers 503 on a kept-alive connection once the server has started closing, and is refused after', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let closing: Promise<void> | undefined;
    const { first, second } = await acrossClose(s.url, agent, () => void (closing = s.close()), '/ready');
    agent.destroy();
    await closing;
    // The request in flight when close() began was still answered (refused enrollment code, not a dropped connection).
    expect(first.status).toBe(400);
    expect(second.reused).toBe(true);
    expect(second.status).toBe(503);
    const body = JSON.parse(second.body) as Readiness;
    expect(body.ready).toBe(false);
    expect(body.checks.shutdown).toMatchObject({ ok: false, message: expect.stringMatching(/shutting down/) as unknown });
    expect(await refused(`${s.url}/health`)).toBe(true);
  });
});

describe('readiness when the database goes away', () => {
  it('PostgreSQL refusing connections: /health stays 200, /ready is 503 naming the database, and ready again once it accepts', async () => {
    const db = await freshPostgresDb();
    const name = db.url.split('/').at(-1)!;
    const s = await startServer({ target: { databaseUrl: db.url }, resourcesDir, port: 0 });
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      expect((await get(`${s.url}/ready`)).status).toBe(200);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      expect((await get(`${s.url}/health`)).status).toBe(200);
      const ready = await get(`${s.url}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toMatchObject({ ok: false, message: expect.stringMatching(/the database cannot be reached/) as unknown });
      expect(ready.body.checks.shutdown).toEqual({ ok: true });
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      expect((await get(`${s.url}/ready`)).status).toBe(200);
    } finally {
      await admin.end();
      await s.close().catch(() => undefined);
      await db.drop();
    }
  });

  it('embedded PGlite closed under the server: /ready is 503 naming the database', async () => {
    const s = await startServer({ target: { memory: true }, resourcesDir, port: 0 });
    try {
      expect((await get(`${s.url}/ready`)).status).toBe(200);
      await s.db.close();
      const ready = await get(`${s.url}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toMatchObject({ ok: false });
      expect((await get(`${s.url}/health`)).status).toBe(200);
    } finally {
      await s.close().catch(() => undefined);
    }
  });
});

describe('readiness over HTTPS', () => {
  const t = tempDir('cairn-ready-tls-');
  afterAll(() => t.cleanup());

  it('answers 503 on a kept-alive TLS connection once the server has started closing', async () => {
    const cert = join(t.dir, 'cert.pem');
    const key = join(t.dir, 'key.pem');
    // A self-signed certificate for this test only (node:crypto cannot write X.509).
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'],
      { stdio: 'ignore', env: { ...process.env, OPENSSL_CONF: '/dev/null' } },
    );
    const s = await startServer({ target: { memory: true }, resourcesDir, port: 0, tls: { cert, key } });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(cert), checkServerIdentity: () => undefined });
    let closing: Promise<void> | undefined;
    try {
      const before = await new Promise<number>((resolve, reject) =>
        https.get(`${s.url}/ready`, { agent }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject),
      );
      expect(before).toBe(200);
      const { second } = await acrossClose(s.url, agent, () => void (closing = s.close()), '/ready', https.request);
      expect(second.reused).toBe(true);
      expect(second.status).toBe(503);
    } finally {
      agent.destroy();
      await (closing ?? s.close());
    }
  });
});
