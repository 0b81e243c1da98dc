import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../electron/services/db/open';
import { DocumentsService } from '../../../electron/services/records/documents.service';
import { FILED_DIR, REFUSED_DIR, ScanInbox } from '../../../electron/services/records/scan-inbox';
import { createRepos, type Repos } from '../../../electron/services/repos';
import type { Actor } from '../../../electron/services/repos/writer';
import { newStore, tempDir } from '../../helpers/temp-db';
import { docx, jpeg, pdfWith, png, tiff } from './document-files';

const ACTOR: Actor = { userId: 'cli:documents' };

describe('the scan/fax inbox: a watched folder whose files become unfiled documents', () => {
  const t = tempDir('cairn-scan-');
  let store: Store;
  let repos: Repos;
  let docs: DocumentsService;
  let n = 0;
  /** A fresh drop folder per test. */
  const folder = (): string => {
    const dir = join(t.dir, `scans-${++n}`);
    mkdirSync(dir);
    return dir;
  };

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    docs = new DocumentsService(repos);
  });
  afterAll(() => {
    store.sqlite.close();
    t.cleanup();
  });

  it('keeps each PDF, JPEG, PNG and TIFF as an unfiled document, moves it out, and refuses a .docx with the reason beside it', async () => {
    const dir = folder();
    const pdf = await pdfWith('scan marker');
    writeFileSync(join(dir, 'Fax_from_Mercy-Radiology.pdf'), pdf);
    writeFileSync(join(dir, 'card.jpg'), jpeg());
    writeFileSync(join(dir, 'photo.png'), png());
    writeFileSync(join(dir, 'fax0001.tif'), tiff());
    writeFileSync(join(dir, 'letter.docx'), docx());
    writeFileSync(join(dir, '.hidden.pdf'), pdf);
    mkdirSync(join(dir, 'some-subfolder'));
    const before = docs.store.inbox().length;
    const seen: string[] = [];
    const inbox = new ScanInbox({ dir, documents: docs, actor: () => ACTOR, settleMs: 150, onFile: (o) => seen.push(`${o.status} ${o.file}`) });

    const r = await inbox.scanOnce();
    expect(r.added).toBe(4);
    expect(r.refused).toEqual([
      { file: 'letter.docx', reason: 'letter.docx is not a PDF or an image Cairn keeps: Cairn keeps PDFs and JPEG, PNG or TIFF images' },
    ]);
    expect(seen.sort()).toEqual(['added Fax_from_Mercy-Radiology.pdf', 'added card.jpg', 'added fax0001.tif', 'added photo.png', 'refused letter.docx']);
    expect(readdirSync(dir).sort()).toEqual(['.hidden.pdf', FILED_DIR, REFUSED_DIR, 'some-subfolder']);
    expect(readdirSync(join(dir, FILED_DIR)).sort()).toEqual(['Fax_from_Mercy-Radiology.pdf', 'card.jpg', 'fax0001.tif', 'photo.png']);
    expect(readdirSync(join(dir, REFUSED_DIR)).sort()).toEqual(['letter.docx', 'letter.docx.txt']);
    expect(readFileSync(join(dir, REFUSED_DIR, 'letter.docx.txt'), 'utf8')).toMatch(
      /^letter\.docx was not put into Cairn's unfiled documents: .*not a PDF or an image/,
    );

    const queue = docs.store.inbox().slice(before);
    expect(queue).toHaveLength(4);
    const fax = queue.find((d) => d.originRef === 'Fax_from_Mercy-Radiology.pdf')!;
    expect(fax).toMatchObject({
      status: 'unfiled',
      patientId: null,
      category: null,
      origin: 'scan',
      mimeType: 'application/pdf',
      title: 'Fax from Mercy Radiology',
      source: 'Scanner/fax folder: Fax_from_Mercy-Radiology.pdf',
      createdBy: 'cli:documents',
    });
    expect(Buffer.from(docs.store.bytes(fax.id)!).equals(pdf)).toBe(true);
    expect(queue.map((d) => d.mimeType).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff']);
    // Each went through the writer: audited and queued for sync.
    const outbox = store.sqlite.prepare("SELECT count(*) AS n FROM sync_outbox WHERE entity = 'document' AND entity_id = ?").get(fax.id) as { n: number };
    expect(outbox.n).toBe(1);
  });

  it('waits for a file still being copied in (two writes) and keeps it whole', async () => {
    const dir = folder();
    const pdf = await pdfWith('slow copy');
    const half = Math.floor(pdf.length / 2);
    writeFileSync(join(dir, 'slow.pdf'), pdf.subarray(0, half));
    const inbox = new ScanInbox({ dir, documents: docs, actor: () => ACTOR, settleMs: 400 });
    const scanning = inbox.scanOnce();
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(join(dir, 'slow.pdf'), pdf.subarray(half));
    const first = await scanning;
    expect(first).toMatchObject({ added: 0, changing: 1, refused: [] });
    expect(existsSync(join(dir, 'slow.pdf'))).toBe(true);

    const second = await inbox.scanOnce();
    expect(second).toMatchObject({ added: 1, changing: 0 });
    const kept = docs.store.inbox().find((d) => d.originRef === 'slow.pdf')!;
    expect(kept.sizeBytes).toBe(pdf.length);
    expect(Buffer.from(docs.store.bytes(kept.id)!).equals(pdf)).toBe(true);
  });

  it('leaves the files in the folder while nobody may write, and never keeps the same file twice', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a.png'), png());
    let actor: Actor | null = null;
    const inbox = new ScanInbox({ dir, documents: docs, actor: () => actor, settleMs: 50 });
    expect((await inbox.scanOnce()).added).toBe(0);
    expect(existsSync(join(dir, 'a.png'))).toBe(true);
    actor = ACTOR;
    expect((await inbox.scanOnce()).added).toBe(1);
    const count = (): number => docs.store.inbox().filter((d) => d.originRef === 'a.png').length;
    expect(count()).toBe(1);
    // As if the program stopped after keeping it but before moving it: the file is back, and is not kept again.
    copyFileSync(join(dir, FILED_DIR, 'a.png'), join(dir, 'a.png'));
    await inbox.scanOnce();
    expect(count()).toBe(1);
    expect(readdirSync(join(dir, FILED_DIR)).sort()).toEqual(['a (2).png', 'a.png']);
  });

  it('refuses a file over the size limit without reading it', async () => {
    const dir = folder();
    const big = join(dir, 'huge.pdf');
    writeFileSync(big, '%PDF-1.7\n');
    // A sparse 40 MB file: its size is known from stat alone.
    truncateSync(big, 40 * 1024 * 1024);
    const r = await new ScanInbox({ dir, documents: docs, actor: () => ACTOR, settleMs: 50 }).scanOnce();
    expect(r.refused).toEqual([
      { file: 'huge.pdf', reason: 'this file is 40.0 MB; Cairn keeps documents up to 32.0 MB: scan it at a lower resolution or in parts' },
    ]);
    expect(existsSync(join(dir, REFUSED_DIR, 'huge.pdf.txt'))).toBe(true);
  });

  it('waits for an empty file to be filled, and refuses one left empty past the grace period with the reason beside it', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'fax-0001.pdf'), '');
    const inbox = (graceMs: number): ScanInbox => new ScanInbox({ dir, documents: docs, actor: () => ACTOR, settleMs: 50, emptyGraceMs: graceMs });
    // Just created: a scanner is still writing it.
    const early = await inbox(60_000).scanOnce();
    expect(early).toEqual({ added: 0, refused: [], changing: 1 });
    expect(existsSync(join(dir, 'fax-0001.pdf'))).toBe(true);
    // Left empty for longer than the grace period: refused, never kept, and said why.
    utimesSync(join(dir, 'fax-0001.pdf'), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const late = await inbox(60_000).scanOnce();
    expect(late.added).toBe(0);
    expect(late.refused).toHaveLength(1);
    expect(late.refused[0]!.reason).toMatch(/empty \(0 bytes\) and stayed empty for 1 minute: the scan or fax never arrived/);
    expect(existsSync(join(dir, 'fax-0001.pdf'))).toBe(false);
    expect(readFileSync(join(dir, REFUSED_DIR, 'fax-0001.pdf.txt'), 'utf8')).toMatch(/stayed empty/);
    expect(docs.store.inbox().some((d) => d.originRef === 'fax-0001.pdf')).toBe(false);
  });

  it('watches the folder: a file dropped after start is kept within seconds, and nothing after stop', async () => {
    const dir = folder();
    const inbox = new ScanInbox({ dir, documents: docs, actor: () => ACTOR, settleMs: 100, pollMs: 500 });
    inbox.start();
    writeFileSync(join(dir, 'watched.tiff'), tiff());
    const deadline = Date.now() + 8000;
    while (!existsSync(join(dir, FILED_DIR, 'watched.tiff')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(join(dir, FILED_DIR, 'watched.tiff'))).toBe(true);
    await inbox.stop();
    writeFileSync(join(dir, 'after-stop.png'), png());
    await new Promise((r) => setTimeout(r, 800));
    expect(existsSync(join(dir, 'after-stop.png'))).toBe(true);
  });
});
