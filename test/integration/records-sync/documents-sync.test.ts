import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnFailure } from '../../../shared/api/result';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';
import { inProcessSyncLoop } from '../../../electron/services/sync';
import type { Backend } from '../../helpers/sync-server';
import {
  attachDocument,
  contentState,
  CuttingProxy,
  documentDevices,
  localBytes,
  recordingFetch,
  sha256,
  syntheticBytes,
  transferFor,
  type DocumentDevices,
  type SeenRequest,
} from './document-devices';

// Issue #22 item 5: document bytes sync in chunks that never break the server's body limit, resume
// after a dropped connection, and a device keeps only the row until the document is opened there.

const MiB = DOCUMENT_CHUNK_BYTES;

async function serverChunks(t: DocumentDevices, id: string): Promise<{ idx: number; size: number }[]> {
  const rows = await t.server.sync.db.query<{ idx: number; size: number }>(
    'SELECT idx, octet_length(data) AS size FROM document_chunks WHERE document_id = $1 ORDER BY idx',
    [id],
  );
  return rows.map((r) => ({ idx: Number(r.idx), size: Number(r.size) }));
}

describe.each<Backend>(['pglite', 'postgres'])('document bytes between devices and the clinic server (%s)', (backend) => {
  let t: DocumentDevices;
  beforeAll(async () => {
    t = await documentDevices(backend);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('uploads after the push from the sync loop; device B holds only the row until it fetches the identical bytes on demand', async () => {
    const bytes = syntheticBytes(2 * MiB + 12_345);
    const id = attachDocument(t.a.session.repos, t.docId, bytes);
    // The real sync loop: push the row, then (the hook) upload the bytes.
    const loop = inProcessSyncLoop(t.a.session.repos.store, t.a.session.repos, () => t.docId);
    const status = await loop.syncNow();
    loop.stop();
    expect(status.error).toBeNull();
    expect(contentState(t.a.session.repos.store.sqlite, id)).toMatchObject({ complete: 1, uploaded: 1, last_error: null });
    expect(await serverChunks(t, id)).toEqual([
      { idx: 0, size: MiB },
      { idx: 1, size: MiB },
      { idx: 2, size: 12_345 },
    ]);

    const b = t.b.store.sqlite;
    expect((await t.syncB.syncOnce()).error).toBeNull();
    expect(b.prepare('SELECT sha256, size_bytes FROM documents WHERE id = ?').get(id)).toEqual({ sha256: sha256(bytes), size_bytes: bytes.byteLength });
    expect(localBytes(b, id)).toBeNull();

    await transferFor(b, t.docId).fetch(id);
    const got = localBytes(b, id)!;
    expect(sha256(got)).toBe(sha256(bytes));
    expect(got.equals(bytes)).toBe(true);
    expect(contentState(b, id)).toMatchObject({ complete: 1, last_error: null });
    // Opened again: already here, nothing asked of the server.
    const seen: SeenRequest[] = [];
    await transferFor(b, t.docId, { fetchImpl: recordingFetch(seen) }).fetch(id);
    expect(seen).toEqual([]);
  });

  it('sends a 5 MB document in 5 requests, none over the chunk size', async () => {
    const bytes = syntheticBytes(5 * MiB);
    const id = attachDocument(t.a.session.repos, t.docId, bytes);
    expect((await t.syncA.syncOnce()).error).toBeNull();
    const seen: SeenRequest[] = [];
    const out = await transferFor(t.a.session.repos.store.sqlite, t.docId, { fetchImpl: recordingFetch(seen) }).uploadPending();
    expect(out).toEqual({ documents: 1, bytes: 5 * MiB });
    const puts = seen.filter((s) => s.method === 'PUT');
    expect(puts.map((p) => p.path)).toEqual([0, 1, 2, 3, 4].map((i) => `/sync/documents/${id}/chunks/${i}`));
    expect(puts.every((p) => p.bodyBytes <= MiB)).toBe(true);
    // Server side: five chunks, none larger than a chunk.
    const held = await serverChunks(t, id);
    expect(held).toHaveLength(5);
    expect(held.every((c) => c.size === MiB)).toBe(true);
  });

  it('resumes an upload cut off mid-way from the missing chunks only', async () => {
    const bytes = syntheticBytes(5 * MiB - 1000);
    const id = attachDocument(t.a.session.repos, t.docId, bytes);
    expect((await t.syncA.syncOnce()).error).toBeNull();
    const target = new URL(t.server.url);
    const proxy = new CuttingProxy({ host: target.hostname, port: Number(target.port) });
    const url = await proxy.start();
    try {
      const a = t.a.session.repos.store.sqlite;
      proxy.cutAfter(2.5 * MiB); // inside chunk 2
      const first: SeenRequest[] = [];
      const out1 = await transferFor(a, t.docId, { url, fetchImpl: recordingFetch(first) }).uploadPending();
      expect(proxy.cuts).toBe(1);
      expect(out1.documents).toBe(0);
      expect(contentState(a, id)).toMatchObject({ complete: 1, uploaded: 0 });
      expect(contentState(a, id)?.last_error).toMatch(/could not be reached|connection .* broke/);
      expect((await serverChunks(t, id)).map((c) => c.idx)).toEqual([0, 1]);

      const before = proxy.sent;
      const second: SeenRequest[] = [];
      const out2 = await transferFor(a, t.docId, { url, fetchImpl: recordingFetch(second) }).uploadPending();
      expect(out2).toEqual({ documents: 1, bytes: bytes.byteLength - 2 * MiB });
      // Only chunks 2, 3 and 4 went again; 0 and 1 were not re-sent (bytes through the wire say so too).
      expect(second.filter((s) => s.method === 'PUT').map((s) => s.path.split('/').pop())).toEqual(['2', '3', '4']);
      expect(proxy.sent - before).toBeLessThan(3 * MiB + 64 * 1024);
      expect(contentState(a, id)).toMatchObject({ uploaded: 1, last_error: null });
      expect((await t.syncB.syncOnce()).error).toBeNull();
      await transferFor(t.b.store.sqlite, t.docId).fetch(id);
      expect(localBytes(t.b.store.sqlite, id)!.equals(bytes)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('waits to upload until the row is pushed, and device B cannot fetch what has not arrived (storing nothing)', async () => {
    const bytes = syntheticBytes(1000);
    const id = attachDocument(t.a.session.repos, t.docId, bytes);
    const seen: SeenRequest[] = [];
    expect(await transferFor(t.a.session.repos.store.sqlite, t.docId, { fetchImpl: recordingFetch(seen) }).uploadPending()).toEqual({ documents: 0, bytes: 0 });
    expect(seen).toEqual([]); // the row is still in the outbox: nothing asked of the server
    // Push the row only (no upload yet), then B sees the row but the server has no bytes.
    await t.syncA.pushAll({ pushed: 0, pulled: 0, conflicts: 0, quarantined: 0, parked: 0, pending: 0, cursor: 0, error: null });
    expect((await t.syncB.syncOnce()).error).toBeNull();
    const b = t.b.store.sqlite;
    const refused = await transferFor(b, t.docId)
      .fetch(id)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(CairnFailure);
    expect((refused as CairnFailure).code).toBe('not_found');
    expect((refused as CairnFailure).message).toMatch(/not reached the clinic server yet/);
    expect(localBytes(b, id)).toBeNull();
    expect(contentState(b, id)).toMatchObject({ complete: 0 });
  });

  it('refuses bytes from the server that do not match the row (damaged on the server) and keeps nothing', async () => {
    const bytes = syntheticBytes(MiB + 10);
    const id = attachDocument(t.a.session.repos, t.docId, bytes);
    expect((await t.syncA.syncOnce()).error).toBeNull();
    await transferFor(t.a.session.repos.store.sqlite, t.docId).uploadPending();
    expect((await t.syncB.syncOnce()).error).toBeNull();
    // Damage the server's copy behind its back (a disk fault): same size, other bytes, its own chunk hash.
    const other = syntheticBytes(10);
    await t.server.sync.db.query('UPDATE document_chunks SET data = $3, sha256 = $4 WHERE document_id = $1 AND idx = $2', [id, 1, other, sha256(other)]);
    const b = t.b.store.sqlite;
    const refused = await transferFor(b, t.docId)
      .fetch(id)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((refused as CairnFailure).code).toBe('conflict');
    expect((refused as CairnFailure).message).toMatch(/do not match its SHA-256/);
    expect(localBytes(b, id)).toBeNull();
    expect(contentState(b, id)).toMatchObject({ complete: 0 });
    expect(contentState(b, id)?.last_error).toMatch(/SHA-256/);
  });
});
