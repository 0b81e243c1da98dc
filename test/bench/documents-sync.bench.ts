/**
 * Document bytes through the clinic server for `npm run bench` (issue #22 item 5): a real clinic
 * server (PostgreSQL at 127.0.0.1:5432 when it answers, else PGlite) and two enrolled devices on
 * encrypted databases, over loopback HTTP:
 * - `documents.sync.upload_mb_per_s`: device A uploads 10 documents of 10 MB (1 MiB chunks) after
 *   pushing their rows (attaching them is not timed);
 * - `documents.sync.download_mb_per_s`: device B pulls the rows, then fetches every document's bytes
 *   as opening each would, each checked against its SHA-256 and written in one transaction;
 * - `documents.sync.mb_per_s` (the target): the round trip, 100 MB up and down, over the total time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer, type RunningServer } from '../../electron/server/server';
import { createDatabase } from '../../electron/services/db/open';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { createRepos } from '../../electron/services/repos';
import { Session } from '../../electron/services/session';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { attachDocument, localBytes, sha256, syntheticBytes, transferFor } from '../integration/records-sync/document-rows';
import type { Row } from './report';
import { serverDb, signIn } from './server-db';

const DOCUMENTS = 10;
const DOCUMENT_BYTES = 10 * 1000 * 1000;
const ADMIN = { username: 'admin', password: 'amber kestrel 41' };
const DOC = { username: 'drbench', password: 'physician bench 7 lantern' };

export interface DocumentsBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  progress: (m: string) => void;
  resourcesDir: string;
}

const mb = (bytes: number): number => bytes / 1e6;

function rateRow(label: string, mbPerS: number, note: string): Row {
  return { label, median: Math.round(mbPerS * 10) / 10, p95: null, n: 1, unit: '/s', target: '', pass: null, note };
}

export async function benchDocumentsSync(c: DocumentsBenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-documents-'));
  const db = await serverDb('documents');
  let server: RunningServer | null = null;
  let session: Session | null = null;
  let storeB: Awaited<ReturnType<typeof createDatabase>>['store'] | null = null;
  try {
    server = await startServer({ target: db.target, resourcesDir: c.resourcesDir, port: 0 });
    c.progress(`documents: clinic server on ${db.label}; two devices`);
    session = new Session({ dbFile: join(dir, 'a.cairn'), resourcesDir: c.resourcesDir });
    const handlers = createHandlers({ session });
    const ok = async (ch: string, i: unknown = {}): Promise<void> => {
      const r = await dispatch(handlers, ch, i);
      if (!r.ok) throw new Error(`${ch}: ${r.error.code}: ${r.error.message}`);
    };
    await ok('session.setup', {
      clinicName: 'Documents Bench Clinic',
      passphrase: 'documents bench passphrase',
      adminUsername: ADMIN.username,
      adminDisplayName: 'Bench Admin',
      adminPassword: ADMIN.password,
    });
    await ok('users.create', { username: DOC.username, displayName: 'Dr. Bench', role: 'physician', password: DOC.password });
    await ok('session.logout');
    await ok('session.login', DOC);
    const docId = session.status().user!.id;
    const a = session.repos;
    await enrollThisDevice(a.store, a, { serverUrl: server.url, code: (await server.sync.createEnrollmentCode('A')).code, deviceName: 'A' });
    await signIn(a.store, ADMIN.username, ADMIN.password);
    await signIn(a.store, DOC.username, DOC.password);
    storeB = (await createDatabase(join(dir, 'b.cairn'), 'documents bench passphrase B', { resourcesDir: c.resourcesDir })).store;
    const b = createRepos(storeB);
    await enrollThisDevice(storeB, b, { serverUrl: server.url, code: (await server.sync.createEnrollmentCode('B')).code, deviceName: 'B' });
    await signIn(storeB, DOC.username, DOC.password);

    c.progress(`documents: ${DOCUMENTS} × ${mb(DOCUMENT_BYTES)} MB attached on device A`);
    const docs = Array.from({ length: DOCUMENTS }, (_, i) => {
      const bytes = syntheticBytes(DOCUMENT_BYTES);
      return { id: attachDocument(a, docId, bytes, `Bench scan ${i + 1}`), sha: sha256(bytes) };
    });
    const pushed = await clientFor(a.store, a, () => docId).syncOnce();
    if (pushed.error) throw new Error(`device A's sync failed: ${pushed.error.message}`);

    c.progress('documents: uploading from device A');
    const t0 = performance.now();
    const up = await transferFor(a.store.sqlite, docId).uploadPending();
    const upS = (performance.now() - t0) / 1000;
    if (up.documents !== DOCUMENTS) throw new Error(`only ${up.documents} of ${DOCUMENTS} documents uploaded`);

    const pulled = await clientFor(storeB, b, () => docId).syncOnce();
    if (pulled.error) throw new Error(`device B's sync failed: ${pulled.error.message}`);
    c.progress('documents: fetching on device B');
    const fetcher = transferFor(storeB.sqlite, docId);
    const t1 = performance.now();
    for (const d of docs) await fetcher.fetch(d.id);
    const downS = (performance.now() - t1) / 1000;
    for (const d of docs) if (sha256(localBytes(storeB.sqlite, d.id) ?? Buffer.alloc(0)) !== d.sha) throw new Error(`document ${d.id} arrived different`);

    const total = mb(DOCUMENTS * DOCUMENT_BYTES);
    const upRate = total / upS;
    const downRate = total / downS;
    const roundTrip = (2 * total) / (upS + downS);
    const where = `${DOCUMENTS} × ${mb(DOCUMENT_BYTES)} MB, 1 MiB chunks, loopback HTTP, ${db.label}`;
    c.rows.push(rateRow('documents.sync.upload (MB/s)', upRate, `device A → server: ${where}`));
    c.rows.push(rateRow('documents.sync.download (MB/s)', downRate, `server → device B, checked and stored encrypted: ${where}`));
    c.rows.push(rateRow('documents.sync (MB/s)', roundTrip, `round trip: ${Math.round(2 * total)} MB in ${(upS + downS).toFixed(1)} s`));
    c.json['documents.sync.upload_mb_per_s'] = Math.round(upRate * 10) / 10;
    c.json['documents.sync.download_mb_per_s'] = Math.round(downRate * 10) / 10;
    c.json['documents.sync.mb_per_s'] = Math.round(roundTrip * 10) / 10;
    c.json['documents.sync.server_db'] = db.label;
  } finally {
    storeB?.close();
    session?.close();
    await server?.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
