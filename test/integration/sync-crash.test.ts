import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockDatabase, type Store } from '../../electron/services/db/open';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { patientInput } from '../../shared/domain/patient';
import { CLINIC, openClinic } from '../helpers/clinic';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

/** Starts the child and resolves once `ready(line)` says so; the child is then at that point. */
function child(
  args: string[],
  ready: (line: string) => boolean,
): { proc: ChildProcess; reached: Promise<void>; exited: Promise<number | null>; lines: string[] } {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve('test/helpers/sync-until-killed.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const reached = new Promise<void>((res) => {
    createInterface({ input: proc.stdout }).on('line', (l) => {
      lines.push(l);
      if (ready(l)) res();
    });
    void exited.then(() => res());
  });
  return { proc, reached, exited, lines };
}

async function kill(c: { proc: ChildProcess; exited: Promise<number | null> }): Promise<void> {
  c.proc.kill('SIGKILL');
  await c.exited;
}

describe('sync survives SIGKILL at the worst moments', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let hook: ((deviceId: string) => Promise<void>) | null = null;
  const t = tempDir('cairn-sync-crash-');
  const fileA = join(t.dir, 'clinic.cairn');
  let docId = '';

  const open = async (file: string, passphrase = CLINIC.passphrase): Promise<{ store: Store; repos: Repos }> => {
    const { store } = await unlockDatabase(file, passphrase, { resourcesDir });
    return { store, repos: createRepos(store) };
  };
  const serverCount = async (sql: string, params: unknown[] = []): Promise<number> => Number((await server.db.query<{ n: number }>(sql, params))[0]!.n);
  /**
   * Syncs the clinic device again after a kill and checks that every change reached the server
   * once: nothing left waiting, `rows` patients of `family`, no device sequence logged twice.
   * Returns how many of the device's changes the server holds.
   */
  const syncAgain = async (family: string, rows: number): Promise<number> => {
    const again = await open(fileA);
    try {
      const s = await clientFor(again.store, again.repos, () => docId).syncOnce();
      expect(s.error).toBeNull();
      expect(s.pending).toBe(0);
      expect(await serverCount("SELECT count(*) AS n FROM sync_rows WHERE entity = 'patient' AND data->>'family_name' = $1", [family])).toBe(rows);
      const deviceId = again.store.deviceId;
      const changes = await serverCount('SELECT count(*) AS n FROM sync_changes WHERE device_id = $1 AND device_seq IS NOT NULL', [deviceId]);
      expect(await serverCount('SELECT count(DISTINCT device_seq) AS n FROM sync_changes WHERE device_id = $1 AND device_seq IS NOT NULL', [deviceId])).toBe(
        changes,
      );
      return changes;
    } finally {
      again.store.close();
    }
  };

  beforeAll(async () => {
    server = await startTestServer('pglite', undefined, undefined, { afterPushCommitted: (d) => hook?.(d) ?? Promise.resolve() });
    const a = await openClinic(t.dir);
    docId = a.session.repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    const { code } = await server.sync.createEnrollmentCode('A');
    await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: server.url, code, deviceName: 'A' });
    await signInClinicUsers(a.session.repos.store.sqlite);
    a.session.close();
  });
  afterAll(async () => {
    await server?.stop();
    t.cleanup();
  });

  it('killed right after local commits: every committed write reaches the server exactly once', async () => {
    const c = child([fileA, CLINIC.passphrase, 'write', docId], (l) => l === 'committed 40');
    await c.reached;
    await kill(c);
    const { store, repos } = await open(fileA);
    try {
      const local = (store.sqlite.prepare("SELECT count(*) AS n FROM patients WHERE family_name = 'Offline'").get() as { n: number }).n;
      expect(local).toBeGreaterThanOrEqual(40);
      const s = await clientFor(store, repos, () => docId).syncOnce();
      expect(s.error).toBeNull();
      expect(s.pending).toBe(0);
      expect(await serverCount("SELECT count(*) AS n FROM sync_rows WHERE entity = 'patient' AND data->>'family_name' = 'Offline'")).toBe(local);
    } finally {
      store.close();
    }
  });

  it.each<[string, number, string]>([
    // The server has the first batch; the device never heard the answer.
    ['killed after the server committed a push but before the device heard back: nothing is applied twice', 1, 'Unheard'],
    // The device sent the second batch on hearing the first answer, before (or while) recording it.
    ['killed while the server takes the next batch, sent before the answer to the one before was recorded: nothing lost or applied twice', 2, 'Overlapped'],
  ])('%s', async (_title, commit, family) => {
    const { store, repos } = await open(fileA);
    for (let i = 0; i < 60; i++)
      repos.patients.create(patientInput.parse({ givenName: `${family}${i}`, familyName: family, birthDate: '1980-02-02' }), { userId: docId });
    const outboxTotal = (store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
    store.close();
    const changesBefore = await serverCount('SELECT count(*) AS n FROM sync_changes');
    let commits = 0;
    const c = child([fileA, CLINIC.passphrase, 'sync', docId], (l) => l.startsWith('done'));
    hook = async (): Promise<void> => {
      if (++commits === commit) await kill(c);
    };
    await c.exited;
    hook = null;
    expect(commits).toBe(commit);
    // Batches of 20: the server holds the batches committed up to the kill.
    expect(await serverCount('SELECT count(*) AS n FROM sync_changes')).toBe(changesBefore + 20 * commit);
    expect(await syncAgain(family, 60)).toBe(outboxTotal);
  });

  it('killed in the middle of applying a long pull, again and again: resumes, nothing lost or doubled', async () => {
    const a = await open(fileA);
    for (let i = 0; i < 400; i++)
      a.repos.patients.create(patientInput.parse({ givenName: `Bulk${i}`, familyName: 'Pulled', birthDate: '1975-05-05' }), { userId: docId });
    expect((await clientFor(a.store, a.repos, () => docId).syncOnce()).error).toBeNull();
    a.store.close();
    const d = tempDir('cairn-sync-crash-b-');
    const { store: bStore, file: fileB } = await newStore(d.dir, 'device b passphrase');
    const { code } = await server.sync.createEnrollmentCode('B');
    await enrollThisDevice(bStore, createRepos(bStore), { serverUrl: server.url, code, deviceName: 'B' });
    await signInClinicUsers(bStore.sqlite);
    bStore.close();
    for (const pages of [3, 7, 12]) {
      const c = child([fileB, 'device b passphrase', 'sync', docId], (l) => l.startsWith('pull') && Number(l.split(' ')[1]!.split('/')[0]) >= pages * 25);
      await c.reached;
      await kill(c);
    }
    const b = await open(fileB, 'device b passphrase');
    try {
      const before = Number((b.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").get() as { value: string }).value);
      expect(before).toBeGreaterThan(0);
      const s = await clientFor(b.store, b.repos, () => docId).syncOnce();
      expect(s.error).toBeNull();
      expect(s.parked).toBe(0);
      const head = await serverCount('SELECT n FROM sync_counter');
      expect(Number((b.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.cursor'").get() as { value: string }).value)).toBe(head);
      const ids = (b.store.sqlite.prepare('SELECT id FROM patients ORDER BY id').all() as { id: string }[]).map((r) => r.id);
      const serverIds = (await server.db.query<{ entity_id: string }>("SELECT entity_id FROM sync_rows WHERE entity = 'patient' ORDER BY entity_id")).map(
        (r) => r.entity_id,
      );
      expect(ids).toEqual(serverIds);
      expect(b.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      b.store.close();
      d.cleanup();
    }
  });
});
