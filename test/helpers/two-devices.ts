import type { Repos } from '../../electron/services/repos';
import { createRepos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice, type SyncClient } from '../../electron/services/sync';
import { openClinic, type Clinic } from './clinic';
import { signInClinicUsers, startTestServer } from './sync-server';
import { newStore, tempDir } from './temp-db';

export interface TwoDevices {
  server: TestServer;
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

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Enrolls a device's database with the test clinic server and signs the clinic's users in on it with the server. */
export async function enrollWithClinicUsers(server: TestServer, repos: Repos, name: string, o: { operator?: boolean } = {}): Promise<void> {
  const { code } = await server.sync.createEnrollmentCode(name, 24, o);
  await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code, deviceName: name });
  await signInClinicUsers(repos.store.sqlite);
}

/** A device joining the clinic: an empty encrypted database that gets its users from the server at enrollment. */
export async function joinEmptyDevice(
  server: TestServer,
  dir: string,
  name: string,
  o: { passphrase?: string; now?: () => Date } = {},
): Promise<{ repos: Repos; file: string }> {
  const { store, file } = await newStore(dir, o.passphrase);
  const repos = createRepos(store, o.now ? { now: o.now } : {});
  await enrollWithClinicUsers(server, repos, name);
  return { repos, file };
}

/** A PGlite clinic server with two enrolled devices, for tests of a change travelling from A to B. */
export async function twoEnrolledDevices(names: readonly [string, string] = ['Device A', 'Device B']): Promise<TwoDevices> {
  const server = await startTestServer('pglite');
  const da = tempDir();
  const db = tempDir();
  const a = await openClinic(da.dir);
  const docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
  await enrollWithClinicUsers(server, a.session.repos, names[0]);
  const { repos: b } = await joinEmptyDevice(server, db.dir, names[1]);
  const store = b.store;
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
