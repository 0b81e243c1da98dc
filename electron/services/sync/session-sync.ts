import type { Session } from '../session';
import type { SyncController, SyncStatus } from './controller';
import { syncCounts } from './sync-counts';

/** A running sync loop for one unlocked database, whatever thread it runs on. */
export interface SyncRunner extends SyncController {
  setUser(userId: string | null): void;
  online(): void;
  stop(): Promise<void> | void;
}

const IDLE: SyncStatus = {
  state: 'not_enrolled',
  serverUrl: null,
  lastSyncedAt: null,
  lastAttemptAt: null,
  pending: 0,
  quarantined: 0,
  conflictsOpen: 0,
  error: null,
  progress: null,
  nextAttemptAt: null,
};

/**
 * Follows the session: starts the background runner for the unlocked database, syncs
 * as the signed-in user, pauses when nobody is signed in, and stops when the database is locked.
 * Checked on every status call (the renderer asks every few seconds), so no events are needed.
 */
export class SessionSync implements SyncController {
  private runner: SyncRunner | null = null;
  /** Which opening of the database the runner works on: after Lock and Unlock it is a new one. */
  private forOpening: number | null = null;

  constructor(
    private readonly session: Session,
    private readonly start: (dbFile: string) => SyncRunner | null,
  ) {
    session.whenLocked(() => this.drop());
  }

  private follow(): SyncRunner | null {
    const st = this.session.status();
    const unlocked = st.state === 'unlocked' || st.state === 'signedIn';
    if (!unlocked) {
      this.drop();
      return null;
    }
    // Started for every unlocked database, enrolled or not: the worker also takes the automatic backups.
    // Important: a runner of an earlier opening holds a closed connection; it is never reused.
    if (!this.runner || this.forOpening !== this.session.generation) {
      this.drop();
      this.runner = this.start(this.session.dbFile);
      this.forOpening = this.session.generation;
    }
    this.runner?.setUser(st.state === 'signedIn' ? (st.user?.id ?? null) : null);
    return this.runner;
  }

  status(): SyncStatus {
    const runner = this.follow();
    if (runner) return runner.status();
    if (this.session.status().state === 'locked') return IDLE;
    try {
      return { ...IDLE, ...syncCounts(this.session.repos.store.sqlite), state: 'not_enrolled' };
    } catch {
      return IDLE;
    }
  }

  syncNow(): Promise<SyncStatus> {
    const runner = this.follow();
    return runner ? runner.syncNow() : Promise.resolve(this.status());
  }

  /** Stops the runner (the database is locked or was opened again). */
  drop(): void {
    const old = this.runner;
    this.runner = null;
    this.forOpening = null;
    if (old) void Promise.resolve(old.stop()).catch(() => undefined);
  }

  /** The operating system says the network is back. */
  online(): void {
    this.follow()?.online();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = null;
  }
}
