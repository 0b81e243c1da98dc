import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { enrollThisDevice, inProcessRunner, SessionSync } from '../../electron/services/sync';
import type { SyncStatus } from '../../electron/services/sync';
import { CLINIC, openClinic } from '../helpers/clinic';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';

/**
 * The clinic day's crash: an enrolled device, signed in, locked, unlocked and signed in again. The
 * sync loop kept the closed opening's runner, and its timer threw "The database connection is not
 * open" outside any promise, which ended the dev:web process (and would end the desktop's worker).
 */
describe('sync across Lock and Unlock', () => {
  const t = tempDir('cairn-lock-unlock-');
  afterAll(() => t.cleanup());

  it('keeps syncing after Lock → Unlock → sign-in, and no timer throws', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => void uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const server = await startTestServer('pglite');
    const clinic = await openClinic(t.dir);
    const { session } = clinic;
    try {
      const { code } = await server.sync.createEnrollmentCode('Exam room');
      await enrollThisDevice(session.repos.store, session.repos, { serverUrl: server.url, code, deviceName: 'Exam room' });
      await signInClinicUsers(session.repos.store.sqlite);
      // As dev:web wires it, with a short interval so the timer fires during the test.
      const sync = new SessionSync(session, () => inProcessRunner(session.repos.store, session.repos, { intervalMs: 100 }));
      const handlers = createHandlers({ session, sync });
      const call = async <T>(c: string, i: unknown = {}): Promise<T> => {
        const r = await dispatch(handlers, c, i);
        if (!r.ok) throw new Error(`${c}: ${r.error.message}`);
        return r.value as T;
      };
      const first = await call<SyncStatus>('sync.now');
      expect(first.error).toBeNull();
      expect(first.state).toBe('idle');
      await call('session.lock');
      // The old runner's timer gets its chances to fire against the closed database.
      await new Promise((r) => setTimeout(r, 400));
      await call('session.unlock', { passphrase: CLINIC.passphrase });
      await call('session.login', CLINIC.doc);
      await new Promise((r) => setTimeout(r, 400));
      const status = await call<SyncStatus>('sync.now');
      expect(status.error).toBeNull();
      expect(status.state).toBe('idle');
      // A change made after unlocking reaches the server through the new opening's runner.
      const p = await call<{ id: string }>('patients.create', { givenName: 'Lola', familyName: 'Unlocked', birthDate: '1984-04-04', sex: 'female' });
      await call('sync.now');
      expect(await server.db.query("SELECT 1 FROM sync_rows WHERE entity = 'patient' AND entity_id = $1", [p.id])).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(uncaught).toEqual([]);
      await sync.stop();
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
      session.close();
      await server.stop();
    }
  });
});
