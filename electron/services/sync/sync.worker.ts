/**
 * The background worker: runs in a worker thread with its own connection to the encrypted
 * database, so pushing and pulling (a long first pull can take a while) and the daily automatic
 * backup never block the app. The main side talks to it with messages (see worker-host.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scheduledBackupsFor } from '../backup/scheduled';
import { checkpointedByThread } from '../db/checkpointer';
import { openWithKey } from '../db/open';
import { createRepos } from '../repos';
import { inProcessSyncLoop } from './index';
import { pinnedServerFetch } from '../provision/device-settings';

export interface WorkerInit {
  dbFile: string;
  /**
   * The raw database key: this thread's own copy (workerData is copied when the thread starts; the
   * main side zeroes its copy then). Zeroed here at stop, so no copy of the key outlives the worker.
   */
  key: Uint8Array;
  resourcesDir: string;
  intervalMs: number;
  /** Automatic daily backups (on unless false). */
  backups?: boolean;
  /**
   * The app's session checkpoints this file on a thread of its own while unlocked (the only time
   * this worker runs): this connection then leaves its long pull's checkpoints to that thread.
   */
  checkpointThread?: boolean;
}

export type ToWorker = { type: 'user'; userId: string | null } | { type: 'syncNow'; id: number } | { type: 'online' } | { type: 'stop' };
export type FromWorker = { type: 'status'; status: unknown; id?: number } | { type: 'error'; message: string };

const init = workerData as WorkerInit;
const port = parentPort!;
// The same memory as workerData's copy: zeroing it at stop leaves no copy behind (a hex string could not be zeroed).
const key = Buffer.from(init.key.buffer, init.key.byteOffset, init.key.byteLength);
const store = openWithKey(init.dbFile, key, { resourcesDir: init.resourcesDir });
if (init.checkpointThread) checkpointedByThread(store.sqlite);
// Automatic backups: daily, encrypted, read back after writing, to the folder and retention the clinic set
// (backup/settings.ts; backups/ beside the database until one is set).
const backups = init.backups === false ? null : scheduledBackupsFor(store, key);
backups?.start();
const repos = createRepos(store);
let userId: string | null = null;
// A provisioned device trusts only the clinic certificate it pinned (provision/device-settings.ts).
const loop = inProcessSyncLoop(store, repos, () => userId, {
  intervalMs: init.intervalMs,
  fetchImpl: (u, i) => (pinnedServerFetch(store.sqlite) ?? globalThis.fetch)(u, i),
});
const post = (m: FromWorker): void => port.postMessage(m);
const report = setInterval(() => post({ type: 'status', status: loop.status() }), 1000);
report.unref();

port.on('message', (m: ToWorker) => {
  if (m.type === 'user') {
    if (m.userId === userId) return;
    userId = m.userId;
    if (userId) loop.start();
    else loop.stop();
  } else if (m.type === 'syncNow') {
    void loop.syncNow().then((status) => post({ type: 'status', status, id: m.id }));
  } else if (m.type === 'online') {
    loop.online();
  } else {
    loop.stop();
    backups?.stop();
    key.fill(0);
    clearInterval(report);
    store.close();
    port.close();
  }
});
post({ type: 'status', status: loop.status() });
