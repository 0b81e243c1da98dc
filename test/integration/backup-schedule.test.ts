import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKUP_SETTINGS } from '../../shared/domain/doctor';
import { createBackup } from '../../electron/services/backup/backup';
import { retained, weekOf } from '../../electron/services/backup/retention';
import { scheduledBackups } from '../../electron/services/backup/scheduled';
import { BackupScheduler, type SchedulerEvent } from '../../electron/services/backup/scheduler';
import { readLastVerified, writeBackupSettings } from '../../electron/services/backup/settings';
import { readWithKey, verifyBackupFile } from '../../electron/services/backup/verify';
import { openRawWithKey, resolveKey } from '../../electron/services/db/open';
import { cairn, CLI_ENV } from '../helpers/cli';
import { newStore, tempDir } from '../helpers/temp-db';
import { backupStamp, SchedulerTestClock } from '../helpers/scheduler-clock';

const PASSPHRASE = 'backup schedule passphrase';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Monday, so the weeks of the retention are easy to read.
const START = Date.UTC(2026, 2, 2, 9, 0, 0);

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nameAt = (day: number): string => `clinic.cairn-${backupStamp(START + day * DAY)}.cairnbak`;

describe('backups an installer can schedule', () => {
  const t = tempDir('cairn-backup-schedule-');
  let dbFile = '';
  let key: Buffer;
  beforeAll(async () => {
    const made = await newStore(t.dir, PASSPHRASE);
    made.store.close();
    dbFile = made.file;
    key = (await resolveKey(dbFile, PASSPHRASE)).key;
  });
  afterAll(() => {
    key.fill(0);
    t.cleanup();
  });
  const withDb = <T>(fn: (s: ReturnType<typeof openRawWithKey>) => T): T => {
    const s = openRawWithKey(dbFile, key);
    try {
      return fn(s);
    } finally {
      s.close();
    }
  };

  it('retention: the N most recent, plus the newest of each of the last M weeks that have a backup', () => {
    const days = Array.from({ length: 20 }, (_, d) => ({ file: `d${d}`, at: START + d * DAY })).reverse();
    expect(weekOf(START + 6 * DAY)).toBe(weekOf(START));
    expect(weekOf(START + 7 * DAY)).toBe(START + 7 * DAY - 9 * HOUR);
    expect([...retained(days, { keep: 3, keepWeekly: 0 })].sort()).toEqual(['d17', 'd18', 'd19']);
    // Weeks: days 0-6, 7-13, 14-19; their newest are 6, 13, 19.
    expect([...retained(days, { keep: 3, keepWeekly: 3 })].sort()).toEqual(['d13', 'd17', 'd18', 'd19', 'd6']);
    // Weeks counted among the backups there are: a month's gap does not cost the older weeks.
    const gap = [{ file: 'new', at: START + 60 * DAY }, ...days];
    expect([...retained(gap, { keep: 1, keepWeekly: 3 })].sort()).toEqual(['d13', 'd19', 'new']);
  });

  it("keeps the right files in a shared folder, one sub-folder per device, following the device's settings at each run", async () => {
    const share = join(t.dir, 'nas');
    mkdirSync(share);
    withDb((s) => writeBackupSettings(s, { ...DEFAULT_BACKUP_SETTINGS, folder: share, keep: 3, keepWeekly: 3 }));
    const clock = new SchedulerTestClock(START);
    const events: SchedulerEvent[] = [];
    const sqlite = openRawWithKey(dbFile, key);
    try {
      const deviceId = (sqlite.prepare(`SELECT value FROM meta WHERE key = 'device_id'`).get() as { value: string }).value;
      const s = scheduledBackups({ sqlite, dbFile, deviceId, key, clock, onEvent: (e) => events.push(e) });
      const dir = join(share, deviceId);
      expect(s.dir).toBe(dir);
      s.start();
      await clock.advance(19 * DAY, s);
      s.stop();
      expect(readdirSync(share)).toEqual([deviceId]);
      expect(readdirSync(dir).sort()).toEqual([6, 13, 17, 18, 19].map(nameAt).sort());
      expect(events.filter((e) => e.kind === 'backup').every((e) => e.kind === 'backup' && e.verified)).toBe(true);
      expect(events.filter((e) => e.kind === 'failed')).toEqual([]);
      // Each verified backup is recorded for cairn doctor.
      expect(readLastVerified(sqlite)?.file).toBe(join(dir, nameAt(19)));

      // A changed setting applies at the next backup, without a restart.
      writeBackupSettings(sqlite, { ...DEFAULT_BACKUP_SETTINGS, folder: share, keep: 2, keepWeekly: 0 });
      s.start();
      await clock.advance(DAY, s);
      s.stop();
      expect(readdirSync(dir).sort()).toEqual([19, 20].map(nameAt));
    } finally {
      sqlite.close();
    }
  });

  it('verification after writing catches a truncated or altered copy: it is deleted, nothing older is, and the schedule retries', async () => {
    const dir = join(t.dir, 'flaky-share');
    const clock = new SchedulerTestClock(START);
    const events: SchedulerEvent[] = [];
    let damage: ((file: string) => void) | null = null;
    const s = new BackupScheduler({
      dbFile,
      dir,
      clock,
      keep: 1,
      takeBackup: async (out) => {
        await createBackup({ dbFile, key, out });
        damage?.(out);
      },
      verify: (file) =>
        verifyBackupFile(
          file,
          readWithKey((f) => openRawWithKey(f, key)),
        ),
      onEvent: (e) => events.push(e),
    });
    await s.runNow();

    clock.t += DAY;
    damage = (f): void => truncateSync(f, statSync(f).size - 8192);
    const truncated = join(dir, nameAt(1));
    await expect(s.runNow()).rejects.toThrow(
      new RegExp(
        `^the backup written to ${esc(truncated)} did not verify when read back \\(backup ${esc(truncated)} is damaged: .+ \\(truncated or appended to\\)\\): it was deleted`,
      ),
    );
    expect(existsSync(truncated)).toBe(false);
    expect(readdirSync(dir)).toEqual([nameAt(0)]);

    clock.t += DAY;
    // The first byte of the manifest overwritten, the size unchanged.
    damage = (f): void => writeFileSync(f, 'Z', { flag: 'r+' });
    await expect(s.runNow()).rejects.toThrow(/did not verify when read back \(.+ is not a Cairn backup\): it was deleted and no older backup was removed/);

    // Through the schedule: a failure is reported and retried an hour later, when the copy verifies.
    damage = (f): void => truncateSync(f, 1000);
    s.start();
    await clock.advance(0, s);
    const failed = events.find((e) => e.kind === 'failed');
    expect(failed).toMatchObject({ kind: 'failed', retryInMs: HOUR });
    expect(failed?.kind === 'failed' && failed.error).toMatch(/truncated or appended to|is not a Cairn backup|damaged/);
    damage = null;
    await clock.advance(HOUR, s);
    s.stop();
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)[0]).not.toBe(nameAt(0));
  });

  it('names a missing share, a file, or a folder this user cannot write, before asking for the passphrase', () => {
    const missing = join(t.dir, 'unmounted');
    expect(cairn(['backup', 'scheduled', '--db', dbFile, '--to', missing], { CAIRN_PASSPHRASE: '' })).toMatchObject({
      code: 1,
      err: `cairn: the backup folder ${missing} does not exist: mount the network share or plug in the drive, or create the folder\n`,
    });
    expect(existsSync(missing)).toBe(false);
    const aFile = join(t.dir, 'a-file');
    writeFileSync(aFile, 'x');
    expect(cairn(['backup', 'scheduled', '--db', dbFile, '--to', aFile]).err).toBe(
      `cairn: the backup folder ${aFile} is a file, not a folder: give a folder\n`,
    );

    // A folder this user may not write: as root, the command runs as nobody (root may write anywhere).
    const locked = join(t.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    chmodSync(t.dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), 'backup', 'scheduled', '--db', dbFile, '--to', locked], {
      env: { ...process.env, ...CLI_ENV, CAIRN_PASSPHRASE: '' },
      encoding: 'utf8',
      ...(asRoot && { uid: 65534, gid: 65534 }),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^cairn: the backup folder ${locked} is not writable \\(permission denied for the user \\S+\\): give user \\S+ write access, or choose another folder\\n$`,
      ),
    );
    expect(readdirSync(locked)).toEqual([]);
  });

  it("the app's scheduler does not create a configured folder that is missing: the local disk is not filled instead", async () => {
    const share = join(t.dir, 'share-gone');
    withDb((s) => writeBackupSettings(s, { ...DEFAULT_BACKUP_SETTINGS, folder: share }));
    const sqlite = openRawWithKey(dbFile, key);
    try {
      const s = scheduledBackups({ sqlite, dbFile, deviceId: 'device-x', key });
      await expect(s.runNow()).rejects.toThrow(`the backup folder ${share} does not exist: mount the network share`);
      expect(existsSync(share)).toBe(false);
    } finally {
      sqlite.close();
    }
  });

  it('cairn backup scheduled: a verified backup each run, the retention applied, as JSON', () => {
    const to = join(t.dir, 'cron-target');
    mkdirSync(to);
    const runs = [1, 2, 3].map(() => cairn(['backup', 'scheduled', '--db', dbFile, '--to', to, '--keep', '2'], { CAIRN_PASSPHRASE: PASSPHRASE }));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const last = JSON.parse(runs[2]!.out) as { backup: string; verified: boolean; folder: string; keep: number; kept: number; pruned: string[] };
    expect(last).toMatchObject({ verified: true, keep: 2, kept: 2 });
    expect(last.folder.startsWith(`${to}/`)).toBe(true);
    expect(last.pruned).toHaveLength(1);
    expect(readdirSync(last.folder)).toHaveLength(2);
    expect(readdirSync(last.folder)).toContain(last.backup.slice(last.folder.length + 1));
    expect(cairn(['backup', 'scheduled', '--db', dbFile, '--to', to, '--keep', '0'])).toMatchObject({ code: 2 });
  });
});
