import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareEvent, CareListItem } from '../../shared/domain/referrals';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { DESK, NURSE, openChart, signIn, signOut } from '../helpers/clinic-day';
import { tempDir } from '../helpers/temp-db';
import { SETTLE, Steps } from './records-coordination.helpers';

const inbound = (name: string): string => readFileSync(join('test/fixtures/hl7v2/inbound', name), 'latin1');

/**
 * The care-coordination list in Chromium over a real encrypted database. St Mary's admission and
 * discharge notices (ADT^A01, ADT^A03) arrive through the real HL7 ingest on the same database; the
 * clinic's clock reads Wednesday 2026-04-08, so the Thursday discharge's follow-up (due Monday, two
 * business days on) is 2 days overdue and listed first, highlighted. A nurse records a discharge a
 * daughter phoned in (due tomorrow, listed after), then marks the overdue follow-up done with a
 * note (an empty note is refused); it leaves the open list and shows with the closed ones. The front
 * desk works the same list; billing has no such screen. axe-core on every screen; screenshots
 * test-results/records/care-NN-*.png.
 */
describe('the care-coordination list in Chromium', () => {
  const t = tempDir('cairn-e2e-records-care-');
  const steps = new Steps('care');
  // The clinic's clock: Wednesday 2026-04-08 15:00 UTC, ticking from there.
  const started = Date.now();
  const now = (): Date => new Date(Date.parse('2026-04-08T15:00:00Z') + (Date.now() - started));
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  let harold: Patient;
  let ines: Patient;
  const rows = (): ReturnType<Page['getByTestId']> => page.getByTestId('care-row');

  beforeAll(async () => {
    clinic = await openClinic(t.dir, now);
    harold = await clinic.ok<Patient>('patients.create', {
      givenName: 'Harold',
      middleName: 'T',
      familyName: 'Bjornson',
      birthDate: '1944-11-30',
      sex: 'male',
      phone: '608-555-0199',
      address: { line1: '22 Lake View Dr Apt 3', city: 'Middleton', state: 'WI', postalCode: '53562', country: '' },
    });
    ines = await clinic.ok<Patient>('patients.create', { givenName: 'Ines', familyName: 'Moreau', birthDate: '1951-01-09', sex: 'female' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.create', { username: NURSE.username, displayName: NURSE.displayName, role: 'nurse', password: NURSE.password });
    await clinic.ok('users.create', { username: DESK.username, displayName: DESK.displayName, role: 'front_desk', password: DESK.password });
    await clinic.ok('users.create', { username: 'bill', displayName: 'Bo Biller', role: 'billing', password: 'ledger lantern 58 q' });
    await clinic.ok('session.logout');
    // The hospital's interface: the same ingest the MLLP listener and `cairn hl7 import` use, on this database.
    const ingest = new Hl7Ingest(clinic.session.repos, { timeZone: 'America/Chicago' });
    expect(ingest.receive(inbound('ADT-A01-hospital-v2.3.hl7'), 'file')).toMatchObject({ ack: 'AA', type: 'ADT^A01', patientId: harold.id });
    expect(ingest.receive(inbound('ADT-A03-hospital-v2.5.hl7'), 'file')).toMatchObject({ ack: 'AA', type: 'ADT^A03', patientId: harold.id });
    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open());
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it("nurse: St Mary's discharge is listed with its follow-up due Monday, 2 days overdue and highlighted", async () => {
    await signIn(page, NURSE);
    await page.getByRole('button', { name: 'Care coordination' }).click();
    await page.getByRole('heading', { name: 'Care coordination', level: 1 }).waitFor();
    await expect.poll(() => rows().count(), SETTLE).toBe(1);
    const row = rows().first();
    // The admission that the discharge followed is not listed on its own.
    expect(await row.getAttribute('data-kind')).toBe('discharge');
    expect(await row.getAttribute('data-overdue')).toBe('true');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Bjornson, Harold');
    expect(text).toContain('Discharged from ST MARYS HOSPITAL · Discharged to home or self care');
    expect(text).toContain('Pneumonia');
    expect(text).toContain('Due 2026-04-06');
    expect(await row.getByTestId('care-due-words').textContent()).toBe('2 days overdue');
    await steps.step(page, 'list-overdue');
  });

  it("nurse: Harold's chart summary shows his hospital stay: the discharge with its follow-up call due, in bold red, and the admission before it", async () => {
    await openChart(page, 'Bjornson');
    const stays = page.getByTestId('hospital-stays').getByTestId('hospital-stay');
    await expect.poll(() => stays.count(), SETTLE).toBe(2);
    const discharge = stays.nth(0);
    expect(await discharge.getAttribute('data-kind')).toBe('discharge');
    expect(await discharge.getAttribute('data-follow-up')).toBe('open');
    const text = (await discharge.textContent()) ?? '';
    expect(text).toContain('ST MARYS HOSPITAL · Pneumonia');
    expect(text).toContain('Follow-up call due 2026-04-06');
    expect(await stays.nth(1).getAttribute('data-kind')).toBe('admission');
    await steps.step(page, 'chart-hospital-stay');
    await page.getByRole('button', { name: 'Care coordination' }).click();
    await page.getByRole('heading', { name: 'Care coordination', level: 1 }).waitFor();
    await expect.poll(() => rows().count(), SETTLE).toBe(1);
  });

  it('nurse: records a discharge phoned in by a daughter; it opens a follow-up due in 2 business days, listed after the overdue one', async () => {
    await page.getByRole('button', { name: 'Record a notice' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a hospital notice' });
    // Nobody chosen: refused on the screen, nothing recorded.
    await dialog.getByRole('button', { name: 'Record notice' }).click();
    await dialog.getByText('choose the patient the notice is about').waitFor();
    await dialog.getByLabel('Patient').fill('moreau');
    await page.getByRole('option', { name: /Moreau, Ines · born 1951-01-09/ }).click();
    await dialog.getByLabel('Hospital or facility').fill('Mercy Medical Center');
    await dialog.getByLabel('Discharged at').fill('2026-04-07T09:00');
    await dialog.getByLabel('Reason or diagnosis').fill('Hip fracture repair');
    await dialog.getByLabel('Disposition').fill('Home with home health');
    await steps.step(page, 'record-notice');
    await dialog.getByRole('button', { name: 'Record notice' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => rows().count(), SETTLE).toBe(2);
    expect(await rows().nth(0).textContent()).toContain('Bjornson, Harold');
    const second = rows().nth(1);
    expect(await second.textContent()).toContain('Moreau, Ines');
    expect(await second.textContent()).toContain('phone or fax');
    expect(await second.getAttribute('data-overdue')).toBe('false');
    // Tuesday 2026-04-07 → Thursday 2026-04-09.
    expect(await second.getByTestId('care-due-words').textContent()).toBe('due in 1 day');
    const [recorded] = await clinic.ok<CareEvent[]>('care.forPatient', { patientId: ines.id });
    expect(recorded).toMatchObject({ kind: 'discharge', facility: 'Mercy Medical Center', followUpDue: '2026-04-09', followUpStatus: 'open', controlId: null });
  });

  it('nurse: marks the overdue follow-up done with a note (an empty note is refused); it leaves the open list', async () => {
    await rows().filter({ hasText: 'Bjornson, Harold' }).getByRole('button', { name: 'Mark follow-up done' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mark follow-up done' });
    await dialog.getByRole('button', { name: 'Save follow-up' }).click();
    await expect.poll(() => dialog.getByTestId('follow-up-error').textContent(), SETTLE).toMatch(/^give the note of the follow-up/);
    await dialog.getByLabel('Who was reached and what was arranged').fill('Spoke with Harold and his wife Ruth; visit booked for 2026-04-10; meds reconciled.');
    await steps.step(page, 'follow-up-dialog');
    await dialog.getByRole('button', { name: 'Save follow-up' }).click();
    await dialog.waitFor({ state: 'detached', ...SETTLE });
    await expect.poll(() => rows().count(), SETTLE).toBe(1);
    expect(await rows().first().textContent()).toContain('Moreau, Ines');
    expect(await page.getByTestId('care-notice').textContent()).toBe('Bjornson, Harold T: follow-up done.');

    await page.getByRole('switch', { name: 'Show closed follow-ups' }).check();
    const done = rows().filter({ hasText: 'Bjornson, Harold' });
    await expect.poll(() => done.getAttribute('data-follow-up'), SETTLE).toBe('done');
    expect(await done.textContent()).toContain('Done · Nia Okoye');
    expect(await done.getByRole('button', { name: 'Mark follow-up done' }).count()).toBe(0);
    await steps.step(page, 'list-with-closed');
    const discharge = (await clinic.ok<CareEvent[]>('care.forPatient', { patientId: harold.id })).find((e) => e.kind === 'discharge');
    expect(discharge).toMatchObject({ followUpStatus: 'done', followUpByName: 'Nia Okoye' });
    expect(discharge?.followUpNote).toBe('Spoke with Harold and his wife Ruth; visit booked for 2026-04-10; meds reconciled.');
    await signOut(page);
  });

  it('front desk: works the same list (marks the phoned-in one not needed); billing has no care-coordination screen', async () => {
    await signIn(page, DESK);
    await page.getByRole('button', { name: 'Care coordination' }).click();
    await expect.poll(() => rows().count(), SETTLE).toBe(1);
    await rows().first().getByRole('button', { name: 'Not needed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Follow-up not needed' });
    await dialog.getByLabel('Why no follow-up is needed').fill('Home health agency follows her; Dr. House aware.');
    await dialog.getByRole('button', { name: 'Save follow-up' }).click();
    await page.getByTestId('care-empty').waitFor(SETTLE);
    await steps.step(page, 'list-empty');
    expect(await clinic.ok<CareListItem[]>('care.list', {})).toEqual([]);
    await signOut(page);

    await signIn(page, { username: 'bill', password: 'ledger lantern 58 q' });
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await nav.waitFor();
    expect(await nav.getByRole('button', { name: 'Care coordination' }).count()).toBe(0);
    expect(await nav.getByRole('button', { name: 'Referrals' }).count()).toBe(0);
    await signOut(page);
  });

  it("nurse: the charts show the follow-ups as closed: Harold's done by Nia Okoye, Ines's phoned-in discharge not needed", async () => {
    await signIn(page, NURSE);
    await openChart(page, 'Bjornson');
    const harolds = page.getByTestId('hospital-stays').getByTestId('hospital-stay');
    await expect.poll(() => harolds.first().getAttribute('data-follow-up'), SETTLE).toBe('done');
    expect(await harolds.first().textContent()).toContain('Follow-up done · Nia Okoye');
    await openChart(page, 'Moreau');
    const ines = page.getByTestId('hospital-stays').getByTestId('hospital-stay');
    await expect.poll(() => ines.count(), SETTLE).toBe(1);
    expect(await ines.first().getAttribute('data-follow-up')).toBe('not_needed');
    expect(await ines.first().textContent()).toContain('Mercy Medical Center · Hip fracture repair · Home with home health');
    expect(await ines.first().textContent()).toContain('Follow-up not needed · Fran Delgado');
    await steps.step(page, 'chart-follow-up-closed');
    await signOut(page);
  });

  it('nurse: a discharge notice no chart matches waits in Unmatched messages, named as such; attached to Ines by hand, it shows on her chart with its follow-up open', async () => {
    const held = inbound('ADT-A03-hospital-v2.5.hl7')
      .replace('SMH-ADT-552877', 'SMH-ADT-900001')
      .replace(
        'MRN-77120^^^STMARY^MR||Bjornson^Harold^T^^Mr.||19441130|M|||22 Lake View Dr^Apt 3^Middleton^WI^53562||608-555-0199^PRN^PH',
        'MRN-88001^^^STMARY^MR||Moreaux^Inez^^^Mrs.||19510109|F',
      );
    const ingest = new Hl7Ingest(clinic.session.repos, { timeZone: 'America/Chicago' });
    expect(ingest.receive(held, 'file')).toMatchObject({ ack: 'AA', type: 'ADT^A03', patientId: null, queued: true });
    await signIn(page, NURSE);
    await page.getByTestId('nav-results').click();
    await page.getByTestId('tab-unmatched').click();
    await page.getByRole('heading', { name: 'Unmatched messages', level: 3 }).waitFor();
    const item = page.getByTestId('unmatched-item');
    await expect.poll(() => item.count(), SETTLE).toBe(1);
    expect(await item.textContent()).toContain('a discharge notice · ADT^A03 SMH-ADT-900001 from ST MARYS HOSPITAL');
    await steps.step(page, 'unmatched-discharge');
    await page.getByTestId('unmatched-patient-search').fill('moreau');
    await page.getByRole('option', { name: /Moreau, Ines/ }).click();
    await page.getByTestId('attach-to-patient').click();
    await page.getByText('Every received message is on a chart.').waitFor(SETTLE);
    await openChart(page, 'Moreau');
    const stays = page.getByTestId('hospital-stays').getByTestId('hospital-stay');
    await expect.poll(() => stays.count(), SETTLE).toBe(2);
    // Newest first: the discharge phoned in for 2026-04-07 (closed), then St Mary's of 2026-04-02 (open).
    expect(await stays.nth(1).getAttribute('data-follow-up')).toBe('open');
    expect(await stays.nth(1).textContent()).toContain('2026-04-02 · ST MARYS HOSPITAL');
    expect(await stays.nth(1).textContent()).toContain('Follow-up call due 2026-04-06');
    await signOut(page);
  });

  it('every screen passes axe-core (WCAG 2.1 A/AA); no script error', () => {
    expect(steps.failures, steps.failures.join('\n\n')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
