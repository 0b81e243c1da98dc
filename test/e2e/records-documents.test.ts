import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/api/documents.contract';
import type { Patient } from '../../shared/domain/patient';
import { DocumentsService } from '../../electron/services/records/documents.service';
import { ScanInbox } from '../../electron/services/records/scan-inbox';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { DESK, openChart, signIn, signOut } from '../helpers/clinic-day';
import { tempDir } from '../helpers/temp-db';
import { canvasInk, choose, chooseFile, faxTiff, scannedPdf, SETTLE, Steps, watchCsp } from './records.helpers';

/**
 * Scanned and faxed documents in Chromium over a real encrypted database: the front desk points
 * the inbox at the scanner's folder, a scanned PDF dropped there is taken in by the real scan-folder
 * reader, a fax TIFF is added at the desk; both wait unfiled (oldest first) and are filed to the
 * chart chosen by search. The physician opens the chart's Documents tab and reads the PDF (drawn by
 * pdf.js: a canvas with ink) and both pages of the fax (decoded in the screen), zooms, filters by
 * category, corrects a title, and a "PDF" that is not one is refused with the backend's own message.
 * axe-core on every screen; screenshots test-results/records/documents-NN-*.png.
 */
describe('documents and the scan/fax inbox in Chromium', () => {
  const t = tempDir('cairn-e2e-records-documents-');
  const scanDir = join(t.dir, 'scanner');
  const steps = new Steps('documents');
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  let csp: string[];
  let rosa: Patient;
  const tab = (name: string): ReturnType<Page['getByRole']> => page.getByRole('tab', { name });

  beforeAll(async () => {
    mkdirSync(scanDir, { recursive: true });
    clinic = await openClinic(t.dir);
    rosa = await clinic.ok<Patient>('patients.create', { givenName: 'Rosa', familyName: 'Alvarez', birthDate: '1984-02-11', sex: 'female' });
    await clinic.ok('patients.create', { givenName: 'Rosalind', familyName: 'Alvarado', birthDate: '1979-09-30', sex: 'female' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.create', { username: DESK.username, displayName: DESK.displayName, role: 'front_desk', password: DESK.password });
    await clinic.ok('session.logout');
    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open());
    csp = watchCsp(page);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('front desk: watches the scanner folder; a scan dropped there and a fax added at the desk wait unfiled, oldest first', async () => {
    await signIn(page, DESK);
    await page.getByRole('button', { name: 'Document inbox' }).click();
    const inbox = page.getByTestId('documents-inbox');
    await inbox.getByTestId('inbox-empty').waitFor();
    await inbox.getByLabel('Scan or fax folder').fill(scanDir);
    await inbox.getByRole('button', { name: 'Watch this folder' }).click();
    await expect.poll(() => inbox.getByTestId('watched-folder-now').textContent(), SETTLE).toContain(scanDir);
    await expect(clinic.ok<{ dir: string | null }>('documents.inboxSettings')).resolves.toEqual({ dir: scanDir });

    // The scanner saves into the folder; the device's folder reader (as the desktop runs it) takes it in.
    writeFileSync(join(scanDir, 'Quest lab 2026-03-02.pdf'), await scannedPdf('Quest Diagnostics'));
    const me = await clinic.ok<{ user: { id: string } }>('session.status');
    const reader = new ScanInbox({ dir: scanDir, documents: new DocumentsService(clinic.session.repos), actor: () => ({ userId: me.user.id }), settleMs: 50 });
    await expect(reader.scanOnce()).resolves.toMatchObject({ added: 1, refused: [] });

    // Nobody clicks anything: the navigation's count is asked for every few seconds, and the list follows it.
    const rows = inbox.getByTestId('inbox-row');
    await expect.poll(() => page.getByTestId('documents-inbox-badge').textContent(), { timeout: 30_000 }).toBe('1');
    await expect.poll(() => rows.count(), SETTLE).toBe(1);
    expect(await rows.first().textContent()).toContain('Quest lab 2026-03-02');
    // A fax that arrived by e-mail is added at the desk.
    await chooseFile(page, inbox.getByRole('button', { name: 'Add a file' }), 'fax-st-marys-discharge.tif', faxTiff(), 'image/tiff');
    await expect.poll(() => rows.count(), SETTLE).toBe(2);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('Quest lab 2026-03-02'), expect.stringContaining('fax-st-marys-discharge')]);
    await expect.poll(() => page.getByTestId('documents-inbox-badge').textContent(), SETTLE).toBe('2');
    await steps.step(page, 'inbox-unfiled');
  });

  it('front desk: previews the scan and files it to the chart found by search (never pre-selected); the fax too', async () => {
    const inbox = page.getByTestId('documents-inbox');
    await inbox.getByRole('button', { name: 'Quest lab 2026-03-02', exact: true }).click();
    const canvas = inbox.getByTestId('pdf-canvas');
    await expect.poll(() => canvas.getAttribute('data-rendered'), SETTLE).not.toBe('0');
    expect((await canvasInk(canvas)).dark).toBeGreaterThan(1000);
    const form = inbox.getByTestId('file-to-chart');
    // Nobody is chosen for her: filing without a patient is refused on the screen.
    expect(await form.getByLabel('Patient').inputValue()).toBe('');
    await form.getByRole('button', { name: 'File to chart' }).click();
    await form.getByText('choose the patient whose chart this is').waitFor();
    await steps.step(page, 'inbox-preview-pdf');

    await form.getByLabel('Patient').fill('alva');
    await page.getByRole('option', { name: /Alvarez, Rosa · born 1984-02-11/ }).click();
    await choose(page, form.getByLabel('Category'), 'Outside lab');
    await form.getByLabel('Title').fill('Quest HbA1c');
    await form.getByLabel('Document date').fill('2026-03-02');
    await steps.step(page, 'inbox-file-form');
    await form.getByRole('button', { name: 'File to chart' }).click();
    await expect.poll(() => inbox.getByTestId('inbox-filed').textContent(), SETTLE).toContain("Quest HbA1c was filed to Alvarez, Rosa's chart.");

    await inbox.getByRole('button', { name: 'fax-st-marys-discharge', exact: true }).click();
    await inbox.getByTestId('tiff-canvas').waitFor();
    await form.getByLabel('Patient').fill('Alvarez');
    await page.getByRole('option', { name: /Alvarez, Rosa/ }).click();
    await choose(page, form.getByLabel('Category'), 'Outside records');
    await form.getByLabel('Title').fill("St Mary's discharge fax");
    await form.getByRole('button', { name: 'File to chart' }).click();
    await inbox.getByTestId('inbox-empty').waitFor(SETTLE);
    await steps.step(page, 'inbox-all-filed');

    const filed = await clinic.ok<DocumentMeta[]>('documents.list', { patientId: rosa.id });
    expect(filed.map((d) => [d.title, d.category, d.mimeType, d.status, d.patientId]).sort()).toEqual([
      ['Quest HbA1c', 'outside_lab', 'application/pdf', 'filed', rosa.id],
      ["St Mary's discharge fax", 'outside_records', 'image/tiff', 'filed', rosa.id],
    ]);
    // The scan came through the folder reader.
    expect(filed.find((d) => d.title === 'Quest HbA1c')?.origin).toBe('scan');
    await signOut(page);
  });

  it('physician: the Documents tab lists them; the PDF is drawn by pdf.js, zooms, and the fax shows both pages', async () => {
    await signIn(page, CLINIC.doc);
    await openChart(page, 'alvarez');
    await tab('Documents').click();
    const docs = page.getByTestId('documents-tab');
    await expect.poll(() => docs.getByTestId('document-row').count(), SETTLE).toBe(2);
    await docs.getByRole('button', { name: 'Quest HbA1c', exact: true }).click();
    const canvas = docs.getByTestId('pdf-canvas');
    await expect.poll(() => canvas.getAttribute('data-rendered'), SETTLE).toBe('1');
    const ink = await canvasInk(canvas);
    expect(ink.dark).toBeGreaterThan(1000);
    // The dark band is at the top of the page: ink in the top third, little below it.
    expect(ink.topThird).toBeGreaterThan(ink.dark * 0.8);
    expect(await docs.getByTestId('viewer-page').textContent()).toBe('Page 1 of 1');
    // Drawn in pdf.js's own worker (the app's bundled file, allowed by the CSP), not a main-thread fallback.
    expect(page.workers().map((w) => w.url())).toEqual(expect.arrayContaining([expect.stringMatching(/\/assets\/pdf\.worker\.min-[\w-]+\.js$/)]));
    await steps.step(page, 'chart-pdf');
    await docs.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => canvas.getAttribute('data-rendered'), SETTLE).toBe('2');
    expect((await canvasInk(canvas)).width).toBeGreaterThan(ink.width);
    expect(await docs.getByTestId('viewer-zoom').textContent()).toBe('125%');

    await docs.getByRole('button', { name: "St Mary's discharge fax", exact: true }).click();
    const fax = docs.getByTestId('tiff-canvas');
    await expect.poll(() => fax.getAttribute('data-rendered'), SETTLE).toBe('1');
    const p1 = await canvasInk(fax);
    expect(p1).toMatchObject({ width: 320, height: 240 });
    expect(p1.dark).toBe(320 * 80);
    expect(p1.topThird).toBe(p1.dark);
    expect(await docs.getByTestId('viewer-page').textContent()).toBe('Page 1 of 2');
    await docs.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => docs.getByTestId('viewer-page').textContent(), SETTLE).toBe('Page 2 of 2');
    await expect.poll(() => fax.getAttribute('data-rendered'), SETTLE).toBe('2');
    const p2 = await canvasInk(fax);
    expect(p2.dark).toBe(80 * 240);
    expect(p2.leftQuarter).toBe(p2.dark);
    expect(await fax.getAttribute('aria-label')).toBe("St Mary's discharge fax, page 2 of 2");
    await steps.step(page, 'chart-fax-page-2');

    // Filter by category.
    await choose(page, docs.getByLabel('Category'), 'Outside lab');
    await expect.poll(() => docs.getByTestId('document-row').allTextContents(), SETTLE).toEqual([expect.stringContaining('Quest HbA1c')]);
  });

  it('physician: a "PDF" that is not one is refused with the backend\'s message; a real photo attaches and shows; a title is corrected', async () => {
    await openChart(page, 'alvarez');
    await tab('Documents').click();
    const docs = page.getByTestId('documents-tab');
    await docs.getByRole('button', { name: 'Attach document' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attach a document' });
    const fake = Buffer.from('Dear Dr. House, this letter is plain text saved with a .pdf name.\n');
    await chooseFile(page, dialog.getByLabel('File'), 'consult-letter.pdf', fake, 'application/pdf');
    await choose(page, dialog.getByLabel('Category'), 'Consult letter');
    expect(await dialog.getByLabel('Title').inputValue()).toBe('consult-letter');
    await dialog.getByRole('button', { name: 'Attach to chart' }).click();
    const refusal = dialog.getByTestId('attach-error');
    await refusal.waitFor(SETTLE);
    // Exactly what the backend says of these bytes, and nothing was kept.
    const direct = await clinic.call('documents.attach', {
      patientId: rosa.id,
      category: 'consult_letter',
      title: 'consult-letter',
      fileName: 'consult-letter.pdf',
      dataBase64: fake.toString('base64'),
    });
    expect(direct.ok).toBe(false);
    if (!direct.ok) expect(await refusal.textContent()).toBe(direct.error.message);
    expect(await clinic.ok<DocumentMeta[]>('documents.list', { patientId: rosa.id })).toHaveLength(2);
    await steps.step(page, 'attach-refused');

    // The same dialog takes a real picture (a PNG of an insurance card).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await chooseFile(page, dialog.getByLabel('File'), 'card-front.png', png, 'image/png');
    await choose(page, dialog.getByLabel('Category'), 'Insurance card');
    await dialog.getByLabel('Title').fill('Insurance card, front');
    await dialog.getByLabel('Source').fill('Scanned at the front desk');
    await dialog.getByRole('button', { name: 'Attach to chart' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    await docs.getByTestId('image-view').waitFor(SETTLE);
    expect(await docs.getByTestId('image-view').getAttribute('alt')).toBe('Insurance card, front');
    await expect.poll(() => docs.getByTestId('document-row').count(), SETTLE).toBe(3);
    await steps.step(page, 'attached-image');

    await docs.getByRole('button', { name: 'Edit Quest HbA1c' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Quest HbA1c' });
    await edit.getByLabel('Title').fill('Quest HbA1c 6.1%');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await docs.getByRole('button', { name: 'Quest HbA1c 6.1%', exact: true }).waitFor(SETTLE);
    await docs.getByRole('button', { name: 'Remove Insurance card, front' }).click();
    const remove = page.getByRole('dialog', { name: 'Remove Insurance card, front' });
    await remove.getByLabel('Why is it removed?').fill('duplicate of the card on the coverage');
    await remove.getByRole('button', { name: 'Remove document' }).click();
    await expect.poll(() => docs.getByTestId('document-row').count(), SETTLE).toBe(2);
    await steps.step(page, 'after-edit-remove');
  });

  it("every screen passes axe-core (WCAG 2.1 A/AA); no script error; no CSP violation (the pdf.js worker is the app's own)", () => {
    expect(steps.failures, steps.failures.join('\n\n')).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(csp).toEqual([]);
  });
});
