import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `pickers-${name}.png`), fullPage: true });

describe('allergy and problem pickers in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-pickers-');
  let clinic: Clinic;
  let app: BridgedApp;
  let patient: Patient;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    patient = await clinic.ok<Patient>('patients.create', { givenName: 'Salma', familyName: 'Sulfani', birthDate: '1975-05-05', sex: 'female' });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('"sulfa" offers the sulfonamide class (not morphine sulfate), and the form starts blank after each allergy', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    await page.getByTestId('patient-search').fill('sulfani');
    await page.getByTestId('search-result').first().click();
    await page.getByRole('tab', { name: 'Allergies' }).click();

    const substance = page.getByTestId('allergy-substance');
    await substance.click();
    await substance.pressSequentially('sulfa');
    await page.getByRole('option', { name: /Sulfonamide antibiotics/ }).waitFor();
    const offered = await page.getByRole('option').allTextContents();
    await shot(page, '01-sulfa');
    expect(offered[0]).toMatch(/^Sulfonamide antibiotics/);
    expect(offered.filter((o) => /morphine|sulfate|\bMG\b|Tablet/i.test(o))).toEqual([]);
    await page.getByRole('option', { name: /Sulfonamide antibiotics/ }).click();
    await expect(substance.inputValue()).resolves.toBe('Sulfonamide antibiotics');

    // Severe hives, high criticality.
    await page.getByTestId('allergy-reactions').fill('hives');
    await page.getByTestId('allergy-reactions').press('Enter');
    await page.getByTestId('allergy-severity').click();
    await page.getByRole('option', { name: 'severe', exact: true }).click();
    await page.getByTestId('allergy-criticality').click();
    await page.getByRole('option', { name: 'high', exact: true }).click();
    await page.getByRole('button', { name: 'Add allergy' }).click();
    const row = page.getByTestId('allergy-list').getByRole('row', { name: /Sulfonamide antibiotics/ });
    await row.waitFor();
    await expect(row.getByText(/uncoded/i).count()).resolves.toBe(0);

    // The next allergy starts blank: no severity, criticality, reactions or type of the last one.
    await expect(page.getByTestId('allergy-severity').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('allergy-criticality').inputValue()).resolves.toBe('unable to assess');
    await expect(page.getByTestId('allergy-reactions').locator('..').getByText('hives').count()).resolves.toBe(0);
    await expect(substance.inputValue()).resolves.toBe('');
    await shot(page, '02-form-blank-after-add');

    // A food: choosing it sets the type.
    await substance.click();
    await substance.pressSequentially('peanut');
    await page.getByRole('option', { name: /^Peanut/ }).click();
    await expect(page.getByTestId('allergy-type').inputValue()).resolves.toBe('food');
    await page.getByRole('button', { name: 'Add allergy' }).click();
    await page.getByTestId('allergy-list').getByText('Peanut').waitFor();
    await expect(page.getByTestId('allergy-type').inputValue()).resolves.toBe('drug');
    await shot(page, '03-two-allergies');

    const stored = clinic.session.repos.allergies.list(patient.id).filter((a) => a.kind === 'allergy');
    const sulfa = stored.find((a) => a.substance === 'Sulfonamide antibiotics');
    expect(sulfa).toMatchObject({
      substanceCode: 'cairn-allergen:sulfonamide-antibiotics',
      substanceType: 'drug',
      severity: 'severe',
      criticality: 'high',
      reactions: ['hives'],
    });
    expect(stored.find((a) => a.substance === 'Peanut')).toMatchObject({
      substanceType: 'food',
      severity: null,
      criticality: 'unable_to_assess',
      reactions: [],
    });

    // The class allergy drives the drug checks: sulfamethoxazole-trimethoprim is contraindicated.
    const [bactrim] = await clinic.ok<{ rxcui: string }[]>('meds.searchDrugs', { query: 'sulfamethoxazole' });
    const check = await clinic.ok<{ alerts: { kind: string; severity: string }[] }>('meds.check', { patientId: patient.id, rxcui: bactrim!.rxcui });
    expect(check.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'drug-allergy', severity: 'contraindicated' })]));
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('"htn" lists I10 first in the problem search', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    await page.getByTestId('patient-search').fill('sulfani');
    await page.getByTestId('search-result').first().click();
    await page.getByRole('tab', { name: 'Problems' }).click();
    await page.getByTestId('problem-search').fill('htn');
    const first = page.getByTestId('code-results').getByRole('row').first();
    await first.getByText('I10').waitFor();
    await expect(first.textContent()).resolves.toContain('Essential (primary) hypertension');
    await shot(page, '04-htn');
    await first.click();
    await page.getByTestId('problem-list').getByText('I10').waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
