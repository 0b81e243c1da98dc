/**
 * The sync peer for `npm run bench`: PouchDB + express-pouchdb (the replication engine HospitalRun runs on) over
 * loopback HTTP in this process, measured in the same run as Cairn's own sync figures (issue #25: Cairn must push
 * ≥ 7× this peer). Both sides store in leveldb on disk (PouchDB's Node engine), a server database and a device one.
 * - sync.push.peer_rows_per_s: 10,000 patient documents written on the device offline, then `replicate.to` the server;
 * - sync.pull.peer_rows_per_s: a new device `replicate.from` a server holding N patient and observation documents.
 * Replication uses PouchDB's defaults (batch_size 100, batches_limit 10), as HospitalRun does (`sync({ live, retry })`).
 * Documents carry the fields of Cairn's patient and observation rows (~450 bytes of JSON each), without Cairn's per-field clocks.
 * Information rows only: they have no target of their own.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import { v7 } from 'uuid';
import type { Row } from './report';

export interface SyncPeerBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  progress: (msg: string) => void;
  /** Documents the server holds for the pull (100,000 by default; the peer pulls ~4,000/s here). */
  peerPullRows?: number;
  /** Documents pushed (10,000 by default, as sync.catchup_10k). */
  peerPushRows?: number;
}

// 'minimumForPouchDB' is the mode express-pouchdb offers for "an HTTP API to replicate with": the routes that map to
// PouchDB's API and nothing else. pouchdb-server's default, 'fullCouchDB', adds auth, validation and a request log to a
// file, and measured ~20-30% slower here; the lighter mode keeps the peer at its fastest, so a ratio against it is not
// flattered. The log path is set anyway so that no mode ever writes log.txt into the working directory.
const SERVER_MODE = 'minimumForPouchDB';
const SEED_CHUNK = 5000;
const STAMP = '2026-01-01T00:00:00.000Z';

/** A patient as Cairn's sync log carries it (the fields of seedLog in sync.bench.ts), as a CouchDB document. */
function patientDoc(i: number, author: string): { _id: string; [k: string]: unknown } {
  return {
    _id: v7(),
    type: 'patient',
    mrn: String(9_000_000 + i),
    given_name: `Offline${i}`,
    family_name: 'Catchup',
    birth_date: '1980-01-01',
    sex: 'unknown',
    identifiers: [{ system: 'urn:cairn:mrn', value: String(9_000_000 + i) }],
    restricted: 0,
    created_at: STAMP,
    created_by: author,
    updated_at: STAMP,
    updated_by: author,
  };
}

function observationDoc(i: number, patientId: string, author: string): { _id: string; [k: string]: unknown } {
  return {
    _id: v7(),
    type: 'observation',
    patient_id: patientId,
    category: 'vital-signs',
    loinc: '8867-4',
    display: 'Heart rate',
    value_num: 60 + (i % 40),
    unit: '/min',
    status: 'final',
    effective_at: STAMP,
    created_at: STAMP,
    created_by: author,
    updated_at: STAMP,
    updated_by: author,
  };
}

/** Writes `total` documents in chunks, failing on the first document PouchDB refuses (a short seed would flatter the peer). */
async function seed(db: PouchDB, total: number, make: (i: number) => { _id: string; [k: string]: unknown }): Promise<void> {
  for (let start = 0; start < total; start += SEED_CHUNK) {
    const docs = Array.from({ length: Math.min(SEED_CHUNK, total - start) }, (_, k) => make(start + k));
    const res = await db.bulkDocs(docs);
    const bad = res.find((r) => r.error);
    if (bad) throw new Error(`PouchDB refused seed document ${bad.id ?? '?'}: ${bad.error} ${bad.reason ?? ''}`);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function peerRow(label: string, rows: number, seconds: number, note: string): Row {
  return { label, median: rows / seconds, p95: null, n: rows, unit: '/s', target: '', pass: null, note };
}

export async function benchSyncPeer(c: SyncPeerBenchContext): Promise<void> {
  const pullRows = c.peerPullRows ?? 100_000;
  const pushRows = c.peerPushRows ?? 10_000;
  const author = v7();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-sync-peer-'));
  const serverDir = join(dir, 'server');
  mkdirSync(serverDir);
  // The server's databases live under serverDir; the devices' are folders of their own (leveldb on disk).
  const ServerPouch = PouchDB.defaults({ prefix: `${serverDir}/` });
  const http = createServer(expressPouchDB(ServerPouch, { mode: SERVER_MODE, inMemoryConfig: true, logPath: join(dir, 'log.txt') }));
  const open: PouchDB[] = [];
  const db = (name: string, Pouch: typeof PouchDB = PouchDB): PouchDB => {
    const d = new Pouch(name);
    open.push(d);
    return d;
  };
  try {
    const url = await listen(http);
    c.progress(`sync peer: PouchDB ${SERVER_MODE} express-pouchdb on ${url}, leveldb on both sides`);

    // Push: a day offline, then one replication to the server.
    const device = db(join(dir, 'device-push'));
    await seed(device, pushRows, (i) => patientDoc(i, author));
    const pushRemote = db(`${url}/peer_push`);
    const t0 = performance.now();
    const pushed = await device.replicate.to(pushRemote);
    const pushSeconds = (performance.now() - t0) / 1000;
    const pushedCount = (await pushRemote.info()).doc_count;
    if (!pushed.ok || pushed.docs_written < pushRows || pushedCount < pushRows)
      throw new Error(`peer push wrote ${pushed.docs_written} of ${pushRows} documents (server holds ${pushedCount})`);
    c.rows.push(
      peerRow(
        'sync.push.peer_rows_per_s',
        pushRows,
        pushSeconds,
        `peer: ${pushRows.toLocaleString('en-US')} patient docs written offline, then PouchDB replicate.to in ${pushSeconds.toFixed(1)} s; express-pouchdb (${SERVER_MODE}), leveldb both sides, batch_size 100 ×10 (defaults), loopback HTTP`,
      ),
    );
    c.json['sync.push.peer_rows_per_s'] = Math.round(pushRows / pushSeconds);

    // Pull: the server's history seeded in place (as sync.bench seeds its change log), then a new device takes it.
    c.progress(`sync peer: seeding ${pullRows.toLocaleString('en-US')} documents on the server`);
    const patients = Math.max(1, Math.floor(pullRows / 1000));
    const history = db('peer_pull', ServerPouch);
    const patientIds: string[] = [];
    await seed(history, patients, (i) => {
      const d = patientDoc(i, author);
      patientIds.push(d._id);
      return d;
    });
    await seed(history, pullRows - patients, (i) => observationDoc(i, patientIds[i % patients]!, author));
    const fresh = db(join(dir, 'device-pull'));
    c.progress('sync peer: initial pull into a new PouchDB device');
    const t1 = performance.now();
    const pulled = await fresh.replicate.from(db(`${url}/peer_pull`));
    const pullSeconds = (performance.now() - t1) / 1000;
    const got = (await fresh.info()).doc_count;
    if (!pulled.ok || got < pullRows) throw new Error(`peer pull brought ${got} of ${pullRows} documents`);
    c.rows.push(
      peerRow(
        'sync.pull.peer_rows_per_s',
        pullRows,
        pullSeconds,
        `peer: ${pullRows.toLocaleString('en-US')} docs (${patients.toLocaleString('en-US')} patients, rest observations) into a new device in ${pullSeconds.toFixed(1)} s; PouchDB replicate.from express-pouchdb (${SERVER_MODE}), leveldb both sides, batch_size 100 ×10 (defaults)`,
      ),
    );
    c.json['sync.pull.peer_rows_per_s'] = Math.round(pullRows / pullSeconds);
  } finally {
    for (const d of open.reverse()) await d.close().catch(() => undefined);
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}
