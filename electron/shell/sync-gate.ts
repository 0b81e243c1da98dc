import type { SyncStatus } from '../services/sync/controller';
import type { SyncRunner } from '../services/sync/session-sync';
import { reason, type ShellLog } from './electron-surface';

/**
 * The copy of the database key kept for the sync worker while the database is unlocked (the worker
 * opens its own connection). Lock wipes it: zeroed, not left for the garbage collector.
 */
export class SyncKeyHolder {
  private key: Buffer | null = null;

  /** Takes `key` over (Session hands a fresh copy at every unlock); the one held before is zeroed. */
  hold(key: Buffer): void {
    if (this.key !== key) this.key?.fill(0);
    this.key = key;
  }

  /**
   * A copy for one worker, or null once wiped. Its own memory, not a slice of Node's shared buffer
   * pool: a worker thread's data is copied whole (a pooled slice would carry its 8 KB neighbourhood).
   */
  copy(): Buffer | null {
    if (!this.key) return null;
    const copy = Buffer.alloc(this.key.length);
    this.key.copy(copy);
    return copy;
  }

  get held(): boolean {
    return this.key !== null;
  }

  wipe(): void {
    this.key?.fill(0);
    this.key = null;
  }
}

export interface SignedInSyncOptions {
  holder: SyncKeyHolder;
  /**
   * Starts a worker with a copy of the key. It must take what it needs before it returns (a worker
   * thread's data is copied when it is created): the copy is zeroed right after.
   */
  start: (key: Buffer) => SyncRunner;
  /** What to report while no worker runs (nobody is signed in). */
  resting: () => SyncStatus;
  log: ShellLog;
}

/**
 * The runner SessionSync starts for an unlocked database. It runs the sync worker (syncing and the
 * automatic backups, each with its own copy of the key) only while someone is signed in: signing out,
 * by hand, after the idle limit, or when the OS locks the screen or sleeps, stops the worker, which
 * zeroes its key; the next sign-in starts a new one from the key held for the unlocked database.
 * Lock stops it too (SessionSync drops its runner) and wipes the held key.
 */
export class SignedInSyncRunner implements SyncRunner {
  private worker: SyncRunner | null = null;
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly o: SignedInSyncOptions) {}

  /** Whether a worker is running now. */
  get running(): boolean {
    return this.worker !== null;
  }

  setUser(userId: string | null): void {
    if (!userId) {
      this.retire();
      return;
    }
    if (!this.worker) {
      const key = this.o.holder.copy();
      if (!key) {
        this.o.log.warn({ event: 'sync.no_key' }, 'sync did not start: the database key is no longer held (lock and unlock again)');
        return;
      }
      try {
        this.worker = this.o.start(key);
      } catch (e) {
        this.o.log.error({ event: 'sync.start_failed', reason: reason(e) }, 'the sync worker did not start');
        return;
      } finally {
        key.fill(0);
      }
    }
    this.worker.setUser(userId);
  }

  status(): SyncStatus {
    return this.worker?.status() ?? this.o.resting();
  }

  syncNow(): Promise<SyncStatus> {
    return this.worker ? this.worker.syncNow() : Promise.resolve(this.status());
  }

  online(): void {
    this.worker?.online();
  }

  /** Stops the worker and waits until every worker this runner started has stopped. */
  async stop(): Promise<void> {
    this.retire();
    while (this.stopping.size) await Promise.all([...this.stopping]);
  }

  private retire(): void {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const done: Promise<void> = Promise.resolve()
      .then(() => worker.stop())
      .catch((e: unknown) => this.o.log.warn({ event: 'sync.stop_failed', reason: reason(e) }, 'the sync worker did not stop cleanly'))
      .finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }
}
