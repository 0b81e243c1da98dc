import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';
import { MENUS } from '../helpers/clinic-day';

const shots = resolve('test-results');
const NURSE = { username: 'nia', password: 'quiet harbor lantern 7' };
const DESK = { username: 'fran', password: 'maple orbit candle 4' };
type Who = { username: string; password: string };

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `identity-${name}.png`), fullPage: true });
}

async function signIn(page: Page, who: Who): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

/** The labels of the main navigation, and which one says it is the current screen. */
async function navigation(page: Page): Promise<{ items: string[]; current: string[] }> {
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await nav.waitFor();
  const items = (await nav.getByRole('button').allTextContents()).map((t) => t.replace(/\d+$/, '').trim());
  const current = await nav.locator('[aria-current="page"]').allTextContents();
  return { items, current };
}

async function openChart(page: Page, query: string): Promise<void> {
  await page.getByTestId('nav-search').click();
  await page.getByTestId('patient-search').fill(query);
  await page.getByTestId('search-result').first().click();
  await page.getByTestId('patient-banner').waitFor();
}

/**
 * Who the patient is and who the user is, as each person sees it in Chromium: the banner on every
 * patient screen (the visit too), deceased patients, what each role is offered, the screen after
 * someone else signs out, the duplicate check at registration, and booking when the clinic is closed.
 */
describe('patient identity, roles and session hand-over in Chromium', () => {
  const t = tempDir('cairn-e2e-identity-');
  let clinic: Clinic;
  let app: BridgedApp;
  let living: Patient;
  let late: Patient;
  let visit: Encounter;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    living = await clinic.ok<Patient>('patients.create', { givenName: 'Joanna', familyName: 'Quist', birthDate: '1958-07-21', sex: 'female' });
    await clinic.ok('allergies.add', {
      kind: 'allergy',
      patientId: living.id,
      substance: 'penicillin',
      substanceType: 'drug',
      reactions: ['hives'],
      severity: 'moderate',
    });
    visit = await clinic.ok<Encounter>('encounters.create', {
      patientId: living.id,
      visitType: 'office_visit',
      reason: 'Cough for two weeks',
      status: 'checked_in',
    });
    // Imported history, written after today's visit (as an import writes it), oldest first.
    for (const year of [2011, 2021]) {
      clinic.session.repos.store.sqlite
        .prepare(
          `INSERT INTO encounters (id, patient_id, visit_type, status, reason, start_at, created_at, created_by, updated_at, updated_by, version) VALUES (?, ?, 'office_visit', 'finished', ?, ?, ?, 'import', ?, 'import', 1)`,
        )
        .run(
          `00000000-0000-7000-8000-00000000${year}`,
          living.id,
          `Imported visit ${year}`,
          `${year}-05-01T14:00:00.000Z`,
          new Date(Date.now() + 1000).toISOString(),
          new Date(Date.now() + 1000).toISOString(),
        );
    }
    late = await clinic.ok<Patient>('patients.create', { givenName: 'Randolph', familyName: 'Wisoky', birthDate: '1940-01-20', sex: 'male' });
    late = await clinic.ok<Patient>('patients.update', { id: late.id, expectedVersion: late.version, deceasedOn: '2006-05-08' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.create', { username: NURSE.username, displayName: 'Nia Nurse', role: 'nurse', password: NURSE.password });
    await clinic.ok('users.create', { username: DESK.username, displayName: 'Fran Desk', role: 'front_desk', password: DESK.password });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.doc);
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('shows the banner (name, age, sex, birth date, MRN, allergies) in the visit workspace as in the chart', async () => {
    const { page, pageErrors } = await app.open();
    await openChart(page, 'quist');
    const chartBanner = await page.getByTestId('patient-banner').innerText();
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page
      .getByTestId('visit-row')
      .filter({ hasText: visit.reason ?? '' })
      .click();
    await page.getByTestId('encounter-workspace').waitFor();
    const banner = page.getByTestId('patient-banner');
    const text = await banner.innerText();
    for (const part of ['Quist, Joanna', 'born 1958-07-21', 'Female', `MRN ${living.mrn}`]) expect(text).toContain(part);
    await expect(banner.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies: penicillin');
    expect(text).toMatch(/\d+ y/);
    expect(text).toBe(chartBanner);
    await expect(page.getByTestId('encounter-workspace').getByText('Cough for two weeks').count()).resolves.toBe(1);
    await shot(page, '01-visit-workspace-banner');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a deceased patient as deceased (date, age at death), with no Start visit, in search and in the chart', async () => {
    const { page, pageErrors } = await app.open();
    await page.getByTestId('patient-search').fill('wisoky');
    const hit = page.getByTestId('search-result').first();
    await expect(hit.getByTestId('deceased-hit').textContent()).resolves.toBe('Deceased 2006-05-08 · aged 66 y');
    await shot(page, '02-deceased-search');
    await hit.click();
    await page.getByTestId('patient-banner').waitFor();
    await expect(page.getByTestId('banner-age').textContent()).resolves.toBe('Deceased 2006-05-08 · aged 66 y');
    await expect(page.getByTestId('deceased-badge').textContent()).resolves.toBe('Deceased');
    await expect(page.getByTestId('deceased-note').textContent()).resolves.toContain('no new visits, bookings or prescriptions');
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    // A living age appears nowhere on the screen.
    expect(await page.getByTestId('patient-banner').innerText()).not.toMatch(/^\d+ y/m);
    // Medications as they were at death, not current ones, and nothing to prescribe.
    await page.getByRole('heading', { name: 'Medications at death (2006-05-08)' }).first().waitFor();
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page.getByRole('heading', { name: 'Medications at death (2006-05-08)' }).first().waitFor();
    await expect(page.getByTestId('prescribe').count()).resolves.toBe(0);
    await page.getByRole('tab', { name: 'Immunizations' }).click();
    await page.getByTestId('immunizations-due').waitFor({ state: 'attached' });
    await expect(page.getByTestId('immunizations-due').locator('tbody tr').count()).resolves.toBe(0);
    await shot(page, '03-deceased-chart');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('after the physician signs out, each next person lands on their own home screen, never on the last chart', async () => {
    const { page, pageErrors } = await app.open();
    await openChart(page, 'quist');
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-row').first().click();
    await page.getByTestId('encounter-workspace').waitFor();
    await signOut(page);

    await signIn(page, DESK);
    await page.getByTestId('patient-search').waitFor();
    await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
    await expect(page.getByTestId('encounter-workspace').count()).resolves.toBe(0);
    const desk = await navigation(page);
    expect(desk.items).toEqual(MENUS.desk);
    expect(desk.current).toEqual(['Find patient']);
    await shot(page, '04-front-desk-home');
    // Front desk leaves the Conflicts screen open for the physician, who lands on search all the same.
    await page.getByTestId('nav-conflicts').click();
    await signOut(page);

    // The physician leaves the Import screen open: the nurse may not see it.
    await signIn(page, CLINIC.doc);
    await expect(navigation(page).then((n) => n.current)).resolves.toEqual(['Find patient']);
    await page.getByTestId('nav-import').click();
    await expect(navigation(page).then((n) => n.current)).resolves.toEqual(['Import']);
    await signOut(page);
    await signIn(page, NURSE);
    await page.getByTestId('patient-search').waitFor();
    await expect(page.getByTestId('nav-import').count()).resolves.toBe(0);
    const nurse = await navigation(page);
    expect(nurse.items).not.toContain('Import');
    expect(nurse.current).toEqual(['Find patient']);
    await shot(page, '05-nurse-home');
    // The admin comes after a nurse who had Conflicts open.
    await page.getByTestId('nav-conflicts').click();
    await signOut(page);
    await signIn(page, CLINIC.admin);
    await page.getByTestId('patient-search').waitFor();
    const admin = await navigation(page);
    expect(admin.current).toEqual(['Find patient']);
    expect(admin.items).toEqual(expect.arrayContaining(['Users', 'Audit']));
    expect(admin.items).not.toContain('Import');
    await shot(page, '06-admin-home');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('clears the open chart on Lock: unlocking and signing in again starts at home', async () => {
    await clinic.ok('session.logout');
    const { page, pageErrors } = await app.open();
    await signIn(page, CLINIC.doc);
    // A registration half typed in, then a chart opened in front of it: neither survives the lock.
    await page.getByTestId('nav-register').click();
    await page.getByTestId('register-form').getByLabel('Given name').fill('Half typed');
    await openChart(page, 'quist');
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByTestId('passphrase').fill(CLINIC.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await signIn(page, CLINIC.doc);
    await page.getByTestId('patient-search').waitFor();
    await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
    await expect(page.getByTestId('patient-search').inputValue()).resolves.toBe('');
    await shot(page, '07-after-lock');
    await page.getByTestId('nav-register').click();
    await expect(page.getByTestId('register-form').getByLabel('Given name').inputValue()).resolves.toBe('');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('highlights only the screen shown in the navigation', async () => {
    const { page, pageErrors } = await app.open();
    for (const [testId, label] of [
      ['nav-search', 'Find patient'],
      ['nav-schedule', 'Schedule'],
      ['nav-flow-board', 'Flow board'],
      ['nav-register', 'New patient'],
      ['nav-population', 'Population'],
    ] as const) {
      await page.getByTestId(testId).click();
      await expect(navigation(page).then((n) => n.current)).resolves.toEqual([label]);
    }
    await openChart(page, 'quist');
    await expect(navigation(page).then((n) => n.current)).resolves.toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('front desk: no Start visit, no Visit link on the flow board, visits listed newest first but not opened', async () => {
    const { page, pageErrors } = await app.open();
    await signOut(page);
    await signIn(page, DESK);
    await openChart(page, 'quist');
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-row').first().waitFor();
    const reasons = await page.getByTestId('visit-row').allInnerTexts();
    expect(reasons.map((r) => r.match(/Cough for two weeks|Imported visit \d+/)?.[0])).toEqual([
      'Cough for two weeks',
      'Imported visit 2021',
      'Imported visit 2011',
    ]);
    await page.getByTestId('visit-row').first().click();
    await expect(page.getByTestId('encounter-workspace').count()).resolves.toBe(0);
    await expect(page.getByText('may not do this').count()).resolves.toBe(0);
    // A visit booked and checked in today is on the flow board, with no way into the visit.
    const providers = await clinic.ok<{ id: string; role: string }[]>('schedule.providers');
    const docId = providers.find((p) => p.role === 'physician')!.id;
    const now = new Date();
    const booked = await clinic.ok<{ appointments: { id: string }[] }>('schedule.book', {
      patientId: living.id,
      providerId: docId,
      typeId: 'follow-up',
      startAt: new Date(now.getTime() + 60_000).toISOString(),
      allowOutsideHours: true,
    });
    await clinic.ok('schedule.advance', { id: booked.appointments[0]!.id, patientId: living.id, to: 'arrived' });
    await clinic.ok('schedule.advance', {
      id: booked.appointments[0]!.id,
      patientId: living.id,
      to: 'checked_in',
      checklist: { demographicsConfirmed: true, insurance: 'verified', intake: { 'new-symptoms': 'no', 'medication-changes': 'no', 'fall-risk': 'no' } },
    });
    await page.getByTestId('nav-flow-board').click();
    await page.getByTestId('flow-card').filter({ hasText: 'Quist, Joanna' }).waitFor();
    await expect(page.getByTestId('flow-open-visit').count()).resolves.toBe(0);
    await shot(page, '08-front-desk-flow-board');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('front desk registers with a typed US birth date, an emergency contact and a guarantor; a second registration warns of the existing chart', async () => {
    const { page, pageErrors } = await app.open();
    await page.getByTestId('nav-register').click();
    const form = page.getByTestId('register-form');
    await form.getByLabel('Given name').fill('Maria');
    await form.getByLabel('Family name').fill('Lopez');
    await page.getByTestId('register-birth-date').fill('03/14/1972');
    await form.getByLabel('Administrative sex').click();
    await page.getByRole('option', { name: 'Female' }).click();
    await page.getByTestId('emergency-name').fill('Luis Lopez');
    await page.getByTestId('emergency-relationship').fill('husband');
    await page.getByTestId('emergency-phone').fill('617-555-0188');
    await page.getByTestId('guarantor-relationship').click();
    await page.getByRole('option', { name: 'Spouse or partner' }).click();
    await page.getByTestId('guarantor-name').fill('Luis Lopez');
    await page.getByTestId('guarantor-phone').fill('617-555-0188');
    await page.getByTestId('guarantor-address').fill('4 Harbor Rd, Salem, MA 01970');
    await shot(page, '09-register-typed-date');
    await page.getByRole('button', { name: 'Register patient' }).click();
    const banner = page.getByTestId('patient-banner');
    await banner.getByText('born 1972-03-14').waitFor();
    const first = (await banner.innerText()).match(/MRN (\S+)/)![1]!;
    await page.getByRole('tab', { name: 'Demographics' }).click();
    await expect(page.getByTestId('emergency-contact').innerText()).resolves.toContain('Luis Lopez (husband) · 617-555-0188');
    await expect(page.getByTestId('guarantor').innerText()).resolves.toContain('4 Harbor Rd, Salem, MA 01970');
    await shot(page, '10-registered-contacts');

    await page.getByTestId('nav-register').click();
    await form.getByLabel('Given name').fill('maria');
    await form.getByLabel('Family name').fill('Lopez');
    await page.getByTestId('register-birth-date').fill('3/14/1972');
    await form.getByLabel('Administrative sex').click();
    await page.getByRole('option', { name: 'Female' }).click();
    await page.getByRole('button', { name: 'Register patient' }).click();
    const warning = page.getByTestId('duplicate-warning');
    await warning.waitFor();
    await expect(warning.getByTestId('duplicate-row').count()).resolves.toBe(1);
    const row = await warning.getByTestId('duplicate-row').innerText();
    for (const part of ['Lopez, Maria', '1972-03-14', first]) expect(row).toContain(part);
    await shot(page, '11-duplicate-warning');
    expect(clinic.session.repos.store.sqlite.prepare(`SELECT count(*) AS n FROM patients WHERE family_name = 'Lopez'`).get()).toEqual({ n: 1 });
    // "Open chart" goes to the existing chart; back at registration, "Register anyway" makes a second one.
    await warning.getByTestId('duplicate-open').click();
    await banner.getByText(`MRN ${first}`).waitFor();
    await page.getByTestId('nav-register').click();
    await form.getByLabel('Given name').fill('Maria');
    await form.getByLabel('Family name').fill('Lopez');
    await page.getByTestId('register-birth-date').fill('1972-03-14');
    await form.getByLabel('Administrative sex').click();
    await page.getByRole('option', { name: 'Female' }).click();
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.getByTestId('register-anyway').click();
    await banner.waitFor();
    const second = (await banner.innerText()).match(/MRN (\S+)/)![1]!;
    expect(second).not.toBe(first);

    // At check-in the desk confirms the emergency contact registration recorded (booked now, whatever the hour).
    const maria = clinic.session.repos.store.sqlite.prepare('SELECT id FROM patients WHERE mrn = ?').get(first) as { id: string };
    const providers = await clinic.ok<{ id: string; role: string }[]>('schedule.providers');
    await clinic.ok('schedule.book', {
      patientId: maria.id,
      providerId: providers.find((x) => x.role === 'physician')!.id,
      typeId: 'follow-up',
      startAt: new Date(Date.now() + 120_000).toISOString(),
      allowOutsideHours: true,
      allowDoubleBooking: true,
    });
    await page.getByTestId('nav-flow-board').click();
    const card = page.getByTestId('flow-card').filter({ hasText: 'Lopez, Maria' });
    await card.getByTestId('flow-advance').click();
    await card.and(page.locator('[data-status="arrived"]')).waitFor();
    await card.getByTestId('flow-advance').click();
    await expect(page.getByTestId('check-in-on-file').innerText()).resolves.toBe(
      'Phone on file: none. Emergency contact on file: Luis Lopez (husband) · 617-555-0188.',
    );
    await shot(page, '11b-check-in-emergency-contact');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('warns when booking on a day the clinic is closed, books only when confirmed, then confirms the booking', async () => {
    const { page, pageErrors } = await app.open();
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('book-open').click();
    const dialog = page.getByTestId('book-dialog');
    await dialog.getByTestId('book-patient').fill('quist');
    await page.getByRole('option', { name: /Quist, Joanna/ }).click();
    await dialog.getByTestId('book-provider').click();
    await page.getByRole('option', { name: 'Dr. Gregory House' }).click();
    await dialog.getByTestId('book-type').click();
    await page.getByRole('option', { name: /Follow-up/ }).click();
    // Saturday 2 March 2030, 10:00: the clinic is closed on Saturdays.
    await dialog.getByTestId('book-date').fill('2030-03-02');
    await dialog.getByTestId('book-time').fill('10:00');
    await dialog.getByTestId('book-submit').click();
    const warning = page.getByTestId('outside-hours-warning');
    await warning.waitFor();
    await expect(warning.innerText()).resolves.toContain('the clinic is closed: Sat 2030-03-02 10:00');
    expect(clinic.session.repos.store.sqlite.prepare(`SELECT count(*) AS n FROM appointments WHERE start_at LIKE '2030-03-02%'`).get()).toEqual({ n: 0 });
    await shot(page, '12-closed-day-warning');
    await page.getByTestId('book-anyway').click();
    const done = page.getByTestId('booking-confirmation');
    await done.waitFor();
    await expect(done.innerText()).resolves.toContain('Booked Quist, Joanna · Sat 2030-03-02 10:00 with Dr. Gregory House');
    await shot(page, '13-booking-confirmed');
    // A deceased patient is listed in the picker but cannot be chosen.
    await page.getByTestId('book-open').click();
    await page.getByTestId('book-dialog').getByTestId('book-patient').fill('wisoky');
    await expect(page.getByRole('option', { name: /Wisoky, Randolph/ }).getAttribute('aria-disabled')).resolves.toBe('true');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
