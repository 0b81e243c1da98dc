import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { installQuitSequence } from '../../electron/shell/quit';
import { SignedInSyncRunner, SyncKeyHolder } from '../../electron/shell/sync-gate';
import { Session } from '../../electron/services/session';
import { restingStatus } from '../../electron/services/sync/controller';
import { SessionSync, type SyncRunner } from '../../electron/services/sync/session-sync';
import { WorkerSyncController } from '../../electron/services/sync/worker-host';
import { recordingLog, StandInApp, StandInPowerMonitor } from '../unit/shell/electron-stand-ins';
import { resourcesDir, tempDir } from '../helpers/temp-db';

/*
 * Issue #24: Lock closed only the main connection while the sync worker went on syncing and backing
 * up with its own key, never zeroed. Here the real worker thread runs over a real encrypted database,
 * wired as electron/main wires it: sign-out and lock stop it, lock wipes the key held for it, and the
 * quit sequence waits for it before the database closes.
 */

const ADMIN = { username: 'admin', password: 'amber kestrel 41' };
const isZero = (b: Buffer): boolean => b.every((x) => x === 0);

describe('the sync worker follows sign-in, sign-out and lock', () => {
  const t = tempDir('cairn-shell-sync-');
  afterAll(() => t.cleanup());

  const events: string[] = [];
  const held: Buffer[] = [];
  const given: Buffer[] = [];
  const runners: SignedInSyncRunner[] = [];
  const log = recordingLog();
  const holder = new SyncKeyHolder();
  const session = new Session({
    dbFile: join(t.dir, 'clinic.cairn'),
    resourcesDir,
    onUnlock: (_file, key) => {
      held.push(key);
      holder.hold(key);
    },
  });
  session.whenLocked(() => holder.wipe());

  /** The worker thread as the app starts it (the TypeScript entry under tsx here), recording when it has exited. */
  const startWorker = (key: Buffer): SyncRunner => {
    given.push(key);
    const worker = new WorkerSyncController(resolve('test/helpers/ts-worker.mjs'), {
      dbFile: session.dbFile,
      key,
      resourcesDir,
      intervalMs: 3_600_000,
      backups: false,
      tsEntry: pathToFileURL(resolve('electron/services/sync/sync.worker.ts')).href,
    });
    events.push('worker started');
    return {
      setUser: (u) => worker.setUser(u),
      status: () => worker.status(),
      syncNow: () => worker.syncNow(),
      online: () => worker.online(),
      stop: async () => {
        await worker.stop();
        events.push('worker exited');
      },
    };
  };
  const sync = new SessionSync(session, () => {
    const r = new SignedInSyncRunner({
      holder,
      start: startWorker,
      resting: () => restingStatus({ pending: 0, quarantined: 0, conflictsOpen: 0, serverUrl: null }, 'idle'),
      log,
    });
    runners.push(r);
    return r;
  });

  it('runs the worker only while someone is signed in, from the key held for the unlocked database', async () => {
    await session.setup({
      clinicName: 'Gate Clinic',
      passphrase: 'a gate clinic passphrase',
      adminUsername: ADMIN.username,
      adminDisplayName: 'Ada',
      adminPassword: ADMIN.password,
    });
    sync.status();
    expect(runners[0]!.running).toBe(true);
    // The worker opened the database with its copy (a wrong key would stop it with an error).
    const first = await sync.syncNow();
    expect(first.error).toBeNull();
    // The copy handed to the worker thread is zeroed here once the thread has it.
    expect(isZero(given[0]!)).toBe(true);

    session.logout();
    sync.status();
    expect(runners[0]!.running).toBe(false);
    await runners[0]!.stop();
    expect(events).toEqual(['worker started', 'worker exited']);
    expect(isZero(held[0]!)).toBe(false);

    await session.login(ADMIN.username, ADMIN.password);
    sync.status();
    expect(runners[0]!.running).toBe(true);
    expect((await sync.syncNow()).error).toBeNull();
    expect(events).toEqual(['worker started', 'worker exited', 'worker started']);
  });

  it('lock stops the worker and wipes the key held for it; nothing can start a worker afterwards', async () => {
    session.lock();
    expect(isZero(held[0]!)).toBe(true);
    expect(holder.held).toBe(false);
    await runners[0]!.stop();
    expect(events.filter((e) => e === 'worker exited')).toHaveLength(2);
    runners[0]!.setUser('someone');
    expect(runners[0]!.running).toBe(false);
    expect(log.events).toContain('sync.no_key');
  });

  it('the quit sequence waits for the worker to exit before it closes the database', async () => {
    await session.unlock('a gate clinic passphrase');
    await session.login(ADMIN.username, ADMIN.password);
    sync.status();
    expect(runners.at(-1)!.running).toBe(true);
    const app = new StandInApp();
    installQuitSequence({
      app,
      powerMonitor: new StandInPowerMonitor(),
      log: recordingLog(),
      steps: [
        { name: 'sync worker', run: () => sync.stop() },
        { name: 'database', run: () => (session.close(), void events.push('database closed')) },
      ],
    });
    const before = events.length;
    app.quit();
    while (!app.ended) await new Promise((r) => setTimeout(r, 20));
    expect(events.slice(before)).toEqual(['worker exited', 'database closed']);
  });
});
