import type { SyncProgress, SyncSummary } from './sync.client';

/** What the renderer shows about sync: online / offline / syncing, last synced, pending, errors, progress. */
export interface SyncStatus {
  state: 'not_enrolled' | 'idle' | 'syncing' | 'offline' | 'error';
  serverUrl: string | null;
  lastSyncedAt: string | null;
  lastAttemptAt: string | null;
  pending: number;
  quarantined: number;
  conflictsOpen: number;
  error: { code: string; message: string } | null;
  progress: SyncProgress | null;
  /** When the next automatic attempt is due (backoff after errors). */
  nextAttemptAt: string | null;
}

/** The counts a status is made from (`syncCounts` reads them from the database). */
export interface SyncCounts {
  pending: number;
  quarantined: number;
  conflictsOpen: number;
  serverUrl: string | null;
}

/** A status with nothing in flight: before the first attempt, or on a device with no sync loop. */
export function restingStatus(c: SyncCounts, state: SyncStatus['state']): SyncStatus {
  return {
    state,
    serverUrl: c.serverUrl,
    lastSyncedAt: null,
    lastAttemptAt: null,
    pending: c.pending,
    quarantined: c.quarantined,
    conflictsOpen: c.conflictsOpen,
    error: null,
    progress: null,
    nextAttemptAt: null,
  };
}

/** The port handlers use to show and trigger sync; the worker thread and tests implement it. */
export interface SyncController {
  status(): SyncStatus;
  /** Syncs now (or joins the sync already running) and returns the status afterwards. */
  syncNow(): Promise<SyncStatus>;
}

/** Exponential backoff with a ceiling: 5 s, 10 s, 20 s … 5 min. */
export function backoffMs(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(failures - 1, 0), 300_000);
}

/**
 * The sync state machine, independent of where it runs (a worker thread in the app, the same
 * thread in tests): one sync at a time, on demand, on a timer, and with backoff after a failure
 * that retrying can fix. Local reads of counts come from `counts`.
 */
export class SyncLoop implements SyncController {
  private running: Promise<SyncStatus> | null = null;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private current: SyncStatus;

  constructor(
    private readonly run: (onProgress: (p: SyncProgress) => void) => Promise<SyncSummary>,
    private readonly counts: () => SyncCounts,
    private readonly opts: { intervalMs?: number; now?: () => Date; onChange?: (s: SyncStatus) => void } = {},
  ) {
    const c = counts();
    this.current = restingStatus(c, c.serverUrl ? 'idle' : 'not_enrolled');
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private set(next: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...next };
    this.opts.onChange?.(this.current);
  }

  /** The counts, or null when they cannot be read (the database was closed under a stopped loop). */
  private safeCounts(): ReturnType<typeof this.counts> | null {
    try {
      return this.counts();
    } catch {
      return null;
    }
  }

  status(): SyncStatus {
    const c = this.safeCounts();
    if (!c) return { ...this.current, state: 'error', error: { code: 'closed', message: 'the database is closed: unlock it to sync' }, progress: null };
    return {
      ...this.current,
      pending: c.pending,
      quarantined: c.quarantined,
      conflictsOpen: c.conflictsOpen,
      serverUrl: c.serverUrl,
      ...(!c.serverUrl && { state: 'not_enrolled' as const }),
    };
  }

  syncNow(): Promise<SyncStatus> {
    if (this.stopped || !this.safeCounts()?.serverUrl) return Promise.resolve(this.status());
    this.running ??= this.once().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async once(): Promise<SyncStatus> {
    this.set({ state: 'syncing', lastAttemptAt: this.now().toISOString(), progress: null });
    // Important: a run never throws out of here (it may be on a timer, where a throw ends the process).
    const summary = await this.run((p) => this.set({ progress: p })).catch((e: unknown): SyncSummary => ({
      pushed: 0,
      pulled: 0,
      conflicts: 0,
      quarantined: 0,
      parked: 0,
      pending: 0,
      cursor: 0,
      error: { code: 'sync_failed', message: e instanceof Error ? e.message : String(e), retryable: !this.stopped },
    }));
    if (summary.error) {
      this.failures++;
      const wait = summary.error.retryable ? backoffMs(this.failures) : null;
      this.set({
        state: summary.error.code === 'offline' ? 'offline' : 'error',
        error: { code: summary.error.code, message: summary.error.message },
        progress: null,
        nextAttemptAt: wait ? new Date(this.now().getTime() + wait).toISOString() : null,
      });
      if (wait && !this.stopped) this.schedule(wait);
    } else {
      this.failures = 0;
      this.set({ state: 'idle', error: null, lastSyncedAt: this.now().toISOString(), progress: null, nextAttemptAt: null });
    }
    return this.status();
  }

  /** Syncs every `intervalMs` (default one minute) until stopped. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.syncNow()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped && !this.current.nextAttemptAt) this.schedule(this.opts.intervalMs ?? 60_000);
        });
    }, ms);
    this.timer.unref?.();
  }

  /** Connectivity came back: try at once instead of waiting for the backoff. */
  online(): void {
    if (this.stopped) return;
    this.failures = 0;
    this.schedule(0);
  }

  /** No more timed runs (a run in flight finishes; its result is reported, never thrown). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
