import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rekeyDatabase } from '../../electron/services/backup/rekey';
import { writeBackupSettings } from '../../electron/services/backup/settings';
import { openRawWithKey, resolveKey } from '../../electron/services/db/open';
import { headerPathFor } from '../../electron/services/db/key-header';
import { doctorReport, type DoctorOptions } from '../../electron/services/doctor/doctor.service';
import { DEFAULT_BACKUP_SETTINGS } from '../../shared/domain/doctor';
import { patientInput } from '../../shared/domain/patient';
import { createRepos } from '../../electron/services/repos';
import { backupTakenAt, expectCheck, type Report } from '../helpers/doctor';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'doctor database passphrase';
const HOUR = 3_600_000;

/** Each database and backup check made to fail on purpose, on real encrypted files (the doctor as the command line runs it). */
describe('cairn doctor: the database and its backups', () => {
  const t = tempDir('cairn-doctor-db-');
  let original = '';
  let n = 0;
  beforeAll(async () => {
    const { store, file } = await newStore(t.dir, PASSPHRASE);
    // Some charts, so the file has pages beyond the schema's.
    const repos = createRepos(store);
    for (let i = 0; i < 40; i++)
      repos.patients.create(patientInput.parse({ givenName: `Test${i}`, familyName: 'Doctor', birthDate: '1970-01-01', sex: 'female' }), {
        userId: 'cli:test',
      });
    store.close();
    original = file;
  });
  afterAll(() => t.cleanup());

  /** A copy of the database (and its key header) in a folder of its own. */
  const copyDb = (): string => {
    const dir = join(t.dir, `copy-${++n}`);
    mkdirSync(dir, { mode: 0o700 });
    const file = join(dir, 'clinic.cairn');
    copyFileSync(original, file);
    copyFileSync(headerPathFor(original), headerPathFor(file));
    return file;
  };
  const run = (db: string, extra: Partial<DoctorOptions> = {}): Promise<Report> => doctorReport({ db, passphrase: PASSPHRASE, resourcesDir, ...extra });
  const withKey = async <T>(db: string, fn: (key: Buffer) => Promise<T> | T): Promise<T> => {
    const { key } = await resolveKey(db, PASSPHRASE);
    try {
      return await fn(key);
    } finally {
      key.fill(0);
    }
  };
  const freshBackup = (db: string): Promise<string> => withKey(db, (key) => backupTakenAt(db, key, join(dirname(db), 'backups'), new Date()));

  it('passes a sound copy: encrypted, whole, current, with a fresh backup that verifies', async () => {
    const db = copyDb();
    const file = await freshBackup(db);
    const r = await run(db);
    expectCheck(r, 'device.database.integrity', 'pass', 'SQLCipher 4');
    expectCheck(r, 'device.database.schema', 'pass', 'migrations applied');
    expectCheck(r, 'device.backup.latest', 'pass', `${file}, taken`);
  });

  it('fails a damaged copy of the database (pages whose HMAC no longer checks)', async () => {
    const db = copyDb();
    const bytes = readFileSync(db);
    const pages = bytes.length / 4096;
    expect(pages).toBeGreaterThan(20);
    // The last pages hold the rows just written (the schema's pages, read at open, come first).
    for (let p = pages - 3; p < pages; p++) bytes[p * 4096 + 300] = (bytes[p * 4096 + 300] as number) ^ 0xff;
    writeFileSync(db, bytes);
    const r = await run(db);
    expectCheck(r, 'device.database.integrity', 'fail', /^the database is damaged \(quick_check: .+\): copy the file aside, then restore the latest backup/);
    expect(r.ok).toBe(false);
  });

  it('fails a database whose first page does not decrypt although the passphrase is right', async () => {
    const db = copyDb();
    const bytes = readFileSync(db);
    bytes[200] = (bytes[200] as number) ^ 0xff;
    writeFileSync(db, bytes);
    expectCheck(await run(db), 'device.database.integrity', 'fail', 'cannot be read although the passphrase is right');
  });

  it('fails a database behind this version (a migration not applied) and one ahead of it (a migration this version does not know)', async () => {
    const behind = copyDb();
    await withKey(behind, (key) => {
      const s = openRawWithKey(behind, key);
      s.prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)').run();
      s.close();
    });
    expectCheck(
      await run(behind),
      'device.database.schema',
      'fail',
      /^1 migration\(s\) of this version are not applied \(first missing: \d{4}_\w+; latest: \d{4}_\w+\): open the database in Cairn/,
    );

    const ahead = copyDb();
    await withKey(ahead, (key) => {
      const s = openRawWithKey(ahead, key);
      s.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), 4_102_444_800_000);
      s.close();
    });
    expectCheck(await run(ahead), 'device.database.schema', 'fail', 'a newer Cairn wrote it; update Cairn on this device');
  });

  it('fails when there is no backup, and when the newest one is damaged, truncated or does not decrypt', async () => {
    const db = copyDb();
    expectCheck(await run(db), 'device.backup.latest', 'fail', `no backup of clinic.cairn in ${join(dirname(db), 'backups')}`);

    const good = await withKey(db, (key) => backupTakenAt(db, key, join(dirname(db), 'backups'), new Date(Date.now() - HOUR)));
    const flipped = readFileSync(good);
    flipped[flipped.length - 5000] = (flipped[flipped.length - 5000] as number) ^ 1;
    const damaged = await freshBackup(db);
    writeFileSync(damaged, flipped);
    expectCheck(
      await run(db),
      'device.backup.latest',
      'fail',
      `the newest backup ${damaged} does not verify (backup ${damaged} is damaged: its checksum does not match`,
    );

    truncateSync(damaged, statSync(damaged).size - 4096);
    expectCheck(await run(db), 'device.backup.latest', 'fail', 'truncated or appended to');

    // The checksum made to fit again: only decrypting and reading every page finds it.
    const newline = flipped.indexOf(0x0a);
    const manifest = JSON.parse(flipped.subarray(0, newline).toString('utf8')) as { payloadSha256: string };
    manifest.payloadSha256 = createHash('sha256')
      .update(flipped.subarray(newline + 1))
      .digest('hex');
    writeFileSync(damaged, Buffer.concat([Buffer.from(JSON.stringify(manifest) + '\n'), flipped.subarray(newline + 1)]));
    expectCheck(await run(db), 'device.backup.latest', 'fail', /does not verify \(backup .+ (is damaged: the integrity check failed|does not decrypt)/);

    // Once the damaged copy is gone, the older good one is the newest and passes.
    rmSync(damaged);
    expectCheck(await run(db), 'device.backup.latest', 'pass', new RegExp(`^${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, taken 6\\d min ago, verifies`));
  });

  it("warns when the newest backup is older than the clinic's setting, or was made under an earlier passphrase", async () => {
    const db = copyDb();
    await withKey(db, (key) => backupTakenAt(db, key, join(dirname(db), 'backups'), new Date(Date.now() - 5 * HOUR)));
    expectCheck(await run(db), 'device.backup.latest', 'pass', 'taken 5 h ago');
    await withKey(db, (key) => {
      const s = openRawWithKey(db, key);
      writeBackupSettings(s, { ...DEFAULT_BACKUP_SETTINGS, warnAfterHours: 2 });
      s.close();
    });
    expectCheck(await run(db), 'device.backup.latest', 'warn', "is 5 h old, older than the clinic's limit of 2 h: check that scheduled backups run");

    await rekeyDatabase({ dbFile: db, passphrase: PASSPHRASE, newPassphrase: 'a brand new clinic passphrase' });
    const r = await run(db, { passphrase: 'a brand new clinic passphrase' });
    expectCheck(r, 'device.backup.latest', 'warn', 'has a sound checksum but was made under an earlier passphrase, so it restores only with that one');
  });

  it('fails when the backup folder in the settings cannot be reached', async () => {
    const db = copyDb();
    const share = join(t.dir, 'unmounted-share');
    mkdirSync(share);
    await withKey(db, (key) => {
      const s = openRawWithKey(db, key);
      writeBackupSettings(s, { ...DEFAULT_BACKUP_SETTINGS, folder: share });
      s.close();
    });
    rmSync(share, { recursive: true });
    expectCheck(await run(db), 'device.backup.latest', 'fail', `the backup folder ${share} cannot be reached (it does not exist): mount the network share`);
  });

  it('fails and warns on free disk space against the limits (statfs of the real disk)', async () => {
    const db = copyDb();
    expectCheck(await run(db, { limits: { failFreeBytes: 2 ** 60 } }), 'device.database.free_space', 'fail', /GiB free of .+ less than the .+ Cairn needs/);
    expectCheck(await run(db, { limits: { warnFreeBytes: 2 ** 60 } }), 'device.database.free_space', 'warn', 'free some space soon');
    expectCheck(await run(db), 'device.database.free_space', 'pass', `GiB free of`);
  });
});
