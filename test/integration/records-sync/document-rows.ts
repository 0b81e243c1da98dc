import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { newId } from '../../../electron/common/ids';
import type { Repos } from '../../../electron/services/repos';
import { DocumentTransfer, userSessionTokens, type BinaryFetch } from '../../../electron/services/sync';
import { enrolledServer } from '../../../electron/services/sync/user-sessions';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';

// Documents on a device as the documents service writes them, and a transfer to move their bytes
// (no test framework here: the documents benchmark uses them too).

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
