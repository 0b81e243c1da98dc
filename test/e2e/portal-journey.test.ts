import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalThreadView, ReportedSubmission } from '../../shared/api/portal.contract';
import type { Patient } from '../../shared/domain/patient';
import { wallTime, zonedInstant } from '../../shared/domain/dates';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers, type Handlers } from '../../electron/services/handlers';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { Session } from '../../electron/services/session';
import { enrollThisDevice } from '../../electron/services/sync';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { bridgedPage, launchChromium } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { openChart, signIn } from '../helpers/clinic-day';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';
import { invite, inviteCode, patient, PortalClient, portalAudit, seed, type PortalServer } from '../integration/portal/portal-server.helpers';
import { DESKTOP, Journal, openSection, PHONE, SHOTS, syncDevice, watchedPage, type Watched } from './portal-journey.helpers';

/** How long a screen may take to show the answer of what was just done (polled, not slept). */
const SETTLE = { timeout: 15_000 };
const NURSE = { username: 'nia', password: 'quiet harbor lantern 7', displayName: 'Nia Okoye' };
const DESK = { username: 'fran', password: 'maple orbit candle 4', displayName: 'Fran Delgado' };
const DEVICE_B_PASSPHRASE = 'correct horse battery staple';
const OLD_PHONE = '(217) 555-0100';
const NEW_PHONE = '(217) 555-0199';
const BIRTH = '1984-02-11';
const EMAIL = 'rosa.alvarez@example.org';
const PASSWORD = 'violet anchor marble kettle';
const SUBJECT = 'Dizzy when I stand up';
/** A 1×1 PNG: the server checks that an attachment's bytes are what its type says. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * The patient portal's whole journey across two desktops, the clinic server and a patient's phone,
 * every part real: a clinic server on PGlite serving /portal/, two enrolled encrypted desktops with
 * the real dispatcher (their staff screens in Chromium over a bridge) and sync, the patient in
 * Chromium at phone size (Home and Results also at desktop size). The front desk invites the patient
 * from the chart (device A); she registers with the code shown, fills the contact form with a new
 * phone number and writes to the care team with a photo; a nurse on the second device (after sync)
 * replies and accepts the new phone into the chart; a final lab result filed on A is released. The
 * patient sees the reply, the result with its flag in plain words and the form as sent, in English
 * and then Spanish. A second patient's attempts at the first one's chart, thread and attachment are
 * 404 and audited as portal.denied. axe-core (WCAG 2.1 A/AA) on every screen visited, no script
 * error, no CSP violation; screenshots test-results/portal-journey-NN-<step>.png.
 */
describe('the patient portal journey in Chromium', () => {
  const dirA = tempDir('cairn-e2e-portal-journey-a-');
  const dirB = tempDir('cairn-e2e-portal-journey-b-');
  const journal = new Journal();
  const tz = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;
  let server: PortalServer;
  let clinic: Clinic;
  let sessionB: Session;
  let handlersB: Handlers;
  let web: WebServer;
  let browser: Browser;
  let docId = '';
  let rosa: Patient;
  let code = '';
  let desk: { page: Page; pageErrors: string[] };
  let patientPage: Watched;
  const ref = { threadId: '', attachment: '' };

  const syncA = (): Promise<void> => syncDevice(clinic.session.repos, docId);
  const syncB = (): Promise<void> => syncDevice(sessionB.repos, docId);
  const staffPage = async (handlers: Handlers): Promise<{ page: Page; pageErrors: string[] }> => {
    const opened = await bridgedPage(browser, handlers, DESKTOP);
    await opened.page.goto(web.url);
    return opened;
  };

  beforeAll(async () => {
    if (!existsSync(join(resolve('out/renderer'), 'portal.html')))
      throw new Error('out/renderer/portal.html is missing: run `npx electron-vite build` first (npm test does)');
    mkdirSync(SHOTS, { recursive: true });
    [server, clinic] = await Promise.all([startTestServer('pglite'), openClinic(dirA.dir)]);

    // Device A, the front desk PC (signed in as the physician): the chart and tomorrow's follow-up,
    // whose forms include the contact details one (resources/portal/portal-settings.json, intake "*").
    rosa = await clinic.ok<Patient>('patients.create', { givenName: 'Rosa', familyName: 'Alvarez', birthDate: BIRTH, sex: 'female', phone: OLD_PHONE });
    const [doc] = await clinic.ok<{ id: string }[]>('schedule.providers');
    const tomorrow = wallTime(Date.now() + 86_400_000, tz).date;
    await clinic.ok('schedule.book', {
      patientId: rosa.id,
      providerId: doc!.id,
      typeId: 'follow-up',
      startAt: new Date(zonedInstant(tomorrow, 10 * 60, tz)).toISOString(),
      allowOutsideHours: true,
    });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    for (const [who, role] of [
      [NURSE, 'nurse'],
      [DESK, 'front_desk'],
    ] as const)
      await clinic.ok('users.create', { username: who.username, displayName: who.displayName, role, password: who.password });
    await clinic.ok('session.logout');

    // Enrolled as an operator device: its lab interface files results for the clinic.
    const repos = clinic.session.repos;
    const enrolA = await server.sync.createEnrollmentCode('Front desk PC', 24, { operator: true });
    await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code: enrolA.code, deviceName: 'Front desk PC' });
    await signInClinicUsers(repos.store.sqlite);
    docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    await syncA();

    // Device B, the nurse's laptop: an empty encrypted database that gets the clinic from the server.
    const { store, file } = await newStore(dirB.dir, DEVICE_B_PASSPHRASE);
    store.close();
    sessionB = new Session({ dbFile: file, resourcesDir });
    await sessionB.unlock(DEVICE_B_PASSPHRASE);
    const enrolB = await server.sync.createEnrollmentCode('Exam room laptop');
    await enrollThisDevice(sessionB.repos.store, sessionB.repos, { serverUrl: server.url, code: enrolB.code, deviceName: 'Exam room laptop' });
    await signInClinicUsers(sessionB.repos.store.sqlite);
    await syncB();
    handlersB = createHandlers({ session: sessionB });

    web = await startWebServer({ handlers: clinic.handlers, rendererDir: resolve('out/renderer'), token: 'unused-by-the-bridge' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    sessionB?.close();
    clinic?.session.close();
    await server?.stop();
    dirA.cleanup();
    dirB.cleanup();
  });

  it('1. device A: the front desk makes a portal invitation from the chart and reads the code off the screen', async () => {
    desk = await staffPage(clinic.handlers);
    const { page } = desk;
    await signIn(page, DESK);
    await openChart(page, 'alvarez');
    const card = page.getByTestId('portal-access-card');
    await card.getByRole('radio', { name: 'The patient' }).check();
    await card.getByRole('button', { name: 'Make invitation' }).click();
    const made = card.getByTestId('portal-invite-made');
    await made.waitFor();
    code = ((await made.getByTestId('portal-invite-code').textContent()) ?? '').trim();
    expect(code.replace(/[^0-9A-Z]/g, '')).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    await expect.poll(() => made.getByTestId('portal-invite-expires').textContent(), SETTLE).toMatch(/^Valid until /);
    await journal.step(page, 'desk-invite');
    await syncA();
  });

  it('2. the patient registers on her phone with the code and her birth date and lands on Home', async () => {
    patientPage = await watchedPage(browser, PHONE);
    const { page } = patientPage;
    await page.goto(`${server.url}/portal/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to your patient portal' }).waitFor();
    await journal.step(page, 'patient-signin');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
    await page.getByRole('textbox', { name: 'Invitation code' }).fill(code);
    await page.getByLabel('Date of birth').fill(BIRTH);
    await page.getByRole('textbox', { name: 'Your name' }).fill('Rosa Alvarez');
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(EMAIL);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
    await page.getByRole('textbox', { name: 'Repeat the password' }).fill(PASSWORD);
    await journal.step(page, 'patient-register');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, Rosa Alvarez' }).waitFor();
    await page.getByTestId('home-next-visit').getByText('Follow-up').waitFor();
    await page.getByTestId('home-forms').getByText('2 forms to fill before your visit.').waitFor();
    await journal.step(page, 'patient-home');
  });

  it('3. the patient updates her phone number on the contact form and writes to the care team with a photo', async () => {
    const { page } = patientPage;
    await openSection(page, 'Forms');
    await page.getByRole('link', { name: 'Fill in Contact details and insurance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contact details and insurance' }).waitFor();
    await page.getByRole('textbox', { name: 'Phone number' }).fill(NEW_PHONE);
    await journal.step(page, 'patient-form');
    await page.getByRole('button', { name: 'Send to the clinic' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
    await page.getByTestId('form-done').waitFor();
    await journal.step(page, 'patient-form-done');

    await openSection(page, 'Messages');
    await page.getByRole('link', { name: 'New message' }).click();
    await page.getByRole('heading', { level: 1, name: 'New message' }).waitFor();
    await page.getByRole('textbox', { name: 'Subject' }).fill(SUBJECT);
    await page.getByRole('textbox', { name: 'Message' }).fill('Since the new tablets I feel dizzy when I get up in the morning. Is that expected?');
    await page.locator('input[type="file"]').setInputFiles({ name: 'readings.png', mimeType: 'image/png', buffer: PNG });
    await journal.step(page, 'patient-new-message');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    const download = page.getByRole('link', { name: /^Download readings\.png/ });
    ref.attachment = (await download.getAttribute('href')) ?? '';
    expect(ref.attachment).toMatch(new RegExp(`/charts/${rosa.id}/messages/[^/]+/attachment`));
    ref.threadId = decodeURIComponent(/#\/messages\/([^/?]+)/.exec(page.url())?.[1] ?? '');
    expect(ref.threadId).not.toBe('');
    await journal.step(page, 'patient-thread-sent');
  });

  it('4. device B after sync: the nurse replies in Messages and accepts the reported phone; a final lab result filed on A is synced', async () => {
    // The lab's result arrives on device A's interface, final, with a high glucose.
    const at = new Date(Date.now() - 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';
    const oru = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|PORTAL-JOURNEY-1|P|2.5.1',
      `PID|1||${rosa.mrn}^^^^MR||Alvarez^Rosa||${BIRTH.replace(/-/g, '')}|F`,
      'OBR|1|PL-J1^CAIRN|FI-J1^ACME|2345-7^Glucose^LN',
      `OBX|1|NM|2345-7^Glucose^LN||182|mg/dL|70-99|H|||F|||${at}`,
    ].join('\r');
    expect(new Hl7Ingest(clinic.session.repos).receive(oru, 'portal-journey')).toMatchObject({ ack: 'AA', patientId: rosa.id });
    await syncA();
    await syncB();

    const { page, pageErrors } = await staffPage(handlersB);
    await signIn(page, NURSE);
    await page.getByRole('button', { name: 'Messages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Patient messages' }).waitFor();
    const row = page.locator(`[data-testid="portal-thread-row"][data-thread-id="${ref.threadId}"]`);
    await expect.poll(() => row.textContent(), SETTLE).toContain(SUBJECT);
    await journal.step(page, 'nurse-inbox');
    await row.click();
    const thread = page.getByTestId('portal-thread');
    await thread.getByTestId('portal-message').filter({ hasText: 'feel dizzy' }).waitFor();
    await thread
      .getByLabel('Reply to the patient')
      .fill('Thank you, Rosa. Please stand up slowly and check your blood pressure; we will review the tablets tomorrow.');
    await thread.getByRole('button', { name: 'Send reply' }).click();
    const reply = thread.getByTestId('portal-message').filter({ hasText: 'stand up slowly' });
    await expect.poll(() => reply.getAttribute('data-author'), SETTLE).toBe('staff');
    await journal.step(page, 'nurse-replied');

    await openChart(page, 'alvarez');
    await page.getByTestId('chart-reported').waitFor();
    await page.getByRole('button', { name: 'Review reported items' }).click();
    const dialog = page.getByRole('dialog', { name: 'Patient-reported items' });
    const phone = dialog.locator('[data-testid="reported-item"][data-kind="demographics"]').filter({ hasText: 'Phone number' });
    await expect.poll(() => phone.textContent(), SETTLE).toContain(NEW_PHONE);
    await journal.step(page, 'nurse-review-reported');
    await dialog.getByRole('button', { name: 'Accept Phone number' }).click();
    await expect
      .poll(async () => {
        const r = await dispatch(handlersB, 'patients.get', { id: rosa.id });
        return r.ok ? (r.value as Patient).phone : null;
      }, SETTLE)
      .toBe(NEW_PHONE);
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Demographics' }).click();
    await page.getByText(`Phone: ${NEW_PHONE}`).waitFor();
    await journal.step(page, 'nurse-chart-phone');
    expect(pageErrors).toEqual([]);
    await page.close();

    // Both devices hold the reply and the accepted phone.
    await syncB();
    await syncA();
    expect((await clinic.ok<Patient>('patients.get', { id: rosa.id })).phone).toBe(NEW_PHONE);
    const onA = await clinic.ok<PortalThreadView>('portal.thread', { threadId: ref.threadId });
    expect(onA.messages.map((m) => m.authorKind)).toEqual(['patient', 'staff']);
    const reported = await clinic.ok<ReportedSubmission[]>('portal.reported', { patientId: rosa.id, status: 'all' });
    expect(reported.flatMap((r) => r.items.map((i) => [i.itemId, i.status]))).toEqual([['phone', 'accepted']]);
  });

  it('5. the patient reloads: the care team’s reply, the released result in plain words, the form sent (phone and desktop)', async () => {
    const { page } = patientPage;
    await page.goto(`${server.url}/portal/#/`);
    await page.reload();
    // Home says what is new: the care team's answer and the released result.
    await page.getByRole('heading', { level: 1, name: 'Welcome, Rosa Alvarez' }).waitFor();
    await page.getByTestId('home-unread').getByText('1 conversation with new messages.').waitFor();
    await page.getByTestId('home-new-results').getByText('1 new result since you last looked.').waitFor();
    await journal.step(page, 'patient-home-news');
    await openSection(page, 'Messages');
    const listed = page.getByTestId('thread').filter({ hasText: SUBJECT });
    await listed.getByText('New', { exact: true }).waitFor();
    await listed.getByRole('link', { name: SUBJECT }).click();
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    const staff = page.locator('[data-testid="message"][data-author="staff"]');
    await staff.getByText(/stand up slowly/).waitFor();
    await journal.step(page, 'patient-reply-seen');

    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(viewport);
      await openSection(page, 'Test results');
      const glucose = page.getByTestId('result').filter({ hasText: 'Glucose' });
      await glucose.getByText('Higher than the normal range').waitFor();
      await expect(glucose.getAttribute('data-flag')).resolves.toBe('high');
      await page.getByTestId('released-list').getByRole('row').filter({ hasText: 'Glucose' }).waitFor();
      await journal.step(page, `patient-results-${size}`);
      await openSection(page, 'Home', { heading: 'Welcome, Rosa Alvarez' });
      await page.getByTestId('home-next-visit').getByText('Follow-up').waitFor();
      await journal.step(page, `patient-home-${size}`);
    }
    await page.setViewportSize(PHONE);
    await openSection(page, 'Forms');
    await page
      .getByTestId('form-due')
      .filter({ hasText: 'Contact details and insurance' })
      .getByText(/^Sent /)
      .waitFor();
    await journal.step(page, 'patient-forms-sent');
  });

  it('6. in Spanish: Home, Messages and Results speak the catalogue’s Spanish', async () => {
    const { page } = patientPage;
    await openSection(page, 'My account');
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mi cuenta' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await openSection(page, 'Inicio', { spanish: true, heading: 'Bienvenido/a, Rosa Alvarez' });
    await page.getByRole('link', { name: 'Ver mensajes' }).waitFor();
    await journal.step(page, 'patient-home-es');
    await openSection(page, 'Mensajes', { spanish: true });
    await page.getByRole('link', { name: 'Mensaje nuevo' }).waitFor();
    await page.getByText(SUBJECT).first().waitFor();
    await journal.step(page, 'patient-messages-es');
    await openSection(page, 'Resultados de pruebas', { spanish: true });
    await page.getByTestId('result').filter({ hasText: 'Glucose' }).getByText('Más alto que el rango normal').waitFor();
    await page.getByRole('heading', { name: 'Todo lo que se le ha entregado' }).waitFor();
    await journal.step(page, 'patient-results-es');
  });

  it('7. another patient, signed in in her own browser, gets 404 for the first chart, thread and attachment; each attempt is audited', async () => {
    const other = patient({ given: 'Omar', family: 'Benali', birthDate: '1990-07-30' });
    const otherCode = inviteCode();
    await seed(server, [other, invite(other.id, otherCode)]);
    const reg = await new PortalClient(server.url).register(otherCode, '1990-07-30', 'omar@example.org', { displayName: 'Omar Benali' });
    expect(reg.status, reg.text).toBe(200);

    const intruder = await watchedPage(browser, PHONE);
    const { page } = intruder;
    await page.goto(`${server.url}/portal/`);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill('omar@example.org');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, Omar Benali' }).waitFor();
    await journal.step(page, 'other-patient-home');

    const before = (await portalAudit(server, "action = 'portal.denied' AND patient_id = $1", [rosa.id])).length;
    const urls = [`/portal/api/charts/${rosa.id}/summary`, `/portal/api/charts/${rosa.id}/threads/${ref.threadId}`, ref.attachment];
    const answers = await page.evaluate(async (list) => {
      const out: { status: number; body: string }[] = [];
      for (const u of list) {
        const r = await fetch(u, { credentials: 'same-origin' });
        out.push({ status: r.status, body: await r.text() });
      }
      return out;
    }, urls);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    // The same answer as a chart that does not exist: nothing says the chart is there.
    const missing = await page.evaluate(async () => (await fetch('/portal/api/charts/01900000-0000-7000-8000-000000000000/summary')).text());
    expect(answers[0]!.body).toBe(missing);
    // Her own chart still answers in the same session.
    const own = await page.evaluate(async (id) => (await fetch(`/portal/api/charts/${id}/summary`)).status, other.id);
    expect(own).toBe(200);
    await expect
      .poll(async () => (await portalAudit(server, "action = 'portal.denied' AND patient_id = $1", [rosa.id])).length, SETTLE)
      .toBeGreaterThanOrEqual(before + 3);
    const denied = await portalAudit(server, "action = 'portal.denied' AND patient_id = $1", [rosa.id]);
    expect(new Set(denied.slice(before).map((d) => d.user_id))).toEqual(new Set([`portal:${reg.body.account.id}`]));
    expect(intruder.pageErrors).toEqual([]);
    expect(intruder.cspViolations).toEqual([]);
    await page.close();
  });

  it('8. every screen passes axe-core (WCAG 2.1 A/AA); no script error; no CSP violation on the portal', () => {
    expect(journal.failures).toEqual([]);
    expect(desk.pageErrors).toEqual([]);
    expect(patientPage.pageErrors).toEqual([]);
    expect(patientPage.cspViolations).toEqual([]);
  });
});
