/// <reference types="electron" />
/**
 * Stand-ins for the parts of Electron the shell modules use (electron/shell/electron-surface.ts), for
 * tests under plain Node. They are Electron's surface, not Cairn's code: each is typed against the
 * interface Electron's real object satisfies, and behaves as Electron documents it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ShellApp, ShellLog, ShellPowerMonitor, ShellSafeStorage, ShellSession, ShellWindow } from '../../../electron/shell/electron-surface';

/** Electron's Event: preventDefault() and defaultPrevented. */
export function electronEvent<P extends object = object>(params?: P): Electron.Event<P> {
  let prevented = false;
  return Object.assign(
    {
      preventDefault: () => void (prevented = true),
      get defaultPrevented() {
        return prevented;
      },
    },
    params ?? ({} as P),
  );
}

/**
 * app: quit() emits 'before-quit' and ends the app unless a handler prevented it (Electron's
 * documented order); exit() ends it at once without events.
 */
export class StandInApp extends EventEmitter implements ShellApp {
  ended: { how: 'quit' | 'exit'; code: number } | null = null;
  quitCalls = 0;
  readonly paths = new Map<string, string>([['appData', '/home/nurse/.config']]);
  constructor(readonly isPackaged = true) {
    super();
  }
  quit(): void {
    this.quitCalls++;
    const e = electronEvent();
    this.emit('before-quit', e);
    if (!e.defaultPrevented && !this.ended) this.ended = { how: 'quit', code: 0 };
  }
  exit(exitCode = 0): void {
    this.ended ??= { how: 'exit', code: exitCode };
  }
  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    const p = this.paths.get(name);
    if (!p) throw new Error(`Failed to get '${name}' path`);
    return p;
  }
  setPath(name: Parameters<Electron.App['setPath']>[0], path: string): void {
    this.paths.set(name, path);
  }
}

/** powerMonitor: 'lock-screen', 'suspend', and 'shutdown' with an event whose preventDefault delays it. */
export class StandInPowerMonitor extends EventEmitter implements ShellPowerMonitor {
  shutdownDelayed = false;
  shutDown(): void {
    this.emit('shutdown', { preventDefault: () => void (this.shutdownDelayed = true) });
  }
}

/** A BrowserWindow's 'session-end' (Windows). */
export class StandInWindow extends EventEmitter implements ShellWindow {
  endSession(reasons: Electron.WindowSessionEndEvent['reasons']): void {
    this.emit('session-end', electronEvent({ reasons }));
  }
}

/**
 * safeStorage's asynchronous API over a real cipher (AES-256-GCM under a key that stands for the OS
 * keychain's). `denied` makes decryption fail the way a refused keychain or a re-signed app does.
 */
export class StandInSafeStorage implements ShellSafeStorage {
  private osKey = randomBytes(32);
  available = true;
  backend: ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> = 'gnome_libsecret';
  denied: string | null = null;
  rotated = false;
  /** How long encryption takes (a keychain prompt, a slow keyring daemon). */
  encryptDelayMs = 0;
  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.available);
  }
  getSelectedStorageBackend(): ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> {
    return this.backend;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptStringAsync.');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.osKey, iv);
    const body = Buffer.concat([c.update(plainText, 'utf8'), c.final()]);
    if (this.encryptDelayMs) await new Promise((r) => setTimeout(r, this.encryptDelayMs));
    return Buffer.concat([Buffer.from('v11'), iv, c.getAuthTag(), body]);
  }
  decryptStringAsync(encrypted: Buffer): Promise<Electron.DecryptStringAsyncReturnValue> {
    if (this.denied) return Promise.reject(new Error(this.denied));
    try {
      const d = createDecipheriv('aes-256-gcm', this.osKey, encrypted.subarray(3, 15));
      d.setAuthTag(encrypted.subarray(15, 31));
      const result = Buffer.concat([d.update(encrypted.subarray(31)), d.final()]).toString('utf8');
      return Promise.resolve({ result, shouldReEncrypt: this.rotated });
    } catch {
      return Promise.reject(new Error('Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.'));
    }
  }
  /** The OS keyring was replaced (a new user profile, a re-signed app): old ciphertexts no longer open. */
  replaceKeyring(): void {
    this.osKey = randomBytes(32);
  }
}

type RequestHandler = Parameters<ShellSession['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<ShellSession['setPermissionCheckHandler']>[0];
type HeadersListener = (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void;

/** A session: keeps the handlers it is given, as Electron does, so a test can call them. */
export class StandInSession implements ShellSession {
  requestHandler: RequestHandler = null;
  checkHandler: CheckHandler = null;
  headers: { filter: unknown; listener: HeadersListener } | null = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.checkHandler = handler;
  }
  readonly webRequest = {
    onHeadersReceived: ((filter: unknown, listener?: unknown) => {
      this.headers = { filter, listener: listener as HeadersListener };
    }) as ShellSession['webRequest']['onHeadersReceived'],
  };
}

export function recordingLog(): ShellLog & { lines: string[]; events: string[] } {
  const lines: string[] = [];
  const events: string[] = [];
  const add = (o: object, msg: string): void => {
    lines.push(msg);
    const e = (o as { event?: unknown }).event;
    if (typeof e === 'string') events.push(e);
  };
  return { lines, events, info: add, warn: add, error: add };
}
