import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput, patientUpdate } from '../../shared/domain/patient';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, HttpTransport, userSessionTokens } from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync/transport';
import { createBackup } from '../../electron/services/backup/backup';
import { restoreBackup } from '../../electron/services/backup/restore';
import { resolveKey, unlockDatabase } from '../../electron/services/db/open';
import type { Change } from '../../shared/sync/protocol';
import { openClinic, type Clinic } from '../helpers/clinic';
import { startTestServer, type Backend } from '../helpers/sync-server';
import { enrollWithClinicUsers, joinEmptyDevice } from '../helpers/two-devices';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'correct horse battery staple';

/**
 * A device's own changes come back from the clinic server as echoes (no columns) when the server
 * logged them exactly as written, in full when the server merged them differently, and in full
 * again when the device cannot vouch for an echo (restored from a backup made before it wrote them).
 */
describe.each<Backend>(['pglite', 'postgres'])('own changes pulled back as echoes, on %s', (backend) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dirs: (() => void)[] = [];
  let a: Clinic;
  let b: Repos;
  let bFile: string;
  let docId: string;
  const urls: string[] = [];
  const recording: FetchLike = (url, init) => {
    urls.push(url);
    return globalThis.fetch(url, init);
  };

  const transportOf = (repos: Repos): HttpTransport => {
    const token = (repos.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
    return new HttpTransport(
      server.url,
      token,
      () => docId,
      undefined,
      () => userSessionTokens(repos.store.sqlite),
    );
  };
  const ownSeqs = (repos: Repos): Map<number, number> =>
    new Map(
      (repos.store.sqlite.prepare('SELECT seq, server_seq FROM sync_outbox WHERE server_seq IS NOT NULL').all() as { seq: number; server_seq: number }[]).map(
        (r) => [r.server_seq, r.seq],
      ),
    );

  beforeAll(async () => {
    server = await startTestServer(backend);
    const da = tempDir();
    const db = tempDir();
    dirs.push(da.cleanup, db.cleanup);
    a = await openClinic(da.dir);
    docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
    await enrollWithClinicUsers(server, a.session.repos, 'Exam room laptop');
    ({ repos: b, file: bFile } = await joinEmptyDevice(server, db.dir, 'Front desk PC', { passphrase: PASSPHRASE }));
  });

  afterAll(async () => {
    b?.store.close();
    a?.session.logout();
    await server?.stop();
    dirs.forEach((d) => d());
  });

  it('registrations pushed come back as echoes to their device and in full to the other; a column that lost comes back in full', async () => {
    const aRepos = a.session.repos;
    const syncA = clientFor(aRepos.store, aRepos, () => docId);
    const syncB = clientFor(b.store, b, () => docId);
    expect((await syncA.syncOnce()).error).toBeNull();
    expect((await syncB.syncOnce()).error).toBeNull();
    const from = syncA.cursor();
    const ids: string[] = [];
    for (const given of ['Odile', 'Benedek', 'Rasmus'])
      ids.push((await a.ok<{ id: string }>('patients.create', { givenName: given, familyName: 'Echoson', birthDate: '1979-03-03', sex: 'female' })).id);
    expect((await syncA.syncOnce()).error).toBeNull();

    // On the wire: A's own registrations carry no columns; B gets every column of them.
    const mine = ownSeqs(aRepos);
    const echoed = await transportOf(aRepos).pull(from, 100, true);
    const ofPatients = (cs: Change[]): Change[] => cs.filter((c) => c.entity === 'patient' && ids.includes(c.id));
    expect(ofPatients(echoed.changes)).toHaveLength(3);
    for (const c of ofPatients(echoed.changes)) {
      expect(c).toMatchObject({ echo: true, fields: {}, clocks: {}, deviceSeq: mine.get(c.serverSeq) });
      expect(c.hlc).toMatch(/\S/);
    }
    const full = await transportOf(aRepos).pull(from, 100, false);
    expect(ofPatients(full.changes).every((c) => c.echo === undefined && c.fields['family_name'] === 'Echoson')).toBe(true);
    const toB = await transportOf(b).pull(from, 100, true);
    expect(ofPatients(toB.changes).every((c) => c.echo === undefined && c.fields['family_name'] === 'Echoson')).toBe(true);
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(ids.map((id) => b.patients.peek(id).givenName)).toEqual(['Odile', 'Benedek', 'Rasmus']);

    // Both change one chart's phone while apart; B's (later) wins. A's change is logged with B's
    // clock on the phone, so it comes back to A in full, and A shows B's number.
    const before = aRepos.patients.peek(ids[0]!);
    await a.ok('patients.update', { id: ids[0], expectedVersion: before.version, phone: '555-0111', email: 'odile@example.org' });
    await new Promise((r) => setTimeout(r, 5));
    const onB = b.patients.peek(ids[0]!);
    b.patients.update(patientUpdate.parse({ id: ids[0], expectedVersion: onB.version, phone: '555-0222' }), { userId: docId });
    expect((await syncB.syncOnce()).error).toBeNull();
    const cursorA = syncA.cursor();
    expect((await syncA.syncOnce()).error).toBeNull();
    const page = await transportOf(aRepos).pull(cursorA, 100, true);
    const aSeq = [...ownSeqs(aRepos).values()].reduce((x, y) => Math.max(x, y));
    const merged = page.changes.find((c) => c.deviceId === aRepos.store.deviceId && c.deviceSeq === aSeq)!;
    expect(merged.echo).toBeUndefined();
    expect(merged.fields['phone']).toBe('555-0222');
    expect(aRepos.patients.peek(ids[0]!)).toMatchObject({ phone: '555-0222', email: 'odile@example.org' });
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(b.patients.peek(ids[0]!)).toMatchObject({ phone: '555-0222', email: 'odile@example.org' });
  });

  it('a device restored from a backup gets its own later changes back in full, and what it writes after the restore reaches the clinic', async () => {
    const { key } = await resolveKey(bFile, PASSPHRASE);
    const backup = join(tempDir().dir, 'front-desk.cairnbak');
    await createBackup({ dbFile: bFile, key, out: backup });
    const ids: string[] = [];
    for (const given of ['Wenona', 'Kasimir']) {
      ids.push(
        b.patients.create(patientInput.parse({ givenName: given, familyName: 'Restorova', birthDate: '1990-09-09', sex: 'female' }), { userId: docId }).id,
      );
    }
    expect((await clientFor(b.store, b, () => docId).syncOnce()).error).toBeNull();
    b.store.close();

    await restoreBackup({ backup, dbFile: bFile, passphrase: PASSPHRASE, resourcesDir });
    const { store } = await unlockDatabase(bFile, PASSPHRASE, { resourcesDir });
    b = createRepos(store);
    expect(() => b.patients.peek(ids[0]!)).toThrow(/no patient/);
    urls.length = 0;
    const s = await clientFor(store, b, () => docId, { fetchImpl: recording }).syncOnce();
    expect(s.error).toBeNull();
    expect(ids.map((id) => b.patients.peek(id).givenName)).toEqual(['Wenona', 'Kasimir']);
    // The page with echoes it could not vouch for was asked for again, from the same cursor, in full.
    const pulls = urls.filter((u) => u.includes('/sync/pull'));
    const again = pulls.findIndex((u) => !u.includes('own=echo'));
    expect(again).toBeGreaterThan(0);
    expect(new URL(pulls[again]!).searchParams.get('cursor')).toBe(new URL(pulls[again - 1]!).searchParams.get('cursor'));

    // Charts registered after the restore reach the clinic: they are numbered past the changes the
    // server already holds from this device, not answered as "already received" and left behind.
    // Once after a sync (the numbering starts past the server's), once before any (moved past it).
    const register = (given: string): string =>
      b.patients.create(patientInput.parse({ givenName: given, familyName: 'Restorova', birthDate: '1991-01-01', sex: 'male' }), { userId: docId }).id;
    const thaddeus = register('Thaddeus');
    expect((await clientFor(b.store, b, () => docId).syncOnce()).error).toBeNull();
    b.store.close();
    await restoreBackup({ backup, dbFile: bFile, passphrase: PASSPHRASE, resourcesDir });
    b = createRepos((await unlockDatabase(bFile, PASSPHRASE, { resourcesDir })).store);
    const ottilie = register('Ottilie');
    const s2 = await clientFor(b.store, b, () => docId).syncOnce();
    expect(s2.error).toBeNull();
    expect(s2.pushed).toBe(1);
    expect(b.patients.peek(thaddeus).givenName).toBe('Thaddeus');
    const aRepos = a.session.repos;
    expect((await clientFor(aRepos.store, aRepos, () => docId).syncOnce()).error).toBeNull();
    expect([thaddeus, ottilie].map((id) => aRepos.patients.peek(id).givenName)).toEqual(['Thaddeus', 'Ottilie']);
    const held = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'patient' AND data->>'family_name' = 'Restorova'",
    );
    expect(held[0]!.n).toBe(4);
  });

  it('a pull that asks for echoes without compact clocks, or for something else, is refused with a reason', async () => {
    const token = (a.session.repos.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
    for (const q of ['own=echo', 'clocks=compact&own=all']) {
      const res = await fetch(`${server.url}/sync/pull?cursor=0&limit=10&${q}`, {
        headers: { authorization: `Bearer ${token}`, 'x-cairn-sessions': Object.values(userSessionTokens(a.session.repos.store.sqlite)).join(',') },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/own must be "echo", with clocks "compact"/);
    }
  });
});
