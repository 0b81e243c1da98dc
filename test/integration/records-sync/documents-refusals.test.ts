import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_CHUNK_BYTES } from '../../../shared/domain/records';
import { SESSIONS_HEADER, USER_HEADER } from '../../../shared/sync/protocol';
import { userSessionTokens } from '../../../electron/services/sync';
import { enrolledServer } from '../../../electron/services/sync/user-sessions';
import { signInOnServer, type Backend } from '../../helpers/sync-server';
import { attachDocument, documentDevices, sha256, syntheticBytes, type DocumentDevices } from './document-devices';

// A lying or mistaken client: every refusal is a clear 4xx and the server keeps nothing of it.

const MiB = DOCUMENT_CHUNK_BYTES;
const BILLER = { username: 'bill', password: 'violet anchor marble kettle' };

interface Answer {
  status: number;
  code: string | undefined;
  message: string | undefined;
}

describe.each<Backend>(['pglite', 'postgres'])('the clinic server refuses document chunks it must not keep (%s)', (backend) => {
  let t: DocumentDevices;
  let docId: string;
  let bytes: Buffer;
  let billId: string;

  /** A PUT of a chunk from device A (or B), as the named user, with the sessions given. */
  async function put(path: string, body: Uint8Array, o: { sha?: string; user?: string; sessions?: string[]; device?: 'a' | 'b' } = {}): Promise<Answer> {
    const sqlite = o.device === 'b' ? t.b.store.sqlite : t.a.session.repos.store.sqlite;
    const server = enrolledServer(sqlite)!;
    // One connection per request: a body refused part-way (413) ends its connection.
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${server.serverUrl}${path}`,
        {
          method: 'PUT',
          agent: false,
          headers: {
            authorization: `Bearer ${server.token}`,
            [USER_HEADER]: o.user ?? t.docId,
            [SESSIONS_HEADER]: (o.sessions ?? Object.values(userSessionTokens(sqlite))).join(','),
            'content-type': 'application/octet-stream',
            'content-length': body.byteLength,
            'x-chunk-sha256': o.sha ?? sha256(body),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
          res.on('error', reject);
        },
      );
      // The server may answer (413) and close before the whole body is written.
      req.on('error', reject);
      req.end(body);
    });
    const json = (() => {
      try {
        return JSON.parse(text) as { error?: { code: string; message: string } };
      } catch {
        return {};
      }
    })();
    return { status, code: json.error?.code, message: json.error?.message };
  }

  async function held(id: string): Promise<number> {
    const [row] = await t.server.sync.db.query<{ n: number }>('SELECT count(*)::int AS n FROM document_chunks WHERE document_id = $1', [id]);
    return Number(row!.n);
  }

  beforeAll(async () => {
    t = await documentDevices(backend);
    // A biller joins the clinic (made by the administrator on device A) and signs in on device B.
    await t.a.ok('session.logout');
    await t.a.ok('session.login', { username: 'admin', password: 'amber kestrel 41' });
    await t.a.ok('users.create', { username: BILLER.username, displayName: 'Bill Biller', role: 'billing', password: BILLER.password });
    await t.a.ok('session.logout');
    await t.a.ok('session.login', { username: 'drhouse', password: 'physician pass 1' });
    bytes = syntheticBytes(2 * MiB + 500);
    docId = attachDocument(t.a.session.repos, t.docId, bytes);
    expect((await t.syncA.syncOnce()).error).toBeNull();
    expect((await t.syncB.syncOnce()).error).toBeNull();
    billId = await signInOnServer(t.b.store.sqlite, BILLER.username, BILLER.password);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  const chunk = (i: number): Buffer => bytes.subarray(i * MiB, (i + 1) * MiB);

  it('refuses a chunk whose SHA-256 is not the one sent with it', async () => {
    const r = await put(`/sync/documents/${docId}/chunks/0`, chunk(0), { sha: sha256(chunk(1)) });
    expect(r).toMatchObject({ status: 422, code: 'chunk_sha_mismatch' });
    expect(r.message).toMatch(/arrived damaged/);
    expect(await held(docId)).toBe(0);
  });

  it('refuses a chunk number beyond the document', async () => {
    const r = await put(`/sync/documents/${docId}/chunks/3`, chunk(2));
    expect(r).toMatchObject({ status: 422, code: 'chunk_out_of_range' });
    expect(r.message).toMatch(/has 3 chunk\(s\)/);
    expect(await held(docId)).toBe(0);
  });

  it('refuses a chunk of the wrong size (every chunk full but the last)', async () => {
    const r = await put(`/sync/documents/${docId}/chunks/0`, chunk(0).subarray(0, MiB - 1));
    expect(r).toMatchObject({ status: 422, code: 'chunk_wrong_size' });
    expect(r.message).toMatch(/must be 1048576 bytes; 1048575 arrived/);
    expect(await held(docId)).toBe(0);
  });

  it('refuses a chunk for a document it has no record of, saying to push the record first', async () => {
    const ghost = '01900000-0000-7000-8000-000000000001';
    const r = await put(`/sync/documents/${ghost}/chunks/0`, chunk(0));
    expect(r).toMatchObject({ status: 409, code: 'document_not_synced' });
    expect(r.message).toMatch(/push\) the document's record first/);
    expect(await held(ghost)).toBe(0);
  });

  it('refuses a chunk larger than a chunk, and a body past the route limit', async () => {
    const big = await put(`/sync/documents/${docId}/chunks/0`, syntheticBytes(MiB + 1));
    expect(big).toMatchObject({ status: 413, code: 'chunk_too_large' });
    const huge = await put(`/sync/documents/${docId}/chunks/0`, syntheticBytes(3 * MiB));
    expect(huge).toMatchObject({ status: 413, code: 'chunk_too_large' });
    expect(huge.message).toMatch(/at most 1 MiB/);
    expect(await held(docId)).toBe(0);
  });

  it('refuses a device whose user may not write documents (a biller), and a user with no session here', async () => {
    const bill = userSessionTokens(t.b.store.sqlite)[billId]!;
    const r = await put(`/sync/documents/${docId}/chunks/0`, chunk(0), { device: 'b', user: billId, sessions: [bill] });
    expect(r).toMatchObject({ status: 403, code: 'forbidden' });
    expect(r.message).toBe('a billing may not upload documents');
    const nobody = await put(`/sync/documents/${docId}/chunks/0`, chunk(0), { device: 'b', user: t.docId, sessions: [bill] });
    expect(nobody).toMatchObject({ status: 403, code: 'not_signed_in' });
    expect(await held(docId)).toBe(0);
  });

  it('takes the same chunk twice, and clears a set whose whole does not match the record', async () => {
    expect((await put(`/sync/documents/${docId}/chunks/0`, chunk(0))).status).toBe(200);
    const twice = await put(`/sync/documents/${docId}/chunks/0`, chunk(0));
    expect(twice.status).toBe(200);
    expect(await held(docId)).toBe(1);
    // Chunk 1 of the right size and its own honest hash, but not the document's bytes.
    expect((await put(`/sync/documents/${docId}/chunks/1`, syntheticBytes(MiB))).status).toBe(200);
    const last = await put(`/sync/documents/${docId}/chunks/2`, chunk(2));
    expect(last).toMatchObject({ status: 422, code: 'document_mismatch' });
    expect(last.message).toMatch(/none were kept/);
    expect(await held(docId)).toBe(0);
    // The honest upload then goes through whole.
    for (const i of [0, 1, 2]) expect((await put(`/sync/documents/${docId}/chunks/${i}`, chunk(i))).status).toBe(200);
    expect(await held(docId)).toBe(3);
  });
});
