import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput } from '../../shared/domain/patient';
import type { QuarantineItem } from '../../shared/domain/sync-review';
import { doctorReport } from '../../electron/services/doctor/doctor.service';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { cairnAsync, expectCheck, type Report } from '../helpers/doctor';
import { signInClinicUsers, signInOnServer, startTestServer } from '../helpers/sync-server';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const DAY = 86_400_000;
const FRONT_DESK = { username: 'frontdesk', password: 'copper lantern 23' };

/** Sync lag and refused changes on an enrolled device against a real clinic server, by the command line and on the Health screen's channel. */
describe('cairn doctor: sync with a real clinic server', () => {
  const t = tempDir('cairn-doctor-sync-');
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let clinic: Clinic;
  let docId = '';
  // The device's clock: two days back while the first chart is registered.
  let clock = Date.now() - 2 * DAY;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    clinic = await openClinic(t.dir, () => new Date(clock));
    const repos = clinic.session.repos;
    docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    await enrollThisDevice(repos.store, repos, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Exam room')).code,
      deviceName: 'Exam room',
    });
    await signInClinicUsers(repos.store.sqlite);
  });
  afterAll(async () => {
    clinic?.session.close();
    await server?.stop();
    t.cleanup();
  });
  const report = (): Promise<Report> => doctorReport({ db: clinic.session.dbFile, passphrase: CLINIC.passphrase, resourcesDir });
  const syncOnce = async (): Promise<number> => {
    const s = await clientFor(clinic.session.repos.store, clinic.session.repos, () => docId).syncOnce();
    expect(s.error).toBeNull();
    return s.quarantined;
  };

  it('fails changes that have waited two days to reach the server, and passes once they are pushed', async () => {
    await clinic.ok('patients.create', { givenName: 'Ines', familyName: 'Waiting', birthDate: '1961-06-01', sex: 'female' });
    clock = Date.now();
    // Two days later the physician was signed out for inactivity: sign in again.
    await clinic.call('session.logout');
    await clinic.ok('session.login', CLINIC.doc);
    const waiting = await report();
    expectCheck(
      waiting,
      'sync.lag',
      'fail',
      /^\d+ change\(s\) made on this device have waited up to 2 days to reach the clinic server \(no contact with .+ recorded yet\): connect this device/,
    );
    expectCheck(waiting, 'sync.server', 'pass', `${server.url}/health answered HTTP 200`);
    expectCheck(waiting, 'sync.clock_skew', 'pass', 'the clocks agree');
    expectCheck(waiting, 'certificate.server', 'pass', 'plain HTTP on this computer only (loopback)');

    await syncOnce();
    expectCheck(await report(), 'sync.lag', 'pass', /^nothing waiting to reach the clinic server; last contact with .+: \d+ s ago$/);
  });

  it('fails a change the clinic server refused until it is reviewed (the command line, exit 1)', async () => {
    const repos = clinic.session.repos;
    const adminId = repos.users.list().find((u) => u.username === CLINIC.admin.username)!.id;
    const fd = await repos.users.create(
      { username: FRONT_DESK.username, displayName: 'Fran Desk', role: 'front_desk', password: FRONT_DESK.password },
      adminId,
    );
    await syncOnce();
    await signInOnServer(repos.store.sqlite, FRONT_DESK.username, FRONT_DESK.password);
    const p = repos.patients.create(patientInput.parse({ givenName: 'Mora', familyName: 'Quist', birthDate: '2002-02-02', sex: 'female' }), { userId: docId });
    // A front-desk author may not write allergies: the clinic server refuses the change.
    repos.allergies.add(
      { kind: 'allergy', patientId: p.id, substance: 'Penicillin', substanceType: 'drug', reactions: ['hives'], criticality: 'unable_to_assess' },
      { userId: fd.id },
    );
    expect(await syncOnce()).toBe(1);

    // The command line reads the same database the app has open; the server answers it meanwhile.
    const cli = await cairnAsync(['doctor', '--db', clinic.session.dbFile, '--json'], { CAIRN_PASSPHRASE: CLINIC.passphrase });
    expect(cli.code, cli.err).toBe(1);
    const r = JSON.parse(cli.out) as Report;
    expectCheck(
      r,
      'sync.quarantined',
      'fail',
      /^the clinic server refused 1 change\(s\) made on this device \(the first on \d{4}-\d\d-\d\d\): an administrator reviews each on the Conflicts screen/,
    );
    expectCheck(r, 'sync.server', 'pass', 'answered HTTP 200');

    const [item] = await clinic.ok<QuarantineItem[]>('sync.quarantine.list', {});
    await clinic.ok('sync.quarantine.review', { deviceId: item!.deviceId, seq: item!.seq, note: 'allergy re-entered by the nurse' });
    expectCheck(await report(), 'sync.quarantined', 'pass', 'every refusal was reviewed');
  });

  it('runs on the Health screen for an administrator only, and keeps the backup folder it is given when it is writable', async () => {
    expect(await clinic.call('doctor.run')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    const r = await clinic.ok<Report>('doctor.run');
    expect(r.ok).toBe(false);
    expect(r.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['device.database.integrity', 'device.backup.latest', 'sync.server', 'sync.lag', 'sync.quarantined']),
    );
    expectCheck(r, 'device.backup.latest', 'fail', 'no backup of clinic.cairn');
    expectCheck(r, 'sync.server', 'pass', 'answered HTTP 200');

    const missing = join(t.dir, 'not-mounted');
    const refused = await clinic.call('settings.setBackups', { folder: missing, keep: 7, keepWeekly: 4, warnAfterHours: 30 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'folder' }] } });
    if (!refused.ok)
      expect(refused.error.message).toBe(`the backup folder ${missing} does not exist: mount the network share or plug in the drive, or create the folder`);
    expect(await clinic.call('settings.setBackups', { folder: 'relative/path', keep: 7, keepWeekly: 4, warnAfterHours: 30 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });

    const share = join(t.dir, 'share');
    mkdirSync(share);
    chmodSync(share, 0o700);
    const saved = await clinic.ok<{ folder: string; dir: string; keep: number }>('settings.setBackups', {
      folder: share,
      keep: 7,
      keepWeekly: 4,
      warnAfterHours: 30,
    });
    expect(saved).toEqual({ folder: share, keep: 7, keepWeekly: 4, warnAfterHours: 30, dir: join(share, clinic.session.repos.store.deviceId) });
    expect(await clinic.ok('settings.backups')).toEqual(saved);
    expect(clinic.session.repos.audit.list().filter((e) => e.action === 'settings.backups')).toHaveLength(1);
    expectCheck(await clinic.ok<Report>('doctor.run'), 'device.backup.latest', 'fail', `no backup of clinic.cairn in ${saved.dir}`);

    // `cairn backup scheduled` writes where the settings say; the Health screen then passes the check.
    const made = await cairnAsync(['backup', 'scheduled', '--db', clinic.session.dbFile], { CAIRN_PASSPHRASE: CLINIC.passphrase });
    expect(made.code, made.err).toBe(0);
    expect((JSON.parse(made.out) as { folder: string; keep: number; keepWeekly: number }).folder).toBe(saved.dir);
    expectCheck(await clinic.ok<Report>('doctor.run'), 'device.backup.latest', 'pass', `${saved.dir}/clinic.cairn-`);
  });
});
