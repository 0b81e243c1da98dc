/**
 * Sync figures for `npm run bench`, against a real clinic server on loopback HTTP:
 * - sync.push.rows_per_s: 10,000 patient changes made offline, pushed (target ≥ 15,000/s), on
 *   PostgreSQL (127.0.0.1:5432) and on embedded PGlite with its data on disk as a clinic runs it;
 *   the key is the slower of the two, each also under its own key;
 * - sync.catchup_10k.s: the same catch-up as the device does it: push, then pull until up to date
 *   (its own changes come back in the log) (target ≤ 1 s);
 * - sync.roundtrip.p95_ms: one change on device A visible on device B (target ≤ 50 ms);
 * - sync.initial.rows_per_s: a new encrypted device pulls 1,000,000 rows (target ≥ 20,000/s).
 * The round trip and initial pull run on PostgreSQL when it is reachable, else on PGlite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer, type RunningServer } from '../../electron/server/server';
import { startCheckpointer } from '../../electron/services/db/checkpointer';
import { createDatabase, type Store } from '../../electron/services/db/open';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice, type SyncClient } from '../../electron/services/sync';
import type { SyncSummary } from '../../electron/services/sync/sync.client';
import { jsonbParam } from '../../electron/server/db/jsonb-param';
import type { ServerDb, ServerDbTarget } from '../../electron/server/db/open';
import { patientInput } from '../../shared/domain/patient';
import type { LatencyRow, Row } from './report';
import { pgliteDb, serverDb, signIn } from './server-db';

export interface SyncBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  latencyRow: LatencyRow;
  progress: (msg: string) => void;
  resourcesDir: string;
  /** Rows for the initial pull (1,000,000 by default). */
  initialRows: number;
}

const KDF = { N: 2 ** 14, r: 8, p: 1 };

const EMPTY: SyncSummary = { pushed: 0, pulled: 0, conflicts: 0, quarantined: 0, parked: 0, pending: 0, cursor: 0, error: null };
const CATCHUP = 10_000;

/**
 * The storage floor of a push: the rows the catch-up left on the clinic server (its log entries,
 * the rows they made and the device's audit entries) written again into empty tables of the same
 * shape (same indexes), by bare statements in the same batches (2,500 changes and their audit
 * entries a transaction), with the JSON parameters encoded before the clock starts, in jsonb's
 * binary form as the push sends them (db/jsonb-param.ts): no HTTP, no device, no checks, no merge.
 * What the server's database allows at most for those rows, beside the push figure.
 */
async function storageFloor(db: ServerDb, afterSeq: number, deviceId: string, afterAudit: number): Promise<number> {
  const changes = await db.query<Record<string, unknown>>(
    'SELECT server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, hlc, author_id FROM sync_changes WHERE server_seq > $1 ORDER BY server_seq',
    [afterSeq],
  );
  const rowsMade = await db.query<Record<string, unknown>>(
    'SELECT r.entity, r.entity_id, r.patient_id, r.data, r.clocks, r.hlc, r.server_seq FROM sync_rows r WHERE r.server_seq > $1 ORDER BY r.server_seq',
    [afterSeq],
  );
  const audit = await db.query<Record<string, unknown>>(
    'SELECT device_id, seq, at, user_id, action, patient_id, record_type, record_id, detail, prev_hash, hash, chain_ok FROM audit_entries WHERE device_id = $1 AND seq > $2 ORDER BY seq',
    [deviceId, afterAudit],
  );
  if (changes.length < CATCHUP) throw new Error(`push storage floor void: ${changes.length} log entries`);
  for (const sql of [
    'DROP TABLE IF EXISTS floor_changes, floor_rows, floor_audit',
    'CREATE TABLE floor_changes (LIKE sync_changes INCLUDING ALL)',
    'CREATE TABLE floor_rows (LIKE sync_rows INCLUDING ALL)',
    'CREATE TABLE floor_audit (LIKE audit_entries INCLUDING ALL)',
  ])
    await db.query(sql);
  const BATCH = 2500;
  const batches = Math.ceil(changes.length / BATCH);
  const slice = <T>(xs: T[], i: number): Buffer => jsonbParam(xs.slice(Math.floor((i * xs.length) / batches), Math.floor(((i + 1) * xs.length) / batches)));
  const params = Array.from({ length: batches }, (_, i) => [slice(changes, i), slice(rowsMade, i), slice(audit, i)] as const);
  const t0 = performance.now();
  for (const [c, r, a] of params) {
    await db.tx(async (q) => {
      await q.query(
        `INSERT INTO floor_changes (server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, hlc, author_id)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(server_seq bigint, device_id text, device_seq bigint, entity text, entity_id text, patient_id text, op text, fields jsonb, clocks jsonb, hlc text, author_id text)`,
        [c],
      );
      await q.query(
        `INSERT INTO floor_rows (entity, entity_id, patient_id, data, clocks, hlc, server_seq)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(entity text, entity_id text, patient_id text, data jsonb, clocks jsonb, hlc text, server_seq bigint)`,
        [r],
      );
      await q.query(
        `INSERT INTO floor_audit (device_id, seq, at, user_id, action, patient_id, record_type, record_id, detail, prev_hash, hash, chain_ok)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(device_id text, seq bigint, at text, user_id text, action text, patient_id text, record_type text, record_id text, detail text, prev_hash text, hash text, chain_ok boolean)`,
        [a],
      );
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM floor_changes');
  if (Number(n!.n) !== changes.length) throw new Error(`push storage floor void: ${n!.n} of ${changes.length} rows written`);
  await db.query('DROP TABLE floor_changes, floor_rows, floor_audit');
  return seconds;
}

/**
 * A day offline caught up: 10,000 registrations made while the server was away, then the push
 * (timed alone: rows per second) and the pull that brings the log up to date (with the push: the
 * catch-up). A warm-up of 1,000 first, as a device that has synced before.
 */
async function benchCatchup(
  c: SyncBenchContext,
  dir: string,
  db: { target: ServerDbTarget; label: string },
): Promise<{ pushPerS: number; catchupS: number; floorPerS: number }> {
  const server = await startServer({ target: db.target, resourcesDir: c.resourcesDir, port: 0 });
  try {
    const d = await device(dir, `catchup-${db.label.toLowerCase()}`, server, c.resourcesDir, true);
    // Its WAL checkpointed by a thread of its own, as the app's session does.
    const checkpointer = startCheckpointer(d.store);
    await checkpointer.ready;
    const adminId = d.repos.users.list()[0]!.id;
    const author = (
      await d.repos.users.create({ username: 'benchdoc', displayName: 'Bench Doctor', role: 'physician', password: 'bench cobalt fern 1' }, adminId)
    ).id;
    await signIn(d.store, 'benchadmin', 'bench orchid meadow 1');
    // The device's own batch size, as the app pushes.
    const client = clientFor(d.store, d.repos, () => author);
    await client.syncOnce();
    await signIn(d.store, 'benchdoc', 'bench cobalt fern 1');
    const offline = (n: number, tag: string): void => {
      for (let i = 0; i < n; i++)
        d.repos.patients.create(patientInput.parse({ givenName: `Offline${tag}${i}`, familyName: 'Catchup', birthDate: '1980-01-01' }), { userId: author });
    };
    offline(1000, 'W');
    const warm = await client.syncOnce();
    if (warm.error) throw new Error(`catch-up warm-up failed: ${warm.error.message}`);
    offline(CATCHUP, 'C');
    c.progress(`sync: ${CATCHUP.toLocaleString('en-US')} offline changes pushed to ${db.label}`);
    const summary = { ...EMPTY };
    const [before] = await server.db.query<{ n: number }>('SELECT n FROM sync_counter WHERE id = 1');
    const [auditBefore] = await server.db.query<{ n: number }>('SELECT coalesce(max(seq), 0)::int AS n FROM audit_entries WHERE device_id = $1', [
      d.store.deviceId,
    ]);
    const t0 = performance.now();
    const held = await client.pushAll(summary);
    const t1 = performance.now();
    await client.pullAll(summary);
    const t2 = performance.now();
    if (held || summary.pushed !== CATCHUP || summary.quarantined > 0 || client.pendingCount() > 0)
      throw new Error(`catch-up push to ${db.label} void: ${summary.pushed} pushed, ${summary.quarantined} refused, ${held?.message ?? ''}`);
    const server10k = Number(
      (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'patient' AND data->>'given_name' LIKE 'OfflineC%'"))[0]!
        .n,
    );
    if (server10k !== CATCHUP) throw new Error(`catch-up push to ${db.label} void: the server holds ${server10k} of ${CATCHUP}`);
    await checkpointer.stop();
    d.store.close();
    const floorS = await storageFloor(server.db, Number(before!.n), d.store.deviceId, Number(auditBefore!.n));
    return { pushPerS: CATCHUP / ((t1 - t0) / 1000), catchupS: (t2 - t0) / 1000, floorPerS: CATCHUP / floorS };
  } finally {
    await server.close();
  }
}

/** An enrolled device; the clinic's first one (`first`) brings the administrator account. */
async function device(dir: string, name: string, server: RunningServer, resourcesDir: string, first = name === 'a'): Promise<{ store: Store; repos: Repos }> {
  const { store } = await createDatabase(join(dir, `${name}.cairn`), `bench ${name} passphrase`, { resourcesDir, kdf: KDF });
  const repos = createRepos(store);
  if (first) await repos.users.create({ username: 'benchadmin', displayName: 'Bench Admin', role: 'admin', password: 'bench orchid meadow 1' }, null);
  const { code } = await server.sync.createEnrollmentCode(name);
  await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: name });
  return { store, repos };
}

/** Fills the change log straight in SQL: patients, then observations of them (what a clinic's history is mostly made of). */
async function seedLog(server: RunningServer, total: number, authorId: string): Promise<void> {
  const patients = Math.max(1, Math.floor(total / 1000));
  const observations = total - patients;
  const hlc = `${String(Date.now()).padStart(15, '0')}.00000.bench`;
  await server.db.query(
    `WITH p AS (
       SELECT g, '01900000-0000-7000-8000-' || lpad(to_hex(g), 12, '0') AS id FROM generate_series(1, $1::int) g
     ), d AS (
       SELECT g, id, jsonb_build_object('id', id, 'mrn', (9000000 + g)::text, 'given_name', 'Bench', 'family_name', 'Patient' || g, 'birth_date', '1970-01-01',
         'sex', 'unknown', 'identifiers', '[]', 'restricted', 0, 'created_at', '2026-01-01T00:00:00.000Z', 'created_by', $2::text,
         'updated_at', '2026-01-01T00:00:00.000Z', 'updated_by', $2::text) AS data FROM p
     )
     INSERT INTO sync_changes (server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, author_id)
     SELECT g, NULL, NULL, 'patient', id, id, 'insert', data, (SELECT jsonb_object_agg(k, $3::text) FROM jsonb_object_keys(data) k), $2 FROM d`,
    [patients, authorId, hlc],
  );
  const chunk = 100_000;
  for (let start = 0; start < observations; start += chunk) {
    const n = Math.min(chunk, observations - start);
    await server.db.query(
      `WITH o AS (SELECT g, $1::int + g AS seq FROM generate_series(1, $2::int) g),
       d AS (
         SELECT seq, '01900000-0000-7000-9000-' || lpad(to_hex(seq), 12, '0') AS id,
           '01900000-0000-7000-8000-' || lpad(to_hex(1 + seq % $3::int), 12, '0') AS pid FROM o
       )
       INSERT INTO sync_changes (server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, author_id)
       SELECT seq, NULL, NULL, 'observation', id, pid, 'insert',
         jsonb_build_object('id', id, 'patient_id', pid, 'category', 'vital-signs', 'loinc', '8867-4', 'display', 'Heart rate', 'value_num', 60 + seq % 40,
           'unit', '/min', 'status', 'final', 'effective_at', '2026-01-01T00:00:00.000Z', 'created_at', '2026-01-01T00:00:00.000Z', 'created_by', $4::text,
           'updated_at', '2026-01-01T00:00:00.000Z', 'updated_by', $4::text),
         jsonb_build_object('id', $5::text), $4 FROM d`,
      [patients + start, n, patients, authorId, hlc],
    );
  }
  await server.db.query('UPDATE sync_counter SET n = $1 WHERE id = 1', [total]);
}

/** The figures of the catch-ups, per server and the slower of them as the headline keys. */
function reportCatchups(c: SyncBenchContext, catchups: { label: string; pushPerS: number; catchupS: number; floorPerS: number }[]): void {
  const keyOf = (label: string): string => (label === 'PostgreSQL' ? 'pg' : 'pglite');
  for (const k of catchups) {
    c.rows.push({
      label: `sync.push.${keyOf(k.label)}`,
      median: k.pushPerS,
      p95: null,
      n: CATCHUP,
      unit: '/s',
      target: '≥ 15,000/s',
      pass: k.pushPerS >= 15_000,
      note: `${CATCHUP.toLocaleString('en-US')} offline registrations pushed (the device's batches of 2,500, two on their way at a time) to ${k.label} over loopback HTTP`,
    });
    c.json[`sync.push.${keyOf(k.label)}.rows_per_s`] = Math.round(k.pushPerS);
    c.rows.push({
      label: `sync.push.${keyOf(k.label)}.storage_floor`,
      median: k.floorPerS,
      p95: null,
      n: CATCHUP,
      unit: '/s',
      target: '',
      pass: null,
      note: `the same log entries, rows and audit entries written again by bare statements into empty tables of the same shape on ${k.label}, same batches: the most that database allows for them here (info)`,
    });
    c.json[`sync.push.${keyOf(k.label)}.storage_floor_rows_per_s`] = Math.round(k.floorPerS);
  }
  const slowest = catchups.reduce((a, b) => (b.pushPerS < a.pushPerS ? b : a));
  c.json['sync.push.rows_per_s'] = Math.round(slowest.pushPerS);
  const longest = catchups.reduce((a, b) => (b.catchupS > a.catchupS ? b : a));
  c.rows.push({
    label: 'sync.catchup_10k',
    median: longest.catchupS * 1000,
    p95: null,
    n: 1,
    unit: 'ms',
    target: '≤ 1 s',
    pass: longest.catchupS <= 1,
    note: `push + pull until up to date, slowest server (${catchups.map((k) => `${k.label} ${k.catchupS.toFixed(2)} s`).join(', ')})`,
  });
  c.json['sync.catchup_10k.s'] = Math.round(longest.catchupS * 1000) / 1000;
  // What the catch-up cannot go below on that server: its push's storage floor alone (the pull adds to it).
  const floorS = CATCHUP / longest.floorPerS;
  c.rows.push({
    label: 'sync.catchup_10k.storage_floor',
    median: floorS * 1000,
    p95: null,
    n: 1,
    unit: 'ms',
    target: '',
    pass: null,
    note: `the ${longest.label} push's storage floor for the same ${CATCHUP.toLocaleString('en-US')} changes alone, without the pull: no catch-up on this database here is shorter (info)`,
  });
  c.json['sync.catchup_10k.storage_floor_s'] = Math.round(floorS * 1000) / 1000;
  for (const k of catchups) c.json[`sync.catchup_10k.${keyOf(k.label)}.s`] = Math.round(k.catchupS * 1000) / 1000;
}

export async function benchSync(c: SyncBenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-sync-bench-'));
  // Catch-up on each kind of clinic server (PostgreSQL only when it is reachable), each on its own new database.
  const catchups: { label: string; pushPerS: number; catchupS: number; floorPerS: number }[] = [];
  const first = await serverDb('catchup');
  for (const d of first.label === 'PGlite' ? [first] : [first, pgliteDb()]) {
    try {
      catchups.push({ label: d.label, ...(await benchCatchup(c, dir, d)) });
    } finally {
      await d.drop();
    }
  }
  reportCatchups(c, catchups);
  const db = await serverDb('sync');
  const server = await startServer({ target: db.target, resourcesDir: c.resourcesDir, port: 0 });
  try {
    c.progress(`sync: clinic server on ${db.label}, loopback HTTP`);
    const a = await device(dir, 'a', server, c.resourcesDir);
    const adminId = a.repos.users.list()[0]!.id;
    const author = (
      await a.repos.users.create({ username: 'benchdoc', displayName: 'Bench Doctor', role: 'physician', password: 'bench cobalt fern 1' }, adminId)
    ).id;
    await signIn(a.store, 'benchadmin', 'bench orchid meadow 1');
    const syncA = clientFor(a.store, a.repos, () => author, { pushBatch: 1000 });
    await syncA.syncOnce();
    await signIn(a.store, 'benchdoc', 'bench cobalt fern 1');

    // Round trip: a change on A visible on B.
    const b = await device(dir, 'b', server, c.resourcesDir);
    await signIn(b.store, 'benchdoc', 'bench cobalt fern 1');
    const syncB: SyncClient = clientFor(b.store, b.repos, () => author, { pullPage: 5000 });
    await syncB.syncOnce();
    const trips: number[] = [];
    const p = a.repos.patients.create(patientInput.parse({ givenName: 'Round', familyName: 'Trip', birthDate: '1990-01-01' }), { userId: author });
    await syncA.syncOnce();
    await syncB.syncOnce();
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      const cur = a.repos.patients.peek(p.id);
      a.repos.patients.update({ id: p.id, expectedVersion: cur.version, phone: `555-${String(i).padStart(4, '0')}` }, { userId: author });
      await syncA.pushAll({ ...EMPTY });
      await syncB.pullAll({ ...EMPTY });
      if (b.repos.patients.peek(p.id).phone !== `555-${String(i).padStart(4, '0')}`) throw new Error('round trip did not arrive');
      trips.push(performance.now() - t0);
    }
    c.latencyRow('sync.roundtrip', trips, `write on A → push → pull on B → visible; loopback HTTP, ${db.label}`, 50);

    // Initial pull: a new device takes the clinic's history.
    c.progress(`sync: seeding ${c.initialRows.toLocaleString('en-US')} rows in the change log`);
    await server.db.query('TRUNCATE sync_changes');
    await server.db.query("DELETE FROM sync_rows WHERE entity <> 'user'");
    await seedLog(server, c.initialRows, author);
    const fresh = await device(dir, 'fresh', server, c.resourcesDir);
    await signIn(fresh.store, 'benchdoc', 'bench cobalt fern 1');
    const head = Number((await server.db.query<{ n: number }>('SELECT n FROM sync_counter'))[0]!.n);
    fresh.store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('sync.cursor', '0') ON CONFLICT(key) DO UPDATE SET value = '0'").run();
    const syncFresh = clientFor(fresh.store, fresh.repos, () => author, { pullPage: 5000 });
    c.progress('sync: initial pull into an encrypted device');
    const t0 = performance.now();
    const s = await syncFresh.syncOnce();
    const seconds = (performance.now() - t0) / 1000;
    if (s.error) throw new Error(`initial pull failed: ${s.error.message}`);
    const got = (fresh.store.sqlite.prepare('SELECT (SELECT count(*) FROM observations) + (SELECT count(*) FROM patients) AS n').get() as { n: number }).n;
    if (got < c.initialRows) throw new Error(`initial pull brought ${got} of ${c.initialRows} rows`);
    const perSecond = s.pulled / seconds;
    c.rows.push({
      label: 'sync.initial.rows_per_s',
      median: perSecond,
      p95: null,
      n: s.pulled,
      unit: '/s',
      target: '≥ 20,000/s',
      pass: perSecond >= 20_000,
      note: `${s.pulled.toLocaleString('en-US')} rows (head ${head}) in ${seconds.toFixed(1)} s into an encrypted device, pages of 5,000; indexes of write-once tables built once at the end`,
    });
    c.json['sync.initial.rows_per_s'] = Math.round(perSecond);
    for (const d of [a, b, fresh]) d.store.close();
  } finally {
    await server.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
