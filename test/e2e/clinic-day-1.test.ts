import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { wallTime, zonedInstant } from '../../shared/domain/dates';
import { withinHours } from '../../shared/domain/schedule';
import { get, parseMessageOrThrow } from '../../shared/hl7';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startMllpListener } from '../../electron/services/labs/mllp.listener';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { CLINIC } from '../helpers/clinic';
import {
  ageToday,
  DESK,
  DEVICE_B_PASSPHRASE,
  findPatient,
  MENUS,
  navigation,
  NURSE,
  openChart,
  openClinicDayRig,
  sendMllp,
  signIn,
  signOut,
  type ClinicDayRig,
} from '../helpers/clinic-day';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const NEW = { given: 'Amara', family: 'Okonkwo', typed: '07/22/1988', birthDate: '1988-07-22' };
const GREEN = 'No interactions, allergy, duplicate or dose alerts.';
const hl7Now = (): string => new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14) + '+0000';

/** Picks a Mantine Select option by its visible label. */
async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

/**
 * Day 1 at the clinic, as the people live it, in one Chromium on one encrypted database with
 * imported Synthea history, enrolled with a real clinic server: the front desk registers (and is
 * warned of a chart that exists), books and checks in; the nurse rooms the patient and takes
 * vitals; Lock and Unlock; the physician charts, prescribes three drugs in a row and signs; lab
 * results arrive over a real MLLP socket; a second device syncs and shows the visit. Every screen
 * reached is checked by axe-core (WCAG 2.1 A/AA); screenshots under test-results/clinic-day/.
 */
describe('a day in the clinic, day 1: registration to signed visit, results and a second device', () => {
  const ta = tempDir('cairn-e2e-day1-a-');
  const tb = tempDir('cairn-e2e-day1-b-');
  let rig: ClinicDayRig;
  let page: Page;
  let pageErrors: string[];
  let steps: ReturnType<ClinicDayRig['steps']>;
  let onB: ReturnType<ClinicDayRig['steps']> = { step: () => Promise.resolve(), assertAllPassed: () => expect.fail('the second device was never reached') };
  let amara: Patient;
  const tz = loadScheduleConfig(new Resources(resourcesDir)).hours.timeZone;

  beforeAll(async () => {
    rig = await openClinicDayRig(ta.dir, tb.dir, 'day1');
    ({ page, pageErrors } = await rig.open());
    steps = rig.steps(page);
  }, 150_000);
  afterAll(async () => {
    await rig?.close();
    ta.cleanup();
    tb.cleanup();
  });

  it('front desk signs in, registers a new patient, is warned when registering an imported patient again, books and checks in', async () => {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await steps.step('01-sign-in');
    await signIn(page, DESK);
    const menu = await navigation(page);
    expect(menu.items).toEqual([...MENUS.desk]);
    expect(menu.current).toEqual(['Find patient']);
    await steps.step('02-front-desk-home');

    // A new patient, birth date typed the American way.
    await page.getByTestId('nav-register').click();
    const form = page.getByTestId('register-form');
    await form.getByLabel('Given name').fill(NEW.given);
    await form.getByLabel('Family name').fill(NEW.family);
    await page.getByTestId('register-birth-date').fill(NEW.typed);
    await form.getByLabel('Administrative sex').click();
    await page.getByRole('option', { name: 'Female' }).click();
    await form.getByLabel('Phone', { exact: true }).fill('(617) 555-0142');
    await page.getByTestId('emergency-name').fill('Chidi Okonkwo');
    await page.getByTestId('emergency-relationship').fill('brother');
    await page.getByTestId('emergency-phone').fill('617-555-0190');
    await steps.step('03-registration');
    await page.getByRole('button', { name: 'Register patient' }).click();
    const banner = page.getByTestId('patient-banner');
    await banner.getByText(`born ${NEW.birthDate}`).waitFor();
    const registered = await banner.innerText();
    for (const part of [`${NEW.family}, ${NEW.given}`, 'Female', `${ageToday(NEW.birthDate)} y`]) expect(registered).toContain(part);
    expect(registered).toMatch(/MRN \S+/);
    await expect(banner.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies not reviewed');
    // Front desk registers and books; starting a visit is not theirs.
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    await steps.step('04-registered');
    amara = await findPatient(rig.clinic, 'okonkwo');
    expect(registered).toContain(`MRN ${amara.mrn}`);

    // Clarence Mills came with the imported Synthea history: registering him again is caught.
    const mills = await findPatient(rig.clinic, 'clarence mills');
    await page.getByTestId('nav-register').click();
    await form.getByLabel('Given name').fill('Clarence');
    await form.getByLabel('Family name').fill('Mills');
    await page.getByTestId('register-birth-date').fill('05/29/1980');
    await form.getByLabel('Administrative sex').click();
    await page.getByRole('option', { name: 'Male', exact: true }).click();
    await page.getByRole('button', { name: 'Register patient' }).click();
    const warning = page.getByTestId('duplicate-warning');
    await warning.waitFor();
    await expect(warning.getByTestId('duplicate-row').count()).resolves.toBe(1);
    const row = await warning.getByTestId('duplicate-row').innerText();
    for (const part of ['Mills', 'Clarence', '1980-05-29', mills.mrn]) expect(row).toContain(part);
    await steps.step('05-duplicate-warning');
    expect(
      rig.clinic.session.repos.store.sqlite.prepare(`SELECT count(*) AS n FROM patients WHERE family_name = 'Mills' AND deleted_at IS NULL`).get(),
    ).toEqual({ n: 1 });
    await warning.getByTestId('duplicate-open').click();
    await banner.getByText(`MRN ${mills.mrn}`).waitFor();

    // Book Amara today at 11:00 with the physician, as a new patient.
    const today = wallTime(Date.now(), tz).date;
    const start = zonedInstant(today, 11 * 60, tz);
    const open = withinHours({ start, end: start + 40 * 60_000 }, loadScheduleConfig(new Resources(resourcesDir)).hours);
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('book-open').click();
    const dialog = page.getByTestId('book-dialog');
    await dialog.getByTestId('book-patient').fill('okonkwo');
    await page.getByRole('option', { name: /Okonkwo, Amara/ }).click();
    await choose(page, 'book-provider', 'Dr. Gregory House');
    await choose(page, 'book-type', /^New patient/);
    await dialog.getByTestId('book-date').fill(today);
    await dialog.getByTestId('book-time').fill('11:00');
    await page.getByTestId('book-reason').fill('New patient: blood pressure and sugar');
    await steps.step('06-book-dialog');
    await dialog.getByTestId('book-submit').click();
    // The test runs on any day: when the clinic is closed at 11:00 today, the person is told so first.
    if (!open) {
      await expect(page.getByTestId('outside-hours-warning').innerText()).resolves.toContain('the clinic is closed');
      await page.getByTestId('book-anyway').click();
    }
    const done = page.getByTestId('booking-confirmation');
    await done.waitFor();
    await expect(done.innerText()).resolves.toMatch(/Booked Okonkwo, Amara · .* 11:00 with Dr\. Gregory House/);
    await steps.step('07-booked');

    // The flow board: arrived, then checked in through the checklist.
    await page.getByTestId('nav-flow-board').click();
    const card = page.getByTestId('flow-card').filter({ hasText: 'Okonkwo, Amara' });
    await card.waitFor();
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-arrived').getByTestId('flow-card').filter({ hasText: 'Okonkwo' }).waitFor();
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('check-in-submit').waitFor();
    await page.getByTestId('check-in-demographics').check();
    await page.getByTestId('check-in-insurance-verified').check();
    for (const q of ['new-symptoms', 'medication-changes', 'fall-risk']) await page.getByTestId(`intake-${q}-no`).check();
    await steps.step('08-check-in');
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('flow-column-checked_in').getByTestId('flow-card').filter({ hasText: 'Okonkwo' }).waitFor();
    // Front desk has no way into the visit.
    await expect(card.getByTestId('flow-open-visit').count()).resolves.toBe(0);
    await steps.step('09-checked-in');
    await signOut(page);
  });

  it('the nurse lands on her own home screen, rooms the patient, sees who the visit is for, records an allergy and vitals, and locks', async () => {
    await signIn(page, NURSE);
    // Not the front desk's flow board: her own start, with nothing of the last person's screen.
    await page.getByTestId('patient-search').waitFor();
    const menu = await navigation(page);
    expect(menu.current).toEqual(['Find patient']);
    // Her menu, not the physician's or the administrator's.
    for (const other of ['Import', 'Users', 'Audit']) expect(menu.items).not.toContain(other);
    await expect(page.getByTestId('flow-board').count()).resolves.toBe(0);
    await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
    await steps.step('10-nurse-home');

    await page.getByTestId('nav-flow-board').click();
    const card = page.getByTestId('flow-card').filter({ hasText: 'Okonkwo, Amara' });
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('room-select').click();
    await page.getByRole('option', { name: 'Exam 3' }).click();
    await page.getByTestId('room-submit').click();
    await page.getByTestId('flow-column-roomed').getByTestId('flow-card').filter({ hasText: 'Exam 3' }).waitFor();
    await card.getByTestId('flow-open-visit').click();

    // The visit workspace names the patient: name, age, sex, MRN and allergy status.
    await page.getByTestId('encounter-workspace').waitFor();
    const banner = page.getByTestId('patient-banner');
    const text = await banner.innerText();
    for (const part of [`${NEW.family}, ${NEW.given}`, `${ageToday(NEW.birthDate)} y`, `born ${NEW.birthDate}`, 'Female', `MRN ${amara.mrn}`])
      expect(text).toContain(part);
    await expect(banner.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies not reviewed');
    await expect(page.getByTestId('encounter-workspace').getByText('New patient: blood pressure and sugar').count()).resolves.toBe(1);
    await steps.step('11-visit-banner');

    // Intake: a penicillin allergy, and the banner says so at once.
    await page.getByRole('button', { name: '← Chart' }).click();
    await page.getByRole('tab', { name: 'Allergies' }).click();
    const substance = page.getByTestId('allergy-substance');
    await substance.click();
    await substance.pressSequentially('penicil');
    await page
      .getByRole('option', { name: /^Penicillins/ })
      .first()
      .click();
    await page.getByTestId('allergy-reactions').fill('hives');
    await page.getByTestId('allergy-reactions').press('Enter');
    await page.getByRole('button', { name: 'Add allergy' }).click();
    await page.getByTestId('allergy-list').getByText('Penicillins').first().waitFor();
    await expect(banner.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies: Penicillins');
    await steps.step('12-allergy-recorded');

    // Back to the visit: vitals typed in lb and °F, read back as typed.
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-row').filter({ hasText: 'New patient: blood pressure and sugar' }).click();
    await page.getByTestId('encounter-workspace').waitFor();
    await page.getByTestId('vital-systolic').fill('152');
    await page.getByTestId('vital-diastolic').fill('94');
    await page.getByTestId('vital-heartRate').fill('82');
    await page.getByTestId('vital-temperature').fill('98.4');
    await page.getByTestId('vital-weight').fill('187');
    await page.getByTestId('vital-height').fill('65');
    await page.getByRole('button', { name: 'Record vitals' }).click();
    const recorded = page.getByTestId('vitals-recorded');
    await recorded.waitFor();
    const vitals = await recorded.textContent();
    for (const part of ['152 mmHg', '94 mmHg', '98.4 °F', '187.0 lb']) expect(vitals).toContain(part);
    expect(vitals).not.toContain('mm[Hg]');
    await steps.step('13-vitals');

    // She steps away: Lock closes the database and the screen.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Cairn' }).waitFor();
    await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
    await steps.step('14-locked');
  });

  it('the physician unlocks and signs in, charts the note, prescribes three drugs in a row (each Prescribe empty, alerts of the drug signed) and signs', async () => {
    await page.getByTestId('passphrase').fill(CLINIC.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await signIn(page, CLINIC.doc);
    await page.getByTestId('patient-search').waitFor();
    await expect(page.getByTestId('encounter-workspace').count()).resolves.toBe(0);
    await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
    await steps.step('15-physician-home', { axe: false });

    await openChart(page, 'okonkwo');
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-row').filter({ hasText: 'New patient: blood pressure and sugar' }).click();
    await page.getByTestId('encounter-workspace').waitFor();
    // What the nurse recorded is there.
    await expect(page.getByTestId('vitals-recorded').textContent()).resolves.toContain('152 mmHg');
    await expect(page.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies: Penicillins');

    await choose(page, 'template-select', 'Primary care visit (SOAP)');
    await page.getByRole('button', { name: 'Start note' }).click();
    const editor = page.getByTestId('note-editor');
    await editor.getByLabel('Chief complaint').fill('New patient; high blood pressure at a pharmacy, thirsty for a month');
    await editor.getByLabel('History of present illness').fill('Home BP 150s/90s. Polyuria and polydipsia for four weeks. Sinus pain and fever for ten days.');
    await editor.getByLabel('Impression').fill('Hypertension, new; likely type 2 diabetes; acute bacterial sinusitis');
    await editor.getByLabel('Treatment and orders').fill('Metformin, lisinopril, doxycycline (penicillin allergy). BMP today.');
    await editor.getByTestId('save-state').filter({ hasText: 'Draft saved' }).waitFor();
    await steps.step('16-note-draft');

    // Three prescriptions in a row from the Medications tab.
    await page.getByRole('button', { name: '← Chart' }).click();
    await page.getByRole('tab', { name: 'Medications' }).click();
    const dialog = page.getByRole('dialog');
    const emptyForm = async (): Promise<void> => {
      await page.getByTestId('prescribe').click();
      await page.getByTestId('rx-password').waitFor();
      for (const id of ['rx-drug', 'rx-dose', 'rx-frequency', 'rx-days', 'rx-quantity', 'rx-indication', 'rx-password'])
        await expect(dialog.getByTestId(id).inputValue()).resolves.toBe('');
      await expect(dialog.getByText(GREEN).count()).resolves.toBe(0);
    };
    const sign = async (drug: RegExp): Promise<void> => {
      await page.getByTestId('rx-password').fill(CLINIC.doc.password);
      await page.getByTestId('rx-sign').click();
      await page.getByTestId('med-list').getByText(drug).first().waitFor();
    };

    await emptyForm();
    await dialog.getByTestId('rx-drug').fill('metformin');
    await page
      .getByRole('option', { name: /metformin hydrochloride 500 MG Oral Tablet/i })
      .first()
      .click();
    await page.getByTestId('rx-dose').fill('1');
    await choose(page, 'rx-frequency', /twice daily/);
    await page.getByTestId('rx-days').fill('30');
    await page.getByTestId('rx-quantity').fill('60');
    await page.getByTestId('rx-refills').fill('3');
    await page.getByTestId('rx-indication').fill('type 2 diabetes');
    await dialog.getByText(GREEN).waitFor();
    await steps.step('17-rx-metformin');
    await sign(/metformin/i);

    await emptyForm();
    await dialog.getByTestId('rx-drug').fill('lisinopril');
    await page
      .getByRole('option', { name: /lisinopril 10 MG Oral Tablet/i })
      .first()
      .click();
    await page.getByTestId('rx-dose').fill('1');
    await choose(page, 'rx-frequency', /once daily/);
    await page.getByTestId('rx-quantity').fill('30');
    await page.getByTestId('rx-indication').fill('hypertension');
    await dialog.getByText(GREEN).waitFor();
    await sign(/lisinopril/i);

    // Amoxicillin: the penicillin allergy is the alert shown, and signing waits for a reason.
    await emptyForm();
    await dialog.getByTestId('rx-drug').fill('amoxicillin');
    await page
      .getByRole('option', { name: /amoxicillin 500 MG Oral Capsule/i })
      .first()
      .click();
    const alerts = dialog.getByTestId('med-alerts');
    await alerts
      .getByText(/penicillin/i)
      .first()
      .waitFor();
    await expect(alerts.textContent()).resolves.toContain('Allergy to Penicillins and amoxicillin 500 MG Oral Capsule');
    await expect(dialog.getByText(GREEN).count()).resolves.toBe(0);
    await expect(page.getByTestId('rx-sign').isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('rx-sign').textContent()).resolves.toBe('Give a reason for 1 alert to sign');
    await steps.step('18-rx-amoxicillin-allergy');
    // Changed to doxycycline: amoxicillin's alert goes with it; what is signed has none.
    await dialog.getByTestId('rx-drug').fill('doxycycline hyclate 100');
    await page
      .getByRole('option', { name: /doxycycline hyclate 100 MG Oral Capsule/i })
      .first()
      .click();
    await dialog.getByText(GREEN).waitFor();
    await expect(dialog.locator('[data-testid^=med-alert-]').count()).resolves.toBe(0);
    await page.getByTestId('rx-dose').fill('1');
    await choose(page, 'rx-frequency', /twice daily/);
    await page.getByTestId('rx-days').fill('7');
    await page.getByTestId('rx-quantity').fill('14');
    await page.getByTestId('rx-indication').fill('acute bacterial sinusitis');
    await expect(page.getByTestId('rx-sig').textContent()).resolves.toMatch(
      /^Doxycycline hyclate 100 MG Oral Capsule: Take 1 capsule .*twice daily.*Quantity 14 capsules, 0 refills\. For: acute bacterial sinusitis/i,
    );
    await steps.step('19-rx-doxycycline', { axe: false });
    await sign(/doxycycline/i);
    await expect(page.getByTestId('rx-error').count()).resolves.toBe(0);
    const active = rig.clinic.session.repos.medications
      .history(amara.id)
      .filter((c) => c.status === 'active')
      .map((c) => c.drugName.toLowerCase().split(' ')[0]);
    expect(active.sort()).toEqual(['doxycycline', 'lisinopril', 'metformin']);
    await steps.step('20-three-prescribed');

    // A BMP ordered for today, then the note signed with the password.
    await page.getByTestId('tab-lab-orders').click();
    await page.getByTestId('order-sets').click();
    await page.getByRole('option', { name: /^Basic metabolic panel \(BMP\)/ }).click();
    await page.getByTestId('place-order').click();
    await page.getByTestId('lab-order-row').filter({ hasText: 'ordered' }).waitFor();
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-row').filter({ hasText: 'New patient: blood pressure and sugar' }).click();
    await page.getByRole('button', { name: 'Sign note' }).click();
    await page.getByTestId('sign-password').fill(CLINIC.doc.password);
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    const signed = page.getByTestId('signed-note');
    await signed.waitFor();
    await expect(signed.textContent()).resolves.toContain('acute bacterial sinusitis');
    await expect(page.getByTestId('note-editor').count()).resolves.toBe(0);
    await steps.step('21-note-signed');
  });

  it('results arrive over MLLP mid-day: the physician sees the true count and her BMP in the inbox, routed to him', async () => {
    await page.getByTestId('nav-results').click();
    await page.getByTestId('inbox-table').waitFor();
    const before = Number((await page.getByTestId('inbox-total').textContent())!.replace(/\D/g, ''));
    await expect(page.getByTestId('results-badge').textContent()).resolves.toBe(String(before));

    // The lab's interface engine sends the BMP on a real socket to the device's listener.
    const placer = (
      rig.clinic.session.repos.store.sqlite.prepare('SELECT placer_number AS p FROM lab_orders WHERE patient_id = ?').get(amara.id) as { p: string }
    ).p;
    const at = hl7Now();
    const pid = `PID|1||${amara.mrn}^^^^MR||Okonkwo^Amara||19880722|F`;
    const bmp = [
      ['2345-7^Glucose^LN', '182', 'mg/dL', '70-99', 'H'],
      ['3094-0^Urea nitrogen^LN', '14', 'mg/dL', '7-20', 'N'],
      ['2160-0^Creatinine^LN', '0.82', 'mg/dL', '0.57-1.00', 'N'],
      ['2951-2^Sodium^LN', '139', 'mmol/L', '135-145', 'N'],
      ['2823-3^Potassium^LN', '4.3', 'mmol/L', '3.5-5.1', 'N'],
      ['2075-0^Chloride^LN', '101', 'mmol/L', '98-107', 'N'],
      ['2028-9^Carbon dioxide^LN', '24', 'mmol/L', '22-29', 'N'],
      ['17861-6^Calcium^LN', '9.4', 'mg/dL', '8.6-10.3', 'N'],
    ].map(([code, v, unit, range, flag], i) => `OBX|${i + 1}|NM|${code}||${v}|${unit}|${range}|${flag}|||F|||${at}`);
    const message = [
      `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|${at}||ORU^R01^ORU_R01|DAY1-BMP|P|2.5.1`,
      pid,
      `ORC|RE|${placer}|F-DAY1^ACME`,
      `OBR|1|${placer}|F-DAY1^ACME|24321-2^Basic metabolic panel^LN|||${at}`,
      ...bmp,
    ].join('\r');
    const listener = await startMllpListener(new Hl7Ingest(rig.clinic.session.repos), { port: 0 });
    try {
      const [ack] = await sendMllp(listener.port, [message]);
      const parsed = parseMessageOrThrow(ack!);
      expect([get(parsed, 'MSA-1'), get(parsed, 'MSA-2')]).toEqual(['AA', 'DAY1-BMP']);
    } finally {
      await listener.close();
    }

    // The screen shows the true number waiting, in the header and the inbox.
    await page.getByTestId('nav-search').click();
    await page.getByTestId('nav-results').click();
    await page
      .getByTestId('inbox-total')
      .filter({ hasText: `${before + 8} to review` })
      .waitFor();
    await expect(page.getByTestId('results-badge').textContent()).resolves.toBe(String(before + 8));
    const rows = page.getByTestId('inbox-table').locator('tbody tr', { hasText: 'Okonkwo, Amara' });
    await expect(rows.count()).resolves.toBe(8);
    const glucose = rows.filter({ hasText: 'Glucose' });
    await expect(glucose.textContent()).resolves.toContain('182 mg/dL');
    await expect(glucose.getByTestId('inbox-ordered-by').textContent()).resolves.toBe('Dr. Gregory House');
    await steps.step('22-results-arrived');

    // On her chart the order is resulted.
    await rows.first().getByTestId('inbox-patient').click();
    await page.getByTestId('patient-results').locator('tbody tr', { hasText: 'Glucose' }).first().waitFor();
    await expect(page.getByTestId('patient-results').locator('tbody tr', { hasText: 'Glucose' }).first().textContent()).resolves.toContain('182 mg/dL');
    await steps.step('23-chart-results');
  });

  it('a second device syncs and shows the visit, the signed note and the prescriptions', async () => {
    // The front desk PC sends the day's work.
    await page.getByTestId('sync-now').click();
    await page.getByTestId('sync-detail').filter({ hasText: 'synced just now · all sent' }).waitFor({ timeout: 60_000 });
    await steps.step('24-device-a-synced', { axe: false });

    // The exam room laptop: unlocked with its own passphrase, the physician signs in (checked by the server).
    const { page: b, pageErrors: bErrors } = await rig.open(rig.deviceB.handlers);
    onB = rig.steps(b);
    await b.getByTestId('passphrase').fill(DEVICE_B_PASSPHRASE);
    await b.getByRole('button', { name: 'Unlock' }).click();
    await signIn(b, CLINIC.doc);
    await b.getByTestId('sync-now').click();
    await b
      .getByTestId('sync-detail')
      .filter({ hasText: /synced just now/ })
      .waitFor({ timeout: 60_000 });
    await openChart(b, 'okonkwo');
    await expect(b.getByTestId('patient-banner').innerText()).resolves.toContain(`MRN ${amara.mrn}`);
    await expect(b.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies: Penicillins');
    await b.getByRole('tab', { name: 'Medications' }).click();
    const meds = b.getByTestId('med-list');
    for (const drug of [/metformin/i, /lisinopril/i, /doxycycline/i]) await meds.getByText(drug).first().waitFor();
    await expect(meds.getByText(/amoxicillin/i).count()).resolves.toBe(0);
    await onB.step('25-device-b-medications');
    await b.getByRole('tab', { name: 'Visits' }).click();
    const visit = b.getByTestId('visit-row').filter({ hasText: 'New patient: blood pressure and sugar' });
    await expect(visit.textContent()).resolves.toContain('Dr. Gregory House');
    await visit.click();
    await b.getByTestId('signed-note').waitFor();
    await expect(b.getByTestId('signed-note').textContent()).resolves.toContain('acute bacterial sinusitis');
    await expect(b.getByTestId('vitals-recorded').textContent()).resolves.toContain('152 mmHg');
    await onB.step('26-device-b-visit');

    expect(bErrors).toEqual([]);
  });

  it('every screen the day reached passes axe-core (WCAG 2.1 A/AA), and no page failed', () => {
    expect(pageErrors).toEqual([]);
    steps.assertAllPassed();
    onB.assertAllPassed();
  });
});
