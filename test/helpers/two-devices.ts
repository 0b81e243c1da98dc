import type { Repos } from '../../electron/services/repos';
import { createRepos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice, type SyncClient } from '../../electron/services/sync';
import { openClinic, type Clinic } from './clinic';
import { signInClinicUsers, startTestServer } from './sync-server';
import { newStore, tempDir } from './temp-db';

export interface TwoDevices {
  server: Awaited<ReturnType<typeof startTestServer>>;
  /** Device A: a clinic database signed in as the physician (dispatcher at hand). */
  a: Clinic;
  /** Device B: an empty encrypted database that received the clinic's users at enrollment. */
  b: Repos;
  syncA: SyncClient;
  syncB: SyncClient;
  /** The physician both devices sync as. */
  docId: string;
  close(): Promise<void>;
}

/** A PGlite clinic server with two enrolled devices, for tests of a change travelling from A to B. */
export async function twoEnrolledDevices(names: readonly [string, string] = ['Device A', 'Device B']): Promise<TwoDevices> {
  const server = await startTestServer('pglite');
  const da = tempDir();
  const db = tempDir();
  const a = await openClinic(da.dir);
  const docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
  const codeA = await server.sync.createEnrollmentCode(names[0]);
  await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: server.url, code: codeA.code, deviceName: names[0] });
  await signInClinicUsers(a.session.repos.store.sqlite);
  const { store } = await newStore(db.dir);
  const b = createRepos(store);
  const codeB = await server.sync.createEnrollmentCode(names[1]);
  await enrollThisDevice(store, b, { serverUrl: server.url, code: codeB.code, deviceName: names[1] });
  await signInClinicUsers(store.sqlite);
  return {
    server,
    a,
    b,
    docId,
    syncA: clientFor(a.session.repos.store, a.session.repos, () => docId),
    syncB: clientFor(store, b, () => docId),
    async close() {
      store.close();
      a.session.close();
      await server.stop();
      da.cleanup();
      db.cleanup();
    },
  };
}
