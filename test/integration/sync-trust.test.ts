import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { userSessionTokens } from '../../electron/services/sync/user-sessions';
import { newId } from '../../electron/common/ids';
import { hashPassword } from '../../electron/common/password';
import { patientInput } from '../../shared/domain/patient';
import { encodeHlc } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, SESSIONS_HEADER, USER_HEADER } from '../../shared/sync/protocol';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { signInOnServer, startTestServer } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';

/**
 * The clinic server as an attacker on the clinic network meets it: a device enrolled over raw HTTP
 * with a real code, but no database and no user, forging authors and headers. Everything the server
 * believes must come from what it issued itself.
 */

const NURSE = { username: 'nina', password: 'nina quartz lantern meadow' };
const HLC = (ms: number): string => encodeHlc({ wall: ms, counter: 0, node: 'rogue' });

type Server = Awaited<ReturnType<typeof startTestServer>>;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A device that exists only as HTTP requests: enrolled with a real code, holding no database. */
async function rogueDevice(server: Server): Promise<{ token: string; deviceId: string }> {
  const { code } = await server.sync.createEnrollmentCode('Mallory laptop');
  const deviceId = newId();
  // It even brings an administrator of its own at enrollment.
  const forged = {
    id: newId(),
    username: 'mallory',
    display_name: 'Mallory',
    role: 'admin',
    password_hash: await hashPassword('mallory chose this password'),
    disabled: 0,
  };
  const hlc = HLC(Date.now());
  const r = await post(`${server.url}/sync/enroll`, {
    code,
    deviceId,
    deviceName: 'Mallory laptop',
    users: [{ fields: forged, clocks: Object.fromEntries(Object.keys(forged).map((k) => [k, hlc])) }],
  });
  expect(r.status).toBe(200);
  return { token: String(r.json['token']), deviceId };
}

function pushBody(
  seq: number,
  m: { entity: string; id: string; op: 'insert' | 'update'; authorId: string; fields: Record<string, string | number | null> },
): unknown {
  const hlc = HLC(Date.now());
  return { protocol: PROTOCOL_VERSION, schemaVersion: 15, clientTime: Date.now(), mutations: [{ seq, ...m, hlc, patientId: null, base: {} }], audit: [] };
}

describe('the clinic server believes only what it issued', () => {
  const t = tempDir('cairn-sync-trust-');
  let server: Server;
  let clinic: Clinic;
  let nurseId: string;
  let adminId: string;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    clinic = await openClinic(t.dir);
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    const { code } = await server.sync.createEnrollmentCode('Front desk PC');
    await enrollThisDevice(clinic.session.repos.store, clinic.session.repos, { serverUrl: server.url, code, deviceName: 'Front desk PC' });
    // The admin signs in again, now with the server checking the password (the device gets a session).
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    adminId = clinic.session.repos.users.list().find((u) => u.username === CLINIC.admin.username)!.id;
    nurseId = (
      await clinic.ok<{ id: string }>('users.create', { username: NURSE.username, displayName: 'Nina Nurse', role: 'nurse', password: NURSE.password })
    ).id;
    await clinic.ok('users.disable', { username: NURSE.username });
    const s = await clientFor(clinic.session.repos.store, clinic.session.repos, () => adminId).syncOnce();
    expect(s.error).toBeNull();
    const [nina] = await server.db.query<{ data: { role: string; disabled: unknown } }>("SELECT data FROM sync_rows WHERE entity = 'user' AND entity_id = $1", [
      nurseId,
    ]);
    expect(nina?.data.role).toBe('nurse');
  });
  afterAll(async () => {
    clinic.session.close();
    await server.stop();
    t.cleanup();
  });

  it('refuses a rogue device that makes a disabled nurse an enabled administrator as cli:mallory', async () => {
    const rogue = await rogueDevice(server);
    const headers = { authorization: `Bearer ${rogue.token}`, [USER_HEADER]: 'cli:mallory' };
    const r = await post(
      `${server.url}/sync/push`,
      pushBody(1, { entity: 'user', id: nurseId, op: 'update', authorId: 'cli:mallory', fields: { role: 'admin', disabled: 0 } }),
      headers,
    );
    expect(r.status).toBe(200);
    expect(r.json['results']).toMatchObject([{ status: 'rejected', code: 'not_operator' }]);
    const [nina] = await server.db.query<{ data: { role: string; disabled: unknown } }>("SELECT data FROM sync_rows WHERE entity = 'user' AND entity_id = $1", [
      nurseId,
    ]);
    expect(nina!.data.role).toBe('nurse');
    expect([true, 1]).toContain(nina!.data.disabled);
    // The administrator it brought at enrollment was not taken in.
    expect(await server.db.query("SELECT 1 FROM sync_rows WHERE entity = 'user' AND data->>'username' = 'mallory'")).toHaveLength(0);
  });

  it('refuses a change authored in the name of a real administrator who never signed in on that device', async () => {
    const rogue = await rogueDevice(server);
    const newAdmin = newId();
    const fields = {
      id: newAdmin,
      username: 'mallory2',
      display_name: 'Mallory Two',
      role: 'admin',
      password_hash: await hashPassword('another chosen password'),
      disabled: 0,
    };
    const r = await post(`${server.url}/sync/push`, pushBody(1, { entity: 'user', id: newAdmin, op: 'insert', authorId: adminId, fields }), {
      authorization: `Bearer ${rogue.token}`,
      [USER_HEADER]: adminId,
    });
    expect(r.json['results']).toMatchObject([{ status: 'rejected', code: 'author_not_signed_in' }]);
    expect(await server.db.query("SELECT 1 FROM sync_rows WHERE entity = 'user' AND entity_id = $1", [newAdmin])).toHaveLength(0);
    // A made-up session token is no better than none.
    const r2 = await post(`${server.url}/sync/push`, pushBody(2, { entity: 'user', id: newAdmin, op: 'insert', authorId: adminId, fields }), {
      authorization: `Bearer ${rogue.token}`,
      [SESSIONS_HEADER]: 'A'.repeat(43),
    });
    expect(r2.json['results']).toMatchObject([{ status: 'rejected', code: 'author_not_signed_in' }]);
  });

  it("answers no pull, and so no password hash, to a pull made in another user's name", async () => {
    const rogue = await rogueDevice(server);
    for (const user of ['cli:nina', nurseId, adminId]) {
      const res = await fetch(`${server.url}/sync/pull?cursor=0&limit=100`, { headers: { authorization: `Bearer ${rogue.token}`, [USER_HEADER]: user } });
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).not.toContain('scrypt$');
      expect(body).toContain('sign in');
    }
  });

  it('refuses a signed-in nurse who changes accounts or writes as someone else', async () => {
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.enable', { username: NURSE.username });
    expect((await clientFor(clinic.session.repos.store, clinic.session.repos, () => adminId).syncOnce()).error).toBeNull();
    // A second device where only the nurse signed in.
    const d = tempDir('cairn-sync-trust-b-');
    const { store } = await newStore(d.dir);
    try {
      const repos = createRepos(store);
      const { code } = await server.sync.createEnrollmentCode('Exam room');
      await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: 'Exam room' });
      await signInOnServer(store.sqlite, NURSE.username, NURSE.password);
      const device = (store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
      const sessions = Object.values(userSessionTokens(store.sqlite)).join(',');
      const headers = { authorization: `Bearer ${device}`, [SESSIONS_HEADER]: sessions, [USER_HEADER]: nurseId };
      const promote = await post(
        `${server.url}/sync/push`,
        pushBody(1, { entity: 'user', id: nurseId, op: 'update', authorId: nurseId, fields: { role: 'admin' } }),
        headers,
      );
      expect(promote.json['results']).toMatchObject([{ status: 'rejected', code: 'forbidden' }]);
      const asAdmin = await post(
        `${server.url}/sync/push`,
        pushBody(2, { entity: 'user', id: nurseId, op: 'update', authorId: adminId, fields: { role: 'admin' } }),
        headers,
      );
      expect(asAdmin.json['results']).toMatchObject([{ status: 'rejected', code: 'author_not_signed_in' }]);
      // With her own session she may pull (the device needs the accounts for offline sign-in).
      const pulled = await fetch(`${server.url}/sync/pull?cursor=0&limit=5`, { headers });
      expect(pulled.status).toBe(200);
    } finally {
      store.close();
      d.cleanup();
    }
  });

  it("keeps a device's changes by a user without a server session waiting on the device, in order, instead of losing them", async () => {
    const d = tempDir('cairn-sync-trust-c-');
    const { store } = await newStore(d.dir);
    try {
      const repos = createRepos(store);
      const { code } = await server.sync.createEnrollmentCode('Offline laptop');
      await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: 'Offline laptop' });
      repos.patients.create(patientInput.parse({ givenName: 'Wyn', familyName: 'Waiting', birthDate: '1980-02-02' }), { userId: nurseId });
      const first = await clientFor(store, repos, () => nurseId).syncOnce();
      expect(first.error?.code).toBe('awaiting_sign_in');
      expect(first.pending).toBe(1);
      expect(first.quarantined).toBe(0);
      await signInOnServer(store.sqlite, NURSE.username, NURSE.password);
      const second = await clientFor(store, repos, () => nurseId).syncOnce();
      expect(second.error).toBeNull();
      expect(second.pushed).toBe(1);
      expect(second.pending).toBe(0);
    } finally {
      store.close();
      d.cleanup();
    }
  });

  it('accepts cli: changes only from a device enrolled with an operator code', async () => {
    const d = tempDir('cairn-sync-trust-d-');
    const { store } = await newStore(d.dir);
    try {
      const repos = createRepos(store);
      const { code } = await server.sync.createEnrollmentCode('Lab interface', 1, { operator: true });
      await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: 'Lab interface' });
      const p = repos.patients.create(patientInput.parse({ givenName: 'Opal', familyName: 'Operator', birthDate: '1970-07-07' }), { userId: 'cli:hl7' });
      const s = await clientFor(store, repos, () => 'cli:hl7').syncOnce();
      expect(s.error).toBeNull();
      expect(await server.db.query("SELECT 1 FROM sync_rows WHERE entity = 'patient' AND entity_id = $1", [p.id])).toHaveLength(1);
    } finally {
      store.close();
      d.cleanup();
    }
  });

  it('counts parallel wrong passwords before checking them: a burst locks the account on the server for every device', async () => {
    const rogue = await rogueDevice(server);
    const guess = (password: string): Promise<{ status: number; json: Record<string, unknown> }> =>
      post(`${server.url}/sync/sessions`, { username: CLINIC.doc.username, password }, { authorization: `Bearer ${rogue.token}` });
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(`wrong guess number ${i}`)));
    expect(burst.every((r) => r.status >= 400)).toBe(true);
    // At most five were ever checked against the hash; the rest were refused as locked or over the rate.
    expect(burst.filter((r) => r.json['error'] && (r.json['error'] as { code: string }).code === 'bad_credentials').length).toBeLessThanOrEqual(5);
    const [lock] = await server.db.query<{ failures: number; locked_until: Date | null }>(
      "SELECT failures, locked_until FROM user_lockouts l JOIN sync_rows u ON u.entity_id = l.user_id WHERE u.data->>'username' = $1",
      [CLINIC.doc.username],
    );
    expect(lock!.failures).toBeGreaterThanOrEqual(5);
    expect(lock!.locked_until).not.toBeNull();
    // The right password from another (real) device is refused too: the lock is the account's, not the device's.
    await clinic.ok('session.logout');
    const r = await clinic.call('session.login', CLINIC.doc);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
    expect(!r.ok && r.error.message).toMatch(/too many failed sign-ins|try again/);
  });

  it('refuses an unauthenticated 60 MB body before reading it', async () => {
    const big = JSON.stringify({
      code: 'AAAAA-AAAAA',
      deviceId: 'x',
      deviceName: 'y',
      users: [{ fields: { id: 'x', pad: 'x'.repeat(60 * 1024 * 1024) }, clocks: {} }],
    });
    for (const path of ['/sync/enroll', '/sync/sessions']) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/at most 256 KiB/);
    }
  });
});

describe('device credentials expire when unused', () => {
  it('refuses a device that has not synced for over 90 days, with what to do', async () => {
    let now = Date.now();
    const server = await startTestServer('pglite', { now: () => now });
    try {
      const rogue = await rogueDevice(server);
      now += 91 * 86_400_000;
      const res = await fetch(`${server.url}/sync/pull?cursor=0&limit=1`, { headers: { authorization: `Bearer ${rogue.token}` } });
      expect(res.status).toBe(401);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('device_expired');
      expect(error.message).toMatch(/new enrollment code/);
    } finally {
      await server.stop();
    }
  });
});

describe('sign-in lockout on the device', () => {
  it('holds under parallel wrong passwords: three bursts of 20 lock the account and the right password then waits', async () => {
    const t = tempDir('cairn-lockout-');
    const clinic = await openClinic(t.dir);
    try {
      await clinic.ok('session.logout');
      for (let burst = 0; burst < 3; burst++) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) => clinic.call('session.login', { username: CLINIC.doc.username, password: `wrong password ${burst}-${i}` })),
        );
        expect(answers.every((a) => !a.ok)).toBe(true);
      }
      const row = clinic.session.repos.store.sqlite
        .prepare('SELECT failed_attempts AS n, locked_until AS until FROM users WHERE username = ?')
        .get(CLINIC.doc.username) as { n: number; until: string | null };
      expect(row.n).toBeGreaterThanOrEqual(5);
      expect(row.until).not.toBeNull();
      const right = await clinic.call('session.login', CLINIC.doc);
      expect(right).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
      expect(!right.ok && right.error.message).toMatch(/too many failed sign-ins: try again in \d+ seconds/);
    } finally {
      clinic.session.close();
      t.cleanup();
    }
  });
});

describe('a malformed request path', () => {
  it('is answered 400 with a message, on the sync and FHIR routes alike, and the server keeps serving', async () => {
    const server = await startTestServer('pglite');
    try {
      for (const path of ['/%E0', '/sync/%E0', '/sync/pull%C0']) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed_url');
      }
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
