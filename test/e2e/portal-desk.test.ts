import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfidentialMark, PortalInviteView, PortalThreadView, ReportedSubmission } from '../../shared/api/portal.contract';
import { wallTime, zonedInstant } from '../../shared/domain/dates';
import type { Patient } from '../../shared/domain/patient';
import type { Problem } from '../../shared/domain/clinical';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { axeViolations, describeViolations } from '../helpers/axe';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { navigation, openChart, signIn, signOut } from '../helpers/clinic-day';
import { resourcesDir, tempDir } from '../helpers/temp-db';
import { PortalArrivals } from './portal-desk-seed';

/** How long a screen may take to show the answer of what was just done (polled, not slept). */
const SETTLE = { timeout: 15_000 };
const NURSE = { username: 'nia', password: 'quiet harbor lantern 7', displayName: 'Nia Okoye' };
const DESK = { username: 'fran', password: 'maple orbit candle 4', displayName: 'Fran Delgado' };
const BILLER = { username: 'bea', password: 'violet anchor marble kettle', displayName: 'Bea Biller' };
/** A valid 1×1 PNG: the photo the patient attached. */
const PHOTO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** A small, well-formed PDF: the care instructions the nurse sends back. */
const INSTRUCTIONS_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const OLD_PHONE = '(217) 555-0100';
const NEW_PHONE = '(217) 555-0199';

async function downloaded(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const d = page.waitForEvent('download');
  await button.click();
  const file = await d;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

async function chooseFile(page: Page, button: Locator, name: string, content: Buffer, mimeType: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await button.click();
  await (await chooser).setFiles({ name, mimeType, buffer: content });
}

/**
 * The desk side of the patient portal in Chromium over a real encrypted database, with what the
 * portal writes arriving through the device's own sync pull applier: the front desk invites a
 * patient (code, expiry, letter), reviews her intake answers at check-in (accepts the new phone,
 * declines the email) and sees online bookings flagged on the flow board; a nurse works a portal
 * thread (attachment, reply with a file, assign, close, chart note); a physician marks a problem
 * hidden from proxies; billing gets no inbox. axe-core on every screen; screenshots under
 * test-results/portal-desk-*.png.
 */
describe('the portal desk in Chromium', () => {
  const t = tempDir('cairn-e2e-portal-desk-');
  const shots = resolve('test-results');
  const tz = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;
  const today = wallTime(Date.now(), tz).date;
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  const failures: string[] = [];
  const ids = { rosa: '', omar: '', maya: '', threadId: '', doc: '' };
  let portal: PortalArrivals;

  /** A screenshot, and axe-core's WCAG 2.1 A/AA check of the screen (all failures reported at the end). */
  const step = async (name: string): Promise<void> => {
    const found = await axeViolations(page);
    await page.screenshot({ path: join(shots, `portal-desk-${name}.png`), fullPage: true });
    if (found.length > 0) failures.push(`${name}:\n${describeViolations(found)}`);
  };
  const at = (minutes: number): string => new Date(zonedInstant(today, minutes, tz)).toISOString();

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    // Signed in as the physician: the charts and a problem to mark.
    const rosa = await clinic.ok<Patient>('patients.create', {
      givenName: 'Rosa',
      familyName: 'Alvarez',
      birthDate: '1984-02-11',
      phone: OLD_PHONE,
      email: 'rosa.alvarez@example.org',
    });
    const omar = await clinic.ok<Patient>('patients.create', { givenName: 'Omar', familyName: 'Benali', birthDate: '1990-07-30' });
    const maya = await clinic.ok<Patient>('patients.create', { givenName: 'Maya', familyName: 'Reyes', birthDate: `${Number(today.slice(0, 4)) - 15}-03-14` });
    Object.assign(ids, { rosa: rosa.id, omar: omar.id, maya: maya.id });
    await clinic.ok('problems.add', { patientId: maya.id, icd10: 'F41.1', chronic: false });
    await clinic.ok('meds.add', { patientId: maya.id, name: 'Norgestimate and ethinyl estradiol', source: 'patient-reported', overrides: [] });
    // Her test result, filed from the lab as any result is.
    const collected = new Date(Date.now() - 48 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';
    const filed = new Hl7Ingest(clinic.session.repos).receive(
      [
        'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|PD1|P|2.5.1',
        `PID|1||${maya.mrn}^^^^MR||Reyes^Maya||${maya.birthDate.replace(/-/g, '')}|F`,
        'OBR|1|PL-PD1^CAIRN|F-PD1^ACME|43304-5^Chlamydia trachomatis rRNA^LN',
        `OBX|1|ST|43304-5^Chlamydia trachomatis rRNA^LN||Not detected||Not detected|N|||F|||${collected}`,
      ].join('\r'),
      'pd1',
    );
    expect(filed).toMatchObject({ patientId: maya.id });
    const [doc] = await clinic.ok<{ id: string }[]>('schedule.providers');
    ids.doc = doc!.id;
    await clinic.ok('schedule.book', { patientId: rosa.id, providerId: doc!.id, typeId: 'follow-up', startAt: at(9 * 60), allowOutsideHours: true });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    for (const [who, role] of [
      [NURSE, 'nurse'],
      [DESK, 'front_desk'],
      [BILLER, 'billing'],
    ] as const)
      await clinic.ok('users.create', { username: who.username, displayName: who.displayName, role, password: who.password });
    await clinic.ok('session.logout');

    // What patients did on the portal, pulled by this device as a sync would bring it.
    portal = new PortalArrivals(clinic.session.repos);
    portal.booking(omar.id, { providerId: doc!.id, typeId: 'follow-up', startAt: at(11 * 60), endAt: at(11 * 60 + 20), reason: 'Booked online: knee pain' });
    ids.threadId = portal.thread(rosa.id, {
      subject: 'Rash on my arm',
      body: 'Hello, I have had a rash on my left arm since Monday. A photo is attached.',
      authorName: 'Rosa Alvarez',
      attachment: { name: 'rash.png', type: 'image/png', data: PHOTO_PNG },
    }).threadId;
    portal.intake(rosa.id, { formId: 'demographics-insurance', formTitle: 'Contact and insurance update' }, [
      { itemId: 'phone', kind: 'demographics', label: 'Phone number', value: { field: 'phone', value: NEW_PHONE } },
      { itemId: 'email', kind: 'demographics', label: 'Email', value: { field: 'email', value: 'rosa.new@example.org' } },
      {
        itemId: 'insurance',
        kind: 'insurance',
        label: 'Insurance',
        value: { payerName: 'Acme Health', memberId: 'ACM123456', groupNumber: 'G9', subscriberName: '' },
      },
    ]);

    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open());
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('front desk: invites the patient and sees the code, its expiry and the letter; a proxy invitation asks for the guardian', async () => {
    await signIn(page, DESK);
    expect((await navigation(page)).items).toContain('Messages');
    await openChart(page, 'alvarez');
    const card = page.getByTestId('portal-access-card');
    await card.getByTestId('portal-invites-none').waitFor();
    await card.getByRole('button', { name: 'Make invitation' }).click();
    const made = card.getByTestId('portal-invite-made');
    await made.waitFor();
    const code = (await made.getByTestId('portal-invite-code').textContent()) ?? '';
    expect(code.replace(/[^0-9A-Z]/g, '')).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    await expect.poll(() => made.getByTestId('portal-invite-expires').textContent(), SETTLE).toMatch(/^Valid until /);
    const letter = await downloaded(page, made.getByRole('button', { name: 'Invitation letter (PDF)' }));
    expect(letter.name).toMatch(/\.pdf$/);
    expect(letter.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const row = card.getByTestId('portal-invite-row');
    await expect.poll(() => row.getAttribute('data-status'), SETTLE).toBe('pending');
    await expect.poll(() => row.getByTestId('portal-invite-state').textContent(), SETTLE).toMatch(/^Waiting: the code works until /);
    await step('01-desk-invite');
    const [invite] = await clinic.ok<PortalInviteView[]>('portal.access', { patientId: ids.rosa });
    expect(invite).toMatchObject({ kind: 'self', status: 'pending' });

    // A parent's access to the teenager's chart: the guardian must be named.
    await openChart(page, 'reyes');
    const teen = page.getByTestId('portal-access-card');
    await teen.getByRole('radio', { name: 'A parent or guardian' }).check();
    await teen.getByRole('button', { name: 'Make invitation' }).click();
    await teen.getByText('name the parent or guardian').first().waitFor();
    await teen.getByLabel("Parent or guardian's name").fill('Lucia Reyes');
    await teen.getByLabel('Relationship to the patient').fill('mother');
    await teen.getByRole('button', { name: 'Make invitation' }).click();
    await teen.getByTestId('portal-invite-made').waitFor();
    await expect.poll(() => teen.getByTestId('portal-invite-row').first().textContent(), SETTLE).toContain('Lucia Reyes (mother)');
    await step('02-desk-proxy-invite');
    // Revoked with a reason: the row says so.
    await teen.getByRole('button', { name: 'Revoke access: Lucia Reyes (mother)' }).click();
    await teen.getByLabel('Why is access revoked?').fill('given to the wrong parent');
    await teen.getByTestId('portal-revoke-confirm').click();
    await expect.poll(() => teen.getByTestId('portal-invite-row').first().getAttribute('data-status'), SETTLE).toBe('revoked');
  });

  it('front desk: the flow board flags the online booking and the reported items; at check-in she accepts the new phone and declines the email', async () => {
    await page.getByTestId('nav-flow-board').click();
    const omar = page.getByTestId('flow-card').filter({ hasText: 'Benali, Omar' });
    const rosa = page.getByTestId('flow-card').filter({ hasText: 'Alvarez, Rosa' });
    await omar.getByTestId('flow-booked-online').filter({ hasText: 'Online' }).waitFor();
    await expect(rosa.getByTestId('flow-booked-online').count()).resolves.toBe(0);
    await expect.poll(() => rosa.getByTestId('reported-pending-count').textContent(), SETTLE).toBe('3 reported items to review');
    await step('03-desk-flow-board');

    await rosa.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-arrived').getByTestId('flow-card').filter({ hasText: 'Alvarez' }).waitFor();
    await rosa.getByTestId('flow-advance').click();
    const dialog = page.getByTestId('check-in-dialog');
    const review = dialog.getByTestId('intake-review');
    await expect.poll(() => review.getByTestId('intake-review-count').textContent(), SETTLE).toBe('3 to review');
    // Each answer beside what the chart holds now.
    const phone = review.getByTestId('reported-item').filter({ hasText: 'Phone number' });
    await expect.poll(() => phone.getByTestId('reported-value').textContent(), SETTLE).toContain(NEW_PHONE);
    await expect.poll(() => phone.getByTestId('reported-chart-now').textContent(), SETTLE).toContain(OLD_PHONE);
    await step('04-desk-check-in-review');

    await review.getByRole('button', { name: 'Accept Phone number' }).click();
    await expect.poll(() => review.getByTestId('intake-review-count').textContent(), SETTLE).toBe('2 to review');
    await expect.poll(() => dialog.getByTestId('check-in-on-file').textContent(), SETTLE).toContain(NEW_PHONE);
    await review.getByRole('button', { name: 'Decline Email' }).click();
    await review.getByLabel('Why decline Email?').fill('patient confirmed the email on file at the desk');
    await review.getByTestId('reported-decline-confirm').click();
    await expect.poll(() => review.getByTestId('intake-review-count').textContent(), SETTLE).toBe('1 to review');
    await step('05-desk-check-in-reviewed');
    await dialog.getByRole('button', { name: 'Not yet' }).click();
    await expect.poll(() => rosa.getByTestId('reported-pending-count').textContent(), SETTLE).toBe('1 reported item to review');

    // The chart holds the accepted phone, not the declined email; what is left waits on the chart too.
    expect((await clinic.ok<Patient>('patients.get', { id: ids.rosa })).phone).toBe(NEW_PHONE);
    expect((await clinic.ok<Patient>('patients.get', { id: ids.rosa })).email).toBe('rosa.alvarez@example.org');
    const all = await clinic.ok<ReportedSubmission[]>('portal.reported', { patientId: ids.rosa, status: 'all' });
    expect(Object.fromEntries(all[0]!.items.map((i) => [i.itemId, i.status]))).toEqual({ phone: 'accepted', email: 'declined', insurance: 'pending' });
    await openChart(page, 'alvarez');
    await expect.poll(() => page.getByTestId('chart-reported-count').textContent(), SETTLE).toBe('1 patient-reported item waits for review (from the portal).');
    await page.getByRole('tab', { name: 'Demographics' }).click();
    await page.getByText(`Phone: ${NEW_PHONE}`).waitFor();
    await step('06-desk-chart-reported');
    await signOut(page);
  });

  it('billing: no inbox in the menu, and the channel refuses a biller', async () => {
    await signIn(page, BILLER);
    const menu = await navigation(page);
    expect(menu.items).not.toContain('Messages');
    await expect(page.getByTestId('nav-portal-inbox').count()).resolves.toBe(0);
    const refused = await clinic.call('portal.inbox', {});
    expect(refused.ok).toBe(false);
    await signOut(page);
  });

  it('nurse: opens the inbox, reads the thread and its photo, replies with a file, assigns, closes and turns it into a chart note', async () => {
    await signIn(page, NURSE);
    const nav = page.getByTestId('nav-portal-inbox');
    await expect.poll(() => nav.getByTestId('portal-waiting-badge').textContent(), SETTLE).toBe('1');
    await nav.click();
    const row = page.getByTestId('portal-thread-row').filter({ hasText: 'Rash on my arm' });
    await expect.poll(() => row.textContent(), SETTLE).toContain('Rosa Alvarez');
    await expect.poll(() => row.getByTestId('portal-thread-assigned').textContent(), SETTLE).toBe('Unassigned');
    await step('07-nurse-inbox');

    await row.click();
    const thread = page.getByTestId('portal-thread');
    await expect.poll(() => thread.getByTestId('portal-thread-subject').textContent(), SETTLE).toBe('Rash on my arm');
    const first = thread.getByTestId('portal-message').first();
    await expect.poll(() => first.getByTestId('message-body').textContent(), SETTLE).toContain('rash on my left arm');
    const photo = await downloaded(page, first.getByRole('button', { name: 'Download rash.png' }));
    expect(photo.name).toBe('rash.png');
    expect(photo.bytes.equals(PHOTO_PNG)).toBe(true);
    await first.getByRole('button', { name: 'Show rash.png' }).click();
    const img = first.getByRole('img', { name: 'Attachment rash.png' });
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), SETTLE).toBe(1);
    await step('08-nurse-thread');

    await thread
      .getByLabel('Reply to the patient')
      .fill('Thank you, Rosa. Please use the cream as in the attached instructions and book a visit if it spreads.');
    await chooseFile(page, thread.getByRole('button', { name: 'Attach a file' }), 'rash-care.pdf', INSTRUCTIONS_PDF, 'application/pdf');
    await thread.getByTestId('portal-reply-file').filter({ hasText: 'rash-care.pdf' }).waitFor();
    await thread.getByRole('button', { name: 'Send reply' }).click();
    const reply = thread.getByTestId('portal-message').filter({ hasText: 'Thank you, Rosa' });
    await expect.poll(() => reply.getAttribute('data-author'), SETTLE).toBe('staff');
    await expect.poll(() => reply.getByTestId('message-attachment').textContent(), SETTLE).toContain('rash-care.pdf');
    await expect.poll(() => thread.getByLabel('Reply to the patient').inputValue(), SETTLE).toBe('');

    await thread.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => row.getByTestId('portal-thread-assigned').textContent(), SETTLE).toBe(NURSE.displayName);
    await page.getByRole('radiogroup', { name: 'Whose threads' }).getByText('Mine', { exact: true }).click();
    await expect.poll(() => page.getByTestId('portal-thread-row').count(), SETTLE).toBe(1);
    // Given to the physician through the picker, then closed.
    await thread.getByLabel('Assigned to').click();
    await page.getByRole('option', { name: 'Dr. Gregory House' }).click();
    await expect.poll(() => page.getByTestId('portal-thread-notice').textContent(), SETTLE).toBe('Assigned to Dr. Gregory House.');
    await expect.poll(() => page.getByTestId('portal-thread-row').count(), SETTLE).toBe(0);
    await thread.getByRole('button', { name: 'Close thread' }).click();
    await expect.poll(() => thread.getAttribute('data-thread-status'), SETTLE).toBe('closed');
    await page.getByRole('radiogroup', { name: 'Show threads' }).getByText('Closed', { exact: true }).click();
    await page.getByRole('radiogroup', { name: 'Whose threads' }).getByText('Anyone', { exact: true }).click();
    await expect.poll(() => page.getByTestId('portal-thread-row').filter({ hasText: 'Rash on my arm' }).count(), SETTLE).toBe(1);

    // The patient writes again; the next sync brings it, and Refresh shows it in the open thread.
    portal.message(ids.rosa, ids.threadId, { body: 'Thank you! The cream helps already.', authorName: 'Rosa Alvarez' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await thread.getByTestId('portal-message').filter({ hasText: 'The cream helps already' }).waitFor();

    await thread.getByRole('button', { name: 'Turn into chart note' }).click();
    await thread.getByTestId('portal-thread-noted').waitFor();
    await step('09-nurse-thread-closed-noted');
    const view = await clinic.ok<PortalThreadView>('portal.thread', { threadId: ids.threadId });
    expect(view.thread).toMatchObject({ status: 'closed', assignedName: 'Dr. Gregory House' });
    expect(view.thread.noteId).not.toBeNull();
    expect(view.messages.map((m) => m.authorKind)).toEqual(['patient', 'staff', 'patient']);
    await signOut(page);
  });

  it('physician: marks a problem, a result and a medication hidden from proxies; each mark shows as a badge', async () => {
    await signIn(page, CLINIC.doc);
    await openChart(page, 'reyes');
    await page.getByRole('tab', { name: 'Problems' }).click();
    const [problem] = await clinic.ok<Problem[]>('problems.list', { patientId: ids.maya });
    const list = page.getByTestId('problem-list');
    await list.getByRole('button', { name: `Hide from proxy: ${problem!.display}` }).click();
    await list.getByTestId('confidential-badge').filter({ hasText: 'Hidden from proxy' }).waitFor();
    await list.getByRole('button', { name: `Show to proxy: ${problem!.display}` }).waitFor();
    await step('10-physician-problem-confidential');

    // The same on her test result and a medication.
    await page.getByRole('tab', { name: 'Results' }).click();
    const results = page.getByTestId('patient-results');
    await results.getByRole('button', { name: /^Hide from proxy: Chlamydia trachomatis rRNA/ }).click();
    await results.getByTestId('confidential-badge').waitFor();
    // Marking is all the button does: the row's trend did not open.
    await expect(page.getByTestId('trend-test').count()).resolves.toBe(0);
    await step('11-physician-result-confidential');
    await page.getByRole('tab', { name: 'Medications' }).click();
    const meds = page.getByTestId('med-list');
    await meds.getByRole('button', { name: 'Hide from proxy: Norgestimate and ethinyl estradiol' }).click();
    await meds.getByTestId('confidential-badge').waitFor();
    const marks = await clinic.ok<ConfidentialMark[]>('portal.confidentialList', { patientId: ids.maya });
    expect(marks.map((m) => [m.recordType, m.hidden]).sort()).toEqual([
      ['condition', true],
      ['medication_event', true],
      ['observation', true],
    ]);
    expect(marks.find((m) => m.recordType === 'condition')?.recordId).toBe(problem!.id);
    await signOut(page);
  });

  it('every portal screen passes axe-core (WCAG 2.1 A/AA) and the page threw nothing', () => {
    expect(failures).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
