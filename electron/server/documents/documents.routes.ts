import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';
import { ENTITIES } from '../../../shared/sync/entities';
import { CHUNK_SHA_HEADER } from '../../../shared/sync/document-wire';
import { SESSIONS_HEADER, USER_HEADER } from '../../../shared/sync/protocol';
import { ServerError } from '../server-error';
import type { Caller, SyncService } from '../sync.service';
import { sessionTokens } from '../user-sessions';
import { documentShape, heldChunks, putChunk, readChunk } from './document-chunks.store';

/** A chunk's body may be this large on the wire (a chunk plus room; the chunk size itself is checked after). */
export const MAX_CHUNK_BODY = 2 * 1024 * 1024;

const documentId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'a document id is letters, digits, - and _');
const chunkIdx = z.coerce.number().int().min(0).max(100_000);
const sha256 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, 'X-Chunk-Sha256 must be the chunk’s SHA-256 in hex (64 characters)');

function param<T>(schema: z.ZodType<T>, value: string | undefined, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ServerError(400, 'invalid_request', `${what}: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  return parsed.data;
}

const bearer = (c: Context): string | null => {
  const h = c.req.header('authorization') ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : null;
};

/**
 * May this caller upload document bytes? As for a pushed `document` change: the user the request
 * names must hold a session on this device the server checked, with a role among the document's
 * writers (an operator device may upload as `cli:…`).
 */
function requireDocumentWriter(who: Caller, named: string | null): void {
  if (named?.startsWith('cli:')) {
    if (who.device.operator) return;
    throw new ServerError(403, 'not_operator', 'this device was not enrolled as an operator device; its command line cannot upload documents');
  }
  const user = named ? who.users.get(named) : undefined;
  if (!user)
    throw new ServerError(
      403,
      'not_signed_in',
      'the user uploading this document has no session on this device that the clinic server checked: sign in while the clinic server is reachable, then sync',
    );
  const writers: readonly string[] = ENTITIES.document.writers;
  if (!writers.includes(user.role)) throw new ServerError(403, 'forbidden', `a ${user.role.replace('_', ' ')} may not upload documents`);
}

/**
 * Document bytes, in chunks (mounted at /sync/documents). Device and user credentials exactly as
 * /sync/push and /sync/pull take them. The document's row syncs through push and pull like any
 * other; these routes carry only its bytes, each request far under the server's body limit, and
 * a device resumes an interrupted upload from the `have` list.
 */
export function documentRoutes(sync: SyncService): Hono {
  const app = new Hono();
  const caller = (c: Context): Promise<Caller> => sync.authenticate(bearer(c), sessionTokens(c.req.header(SESSIONS_HEADER)));
  const reader = async (c: Context): Promise<void> => sync.requireReader(await caller(c), c.req.header(USER_HEADER) ?? null);

  app.get('/:id', async (c) => {
    await reader(c);
    const id = param(documentId, c.req.param('id'), 'document id');
    const shape = await documentShape(sync.db, id);
    const have = await heldChunks(sync.db, id);
    return c.json({ chunkCount: shape.chunkCount, sizeBytes: shape.sizeBytes, sha256: shape.sha256, have, complete: have.length === shape.chunkCount });
  });

  app.get('/:id/chunks/:idx', async (c) => {
    await reader(c);
    const id = param(documentId, c.req.param('id'), 'document id');
    const idx = param(chunkIdx, c.req.param('idx'), 'chunk number');
    const chunk = await readChunk(sync.db, id, idx);
    if (!chunk)
      throw new ServerError(
        404,
        'chunk_not_here',
        `the clinic server does not hold chunk ${idx} of document ${id} (yet): the device that attached it uploads it when it next syncs`,
      );
    return c.body(new Uint8Array(chunk.data), 200, { 'content-type': 'application/octet-stream', [CHUNK_SHA_HEADER]: chunk.sha256 });
  });

  const chunkLimit = bodyLimit({
    maxSize: MAX_CHUNK_BODY,
    onError: () => {
      throw new ServerError(
        413,
        'chunk_too_large',
        `a document chunk may be at most ${DOCUMENT_CHUNK_BYTES / 1024 / 1024} MiB; split the document in chunks of that size`,
      );
    },
  });

  app.put('/:id/chunks/:idx', chunkLimit, async (c) => {
    const who = await caller(c);
    requireDocumentWriter(who, c.req.header(USER_HEADER) ?? null);
    const id = param(documentId, c.req.param('id'), 'document id');
    const idx = param(chunkIdx, c.req.param('idx'), 'chunk number');
    const claimed = param(sha256, c.req.header(CHUNK_SHA_HEADER), CHUNK_SHA_HEADER);
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/octet-stream') throw new ServerError(400, 'invalid_request', 'a document chunk is sent as application/octet-stream');
    let data: Uint8Array;
    try {
      data = new Uint8Array(await c.req.arrayBuffer());
    } catch (e) {
      if (e instanceof ServerError) throw e;
      // The connection dropped mid-chunk: nothing is stored; the device resumes from the `have` list.
      throw new ServerError(400, 'incomplete_body', `chunk ${idx} of document ${id} did not arrive whole; send it again`);
    }
    if (data.byteLength > DOCUMENT_CHUNK_BYTES)
      throw new ServerError(413, 'chunk_too_large', `a document chunk may be at most ${DOCUMENT_CHUNK_BYTES} bytes; ${data.byteLength} arrived`);
    const out = await putChunk(sync.db, { documentId: id, idx, data, claimedSha256: claimed, deviceId: who.device.id });
    return c.json(out);
  });

  return app;
}
