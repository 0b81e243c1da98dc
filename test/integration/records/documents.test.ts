import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../shared/api/documents.contract';
import type { Result } from '../../../shared/api/result';
import type { Patient } from '../../../shared/domain/patient';
import { DOCUMENT_CHUNK_BYTES, tooLargeMessage } from '../../../shared/domain/records';
import { DocumentsService } from '../../../electron/services/records/documents.service';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';
import { tempDir } from '../../helpers/temp-db';
import { bigPdf, pdfWith, png, tiff } from './document-files';

const MARKER = 'CAIRN-PLAINTEXT-MARKER-7f3a9c';
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);
const message = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.message);

describe('documents in the chart, through the real dispatcher over an encrypted database', () => {
  const t = tempDir('cairn-docs-');
  let c: Clinic;
  let ana: Patient;
  let pdf: Buffer;
  const attach = (over: Record<string, unknown> = {}): Promise<Result<unknown>> =>
    c.call('documents.attach', {
      patientId: ana.id,
      category: 'outside_lab',
      title: 'CBC from Mercy Lab',
      documentDate: '2026-10-01',
      source: 'Fax from Mercy Lab',
      fileName: 'cbc.pdf',
      dataBase64: b64(pdf),
      ...over,
    });
  const attachOk = async (over: Record<string, unknown> = {}): Promise<DocumentMeta> => {
    const r = await attach(over);
    if (!r.ok) expect.fail(`documents.attach failed: ${r.error.code}: ${r.error.message}`);
    return r.value as DocumentMeta;
  };
  const count = (): number => (c.session.repos.store.sqlite.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
  const audit = (action: string, recordId?: string): { detail: string | null; patient_id: string | null }[] =>
    c.session.repos.store.sqlite
      .prepare('SELECT detail, patient_id FROM audit_log WHERE action = ? AND (? IS NULL OR record_id = ?) ORDER BY seq')
      .all(action, recordId ?? null, recordId ?? null) as { detail: string | null; patient_id: string | null }[];

  beforeAll(async () => {
    c = await openClinic(t.dir);
    ana = await c.ok<Patient>('patients.create', { givenName: 'Ana', familyName: 'Reyes', birthDate: '1980-02-03', sex: 'female' });
    pdf = await pdfWith(MARKER);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('attaches a real PDF, a PNG and a TIFF (types read from the bytes), lists them newest first and opens each whole', async () => {
    const a = await c.ok<DocumentMeta>('documents.attach', {
      patientId: ana.id,
      category: 'outside_lab',
      title: 'CBC from Mercy Lab',
      documentDate: '2026-10-01',
      source: 'Fax from Mercy Lab',
      fileName: 'cbc.pdf',
      dataBase64: b64(pdf),
    });
    expect(a).toMatchObject({ mimeType: 'application/pdf', status: 'filed', patientId: ana.id, sizeBytes: pdf.length, sha256: sha(pdf), chunkCount: 1 });
    expect(a.contentHere).toBe(true);
    const p = await c.ok<DocumentMeta>('documents.attach', {
      patientId: ana.id,
      category: 'insurance_card',
      title: 'Insurance card',
      documentDate: '2026-11-01',
      fileName: 'card.png',
      dataBase64: b64(png()),
    });
    expect(p.mimeType).toBe('image/png');
    expect(p.source).toBe('card.png');
    const f = await c.ok<DocumentMeta>('documents.attach', {
      patientId: ana.id,
      category: 'consult_letter',
      title: 'Cardiology letter',
      documentDate: '2025-05-05',
      source: 'Fax',
      fileName: 'letter.tif',
      dataBase64: b64(tiff()),
    });
    expect(f.mimeType).toBe('image/tiff');

    const list = await c.ok<DocumentMeta[]>('documents.list', { patientId: ana.id });
    expect(list.map((d) => d.id)).toEqual([p.id, a.id, f.id]);
    expect((await c.ok<DocumentMeta[]>('documents.list', { patientId: ana.id, category: 'consult_letter' })).map((d) => d.id)).toEqual([f.id]);

    for (const [doc, bytes] of [
      [a, pdf],
      [p, png()],
      [f, tiff()],
    ] as const) {
      const opened = await c.ok<{ document: DocumentMeta; dataBase64: string }>('documents.open', { id: doc.id });
      expect(Buffer.from(opened.dataBase64, 'base64').equals(bytes)).toBe(true);
      expect(opened.document.id).toBe(doc.id);
    }
    expect(audit('document.added', a.id)).toHaveLength(1);
    expect(audit('document.opened', a.id)).toEqual([{ detail: null, patient_id: ana.id }]);
    expect(audit('document.listed').length).toBeGreaterThanOrEqual(2);
  });

  it('queues the document row (not its bytes) in the sync outbox with its audit entry', async () => {
    const d = await attachOk({ title: 'Outbox check' });
    const rows = c.session.repos.store.sqlite
      .prepare("SELECT op, payload, patient_id FROM sync_outbox WHERE entity = 'document' AND entity_id = ?")
      .all(d.id) as {
      op: string;
      payload: string;
      patient_id: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.patient_id).toBe(ana.id);
    const payload = JSON.parse(rows[0]!.payload) as Record<string, unknown>;
    expect(payload).toMatchObject({ title: 'Outbox check', sha256: sha(pdf), size_bytes: pdf.length, chunk_count: 1, mime_type: 'application/pdf' });
    expect(rows[0]!.payload).not.toContain(MARKER);
  });

  it('cuts a 3.5 MB file into 4 chunks and gives it back whole (SHA-256 checked)', async () => {
    const big = bigPdf(3.5 * 1024 * 1024);
    const d = await attachOk({ fileName: 'big.pdf', title: 'Outside records', category: 'outside_records', dataBase64: b64(big) });
    expect(d.chunkCount).toBe(4);
    const chunks = c.session.repos.store.sqlite.prepare('SELECT idx, length(data) AS n FROM document_chunks WHERE document_id = ? ORDER BY idx').all(d.id);
    expect(chunks).toEqual([
      { idx: 0, n: DOCUMENT_CHUNK_BYTES },
      { idx: 1, n: DOCUMENT_CHUNK_BYTES },
      { idx: 2, n: DOCUMENT_CHUNK_BYTES },
      { idx: 3, n: DOCUMENT_CHUNK_BYTES / 2 },
    ]);
    const opened = await c.ok<{ dataBase64: string }>('documents.open', { id: d.id });
    expect(sha(Buffer.from(opened.dataBase64, 'base64'))).toBe(sha(big));
    // A damaged chunk is caught by the checksum, never shown as the document.
    c.session.repos.store.sqlite.prepare('UPDATE document_chunks SET data = zeroblob(length(data)) WHERE document_id = ? AND idx = 2').run(d.id);
    const damaged = await c.call('documents.open', { id: d.id });
    expect(message(damaged)).toMatch(/damaged \(its checksum does not match\)/);
  });

  it('refuses a file that says it is a PDF but is not one, storing nothing', async () => {
    const before = count();
    const r = await attach({ fileName: 'results.pdf', dataBase64: b64(Buffer.from('MZ\x90\x00 this is not a pdf')) });
    expect(code(r)).toBe('invalid_input');
    expect(message(r)).toBe('results.pdf: this file says it is a PDF but is not one: it does not begin with %PDF-');
    const unknown = await attach({ fileName: 'notes.docx', dataBase64: b64(Buffer.from('PK\x03\x04 a zip')) });
    expect(message(unknown)).toBe('notes.docx is not a PDF or an image Cairn keeps: Cairn keeps PDFs and JPEG, PNG or TIFF images');
    // A PNG named .pdf: the name and the content disagree.
    expect(message(await attach({ fileName: 'card.pdf', dataBase64: b64(png()) }))).toMatch(/says it is a PDF but is not one/);
    expect(count()).toBe(before);
  });

  it('refuses a 33 MB file with the size message, and a 200 MB upload at validation with one message and no decoding', async () => {
    const before = count();
    const size = 33 * 1024 * 1024;
    const r = await attach({ dataBase64: b64(bigPdf(size)) });
    expect(code(r)).toBe('invalid_input');
    expect(message(r)).toContain(tooLargeMessage(size).split(';')[1]!.trim());
    expect(message(r)).toMatch(/^.*this file is 33\.0 MB; Cairn keeps documents up to 32\.0 MB/);
    // The service refuses the same bytes with the same message (the command line and the scan folder use it).
    const svc = new DocumentsService(c.session.repos);
    expect(() =>
      svc.attach(
        { userId: c.session.requireUser().id },
        { patientId: ana.id, category: 'other', title: 'x', documentDate: null, source: null, fileName: 'x.pdf', bytes: bigPdf(size) },
      ),
    ).toThrow(tooLargeMessage(size));

    // 200 MB of characters that are not even base64: had the alphabet been checked (or the string decoded), there would be a second issue.
    // A flat string, as IPC delivers one ('!'.repeat makes a rope V8 flattens, slowly, on first read).
    const huge = Buffer.alloc(200 * 1024 * 1024, 0x21).toString('latin1');
    const started = performance.now();
    const h = await attach({ dataBase64: huge });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(code(h)).toBe('invalid_input');
    expect(h.ok ? [] : h.error.issues).toHaveLength(1);
    expect(message(h)).toContain('this file is 150.0 MB; Cairn keeps documents up to 32.0 MB');
    expect(count()).toBe(before);
  });

  it('keeps the bytes encrypted: the marker in the PDF is not in the database file or its log', () => {
    expect(pdf.includes(MARKER)).toBe(true);
    c.session.repos.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const file = join(t.dir, 'clinic.cairn');
    for (const f of [file, `${file}-wal`]) {
      if (!existsSync(f)) continue;
      const raw = readFileSync(f);
      expect(raw.includes(MARKER), f).toBe(false);
      expect(raw.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    }
  });

  it('removes a document with a reason (audited): gone from the list, the bytes kept', async () => {
    const d = await attachOk({ title: 'Wrong patient scan' });
    expect(code(await c.call('documents.remove', { id: d.id, reason: '' }))).toBe('invalid_input');
    const removed = await c.ok<DocumentMeta>('documents.remove', { id: d.id, reason: 'scanned into the wrong chart' });
    expect(removed.version).toBe(2);
    expect((await c.ok<DocumentMeta[]>('documents.list', { patientId: ana.id })).map((x) => x.id)).not.toContain(d.id);
    expect(code(await c.call('documents.open', { id: d.id }))).toBe('not_found');
    expect(c.session.repos.store.sqlite.prepare('SELECT deleted_at FROM documents WHERE id = ?').get(d.id)).toEqual({ deleted_at: removed.updatedAt });
    expect(new DocumentsService(c.session.repos).store.bytes(d.id)?.length).toBe(pdf.length);
    expect(audit('document.removed', d.id)).toEqual([{ detail: JSON.stringify({ reason: 'scanned into the wrong chart' }), patient_id: ana.id }]);
  });

  it('changes title, category, date and note with the version, refusing a stale one', async () => {
    const d = await attachOk({ title: 'Scan 0001' });
    const u = await c.ok<DocumentMeta>('documents.update', {
      id: d.id,
      version: 1,
      title: 'Lipid panel',
      category: 'outside_lab',
      documentDate: '2026-09-09',
      note: 'LDL high',
    });
    expect(u).toMatchObject({ title: 'Lipid panel', documentDate: '2026-09-09', note: 'LDL high', version: 2 });
    const stale = await c.call('documents.update', { id: d.id, version: 1, title: 'Other' });
    expect(code(stale)).toBe('conflict');
    expect(code(await c.call('documents.update', { id: d.id, version: 2, documentDate: '2026-02-30' }))).toBe('invalid_input');
  });

  it('files an unfiled document into the chart staff choose, once; the inbox lists the queue oldest first', async () => {
    const first = await c.ok<DocumentMeta>('documents.inboxAdd', { fileName: 'fax_0001.tiff', dataBase64: b64(tiff()), source: 'Fax from Mercy Radiology' });
    const second = await c.ok<DocumentMeta>('documents.inboxAdd', { fileName: 'Scan-2026-11-02.pdf', dataBase64: b64(pdf) });
    expect(first).toMatchObject({ status: 'unfiled', patientId: null, category: null, title: 'fax 0001', origin: 'upload' });
    expect(second).toMatchObject({ title: 'Scan 2026-11-02', source: 'Picked at the desk: Scan-2026-11-02.pdf' });
    expect(message(await c.call('documents.inboxAdd', { fileName: 'x.pdf', dataBase64: b64(Buffer.from('hello')) }))).toMatch(
      /is not one: it does not begin with %PDF-/,
    );
    const inbox = await c.ok<DocumentMeta[]>('documents.inbox');
    expect(inbox.map((d) => d.id)).toEqual([first.id, second.id]);
    // The navigation's count: no titles, nobody's data, so asking it leaves no audit entry.
    const auditRows = (): number => (c.session.repos.store.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const before = auditRows();
    expect(await c.ok('documents.inboxCount')).toEqual({ waiting: 2, newestAt: second.createdAt });
    expect(auditRows()).toBe(before);

    // Filing needs the patient (no guessing) and a category.
    expect(code(await c.call('documents.file', { id: first.id, category: 'imaging_report', title: 'CT chest' }))).toBe('invalid_input');
    expect(
      code(await c.call('documents.file', { id: first.id, patientId: '01900000-0000-7000-8000-000000000000', category: 'imaging_report', title: 'CT chest' })),
    ).toBe('not_found');
    const filed = await c.ok<DocumentMeta>('documents.file', {
      id: first.id,
      patientId: ana.id,
      category: 'imaging_report',
      title: 'CT chest',
      documentDate: '2026-10-30',
    });
    expect(filed).toMatchObject({
      status: 'filed',
      patientId: ana.id,
      category: 'imaging_report',
      title: 'CT chest',
      filedBy: c.session.requireUser().id,
      version: 2,
    });
    expect((await c.ok<DocumentMeta[]>('documents.inbox')).map((d) => d.id)).toEqual([second.id]);
    expect(await c.ok('documents.inboxCount')).toEqual({ waiting: 1, newestAt: second.createdAt });
    expect((await c.ok<DocumentMeta[]>('documents.list', { patientId: ana.id })).map((d) => d.id)).toContain(first.id);
    expect(code(await c.call('documents.file', { id: first.id, patientId: ana.id, category: 'other', title: 'again' }))).toBe('conflict');
    expect(audit('document.filed', first.id)).toEqual([{ detail: JSON.stringify({ category: 'imaging_report' }), patient_id: ana.id }]);
    const outbox = c.session.repos.store.sqlite.prepare("SELECT op FROM sync_outbox WHERE entity = 'document' AND entity_id = ? ORDER BY seq").all(first.id);
    expect(outbox.length).toBeGreaterThanOrEqual(1);
  });

  it('answers not_available when the content is on the clinic server only, and opens it once a fetcher brings it', async () => {
    const d = await attachOk({ title: 'Synced elsewhere' });
    const db = c.session.repos.store.sqlite;
    const saved = db.prepare('SELECT idx, data FROM document_chunks WHERE document_id = ?').all(d.id) as { idx: number; data: Buffer }[];
    // As on a device that received the row by sync and not (yet) the bytes.
    db.prepare('DELETE FROM document_chunks WHERE document_id = ?').run(d.id);
    db.prepare('UPDATE document_content_state SET complete = 0 WHERE document_id = ?').run(d.id);
    const r = await c.call('documents.open', { id: d.id });
    expect(code(r)).toBe('not_available');
    // This device is not enrolled with a clinic server: the default fetcher says where the bytes are.
    expect(message(r)).toBe(
      "this document's content is on the device that added it, and this one is not enrolled with a clinic server: open it there, or enroll this device",
    );
    expect((await c.ok<DocumentMeta[]>('documents.list', { patientId: ana.id })).find((x) => x.id === d.id)?.contentHere).toBe(false);
    const fetched: string[] = [];
    const svc = new DocumentsService(c.session.repos, {
      fetch: (id) => {
        fetched.push(id);
        for (const s of saved) db.prepare('INSERT INTO document_chunks (document_id, idx, data) VALUES (?, ?, ?)').run(id, s.idx, s.data);
        db.prepare('UPDATE document_content_state SET complete = 1 WHERE document_id = ?').run(id);
        return Promise.resolve();
      },
    });
    const opened = await svc.open({ userId: c.session.requireUser().id }, d.id);
    expect(fetched).toEqual([d.id]);
    expect(Buffer.from(opened.bytes).equals(pdf)).toBe(true);
  });

  it('keeps a restricted chart behind the glass (list, attach, open, file), and lets billing in nowhere', async () => {
    const vip = await c.ok<Patient>('patients.create', { givenName: 'Vera', familyName: 'Famous', birthDate: '1975-06-01', sex: 'female' });
    const d = await attachOk({ patientId: vip.id, title: 'VIP letter' });
    const queued = await c.ok<DocumentMeta>('documents.inboxAdd', { fileName: 'vip.png', dataBase64: b64(png()) });
    await c.ok('patients.setRestricted', { id: vip.id, restricted: true });
    // Break-glass grants last the session: sign in again to start with none.
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
    expect(code(await c.call('documents.list', { patientId: vip.id }))).toBe('break_glass_required');
    expect(code(await attach({ patientId: vip.id }))).toBe('break_glass_required');
    expect(code(await c.call('documents.open', { id: d.id }))).toBe('break_glass_required');
    expect(code(await c.call('documents.update', { id: d.id, version: 1, title: 'x' }))).toBe('break_glass_required');
    expect(code(await c.call('documents.remove', { id: d.id, reason: 'because' }))).toBe('break_glass_required');
    expect(code(await c.call('documents.file', { id: queued.id, patientId: vip.id, category: 'other', title: 'x' }))).toBe('break_glass_required');
    expect(audit('chart.restricted_refused').length).toBeGreaterThanOrEqual(6);
    await c.ok('patients.breakGlass', { patientId: vip.id, reason: 'patient in clinic asking for her letter', password: CLINIC.doc.password });
    expect((await c.ok<DocumentMeta[]>('documents.list', { patientId: vip.id })).map((x) => x.id)).toEqual([d.id]);
    expect(code(await c.call('documents.open', { id: d.id }))).toBe('ok');

    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await c.ok('users.create', { username: 'biller', displayName: 'Bill Ing', role: 'billing', password: 'amber lantern meadow 4' });
    await c.ok('users.create', { username: 'desk', displayName: 'Fran Desk', role: 'front_desk', password: 'tulip river 17 x' });
    await c.ok('session.logout');
    await c.ok('session.login', { username: 'biller', password: 'amber lantern meadow 4' });
    for (const ch of ['documents.list', 'documents.inbox', 'documents.attach']) expect(code(await c.call(ch, { patientId: ana.id })), ch).toBe('forbidden');
    await c.ok('session.logout');
    await c.ok('session.login', { username: 'desk', password: 'tulip river 17 x' });
    expect(code(await attach({ title: 'Front desk scan' }))).toBe('ok');
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
  });

  it("keeps this device's scan folder: an existing writable folder, or none", async () => {
    expect(await c.ok('documents.inboxSettings')).toEqual({ dir: null });
    const missing = await c.call('documents.setInboxSettings', { dir: join(t.dir, 'nope') });
    expect(message(missing)).toMatch(/does not exist/);
    expect(message(await c.call('documents.setInboxSettings', { dir: 'relative/scans' }))).toMatch(/whole path/);
    expect(await c.ok('documents.setInboxSettings', { dir: t.dir })).toEqual({ dir: t.dir });
    expect(await c.ok('documents.inboxSettings')).toEqual({ dir: t.dir });
    expect(audit('settings.scan_inbox').at(-1)?.detail).toBe(t.dir);
    expect(await c.ok('documents.setInboxSettings', { dir: null })).toEqual({ dir: null });
  });
});
