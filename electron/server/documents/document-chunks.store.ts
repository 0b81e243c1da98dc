import { createHash } from 'node:crypto';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';
import type { ServerDb, Sql } from '../db/open';
import { ServerError } from '../server-error';

/** What the synced `document` row says the bytes must be. */
export interface DocumentShape {
  chunkCount: number;
  sizeBytes: number;
  sha256: string;
}

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The size chunk `idx` of a document must have: every chunk full but the last, which holds the rest. */
export function expectedChunkSize(shape: DocumentShape, idx: number): number {
  return idx < shape.chunkCount - 1 ? DOCUMENT_CHUNK_BYTES : shape.sizeBytes - (shape.chunkCount - 1) * DOCUMENT_CHUNK_BYTES;
}

/**
 * The shape of a document as its synced row gives it, or a clear refusal. Bytes are only taken for
 * a row the server already has: the row carries the size and SHA-256 every chunk is checked against,
 * and its writers decide who may upload.
 */
export async function documentShape(q: Sql, documentId: string): Promise<DocumentShape> {
  const [row] = await q.query<{ chunk_count: unknown; size_bytes: unknown; sha256: unknown }>(
    `SELECT data->'chunk_count' AS chunk_count, data->'size_bytes' AS size_bytes, data->>'sha256' AS sha256
       FROM sync_rows WHERE entity = 'document' AND entity_id = $1`,
    [documentId],
  );
  if (!row)
    throw new ServerError(
      409,
      'document_not_synced',
      `the clinic server has no document ${documentId} yet: sync (push) the document's record first, then send its bytes`,
    );
  const chunkCount = Number(row.chunk_count);
  const sizeBytes = Number(row.size_bytes);
  const sha256 = typeof row.sha256 === 'string' ? row.sha256.toLowerCase() : '';
  const consistent =
    Number.isSafeInteger(chunkCount) &&
    Number.isSafeInteger(sizeBytes) &&
    sizeBytes >= 0 &&
    chunkCount === Math.ceil(sizeBytes / DOCUMENT_CHUNK_BYTES) &&
    /^[0-9a-f]{64}$/.test(sha256);
  if (!consistent)
    throw new ServerError(
      409,
      'document_row_invalid',
      `the record of document ${documentId} does not describe its bytes consistently (size, chunk count, SHA-256); its bytes cannot be taken`,
    );
  return { chunkCount, sizeBytes, sha256 };
}

/** The chunk numbers the server holds for a document, in order. */
export async function heldChunks(q: Sql, documentId: string): Promise<number[]> {
  const rows = await q.query<{ idx: number }>('SELECT idx FROM document_chunks WHERE document_id = $1 ORDER BY idx', [documentId]);
  return rows.map((r) => Number(r.idx));
}

/**
 * One chunk's bytes, or null when the server does not hold it. Important: bytes cross to and from
 * the database as base64 text: PGlite's own bytea parameters and results go byte by byte through
 * JavaScript (2 s a MiB in, 0.3 s out, measured), base64 is ten times faster, and PostgreSQL takes the same SQL.
 */
export async function readChunk(q: Sql, documentId: string, idx: number): Promise<{ data: Buffer; sha256: string } | null> {
  const [row] = await q.query<{ data: string; sha256: string }>(
    `SELECT encode(data, 'base64') AS data, sha256 FROM document_chunks WHERE document_id = $1 AND idx = $2`,
    [documentId, idx],
  );
  return row ? { data: Buffer.from(row.data, 'base64'), sha256: row.sha256 } : null;
}

export interface PutChunk {
  documentId: string;
  idx: number;
  data: Uint8Array;
  /** The SHA-256 the device says the chunk has (X-Chunk-Sha256). */
  claimedSha256: string;
  deviceId: string;
}

export interface PutOutcome {
  /** False when the server already held this chunk (the same chunk twice is fine). */
  stored: boolean;
  /** Every chunk is here and together they have the row's SHA-256. */
  complete: boolean;
  have: number[];
}

/**
 * Checks one chunk against the document's row and stores it. When it is the last one missing, the
 * whole document is checked against the row's SHA-256; a set that does not add up is cleared (and
 * refused), so the server never keeps bytes that are not the document. One document's chunks are
 * taken one at a time (an advisory lock), so two last chunks arriving together are still checked.
 */
export async function putChunk(db: ServerDb, p: PutChunk): Promise<PutOutcome> {
  const outcome = await db.tx(async (q): Promise<PutOutcome | 'mismatch'> => {
    await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`document:${p.documentId}`]);
    const shape = await documentShape(q, p.documentId);
    checkChunk(shape, p);
    const inserted = await q.query(
      `INSERT INTO document_chunks (document_id, idx, data, sha256, device_id) VALUES ($1, $2, decode($3, 'base64'), $4, $5)
       ON CONFLICT (document_id, idx) DO NOTHING RETURNING idx`,
      [p.documentId, p.idx, Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength).toString('base64'), p.claimedSha256, p.deviceId],
    );
    const have = await heldChunks(q, p.documentId);
    const complete = have.length === shape.chunkCount;
    // Checked only when this request completed the set: a repeat of a chunk of a finished document costs no re-read.
    if (complete && inserted.length > 0 && (await wholeSha256(q, p.documentId)) !== shape.sha256) {
      await q.query('DELETE FROM document_chunks WHERE document_id = $1', [p.documentId]);
      return 'mismatch';
    }
    return { stored: inserted.length > 0, complete, have };
  });
  if (outcome === 'mismatch')
    throw new ServerError(
      422,
      'document_mismatch',
      `the chunks of document ${p.documentId} put together do not have the SHA-256 its record names; none were kept: upload it again from the device that attached it`,
    );
  return outcome;
}

function checkChunk(shape: DocumentShape, p: PutChunk): void {
  if (p.idx >= shape.chunkCount)
    throw new ServerError(422, 'chunk_out_of_range', `document ${p.documentId} has ${shape.chunkCount} chunk(s) (numbered from 0); there is no chunk ${p.idx}`);
  const want = expectedChunkSize(shape, p.idx);
  if (p.data.byteLength !== want)
    throw new ServerError(422, 'chunk_wrong_size', `chunk ${p.idx} of document ${p.documentId} must be ${want} bytes; ${p.data.byteLength} arrived`);
  if (sha256Hex(p.data) !== p.claimedSha256)
    throw new ServerError(
      422,
      'chunk_sha_mismatch',
      `chunk ${p.idx} of document ${p.documentId} arrived damaged (its SHA-256 is not the one sent with it); send it again`,
    );
}

/** The SHA-256 of the whole document, computed inside the database (its bytes never cross to this process for it). */
async function wholeSha256(q: Sql, documentId: string): Promise<string> {
  const [row] = await q.query<{ sha: string | null }>(
    `SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY idx)), 'hex') AS sha FROM document_chunks WHERE document_id = $1`,
    [documentId],
  );
  return row?.sha ?? '';
}
