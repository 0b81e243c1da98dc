import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import type { Store } from '../db/open';
import type { Repos } from '../repos';
import { SyncClient, type SyncClientOptions } from './sync.client';
import { SyncLoop } from './controller';
import type { SyncRunner } from './session-sync';
import { syncCounts } from './sync-counts';
import { enrollDevice, HttpTransport, TransportError, type FetchLike } from './transport';
import { enrolledServer, userSessionTokens } from './user-sessions';
import { documentTransferFor, type BinaryFetch } from './document-transfer';

export { SyncClient, type SyncSummary, type SyncProgress } from './sync.client';
export { HttpTransport, TransportError, fetchTrusting, type FetchLike, type SyncTransport } from './transport';
export { signInWithServer, userSessionTokens, saveUserSession, forgetUserSession, type ServerVerdict } from './user-sessions';

export interface SyncConfig {
  serverUrl: string;
  token: string;
}

/** Where this device syncs to, once enrolled (kept in the encrypted database). */
export function syncConfig(sqlite: Database.Database): SyncConfig | null {
  return enrolledServer(sqlite);
}

/** Enrolls this device with the clinic server using a one-time code, and keeps its credential. */
export async function enrollThisDevice(
  store: Store,
  repos: Repos,
  p: { serverUrl: string; code: string; deviceName: string; fetchImpl?: FetchLike },
): Promise<{ deviceId: string }> {
  const serverUrl = p.serverUrl.replace(/\/+$/, '');
  const probe = new SyncClient(store.sqlite, store.deviceId, repos.rowAccess, repos.clock, {
    push: () => Promise.reject(new Error('unused')),
    pull: () => Promise.reject(new Error('unused')),
  });
  const users = store.sqlite.transaction(() => probe.usersForEnrollment())();
  try {
    const out = await enrollDevice(serverUrl, { code: p.code, deviceId: store.deviceId, deviceName: p.deviceName, users }, p.fetchImpl);
    const put = store.sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    store.sqlite.transaction(() => {
      put.run('sync.server_url', serverUrl);
      put.run('sync.device_token', out.token);
      put.run('sync.device_name', p.deviceName);
      put.run('mrn_block', String(out.mrnBlock));
      put.run('sync.operator', out.operator ? '1' : '0');
    })();
    return { deviceId: out.deviceId };
  } catch (e) {
    if (e instanceof TransportError) throw new CairnFailure(e.status === 0 ? 'offline' : 'forbidden', e.message);
    throw e;
  }
}

/** A sync client for an enrolled device, syncing as `userId`. */
export function clientFor(store: Store, repos: Repos, userId: () => string, opts: SyncClientOptions & { fetchImpl?: FetchLike } = {}): SyncClient {
  const config = syncConfig(store.sqlite);
  if (!config) throw new CairnFailure('not_enrolled', 'this device is not enrolled with a clinic server yet (cairn enroll --db FILE --server URL --code CODE)');
  return new SyncClient(
    store.sqlite,
    store.deviceId,
    repos.rowAccess,
    repos.clock,
    new HttpTransport(config.serverUrl, config.token, userId, opts.fetchImpl, () => userSessionTokens(store.sqlite)),
    opts,
  );
}

export { DocumentTransfer, documentTransferFor, type BinaryFetch, type DocumentFetcher } from './document-transfer';
export { SyncLoop, backoffMs, type SyncController, type SyncStatus } from './controller';
export { SessionSync, type SyncRunner } from './session-sync';
export { syncCounts } from './sync-counts';

/** A sync loop on this thread (tests, the dev web server); the desktop app runs the same loop in a worker. */
export function inProcessSyncLoop(
  store: Store,
  repos: Repos,
  userId: () => string | null,
  opts: { intervalMs?: number; fetchImpl?: FetchLike; documentFetch?: BinaryFetch } = {},
): SyncLoop {
  return new SyncLoop(
    async (onProgress) => {
      const user = userId();
      if (!user)
        return {
          pushed: 0,
          pulled: 0,
          conflicts: 0,
          quarantined: 0,
          parked: 0,
          pending: 0,
          cursor: 0,
          error: { code: 'unauthenticated', message: 'sign in to sync', retryable: false },
        };
      const summary = await clientFor(store, repos, () => user, { onProgress, ...(opts.fetchImpl && { fetchImpl: opts.fetchImpl }) }).syncOnce();
      // Document bytes follow their rows: after a push the server took, this device sends the bytes
      // of documents made here (each failure is kept on the document, never failing the sync).
      if (!summary.error || !summary.error.retryable) {
        await documentTransferFor(store.sqlite, () => user, opts.documentFetch ? { fetchImpl: opts.documentFetch } : {})
          ?.uploadPending()
          .catch(() => undefined);
      }
      return summary;
    },
    () => syncCounts(store.sqlite),
    { ...(opts.intervalMs !== undefined && { intervalMs: opts.intervalMs }) },
  );
}

/** A sync runner on this thread for the session-following controller (the dev web server uses it). */
export function inProcessRunner(store: Store, repos: Repos, opts: { intervalMs?: number } = {}): SyncRunner {
  let user: string | null = null;
  const loop = inProcessSyncLoop(store, repos, () => user, opts);
  return {
    setUser(u) {
      if (u === user) return;
      user = u;
      if (u) loop.start();
      else loop.stop();
    },
    online: () => loop.online(),
    stop: () => loop.stop(),
    status: () => loop.status(),
    syncNow: () => loop.syncNow(),
  };
}
