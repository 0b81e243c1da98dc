import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');

describe('prescribing in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-rx-');
  let clinic: Clinic;
  let app: BridgedApp;
  let patient: Patient;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    patient = await clinic.ok<Patient>('patients.create', { givenName: 'Irene', familyName: 'Buprofena', birthDate: '1955-07-07', sex: 'female' });
    const [ibuprofen] = await clinic.ok<{ rxcui: string }[]>('meds.searchDrugs', { query: 'ibuprofen' });
    await clinic.ok('meds.add', { patientId: patient.id, rxcui: ibuprofen!.rxcui, dose: '400 mg three times daily' });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('a patient on ibuprofen is prescribed warfarin: the major alert shows before signing and the override reason is required and audited', async () => {
    // The test bridge in place of IPC: same channel list as the preload, same dispatcher.
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    await page.getByTestId('patient-search').fill('bupro');
    await page.getByTestId('search-result').first().click();
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page
      .getByTestId('med-list')
      .getByText(/ibuprofen/i)
      .waitFor();

    await page.getByTestId('prescribe').click();
    await page.getByTestId('rx-drug').fill('warfarin');
    await page
      .getByRole('option', { name: /warfarin/i })
      .first()
      .click();
    await page.getByTestId('rx-dose').fill('5');
    await page.getByTestId('rx-unit').click();
    await page.getByRole('option', { name: 'mg', exact: true }).click();
    // A new prescription starts empty: its frequency and quantity are chosen for this drug.
    await page.getByTestId('rx-frequency').click();
    await page.getByRole('option', { name: /once daily/ }).click();
    await page.getByTestId('rx-quantity').fill('30');
    const major = page.getByTestId('med-alert-major').first();
    await major.waitFor();
    expect((await major.textContent())?.toLowerCase()).toMatch(/ibuprofen|nsaid/);
    await page.getByTestId('rx-password').fill(CLINIC.doc.password);
    const sign = page.getByTestId('rx-sign');
    // Signing is blocked until the override has a reason.
    await expect(sign.isDisabled()).resolves.toBe(true);
    await expect(sign.textContent()).resolves.toMatch(/Give a reason/);
    await page.screenshot({ path: join(shots, '20-prescribe-major-alert.png'), fullPage: true });
    await major.getByRole('textbox').fill('Ibuprofen stopped today; INR check in 3 days');
    await expect(sign.isDisabled()).resolves.toBe(false);
    await sign.click();
    await page
      .getByTestId('med-list')
      .getByText(/warfarin/i)
      .waitFor();
    await page.screenshot({ path: join(shots, '21-prescribed.png'), fullPage: true });

    const overrides = clinic.session.repos.audit.list({ patientId: patient.id }).filter((e) => e.action === 'med.alert_override');
    expect(overrides).toHaveLength(1);
    expect(overrides[0]?.detail).toContain('Ibuprofen stopped today; INR check in 3 days');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
