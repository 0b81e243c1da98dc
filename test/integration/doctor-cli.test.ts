import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_STATUSES } from '../../shared/domain/doctor';
import { resolveKey } from '../../electron/services/db/open';
import { cairn } from '../helpers/cli';
import { backupTakenAt, check, expectCheck, type Report } from '../helpers/doctor';
import { newStore, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'correct horse battery staple';
const HOUR = 3_600_000;

describe('cairn doctor', () => {
  const t = tempDir('cairn-doctor-');
  let file = '';
  beforeAll(async () => {
    const made = await newStore(t.dir, PASSPHRASE);
    made.store.close();
    file = made.file;
  });
  afterAll(() => t.cleanup());
  const doctor = (args: string[], env: Record<string, string> = { CAIRN_PASSPHRASE: PASSPHRASE }): ReturnType<typeof cairn> => cairn(['doctor', ...args], env);

  it('fails a server data directory others can read, naming the chmod, and a data directory with no server running', () => {
    const dir = join(t.dir, 'srv');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const human = doctor(['--data-dir', dir]);
    expect(human.code).toBe(1);
    expect(human.out).toContain(
      `FAIL     Clinic server data directory is owner-only: ${dir} has mode 755: other users can read the clinic's records; run "chmod -R go-rwx ${dir}"`,
    );
    expect(human.out).toMatch(/^(ok|FAIL|unknown) +Clinic server data directory is on an encrypted volume: /m);
    expect(human.out).toContain(`FAIL     Clinic server answers: no clinic server is running on ${dir}: start it`);
    expect(human.out.trim().split('\n').at(-1)).toMatch(/^\d checks? failed\.$/);

    const report = JSON.parse(doctor(['--data-dir', dir, '--json']).out) as Report;
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual(['server.data_dir.modes', 'server.data_dir.encrypted_volume', 'server.data_dir.free_space', 'sync.server']);
    expect(check(report, 'server.data_dir.modes').status).toBe('fail');
    const volume = check(report, 'server.data_dir.encrypted_volume');
    expect(['pass', 'fail', 'unknown']).toContain(volume.status);
    // An unencrypted volume fails (PGlite keeps the records in clear there); "unknown" says to check, never passes silently.
    if (volume.status !== 'pass') expect(volume.message).toContain('encrypted volume');

    chmodSync(dir, 0o700);
    const fixed = JSON.parse(doctor(['--data-dir', dir, '--json']).out) as Report;
    expect(check(fixed, 'server.data_dir.modes')).toMatchObject({ status: 'pass', message: `${dir} is 700 (the server keeps the files in it 600)` });
  });

  it('prints a report of one sentence per check, and exits 1 on a failure, 0 on warnings alone', async () => {
    const first = doctor(['--db', file, '--json']);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.out) as Report;
    expect(Object.keys(report).sort()).toEqual(['at', 'checks', 'ok']);
    expect(Number.isNaN(Date.parse(report.at))).toBe(false);
    expect(report.checks.map((c) => c.id)).toEqual([
      'device.database.modes',
      'device.database.encrypted_volume',
      'device.database.free_space',
      'device.database.integrity',
      'device.database.schema',
      'device.backup.latest',
      'sync.lag',
      'sync.quarantined',
    ]);
    for (const c of report.checks) {
      expect(Object.keys(c).sort()).toEqual(['id', 'message', 'status', 'title']);
      expect(CHECK_STATUSES).toContain(c.status);
      expect(c.message, c.id).toMatch(/^[^\n]{10,}$/);
    }
    // A new database: sound, current, never backed up (the one failure), not enrolled.
    expect(check(report, 'device.database.integrity').status).toBe('pass');
    expect(check(report, 'device.database.schema').message).toMatch(/^all \d+ migrations applied \(latest: \d{4}_\w+\)$/);
    expectCheck(report, 'device.backup.latest', 'fail', `no backup of clinic.cairn in ${join(t.dir, 'backups')}`);
    expect(check(report, 'sync.lag').message).toContain('not enrolled');
    expect(report.ok).toBe(false);

    // The only backup is three days old: a warning, and warnings alone exit 0.
    const key = (await resolveKey(file, PASSPHRASE)).key;
    const old = await backupTakenAt(file, key, join(dirname(file), 'backups'), new Date(Date.now() - 72 * HOUR));
    key.fill(0);
    const stale = doctor(['--db', file, '--json']);
    const staleReport = JSON.parse(stale.out) as Report;
    expectCheck(staleReport, 'device.backup.latest', 'warn', `${old}, is 3 days old, older than the clinic's limit of 36 h`);
    expect(staleReport.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(staleReport.ok).toBe(true);
    expect(stale.code).toBe(0);

    // The scheduled backup verifies and is fresh.
    expect(cairn(['backup', 'scheduled', '--db', file], { CAIRN_PASSPHRASE: PASSPHRASE }).code).toBe(0);
    const fresh = JSON.parse(doctor(['--db', file, '--json']).out) as Report;
    expectCheck(fresh, 'device.backup.latest', 'pass', /taken \d+ s ago, verifies \(checksum, decrypts/);
  });

  it('says when the database was not opened, and fails a wrong passphrase', () => {
    const none = JSON.parse(doctor(['--db', file, '--json'], { CAIRN_PASSPHRASE: '' }).out) as Report;
    expectCheck(none, 'device.database.integrity', 'unknown', 'set CAIRN_PASSPHRASE to check it');
    expect(none.checks.map((c) => c.id)).not.toContain('device.backup.latest');
    const wrong = doctor(['--db', file], { CAIRN_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain(
      `FAIL     Device database is encrypted and whole: ${file} does not open with this passphrase: give the clinic passphrase (CAIRN_PASSPHRASE)`,
    );
  });

  it('fails database files others can read', () => {
    chmodSync(file, 0o644);
    const open = doctor(['--db', file]);
    expect(open.code).toBe(1);
    expect(open.out).toContain(`${file} is 644`);
    chmodSync(file, 0o600);
  });

  it('says what to give when given nothing or something wrong, with exit code 2', () => {
    expect(doctor([])).toMatchObject({
      code: 2,
      err: 'cairn: give --data-dir DIR (the clinic server) and/or --db FILE (a device database) (see cairn --help)\n',
    });
    expect(doctor(['--db', file, '--wat'])).toMatchObject({ code: 2, err: 'cairn: unknown option --wat (see cairn --help)\n' });
    const badTimeout = doctor(['--db', file, '--timeout-ms', 'soon']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.err).toContain('--timeout-ms must be a whole number');
    expect(cairn(['--help']).out).toContain('cairn doctor [--data-dir DIR] [--db FILE] [--server URL] [--ca FILE] [--cert FILE ...] [--backups DIR ...]');
  });
});
