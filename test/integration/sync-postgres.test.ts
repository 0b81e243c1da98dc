import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice, HttpTransport, userSessionTokens } from '../../electron/services/sync';
import { patientInput } from '../../shared/domain/patient';
import type { Change } from '../../shared/sync/protocol';
import { cliServer } from '../helpers/cli';
import { CLINIC, openClinic } from '../helpers/clinic';
import { signInClinicUsers, freshPostgresDb } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';
import { openServerDb, type ServerDb } from '../../electron/server/db/open';
import { SyncService } from '../../electron/server/sync.service';
import { resourcesDir } from '../helpers/temp-db';

/**
 * Two clinic server processes on one PostgreSQL database, four devices pushing through both at
 * once, and a reader pulling all the while: the reader's cursor must never pass a change that
 * commits later (sequence numbers are only ever visible in order).
 */
describe('two server processes sharing PostgreSQL', () => {
  const t = tempDir('cairn-pg2-');
  let pgdb: Awaited<ReturnType<typeof freshPostgresDb>>;
  let servers: Awaited<ReturnType<typeof cliServer>>[] = [];
  let admin: ServerDb;
  let service: SyncService;
  const devices: { repos: Repos; close: () => void }[] = [];
  let docId = '';

  beforeAll(async () => {
    pgdb = await freshPostgresDb();
    servers = await Promise.all([cliServer(['--database-url', pgdb.url, '--port', '0']), cliServer(['--database-url', pgdb.url, '--port', '0'])]);
    admin = await openServerDb({ databaseUrl: pgdb.url }, resourcesDir);
    service = new SyncService(admin);
    const a = await openClinic(join(t.dir));
    docId = a.session.repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    const first = await service.createEnrollmentCode('device 0');
    await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: servers[0]!.url, code: first.code, deviceName: 'device 0' });
    await signInClinicUsers(a.session.repos.store.sqlite);
    devices.push({ repos: a.session.repos, close: () => a.session.close() });
    for (let i = 1; i < 4; i++) {
      const d = tempDir('cairn-pg2-dev-');
      const { store } = await newStore(d.dir);
      const repos = createRepos(store);
      const { code } = await service.createEnrollmentCode(`device ${i}`);
      await enrollThisDevice(store, repos, { serverUrl: servers[i % 2]!.url, code, deviceName: `device ${i}` });
      await signInClinicUsers(store.sqlite);
      devices.push({ repos, close: () => (store.close(), d.cleanup()) });
    }
  });

  afterAll(async () => {
    devices.forEach((d) => d.close());
    await Promise.all(servers.map((s) => s.stop()));
    await admin?.close();
    await pgdb?.drop();
    t.cleanup();
  });

  it('concurrent pushes through both processes; a concurrent reader never skips a change', async () => {
    let pushing = true;
    const pusher = async (i: number): Promise<void> => {
      const { repos } = devices[i]!;
      const client = clientFor(repos.store, repos, () => docId, { pushBatch: 7 });
      for (let round = 0; round < 12; round++) {
        for (let k = 0; k < 9; k++)
          repos.patients.create(patientInput.parse({ givenName: `P${i}x${round}x${k}`, familyName: 'Concurrent', birthDate: '1999-09-09' }), { userId: docId });
        const s = await client.pushAll({ pushed: 0, pulled: 0, conflicts: 0, quarantined: 0, parked: 0, pending: 0, cursor: 0, error: null });
        void s;
      }
    };
    const token = (devices[0]!.repos.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
    const reader = new HttpTransport(
      servers[1]!.url,
      token,
      () => docId,
      undefined,
      () => userSessionTokens(devices[0]!.repos.store.sqlite),
    );
    const seen: number[] = [];
    const gaps: string[] = [];
    let cursor = 0;
    const read = async (): Promise<void> => {
      while (pushing || cursor < Number((await admin.query<{ n: number }>('SELECT n FROM sync_counter'))[0]!.n)) {
        const page = await reader.pull(cursor, 13);
        page.changes.forEach((c: Change, j) => {
          if (c.serverSeq !== cursor + 1 + j) gaps.push(`after ${cursor + j} came ${c.serverSeq}`);
          seen.push(c.serverSeq);
        });
        cursor = page.cursor;
      }
    };
    const readerDone = read();
    await Promise.all([0, 1, 2, 3].map(pusher));
    pushing = false;
    await readerDone;
    const head = Number((await admin.query<{ n: number }>('SELECT n FROM sync_counter'))[0]!.n);
    expect(gaps).toEqual([]);
    expect(seen).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(
      Number((await admin.query<{ n: number }>("SELECT count(*) AS n FROM sync_rows WHERE entity = 'patient' AND data->>'family_name' = 'Concurrent'"))[0]!.n),
    ).toBe(4 * 12 * 9);
    for (const d of devices) expect(d.repos.outbox.pending()).toBe(0);
  });
});
