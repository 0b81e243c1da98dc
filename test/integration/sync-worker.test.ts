import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { unlockDatabase } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { enrollThisDevice } from '../../electron/services/sync';
import { WorkerSyncController } from '../../electron/services/sync/worker-host';
import { patientInput } from '../../shared/domain/patient';
import { CLINIC, openClinic } from '../helpers/clinic';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { resourcesDir, tempDir } from '../helpers/temp-db';

describe('the sync worker thread', () => {
  const t = tempDir('cairn-sync-worker-');
  afterAll(() => t.cleanup());

  it('syncs on demand off the main thread with its own connection, and reports status', async () => {
    const server = await startTestServer('pglite');
    const clinic = await openClinic(t.dir);
    const docId = clinic.session.repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    const { code } = await server.sync.createEnrollmentCode('worker laptop');
    await enrollThisDevice(clinic.session.repos.store, clinic.session.repos, { serverUrl: server.url, code, deviceName: 'worker laptop' });
    await signInClinicUsers(clinic.session.repos.store.sqlite);
    const dbFile = clinic.session.repos.store.file;
    clinic.session.close();
    const { store, key } = await unlockDatabase(dbFile, CLINIC.passphrase, { resourcesDir });
    const worker = new WorkerSyncController(resolve('test/helpers/ts-worker.mjs'), {
      dbFile,
      key,
      resourcesDir,
      intervalMs: 3_600_000,
      // As the app starts it: its session checkpoints the file on a thread of its own.
      checkpointThread: true,
      tsEntry: pathToFileURL(resolve('electron/services/sync/sync.worker.ts')).href,
    });
    try {
      const repos = createRepos(store);
      const p = repos.patients.create(patientInput.parse({ givenName: 'Wren', familyName: 'Threadgill', birthDate: '1993-03-03' }), { userId: docId });
      worker.setUser(docId);
      const status = await worker.syncNow();
      expect(status.error).toBeNull();
      expect(status.state).toBe('idle');
      expect(status.pending).toBe(0);
      expect(status.lastSyncedAt).not.toBeNull();
      expect(status.serverUrl).toBe(server.url);
      const rows = await server.db.query("SELECT 1 FROM sync_rows WHERE entity = 'patient' AND entity_id = $1", [p.id]);
      expect(rows).toHaveLength(1);
      // The same worker takes the automatic backup (the first one at start, then daily).
      const backups = join(dirname(dbFile), 'backups');
      for (let i = 0; i < 100 && !(existsSync(backups) && readdirSync(backups).some((f) => f.endsWith('.cairnbak'))); i++)
        await new Promise((r) => setTimeout(r, 200));
      expect(readdirSync(backups).filter((f) => f.endsWith('.cairnbak'))).toHaveLength(1);
      // Offline: the status says so and the change waits.
      await server.stop();
      repos.patients.create(patientInput.parse({ givenName: 'Ola', familyName: 'Waiting', birthDate: '1994-04-04' }), { userId: docId });
      const offline = await worker.syncNow();
      expect(offline.state).toBe('offline');
      expect(offline.pending).toBe(1);
      expect(offline.nextAttemptAt).not.toBeNull();
    } finally {
      await worker.stop();
      store.close();
    }
  });
});
