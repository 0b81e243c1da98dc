import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `rx-safety-${name}.png`), fullPage: true });
const GREEN = 'No interactions, allergy, duplicate or dose alerts.';

/** Picks a Mantine Select option by its visible label. */
async function choose(page: Page, testId: string, option: string | RegExp): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** The drug search box inside the open Prescribe dialog. */
const drugBox = (page: Page): Locator => page.getByRole('dialog').getByTestId('rx-drug');

async function openChartMeds(page: Page, search: string): Promise<void> {
  await page.getByTestId('patient-search').fill(search);
  await page.getByTestId('search-result').first().click();
  await page.getByRole('tab', { name: 'Medications' }).click();
  await page.getByTestId('med-list').waitFor();
}

/** Every value the Prescribe form shows, as the clinician reads it. */
async function formValues(page: Page): Promise<Record<string, string>> {
  const dialog = page.getByRole('dialog');
  const ids = ['rx-drug', 'rx-dose', 'rx-unit', 'rx-route', 'rx-frequency', 'rx-days', 'rx-quantity', 'rx-quantity-unit', 'rx-refills', 'rx-indication'];
  return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await dialog.getByTestId(id).inputValue()] as const)));
}

describe('prescribing safety in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-rx-safety-');
  let clinic: Clinic;
  let app: BridgedApp;
  let patient: Patient;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    patient = await clinic.ok<Patient>('patients.create', { givenName: 'Dolores', familyName: 'Metforde', birthDate: '1961-03-14', sex: 'female' });
    await clinic.ok<Patient>('patients.create', { givenName: 'Pablo', familyName: 'Reportado', birthDate: '1970-09-02', sex: 'male' });
    await clinic.ok<Patient>('patients.create', { givenName: 'Vera', familyName: 'Vitalia', birthDate: '1980-01-20', sex: 'female' });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('Prescribe opens empty after signing, a new drug starts a new sig, and the alerts shown are those of what is signed', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    await openChartMeds(page, 'metfor');

    // Metformin twice daily × 30 days, qty 60, 3 refills, for type 2 diabetes.
    await page.getByTestId('prescribe').click();
    await drugBox(page).fill('metformin');
    await page.getByRole('option', { name: /metformin hydrochloride 500 MG Oral Tablet/i }).click();
    await page.getByTestId('rx-dose').fill('1');
    await choose(page, 'rx-frequency', /twice daily/);
    await page.getByTestId('rx-days').fill('30');
    await page.getByTestId('rx-quantity').fill('60');
    await page.getByTestId('rx-refills').fill('3');
    await page.getByTestId('rx-indication').fill('type 2 diabetes');
    await page.getByRole('dialog').getByText(GREEN).waitFor();
    await page.getByTestId('rx-password').fill(CLINIC.doc.password);
    await shot(page, '01-metformin-before-signing');
    await page.getByTestId('rx-sign').click();
    await page
      .getByTestId('med-list')
      .getByText(/metformin/i)
      .waitFor();

    // Reopened: nothing of the metformin prescription is left.
    await page.getByTestId('prescribe').click();
    await page.getByTestId('rx-password').waitFor();
    await shot(page, '02-reopened-empty');
    expect(await formValues(page)).toEqual({
      'rx-drug': '',
      'rx-dose': '',
      'rx-unit': '',
      'rx-route': '',
      'rx-frequency': '',
      'rx-days': '',
      'rx-quantity': '',
      'rx-quantity-unit': '',
      'rx-refills': '0',
      'rx-indication': '',
    });
    await expect(page.getByTestId('rx-password').inputValue()).resolves.toBe('');
    await expect(page.getByRole('dialog').getByText(GREEN).count()).resolves.toBe(0);

    // Metformin again: the duplicate shows with its reason field, never beside the green "no alerts".
    await drugBox(page).fill('metformin');
    await page.getByRole('option', { name: /metformin hydrochloride 500 MG Oral Tablet/i }).click();
    const duplicate = page
      .getByRole('dialog')
      .getByTestId('med-alerts')
      .getByText(/duplicate/i)
      .first();
    await duplicate.waitFor();
    await expect(page.getByRole('dialog').getByText(GREEN).count()).resolves.toBe(0);
    const blocking = page.getByRole('dialog').locator('[data-testid=med-alert-major], [data-testid=med-alert-contraindicated]');
    const blockingCount = await blocking.count();
    expect(blockingCount).toBeGreaterThan(0);
    await expect(blocking.getByRole('textbox').count()).resolves.toBe(blockingCount);
    await expect(page.getByTestId('rx-sign').isDisabled()).resolves.toBe(true);
    await shot(page, '03-metformin-again-duplicate');

    // Changing the drug to simvastatin: the sig, quantity, refills and indication start over, and metformin's alert is gone.
    await page.getByTestId('rx-dose').fill('2');
    await page.getByTestId('rx-indication').fill('type 2 diabetes');
    await drugBox(page).fill('simva');
    await page.getByRole('option', { name: /Simvastatin 20 MG Oral Tablet/i }).click();
    await page.getByRole('dialog').getByText(GREEN).waitFor();
    const afterChange = await formValues(page);
    expect(afterChange).toMatchObject({
      'rx-dose': '',
      'rx-frequency': '',
      'rx-days': '',
      'rx-quantity': '',
      'rx-refills': '0',
      'rx-indication': '',
      'rx-unit': 'tablet',
      'rx-route': 'oral',
    });
    expect(afterChange['rx-drug']).toMatch(/simvastatin 20 MG/i);
    await expect(page.getByRole('dialog').locator('[data-testid^=med-alert-]').count()).resolves.toBe(0);

    // Simvastatin's own sig, signed: no red error beside a green summary.
    await page.getByTestId('rx-dose').fill('1');
    await choose(page, 'rx-frequency', /at bedtime/);
    await page.getByTestId('rx-quantity').fill('30');
    await page.getByTestId('rx-indication').fill('hyperlipidemia');
    await page.getByTestId('rx-password').fill(CLINIC.doc.password);
    await expect(page.getByTestId('rx-sig').textContent()).resolves.toMatch(
      /Simvastatin 20 MG Oral Tablet: Take 1 tablet .*at bedtime.*Quantity 30 tablets, 0 refills\. For: hyperlipidemia/,
    );
    await shot(page, '04-simvastatin-own-sig');
    await page.getByTestId('rx-sign').click();
    await page
      .getByTestId('med-list')
      .getByText(/simvastatin/i)
      .waitFor();
    await expect(page.getByTestId('rx-error').count()).resolves.toBe(0);
    await shot(page, '05-both-prescribed');

    const signed = clinic.session.repos.medications
      .history(patient.id)
      .filter((c) => c.status === 'active')
      .map((c) => c.drugName);
    expect(signed).toEqual(expect.arrayContaining([expect.stringMatching(/metformin/i), expect.stringMatching(/simvastatin/i)]));
    expect(signed).toHaveLength(2);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('drug search never offers results of an earlier query: "doxycy" lists only doxycycline and the first option is doxycycline', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    await openChartMeds(page, 'metfor');
    await page.getByTestId('prescribe').click();
    const box = drugBox(page);
    await box.click();
    await box.pressSequentially('do');
    // "do" lists donepezil first.
    await page
      .getByRole('option', { name: /donepezil/i })
      .first()
      .waitFor();
    await shot(page, '06-search-do');
    const seen: { typed: string; options: string[] }[] = [];
    let text = 'do';
    for (const key of 'xycy') {
      text += key;
      await box.press(key);
      seen.push({ typed: text, options: await page.getByRole('option').allTextContents() });
    }
    // Whatever is on screen while typing answers the text typed so far, never "do": each option is
    // one the search gives for that text. (On a slow machine the list for "dox" or "doxy" does show:
    // it rightly holds combinations with doxylamine, such as NyQuil.)
    for (const { typed, options } of seen) {
      const answer = await clinic.ok<{ name: string; description?: string }[]>('meds.searchDrugs', { query: typed });
      const names = answer.map((d) => (d.description ?? d.name).toLowerCase());
      for (const o of options)
        expect(
          names.some((n) => o.toLowerCase().startsWith(n)),
          `"${o}" shown for "${typed}"`,
        ).toBe(true);
      expect(options.filter((o) => /donepezil/i.test(o))).toEqual([]);
    }
    // Taking the first option right after typing picks a doxycycline.
    await page.getByRole('option').first().click();
    await expect(box.inputValue()).resolves.toMatch(/doxycycline/i);
    await page.getByRole('dialog').getByTestId('med-alerts').waitFor();
    await shot(page, '07-doxycycline-picked');
    const options = await page.getByRole('option').allTextContents();
    for (const o of options) expect(o).toMatch(/doxycycline/i);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('"Patient reports taking" records a coded drug chosen by ↓ Enter or by click', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    await openChartMeds(page, 'reporta');
    const box = page.getByTestId('reported-drug');
    await box.click();
    await box.pressSequentially('lisino');
    await page.getByRole('option', { name: /lisinopril 10 MG/i }).waitFor();
    await box.press('ArrowDown');
    await box.press('Enter');
    await page.getByTestId('reported-coded').waitFor();
    await expect(box.inputValue()).resolves.toMatch(/lisinopril 10 MG/i);
    await expect(page.getByTestId('reported-add').textContent()).resolves.toBe('Add');
    await page.getByTestId('reported-dose').fill('10 mg daily');
    await shot(page, '08-reported-keyboard');
    await page.getByTestId('reported-add').click();
    await page
      .getByTestId('med-list')
      .getByText(/lisinopril/i)
      .waitFor();
    await expect(box.inputValue()).resolves.toBe('');

    await box.click();
    await box.pressSequentially('atorva');
    await page
      .getByRole('option', { name: /atorvastatin/i })
      .first()
      .click();
    await page.getByTestId('reported-coded').waitFor();
    await page.getByTestId('reported-add').click();
    await page
      .getByTestId('med-list')
      .getByText(/atorvastatin/i)
      .waitFor();
    await shot(page, '09-reported-click');
    await expect(
      page
        .getByTestId('med-list')
        .getByText(/uncoded/i)
        .count(),
    ).resolves.toBe(0);

    const p = (await clinic.ok<Patient[]>('patients.search', { query: 'reporta' }))[0]!;
    const courses = clinic.session.repos.medications.history(p.id);
    expect(courses.map((c) => [c.drugName.toLowerCase().split(' ')[0], c.uncoded])).toEqual(
      expect.arrayContaining([
        ['lisinopril', false],
        ['atorvastatin', false],
      ]),
    );
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('numeric clinical fields select their value on focus: tabbing into a dose of 1 and typing 500 gives 500', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    await openChartMeds(page, 'metfor');
    await page.getByTestId('prescribe').click();
    await drugBox(page).fill('amoxicillin');
    await page
      .getByRole('option', { name: /amoxicillin/i })
      .first()
      .click();
    const dose = page.getByTestId('rx-dose');
    await dose.fill('1');
    await page.getByTestId('rx-quantity').fill('30');
    // Tab from the drug box into the prefilled dose, then type.
    await drugBox(page).focus();
    await page.keyboard.press('Tab');
    await expect(dose.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('500');
    await expect(dose.inputValue()).resolves.toBe('500');
    // The same for quantity, reached with Shift+Tab from the quantity unit.
    await page.getByTestId('rx-refills').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('21');
    await expect(page.getByTestId('rx-quantity').inputValue()).resolves.toBe('21');
    // A click into the field selects it too.
    await dose.click();
    await page.keyboard.type('250');
    await expect(dose.inputValue()).resolves.toBe('250');
    await shot(page, '10-dose-replaced');
    await page.close();

    // Vitals at a visit: a typed systolic is replaced when tabbed back into.
    const { page: visit, pageErrors: visitErrors } = await app.open({ width: 1400, height: 1100 });
    await visit.getByTestId('patient-search').fill('vitalia');
    await visit.getByTestId('search-result').first().click();
    await visit.getByTestId('start-visit').click();
    await visit.getByTestId('visit-reason').fill('Follow-up');
    await visit.getByRole('button', { name: 'Start', exact: true }).click();
    const systolic = visit.getByTestId('vital-systolic');
    await systolic.fill('120');
    await visit.getByTestId('vital-diastolic').focus();
    await visit.keyboard.press('Shift+Tab');
    await visit.keyboard.type('135');
    await expect(systolic.inputValue()).resolves.toBe('135');
    await shot(visit, '11-vitals-replaced');
    expect([...pageErrors, ...visitErrors]).toEqual([]);
    await visit.close();
  });
});
