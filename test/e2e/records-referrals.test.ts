import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../shared/api/documents.contract';
import type { ImagingOrder } from '../../shared/domain/imaging';
import type { Patient } from '../../shared/domain/patient';
import type { Referral } from '../../shared/domain/referrals';
import { addDays, clinicDate } from '../../shared/domain/dates';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { DESK, openChart, signIn, signOut } from '../helpers/clinic-day';
import { pdfLines } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/temp-db';
import { choose, downloaded, letterPdf, SETTLE, Steps } from './records-coordination.helpers';

const DAY_MS = 86_400_000;

/**
 * Referrals and imaging orders in Chromium over a real encrypted database, the clinic's clock under
 * the test's hand. A physician adds a cardiologist to the address book, refers a patient (urgent,
 * ICD-10 R07.9), prints the letter and the C-CDA Referral Note, and sends it; the front desk marks
 * it scheduled; ten days later it is on the overdue list (3 days late); a consult note filed in the
 * chart answers it, it leaves the list, and it is closed. A physician orders a CT head from the
 * study list, prints the requisition, and the report filed in the chart closes the order. axe-core
 * on every screen; screenshots test-results/records/referrals-NN-*.png.
 */
describe('referrals, the address book and imaging orders in Chromium', () => {
  const t = tempDir('cairn-e2e-records-referrals-');
  const steps = new Steps('referrals');
  // The clinic's clock: real time plus what the test moves it on by.
  let ahead = 0;
  const now = (): Date => new Date(Date.now() + ahead);
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  let maria: Patient;
  const tab = (name: string): ReturnType<Page['getByRole']> => page.getByRole('tab', { name });
  const card = (): ReturnType<Page['getByTestId']> => page.getByTestId('referral-card').filter({ hasText: 'Cardiology' });

  beforeAll(async () => {
    clinic = await openClinic(t.dir, now);
    maria = await clinic.ok<Patient>('patients.create', { givenName: 'Maria', familyName: 'Santos', birthDate: '1958-07-19', sex: 'female' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.create', { username: DESK.username, displayName: DESK.displayName, role: 'front_desk', password: DESK.password });
    await clinic.ok('session.logout');
    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open());
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('physician: adds a cardiologist to the address book, finds her by search, corrects her phone', async () => {
    await signIn(page, CLINIC.doc);
    await page.getByRole('button', { name: 'Referrals', exact: true }).click();
    await page.getByRole('heading', { name: 'Overdue referrals' }).waitFor();
    await page.getByTestId('overdue-empty').waitFor(SETTLE);
    await tab('Address book').click();
    const book = page.getByTestId('address-book');
    await book.getByRole('button', { name: 'Add specialist' }).click();
    const add = page.getByRole('dialog', { name: 'Add to the address book' });
    // A wrong NPI is refused with the field's own message, and nothing is added.
    await add.getByLabel('Name').fill('Dr. Amal Patel');
    await add.getByLabel('Organization').fill('Lakeside Heart Center');
    await add.getByLabel('Specialty').fill('Cardiology');
    await add.getByLabel('NPI').fill('1234567890');
    await add.getByRole('button', { name: 'Add to address book' }).click();
    await add.getByText('not an NPI (10 digits with its check digit)').first().waitFor(SETTLE);
    expect(await clinic.ok<unknown[]>('referrals.contacts.list', {})).toEqual([]);
    await add.getByLabel('NPI').fill('1234567893');
    await add.getByLabel('Phone').fill('(608) 555-0110');
    await add.getByLabel('Fax').fill('(608) 555-0111');
    await steps.step(page, 'address-book-add');
    await add.getByRole('button', { name: 'Add to address book' }).click();
    await add.waitFor({ state: 'detached', ...SETTLE });
    await book.getByRole('button', { name: 'Add specialist' }).click();
    const other = page.getByRole('dialog', { name: 'Add to the address book' });
    await other.getByLabel('Name').fill('Dr. Lena Ortiz');
    await other.getByLabel('Specialty').fill('Dermatology');
    await other.getByRole('button', { name: 'Add to address book' }).click();
    await other.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => book.getByTestId('contact-row').count(), SETTLE).toBe(2);

    await book.getByLabel('Search the address book').fill('lakeside');
    await expect.poll(() => book.getByTestId('contact-row').allTextContents(), SETTLE).toEqual([expect.stringContaining('Dr. Amal Patel')]);
    await book.getByRole('button', { name: 'Edit Dr. Amal Patel' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Dr. Amal Patel' });
    await edit.getByLabel('Phone').fill('(608) 555-0120');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => book.getByTestId('contact-row').filter({ hasText: 'Dr. Amal Patel' }).textContent(), SETTLE).toContain('(608) 555-0120');
    await book.getByRole('button', { name: 'Remove Dr. Lena Ortiz' }).click();
    await page.getByRole('dialog', { name: 'Remove Dr. Lena Ortiz' }).getByRole('button', { name: 'Remove from address book' }).click();
    await expect.poll(() => book.getByTestId('contact-row').count(), SETTLE).toBe(1);
    await steps.step(page, 'address-book');
  });

  it('physician: refers Maria (urgent, R07.9) to the cardiologist as a draft, prints the letter and the Referral Note, sends it', async () => {
    await openChart(page, 'santos');
    await tab('Referrals').click();
    const referrals = page.getByTestId('referrals-tab');
    await referrals.getByRole('button', { name: 'New referral' }).click();
    const dialog = page.getByRole('dialog', { name: 'New referral' });
    await choose(page, dialog.getByLabel('Specialist (address book)'), /Dr\. Amal Patel, Lakeside Heart Center · Cardiology/);
    await dialog.getByLabel('Reason for referral').fill('Exertional chest pressure for 3 weeks; abnormal ECG. Please evaluate for ischemia.');
    await dialog.getByRole('radio', { name: /^Urgent/ }).check();
    await dialog.getByLabel('Diagnoses (ICD-10-CM)').fill('R07.9');
    await dialog.getByRole('button', { name: 'Add R07.9 Chest pain, unspecified' }).click();
    await expect.poll(() => dialog.getByTestId('dx-chosen').textContent(), SETTLE).toContain('R07.9');
    await steps.step(page, 'new-referral-dialog');
    await dialog.getByRole('button', { name: 'Save as draft' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    const c = card();
    await expect.poll(() => c.getAttribute('data-status'), SETTLE).toBe('draft');
    expect(await c.getByTestId('referral-urgency').textContent()).toBe('Urgent');
    expect(await c.getByTestId('referral-diagnoses').textContent()).toContain('R07.9 Chest pain, unspecified');
    expect(await page.getByRole('region', { name: 'Cardiology · Dr. Amal Patel, Lakeside Heart Center' }).count()).toBe(1);

    const letter = await downloaded(page, c.getByRole('button', { name: 'Print letter' }));
    expect(letter.name).toMatch(new RegExp(`^referral-${maria.mrn}-.*\\.pdf$`));
    expect(letter.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const lines = pdfLines(letter.bytes).join('\n');
    expect(lines).toContain('Santos');
    expect(lines).toContain('R07.9');
    const note = await downloaded(page, c.getByRole('button', { name: 'Download Referral Note (C-CDA)' }));
    const xml = note.bytes.toString('utf8');
    expect(note.name).toMatch(/\.xml$/);
    expect(xml).toContain('<ClinicalDocument');
    // The C-CDA R2.1 Referral Note's document template.
    expect(xml).toContain('2.16.840.1.113883.10.20.22.1.14');

    await c.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => c.getAttribute('data-status'), SETTLE).toBe('sent');
    const sent = (await clinic.ok<Referral[]>('referrals.list', { patientId: maria.id }))[0]!;
    // Urgent: a reply is expected 7 days after sending.
    expect(sent).toMatchObject({ status: 'sent', urgency: 'urgent', specialty: 'Cardiology', orderedByName: 'Dr. Gregory House' });
    // Counted from the clinic's day it was sent (in the evening UTC's date is already tomorrow).
    const zone = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;
    expect(sent.replyDue).toBe(addDays(clinicDate(sent.sentAt!, zone), 7));
    expect(await c.textContent()).toContain(sent.replyDue);
    await steps.step(page, 'referral-sent');
    await signOut(page);
  });

  it('front desk: may move it along but not make one; marks it scheduled with the appointment', async () => {
    await signIn(page, DESK);
    await openChart(page, 'santos');
    await tab('Referrals').click();
    const c = card();
    await c.waitFor(SETTLE);
    expect(await page.getByRole('button', { name: 'New referral' }).count()).toBe(0);
    await c.getByRole('button', { name: 'Mark scheduled' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mark scheduled' });
    await dialog.getByLabel('Appointment').fill(new Date(now().getTime() + 5 * DAY_MS).toISOString().slice(0, 10) + 'T10:30');
    await steps.step(page, 'mark-scheduled');
    await dialog.getByRole('button', { name: 'Save appointment' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => c.getAttribute('data-status'), SETTLE).toBe('scheduled');
    expect((await clinic.ok<Referral[]>('referrals.list', { patientId: maria.id }))[0]!.appointmentAt).not.toBeNull();
    await signOut(page);
  });

  it('ten days on: the referral is on the overdue list (3 days late), with patient, specialist and urgency', async () => {
    ahead = 10 * DAY_MS;
    await signIn(page, DESK);
    await page.getByRole('button', { name: 'Referrals', exact: true }).click();
    await page.getByRole('heading', { name: 'Overdue referrals' }).waitFor();
    const rows = page.getByTestId('overdue-row');
    await expect.poll(() => rows.count(), SETTLE).toBe(1);
    const text = (await rows.first().textContent()) ?? '';
    expect(text).toContain('3 days overdue');
    expect(text).toContain(`Santos, Maria · MRN ${maria.mrn}`);
    expect(text).toContain('Dr. Amal Patel, Lakeside Heart Center (Cardiology)');
    expect(text).toContain('Urgent');
    await steps.step(page, 'overdue-list');
  });

  it('front desk: the consult note filed in the chart answers it; it leaves the overdue list; it is closed', async () => {
    // The specialist's letter came by fax and was filed in the chart (as the documents screens do).
    const consult = await clinic.ok<DocumentMeta>('documents.attach', {
      patientId: maria.id,
      category: 'consult_letter',
      title: 'Cardiology consult, Dr. Patel',
      source: 'Lakeside Heart Center (fax)',
      fileName: 'patel-consult.pdf',
      dataBase64: (await letterPdf('Cardiology consultation', 'Stress echo normal. No ischemia. Continue risk-factor care.')).toString('base64'),
    });
    // From the worklist to the chart's Referrals tab.
    await page.getByTestId('overdue-row').first().click();
    await page.getByTestId('referrals-tab').waitFor(SETTLE);
    const c = card();
    await c.getByRole('button', { name: 'Consult note received' }).click();
    const dialog = page.getByRole('dialog', { name: 'Consult note received' });
    await choose(page, dialog.getByLabel('Consult note'), /Cardiology consult, Dr\. Patel · Consult letter/);
    await steps.step(page, 'consult-received-dialog');
    await dialog.getByRole('button', { name: 'Record consult note' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => c.getAttribute('data-status'), SETTLE).toBe('consult_received');
    expect((await clinic.ok<Referral[]>('referrals.list', { patientId: maria.id }))[0]!.consultDocumentId).toBe(consult.id);

    // The note opens in the chart's viewer, drawn by pdf.js.
    await c.getByRole('button', { name: 'Show consult note' }).click();
    await expect.poll(() => c.getByTestId('document-viewer-title').textContent(), SETTLE).toBe('Cardiology consult, Dr. Patel');

    await page.getByRole('button', { name: 'Referrals', exact: true }).click();
    await page.getByTestId('overdue-empty').waitFor(SETTLE);
    expect(await clinic.ok<unknown[]>('referrals.overdue', {})).toEqual([]);
    await steps.step(page, 'overdue-list-empty');

    await openChart(page, 'santos');
    await tab('Referrals').click();
    await card().getByRole('button', { name: 'Close referral' }).click();
    const close = page.getByRole('dialog', { name: 'Close referral' });
    await close.getByLabel('Closing note').fill('Consult reviewed with the patient by phone.');
    await close.getByRole('button', { name: 'Close the referral' }).click();
    await close.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => card().getAttribute('data-status'), SETTLE).toBe('closed');
    // A closed referral offers no further step.
    for (const name of ['Send referral', 'Mark scheduled', 'Consult note received', 'Close referral', 'Cancel referral']) {
      expect(await card().getByRole('button', { name }).count()).toBe(0);
    }
    await steps.step(page, 'referral-closed');
    expect((await clinic.ok<Referral[]>('referrals.list', { patientId: maria.id }))[0]).toMatchObject({
      status: 'closed',
      closedNote: 'Consult reviewed with the patient by phone.',
    });
    await signOut(page);
  });

  it('physician: orders a CT head from the study list, prints the requisition; the filed report makes it resulted', async () => {
    await signIn(page, CLINIC.doc);
    await openChart(page, 'santos');
    await tab('Imaging').click();
    const imaging = page.getByTestId('imaging-tab');
    await imaging.getByRole('button', { name: 'Order imaging' }).click();
    const dialog = page.getByRole('dialog', { name: 'Order imaging' });
    // Nothing chosen: the backend's own message for the field.
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.getByText('choose at least one study').first().waitFor(SETTLE);
    await dialog.getByLabel('Studies').fill('CT Head');
    await page.getByRole('option', { name: 'CT Head WO contrast · LOINC 30799-1' }).click();
    await dialog.getByLabel('Clinical indication').fill('New severe headache after a fall; on apixaban.');
    await dialog.getByRole('radio', { name: 'STAT' }).check();
    await dialog.getByLabel('Diagnoses (ICD-10-CM)').fill('R51.9');
    await dialog.getByRole('button', { name: /^Add R51\.9/ }).click();
    await steps.step(page, 'order-imaging-dialog');
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    const order = imaging.getByTestId('imaging-order').filter({ hasText: 'CT Head WO contrast' });
    await expect.poll(() => order.getAttribute('data-status'), SETTLE).toBe('ordered');
    expect(await order.getByTestId('imaging-report-state').textContent()).toBe('Awaiting report');
    const [placed] = await clinic.ok<ImagingOrder[]>('imaging.list', { patientId: maria.id });
    expect(placed).toMatchObject({ status: 'ordered', priority: 'stat', indication: 'New severe headache after a fall; on apixaban.', reported: false });
    expect(placed!.studies.map((s) => s.loinc)).toEqual(['30799-1']);
    expect(placed!.diagnoses.map((d) => d.code)).toEqual(['R51.9']);

    const req = await downloaded(page, order.getByRole('button', { name: 'Print requisition' }));
    expect(req.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfLines(req.bytes).join('\n')).toContain('30799-1');
    await steps.step(page, 'imaging-ordered');

    const report = await clinic.ok<DocumentMeta>('documents.attach', {
      patientId: maria.id,
      category: 'imaging_report',
      title: 'CT head report',
      source: 'Valley Imaging (fax)',
      fileName: 'ct-head.pdf',
      dataBase64: (await letterPdf('CT HEAD WITHOUT CONTRAST', 'Impression: no acute intracranial abnormality.')).toString('base64'),
    });
    await order.getByRole('button', { name: 'Attach report' }).click();
    const attach = page.getByRole('dialog', { name: 'Attach report' });
    await choose(page, attach.getByLabel('Report'), /CT head report · Imaging report/);
    await attach.getByRole('button', { name: 'File as the report' }).click();
    await attach.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => order.getAttribute('data-status'), SETTLE).toBe('final');
    expect(await order.getByTestId('imaging-status').textContent()).toBe('Resulted');
    expect(await order.getByTestId('imaging-report-state').textContent()).toBe('Report received');
    await order.getByRole('button', { name: 'Show report' }).click();
    await expect.poll(() => order.getByTestId('document-viewer-title').textContent(), SETTLE).toBe('CT head report');
    await steps.step(page, 'imaging-resulted');
    expect((await clinic.ok<ImagingOrder[]>('imaging.list', { patientId: maria.id }))[0]).toMatchObject({
      status: 'final',
      reported: true,
      reportDocumentId: report.id,
    });
  });

  it('every screen passes axe-core (WCAG 2.1 A/AA); no script error', () => {
    expect(steps.failures, steps.failures.join('\n\n')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
