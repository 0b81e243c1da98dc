import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWithKey, resolveKey } from '../../electron/services/db/open';
import { Session } from '../../electron/services/session';
import { patientInput } from '../../shared/domain/patient';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'a clinic passphrase';

describe('the app session checkpoints on a thread of its own while unlocked', () => {
  const t = tempDir();
  const file = join(t.dir, 'c.cairn');
  const errors: string[] = [];
  const session = new Session({ dbFile: file, resourcesDir, backgroundCheckpoints: true, onCheckpointError: (m) => errors.push(m) });
  afterAll(() => {
    session.close();
    t.cleanup();
  });

  const register = (n: number, tag: string): void => {
    const actor = { userId: session.requireUser().id };
    for (let i = 0; i < n; i++)
      session.repos.patients.create(patientInput.parse({ givenName: `${tag}${i}`, familyName: 'Walsh', birthDate: '1980-02-03' }), actor);
  };

  it('writes leave checkpoints to the thread, which copies the WAL into the file, and a lock loses nothing', async () => {
    await session.setup({
      clinicName: 'Creek Clinic',
      passphrase: PASSPHRASE,
      adminUsername: 'admin',
      adminDisplayName: 'Ada Admin',
      adminPassword: 'amber kestrel 41',
    });
    // The writer leaves checkpoints to the thread (its own limit is only a safety valve).
    expect(session.repos.store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1000);
    register(400, 'Ann');
    await new Promise((r) => setTimeout(r, 300));
    const stats = session.checkpointStats();
    expect(stats?.checkpoints).toBeGreaterThan(0);
    expect(stats?.maxCheckpointed).toBeGreaterThan(0);

    session.lock();
    expect(session.checkpointStats()).toBeNull();
    await session.unlock(PASSPHRASE);
    await session.login('admin', 'amber kestrel 41');
    register(50, 'Bea');
    session.close();
    expect(errors).toEqual([]);

    // Everything committed is there when the file is opened again, by a connection of its own.
    const store = openWithKey(file, (await resolveKey(file, PASSPHRASE)).key, { resourcesDir });
    try {
      expect((store.sqlite.prepare("SELECT count(*) AS n FROM patients WHERE family_name = 'Walsh'").get() as { n: number }).n).toBe(450);
      expect((store.sqlite.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check).toBe('ok');
    } finally {
      store.close();
    }
  });
});
