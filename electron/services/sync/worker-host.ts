import { Worker } from 'node:worker_threads';
import type { SyncController, SyncStatus } from './controller';
import type { FromWorker, ToWorker, WorkerInit } from './sync.worker';

const EMPTY: SyncStatus = {
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
 * The app's side of the sync worker: a SyncController whose work happens in a worker thread.
 * `workerFile` is the built sync.worker.js in the app, or the .ts source under tsx in tests.
 */
export class WorkerSyncController implements SyncController {
  private readonly worker: Worker;
  private latest: SyncStatus = EMPTY;
  private nextId = 1;
  private readonly waiting = new Map<number, (s: SyncStatus) => void>();

  constructor(workerFile: string | URL, init: WorkerInit & Record<string, unknown>) {
    this.worker = new Worker(workerFile, { workerData: init });
    this.worker.on('error', (e) => {
      this.latest = { ...this.latest, state: 'error', error: { code: 'sync_worker', message: `the sync worker stopped: ${e.message}` } };
      for (const done of this.waiting.values()) done(this.latest);
      this.waiting.clear();
    });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type !== 'status') return;
      this.latest = m.status as SyncStatus;
      if (m.id !== undefined) {
        this.waiting.get(m.id)?.(this.latest);
        this.waiting.delete(m.id);
      }
    });
    this.worker.unref();
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  /** Who is signed in (sync runs as them), or null to pause. */
  setUser(userId: string | null): void {
    this.send({ type: 'user', userId });
  }

  online(): void {
    this.send({ type: 'online' });
  }

  status(): SyncStatus {
    return this.latest;
  }

  syncNow(): Promise<SyncStatus> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ type: 'syncNow', id });
    });
  }

  async stop(): Promise<void> {
    this.send({ type: 'stop' });
    await new Promise<void>((r) => this.worker.once('exit', () => r()));
  }
}
