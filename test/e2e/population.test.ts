import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTimeZone, wallTime } from '../../shared/domain/dates';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
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

  /** A patient with type 2 diabetes seen this year, with an HbA1c result from the lab. */
  async function diabetic(given: string, family: string, a1c: string): Promise<Patient> {
    const p = await clinic.ok<Patient>('patients.create', { givenName: given, familyName: family, birthDate: '1990-05-06', sex: 'male' });
    await clinic.ok('problems.add', { patientId: p.id, icd10: 'E11.9', onsetDate: '2015-01-01', chronic: true });
    await clinic.ok('encounters.create', { patientId: p.id, visitType: 'follow_up' });
    // An hour ago, written in this machine's zone as the lab's HL7 times are read: never in the future.
    const ago = wallTime(Date.now() - 3_600_000, localTimeZone());
    const at = `${ago.date.replace(/-/g, '')}${String(Math.floor(ago.minutes / 60)).padStart(2, '0')}${String(ago.minutes % 60).padStart(2, '0')}`;
    const oru = [
      `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|${at}||ORU^R01^ORU_R01|A1C-${family}|P|2.5.1`,
      `PID|1||${p.mrn}^^^^MR||${family}^${given}||19900506|M`,
      `OBR|1|PL-${family}|F-${family}^ACME|4548-4^HbA1c^LN`,
      `OBX|1|NM|4548-4^Hemoglobin A1c^LN||${a1c}|%|4.0-5.6|H|||F|||${at}`,
    ].join('\r');
    expect(new Hl7Ingest(clinic.session.repos).receive(oru, family)).toMatchObject({ results: 1 });
    return p;
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    await hypertensive('Rosa', 'Quintero', 132, 84);
    await hypertensive('Ines', 'Quintana', 152, 96);
    // CMS122 is inverse (poor control is the numerator): Dora is controlled, Eli is not.
    await diabetic('Dora', 'Dunmore', '7.0');
    await diabetic('Eli', 'Eastwood', '10.2');
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

  it('labels an inverse measure (CMS122, lower is better) the right way round: a controlled patient is never a red gap', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    await page.getByTestId('nav-population').click();
    await page.getByTestId('tab-measures').click();
    const cms122 = page.getByTestId('measure-CMS122');
    await cms122.waitFor();
    const headings = await cms122.locator('thead th').allTextContents();
    expect(headings).toEqual(['Population', 'Denominator', 'Exclusions', 'Poor control (numerator)', 'Controlled', 'Rate']);
    // Eli (HbA1c 10.2 %) is the one to act on, in red; Dora (7.0 %) is counted as controlled, not red.
    const poor = cms122.getByTestId('numerator-CMS122-main');
    const controlled = cms122.getByTestId('gaps-CMS122-main');
    await expect(poor.textContent()).resolves.toBe('1');
    await expect(poor.getAttribute('data-tone')).resolves.toBe('act');
    await expect(controlled.textContent()).resolves.toBe('1');
    await expect(controlled.getAttribute('data-tone')).resolves.toBe('ok');
    await expect(cms122.getByTestId('measure-rate').textContent()).resolves.toBe('50.0 %');
    // A regular measure keeps its red gaps; CMS122's poor control takes that red, its controlled patients do not.
    await expect(page.getByTestId('measure-CMS165').locator('thead th').allTextContents()).resolves.toEqual([
      'Population',
      'Denominator',
      'Exclusions',
      'Met (numerator)',
      'Gaps',
      'Rate',
    ]);
    await expect(page.getByTestId('gaps-CMS165-main').getAttribute('data-tone')).resolves.toBe('act');
    const color = (l: Locator): Promise<string> => l.evaluate((e) => getComputedStyle(e).color);
    const red = await color(page.getByTestId('gaps-CMS165-main'));
    await expect(color(poor)).resolves.toBe(red);
    await expect(color(controlled)).resolves.not.toBe(red);
    await shot(page, '94-cms122-inverse');
    await controlled.click();
    const list = page.getByTestId('measure-patients');
    await list.waitFor();
    await expect(page.getByRole('dialog').textContent()).resolves.toContain('CMS122: Controlled');
    await expect(list.textContent()).resolves.toContain('Dunmore, Dora');
    await expect(list.textContent()).resolves.not.toContain('Eastwood');
    await shot(page, '95-cms122-controlled');
    expect(pageErrors).toEqual([]);
  });
});
