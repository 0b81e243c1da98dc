import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../electron/server/server';
import { createRepos, type Repos } from '../../electron/services/repos';
import { deviceSettings, pinnedFetch, pinnedServerFetch, provisionOnFirstStart, type ProvisionDeps } from '../../electron/services/provision';
import { enrollThisDevice, signInWithServer } from '../../electron/services/sync';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import type { Result } from '../../shared/api/result';
import { enrolledServer } from '../../electron/services/sync/user-sessions';
import { PROVISIONING_FILE_NAME } from '../../shared/domain/provisioning';
import { CLINIC } from '../helpers/clinic';
import { freePort } from '../helpers/mllp';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';
import { selfSignedCertificate } from '../helpers/tls';

/** A self-signed certificate naming `san`. */
const certificate = (dir: string, name: string, san: string): ReturnType<typeof selfSignedCertificate> => selfSignedCertificate(dir, name, { san });

const pinnedServerFetchFor = (c: { cert: string; fingerprint: string }): ReturnType<typeof pinnedFetch> =>
  pinnedFetch(readFileSync(c.cert, 'utf8'), c.fingerprint);

const t = tempDir('cairn-provision-');
const NOW = new Date('2026-06-01T09:00:00Z');
let clinicCert: ReturnType<typeof certificate>;
let server: RunningServer;

beforeAll(async () => {
  clinicCert = certificate(t.dir, 'clinic', 'DNS:localhost,IP:127.0.0.1');
  server = await startServer({ target: { memory: true }, resourcesDir, port: 0, tls: { cert: clinicCert.cert, key: clinicCert.key } });
}, 120_000);
afterAll(async () => {
  await server.close();
  t.cleanup();
});

let n = 0;
/** A fresh folder (the "installer's folder") with a provisioning file, and an empty device database. */
async function laptop(fields: Record<string, unknown> | string): Promise<{ file: string; repos: Repos; lines: string[]; deps: ProvisionDeps }> {
  const dir = join(t.dir, `laptop-${++n}`);
  mkdirSync(dir);
  const file = join(dir, PROVISIONING_FILE_NAME);
  writeFileSync(file, typeof fields === 'string' ? fields : JSON.stringify(fields, null, 2), { mode: 0o640 });
  const { store } = await newStore(dir);
  const repos = createRepos(store);
  const lines: string[] = [];
  const deps: ProvisionDeps = {
    candidates: [join(dir, 'not-here', PROVISIONING_FILE_NAME), file],
    device: () => repos,
    deviceName: `Exam room laptop ${n}`,
    now: () => NOW,
    log: { info: (l) => lines.push(`info ${l}`), warn: (l) => lines.push(`warn ${l}`), error: (l) => lines.push(`error ${l}`) },
  };
  return { file, repos, lines, deps };
}

async function goodFile(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const { code, expiresAt } = await server.sync.createEnrollmentCode('provisioned laptop', 48);
  return {
    version: 1,
    clinicName: 'Hilltop Clinic',
    serverUrl: server.url,
    serverCertificateSha256: clinicCert.fingerprint,
    enrollmentCode: code,
    codeExpiresAt: expiresAt,
    updateChannel: 'beta',
    backupDir: '/media/backup/cairn',
    allowedRoles: ['physician', 'nurse'],
    ...extra,
  };
}

const meta = (repos: Repos): Record<string, string> =>
  Object.fromEntries((repos.store.sqlite.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
const auditCount = (repos: Repos): number => (repos.store.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

/** Nothing provisioning writes is on the device, and the file is as the installer left it. */
function expectUntouched(l: { file: string; repos: Repos }, fileBefore: string, metaBefore: Record<string, string>, auditBefore: number): void {
  expect(enrolledServer(l.repos.store.sqlite)).toBeNull();
  expect(meta(l.repos)).toEqual(metaBefore);
  expect(auditCount(l.repos)).toBe(auditBefore);
  expect(readFileSync(l.file, 'utf8')).toBe(fileBefore);
}

describe('provisionOnFirstStart against a real clinic server over TLS', () => {
  it('a good file: enrolls, configures the device, removes the code from the file; a second start does nothing', async () => {
    const fields = await goodFile();
    const l = await laptop(fields);
    const enroll = vi.spyOn(server.sync, 'enroll');
    try {
      const out = await provisionOnFirstStart(l.deps);
      expect(out).toMatchObject({ status: 'enrolled', file: l.file, serverUrl: server.url, clinicName: 'Hilltop Clinic', codeRemoved: true });
      expect(enroll).toHaveBeenCalledTimes(1);
      // Enrolled: the credential is kept and the server lists the device under its name.
      expect(enrolledServer(l.repos.store.sqlite)?.serverUrl).toBe(server.url);
      const devices = await server.sync.listDevices();
      expect(devices.find((d) => d.id === l.repos.store.deviceId)?.name).toBe(`Exam room laptop ${n}`);
      // Configured.
      expect(deviceSettings(l.repos.store.sqlite)).toEqual({
        updateChannel: 'beta',
        backupDir: '/media/backup/cairn',
        allowedRoles: ['physician', 'nurse'],
        serverFingerprint: clinicCert.fingerprint,
      });
      expect(meta(l.repos)['clinic_name']).toBe('Hilltop Clinic');
      expect(l.repos.audit.list().some((e) => e.action === 'device.provisioned')).toBe(true);
      // The code is gone from the file; everything else is kept, with the file's permissions.
      const after = JSON.parse(readFileSync(l.file, 'utf8')) as Record<string, unknown>;
      const { enrollmentCode, codeExpiresAt, ...rest } = fields;
      expect(enrollmentCode).toBeTypeOf('string');
      expect(codeExpiresAt).toBeTypeOf('string');
      expect(after).toEqual({ ...rest, codeUsedAt: NOW.toISOString() });
      expect(statSync(l.file).mode & 0o777).toBe(0o640);
      // The log says what happened, and never holds the code.
      expect(l.lines.join('\n')).toMatch(/enrolled as device .* with https:\/\/127\.0\.0\.1/);
      expect(l.lines.join('\n')).not.toContain(String(enrollmentCode));
      expect(JSON.stringify(out)).not.toContain(String(enrollmentCode));
      // Later calls reach the server through the pinned certificate: the server itself answers the sign-in.
      const fetchPinned = pinnedServerFetch(l.repos.store.sqlite)!;
      const verdict = await signInWithServer(l.repos.store.sqlite, enrolledServer(l.repos.store.sqlite)!, 'nobody', 'not a password 1', fetchPinned);
      expect(verdict.status).toBe('refused');

      // Second start: no code in the file, nothing to do, nothing sent.
      const metaBefore = meta(l.repos);
      const again = await provisionOnFirstStart(l.deps);
      expect(again).toMatchObject({ status: 'nothing-to-do', why: 'code-used' });
      expect(enroll).toHaveBeenCalledTimes(1);
      expect(meta(l.repos)).toEqual(metaBefore);
    } finally {
      enroll.mockRestore();
      l.repos.store.close();
    }
  });

  it('a read-only file keeps its code, the use is recorded on the device and logged, and a second start does nothing', async () => {
    const l = await laptop(await goodFile());
    chmodSync(l.file, 0o444);
    const before = readFileSync(l.file, 'utf8');
    const enroll = vi.spyOn(server.sync, 'enroll');
    try {
      const out = await provisionOnFirstStart(l.deps);
      expect(out).toMatchObject({ status: 'enrolled', codeRemoved: false });
      expect(readFileSync(l.file, 'utf8')).toBe(before);
      expect(l.lines.join('\n')).toMatch(/warn .*could not remove the enrollment code .*read-only.*recorded on this device/);
      const again = await provisionOnFirstStart(l.deps);
      expect(again).toMatchObject({ status: 'nothing-to-do', why: 'code-used' });
      expect(enroll).toHaveBeenCalledTimes(1);
    } finally {
      enroll.mockRestore();
      l.repos.store.close();
    }
  });

  it("the clinic's users arrive with the first device, and sign-in refuses roles the device is not set up for", async () => {
    const own = await startServer({ target: { memory: true }, resourcesDir, port: 0, tls: { cert: clinicCert.cert, key: clinicCert.key } });
    const dir = join(t.dir, 'first-device');
    mkdirSync(dir);
    // As the desktop app would: sign-in reaches the clinic server through the certificate provisioning pinned.
    const session: Session = new Session({
      dbFile: join(dir, 'clinic.cairn'),
      resourcesDir,
      now: () => NOW,
      serverFetch: (url, init) => (pinnedServerFetch(session.repos.store.sqlite) ?? globalThis.fetch)(url, init),
    });
    const handlers = createHandlers({ session, now: () => NOW });
    const call = (c: string, i: unknown = {}): Promise<Result<unknown>> => dispatch(handlers, c, i);
    const ok = async <T>(c: string, i: unknown = {}): Promise<T> => {
      const r = await call(c, i);
      if (!r.ok) expect.fail(`${c}: ${r.error.message}`);
      return r.value as T;
    };
    const clinic = { session, call, ok };
    await ok('session.setup', {
      clinicName: 'Hilltop Clinic',
      passphrase: CLINIC.passphrase,
      adminUsername: CLINIC.admin.username,
      adminDisplayName: 'Ada Admin',
      adminPassword: CLINIC.admin.password,
    });
    await ok('users.create', { username: CLINIC.doc.username, displayName: 'Dr. Gregory House', role: 'physician', password: CLINIC.doc.password });
    try {
      await clinic.ok('users.create', { username: 'nina', displayName: 'Nina Nurse', role: 'nurse', password: 'nurse pass phrase 7' });
      const { code } = await own.sync.createEnrollmentCode('first laptop');
      const file = join(dir, PROVISIONING_FILE_NAME);
      writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          serverUrl: own.url,
          serverCertificateSha256: clinicCert.fingerprint,
          enrollmentCode: code,
          allowedRoles: ['physician', 'nurse'],
        }),
      );
      const out = await provisionOnFirstStart({
        candidates: [file],
        device: () => clinic.session.repos,
        deviceName: 'Exam room 1',
        now: () => NOW,
        log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      });
      expect(out.status).toBe('enrolled');
      await clinic.ok('session.logout');
      // The administrator's password is right, and the server says so, but this laptop is for clinicians.
      const refused = await clinic.call('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(!refused.ok && refused.error.message).toBe(
        'Your account (Administrator) cannot sign in on this computer: it is set up for physicians and nurses only. Use another computer, or ask the clinic administrator.',
      );
      expect((await clinic.ok<{ state: string }>('session.status')).state).toBe('unlocked');
      expect(clinic.session.repos.audit.list().some((e) => e.action === 'session.login_refused')).toBe(true);
      // Checked by the clinic server (it received the users at enrollment): physician and nurse sign in.
      expect((await clinic.ok<{ user: { role: string } }>('session.login', { username: 'nina', password: 'nurse pass phrase 7' })).user.role).toBe('nurse');
      await clinic.ok('session.logout');
      expect((await clinic.ok<{ user: { role: string } }>('session.login', CLINIC.doc)).user.role).toBe('physician');
      const audit = clinic.session.repos.audit.list();
      expect(audit.filter((e) => e.action === 'session.login' && /clinic server/.test(e.detail ?? '')).length).toBeGreaterThanOrEqual(2);
    } finally {
      clinic.session.close();
      await own.close();
    }
  });

  /** Runs provisioning that must fail: the outcome's reason, nothing on the device, the file as it was. */
  async function refused(
    fields: Record<string, unknown> | string,
    reason: string,
  ): Promise<{ out: Awaited<ReturnType<typeof provisionOnFirstStart>>; lines: string[]; enrollCalls: number }> {
    const l = await laptop(fields);
    const fileBefore = readFileSync(l.file, 'utf8');
    const metaBefore = meta(l.repos);
    const auditBefore = auditCount(l.repos);
    const enroll = vi.spyOn(server.sync, 'enroll');
    try {
      const out = await provisionOnFirstStart(l.deps);
      expect(out).toMatchObject({ status: 'failed', reason, file: l.file });
      if (out.status === 'failed') {
        expect(out.title.length).toBeGreaterThan(10);
        expect(out.action).toMatch(/\.$/);
      }
      expectUntouched(l, fileBefore, metaBefore, auditBefore);
      expect(l.lines.filter((x) => x.startsWith('error provisioning: ' + reason))).toHaveLength(1);
      return { out, lines: l.lines, enrollCalls: enroll.mock.calls.length };
    } finally {
      enroll.mockRestore();
      l.repos.store.close();
    }
  }

  it('a code the server has let expire: refused by the server, device and file unchanged', async () => {
    const fields = await goodFile();
    // The file still says it is valid (a laptop clock behind, or the server's clock): the server decides.
    await server.db.query("UPDATE enrollment_codes SET expires_at = now() - interval '1 hour' WHERE used_at IS NULL");
    const r = await refused(fields, 'code-refused');
    expect(r.enrollCalls).toBe(1);
    expect(r.out).toMatchObject({ title: 'The clinic server refused the enrollment code' });
    expect(r.out.status === 'failed' && r.out.action).toMatch(
      /^The code is wrong, expired or already used: ask the clinic administrator for a new provisioning file/,
    );
    expect(r.lines.join('\n')).toMatch(/enrollment_refused/);
  });

  it('a code the file says has expired: refused on the device without contacting the server', async () => {
    const r = await refused(await goodFile({ codeExpiresAt: '2026-05-31T09:00:00Z' }), 'code-expired');
    expect(r.enrollCalls).toBe(0);
    expect(r.out).toMatchObject({ title: "This computer's enrollment code has expired" });
  });

  it('a wrong (unknown) code: refused by the server, device and file unchanged', async () => {
    const r = await refused(await goodFile({ enrollmentCode: 'ZZZZZ-ZZZZZ' }), 'code-refused');
    expect(r.enrollCalls).toBe(1);
  });

  it('a wrong fingerprint: the code is never sent (the server saw no enrollment attempt) and stays usable', async () => {
    const other = certificate(t.dir, `other-${n}`, 'DNS:localhost,IP:127.0.0.1');
    const fields = await goodFile({ serverCertificateSha256: other.fingerprint });
    const r = await refused(fields, 'fingerprint-mismatch');
    expect(r.enrollCalls).toBe(0);
    expect(r.out).toMatchObject({ title: 'This is not the clinic server the provisioning file names' });
    expect(r.lines.join('\n')).toContain(clinicCert.fingerprint);
    const [row] = await server.db.query<{ used_at: Date | null }>('SELECT used_at FROM enrollment_codes ORDER BY created_at DESC LIMIT 1');
    expect(row?.used_at ?? null).toBeNull();
  });

  it('a server that is not the one the file pins (an impostor on the address) receives not one byte', async () => {
    const impostor = certificate(t.dir, `impostor-${n}`, 'DNS:localhost,IP:127.0.0.1');
    let received = 0;
    const tls: TlsServer = createTlsServer({ cert: readFileSync(impostor.cert), key: readFileSync(impostor.key) }, (s) => {
      s.on('data', (c: Buffer) => (received += c.length));
      s.on('error', () => undefined);
    });
    await new Promise<void>((res) => tls.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (tls.address() as { port: number }).port;
      const r = await refused(await goodFile({ serverUrl: `https://127.0.0.1:${port}` }), 'fingerprint-mismatch');
      expect(r.lines.join('\n')).toContain(impostor.fingerprint);
      await new Promise((res) => setTimeout(res, 100));
      expect(received).toBe(0);
    } finally {
      await new Promise((res) => tls.close(res));
    }
  });

  it('the right certificate at an address it does not name: refused before anything is sent', async () => {
    const named = certificate(t.dir, `named-${n}`, 'DNS:clinic-server.invalid');
    let received = 0;
    const tls: TlsServer = createTlsServer({ cert: readFileSync(named.cert), key: readFileSync(named.key) }, (s) => {
      s.on('data', (c: Buffer) => (received += c.length));
      s.on('error', () => undefined);
    });
    await new Promise<void>((res) => tls.listen(0, '127.0.0.1', () => res()));
    try {
      const port = (tls.address() as { port: number }).port;
      const r = await refused(await goodFile({ serverUrl: `https://127.0.0.1:${port}`, serverCertificateSha256: named.fingerprint }), 'wrong-address');
      expect(r.out).toMatchObject({ title: "The clinic server's certificate is for another address" });
      await new Promise((res) => setTimeout(res, 100));
      expect(received).toBe(0);
    } finally {
      await new Promise((res) => tls.close(res));
    }
  });

  it('an unreachable server (a closed port): a clear outcome, nothing changed', async () => {
    const port = await freePort();
    const r = await refused(await goodFile({ serverUrl: `https://127.0.0.1:${port}` }), 'unreachable');
    expect(r.out).toMatchObject({ title: 'The clinic server cannot be reached' });
    expect(r.out.status === 'failed' && r.out.action).toContain(`https://127.0.0.1:${port}`);
    expect(r.lines.join('\n')).toMatch(/ECONNREFUSED/);
  });

  it('an invalid file (not JSON, or a field missing): the problem named, the database never opened', async () => {
    const bad = await refused('{ "version": 1, "serverUrl": "https://clinic-server:8443", }', 'invalid-file');
    expect(bad.out).toMatchObject({ title: 'The provisioning file cannot be used' });
    expect(bad.out.status === 'failed' && bad.out.action).toMatch(/not valid JSON/);
    const fields = await goodFile();
    delete fields['serverCertificateSha256'];
    const missing = await refused({ ...fields, allowedRoles: ['doctor'] }, 'invalid-file');
    const action = missing.out.status === 'failed' ? missing.out.action : '';
    expect(action).toContain("serverCertificateSha256 is missing: give the SHA-256 fingerprint of the clinic server's certificate");
    expect(action).toContain('allowedRoles: "doctor" is not a role; use physician, nurse, front_desk, billing, admin');
    const l = await laptop('{');
    const device = vi.fn(() => l.repos);
    await provisionOnFirstStart({ ...l.deps, device });
    expect(device).not.toHaveBeenCalled();
    l.repos.store.close();
  });

  it('no file anywhere: nothing happens; a device already enrolled another way leaves the file and its code alone', async () => {
    const none = await laptop('{}');
    expect(await provisionOnFirstStart({ ...none.deps, candidates: [join(t.dir, 'nowhere', PROVISIONING_FILE_NAME)] })).toEqual({
      status: 'no-file',
      looked: [join(t.dir, 'nowhere', PROVISIONING_FILE_NAME)],
    });
    none.repos.store.close();

    const l = await laptop(await goodFile());
    const { code } = await server.sync.createEnrollmentCode('by hand');
    await enrollThisDevice(l.repos.store, l.repos, { serverUrl: server.url, code, deviceName: 'by hand', fetchImpl: pinnedServerFetchFor(clinicCert) });
    const before = readFileSync(l.file, 'utf8');
    const out = await provisionOnFirstStart(l.deps);
    expect(out).toMatchObject({ status: 'nothing-to-do', why: 'already-enrolled' });
    expect(readFileSync(l.file, 'utf8')).toBe(before);
    expect(l.lines.join('\n')).toMatch(/warn provisioning: this device is already enrolled/);
    l.repos.store.close();
  });
});
