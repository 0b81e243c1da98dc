import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../../../electron/services/backup/backup';
import { BackupScheduler, type SchedulerEvent } from '../../../../electron/services/backup/scheduler';
import { resolveKey } from '../../../../electron/services/db/open';
import { newStore, tempDir } from '../../../helpers/temp-db';
import { backupStamp, SchedulerTestClock } from '../../../helpers/scheduler-clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 2, 1, 9, 30, 0);

describe('BackupScheduler', () => {
  let t: ReturnType<typeof tempDir>;
  let dbFile: string;
  let backups: string;
  let clock: SchedulerTestClock;
  let events: SchedulerEvent[];
  let fail: boolean;
  beforeEach(() => {
    t = tempDir('cairn-sched-');
    dbFile = join(t.dir, 'clinic.cairn');
    backups = join(t.dir, 'backups');
    clock = new SchedulerTestClock(START);
    events = [];
    fail = false;
  });
  afterEach(() => t.cleanup());

  function scheduler(extra: { keep?: number; intervalMs?: number } = {}): BackupScheduler {
    return new BackupScheduler({
      dbFile,
      clock,
      ...extra,
      takeBackup: (out) => {
        if (fail) return Promise.reject(new Error('disk full'));
        writeFileSync(out, 'good');
        return Promise.resolve();
      },
      isGood: (file) => Promise.resolve(readFileSync(file, 'utf8') === 'good'),
      onEvent: (e) => events.push(e),
    });
  }

  const names = (): string[] => readdirSync(backups).sort();
  const fileAt = (ms: number): string => `clinic.cairn-${backupStamp(ms)}.cairnbak`;

  it('takes the first backup at once into backups/ beside the database, then one a day', async () => {
    const s = scheduler();
    s.start();
    await clock.advance(0, s);
    expect(names()).toEqual([fileAt(START)]);
    await clock.advance(DAY - HOUR, s);
    expect(names()).toHaveLength(1);
    await clock.advance(HOUR, s);
    expect(names()).toEqual([fileAt(START), fileAt(START + DAY)]);
    expect(events.map((e) => e.kind)).toEqual(['backup', 'backup']);
    s.stop();
    expect(clock.pending()).toBe(0);
  });

  it('keeps the last 14 by default and deletes older ones', async () => {
    const s = scheduler();
    s.start();
    await clock.advance(20 * DAY, s);
    const expected = Array.from({ length: 14 }, (_, i) => fileAt(START + (20 - 13 + i) * DAY));
    expect(names()).toEqual(expected);
    expect(events.filter((e) => e.kind === 'pruned').flatMap((e) => (e.kind === 'pruned' ? e.files : []))).toHaveLength(21 - 14);
    s.stop();
  });

  it('after a restart, waits for the day since the newest backup instead of taking one at each start', async () => {
    mkdirSync(backups);
    writeFileSync(join(backups, fileAt(START - 6 * HOUR)), 'good');
    const s = scheduler();
    s.start();
    await clock.advance(17 * HOUR, s);
    expect(names()).toHaveLength(1);
    await clock.advance(HOUR, s);
    expect(names()).toEqual([fileAt(START - 6 * HOUR), fileAt(START + 18 * HOUR)]);
    s.stop();
  });

  it('never deletes the newest good backup, even when newer ones are damaged', async () => {
    mkdirSync(backups);
    const days = [5, 4, 3, 2, 1].map((d) => START - d * DAY);
    for (const [i, at] of days.entries()) writeFileSync(join(backups, fileAt(at)), i < 2 ? 'good' : 'bit rot');
    const s = scheduler({ keep: 2 });
    // The two newest are damaged: the newest good one (4 days old) stays, beside them.
    expect((await s.prune()).map((f) => f.slice(backups.length + 1))).toEqual([fileAt(days[2]!), fileAt(days[0]!)]);
    expect(names()).toEqual([fileAt(days[1]!), fileAt(days[3]!), fileAt(days[4]!)]);
  });

  it('a failed backup deletes nothing and is retried an hour later', async () => {
    mkdirSync(backups);
    for (let d = 1; d <= 3; d++) writeFileSync(join(backups, fileAt(START - d * DAY)), 'good');
    const s = scheduler({ keep: 2 });
    fail = true;
    s.start();
    await clock.advance(0, s);
    expect(events).toEqual([{ kind: 'failed', error: 'disk full', retryInMs: HOUR }]);
    expect(names()).toHaveLength(3);
    fail = false;
    await clock.advance(HOUR, s);
    expect(names()).toEqual([fileAt(START - DAY), fileAt(START + HOUR)]);
    s.stop();
  });

  it('touches only its own backups, and clears temp files a killed backup left', async () => {
    mkdirSync(backups);
    const foreign = ['other.cairn-20260101T000000Z.cairnbak', 'notes.txt', 'clinic.cairn-not-a-date.cairnbak'];
    for (const f of foreign) writeFileSync(join(backups, f), 'x');
    writeFileSync(join(backups, `${fileAt(START - DAY)}.tmp`), 'half');
    writeFileSync(join(backups, `${fileAt(START - DAY)}.payload.tmp`), 'half');
    const s = scheduler({ keep: 1 });
    s.start();
    await clock.advance(3 * DAY, s);
    expect(names()).toEqual([fileAt(START + 3 * DAY), ...foreign].sort());
    s.stop();
  });

  it('runNow joins a backup already running; stop() leaves nothing scheduled', async () => {
    const s = scheduler();
    const [a, b] = await Promise.all([s.runNow(), s.runNow()]);
    expect(a).toBe(b);
    s.start();
    s.stop();
    expect(clock.pending()).toBe(0);
  });
});

describe('BackupScheduler with real backups', () => {
  const t = tempDir('cairn-sched-real-');
  let good = '';
  let dbFile = '';
  let key: Buffer;
  beforeAll(async () => {
    const { store, file } = await newStore(t.dir, 'scheduler passphrase');
    store.close();
    dbFile = file;
    key = (await resolveKey(file, 'scheduler passphrase')).key;
    good = (await createBackup({ dbFile: file, key, out: join(t.dir, 'reference.cairnbak') })).file;
  });
  afterAll(() => t.cleanup());

  it('checks old backups by their checksum before counting one as the newest good one', async () => {
    const clock = new SchedulerTestClock(START);
    const s = new BackupScheduler({ dbFile, clock, keep: 1, takeBackup: (out) => createBackup({ dbFile, key, out }) });
    mkdirSync(s.dir, { recursive: true });
    const older = join(s.dir, `clinic.cairn-${backupStamp(START - 2 * DAY)}.cairnbak`);
    const newer = join(s.dir, `clinic.cairn-${backupStamp(START - DAY)}.cairnbak`);
    copyFileSync(good, older);
    const damaged = readFileSync(good);
    damaged[damaged.length - 10] = (damaged[damaged.length - 10] as number) ^ 1;
    writeFileSync(newer, damaged);
    expect(await s.prune()).toEqual([]); // keep 1 = the damaged newer one; the older good one is spared
    const made = await s.runNow();
    expect(existsSync(made)).toBe(true);
    expect(existsSync(older) || existsSync(newer)).toBe(false);
    expect(readdirSync(s.dir)).toEqual([made.slice(s.dir.length + 1)]);
  });
});
