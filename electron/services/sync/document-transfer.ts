import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';
import { chunkAccepted, CHUNK_SHA_HEADER, DOCUMENTS_PATH, documentHoldings, type DocumentHoldings } from '../../../shared/sync/document-wire';
import { errorBody, SESSIONS_HEADER, USER_HEADER } from '../../../shared/sync/protocol';
import type { z } from 'zod';
import { pinnedServerBinaryFetch } from '../provision/device-settings';
import { TransportError } from './transport';
import { enrolledServer, userSessionTokens } from './user-sessions';

/**
 * Document bytes between this device and the clinic server. The policy (README, "Records in and out"):
 *
 * - A document's ROW (title, patient, size, SHA-256, chunk count) syncs to every device through the
 *   ordinary push and pull, like any other record.
 * - Its BYTES upload from the device that made them, after that device's next successful push (the
 *   server takes bytes only for a row it already has), in chunks of DOCUMENT_CHUNK_BYTES: each request
 *   stays far under the server's body limit, and an upload cut off half-way resumes from the chunks
 *   the server says it lacks.
 * - Other devices keep only the row until someone opens the document there: then the bytes are
 *   fetched, checked against the row's SHA-256, and kept (inside the encrypted device database).
 */
export interface DocumentFetcher {
  /** Brings a document's bytes to this device (checked whole), or refuses with a clear error and stores nothing. */
  fetch(documentId: string): Promise<void>;
}

/** fetch for bytes: what globalThis.fetch does, narrowed so a test or a pinned-TLS device can supply its own. */
export type BinaryFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array },
) => Promise<{ status: number; arrayBuffer(): Promise<ArrayBuffer>; headers?: { get(name: string): string | null } }>;

type FetchBody = NonNullable<NonNullable<Parameters<typeof globalThis.fetch>[1]>['body']>;
const globalBinaryFetch: BinaryFetch = (url, init) =>
  globalThis.fetch(url, { method: init.method, headers: init.headers, ...(init.body && { body: init.body as FetchBody }) });

export interface DocumentTransferOptions {
  serverUrl: string;
  /** This device's credential. */
  token: string;
  /** Who is signed in (the user a download is read for, and an upload's fallback author). */
  userId: () => string;
  /** The user sessions this device holds (user id → token). */
  sessions: () => Record<string, string>;
  fetchImpl?: BinaryFetch;
  now?: () => Date;
}

interface LocalDocument {
  id: string;
  chunk_count: number;
  size_bytes: number;
  sha256: string;
  created_by: string;
}

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Uploads this device's new documents and fetches others' on demand. */
export class DocumentTransfer implements DocumentFetcher {
  private readonly fetchImpl: BinaryFetch;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly opts: DocumentTransferOptions,
  ) {
    this.fetchImpl = opts.fetchImpl ?? globalBinaryFetch;
  }

  private now(): string {
    return (this.opts.now?.() ?? new Date()).toISOString();
  }

  /**
   * Uploads every document made here whose bytes the server lacks and whose row it already has (the
   * row's outbox entries are acknowledged). Sends only the chunks the server says it is missing, so a
   * run cut off half-way resumes where it stopped. A document that fails records why (last_error) and
   * the others go on; when the server cannot be reached the run stops and tries again next sync.
   */
  async uploadPending(): Promise<{ documents: number; bytes: number }> {
    const pending = this.sqlite
      .prepare(
        `SELECT d.id, d.chunk_count, d.size_bytes, d.sha256, d.created_by FROM document_content_state s JOIN documents d ON d.id = s.document_id
          WHERE s.complete = 1 AND s.uploaded = 0
            AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = 'document' AND o.entity_id = s.document_id AND o.pushed_at IS NULL)
          ORDER BY s.updated_at, d.id`,
      )
      .all() as LocalDocument[];
    const done = { documents: 0, bytes: 0 };
    for (const doc of pending) {
      try {
        done.bytes += await this.uploadOne(doc);
        this.setState(doc.id, { uploaded: 1, lastError: null });
        done.documents++;
      } catch (e) {
        this.setState(doc.id, { lastError: e instanceof Error ? e.message : String(e) });
        if (e instanceof TransportError && e.retryable) break;
      }
    }
    return done;
  }

  /** Sends the chunks of one document the server lacks; returns the bytes sent. */
  private async uploadOne(doc: LocalDocument): Promise<number> {
    const held = await this.holdings(doc.id);
    if (held.sha256 !== doc.sha256.toLowerCase() || held.chunkCount !== doc.chunk_count)
      throw new Error(`the clinic server's record of document ${doc.id} does not match this device's (size or SHA-256); sync again first`);
    if (held.complete) return 0;
    const author = this.opts.sessions()[doc.created_by] ? doc.created_by : this.opts.userId();
    const have = new Set(held.have);
    const read = this.sqlite.prepare('SELECT data FROM document_chunks WHERE document_id = ? AND idx = ?');
    let sent = 0;
    for (let idx = 0; idx < doc.chunk_count; idx++) {
      if (have.has(idx)) continue;
      const row = read.get(doc.id, idx) as { data: Buffer } | undefined;
      if (!row) throw new Error(`chunk ${idx} of document ${doc.id} is missing on this device; it cannot be uploaded from here`);
      await this.request(
        `${DOCUMENTS_PATH}/${encodeURIComponent(doc.id)}/chunks/${idx}`,
        {
          method: 'PUT',
          headers: { ...this.headers(author), 'content-type': 'application/octet-stream', [CHUNK_SHA_HEADER]: sha256Hex(row.data) },
          body: row.data,
        },
        chunkAccepted,
      );
      sent += row.data.byteLength;
    }
    return sent;
  }

  /**
   * Fetches a document's bytes from the clinic server (the chunks this device lacks), checks each
   * chunk and the whole against the row's SHA-256, and writes them in one transaction: a refused or
   * interrupted fetch leaves nothing half-made.
   */
  async fetch(documentId: string): Promise<void> {
    const doc = this.sqlite.prepare('SELECT id, chunk_count, size_bytes, sha256, created_by FROM documents WHERE id = ?').get(documentId) as
      LocalDocument | undefined;
    if (!doc) throw new CairnFailure('not_found', `there is no document ${documentId} on this device`);
    const state = this.sqlite.prepare('SELECT complete FROM document_content_state WHERE document_id = ?').get(documentId) as { complete: number } | undefined;
    if (state?.complete === 1) return;
    try {
      const chunks = await this.download(doc);
      this.sqlite
        .transaction(() => {
          const put = this.sqlite.prepare('INSERT OR REPLACE INTO document_chunks (document_id, idx, data) VALUES (?, ?, ?)');
          for (const [idx, data] of chunks) put.run(documentId, idx, data);
          this.upsertState(documentId, { complete: 1, uploaded: 1, lastError: null });
        })
        .immediate();
    } catch (e) {
      const failure = asFailure(e);
      this.setState(documentId, { lastError: failure.message });
      throw failure;
    }
  }

  /** The chunks this device lacks, downloaded and checked (each, then the whole with those already here). */
  private async download(doc: LocalDocument): Promise<Map<number, Buffer>> {
    const held = await this.holdings(doc.id);
    if (!held.complete)
      throw new CairnFailure(
        'not_found',
        'the bytes of this document have not reached the clinic server yet: the device that attached it sends them when it next syncs; try again later',
      );
    if (held.sha256 !== doc.sha256.toLowerCase() || held.chunkCount !== doc.chunk_count)
      throw new CairnFailure('conflict', "the clinic server's record of this document does not match this device's; sync, then open it again");
    const local = new Map<number, Buffer>(
      (this.sqlite.prepare('SELECT idx, data FROM document_chunks WHERE document_id = ?').all(doc.id) as { idx: number; data: Buffer }[]).map((r) => [
        r.idx,
        r.data,
      ]),
    );
    const fetched = new Map<number, Buffer>();
    const whole = createHash('sha256');
    for (let idx = 0; idx < doc.chunk_count; idx++) {
      let data = local.get(idx);
      if (!data) {
        data = await this.chunk(doc.id, idx);
        const want = idx < doc.chunk_count - 1 ? DOCUMENT_CHUNK_BYTES : doc.size_bytes - (doc.chunk_count - 1) * DOCUMENT_CHUNK_BYTES;
        if (data.byteLength !== want) throw new CairnFailure('conflict', `chunk ${idx} of this document arrived with the wrong size; nothing was kept`);
        fetched.set(idx, data);
      }
      whole.update(data);
    }
    if (whole.digest('hex') !== doc.sha256.toLowerCase())
      throw new CairnFailure(
        'conflict',
        "the document's bytes from the clinic server do not match its SHA-256 (damaged or not the same document); nothing was kept: ask the device that attached it to sync",
      );
    return fetched;
  }

  private async chunk(documentId: string, idx: number): Promise<Buffer> {
    const res = await this.send(`${DOCUMENTS_PATH}/${encodeURIComponent(documentId)}/chunks/${idx}`, {
      method: 'GET',
      headers: this.headers(this.opts.userId()),
    });
    const data = await readBody(res);
    if (res.status >= 400) throw errorOf(res.status, data);
    const claimed = res.headers?.get(CHUNK_SHA_HEADER);
    if (claimed && claimed !== sha256Hex(data))
      throw new CairnFailure('conflict', `chunk ${idx} of this document arrived damaged; nothing was kept: try again`);
    return data;
  }

  private holdings(documentId: string): Promise<DocumentHoldings> {
    return this.request(`${DOCUMENTS_PATH}/${encodeURIComponent(documentId)}`, { method: 'GET', headers: this.headers(this.opts.userId()) }, documentHoldings);
  }

  private headers(user: string): Record<string, string> {
    const tokens = Object.values(this.opts.sessions());
    return {
      authorization: `Bearer ${this.opts.token}`,
      [USER_HEADER]: user,
      ...(tokens.length > 0 && { [SESSIONS_HEADER]: tokens.join(',') }),
    };
  }

  private async send(path: string, init: Parameters<BinaryFetch>[1]): ReturnType<BinaryFetch> {
    try {
      return await this.fetchImpl(`${this.opts.serverUrl}${path}`, init);
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      throw new TransportError(
        0,
        'offline',
        `the clinic server could not be reached (${e instanceof Error ? e.message : String(e)}${cause}); documents wait on this device`,
      );
    }
  }

  private async request<T>(path: string, init: Parameters<BinaryFetch>[1], schema: z.ZodType<T>): Promise<T> {
    const res = await this.send(path, init);
    const body = await readBody(res);
    if (res.status >= 400) throw errorOf(res.status, body);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new TransportError(res.status || 502, 'bad_response', `the clinic server answered with something that is not JSON (HTTP ${res.status})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new TransportError(502, 'bad_response', 'the clinic server answered in a shape this version of Cairn does not understand');
    return parsed.data;
  }

  private setState(documentId: string, p: { uploaded?: number; lastError: string | null }): void {
    this.upsertState(documentId, p);
  }

  private upsertState(documentId: string, p: { complete?: number; uploaded?: number; lastError: string | null }): void {
    this.sqlite
      .prepare(
        `INSERT INTO document_content_state (document_id, complete, uploaded, last_error, updated_at) VALUES (@id, coalesce(@complete, 0), coalesce(@uploaded, 0), @lastError, @at)
         ON CONFLICT(document_id) DO UPDATE SET complete = coalesce(@complete, complete), uploaded = coalesce(@uploaded, uploaded), last_error = @lastError, updated_at = @at`,
      )
      .run({ id: documentId, complete: p.complete ?? null, uploaded: p.uploaded ?? null, lastError: p.lastError, at: this.now() });
  }
}

/** The whole answer; a connection that breaks while it arrives is a network failure (tried again later). */
async function readBody(res: Awaited<ReturnType<BinaryFetch>>): Promise<Buffer> {
  try {
    return Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new TransportError(
      0,
      'offline',
      `the connection to the clinic server broke (${e instanceof Error ? e.message : String(e)}); documents wait on this device`,
    );
  }
}

function errorOf(status: number, body: Buffer): TransportError {
  try {
    const err = errorBody.safeParse(JSON.parse(body.toString('utf8')));
    if (err.success) return new TransportError(status, err.data.error.code, err.data.error.message);
  } catch {
    // not JSON: answered below
  }
  return new TransportError(status, 'server_error', `the clinic server answered HTTP ${status}`);
}

function asFailure(e: unknown): CairnFailure {
  if (e instanceof CairnFailure) return e;
  if (e instanceof TransportError) {
    if (e.status === 0) return new CairnFailure('offline', `this document's bytes are not on this device and ${e.message}`);
    if (e.status === 401) return new CairnFailure('unauthenticated', e.message);
    if (e.status === 403) return new CairnFailure('forbidden', e.message);
    if (e.status === 404 || e.code === 'document_not_synced') return new CairnFailure('not_found', e.message);
    return new CairnFailure('conflict', e.message);
  }
  return new CairnFailure('internal', e instanceof Error ? e.message : String(e));
}

/** The document transfer of an enrolled device, or null before enrollment. */
export function documentTransferFor(
  sqlite: Database.Database,
  userId: () => string,
  opts: { fetchImpl?: BinaryFetch; now?: () => Date } = {},
): DocumentTransfer | null {
  const server = enrolledServer(sqlite);
  if (!server) return null;
  // A provisioned device trusts only the certificate it was provisioned with, for bytes as for rows.
  const fetchImpl = opts.fetchImpl ?? pinnedServerBinaryFetch(sqlite);
  return new DocumentTransfer(sqlite, {
    serverUrl: server.serverUrl,
    token: server.token,
    userId,
    sessions: () => userSessionTokens(sqlite),
    ...(fetchImpl && { fetchImpl }),
    ...(opts.now && { now: opts.now }),
  });
}
