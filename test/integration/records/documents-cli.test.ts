import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairn } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-db';
import { docx, pdfWith, png } from './document-files';

describe('cairn documents attach | inbox | list (the real command line)', () => {
  const t = tempDir('cairn-docs-cli-');
  const db = join(t.dir, 'clinic.cairn');
  let patientId: string;

  beforeAll(() => {
    expect(cairn(['init', '--db', db, '--admin', 'admin']).code).toBe(0);
    const p = cairn(['patients', 'add', '--db', db, '--given', 'Ana', '--family', 'Reyes', '--birth-date', '1980-02-03']);
    expect(p.code, p.err).toBe(0);
    patientId = (JSON.parse(p.out) as { id: string }).id;
  }, 400_000);
  afterAll(() => t.cleanup());

  it('attaches a PDF to a chart and lists it; refuses a fake one and an unknown category with a clear message', async () => {
    const file = join(t.dir, 'Mercy CBC.pdf');
    writeFileSync(file, await pdfWith('cli'));
    const a = cairn(['documents', 'attach', '--db', db, '--patient', patientId, '--category', 'outside_lab', '--title', 'CBC', '--date', '2026-10-01', file]);
    expect(a.code, a.err).toBe(0);
    const doc = JSON.parse(a.out) as { id: string; mimeType: string; source: string; createdBy: string };
    expect(doc).toMatchObject({ mimeType: 'application/pdf', source: 'Mercy CBC.pdf' });
    expect(doc.createdBy).toMatch(/^cli:/);

    const fake = join(t.dir, 'fake.pdf');
    writeFileSync(fake, 'not a pdf at all');
    const r = cairn(['documents', 'attach', '--db', db, '--patient', patientId, '--category', 'outside_lab', '--title', 'x', fake]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('fake.pdf: this file says it is a PDF but is not one: it does not begin with %PDF-');
    const cat = cairn(['documents', 'attach', '--db', db, '--patient', patientId, '--category', 'labs', '--title', 'x', file]);
    expect(cat.code).toBe(2);
    expect(cat.err).toContain('--category is one of outside_lab');

    const l = cairn(['documents', 'list', '--db', db, '--patient', patientId]);
    expect(l.code, l.err).toBe(0);
    expect((JSON.parse(l.out) as { id: string }[]).map((d) => d.id)).toEqual([doc.id]);
  }, 400_000);

  it('takes a scan folder once, one JSON line per file', async () => {
    const dir = join(t.dir, 'scans');
    mkdirSync(dir);
    writeFileSync(join(dir, 'fax1.pdf'), await pdfWith('fax'));
    writeFileSync(join(dir, 'card.png'), png());
    writeFileSync(join(dir, 'memo.docx'), docx());
    const r = cairn(['documents', 'inbox', '--db', db, '--dir', dir]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; status: string; reason?: string; documentId?: string });
    expect(lines.map((l) => `${l.status} ${l.file}`).sort()).toEqual(['added card.png', 'added fax1.pdf', 'refused memo.docx']);
    expect(lines.find((l) => l.file === 'memo.docx')?.reason).toMatch(/not a PDF or an image/);
    expect(readdirSync(join(dir, 'filed-into-cairn')).sort()).toEqual(['card.png', 'fax1.pdf']);
  }, 400_000);
});
