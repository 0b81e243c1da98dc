import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { connectionFor, type Store } from './open';

/**
 * The worker, in plain JavaScript evaluated from this string, so it runs the same under Electron,
 * tsx and vitest with no bundled entry of its own. It opens its own connection and runs a PASSIVE
 * checkpoint every `intervalMs`: it copies committed pages from the WAL into the database file and
 * never waits for, or blocks, the writer.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
for (const p of workerData.pragmas) db.pragma(p);
db.pragma('busy_timeout = 5000');
let timer = null;
const checkpoint = () => {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ type: 'checkpoint', busy: r.busy, log: r.log, checkpointed: r.checkpointed });
};
const tick = () => {
  try {
    checkpoint();
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message ? e.message : e) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  try {
    checkpoint();
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message ? e.message : e) });
  }
  db.close();
  parentPort.postMessage({ type: 'stopped' });
});
tick();
`;

/** SQLite's default: the connection that commits past this many WAL pages checkpoints itself. */
const DEFAULT_AUTOCHECKPOINT = 1000;
/**
 * With a checkpointer running, the writer checkpoints itself only past this many pages (16 MiB):
 * a safety valve for a WAL the checkpointer cannot empty because the writer never pauses.
 */
const VALVE_PAGES = 4000;

/** The writers whose checkpoints a thread runs now (between startCheckpointer and the thread's exit). */
const withThread = new WeakSet<Database.Database>();

/**
 * Runs one large write (the thousands of claim payments of an 835) so that its commit leaves the
 * checkpoint to the thread when one runs for this connection. The valve counts the WAL's pages
 * after each commit, and one large transaction passes it by itself: the writer would then copy the
 * whole transaction into the database file right after its commit (decrypt, encrypt and write every
 * page again: as long as the transaction's own commit, measured on the ERA posting), work the thread
 * does on the other core within its next interval. Nothing about durability changes: the commit is
 * in the WAL either way. Without a thread the writer checkpoints as always, and the valve is back
 * for the next write.
 */
export function leavingCheckpointToThread<T>(sqlite: Database.Database, fn: () => T): T {
  // Inside a transaction the commit, and so the choice, belongs to the write that opened it.
  if (!withThread.has(sqlite) || sqlite.inTransaction) return fn();
  sqlite.pragma('wal_autocheckpoint = 0');
  try {
    return fn();
  } finally {
    if (sqlite.open && withThread.has(sqlite)) sqlite.pragma(`wal_autocheckpoint = ${VALVE_PAGES}`);
  }
}

/**
 * Runs a write that needs no fsync of its own because what it records is held elsewhere too and
 * comes back if a power cut loses it: a pulled page with its cursor (pulled again), the server's
 * answer to a push (the changes are sent again and answered as duplicates). It commits with
 * synchronous=NORMAL: WAL keeps the file consistent either way, a crash can lose only the newest
 * such commits and never one before a later FULL commit, and the next FULL commit makes it durable
 * with itself. Its checkpoint goes to the thread when one runs. Local writes keep FULL: they exist
 * nowhere else.
 */
export function replayableWrite<T>(sqlite: Database.Database, fn: () => T): T {
  // Inside a transaction the commit belongs to the write that opened it.
  if (sqlite.inTransaction) return fn();
  const before = sqlite.pragma('synchronous', { simple: true }) as number;
  sqlite.pragma('synchronous = NORMAL');
  try {
    return leavingCheckpointToThread(sqlite, fn);
  } finally {
    if (sqlite.open) sqlite.pragma(`synchronous = ${before}`);
  }
}

/**
 * For another connection of this process to a file whose checkpoint thread a first connection
 * started (the app's sync worker, beside the session's thread): like the first connection's writer,
 * it checkpoints for itself only past the valve, and its large writes (a long pull's pages) leave
 * their checkpoints to the thread. Returns the undo, for before that thread stops (the app stops
 * the sync worker first: lock and sign-out stop it).
 */
export function checkpointedByThread(sqlite: Database.Database): () => void {
  sqlite.pragma(`wal_autocheckpoint = ${VALVE_PAGES}`);
  withThread.add(sqlite);
  return () => {
    withThread.delete(sqlite);
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
  };
}

export interface CheckpointerOptions {
  /** How often to copy the WAL into the database (default 20 ms). */
  intervalMs?: number;
  /** A checkpoint that failed (it is tried again at the next interval; the writer's valve still holds). */
  onError?: (message: string) => void;
}

export interface CheckpointerStats {
  checkpoints: number;
  /** The most WAL frames copied into the database by one checkpoint. */
  maxCheckpointed: number;
  errors: number;
}

export interface Checkpointer {
  /** Settles once the thread has unlocked the database and run its first checkpoint (or failed to). */
  ready: Promise<void>;
  stats(): CheckpointerStats;
  /** A last checkpoint, then the worker's connection closes. The writer checkpoints itself again. */
  stop(): Promise<void>;
}

/**
 * Moves checkpoints off the writing thread. In WAL mode every page a commit changes is encrypted
 * into the WAL; the checkpoint then decrypts it and encrypts it again into the database file. Done
 * by the writer (SQLite's default), that is a fifth of what storing a lab message costs; done here,
 * it runs on the other core while the writer goes on. Used where writes come in volume: the MLLP
 * listener of `cairn hl7 listen` and of the clinic server's lab interface.
 *
 * Durability is unchanged: a commit is durable once it is in the WAL (synchronous=FULL), and a
 * checkpoint cut short by a crash is redone from the WAL on the next open, as SQLite always does.
 */
export function startCheckpointer(store: Store, options: CheckpointerOptions = {}): Checkpointer {
  const { file, pragmas, nativeBinding } = connectionFor(store);
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, file, pragmas, nativeBinding, intervalMs: options.intervalMs ?? 20 } });
  const stats: CheckpointerStats = { checkpoints: 0, maxCheckpointed: 0, errors: 0 };
  let stopped: Promise<void> | null = null;
  let exited = false;
  let started: () => void = () => undefined;
  // The thread keeps the process alive until it is ready (so `await ready` is kept waiting), not after.
  const ready = new Promise<void>((resolve) => (started = resolve)).then(() => {
    if (!exited && stopped === null) worker.unref();
  });
  const fail = (message: string): void => {
    stats.errors++;
    options.onError?.(message);
    started();
  };
  worker.on('message', (m: { type: 'checkpoint'; checkpointed: number } | { type: 'error'; message: string } | { type: 'stopped' }) => {
    if (m.type === 'checkpoint') {
      started();
      stats.checkpoints++;
      stats.maxCheckpointed = Math.max(stats.maxCheckpointed, m.checkpointed);
    } else if (m.type === 'error') fail(m.message);
  });
  worker.on('error', (e) => fail(`the checkpoint thread stopped: ${e.message}`));
  worker.on('exit', () => {
    exited = true;
    withThread.delete(store.sqlite);
    started();
    // Whatever happened to the thread, the writer checkpoints for itself again.
    if (store.sqlite.open) store.sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
  });
  store.sqlite.pragma(`wal_autocheckpoint = ${VALVE_PAGES}`);
  withThread.add(store.sqlite);
  return {
    ready,
    stats: () => ({ ...stats }),
    stop() {
      stopped ??= exited
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            // Held open until the last checkpoint is done (the thread does not keep a process alive otherwise).
            worker.ref();
            worker.once('exit', () => resolve());
            worker.on('message', (m: { type: string }) => m.type === 'stopped' && void worker.terminate());
            worker.postMessage('stop');
          });
      return stopped;
    },
  };
}
