import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RememberedKeys } from '../../electron/shell/key-memory';
import { runStartup, UnlockSignal, type StartupSteps } from '../../electron/shell/startup';
import { Session } from '../../electron/services/session';
import { recordingLog, StandInSafeStorage } from '../unit/shell/electron-stand-ins';
import { resourcesDir, tempDir } from '../helpers/temp-db';

/*
 * Starting the desktop app with a remembered key, against a real encrypted database and safeStorage's
 * asynchronous API (a stand-in with a real cipher: Electron cannot run here). Issue #24: a remembered
 * key that could not be decrypted threw out of the ready handler, leaving no window and a process
 * holding the single-instance lock.
 */

const PASSPHRASE = 'a long clinic passphrase for the shell';

interface Device {
  keys: RememberedKeys;
  session: Session;
  dir: string;
  log: ReturnType<typeof recordingLog>;
  unlockedWith: Buffer[];
}

/** One start of the app on a device: its key memory and its session over the clinic database. */
function device(dir: string, safeStorage: StandInSafeStorage, platform: NodeJS.Platform = 'linux'): Device {
  mkdirSync(dir, { recursive: true });
  const log = recordingLog();
  const keys = new RememberedKeys({ safeStorage, dir: join(dir, 'keys'), platform, log });
  const unlockedWith: Buffer[] = [];
  const session = new Session({ dbFile: join(dir, 'clinic.cairn'), resourcesDir, keyMemory: keys.keyMemory(), onUnlock: (_f, key) => unlockedWith.push(key) });
  return { keys, session, dir, log, unlockedWith };
}

const keyFiles = (d: Device): string[] => (existsSync(join(d.dir, 'keys')) ? readdirSync(join(d.dir, 'keys')).filter((f) => f.endsWith('.key.enc')) : []);

/** The app's ready body with the real key memory and session; the window is a record of having been opened. */
function steps(d: Device, extra: Partial<StartupSteps<string>> = {}): StartupSteps<string> & { order: string[]; failed: string[] } {
  const order: string[] = [];
  const failed: string[] = [];
  return {
    order,
    failed,
    log: d.log,
    prepare: () => void order.push('prepare'),
    unlockWithRememberedKey: async () => {
      order.push('unlock');
      await d.keys.prepare(d.session.dbFile);
      return d.session.tryRememberedKey();
    },
    wire: () => void order.push('wire'),
    openWindow: () => void order.push('window'),
    fail: (m) => void failed.push(m),
    ...extra,
  };
}

async function clinic(dir: string, safeStorage: StandInSafeStorage, remember: boolean): Promise<Device> {
  const d = device(dir, safeStorage);
  if (remember) d.keys.setOptIn(true);
  await d.session.setup({
    clinicName: 'Shell Clinic',
    passphrase: PASSPHRASE,
    adminUsername: 'admin',
    adminDisplayName: 'Ada Admin',
    adminPassword: 'amber kestrel 41',
  });
  await d.keys.settled();
  d.session.close();
  return d;
}

describe('starting with a remembered key', () => {
  const t = tempDir('cairn-shell-startup-');
  afterAll(() => t.cleanup());

  it('remembers the key only on a device told to, sealed by the OS, and the next start unlocks with it', async () => {
    const os = new StandInSafeStorage();
    const off = await clinic(join(t.dir, 'off'), os, false);
    expect(keyFiles(off)).toEqual([]);

    const on = await clinic(join(t.dir, 'on'), os, true);
    expect(keyFiles(on)).toHaveLength(1);
    const sealed = readFileSync(join(on.dir, 'keys', keyFiles(on)[0]!));
    const key = on.unlockedWith[0]!;
    expect(sealed.includes(key)).toBe(false);
    expect(sealed.toString('latin1')).not.toContain(key.toString('base64'));

    const next = device(on.dir, os);
    const s = steps(next);
    const outcome = await runStartup(s);
    expect(outcome).toMatchObject({ ok: true, unlocked: true });
    expect(next.session.status().state).toBe('unlocked');
    expect(s.order).toEqual(['prepare', 'unlock', 'wire', 'window']);
    next.session.close();
  });

  it('forgets a remembered key the OS will not decrypt and opens on the unlock screen, with a line in the log', async () => {
    for (const [name, breakIt] of [
      ['denied', (os: StandInSafeStorage) => (os.denied = 'The user name or passphrase you entered is not correct. (keychain access denied)')],
      ['new-keyring', (os: StandInSafeStorage) => os.replaceKeyring()],
    ] as const) {
      const os = new StandInSafeStorage();
      const first = await clinic(join(t.dir, name), os, true);
      expect(keyFiles(first)).toHaveLength(1);
      breakIt(os);
      const next = device(first.dir, os);
      const s = steps(next);
      const outcome = await runStartup(s);
      expect(outcome).toMatchObject({ ok: true, unlocked: false });
      expect(s.order).toContain('window');
      expect(s.failed).toEqual([]);
      expect(next.session.status().state).toBe('locked');
      expect(keyFiles(next)).toEqual([]);
      expect(next.log.events).toContain('key_memory.unreadable');
      // The passphrase still opens it, and the device (still opted in) remembers the key again.
      os.denied = null;
      await next.session.unlock(PASSPHRASE);
      await next.keys.settled();
      expect(keyFiles(next)).toHaveLength(1);
      next.session.close();
    }
  });

  it('never remembers where the OS has no keyring (Linux basic_text) or no encryption', async () => {
    const basic = new StandInSafeStorage();
    basic.backend = 'basic_text';
    expect(keyFiles(await clinic(join(t.dir, 'basic'), basic, true))).toEqual([]);
    const none = new StandInSafeStorage();
    none.available = false;
    const d = await clinic(join(t.dir, 'none'), none, true);
    expect(keyFiles(d)).toEqual([]);
    expect(d.log.events).toContain('key_memory.unavailable');
    // basic_text is only refused on Linux (elsewhere the backend name does not apply).
    const mac = new StandInSafeStorage();
    mac.backend = 'basic_text';
    const onMac = device(join(t.dir, 'mac'), mac, 'darwin');
    onMac.keys.setOptIn(true);
    await onMac.session.setup({
      clinicName: 'Mac Clinic',
      passphrase: PASSPHRASE,
      adminUsername: 'admin',
      adminDisplayName: 'Ada',
      adminPassword: 'amber kestrel 41',
    });
    await onMac.keys.settled();
    expect(keyFiles(onMac)).toHaveLength(1);
    onMac.session.close();
  });

  it('forgets at lock even when the save is still in flight, and turning remembering off forgets every key', async () => {
    const os = new StandInSafeStorage();
    const d = await clinic(join(t.dir, 'lock'), os, true);
    const next = device(d.dir, os);
    // Session saves again at every unlock, in the background; here the keychain is slow and the lock comes first.
    os.encryptDelayMs = 300;
    await next.session.unlock(PASSPHRASE);
    next.session.lock();
    expect(keyFiles(next)).toEqual([]);
    await next.keys.settled();
    expect(keyFiles(next)).toEqual([]);
    os.encryptDelayMs = 0;

    await next.session.unlock(PASSPHRASE);
    await next.keys.settled();
    expect(keyFiles(next)).toHaveLength(1);
    next.keys.setOptIn(false);
    expect(keyFiles(next)).toEqual([]);
    expect(next.keys.isOptedIn()).toBe(false);
    next.session.close();
    // Nothing is remembered while it is off.
    const later = device(d.dir, os);
    await later.keys.remember(later.session.dbFile, Buffer.alloc(32, 7));
    expect(keyFiles(later)).toEqual([]);
  });

  it('stores the key again when the OS says it should be re-encrypted', async () => {
    const os = new StandInSafeStorage();
    const d = await clinic(join(t.dir, 'rotate'), os, true);
    const before = readFileSync(join(d.dir, 'keys', keyFiles(d)[0]!));
    os.rotated = true;
    const next = device(d.dir, os);
    expect((await runStartup(steps(next))).unlocked).toBe(true);
    await next.keys.settled();
    expect(readFileSync(join(d.dir, 'keys', keyFiles(d)[0]!)).equals(before)).toBe(false);
    next.session.close();
  });
});

describe('the startup sequence', () => {
  const t = tempDir('cairn-shell-sequence-');
  afterAll(() => t.cleanup());

  it('starts provisioning before the unlock without holding the window, and it goes on once the database is open', async () => {
    const os = new StandInSafeStorage();
    const d = await clinic(join(t.dir, 'provisioned'), os, true);
    const next = device(d.dir, os);
    const opened = new UnlockSignal<string>();
    const s = steps(next, {
      startServer: () => {
        throw new Error('clinic-server.json is not valid: port: expected number');
      },
    });
    s.provision = async () => {
      s.order.push('provision');
      const clinicName = await opened.next();
      s.order.push('provisioned');
      return `enrolled ${clinicName}`;
    };
    const unlock = s.unlockWithRememberedKey;
    s.unlockWithRememberedKey = async () => {
      const ok = await unlock();
      if (ok) opened.opened(next.session.status().clinicName ?? '?');
      return ok;
    };
    const outcome = await runStartup(s);
    expect(outcome.ok).toBe(true);
    expect(await outcome.provisioned).toBe('enrolled Shell Clinic');
    const at = (step: string): number => s.order.indexOf(step);
    expect(at('prepare')).toBe(0);
    expect(at('provision')).toBeLessThan(at('unlock'));
    expect(at('provisioned')).toBeGreaterThan(at('unlock'));
    expect(at('window')).toBeGreaterThan(at('wire'));
    expect(next.log.lines).toContain('startup: the embedded clinic server failed; continuing without it');
    next.session.close();

    // Locked (no remembered key): the window opens and provisioning waits for the person to unlock.
    const waiting = new UnlockSignal<string>();
    const locked = device(join(t.dir, 'locked-first'), new StandInSafeStorage());
    const w = steps(locked, { provision: () => waiting.next() });
    const first = await runStartup(w);
    expect(w.order).toEqual(['prepare', 'unlock', 'wire', 'window']);
    let settled = false;
    void first.provisioned.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    waiting.opened('Later Clinic');
    expect(await first.provisioned).toBe('Later Clinic');
  });

  it('logs a provisioning that throws and goes on', async () => {
    const d = device(join(t.dir, 'throws'), new StandInSafeStorage());
    const outcome = await runStartup({ ...steps(d), provision: () => Promise.reject(new Error('the enrollment code has expired')) });
    expect(outcome.ok).toBe(true);
    expect(await outcome.provisioned).toBeUndefined();
    expect(d.log.lines).toContain('startup: provisioning failed; continuing without it');
  });

  it('ends with a message, never a silent process, when the window cannot be made or IPC cannot be wired', async () => {
    for (const broken of ['wire', 'openWindow', 'prepare'] as const) {
      const d = device(join(t.dir, broken), new StandInSafeStorage());
      const s = steps(d, {
        [broken]: () => {
          throw new Error(`${broken} broke`);
        },
      });
      const outcome = await runStartup(s);
      expect(outcome.ok).toBe(false);
      expect(s.failed).toEqual([`Cairn could not start: ${broken} broke`]);
      expect(d.log.events).toContain('startup.failed');
    }
  });
});
