import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { axeViolations, describeViolations } from '../helpers/axe';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { openClinic } from '../helpers/clinic';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';
import { invite, inviteCode, PASSWORD, patient, PortalClient, record, seed, type PortalServer } from '../integration/portal/portal-server.helpers';

/**
 * The patient portal's own screens, built (out/renderer/portal.html, the renderer build's second
 * entry) and served by a real clinic server (in-process, PGlite, loopback) at /portal/, opened in
 * Chromium at phone and desktop sizes. Signed out: sign-in in English, then Spanish after the switch
 * (the page's lang follows), registration with the password policy's verdict. Signed in (a patient
 * registered through the screens with a seeded invitation): every section, booking a visit and the
 * forms it makes due (one filled in), cancelling it, a visit request, a message with a too-large and
 * then a real attachment, PHQ-9, two-step sign-in, the account page in Spanish, sign-out; and a
 * chart made on a desktop and synced (health and results with data), with a child's chart as proxy. axe-core's WCAG 2.1 A/AA rules on each screen, no script error and no
 * Content-Security-Policy violation (the server's own CSP: no inline script, Mantine's inline styles
 * allowed). Screenshots: test-results/portal-*.png.
 */
const UI = resolve('out/renderer');
const SHOTS = resolve('test-results');
/** A 1×1 PNG: the server checks that an attachment's bytes are what its type says. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface Watched {
  page: Page;
  pageErrors: string[];
  cspViolations: string[];
}

/** A page that records script errors and every CSP violation (the DOM event and the console report). */
async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<Watched> {
  const page = await browser.newPage({ viewport, locale: 'en-US' });
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (v: string) => cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
      );
    });
  });
  return { page, pageErrors, cspViolations };
}

async function expectAxeClean(page: Page, shot: string): Promise<void> {
  const violations = await axeViolations(page);
  await page.screenshot({ path: join(SHOTS, `portal-${shot}.png`), fullPage: true });
  expect(violations, `${shot}:\n${describeViolations(violations)}`).toEqual([]);
}

/** Opens a section from the menu (behind the Menu button on a phone) and waits for its heading (the link's name unless given). */
async function openSection(page: Page, name: string, o: { heading?: string; spanish?: boolean } = {}): Promise<void> {
  const burger = page.getByRole('button', { name: o.spanish ? 'Menú' : 'Menu' });
  if (await burger.isVisible()) await burger.click();
  await page
    .getByRole('navigation', { name: o.spanish ? 'Secciones del portal' : 'Portal sections' })
    .getByRole('link', { name, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: o.heading ?? name }).waitFor();
}

describe('patient portal screens in Chromium', () => {
  let browser: Browser;
  let base: string;
  let server: PortalServer;

  beforeAll(async () => {
    if (!existsSync(join(UI, 'portal.html'))) throw new Error('out/renderer/portal.html is missing: run `npx electron-vite build` first (npm test does)');
    mkdirSync(SHOTS, { recursive: true });
    // The portal is mounted by default: settings and forms from resources/portal, screens from out/renderer.
    server = await startTestServer('pglite');
    base = server.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [size, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1440, height: 900 }],
  ] as const) {
    it(`sign-in and registration in English and Spanish at ${size} size (${viewport.width}×${viewport.height})`, async () => {
      const { page, pageErrors, cspViolations } = await watchedPage(browser, viewport);
      await page.goto(`${base}/portal/`);

      await page.getByRole('heading', { level: 1, name: 'Sign in to your patient portal' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await expect(page.title()).resolves.toBe('Patient portal · Riverside Family Medicine (demo)');
      await page.getByRole('textbox', { name: 'Email', exact: true }).waitFor();
      await page.getByRole('textbox', { name: 'Password', exact: true }).waitFor();
      // Mantine's styles (its CSS file and the CSS variables it puts in a <style> element) are applied under the CSP.
      const signIn = page.getByRole('button', { name: 'Sign in' });
      const bg = await signIn.evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(bg).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^rgb\(239, 239, 239\)$/);
      await expect(page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await expectAxeClean(page, `signin-en-${size}`);

      // Nothing filled in: each field says what it needs.
      await signIn.click();
      await page.getByText('Enter your email address.').waitFor();
      await page.getByText('Enter your password.').waitFor();
      await expectAxeClean(page, `signin-errors-en-${size}`);

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inicie sesión en su portal del paciente' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
      await expect(page.title()).resolves.toBe('Portal del paciente · Riverside Family Medicine (demo)');
      await page.getByRole('textbox', { name: 'Correo electrónico', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Iniciar sesión' }).waitFor();
      await expect(page.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await expectAxeClean(page, `signin-es-${size}`);

      await page.getByRole('link', { name: 'Crear una cuenta' }).click();
      await page.getByRole('heading', { level: 1, name: 'Cree su cuenta' }).waitFor();
      await page.getByRole('textbox', { name: 'Código de invitación' }).fill('7KQ2M-XW9PD');
      await page.getByRole('textbox', { name: 'Contraseña', exact: true }).fill('corta');
      // The policy's verdict, in Spanish, before anything is sent.
      await page.getByTestId('password-advice').getByText('La contraseña debe tener al menos 12 caracteres (esta tiene 5).', { exact: false }).waitFor();
      await expectAxeClean(page, `register-es-${size}`);

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      // The language survives a reload (kept in this browser, not in the URL).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await expectAxeClean(page, `register-en-${size}`);

      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
      await page.close();
    });
  }
  for (const [size, viewport, family] of [
    ['phone', { width: 390, height: 844 }, 'Diaz'],
    ['desktop', { width: 1440, height: 900 }, 'Marquez'],
  ] as const) {
    it(`a registered patient's screens at ${size} size: sections, booking, a message, a form, the account in Spanish`, async () => {
      const p = patient({ given: 'Rosa', family, birthDate: '1984-03-09' });
      const code = inviteCode();
      await seed(server, [p, invite(p.id, code)]);
      const email = `rosa.${family.toLowerCase()}@example.com`;
      const { page, pageErrors, cspViolations } = await watchedPage(browser, viewport);
      const shot = (name: string): Promise<void> => expectAxeClean(page, `${name}-${size}`);

      await page.goto(`${base}/portal/#/register`);
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await page.getByRole('textbox', { name: 'Invitation code' }).fill(code.toLowerCase());
      await page.getByLabel('Date of birth').fill('1984-03-09');
      await page.getByRole('textbox', { name: 'Your name' }).fill(`Rosa ${family}`);
      await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill('violet anchor marble kettle');
      await page.getByRole('textbox', { name: 'Repeat the password' }).fill('violet anchor marble kettle');
      await page.getByRole('button', { name: 'Create account' }).click();

      // One chart: straight to Home, with the clinic's name from GET /portal/api/clinic.
      await page.getByRole('heading', { level: 1, name: `Welcome, Rosa ${family}` }).waitFor();
      await page.getByRole('banner').getByText('Riverside Family Medicine (demo)').waitFor();
      await page.getByTestId('home-next-visit').or(page.getByText('No visits booked.')).first().waitFor();
      await shot('home');

      for (const section of ['My health', 'Test results', 'Download my record']) {
        await openSection(page, section);
        // A section can load more than one list at once (Test results: results and released
        // reports), so wait until no "Loading…" is left rather than for one of them.
        await page.getByText('Loading…').first().waitFor({ state: 'detached' });
        await shot(`section-${section.toLowerCase().replaceAll(' ', '-')}`);
      }

      // Book an open time (cancelled further on).
      await openSection(page, 'Appointments');
      await page.getByRole('link', { name: 'Book a visit' }).click();
      await page.getByRole('heading', { level: 1, name: 'Book a visit' }).waitFor();
      await page.getByRole('radio', { name: /^Follow-up/ }).check();
      await page.getByRole('button', { name: 'See open times' }).click();
      // The last day of the week offered, then its latest time: the visit is cancelled online further
      // on, which the clinic allows only until 24 hours before. The first day offered can be within
      // that (on a Sunday evening it is Monday, whose times are all less than a day away).
      const times = page.getByRole('button', { name: /^Choose a time: / });
      await times.first().waitFor();
      await shot('book-slots');
      const days = page.getByRole('group', { name: 'Choose a day' }).getByRole('button');
      expect(await days.count()).toBeGreaterThan(1);
      await days.last().click();
      await days.last().and(page.locator('[aria-pressed="true"]')).waitFor();
      await times.last().click();
      await page.getByRole('textbox', { name: 'What is the visit for? (optional)' }).fill('Blood pressure check');
      await page.getByRole('button', { name: 'Book this visit' }).click();
      await page
        .getByRole('status')
        .getByText(/^Your visit is booked: Follow-up on /)
        .waitFor();
      await shot('book-done');
      // Home now shows it; the forms asked before a follow-up are due, and one is filled in.
      await openSection(page, 'Home', { heading: `Welcome, Rosa ${family}` });
      await page.getByTestId('home-next-visit').getByText('Follow-up').waitFor();
      await page.getByTestId('home-forms').getByText('2 forms to fill before your visit.').waitFor();
      await openSection(page, 'Forms');
      await page
        .getByTestId('form-due')
        .first()
        .getByText(/^Before your visit on /)
        .waitFor();
      await shot('forms');
      await page.getByRole('link', { name: 'Fill in Medicines and allergies' }).click();
      await page.getByRole('heading', { level: 1, name: 'Medicines and allergies' }).waitFor();
      await page.getByRole('button', { name: 'Send to the clinic' }).click();
      await page.getByText('Add each medicine you take, or tick “I take no medicines”.').waitFor();
      await shot('form-errors');
      await page.getByRole('button', { name: 'Add a medicine' }).click();
      const med = page.getByRole('group', { name: 'Medicine 1' });
      await med.getByRole('textbox', { name: 'Medicine name' }).fill('Lisinopril');
      await med.getByRole('textbox', { name: 'Dose (optional)' }).fill('10 mg');
      await med.getByRole('textbox', { name: 'How often (optional)' }).fill('once a day');
      await page.getByRole('checkbox', { name: 'I have no known allergies' }).check();
      await page.getByRole('button', { name: 'Send to the clinic' }).click();
      await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
      await page
        .getByTestId('form-done')
        .getByText(/nothing in your chart changes until they do/)
        .waitFor();
      await shot('form-done');
      await page.getByRole('link', { name: 'Back to forms' }).click();
      await page
        .getByTestId('form-due')
        .filter({ hasText: 'Medicines and allergies' })
        .getByText(/^Sent /)
        .waitFor();

      // Cancel the visit booked above.
      await openSection(page, 'Appointments');
      await page.getByTestId('appointment').getByText('Booked online').waitFor();
      await page.getByRole('button', { name: /^Cancel visit: / }).click();
      await page.getByRole('dialog', { name: 'Cancel this visit?' }).waitFor();
      await shot('cancel-dialog');
      await page.getByRole('button', { name: 'Yes, cancel the visit' }).click();
      await page.getByRole('status').getByText('Your visit was cancelled.').waitFor();

      // Or ask for a visit in words: it becomes a conversation.
      await page.getByRole('link', { name: 'Request a visit' }).click();
      await page.getByRole('heading', { level: 1, name: 'Request a visit' }).waitFor();
      await page.getByRole('textbox', { name: 'What is the visit for?' }).fill('Knee pain after running');
      await page.getByRole('textbox', { name: 'When suits you? (optional)' }).fill('Weekday mornings');
      await shot('request-visit');
      await page.getByRole('button', { name: 'Send request' }).click();
      await page.getByRole('status').getByText('Your request was sent. The clinic will reply in Messages.').waitFor();
      await page.getByRole('link', { name: 'Open the conversation' }).click();
      await page
        .getByTestId('message')
        .getByText(/Knee pain after running/)
        .waitFor();

      // A message: a file over the clinic's limit is refused before upload; a real PNG goes with it.
      await openSection(page, 'Messages');
      await page.getByRole('link', { name: 'New message' }).click();
      await page.getByRole('heading', { level: 1, name: 'New message' }).waitFor();
      await page.getByRole('textbox', { name: 'Subject' }).fill('Question about my blood pressure');
      await page.getByRole('textbox', { name: 'Message' }).fill('My home readings are around 150/95 in the mornings. Should I come in sooner?');
      const file = page.locator('input[type="file"]');
      await file.setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(3 * 1024 * 1024, 0x25) });
      await page.getByText('“scan.pdf” is 3 MB; the limit is 2 MB. Choose a smaller file or take a smaller photo.').waitFor();
      await shot('message-too-big');
      await file.setInputFiles({ name: 'readings.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: 'Send message' }).click();
      await page.getByRole('heading', { level: 1, name: 'Question about my blood pressure' }).waitFor();
      await page
        .getByTestId('message')
        .getByText(/^My home readings/)
        .waitFor();
      await page.getByRole('link', { name: /^Download readings\.png/ }).waitFor();
      await shot('thread');

      // PHQ-9 from its definition (desktop run): item 9 above 0 shows where to get help now.
      if (size === 'desktop') {
        await page.goto(`${base}/portal/#/forms/phq9`);
        const items = page.getByTestId('question-phq9').getByRole('radiogroup');
        await items.first().waitFor();
        expect(await items.count()).toBe(9);
        for (let i = 0; i < 9; i++)
          await items
            .nth(i)
            .getByRole('radio', { name: i === 8 ? 'Several days' : 'Not at all' })
            .check();
        await page
          .getByTestId('crisis-note')
          .getByText(/call or text 988/)
          .waitFor();
        await shot('form-phq9');
        await page.getByRole('button', { name: 'Send to the clinic' }).click();
        await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
      }

      // The account page (on the desktop run: two-step sign-in set up), then everything in Spanish.
      await openSection(page, 'My account');
      await shot('account');
      let secret = '';
      if (size === 'desktop') {
        await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
        await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
        secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
        await expect(page.getByRole('link', { name: 'Open in my authenticator app' }).getAttribute('href')).resolves.toMatch(/^otpauth:\/\/totp\/.*secret=/);
        await shot('totp-setup');
        await page.getByRole('textbox', { name: '6-digit code' }).fill(await generate({ secret }));
        await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
        await page.getByText(/^Two-step sign-in is on:/).waitFor();
      }
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { level: 1, name: 'Mi cuenta' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
      await shot('account-es');
      await openSection(page, 'Inicio', { spanish: true, heading: `Bienvenido/a, Rosa ${family}` });
      await shot('home-es');
      await openSection(page, 'Mensajes', { spanish: true });
      await shot('messages-es');

      // Sign out: back to sign-in, still in Spanish; and in again.
      const burger = page.getByRole('button', { name: 'Menú' });
      if (await burger.isVisible()) await burger.click();
      await page.getByRole('button', { name: 'Cerrar sesión' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inicie sesión en su portal del paciente' }).waitFor();
      await page.getByText('Ha cerrado la sesión.').waitFor();
      await page.getByRole('textbox', { name: 'Correo electrónico', exact: true }).fill(email);
      await page.getByRole('textbox', { name: 'Contraseña', exact: true }).fill('violet anchor marble kettle');
      await page.getByRole('button', { name: 'Iniciar sesión' }).click();
      if (size === 'desktop') {
        await page.getByRole('heading', { level: 1, name: 'Escriba su código de 6 dígitos' }).waitFor();
        await shot('totp-step-es');
        // The next time step's code: the one used to turn it on may not be used twice.
        await page.getByRole('textbox', { name: 'Código de 6 dígitos' }).fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
        await page.getByRole('button', { name: 'Verificar' }).click();
      }
      await page.getByRole('heading', { level: 1, name: `Bienvenido/a, Rosa ${family}` }).waitFor();

      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
      await page.close();
    });
  }
  it('a chart made on a desktop and synced: my health and results with data at both sizes, then a child’s chart linked as proxy', async () => {
    // The chart is made as a clinic makes it: on an enrolled desktop (encrypted database), synced to this server.
    const dir = tempDir('cairn-e2e-portal-ui-');
    const clinic = await openClinic(dir.dir);
    try {
      const repos = clinic.session.repos;
      const docId = repos.users.list().find((u) => u.username === 'drhouse')!.id;
      const enrol = await server.sync.createEnrollmentCode('Exam room', 24, { operator: true });
      await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code: enrol.code, deviceName: 'Exam room' });
      await signInClinicUsers(repos.store.sqlite);
      const sync = clientFor(repos.store, repos, () => docId);
      const p = await clinic.ok<{ id: string; mrn: string }>('patients.create', {
        givenName: 'Mirela',
        familyName: 'Quennell',
        birthDate: '1961-04-02',
        sex: 'female',
      });
      const units = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' };
      await clinic.ok('vitals.record', { patientId: p.id, takenAt: '2026-03-01T09:30:00Z', units, systolic: 128, diastolic: 82, weight: 70 });
      await clinic.ok('vitals.record', { patientId: p.id, takenAt: '2026-04-15T10:00:00Z', units, systolic: 135, diastolic: 88, weight: 71.5 });
      await clinic.ok('problems.add', { patientId: p.id, icd10: 'E11.9' });
      await clinic.ok('allergies.add', {
        kind: 'allergy',
        patientId: p.id,
        substance: 'Penicillin',
        substanceType: 'drug',
        reactions: ['Hives'],
        severity: 'severe',
      });
      await clinic.ok('immunizations.add', { patientId: p.id, cvx: '140', administeredOn: '2025-10-01', source: 'historical', lot: 'FLU-77' });
      await clinic.ok('meds.add', { patientId: p.id, name: 'Vitamin D' });
      const at = new Date(Date.now() - 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';
      const oru = [
        'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|PORTAL-UI-1|P|2.5.1',
        `PID|1||${p.mrn}^^^^MR||Quennell^Mirela||19610402|F`,
        'OBR|1|PL-1^CAIRN|FI-1^ACME|24323-8^Metabolic panel^LN',
        `OBX|1|NM|2345-7^Glucose^LN||182|mg/dL|70-99|H|||F|||${at}`,
        `OBX|2|NM|2823-3^Potassium^LN||6.9|mmol/L|3.5-5.1|HH|||F|||${at}`,
        `OBX|3|NM|2951-2^Sodium^LN||139|mmol/L|135-145|N|||F|||${at}`,
      ].join('\r');
      expect(new Hl7Ingest(repos).receive(oru, 'portal-ui-test')).toMatchObject({ ack: 'AA', patientId: p.id });
      for (let i = 0; i < 5; i++) if ((await sync.syncOnce()).pending === 0) break;

      // Her own invitation, and one for her 14-year-old's chart, where the clinic marked a problem confidential.
      const teen = patient({ given: 'Ivy', family: 'Quennell', birthDate: `${new Date().getUTCFullYear() - 14}-01-01` });
      const secret = record('condition', teen.id, {
        display: 'Confidential counselling matter',
        icd10: 'Z00.0',
        clinical_status: 'active',
        onset_date: '2025-01-01',
      });
      const [own, child] = [inviteCode(), inviteCode()];
      await seed(server, [
        invite(p.id, own),
        teen,
        secret,
        record('condition', teen.id, { display: 'Seasonal allergies', icd10: 'J30.2', clinical_status: 'active', onset_date: '2024-04-01' }),
        record('portal_confidential', teen.id, { record_type: 'condition', record_id: secret.id, hidden: 1, reason: 'adolescent confidential care' }),
        invite(teen.id, child, { kind: 'proxy' }),
      ]);
      const portal = new PortalClient(server.url);
      expect((await portal.register(own, '1961-04-02', 'mirela@example.org', { displayName: 'Mirela Quennell' })).status).toBe(200);

      const { page, pageErrors, cspViolations } = await watchedPage(browser, { width: 390, height: 844 });
      await page.goto(`${base}/portal/`);
      await page.getByRole('textbox', { name: 'Email', exact: true }).fill('mirela@example.org');
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Welcome, Mirela Quennell' }).waitFor();
      await page.getByTestId('home-new-results').getByText('3 new results since you last looked.').waitFor();

      for (const [size, viewport] of [
        ['phone', { width: 390, height: 844 }],
        ['desktop', { width: 1440, height: 900 }],
      ] as const) {
        await page.setViewportSize(viewport);
        await openSection(page, 'My health');
        await page.getByTestId('health-allergies').getByText('Penicillin').waitFor();
        await page.getByTestId('health-immunizations').getByText('FLU-77').waitFor();
        await page
          .getByTestId('vital-weight')
          .getByText(/^Latest: 71\.5 kg on /)
          .waitFor();
        await page
          .getByRole('button', { name: /Diabetes|diabetes/ })
          .or(page.getByTestId('health-problems').getByText(/diabetes/i))
          .first()
          .waitFor();
        await expectAxeClean(page, `health-data-${size}`);
        await openSection(page, 'Test results');
        const result = (name: string): ReturnType<Page['getByTestId']> => page.getByTestId('result').filter({ hasText: name });
        await result('Glucose').getByText('Higher than the normal range').waitFor();
        await result('Glucose').getByText('Normal range: 70-99').waitFor();
        await result('Potassium').getByText('Critically high — your care team has been told').waitFor();
        await result('Sodium').getByText('Within the normal range').waitFor();
        await page.getByTestId('released-list').getByRole('row').filter({ hasText: 'Potassium' }).waitFor();
        // A header row and the three results (this chart has no visit summary).
        expect(await page.getByTestId('released-list').getByRole('row').count()).toBe(4);
        await expectAxeClean(page, `results-data-${size}`);
      }
      // Looked at: no longer new on Home.
      await openSection(page, 'Home', { heading: 'Welcome, Mirela Quennell' });
      await page.getByTestId('home-new-results').getByText('No new results.').waitFor();

      // A child's chart, linked with the proxy code: the chart picker, then the banner on every screen.
      await openSection(page, 'My account');
      await page.getByRole('textbox', { name: 'Code for the child’s chart' }).fill(child);
      await page.getByLabel('Child’s date of birth').fill(teen.fields['birth_date'] as string);
      await page.getByRole('button', { name: 'Add the chart' }).click();
      await page.getByRole('status').getByText('The chart was added.').waitFor();
      await openSection(page, 'Switch chart', { heading: 'Whose chart do you want to see?' });
      await expectAxeClean(page, 'chart-picker-desktop');
      await page.getByRole('button', { name: /^Ivy Quennell \(your child\)/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Ivy Quennell’s chart' }).waitFor();
      await page.getByTestId('proxy-banner').getByText('You are viewing Ivy Quennell’s chart as their parent or guardian.').waitFor();
      await openSection(page, 'My health');
      await page.getByText('Some items are private to Ivy Quennell at this age and are not shown here.').waitFor();
      await page.getByTestId('health-problems').getByText('Seasonal allergies').waitFor();
      expect(await page.getByText('Confidential counselling matter').count()).toBe(0);
      await expectAxeClean(page, 'proxy-health-desktop');
      await page.setViewportSize({ width: 390, height: 844 });
      await expectAxeClean(page, 'proxy-health-phone');

      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
      await page.close();
    } finally {
      clinic.session.logout();
      dir.cleanup();
    }
  });
});
