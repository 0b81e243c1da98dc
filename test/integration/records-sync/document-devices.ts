import { createHash, randomBytes } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import type Database from 'better-sqlite3';
import { newId } from '../../../electron/common/ids';
import { createRepos, type Repos } from '../../../electron/services/repos';
import { clientFor, DocumentTransfer, enrollThisDevice, userSessionTokens, type BinaryFetch, type SyncClient } from '../../../electron/services/sync';
import { enrolledServer } from '../../../electron/services/sync/user-sessions';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';
import { openClinic, type Clinic } from '../../helpers/clinic';
import { signInClinicUsers, startTestServer, type Backend } from '../../helpers/sync-server';
import { newStore, tempDir } from '../../helpers/temp-db';

export interface DocumentDevices {
  server: Awaited<ReturnType<typeof startTestServer>>;
  /** Device A: a clinic database, the physician signed in (and the administrator's session held). */
  a: Clinic;
  /** Device B: an empty encrypted database enrolled with the same server, the same users signed in. */
  b: Repos;
  syncA: SyncClient;
  syncB: SyncClient;
  /** The physician both devices act as. */
  docId: string;
  close(): Promise<void>;
}

/** A real clinic server (PGlite or PostgreSQL) with two enrolled devices on encrypted databases. */
export async function documentDevices(backend: Backend): Promise<DocumentDevices> {
  const server = await startTestServer(backend);
  const da = tempDir();
  const db = tempDir();
  const a = await openClinic(da.dir);
  const docId = a.session.repos.users.list().find((u) => u.username === 'drhouse')!.id;
  const codeA = await server.sync.createEnrollmentCode('Front desk PC');
  await enrollThisDevice(a.session.repos.store, a.session.repos, { serverUrl: server.url, code: codeA.code, deviceName: 'Front desk PC' });
  await signInClinicUsers(a.session.repos.store.sqlite);
  const { store } = await newStore(db.dir);
  const b = createRepos(store);
  const codeB = await server.sync.createEnrollmentCode('Exam room laptop');
  await enrollThisDevice(store, b, { serverUrl: server.url, code: codeB.code, deviceName: 'Exam room laptop' });
  await signInClinicUsers(store.sqlite);
  return {
    server,
    a,
    b,
    docId,
    syncA: clientFor(a.session.repos.store, a.session.repos, () => docId),
    syncB: clientFor(store, b, () => docId),
    async close() {
      store.close();
      a.session.close();
      await server.stop();
      da.cleanup();
      db.cleanup();
    },
  };
}

/** Synthetic document bytes: random, so no two documents (or chunks) are alike. */
export function syntheticBytes(size: number): Buffer {
  return randomBytes(size);
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * Attaches a document on a device the way the documents service does: the row (with its audit and
 * outbox entries) through the clinical writer, the bytes in chunks, and the content state
 * complete and not uploaded, all in one transaction. Unfiled (the scan inbox), so no chart is needed.
 */
export function attachDocument(repos: Repos, userId: string, bytes: Buffer, title = 'Fax from Mercy Radiology'): string {
  const id = newId();
  const chunkCount = Math.ceil(bytes.byteLength / DOCUMENT_CHUNK_BYTES);
  const sqlite = repos.store.sqlite;
  repos.writer.write((at) => {
    const row = sqlite
      .prepare(
        `INSERT INTO documents (id, created_at, created_by, updated_at, updated_by, version, patient_id, status, category, title, source, mime_type, size_bytes, sha256, chunk_count, origin)
         VALUES (?, ?, ?, ?, ?, 1, NULL, 'unfiled', NULL, ?, 'Synthetic fax', 'application/pdf', ?, ?, ?, 'scan') RETURNING *`,
      )
      .get(id, at, userId, at, userId, title, bytes.byteLength, sha256(bytes), chunkCount) as Record<string, string | number | null>;
    repos.writer.record(at, { action: 'document.attach', actor: { userId }, patientId: null, entity: 'document', id, op: 'insert', payload: row });
    const put = sqlite.prepare('INSERT INTO document_chunks (document_id, idx, data) VALUES (?, ?, ?)');
    for (let i = 0; i < chunkCount; i++) put.run(id, i, bytes.subarray(i * DOCUMENT_CHUNK_BYTES, (i + 1) * DOCUMENT_CHUNK_BYTES));
    sqlite.prepare('INSERT INTO document_content_state (document_id, complete, uploaded, updated_at) VALUES (?, 1, 0, ?)').run(id, at);
  });
  return id;
}

/** A document's bytes as a device holds them, put together (null when it holds none). */
export function localBytes(sqlite: Database.Database, id: string): Buffer | null {
  const rows = sqlite.prepare('SELECT data FROM document_chunks WHERE document_id = ? ORDER BY idx').all(id) as { data: Buffer }[];
  return rows.length === 0 ? null : Buffer.concat(rows.map((r) => r.data));
}

export function contentState(sqlite: Database.Database, id: string): { complete: number; uploaded: number; last_error: string | null } | undefined {
  return sqlite.prepare('SELECT complete, uploaded, last_error FROM document_content_state WHERE document_id = ?').get(id) as never;
}

/** Every request a DocumentTransfer makes: method, path and body size. */
export interface SeenRequest {
  method: string;
  path: string;
  bodyBytes: number;
}

/** globalThis.fetch, recording what goes out (to count requests and their sizes). */
export function recordingFetch(seen: SeenRequest[]): BinaryFetch {
  return (url, init) => {
    seen.push({ method: init.method, path: new URL(url).pathname, bodyBytes: init.body?.byteLength ?? 0 });
    return globalThis.fetch(url, { method: init.method, headers: init.headers, ...(init.body && { body: init.body as unknown as string }) });
  };
}

/** A DocumentTransfer for a device, to a given server URL (a proxy's) and through a given fetch. */
export function transferFor(sqlite: Database.Database, userId: string, o: { url?: string; fetchImpl?: BinaryFetch } = {}): DocumentTransfer {
  const server = enrolledServer(sqlite)!;
  return new DocumentTransfer(sqlite, {
    serverUrl: o.url ?? server.serverUrl,
    token: server.token,
    userId: () => userId,
    sessions: () => userSessionTokens(sqlite),
    ...(o.fetchImpl && { fetchImpl: o.fetchImpl }),
  });
}

/**
 * A TCP proxy in front of the clinic server that counts what clients send and, when armed, cuts
 * every connection once that many more bytes have gone through (a dropped network mid-upload).
 */
export class CuttingProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  /** Bytes from clients to the server since the start (or the last reset). */
  sent = 0;
  private cutAt: number | null = null;
  cuts = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<string> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      const end = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (d: Buffer) => {
        this.sent += d.byteLength;
        if (this.cutAt !== null && this.sent >= this.cutAt) {
          this.cutAt = null;
          this.cuts++;
          for (const s of this.sockets) s.destroy();
          this.sockets.clear();
          return;
        }
        upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => client.write(d));
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('the proxy has no port');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** Cuts every connection once `bytes` more have gone from clients to the server. */
  cutAfter(bytes: number): void {
    this.cutAt = this.sent + bytes;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
