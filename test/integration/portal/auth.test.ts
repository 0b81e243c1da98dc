import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView, TotpSetup } from '../../../shared/api/portal-http';
import type { Backend } from '../../helpers/sync-server';
import {
  inviteCode,
  invite,
  PASSWORD,
  patient,
  PortalClient,
  portalAudit,
  registeredPatient,
  seed,
  startPortalServer,
  TestClock,
  type PortalServer,
} from './portal-server.helpers';

const DAY = 86_400_000;

/**
 * Portal accounts over a real clinic server (PGlite in memory) and real HTTP: registration with an
 * invitation code and the chart's birth date, sign-in with lockout, the TOTP second factor, session
 * expiry and sign-out everywhere, and a parent adding a child's chart.
 */
describe('portal accounts', () => {
  const clock = new TestClock();
  let server: PortalServer;

  beforeAll(async () => {
    // Rate limits are the security tests' subject: here they stay out of the way.
    const loose = { max: 1000, windowSeconds: 60 };
    server = await startPortalServer('pglite', clock, { rateLimits: { codeIp: loose, codeAccount: loose, codeInvite: loose, signinIp: loose } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('registers with the code and birth date: an account, its chart, a session cookie, the invitation used (a portal change devices pull) and audited', async () => {
    const p = patient({ given: 'Marisol', family: 'Okonkwo', birthDate: '1984-06-09' });
    const code = inviteCode();
    const inv = invite(p.id, code);
    await seed(server, [p, inv]);
    const client = new PortalClient(server.url);
    // Typed as people type it: lower case, no dash.
    const r = await client.register(code.toLowerCase().replace('-', ' '), '1984-06-09', 'Marisol.O@Example.org', { displayName: 'Marisol Okonkwo' });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      account: { displayName: 'Marisol Okonkwo', email: 'Marisol.O@Example.org', language: 'en', totp: false },
      charts: [{ patientId: p.id, name: 'Marisol Okonkwo', birthDate: '1984-06-09', kind: 'self' }],
      csrfToken: expect.any(String) as unknown,
    });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('cairn_portal='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/portal/);
    expect(cookie).toMatch(/Max-Age=43200/); // the settings' 12 hours; idleness ends it sooner on the server
    expect(cookie).not.toMatch(/Secure/); // plain HTTP on loopback; the security tests check TLS
    const accountId = r.body.account.id;
    const [row] = await server.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM sync_rows WHERE entity = 'portal_invite' AND entity_id = $1`, [
      inv.id,
    ]);
    expect(row!.data).toMatchObject({ redeemed_account: accountId, redeemed_at: expect.any(String) as unknown, code_hash: inv.fields['code_hash'] });
    const [change] = await server.db.query<{ author_id: string; fields: Record<string, unknown> }>(
      `SELECT author_id, fields FROM sync_changes WHERE entity = 'portal_invite' AND entity_id = $1 AND author_id IS NOT NULL`,
      [inv.id],
    );
    expect(change).toMatchObject({ author_id: `portal:${accountId}`, fields: { redeemed_account: accountId } });
    expect(await portalAudit(server, `action = 'portal.register' AND patient_id = $1`, [p.id])).toEqual([
      expect.objectContaining({ user_id: `portal:${accountId}`, record_type: 'portal_invite', record_id: inv.id, detail: 'self' }),
    ]);
    // The session works; the email is the sign-in name in any case.
    expect((await client.get('/session')).status).toBe(200);
    const again = new PortalClient(server.url);
    expect((await again.signIn('marisol.o@example.org')).body).toMatchObject({ needsTotp: false });
  });

  it('refuses a wrong code, a wrong birth date, an expired, withdrawn or used invitation, a known email and a weak password, each saying what to do', async () => {
    const p = patient({ given: 'Teodor', family: 'Vashti', birthDate: '1970-02-14' });
    const [good, expired, revoked] = [inviteCode(), inviteCode(), inviteCode()];
    await seed(server, [
      p,
      invite(p.id, good),
      invite(p.id, expired, { expiresAt: new Date(Date.now() - DAY).toISOString() }),
      invite(p.id, revoked, { revokedAt: new Date(Date.now() - DAY).toISOString() }),
    ]);
    const c = new PortalClient(server.url);
    const wrongCode = await c.register(inviteCode(), '1970-02-14', 'teodor@example.org');
    expect(wrongCode).toMatchObject({ status: 400, body: { error: { code: 'invite_refused' } } });
    const wrongBirth = await c.register(good, '1970-02-15', 'teodor@example.org');
    // The same answer as a wrong code: a code alone is not confirmed.
    expect(wrongBirth).toMatchObject({ status: 400, body: wrongCode.body });
    expect(await c.register(expired, '1970-02-14', 'teodor@example.org')).toMatchObject({ status: 410, body: { error: { code: 'invite_expired' } } });
    expect(await c.register(revoked, '1970-02-14', 'teodor@example.org')).toMatchObject({ status: 410, body: { error: { code: 'invite_revoked' } } });
    const weak = await c.register(good, '1970-02-14', 'teodor@example.org', { password: 'Password2026!' });
    expect(weak).toMatchObject({ status: 400, body: { error: { code: 'weak_password' } } });
    const shortOne = await c.register(good, '1970-02-14', 'teodor@example.org', { password: 'short' });
    expect((shortOne.body as unknown as { error: { message: string } }).error.message).toMatch(/at least 12 characters/);
    expect((await c.register(good, '1970-02-14', 'teodor@example.org')).status).toBe(200);
    const reuse = await new PortalClient(server.url).register(good, '1970-02-14', 'someone.else@example.org');
    expect(reuse).toMatchObject({ status: 409, body: { error: { code: 'invite_used' } } });
    const q = patient({ given: 'Ines', family: 'Vashti', birthDate: '1972-03-03' });
    const other = inviteCode();
    await seed(server, [q, invite(q.id, other)]);
    expect(await new PortalClient(server.url).register(other, '1972-03-03', 'TEODOR@example.org')).toMatchObject({
      status: 409,
      body: { error: { code: 'account_exists' } },
    });
    // Nothing was redeemed by the refusals.
    const [n] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM portal_accounts WHERE username LIKE '%vashti%' OR username LIKE 'teodor%'`,
    );
    expect(n!.n).toBe(1);
  });

  it('locks an account after repeated wrong passwords (even the right one waits), and lets it in once the wait is over', async () => {
    const { session } = await registeredPatient(server, { given: 'Lucan', family: 'Petrakis', birthDate: '1990-09-09', email: 'lucan@example.org' });
    const c = new PortalClient(server.url);
    for (let i = 0; i < 5; i++) expect((await c.signIn('lucan@example.org', 'wrong horse battery staple')).status).toBe(401);
    const locked = await c.signIn('lucan@example.org');
    expect(locked.status).toBe(423);
    expect((locked.body as unknown as { error: { message: string } }).error.message).toMatch(/try again in \d+ seconds/);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    clock.advance(60_000);
    expect((await c.signIn('lucan@example.org')).body).toMatchObject({ needsTotp: false, session: { account: { id: session.account.id } } });
    // An unknown address gets the same answer as a wrong password.
    expect(await c.signIn('nobody@example.org')).toMatchObject({ status: 401, body: { error: { code: 'bad_credentials' } } });
    expect(await portalAudit(server, `action = 'portal.signin_refused' AND user_id = $1`, [`portal:${session.account.id}`])).toHaveLength(5);
  });

  it('turns on TOTP: sign-in then waits for the code (nothing readable meanwhile), a wrong or replayed code is refused', async () => {
    const { client, patientId } = await registeredPatient(server, { given: 'Hedda', family: 'Lindqvist', birthDate: '1966-12-01', email: 'hedda@example.org' });
    const setup = await client.post<TotpSetup>('/account/totp/setup');
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const secret = setup.body.secret;
    const at = (): number => Math.floor(clock.now() / 1000);
    expect(await client.post('/account/totp/confirm', { code: '000000' })).toMatchObject({ status: 400, body: { error: { code: 'bad_totp' } } });
    const confirmed = await client.post<SessionView>('/account/totp/confirm', { code: await generate({ secret, epoch: at() }) });
    expect(confirmed.body.account.totp).toBe(true);
    expect((await client.post('/signout')).status).toBe(200);
    expect((await client.get('/session')).status).toBe(401);

    clock.advance(31_000);
    const first = await client.signIn('hedda@example.org');
    expect(first.body).toEqual({ needsTotp: true });
    expect(await client.get('/session')).toMatchObject({ status: 401, body: { error: { code: 'totp_required' } } });
    expect((await client.get(`/charts/${patientId}/summary`)).status).toBe(401);
    expect(await client.post('/signin/totp', { code: '123456' })).toMatchObject({ status: 401, body: { error: { code: 'bad_totp' } } });
    const code = await generate({ secret, epoch: at() });
    const ok = await client.post<SessionView>('/signin/totp', { code });
    expect(ok.status, ok.text).toBe(200);
    expect((await client.get(`/charts/${patientId}/summary`)).status).toBe(200);
    // The same code a second time (someone who saw it) does not open another session.
    const other = new PortalClient(server.url);
    expect((await other.signIn('hedda@example.org')).body).toEqual({ needsTotp: true });
    expect(await other.post('/signin/totp', { code })).toMatchObject({ status: 401, body: { error: { code: 'bad_totp' } } });
  });

  it('ends a session left idle, and any session at its absolute limit however busy', async () => {
    const { client } = await registeredPatient(server, { given: 'Oskar', family: 'Brandt', birthDate: '1955-01-20', email: 'oskar@example.org' });
    clock.advance(29 * 60_000);
    expect((await client.get('/session')).status).toBe(200);
    clock.advance(31 * 60_000);
    expect(await client.get('/session')).toMatchObject({ status: 401, body: { error: { code: 'signed_out' } } });
    // Busy all day: every 20 minutes, for longer than the 12-hour limit.
    const busy = new PortalClient(server.url);
    expect((await busy.signIn('oskar@example.org')).status).toBe(200);
    let last = 200;
    for (let i = 0; i < 40 && last === 200; i++) {
      clock.advance(20 * 60_000);
      last = (await busy.get('/session')).status;
      if (last === 200) expect(i).toBeLessThan(36);
    }
    expect(last).toBe(401);
  });

  it('signs out everywhere: every session of the account ends, another account keeps its own', async () => {
    const { client, session } = await registeredPatient(server, { given: 'Yara', family: 'Haddad', birthDate: '1988-08-08', email: 'yara@example.org' });
    const phone = new PortalClient(server.url);
    expect((await phone.signIn('yara@example.org')).status).toBe(200);
    const { client: stranger } = await registeredPatient(server, { given: 'Zeno', family: 'Ilves', birthDate: '1981-01-01', email: 'zeno@example.org' });
    expect((await phone.post('/signout/everywhere')).status).toBe(200);
    expect((await client.get('/session')).status).toBe(401);
    expect((await phone.get('/session')).status).toBe(401);
    expect((await stranger.get('/session')).status).toBe(200);
    expect(await portalAudit(server, `action = 'portal.signout_everywhere' AND user_id = $1`, [`portal:${session.account.id}`])).toEqual([
      expect.objectContaining({ detail: '2 sessions' }),
    ]);
  });

  it("adds a child's chart to a parent's account with a proxy invitation; the child's birth date is the one asked", async () => {
    const { client } = await registeredPatient(server, { given: 'Rowan', family: 'Ashby', birthDate: '1983-04-04', email: 'rowan@example.org' });
    const child = patient({ given: 'Pip', family: 'Ashby', birthDate: '2012-05-05' });
    const code = inviteCode();
    await seed(server, [child, invite(child.id, code, { kind: 'proxy' })]);
    expect(await client.post('/account/link', { code, birthDate: '1983-04-04' })).toMatchObject({ status: 400, body: { error: { code: 'invite_refused' } } });
    const linked = await client.post<SessionView>('/account/link', { code, birthDate: '2012-05-05' });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body.charts.map((c) => [c.name, c.kind])).toEqual([
      ['Rowan Ashby', 'self'],
      ['Pip Ashby', 'proxy'],
    ]);
    expect((await client.get(`/charts/${child.id}/summary`)).status).toBe(200);
    // Used once.
    expect((await client.post('/account/link', { code, birthDate: '2012-05-05' })).status).toBe(409);
  });

  it('changes the language of the account', async () => {
    const { client } = await registeredPatient(server, { given: 'Ana', family: 'Ruiz', birthDate: '1979-07-07', email: 'ana.ruiz@example.org' });
    expect((await client.post<SessionView>('/account/language', { language: 'es' })).body.account.language).toBe('es');
    expect((await client.get<SessionView>('/session')).body.account.language).toBe('es');
  });
});

describe.each<Backend>(['postgres'])('portal accounts on %s', (backend) => {
  const clock = new TestClock();
  let server: PortalServer;
  beforeAll(async () => {
    server = await startPortalServer(backend, clock);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('registers, signs in, locks after repeated failures, and refuses a second registration with the same code', async () => {
    const p = patient({ given: 'Greta', family: 'Solberg', birthDate: '1961-11-11' });
    const code = inviteCode();
    await seed(server, [p, invite(p.id, code)]);
    const c = new PortalClient(server.url);
    const [a, b] = await Promise.all([
      c.register(code, '1961-11-11', 'greta@example.org'),
      new PortalClient(server.url).register(code, '1961-11-11', 'greta2@example.org'),
    ]);
    // Two at once with one code: exactly one account.
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const email = a.status === 200 ? 'greta@example.org' : 'greta2@example.org';
    expect((await c.signIn(email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await c.signIn(email, 'not the password at all')).status).toBe(401);
    expect((await c.signIn(email, PASSWORD)).status).toBe(423);
    expect(await portalAudit(server, `action = 'portal.register'`)).toHaveLength(1);
  });
});
