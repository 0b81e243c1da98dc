import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyMemory } from '../services/session';
import { reason, type ShellLog, type ShellSafeStorage } from './electron-surface';

/** The device's choice, beside the remembered keys: remembering is off until someone turns it on. */
const CHOICE_FILE = 'remember-key.json';
const KEY_SUFFIX = '.key.enc';

export interface RememberedKeysOptions {
  safeStorage: ShellSafeStorage;
  /** Where the encrypted keys and the device's choice live (userData/keys). */
  dir: string;
  platform: NodeJS.Platform;
  log: ShellLog;
}

/**
 * Remembers the database key on this device with Electron's safeStorage (Keychain, DPAPI, libsecret
 * or KWallet), only when the device was told to (the File menu's "Remember the key on this device"),
 * and never where the OS offers no real encryption (Linux "basic_text").
 *
 * safeStorage's calls are asynchronous and Session's KeyMemory is not, so the key is decrypted before
 * the session asks for it (`prepare`), and a save runs in the background (`settled` waits for it).
 * A remembered key that cannot be decrypted (keychain access denied, the app re-signed, the keyring
 * changed) is forgotten with a line in the log, and the device asks for the passphrase instead.
 */
export class RememberedKeys {
  private prepared = new Map<string, Buffer>();
  /** Goes up at every forget: a save that started before it must not bring the key back. */
  private generation = 0;
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly o: RememberedKeysOptions) {}

  private fileFor(dbFile: string): string {
    return join(this.o.dir, `${createHash('sha256').update(dbFile).digest('hex').slice(0, 16)}${KEY_SUFFIX}`);
  }

  /** Whether this device was told to remember the key. */
  isOptedIn(): boolean {
    try {
      return (JSON.parse(readFileSync(join(this.o.dir, CHOICE_FILE), 'utf8')) as { remember?: unknown }).remember === true;
    } catch {
      return false;
    }
  }

  /** Turns remembering on or off for this device; off also forgets every key it remembered. */
  setOptIn(remember: boolean): void {
    mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(this.o.dir, CHOICE_FILE), JSON.stringify({ remember }) + '\n', { mode: 0o600 });
    if (remember) return;
    this.generation++;
    for (const f of readdirSync(this.o.dir)) if (f.endsWith(KEY_SUFFIX)) rmSync(join(this.o.dir, f), { force: true });
    this.wipePrepared();
    this.o.log.info({ event: 'key_memory.off' }, 'this device no longer remembers the database key');
  }

  /** Real OS-backed encryption is there (not Linux's plaintext "basic_text" fallback). */
  async usable(): Promise<boolean> {
    if (!(await this.o.safeStorage.isAsyncEncryptionAvailable())) return false;
    return this.o.platform !== 'linux' || this.o.safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  /**
   * Decrypts the remembered key of `dbFile`, if any, so the session's synchronous load finds it.
   * Never throws: a key that cannot be decrypted is forgotten and the passphrase is asked for.
   */
  async prepare(dbFile: string): Promise<void> {
    const file = this.fileFor(dbFile);
    if (!existsSync(file)) return;
    if (!this.isOptedIn()) {
      // Left from before remembering was opt-in, or from a device that turned it off: not used.
      this.forget(dbFile);
      return;
    }
    try {
      if (!(await this.usable())) throw new Error('no OS encryption is available to this session');
      const { result, shouldReEncrypt } = await this.o.safeStorage.decryptStringAsync(readFileSync(file));
      const key = Buffer.from(result, 'base64');
      if (key.length !== 32) throw new Error('the remembered key is not a 256-bit key');
      this.prepared.get(dbFile)?.fill(0);
      this.prepared.set(dbFile, key);
      // The OS rotated its key or offers a better one: store it again under the current one.
      if (shouldReEncrypt) void this.track(this.write(dbFile, Buffer.from(key), this.generation));
    } catch (e) {
      this.forget(dbFile);
      this.o.log.warn(
        { event: 'key_memory.unreadable', reason: reason(e) },
        'the remembered database key could not be decrypted, so it was forgotten: unlock with the clinic passphrase',
      );
    }
  }

  /** The adapter Session uses (its calls are synchronous). */
  keyMemory(): KeyMemory {
    return {
      save: (dbFile, key) => {
        if (!this.isOptedIn()) return;
        void this.track(this.write(dbFile, Buffer.from(key), this.generation));
      },
      load: (dbFile) => {
        const key = this.prepared.get(dbFile) ?? null;
        this.prepared.delete(dbFile);
        return key;
      },
      forget: (dbFile) => this.forget(dbFile),
    };
  }

  /** Saves now (turning remembering on while unlocked); the caller's buffer is zeroed. */
  remember(dbFile: string, key: Buffer): Promise<void> {
    const copy = Buffer.from(key);
    key.fill(0);
    return this.track(this.write(dbFile, copy, this.generation));
  }

  /** Waits for the saves in flight (before quitting, and in tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private forget(dbFile: string): void {
    this.generation++;
    rmSync(this.fileFor(dbFile), { force: true });
    this.prepared.get(dbFile)?.fill(0);
    this.prepared.delete(dbFile);
  }

  private wipePrepared(): void {
    for (const key of this.prepared.values()) key.fill(0);
    this.prepared.clear();
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /**
   * Encrypts and writes `key` (zeroed afterwards) unless a forget came in meanwhile. Never throws.
   * safeStorage takes a string, so a base64 copy of the key lives in the JS heap until collected.
   */
  private async write(dbFile: string, key: Buffer, generation: number): Promise<void> {
    try {
      if (!(await this.usable())) {
        this.o.log.info({ event: 'key_memory.unavailable' }, 'the database key is not remembered: this system offers no OS-backed encryption');
        return;
      }
      const sealed = await this.o.safeStorage.encryptStringAsync(key.toString('base64'));
      if (generation !== this.generation || !this.isOptedIn()) return;
      mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
      writeFileSync(this.fileFor(dbFile), sealed, { mode: 0o600 });
    } catch (e) {
      this.o.log.warn({ event: 'key_memory.save_failed', reason: reason(e) }, 'the database key could not be remembered on this device');
    } finally {
      key.fill(0);
    }
  }
}
