import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' };

describe('preventive care and the quality measure dashboard in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-population-');
  let clinic: Clinic;
  let app: BridgedApp;

  async function hypertensive(given: string, family: string, systolic: number, diastolic: number): Promise<Patient> {
    const p = await clinic.ok<Patient>('patients.create', { givenName: given, familyName: family, birthDate: '1961-04-02', sex: 'female' });
    await clinic.ok('problems.add', { patientId: p.id, icd10: 'I10', onsetDate: '2018-03-01', chronic: true });
    const visit = await clinic.ok<{ id: string }>('encounters.create', { patientId: p.id, visitType: 'follow_up' });
    await clinic.ok('vitals.record', { patientId: p.id, encounterId: visit.id, takenAt: new Date().toISOString(), units: UNITS, systolic, diastolic });
    return p;
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    await hypertensive('Rosa', 'Quintero', 132, 84);
    await hypertensive('Ines', 'Quintana', 152, 96);
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('shows what is due on the chart, lists the practice due list, and opens a measure’s gaps from the dashboard', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });

    // The chart's Preventive care tab: overdue first, the blood pressure screening done today.
    await page.getByTestId('patient-search').fill('rosa quin');
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('tab-preventive').click();
    await page.getByTestId('preventive-care').waitFor();
    const colorectal = page.getByTestId('preventive-colorectal-cancer-screening');
    await expect(colorectal.getByTestId('preventive-status').textContent()).resolves.toBe('overdue');
    await expect(colorectal.textContent()).resolves.toContain('no colonoscopy');
    await expect(page.getByTestId('preventive-blood-pressure-screening').getByTestId('preventive-status').textContent()).resolves.toBe('done');
    await expect(page.getByTestId('preventive-care').locator('tbody tr').first().getByTestId('preventive-status').textContent()).resolves.toBe('overdue');
    await shot(page, '90-preventive-care');

    // The practice's due list, filtered to one item, then the chart from a row.
    await page.getByTestId('nav-population').click();
    await page.getByTestId('due-list').waitFor();
    await expect(page.getByTestId('due-total').textContent()).resolves.toMatch(/^\d+ items due as of/);
    await expect(page.getByTestId('due-list').textContent()).resolves.toContain('Quintero, Rosa');
    // The counts per item: both women are overdue for colorectal screening.
    await expect(page.getByTestId('due-counts').textContent()).resolves.toContain('Colorectal cancer screening2overdue0due');
    await shot(page, '91-due-list');

    // The measure dashboard: CMS165 has one patient controlled and one not.
    await page.getByTestId('tab-measures').click();
    const cms165 = page.getByTestId('measure-CMS165');
    await cms165.waitFor();
    await expect(cms165.getByTestId('measure-rate').textContent()).resolves.toBe('50.0 %');
    await shot(page, '92-measures-dashboard');
    await page.getByTestId('gaps-CMS165-main').click();
    await page.getByTestId('measure-patients').waitFor();
    await expect(page.getByTestId('measure-patients').textContent()).resolves.toContain('Quintana, Ines');
    await expect(page.getByTestId('measure-patients').textContent()).resolves.not.toContain('Quintero');
    await shot(page, '93-measure-gaps');
    await page.getByTestId('measure-patients').getByText('Quintana, Ines').click();
    await page.getByTestId('preventive-care').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
