import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/api/documents.contract';
import type { ReconcileSectionView } from '../../shared/api/ccda.contract';
import type { ImagingOrder } from '../../shared/domain/imaging';
import type { Patient } from '../../shared/domain/patient';
import type { CareEvent, Referral } from '../../shared/domain/referrals';
import { dispatch } from '../../electron/services/dispatch';
import type { Handlers } from '../../electron/services/handlers';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { launchChromium } from '../helpers/browser';
import { CLINIC } from '../helpers/clinic';
import { DESK, NURSE, openChart, signIn, signOut } from '../helpers/clinic-day';
import { pdfLines } from '../helpers/pdf-text';
import { tempDir } from '../helpers/temp-db';
import { canvasInk, choose, chooseFile, scannedPdf } from './records.helpers';
import {
  CARDIOLOGIST,
  dischargeNotice,
  Journal,
  MRS_X,
  NIST_CCD,
  openJourneyRig,
  openScreen,
  SETTLE,
  syncDevice,
  type JourneyRig,
  type Screen,
} from './records-journey.helpers';

const ADT_A03 = 'test/fixtures/hl7v2/inbound/ADT-A03-hospital-v2.5.hl7';
const FAX_LAB = 'fax 2026-12-01 Quest lipid panel';
const FAX_CONSULT = 'fax 2026-12-14 Lakeside Heart consult';

/** A channel's value on a device, read through the real dispatcher (as the person signed in there). */
async function read<T>(handlers: Handlers, channel: string, input: unknown): Promise<T> {
  const r = await dispatch(handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Waits until a PDF is drawn in `within` (a canvas with ink), or fails with the message the viewer shows instead. */
async function pdfDrawn(within: Locator): Promise<void> {
  const canvas = within.getByTestId('pdf-canvas');
  const refusal = within.getByRole('alert');
  await canvas.or(refusal).first().waitFor(SETTLE);
  if (!(await canvas.isVisible())) expect.fail(`the viewer did not open the document: ${await refusal.first().textContent()}`);
  await expect.poll(() => canvas.getAttribute('data-rendered'), SETTLE).toBe('1');
  expect((await canvasInk(canvas)).dark).toBeGreaterThan(1000);
}

/**
 * A day of records in and out across two devices, every part real: a clinic server on PGlite, the
 * front desk PC and the physician's laptop (enrolled encrypted databases, the real dispatcher behind
 * the built renderer in Chromium), synced through the server between the steps by the app's own
 * loop (rows, then document bytes). A fax dropped in the PC's watched scan folder is filed by the
 * front desk to Mrs X's chart (picked by search); on the laptop the physician opens it (its bytes
 * fetched from the server on first open), imports and reconciles a C-CDA, refers her to a
 * cardiologist from the address book and orders a CT head. A week later the front desk finds the
 * referral overdue, books it, files the consult letter fax and records it on the referral; the
 * physician reads it and closes the referral; a hospital's ADT^A03 discharge for her, received by
 * the PC's HL7 interface (Hl7Ingest) and synced, is worked by a nurse on the laptop's
 * care-coordination list. axe-core (WCAG 2.1 A/AA) on every screen, no script error, no CSP
 * violation; screenshots test-results/records-journey-NN-<step>.png.
 */
describe('records in and out across two devices in Chromium', () => {
  const dirA = tempDir('cairn-e2e-records-journey-a-');
  const dirB = tempDir('cairn-e2e-records-journey-b-');
  const scanDir = join(dirA.dir, 'fax-in');
  const journal = new Journal();
  const screens: Screen[] = [];
  let rig: JourneyRig;
  let web: { pc: WebServer; laptop: WebServer };
  let browser: Browser;
  let mrsX: Patient;
  let desk: Screen;
  let doc: Screen;
  const ids = { labFax: '', consultFax: '', referral: '' };

  const open = async (which: 'pc' | 'laptop'): Promise<Screen> => {
    const s = await openScreen(browser, web[which].url, rig[which].handlers, () => `${which}, after step ${journal.last}`);
    screens.push(s);
    return s;
  };
  const tab = (page: Page, name: string): Locator => page.getByRole('tab', { name, exact: true });
  /** The inbox (refreshed until it shows `title`), as the front desk sees it when the fax software has saved a file. */
  const waitInInbox = async (page: Page, title: string): Promise<Locator> => {
    const inbox = page.getByTestId('documents-inbox');
    const row = inbox.getByTestId('inbox-row').filter({ hasText: title });
    await expect
      .poll(async () => {
        await inbox.getByRole('button', { name: 'Refresh the inbox' }).click();
        return row.count();
      }, SETTLE)
      .toBe(1);
    return inbox;
  };
  /** Files the document shown in the inbox to Mrs X's chart, found by search among the Joneses (nobody is pre-selected). */
  const fileToMrsX = async (page: Page, category: string, newTitle: string): Promise<void> => {
    const inbox = page.getByTestId('documents-inbox');
    const form = inbox.getByTestId('file-to-chart');
    expect(await form.getByLabel('Patient').inputValue()).toBe('');
    await form.getByLabel('Patient').fill('jones');
    await expect.poll(() => page.getByRole('option', { name: /^Jones, / }).count(), SETTLE).toBe(2);
    await page.getByRole('option', { name: /Jones, Myra · born 1947-05-01/ }).click();
    await choose(page, form.getByLabel('Category'), category);
    await form.getByLabel('Title').fill(newTitle);
    await form.getByRole('button', { name: 'File to chart' }).click();
    await expect.poll(() => inbox.getByTestId('inbox-filed').textContent(), SETTLE).toContain(`${newTitle} was filed to Jones, Myra's chart.`);
  };
  const chunksOnLaptop = (documentId: string): number =>
    (rig.laptop.session.repos.store.sqlite.prepare('SELECT count(*) AS n FROM document_chunks WHERE document_id = ?').get(documentId) as { n: number }).n;
  const referralCard = (page: Page): Locator => page.getByTestId('referrals-tab').getByTestId('referral-card');

  beforeAll(async () => {
    if (!existsSync(join(resolve('out/renderer'), 'index.html')))
      throw new Error('out/renderer/index.html is missing: run `npx electron-vite build` first (npm test does)');
    mkdirSync(scanDir, { recursive: true });
    rig = await openJourneyRig(dirA.dir, dirB.dir);
    // Mrs X's chart, and another Jones the search also finds, registered before the day.
    await rig.clinic.ok('session.login', CLINIC.doc);
    mrsX = await rig.clinic.ok<Patient>('patients.create', { ...MRS_X });
    await rig.clinic.ok('patients.create', { givenName: 'Mark', familyName: 'Jones', birthDate: '1950-08-19', sex: 'male' });
    await rig.clinic.ok('session.logout');
    await syncDevice(rig.pc);
    await syncDevice(rig.laptop);
    const rendererDir = resolve('out/renderer');
    const [pc, laptop] = await Promise.all([
      startWebServer({ handlers: rig.pc.handlers, rendererDir, token: 'unused-by-the-bridge' }),
      startWebServer({ handlers: rig.laptop.handlers, rendererDir, token: 'unused-by-the-bridge' }),
    ]);
    web = { pc, laptop };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.pc.close();
    await web?.laptop.close();
    await rig?.close();
    dirA.cleanup();
    dirB.cleanup();
  });

  it('1. front desk (PC): a fax dropped in the watched folder waits unfiled, is previewed and filed to Mrs X as Outside lab; the cardiologist goes in the address book', async () => {
    desk = await open('pc');
    const { page } = desk;
    await signIn(page, DESK);
    await page.getByRole('button', { name: 'Document inbox' }).click();
    const inbox = page.getByTestId('documents-inbox');
    await inbox.getByTestId('inbox-empty').waitFor(SETTLE);
    await inbox.getByLabel('Scan or fax folder').fill(scanDir);
    await inbox.getByRole('button', { name: 'Watch this folder' }).click();
    await expect.poll(() => inbox.getByTestId('watched-folder-now').textContent(), SETTLE).toContain(scanDir);
    await expect.poll(() => rig.scanInbox.watching(), SETTLE).toBe(scanDir);

    // The fax software saves the fax; the desktop's folder watcher takes it in.
    writeFileSync(join(scanDir, `${FAX_LAB}.pdf`), await scannedPdf('Quest Diagnostics: lipid panel'));
    await waitInInbox(page, FAX_LAB);
    await expect.poll(() => page.getByTestId('documents-inbox-badge').textContent(), SETTLE).toBe('1');
    await journal.step(page, 'desk-inbox-unfiled');

    await inbox.getByRole('button', { name: FAX_LAB, exact: true }).click();
    const canvas = inbox.getByTestId('pdf-canvas');
    await expect.poll(() => canvas.getAttribute('data-rendered'), SETTLE).not.toBe('0');
    expect((await canvasInk(canvas)).dark).toBeGreaterThan(1000);
    await journal.step(page, 'desk-inbox-preview');
    await fileToMrsX(page, 'Outside lab', 'Quest lipid panel');
    await inbox.getByTestId('inbox-empty').waitFor(SETTLE);
    await journal.step(page, 'desk-inbox-filed');
    const filed = await read<DocumentMeta[]>(rig.pc.handlers, 'documents.list', { patientId: mrsX.id });
    expect(filed.map((d) => [d.title, d.category, d.status, d.origin])).toEqual([['Quest lipid panel', 'outside_lab', 'filed', 'scan']]);
    ids.labFax = filed[0]!.id;

    // The clinic's address book: the cardiologist the physician refers to.
    await page.getByTestId('nav-referrals').click();
    await tab(page, 'Address book').click();
    const book = page.getByTestId('address-book');
    await book.getByRole('button', { name: 'Add specialist' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to the address book' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(CARDIOLOGIST.name);
    await dialog.getByRole('textbox', { name: 'Organization' }).fill(CARDIOLOGIST.organization);
    await dialog.getByRole('textbox', { name: 'Specialty' }).fill(CARDIOLOGIST.specialty);
    await dialog.getByRole('textbox', { name: 'Phone' }).fill(CARDIOLOGIST.phone);
    await dialog.getByRole('textbox', { name: 'Fax' }).fill(CARDIOLOGIST.fax);
    await dialog.getByRole('button', { name: 'Add to address book' }).click();
    await book.getByTestId('contact-row').filter({ hasText: CARDIOLOGIST.name }).waitFor(SETTLE);
    await journal.step(page, 'desk-address-book');

    await syncDevice(rig.pc);
  });

  it("2a. physician (laptop): Mrs X's chart lists the fax; it opens in the viewer from the clinic server's copy", async () => {
    await syncDevice(rig.laptop);
    doc = await open('laptop');
    const { page } = doc;
    await signIn(page, CLINIC.doc);
    await openChart(page, 'myra');
    await tab(page, 'Documents').click();
    const docs = page.getByTestId('documents-tab');
    await expect.poll(() => docs.getByTestId('document-row').allTextContents(), SETTLE).toEqual([expect.stringContaining('Quest lipid panel')]);
    // The laptop holds only the row: the bytes come from the clinic server when it is first opened.
    expect(chunksOnLaptop(ids.labFax)).toBe(0);
    await docs.getByRole('button', { name: 'Quest lipid panel', exact: true }).click();
    await pdfDrawn(docs);
    expect(chunksOnLaptop(ids.labFax)).toBeGreaterThan(0);
    await journal.step(page, 'doc-fax-opened');
  });

  it('2b. physician (laptop): a C-CDA is reconciled; an urgent cardiology referral is printed and sent; a CT head is ordered', async () => {
    const { page } = doc;
    // The specialist's C-CDA, about Mrs X: imported, then reconciled section by section.
    await tab(page, 'Reconcile').click();
    const rec = page.getByTestId('reconcile-tab');
    const imp = rec.getByTestId('ccda-import');
    await chooseFile(page, imp.getByLabel('C-CDA file'), 'Community Health summary.xml', readFileSync(NIST_CCD), 'text/xml');
    await imp.getByRole('button', { name: 'Import C-CDA' }).click();
    const result = rec.getByTestId('ccda-import-result');
    await expect.poll(() => result.textContent(), SETTLE).toContain('Community Health and Hospitals');
    const problems = rec.locator('[data-testid="reconcile-section"][data-section="problems"]');
    await expect.poll(() => problems.getByRole('heading').textContent(), SETTLE).toBe('Problems (2)');
    const meds = rec.locator('[data-testid="reconcile-section"][data-section="medications"]');
    const medItems = meds.getByTestId('reconcile-item');
    await expect.poll(() => medItems.count(), SETTLE).toBe(2);
    await journal.step(page, 'doc-reconcile-pending');
    await problems.getByRole('button', { name: 'Accept all in Problems' }).click();
    await problems.waitFor({ state: 'detached', ...SETTLE });
    const ignored = ((await medItems.first().textContent()) ?? '').trim();
    await medItems.first().getByRole('button', { name: 'Ignore', exact: true }).click();
    await expect.poll(() => medItems.count(), SETTLE).toBe(1);
    await expect.poll(() => rec.getByTestId('reconcile-notice').textContent(), SETTLE).toMatch(/^Ignored "/);
    await journal.step(page, 'doc-reconciled');
    const decided = await read<ReconcileSectionView[]>(rig.laptop.handlers, 'ccda.items', { patientId: mrsX.id, status: 'all' });
    const medStatus = decided
      .find((s) => s.section === 'medications')!
      .items.map((i) => i.status)
      .sort();
    expect(medStatus, ignored).toEqual(['ignored', 'pending']);

    await tab(page, 'Problems').click();
    const list = page.getByTestId('problem-list');
    await expect.poll(() => list.textContent(), SETTLE).toContain('J18.9');
    expect(await list.textContent()).toMatch(/Pneumonia/i);
    expect(await list.textContent()).toMatch(/Asthma/i);
    await journal.step(page, 'doc-problem-list');

    // An urgent referral to the cardiologist from the address book: a draft, its letter printed, then sent.
    await tab(page, 'Referrals').click();
    const refTab = page.getByTestId('referrals-tab');
    await refTab.getByRole('button', { name: 'New referral' }).click();
    const form = page.getByRole('dialog', { name: 'New referral' });
    await choose(page, form.getByLabel('Specialist (address book)'), `${CARDIOLOGIST.name}, ${CARDIOLOGIST.organization} · Cardiology`);
    await form.getByRole('textbox', { name: 'Reason for referral' }).fill('Exertional chest tightness for 3 weeks; please assess for ischemic heart disease.');
    await form.getByRole('radio', { name: /^Urgent/ }).check();
    await journal.step(page, 'doc-new-referral');
    await form.getByRole('button', { name: 'Save as draft' }).click();
    await form.waitFor({ state: 'detached', ...SETTLE });
    const card = referralCard(page);
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('draft');
    ids.referral = (await card.getAttribute('data-referral-id')) ?? '';
    expect(await card.getByRole('heading').textContent()).toBe(`Cardiology · ${CARDIOLOGIST.name}, ${CARDIOLOGIST.organization}`);
    expect(await card.getByTestId('referral-urgency').textContent()).toBe('Urgent');

    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: 'Print letter' }).click();
    const letter = await download;
    expect(letter.suggestedFilename()).toMatch(/\.pdf$/);
    const text = pdfLines(readFileSync(await letter.path())).join('\n');
    expect(text).toContain('Jones');
    expect(text).toContain(CARDIOLOGIST.name);
    expect(text).toMatch(/chest tightness/);

    await card.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('sent');
    expect(await card.getByTestId('referral-status').textContent()).toBe('Sent');
    await expect.poll(() => refTab.getByTestId('referrals-notice').textContent(), SETTLE).toBe('Referral to Cardiology sent.');
    await journal.step(page, 'doc-referral-sent');

    // A CT head from the imaging study list.
    await tab(page, 'Imaging').click();
    const imaging = page.getByTestId('imaging-tab');
    await imaging.getByRole('button', { name: 'Order imaging' }).click();
    const order = page.getByRole('dialog', { name: 'Order imaging' });
    await order.getByLabel('Studies').fill('CT head');
    await page
      .getByRole('option', { name: /^CT head/i })
      .first()
      .click();
    await order.getByRole('textbox', { name: 'Clinical indication' }).fill('New headaches with dizziness; exclude an intracranial lesion.');
    await journal.step(page, 'doc-order-imaging');
    await order.getByRole('button', { name: 'Place order' }).click();
    await order.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => imaging.getByTestId('imaging-notice').textContent(), SETTLE).toMatch(/^Ordered CT head/i);
    const ordered = imaging.getByTestId('imaging-order');
    expect(await ordered.getAttribute('data-status')).toBe('ordered');
    expect(await ordered.getByTestId('imaging-report-state').textContent()).toBe('Awaiting report');
    await journal.step(page, 'doc-imaging-ordered');

    await syncDevice(rig.laptop);
    await syncDevice(rig.pc);
  });

  it('3. front desk (PC), a week later: the referral is on the overdue worklist; she books it, files the consult letter fax and records it on the referral', async () => {
    // A week and a day after it was sent, no reply yet: past the urgent referral's 7 days.
    rig.later.days = 8;
    const { page } = desk;
    await page.getByTestId('nav-referrals').click();
    await tab(page, 'Overdue').click();
    const overdue = page.getByTestId('overdue-referrals');
    const row = overdue.getByTestId('overdue-row').filter({ hasText: 'Jones' });
    await expect
      .poll(async () => {
        await overdue.getByRole('button', { name: 'Refresh' }).click();
        return row.count();
      }, SETTLE)
      .toBe(1);
    expect(await row.textContent()).toContain(CARDIOLOGIST.name);
    expect(await row.getByTestId('overdue-days').textContent()).toBe('1 day overdue');
    await journal.step(page, 'desk-overdue-worklist');

    await row.click();
    await page.getByTestId('patient-banner').waitFor();
    const card = referralCard(page);
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('sent');
    await card.getByRole('button', { name: 'Mark scheduled' }).click();
    const step = page.getByRole('dialog', { name: 'Mark scheduled' });
    // The cardiologist's first opening: the day after tomorrow (on the PC's moved-on calendar), 9:30.
    const slot = new Date(Date.now() + (rig.later.days + 2) * 86_400_000);
    const local = `${slot.getFullYear()}-${String(slot.getMonth() + 1).padStart(2, '0')}-${String(slot.getDate()).padStart(2, '0')}T09:30`;
    await step.getByLabel('Appointment').fill(local);
    await step.getByRole('button', { name: 'Save appointment' }).click();
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('scheduled');
    expect(await card.getByTestId('referral-status').textContent()).toBe('Scheduled');
    await journal.step(page, 'desk-referral-scheduled');

    // The consult letter comes back by fax.
    writeFileSync(join(scanDir, `${FAX_CONSULT}.pdf`), await scannedPdf('Lakeside Heart: cardiology consultation'));
    await page.getByRole('button', { name: 'Document inbox' }).click();
    const inbox = await waitInInbox(page, FAX_CONSULT);
    await inbox.getByRole('button', { name: FAX_CONSULT, exact: true }).click();
    await expect.poll(() => inbox.getByTestId('pdf-canvas').getAttribute('data-rendered'), SETTLE).not.toBe('0');
    await fileToMrsX(page, 'Consult letter', 'Cardiology consult, Dr. Patel');
    await journal.step(page, 'desk-consult-filed');

    await openChart(page, 'myra');
    await tab(page, 'Referrals').click();
    await card.getByRole('button', { name: 'Consult note received' }).click();
    const received = page.getByRole('dialog', { name: 'Consult note received' });
    await choose(page, received.getByLabel('Consult note'), /^Cardiology consult, Dr\. Patel · Consult letter/);
    await journal.step(page, 'desk-consult-received-form');
    await received.getByRole('button', { name: 'Record consult note' }).click();
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('consult_received');
    expect(await card.getByTestId('referral-status').textContent()).toBe('Consult note received');
    await journal.step(page, 'desk-consult-recorded');

    // Off the worklist: the reply is in.
    await page.getByTestId('nav-referrals').click();
    await page.getByTestId('overdue-referrals').getByTestId('overdue-empty').waitFor(SETTLE);
    const docs = await read<DocumentMeta[]>(rig.pc.handlers, 'documents.list', { patientId: mrsX.id });
    ids.consultFax = docs.find((d) => d.category === 'consult_letter')!.id;
    expect((await read<Referral>(rig.pc.handlers, 'referrals.get', { id: ids.referral })).consultDocumentId).toBe(ids.consultFax);
    await syncDevice(rig.pc);
  });

  it("4a. physician (laptop): the referral says consult note received, and the front desk's consult letter opens from the server's copy", async () => {
    await syncDevice(rig.laptop);
    const { page } = doc;
    await openChart(page, 'myra');
    await tab(page, 'Referrals').click();
    const card = referralCard(page);
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('consult_received');
    expect(await card.getByTestId('referral-status').textContent()).toBe('Consult note received');
    expect(chunksOnLaptop(ids.consultFax)).toBe(0);
    await card.getByRole('button', { name: 'Show consult note' }).click();
    await card.getByTestId('document-viewer-title').waitFor(SETTLE);
    expect(await card.getByTestId('document-viewer-title').textContent()).toContain('Cardiology consult, Dr. Patel');
    await pdfDrawn(card);
    expect(chunksOnLaptop(ids.consultFax)).toBeGreaterThan(0);
    await journal.step(page, 'doc-consult-letter');
  });

  it("4b. physician (laptop): closes the referral; after the hospital's discharge notice reaches the PC's HL7 interface and syncs, a nurse on the laptop works the care-coordination list", async () => {
    const { page } = doc;
    await openChart(page, 'myra');
    await tab(page, 'Referrals').click();
    const card = referralCard(page);
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('consult_received');
    await card.getByRole('button', { name: 'Close referral' }).click();
    const closing = page.getByRole('dialog', { name: 'Close referral' });
    await closing.getByRole('textbox', { name: 'Closing note' }).fill('Stress echo normal; no ischemia. Continue current plan.');
    await closing.getByRole('button', { name: 'Close the referral' }).click();
    await expect.poll(() => card.getAttribute('data-status'), SETTLE).toBe('closed');
    expect(await card.getByTestId('referral-status').textContent()).toBe('Closed');
    await expect.poll(() => card.textContent(), SETTLE).toContain('Closing note: Stress echo normal');
    await journal.step(page, 'doc-referral-closed');
    await syncDevice(rig.laptop);
    await signOut(page);

    // St Mary's discharge notice for Mrs X arrives on the clinic's HL7 interface, which runs on the
    // front desk PC (an operator device: the server takes interface-made changes only from one).
    const ack = new Hl7Ingest(rig.clinic.session.repos).receive(
      dischargeNotice(readFileSync(ADT_A03, 'latin1'), new Date(Date.now() - 20 * 3_600_000)),
      'records-journey',
    );
    expect(ack).toMatchObject({ ack: 'AA', patientId: mrsX.id });
    await syncDevice(rig.pc);
    await syncDevice(rig.laptop);

    await signIn(page, NURSE);
    await page.getByTestId('nav-care').click();
    const care = page.getByTestId('care-screen');
    const row = care.getByTestId('care-row').filter({ hasText: 'Jones, Myra' });
    await expect.poll(() => row.count(), SETTLE).toBe(1);
    expect(await row.getAttribute('data-kind')).toBe('discharge');
    expect(await row.getAttribute('data-follow-up')).toBe('open');
    expect(await row.textContent()).toMatch(/Discharged from ST MARYS HOSPITAL/i);
    await journal.step(page, 'nurse-care-list');
    await row.getByRole('button', { name: 'Mark follow-up done' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mark follow-up done' });
    await dialog.getByRole('textbox', { name: 'Who was reached and what was arranged' }).fill('Spoke with Mrs Jones; follow-up visit booked for Thursday.');
    await journal.step(page, 'nurse-follow-up-form');
    await dialog.getByRole('button', { name: 'Save follow-up' }).click();
    await expect.poll(() => care.getByTestId('care-notice').textContent(), SETTLE).toMatch(/follow-up done\.$/);
    await care.getByTestId('care-empty').waitFor(SETTLE);
    await care.getByRole('switch', { name: 'Show closed follow-ups' }).check();
    await expect.poll(() => row.getAttribute('data-follow-up'), SETTLE).toBe('done');
    expect(await row.textContent()).toContain('Spoke with Mrs Jones');
    await journal.step(page, 'nurse-follow-up-done');

    // Back on the PC after sync: the day's records are there.
    await syncDevice(rig.laptop);
    await syncDevice(rig.pc);
    const onPc = rig.pc.handlers;
    expect((await read<Referral>(onPc, 'referrals.get', { id: ids.referral })).status).toBe('closed');
    const events = await read<CareEvent[]>(onPc, 'care.forPatient', { patientId: mrsX.id });
    expect(events.map((e) => [e.kind, e.followUpStatus])).toEqual([['discharge', 'done']]);
    const imaging = await read<ImagingOrder[]>(onPc, 'imaging.list', { patientId: mrsX.id });
    expect(imaging.map((o) => [o.studies.map((x) => x.display).join(), o.status])).toEqual([[expect.stringMatching(/^CT head/i), 'ordered']]);

    // …and the front desk sees them on the chart.
    const { page: deskPage } = desk;
    await openChart(deskPage, 'myra');
    await tab(deskPage, 'Referrals').click();
    await expect.poll(() => referralCard(deskPage).getAttribute('data-status'), SETTLE).toBe('closed');
    await tab(deskPage, 'Imaging').click();
    const order = deskPage.getByTestId('imaging-tab').getByTestId('imaging-order');
    await expect.poll(() => order.getByRole('heading').textContent(), SETTLE).toMatch(/^CT head/i);
    expect(await order.getByTestId('imaging-report-state').textContent()).toBe('Awaiting report');
    await journal.step(deskPage, 'desk-imaging-synced');
  });

  it('5. every screen passes axe-core (WCAG 2.1 A/AA); no script error; no CSP violation', () => {
    expect(journal.failures, journal.failures.join('\n\n')).toEqual([]);
    for (const s of screens) {
      expect(s.pageErrors).toEqual([]);
      expect(s.csp).toEqual([]);
    }
  });
});
