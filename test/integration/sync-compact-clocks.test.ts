import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice, syncConfig, userSessionTokens, type FetchLike } from '../../electron/services/sync';
import { decodeStoredClocks, expandClocks } from '../../shared/sync/compact-clocks';
import { pullResponse, SESSIONS_HEADER, USER_HEADER } from '../../shared/sync/protocol';
import { openClinic, type Clinic } from '../helpers/clinic';
import { signInClinicUsers, startTestServer, type Backend } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';

/**
 * Pull pages with compact clocks (`clocks=compact`): the clock most columns of a change share goes
 * once, not once per column. A device of this version asks for them; one of an earlier version does
 * not, and must still get every column's clock. Both must end up holding exactly the same.
 */
describe.each<Backend>(['pglite', 'postgres'])('compact clocks on pull pages, clinic server on %s', (backend) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dirs: (() => void)[] = [];
  let a: Clinic;
  let docId: string;
  const devices: Repos[] = [];

  /** An empty device enrolled with the server, its users signed in; `fetchImpl` stands between it and the server. */
  async function newDevice(name: string): Promise<Repos> {
    const d = tempDir();
    dirs.push(d.cleanup);
    const { store } = await newStore(d.dir);
    const repos = createRepos(store);
    const { code } = await server.sync.createEnrollmentCode(name);
    await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: name });
    await signInClinicUsers(store.sqlite);
    devices.push(repos);
    return repos;
  }

  /** A raw pull as the device's sync client sends it, with `extra` added to the query. */
  async function rawPull(device: Repos, extra: string): Promise<{ status: number; text: string }> {
    const config = syncConfig(device.store.sqlite)!;
    const res = await fetch(`${server.url}/sync/pull?cursor=0&limit=1000${extra}`, {
      headers: {
        authorization: `Bearer ${config.token}`,
        [USER_HEADER]: docId,
        [SESSIONS_HEADER]: Object.values(userSessionTokens(device.store.sqlite)).join(','),
      },
    });
    return { status: res.status, text: await res.text() };
  }

  beforeAll(async () => {
    server = await startTestServer(backend);
    const da = tempDir();
    dirs.push(da.cleanup);
    a = await openClinic(da.dir);
    docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
    const { code } = await server.sync.createEnrollmentCode('Exam room laptop');
    await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: server.url, code, deviceName: 'Exam room laptop' });
    await signInClinicUsers(a.session.repos.store.sqlite);
    // Charts registered at once (one clock on every column), then one edited (its phone carries a later clock).
    const ids: string[] = [];
    for (const [given, family] of [
      ['Odile', 'Marchetti'],
      ['Bram', 'Okafor'],
      ['Sunniva', 'Lindqvist'],
    ])
      ids.push((await a.ok<{ id: string }>('patients.create', { givenName: given, familyName: family, birthDate: '1975-06-01', sex: 'female' })).id);
    const bram = a.session.repos.patients.peek(ids[1]!);
    await a.ok('patients.update', { id: bram.id, expectedVersion: bram.version, phone: '555-0142' });
    expect((await clientFor(a.session.repos.store, a.session.repos, () => docId).syncOnce()).error).toBeNull();
  });

  afterAll(async () => {
    for (const d of devices) d.store.close();
    a?.session.logout();
    await server?.stop();
    dirs.forEach((d) => d());
  });

  it('carries the same clocks as a full page, in far fewer bytes', async () => {
    const device = await newDevice('Front desk PC');
    const full = await rawPull(device, '');
    const compact = await rawPull(device, '&clocks=compact');
    expect(full.status).toBe(200);
    expect(compact.status).toBe(200);
    const f = pullResponse.parse(JSON.parse(full.text));
    const c = pullResponse.parse(JSON.parse(compact.text));
    expect(c.changes.map((x) => x.serverSeq)).toEqual(f.changes.map((x) => x.serverSeq));
    expect(f.changes.every((x) => x.hlc === undefined)).toBe(true);
    // Every column's clock comes back from the compact form, exactly.
    c.changes.forEach((x, i) => {
      expect(x.hlc, `${x.entity} ${x.id}`).not.toBeUndefined();
      expect(expandClocks(x.fields, x.hlc ?? null, x.clocks)).toEqual(f.changes[i]!.clocks);
      expect(x.fields).toEqual(f.changes[i]!.fields);
    });
    // The edited chart's phone names its own clock; its other columns share the registration's.
    const edit = c.changes.find((x) => x.entity === 'patient' && x.op === 'update')!;
    expect(Object.keys(edit.clocks)).toEqual([]);
    const bramInsert = c.changes.find((x) => x.entity === 'patient' && x.id === edit.id && x.op === 'insert')!;
    expect(bramInsert.clocks).toEqual({});
    expect(compact.text.length).toBeLessThan(full.text.length * 0.6);
  });

  it('refuses an unknown clocks form with a message saying what to send', async () => {
    const device = devices[0] ?? (await newDevice('Front desk PC'));
    const r = await rawPull(device, '&clocks=every-column');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'invalid_request', message: 'clocks must be "compact" or left out (every column\'s clock)' } });
  });

  it('a device asking for compact pages and one of an earlier version hold exactly the same rows and clocks', async () => {
    const now = await newDevice('Billing office PC');
    const older = await newDevice('Old reception PC');
    // The earlier version's request: no clocks=compact (nor own=echo, which came later still).
    const fullOnly: FetchLike = (url, init) => fetch(String(url).replace('&clocks=compact', '').replace('&own=echo', ''), init);
    const seen: string[] = [];
    const watch: FetchLike = (url, init) => {
      seen.push(String(url));
      return fetch(url, init);
    };
    expect((await clientFor(now.store, now, () => docId, { fetchImpl: watch }).syncOnce()).error).toBeNull();
    expect((await clientFor(older.store, older, () => docId, { fetchImpl: fullOnly }).syncOnce()).error).toBeNull();
    expect(seen.some((u) => u.includes('/sync/pull?') && u.includes('clocks=compact'))).toBe(true);
    const held = (r: Repos): unknown[] => [
      r.store.sqlite.prepare(`SELECT entity, entity_id, data, clocks FROM sync_state WHERE entity = 'patient' ORDER BY entity_id`).all(),
      r.store.sqlite.prepare('SELECT id, given_name, family_name, phone, version FROM patients ORDER BY id').all(),
    ];
    const [states, charts] = held(now) as [{ data: string; clocks: string }[], unknown[]];
    expect(charts).toHaveLength(3);
    expect(states).toHaveLength(3);
    expect(held(now)).toEqual(held(older));
    expect(now.patients.find('Okafor', 5)[0]?.phone).toBe('555-0142');
    // The device clock moved past every pulled clock: an edit made here now is later than all of them.
    let newest = '';
    for (const s of states)
      for (const c of Object.values(decodeStoredClocks(s.clocks, JSON.parse(s.data) as Record<string, string>))) if (c > newest) newest = c;
    const bram = now.patients.find('Okafor', 5)[0]!;
    now.patients.update({ id: bram.id, expectedVersion: now.patients.peek(bram.id).version, phone: '555-0199' }, { userId: docId });
    const mine = now.store.sqlite.prepare('SELECT hlc FROM sync_outbox ORDER BY seq DESC LIMIT 1').get() as { hlc: string };
    expect(mine.hlc > newest).toBe(true);
  });
});
