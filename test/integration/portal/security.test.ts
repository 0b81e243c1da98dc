import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPortalAudit } from '../../../electron/server/portal/portal-audit';
import { startServer, type RunningServer } from '../../../electron/server/server';
import type { SessionView } from '../../../shared/api/portal-http';
import { newId } from '../../../electron/common/ids';
import { selfSignedCertificate } from '../../helpers/tls';
import { resourcesDir, tempDir } from '../../helpers/temp-db';
import {
  invite,
  inviteCode,
  patient,
  PortalClient,
  registeredPatient,
  seed,
  settingsWith,
  startPortalServer,
  TestClock,
  type PortalServer,
} from './portal-server.helpers';

/** A POST on a connection of its own (no keep-alive), answered whole. */
function freshPost(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (d: Buffer) => chunks.push(d));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The portal's walls over real HTTP: the CSRF token on every change, same-site JSON only, cookie
 * flags (Secure over TLS), the Content-Security-Policy and other headers on every answer (the API,
 * the screens, the page shown when the screens are not built), rate limits per address and per
 * account, and the two realms kept apart (no staff or device credential on the portal, no portal
 * cookie anywhere else). The portal's audit chain is whole at the end.
 */
describe('portal security', () => {
  const clock = new TestClock();
  let server: PortalServer;
  const dir = tempDir('cairn-portal-ui-');
  const ui = join(dir.dir, 'renderer');

  beforeAll(async () => {
    mkdirSync(join(ui, 'assets'), { recursive: true });
    writeFileSync(
      join(ui, 'portal.html'),
      '<!doctype html><html><head><script type="module" crossorigin src="./assets/portal-Ab12.js"></script></head><body><div id="root"></div></body></html>',
    );
    writeFileSync(join(ui, 'assets', 'portal-Ab12.js'), 'console.log("portal")');
    writeFileSync(join(dir.dir, 'secret.txt'), 'not to be served');
    server = await startPortalServer('pglite', clock, {
      uiDir: ui,
      rateLimits: { signinIp: { max: 6, windowSeconds: 300 }, signinAccount: { max: 4, windowSeconds: 300 }, codeIp: { max: 3, windowSeconds: 900 } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    dir.cleanup();
  });

  it('refuses a change without the CSRF token (or with another), from another site, or not as JSON', async () => {
    const { client } = await registeredPatient(server, { given: 'Ciro', family: 'Adler', birthDate: '1975-05-05', email: 'ciro@example.org' });
    const token = client.csrf!;
    client.csrf = null;
    expect(await client.post('/account/language', { language: 'es' })).toMatchObject({ status: 403, body: { error: { code: 'csrf' } } });
    client.csrf = 'x'.repeat(43);
    expect((await client.post('/account/language', { language: 'es' })).status).toBe(403);
    client.csrf = token;
    expect(await client.post('/account/language', { language: 'es' }, { 'sec-fetch-site': 'cross-site' })).toMatchObject({
      status: 403,
      body: { error: { code: 'cross_site' } },
    });
    expect(await client.post('/account/language', { language: 'es' }, { 'content-type': 'text/plain' })).toMatchObject({ status: 415 });
    expect((await client.post('/signout/everywhere', {}, { 'x-csrf-token': '' })).status).toBe(403);
    expect((await client.post<SessionView>('/account/language', { language: 'es' })).body.account.language).toBe('es');
    // A page reload (no token in memory) gets the token again from the cookie.
    client.csrf = null;
    expect((await client.get<SessionView>('/session')).body.csrfToken).toBe(token);
  });

  it('puts a strict CSP, nosniff, no-referrer and no-store on every API answer, refusals included', async () => {
    const c = new PortalClient(server.url);
    for (const r of [
      await c.get('/session'),
      await c.get('/clinic'),
      await c.post('/signin', { username: 'x' }),
      await c.get('/no/such/route'),
      await c.get(''),
    ]) {
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.status).toBeLessThan(500);
      expect(r.headers.get('content-type')).toMatch(/json/);
    }
  });

  it('serves the built screens with a CSP that allows no inline script, their assets, nothing outside the build, and a 503 page when there is no build', async () => {
    const root = await fetch(`${server.url}/portal`, { redirect: 'manual' });
    expect(root.status).toBe(308);
    expect(root.headers.get('location')).toBe('/portal/');
    const page = await fetch(`${server.url}/portal/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('./assets/portal-Ab12.js');
    const csp = page.headers.get('content-security-policy')!;
    const scripts = /script-src ([^;]*)/.exec(csp)![1]!;
    expect(scripts).toBe("'self'");
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    // A screen's own address (the client routes) gets the page too.
    expect((await fetch(`${server.url}/portal/results`)).headers.get('content-type')).toMatch(/text\/html/);
    const js = await fetch(`${server.url}/portal/assets/portal-Ab12.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    for (const bad of [
      '/portal/assets/..%2F..%2Fsecret.txt',
      '/portal/assets/%2e%2e/%2e%2e/secret.txt',
      '/portal/assets/nothing.js',
      '/portal/..%2Fsecret.txt',
    ]) {
      const r = await fetch(`${server.url}${bad}`);
      expect(r.status, bad).toBe(404);
      expect(await r.text()).not.toContain('not to be served');
    }
    const bare = await startPortalServer('pglite', clock, { uiDir: join(dir.dir, 'missing') });
    try {
      const r = await fetch(`${bare.url}/portal/`);
      expect(r.status).toBe(503);
      expect(await r.text()).toMatch(/not available yet.*portal\.html is missing/s);
      expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      // The API still answers.
      expect((await fetch(`${bare.url}/portal/api/clinic`)).status).toBe(200);
    } finally {
      await bare.stop();
    }
  });

  it('limits sign-in attempts per address and per account, and invitation codes per address, with 429, Retry-After and a clear message', async () => {
    await registeredPatient(server, { given: 'Dora', family: 'Keel', birthDate: '1969-09-09', email: 'dora@example.org' });
    const c = new PortalClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await c.signIn('dora@example.org', 'not her password at all')).status);
    // Four tries for one account in the window (the fifth is refused before the password is looked at).
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const limited = await c.signIn('dora@example.org', 'not her password at all');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({
      error: { code: 'too_many_attempts', message: expect.stringMatching(/for this account: wait \d+ minutes/) as unknown },
    });
    // The address is limited too, whatever account it tries.
    const other = await c.signIn('someone@example.org');
    expect(other.status).toBe(429);
    expect((other.body as unknown as { error: { message: string } }).error.message).toMatch(/from this address/);
    clock.advance(301_000);
    expect((await c.signIn('dora@example.org', 'not her password at all')).status).toBe(401);
    // Invitation codes: three tries per address in 15 minutes (registration and linking share it).
    clock.advance(901_000);
    const p = patient({ given: 'Ezra', family: 'Keel', birthDate: '2001-01-01' });
    await seed(server, [p, invite(p.id, inviteCode())]);
    const guesses: number[] = [];
    for (let i = 0; i < 4; i++) guesses.push((await c.register(inviteCode(), '2001-01-01', `ezra${i}@example.org`)).status);
    expect(guesses).toEqual([400, 400, 400, 429]);
    clock.advance(901_000);
  });

  it('refuses a staff or device credential on the portal, and a portal cookie opens nothing on /sync, /fhir or /admin', async () => {
    const { client } = await registeredPatient(server, { given: 'Fenna', family: 'Roos', birthDate: '1992-02-02', email: 'fenna@example.org' });
    // A real device credential of this clinic server.
    const code = await server.sync.createEnrollmentCode('Front desk PC');
    const enroll = await fetch(`${server.url}/sync/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code.code, deviceId: newId(), deviceName: 'Front desk PC', users: [] }),
    });
    expect(enroll.status).toBe(200);
    const { token } = (await enroll.json()) as { token: string };
    const withBearer = await client.get('/session', { authorization: `Bearer ${token}` });
    expect(withBearer).toMatchObject({ status: 401, body: { error: { code: 'wrong_realm' } } });
    expect((await new PortalClient(server.url).get('/clinic', { authorization: `Bearer ${token}` })).status).toBe(401);
    // The same device credential works where it belongs; the portal cookie does not.
    expect((await fetch(`${server.url}/sync/audit-head`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const cookie = { cookie: `cairn_portal=${client.cookie!}`, 'x-csrf-token': client.csrf! };
    expect((await fetch(`${server.url}/sync/pull?cursor=0`, { headers: cookie })).status).toBe(401);
    expect((await fetch(`${server.url}/sync/audit-head`, { headers: cookie })).status).toBe(401);
    expect((await fetch(`${server.url}/fhir/R4/Patient`, { headers: cookie })).status).toBe(401);
    expect((await fetch(`${server.url}/admin/devices`, { headers: cookie })).status).toBe(403);
    expect(
      (await fetch(`${server.url}/sync/push`, { method: 'POST', headers: { ...cookie, 'content-type': 'application/json' }, body: '{"mutations":[]}' })).status,
    ).toBe(401);
  });

  it('refuses oversized and malformed bodies with a 4xx that says why', async () => {
    const c = new PortalClient(server.url);
    // On a connection of its own: the server drops a connection whose oversized body it did not read.
    const big = await freshPost(`${server.url}/portal/api/signin`, JSON.stringify({ username: 'a@example.org', password: 'x'.repeat(300 * 1024) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({ error: { code: 'too_large' } });
    const res = await fetch(`${server.url}/portal/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const nul = await c.post('/register', { code: 'ABCDE-FGHJK', birthDate: '2000-01-01', email: 'n@example.org', displayName: 'A\u0000B', password: 'x' });
    expect(nul).toMatchObject({ status: 400, body: { error: { code: 'invalid_text' } } });
  });

  it("keeps the portal's audit chain whole", async () => {
    const v = await verifyPortalAudit(server.db);
    expect(v.entries).toBeGreaterThan(5);
    expect(v.brokenAt).toBeNull();
  });
});

/** Over TLS the cookie is Secure (and HSTS is sent); the same server code decides it from the connection. */
describe('portal over TLS', () => {
  const dir = tempDir('cairn-portal-tls-');
  let server: RunningServer;
  let ca: Buffer;
  beforeAll(async () => {
    const cert = selfSignedCertificate(dir.dir, 'clinic');
    ca = (await import('node:fs')).readFileSync(cert.cert);
    server = await startServer({
      target: { memory: true },
      resourcesDir,
      port: 0,
      tls: { cert: cert.cert, key: cert.key },
      portal: { settings: settingsWith(), uiDir: join(dir.dir, 'none') },
    });
  });
  afterAll(async () => {
    await server?.close();
    dir.cleanup();
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/portal and Secure', async () => {
    const p = patient({ given: 'Gus', family: 'Tanaka', birthDate: '1980-08-18' });
    const code = inviteCode();
    await seed(server, [p, invite(p.id, code)]);
    const body = JSON.stringify({
      code,
      birthDate: '1980-08-18',
      email: 'gus@example.org',
      displayName: 'Gus Tanaka',
      password: 'violet anchor marble kettle',
    });
    const url = new URL(`${server.url}/portal/api/register`);
    const res = await new Promise<{ status: number; cookies: string[]; hsts: string | undefined }>((resolve, reject) => {
      const req = httpsRequest(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, cookies: r.headers['set-cookie'] ?? [], hsts: r.headers['strict-transport-security'] }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(res.status).toBe(200);
    const cookie = res.cookies.find((c) => c.startsWith('cairn_portal='))!;
    expect(cookie.split('; ').slice(1).sort()).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/portal', 'Secure']));
    expect(res.hsts).toMatch(/max-age=\d+/);
  });
});
