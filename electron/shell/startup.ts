import { reason, type ShellLog } from './electron-surface';

/** The ready body, step by step; electron/main supplies each from Electron's real objects. */
export interface StartupSteps<P = unknown> {
  log: ShellLog;
  /** The cairn:// protocol, permission rules, the quit sequence: before any page loads or the database opens. Fatal when it throws. */
  prepare: () => void;
  /** Starts the embedded clinic server (its own process) when clinic-server.json asks for one; never fatal. */
  startServer?: () => void;
  /**
   * Provisioning on first start (a file an installer left). Started before the unlock and not waited
   * for: it needs the open database, which may wait for the person to unlock or set up this device
   * in the window. Never fatal.
   */
  provision?: () => Promise<P>;
  /** Unlocks with a key this device remembers, if it does; returns whether it did. Never fatal. */
  unlockWithRememberedKey: () => Promise<boolean>;
  /** IPC, menu, OS events. Fatal when it throws. */
  wire: () => void;
  /** Creates the window and loads the renderer. Fatal when it throws. */
  openWindow: () => void;
  /**
   * Tells the person what failed and ends the process: a process with no window would hold the
   * single-instance lock, and every later start would silently do nothing.
   */
  fail: (message: string) => void;
}

export interface StartupOutcome<P> {
  ok: boolean;
  unlocked: boolean;
  /** Settles when provisioning has finished (undefined when there was none, or it failed with an exception). */
  provisioned: Promise<P | undefined>;
}

/** A step whose failure is logged and passed over: the app still opens, on the unlock screen if need be. */
async function optional<T>(log: ShellLog, step: string, run: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    log.error({ event: 'startup.step_failed', step, reason: reason(e) }, `startup: ${step} failed; continuing without it`);
    return undefined;
  }
}

/**
 * The app's start once Electron is ready, guarded as a whole: an optional step that fails (the
 * embedded server, provisioning, a remembered key that no longer decrypts) is logged and skipped; a
 * step the window cannot do without ends in `fail` with a message, never in an exception that leaves
 * a process with no window behind.
 */
export async function runStartup<P>(s: StartupSteps<P>): Promise<StartupOutcome<P>> {
  let provisioned: Promise<P | undefined> = Promise.resolve(undefined);
  let unlocked = false;
  try {
    s.prepare();
    if (s.startServer) await optional(s.log, 'the embedded clinic server', s.startServer);
    // Before the unlock: a provisioned device enrolls as soon as its database is open.
    if (s.provision) provisioned = optional(s.log, 'provisioning', s.provision);
    unlocked = (await optional(s.log, 'unlocking with the remembered key', s.unlockWithRememberedKey)) ?? false;
    s.wire();
    s.openWindow();
    s.log.info({ event: 'startup.done', unlocked }, 'Cairn started');
    return { ok: true, unlocked, provisioned };
  } catch (e) {
    s.log.error({ event: 'startup.failed', reason: reason(e) }, 'Cairn could not start');
    s.fail(`Cairn could not start: ${reason(e)}`);
    return { ok: false, unlocked, provisioned };
  }
}

/**
 * Hands out the open database once the session is unlocked: at once when it is, otherwise when the
 * person unlocks or sets up the device (provisioning waits on it).
 */
export class UnlockSignal<T> {
  private current: T | null = null;
  private waiting: ((value: T) => void)[] = [];

  opened(value: T): void {
    this.current = value;
    for (const resolve of this.waiting.splice(0)) resolve(value);
  }

  closed(): void {
    this.current = null;
  }

  next(): Promise<T> {
    return this.current !== null ? Promise.resolve(this.current) : new Promise((resolve) => this.waiting.push(resolve));
  }
}
