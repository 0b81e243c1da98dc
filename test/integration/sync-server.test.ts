import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput } from '../../shared/domain/patient';
import { type Repos } from '../../electron/services/repos';
import { clientFor, HttpTransport, userSessionTokens, type SyncClient } from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync/transport';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { PullApplier } from '../../electron/services/sync/pull-applier';
import { openClinic, type Clinic } from '../helpers/clinic';
import { startTestServer, type Backend } from '../helpers/sync-server';
import { enrollWithClinicUsers, joinEmptyDevice } from '../helpers/two-devices';
import { tempDir } from '../helpers/temp-db';

const HOUR = 3_600_000;

describe.each<Backend>(['pglite', 'postgres'])('clinic server on %s: two devices', (backend) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dirs: (() => void)[] = [];
  let a: Clinic;
  let aRepos: Repos;
  let b: Repos;
  let skewB = 0;
  let syncA: SyncClient;
  let syncB: SyncClient;
  let docId: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const da = tempDir();
    const db = tempDir();
    dirs.push(da.cleanup, db.cleanup);
    a = await openClinic(da.dir);
    aRepos = a.session.repos;
    docId = aRepos.users.list().find((u) => u.username === 'drhouse')!.id;
    // Device A also takes lab results straight from HL7 (as `cairn hl7 listen` on it would): an operator device.
    await enrollWithClinicUsers(server, aRepos, 'Exam room laptop', { operator: true });
    syncA = clientFor(aRepos.store, aRepos, () => docId);
    // Device B joins the clinic: an empty encrypted database that gets its users from the server.
    b = (await joinEmptyDevice(server, db.dir, 'Front desk PC', { now: () => new Date(Date.now() + skewB) })).repos;
    syncB = clientFor(b.store, b, () => docId);
  });

  afterAll(async () => {
    b?.store.close();
    a?.session.logout();
    await server?.stop();
    dirs.forEach((d) => d());
  });

  it('a patient registered on one device arrives on the other with its problem list', async () => {
    const p = await a.ok<{ id: string }>('patients.create', {
      givenName: 'Mirela',
      familyName: 'Quennell',
      birthDate: '1961-04-02',
      sex: 'female',
      phone: '555-0101',
    });
    const first = await syncA.syncOnce();
    expect(first.error).toBeNull();
    expect(first.pushed).toBeGreaterThanOrEqual(1);
    const pulled = await syncB.syncOnce();
    expect(pulled.error).toBeNull();
    expect(b.patients.peek(p.id).familyName).toBe('Quennell');
    // Users came over too: the physician can sign in on the new device.
    expect(
      b.users
        .list()
        .map((u) => u.username)
        .sort(),
    ).toEqual(['admin', 'drhouse']);
  });

  it('a written-once row (a vital sign) travels as stored: its outbox entry keeps no copy, the other device gets every column', async () => {
    const p = await a.ok<{ id: string }>('patients.create', { givenName: 'Ilse', familyName: 'Varga', birthDate: '1950-05-05', sex: 'female' });
    const [reading] = await a.ok<{ id: string }[]>('vitals.record', {
      patientId: p.id,
      takenAt: '2026-11-25T08:30:00Z',
      units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
      heartRate: 71,
    });
    const entry = aRepos.store.sqlite.prepare("SELECT payload FROM sync_outbox WHERE entity = 'observation' AND entity_id = ?").get(reading!.id) as {
      payload: string;
    };
    expect(entry.payload).toBe('');
    expect((await syncA.syncOnce()).error).toBeNull();
    expect((await syncB.syncOnce()).error).toBeNull();
    const cols = 'id, patient_id, category, loinc, value_num, unit, status, effective_at, created_at, created_by';
    const there = b.store.sqlite.prepare(`SELECT ${cols} FROM observations WHERE id = ?`).get(reading!.id);
    expect(there).toEqual(aRepos.store.sqlite.prepare(`SELECT ${cols} FROM observations WHERE id = ?`).get(reading!.id));
    expect(there).toMatchObject({ value_num: 71, loinc: '8867-4' });
  });

  it("a lab result reaches the other device with the lab's comments and order numbers; the message it came in stays here", async () => {
    const p = await a.ok<{ id: string; mrn: string }>('patients.create', { givenName: 'Oskar', familyName: 'Lund', birthDate: '1948-02-02', sex: 'male' });
    const oru = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|SYNC-N1|P|2.5.1',
      `PID|1||${p.mrn}^^^^MR||Lund^Oskar||19480202|M`,
      'OBR|1|PL-77^CAIRN^1.2.3^ISO|FI-77^ACME|24323-8^Metabolic panel^LN',
      'NTE|1|L|Received 6 hours after collection',
      'OBX|1|NM|2823-3^Potassium^LN||6.1|mmol/L|3.5-5.1|H|||F|||20260301080000+0000',
      'NTE|1|L|Specimen hemolyzed',
    ].join('\r');
    expect(new Hl7Ingest(aRepos).receive(oru, 'sync-test')).toMatchObject({ ack: 'AA', patientId: p.id, results: 1 });
    expect((await syncA.syncOnce()).error).toBeNull();
    expect((await syncB.syncOnce()).error).toBeNull();
    const cols = 'lab_notes, lab_order_notes, lab_placer_number, lab_filler_number, lab_order_code, lab_order_display, lab_result_key, value_num';
    const here = aRepos.store.sqlite.prepare(`SELECT ${cols}, lab_message_id FROM observations WHERE patient_id = ?`).get(p.id) as Record<string, unknown>;
    const there = b.store.sqlite.prepare(`SELECT ${cols}, lab_message_id FROM observations WHERE patient_id = ?`).get(p.id) as Record<string, unknown>;
    expect(there).toEqual({ ...here, lab_message_id: null });
    expect(there).toMatchObject({
      lab_notes: '["Specimen hemolyzed"]',
      lab_order_notes: '["Received 6 hours after collection"]',
      lab_placer_number: 'PL-77^CAIRN^1.2.3^ISO',
      value_num: 6.1,
    });
    expect(here['lab_message_id']).toEqual(expect.any(String));
  });

  it('audit entries reach the server append-only, each device chain checked on arrival', async () => {
    await a.ok('patients.search', { query: 'quenn' });
    expect((await syncA.syncOnce()).error).toBeNull();
    const local = (aRepos.store.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const held = await server.db.query<{ n: number; broken: number }>(
      'SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT chain_ok)::int AS broken FROM audit_entries WHERE device_id = $1',
      [aRepos.store.deviceId],
    );
    expect(held[0]).toEqual({ n: local, broken: 0 });
    const actions = (await server.db.query<{ action: string }>('SELECT action FROM audit_entries WHERE device_id = $1', [aRepos.store.deviceId])).map(
      (r) => r.action,
    );
    expect(actions).toContain('patient.search');
    await expect(server.db.query('UPDATE audit_entries SET action = $1 WHERE device_id = $2', ['tampered', aRepos.store.deviceId])).rejects.toThrow(
      /append-only/,
    );
    await expect(server.db.query('DELETE FROM audit_entries WHERE device_id = $1', [aRepos.store.deviceId])).rejects.toThrow(/append-only/);
  });

  it('two devices changing the same field while apart keep both values in a conflict record', async () => {
    const p = await a.ok<{ id: string; version: number }>('patients.create', {
      givenName: 'Tomas',
      familyName: 'Ferreira-Lind',
      birthDate: '1990-01-15',
      sex: 'male',
      phone: '555-0200',
    });
    await syncA.syncOnce();
    await syncB.syncOnce();
    const docB = { userId: docId };
    const current = await a.ok<{ version: number }>('patients.get', { id: p.id });
    await a.ok('patients.update', { id: p.id, expectedVersion: current.version, phone: '555-1111' });
    b.patients.update({ id: p.id, expectedVersion: b.patients.peek(p.id).version, phone: '555-2222' }, docB);
    await syncA.syncOnce();
    const sb = await syncB.syncOnce();
    expect(sb.conflicts).toBe(1);
    await syncA.syncOnce();
    const phoneA = aRepos.patients.peek(p.id).phone;
    expect(b.patients.peek(p.id).phone).toBe(phoneA);
    const conflicts = aRepos.store.sqlite.prepare("SELECT * FROM sync_conflicts WHERE entity_id = ? AND field = 'phone'").all(p.id) as {
      values: string;
      status: string;
    }[];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.status).toBe('open');
    expect((JSON.parse(conflicts[0]!.values) as { value: string }[]).map((v) => v.value).sort()).toEqual(['555-1111', '555-2222']);
  });

  it('a device whose clock runs a day ahead is refused clearly, then syncs once the clock is fixed', async () => {
    skewB = 24 * HOUR;
    const p = b.patients.create(patientInput.parse({ givenName: 'Oona', familyName: 'Vaszary', birthDate: '2001-07-07', sex: 'female' }), { userId: docId });
    const refused = await syncB.syncOnce();
    expect(refused.error?.code).toBe('clock_ahead');
    expect(refused.error?.message).toMatch(/24 hours ahead/);
    expect(refused.pending).toBeGreaterThanOrEqual(1);
    skewB = 0;
    const ok = await syncB.syncOnce();
    expect(ok.error).toBeNull();
    expect(ok.pending).toBe(0);
    await syncA.syncOnce();
    expect(aRepos.patients.peek(p.id).familyName).toBe('Vaszary');
  });

  it('a clock 10 minutes behind is accepted; 10 minutes ahead is refused until it is fixed, with no wedge', async () => {
    skewB = -10 * 60_000;
    b.patients.create(patientInput.parse({ givenName: 'Ilse', familyName: 'Behind', birthDate: '1955-05-05', sex: 'female' }), { userId: docId });
    expect((await syncB.syncOnce()).error).toBeNull();
    skewB = 10 * 60_000;
    b.patients.create(patientInput.parse({ givenName: 'Arno', familyName: 'Ahead', birthDate: '1956-06-06', sex: 'male' }), { userId: docId });
    const clockBefore = b.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.hlc'").get();
    const refused = await syncB.syncOnce();
    expect(refused.error?.code).toBe('clock_ahead');
    expect(refused.error?.message).toMatch(/10 minutes ahead/);
    // A refused batch leaves the device's clock as it was.
    expect(b.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.hlc'").get()).toEqual(clockBefore);
    skewB = 0;
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(b.outbox.pending()).toBe(0);
  });

  it('a change the server refuses (role) is quarantined with its reason, not dropped', async () => {
    const p = b.patients.create(patientInput.parse({ givenName: 'Quin', familyName: 'Tine', birthDate: '1977-07-07', sex: 'male' }), { userId: docId });
    const adminId = b.users.list().find((u) => u.username === 'admin')!.id;
    b.allergies.add({ kind: 'allergy', patientId: p.id, substance: 'latex', substanceType: 'environment', reactions: [], criticality: 'low' } as never, {
      userId: adminId,
    });
    const r = await syncB.syncOnce();
    expect(r.error).toBeNull();
    expect(r.quarantined).toBe(1);
    const q = b.store.sqlite.prepare('SELECT entity, quarantined_reason FROM sync_outbox WHERE quarantined_at IS NOT NULL').all() as {
      entity: string;
      quarantined_reason: string;
    }[];
    expect(q.map((x) => x.entity)).toEqual(['allergy']);
    expect(q[0]!.quarantined_reason).toMatch(/^forbidden: an? admin may not change allergy records/);
    expect(b.outbox.pending()).toBe(0);
  });

  it('a pulled change for a column this version does not know is parked, then replayed after an upgrade', async () => {
    const older = new PullApplier(
      b.store.sqlite,
      b.rowAccess,
      b.clock,
      (e) => new Set([...b.rowAccess.columnsOf(e)].filter((c) => c !== 'preferred_language')),
    );
    const p = await a.ok<{ id: string; version: number }>('patients.create', {
      givenName: 'Nadia',
      familyName: 'Parkes',
      birthDate: '1988-08-08',
      sex: 'female',
      preferredLanguage: 'pt',
    });
    await syncA.syncOnce();
    const deviceToken = (b.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
    const page = await new HttpTransport(
      server.url,
      deviceToken,
      () => docId,
      undefined,
      () => userSessionTokens(b.store.sqlite),
    ).pull(syncB.cursor(), 100);
    const counts = older.applyPage(page.changes, page.cursor, (n) =>
      b.store.sqlite.prepare("UPDATE meta SET value = ? WHERE key = 'sync.cursor'").run(String(n)),
    );
    expect(counts.parked).toBeGreaterThanOrEqual(1);
    expect(() => b.patients.peek(p.id)).toThrow(/no patient/);
    expect((b.store.sqlite.prepare('SELECT reason FROM sync_parked').get() as { reason: string }).reason).toMatch(
      /preferred_language of patient need a newer version/,
    );
    // "Upgraded": the normal applier knows the column, and the next sync replays what was parked.
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(b.patients.peek(p.id).preferredLanguage).toBe('pt');
    expect((b.store.sqlite.prepare('SELECT count(*) AS n FROM sync_parked').get() as { n: number }).n).toBe(0);
  });

  it('indexes deferred for a long first pull come back, even after a crash before the end', () => {
    const indexes = (): string[] =>
      (
        b.store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'observations' AND sql IS NOT NULL ORDER BY name").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
    const before = indexes();
    expect(before.length).toBeGreaterThanOrEqual(2);
    new PullApplier(b.store.sqlite, b.rowAccess, b.clock).deferIndexes();
    expect(indexes()).toEqual([]);
    // "Crash": a new applier (as after a restart) finds the remembered definitions and rebuilds them.
    new PullApplier(b.store.sqlite, b.rowAccess, b.clock).restoreIndexes();
    expect(indexes()).toEqual(before);
    expect(b.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.deferred_indexes'").get()).toBeUndefined();
  });

  it('refuses a body over 64 MiB with 413 and a message to send smaller batches, while reads need no body check', async () => {
    const r = await fetch(`${server.url}/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(64 * 1024 * 1024 + 1),
    });
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'too_large',
      message: 'the request body is larger than 64 MiB; send it in smaller batches',
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('each pushed change is marked with the server sequence that logged it, also when an answer mixes changes sent again with new ones', async () => {
    const small = clientFor(aRepos.store, aRepos, () => docId, { pushBatch: 7 });
    const register = async (n: number, tag: string): Promise<void> => {
      for (let i = 0; i < n; i++) await a.ok('patients.create', { givenName: `${tag}${i}`, familyName: 'Sequenced', birthDate: '1970-07-07', sex: 'female' });
    };
    await register(10, 'First');
    expect((await small.syncOnce()).error).toBeNull();
    const { sqlite, deviceId } = aRepos.store;
    const last10 = (sqlite.prepare('SELECT seq FROM sync_outbox WHERE device_id = ? ORDER BY seq DESC LIMIT 10').all(deviceId) as { seq: number }[])
      .map((r) => r.seq)
      .reverse();
    // As if the device had been killed before recording answers: five changes it sent come round
    // again, in three runs, and the server answers them with the sequences it logged them under,
    // beside five new changes it logs now.
    const forgotten = [last10[2]!, last10[3]!, last10[6]!, last10[7]!, last10[9]!];
    sqlite.prepare(`UPDATE sync_outbox SET pushed_at = NULL, server_seq = NULL WHERE device_id = ? AND seq IN (${forgotten.join(', ')})`).run(deviceId);
    // Another device's change is logged in between: the last change sent again and the first new one
    // have consecutive sequences on this device but not on the server.
    b.patients.create(patientInput.parse({ givenName: 'Between', familyName: 'Sequenced', birthDate: '1970-07-07' }), { userId: docId });
    expect((await syncB.syncOnce()).error).toBeNull();
    await register(5, 'Second');
    const s = await small.syncOnce();
    expect(s.error).toBeNull();
    expect(s.pending).toBe(0);
    const device = sqlite
      .prepare('SELECT seq, server_seq AS serverSeq FROM sync_outbox WHERE device_id = ? AND seq >= ? ORDER BY seq')
      .all(deviceId, last10[0]) as {
      seq: number;
      serverSeq: number;
    }[];
    const logged = new Map(
      (
        await server.db.query<{ device_seq: number; server_seq: number }>(
          'SELECT device_seq, server_seq FROM sync_changes WHERE device_id = $1 AND device_seq >= $2',
          [deviceId, last10[0]],
        )
      ).map((r) => [Number(r.device_seq), Number(r.server_seq)]),
    );
    expect(device.length).toBeGreaterThanOrEqual(15);
    expect(device.map((r) => [r.seq, r.serverSeq])).toEqual(device.map((r) => [r.seq, logged.get(r.seq)]));
    // The changes sent again kept their first sequences: the new ones came after, not consecutive with them.
    expect(Math.max(...forgotten.map((f) => logged.get(f)!))).toBeLessThan(Math.min(...device.filter((r) => r.seq > last10[9]!).map((r) => r.serverSeq)));
  });

  it('a catch-up has two batches on their way at once; one that overtakes the batch ahead of it is refused as a gap and sent again, nothing lost or applied twice', async () => {
    const { sqlite, deviceId } = aRepos.store;
    expect((await syncA.syncOnce()).error).toBeNull();
    for (let i = 0; i < 20; i++) await a.ok('patients.create', { givenName: `Offline${i}`, familyName: 'Overtaken', birthDate: '1966-06-06', sex: 'male' });
    const before = Number((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_changes WHERE device_id = $1', [deviceId]))[0]!.n);
    // The network holds the first batch back until the second has been answered, so the second reaches the server first.
    const sent: number[][] = [];
    let onWay = 0;
    let mostOnWay = 0;
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const answers: number[] = [];
    const reordering: FetchLike = async (url, init) => {
      if (!url.includes('/sync/push')) return fetch(url, init);
      const nth = sent.push((JSON.parse(init.body!) as { mutations: { seq: number }[] }).mutations.map((m) => m.seq)) - 1;
      onWay++;
      mostOnWay = Math.max(mostOnWay, onWay);
      try {
        if (nth === 0) await firstHeld;
        const res = await fetch(url, init);
        answers.push(res.status);
        if (nth === 1) releaseFirst();
        return res;
      } finally {
        onWay--;
      }
    };
    const s = await clientFor(aRepos.store, aRepos, () => docId, { pushBatch: 10, fetchImpl: reordering }).syncOnce();
    expect(s.error).toBeNull();
    expect(s.pushed).toBe(20);
    expect(mostOnWay).toBe(2);
    // The second batch was refused (409, a gap) and sent again after the first; then all were applied once, in order.
    expect(answers).toEqual([409, 200, 200]);
    expect(sent.map((seqs) => seqs.length)).toEqual([10, 10, 10]);
    expect(sent[2]).toEqual(sent[1]);
    const logged = await server.db.query<{ device_seq: number; server_seq: number }>(
      'SELECT device_seq, server_seq FROM sync_changes WHERE device_id = $1 ORDER BY server_seq OFFSET $2',
      [deviceId, before],
    );
    expect(logged.map((r) => Number(r.device_seq))).toEqual([...sent[0]!, ...sent[1]!]);
    const marked = sqlite.prepare('SELECT count(*) AS n FROM sync_outbox WHERE device_id = ? AND pushed_at IS NULL').get(deviceId) as { n: number };
    expect(marked.n).toBe(0);
  });

  it("the server takes a device's pushes in the order they arrive, though the body of the first is still on its way when the second is read", async () => {
    const { deviceId } = aRepos.store;
    expect((await syncA.syncOnce()).error).toBeNull();
    for (let i = 0; i < 20; i++) await a.ok('patients.create', { givenName: `Slow${i}`, familyName: 'Trickle', birthDate: '1967-07-07', sex: 'female' });
    const before = Number((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_changes WHERE device_id = $1', [deviceId]))[0]!.n);
    const answers: number[] = [];
    let pushes = 0;
    // The first push's body arrives in two parts, 300 ms apart; the second push arrives whole in between.
    const trickling: FetchLike = async (url, init) => {
      if (!url.includes('/sync/push')) return fetch(url, init);
      const nth = pushes++;
      const body = Buffer.from(init.body!);
      const out = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', headers: { ...init.headers, 'content-length': String(body.length) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        if (nth !== 0) return void req.end(body);
        req.write(body.subarray(0, body.length >> 1));
        setTimeout(() => req.end(body.subarray(body.length >> 1)), 300);
      });
      answers.push(out.status);
      return { status: out.status, text: () => Promise.resolve(out.text) };
    };
    const s = await clientFor(aRepos.store, aRepos, () => docId, { pushBatch: 10, fetchImpl: trickling }).syncOnce();
    expect(s.error).toBeNull();
    expect(s.pushed).toBe(20);
    expect(answers).toEqual([200, 200]);
    const logged = await server.db.query<{ device_seq: number }>('SELECT device_seq FROM sync_changes WHERE device_id = $1 ORDER BY server_seq OFFSET $2', [
      deviceId,
      before,
    ]);
    const seqs = logged.map((r) => Number(r.device_seq));
    expect(seqs).toHaveLength(20);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('a revoked device is stopped at once', async () => {
    await server.sync.revoke(b.store.deviceId);
    const r = await syncB.syncOnce();
    expect(r.error?.code).toBe('device_revoked');
    expect(r.error?.message).toMatch(/revoked/);
  });
});
