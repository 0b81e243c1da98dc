import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe('charting a visit in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-chart-');
  let clinic: Clinic;
  let app: BridgedApp;
  let patient: Patient;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    patient = await clinic.ok<Patient>('patients.create', {
      givenName: 'Marisol',
      familyName: 'Quintero',
      birthDate: '1968-04-12',
      sex: 'female',
      phone: '555-201-7788',
    });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('starts a visit, writes a SOAP note with ROS, vitals in lb and °F, a problem, an allergy, signs, adds an addendum, and trends the vitals', async () => {
    // The test bridge in place of IPC: same channel list as the preload, same dispatcher.
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });

    // Already signed in as the physician (the session lives in the backend): open the chart.
    await page.getByTestId('patient-search').fill('quint');
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('face-sheet').waitFor();

    // Problem found by typing "hypert".
    await page.getByRole('tab', { name: 'Problems' }).click();
    await page.getByTestId('problem-search').fill('hypert');
    await page.getByTestId('code-results').getByText('Essential (primary) hypertension').click();
    await expect(page.getByTestId('problem-list').getByText('I10').waitFor()).resolves.toBeUndefined();
    await shot(page, '10-problem-added');

    // An allergy: the banner changes from "not reviewed".
    await page.getByRole('tab', { name: 'Allergies' }).click();
    await page.getByTestId('allergy-substance').fill('Sulfamethoxazole');
    await page.getByTestId('allergy-reactions').fill('rash');
    await page.getByTestId('allergy-reactions').press('Enter');
    await page.getByRole('button', { name: 'Add allergy' }).click();
    await page.getByTestId('allergy-list').getByText('Sulfamethoxazole').waitFor();
    await expect(page.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies: Sulfamethoxazole');

    // Start a visit.
    await page.getByTestId('start-visit').click();
    await page.getByTestId('visit-reason').fill('Headaches and high home BP readings');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByTestId('encounter-workspace').waitFor();

    // Vitals entered in lb and °F.
    await page.getByTestId('vital-systolic').fill('162');
    await page.getByTestId('vital-diastolic').fill('98');
    await page.getByTestId('vital-heartRate').fill('84');
    await page.getByTestId('vital-temperature').fill('98.6');
    await page.getByTestId('vital-weight').fill('154');
    await page.getByTestId('vital-height').fill('64');
    await page.getByRole('button', { name: 'Record vitals' }).click();
    const recorded = page.getByTestId('vitals-recorded');
    await recorded.waitFor();
    await expect(recorded.textContent()).resolves.toContain('stored 69.853 kg');
    await expect(recorded.textContent()).resolves.toContain('stored 37 °C');
    // Shown as read: the unit typed, rounded; blood pressure in mmHg, never the UCUM code.
    await expect(recorded.textContent()).resolves.toContain('98.6 °F');
    await expect(recorded.textContent()).resolves.toContain('162 mmHg');
    await expect(recorded.textContent()).resolves.not.toContain('mm[Hg]');
    await shot(page, '11-vitals-recorded');

    // A SOAP note from its template, with the structured ROS.
    await page.getByTestId('template-select').click();
    await page.getByRole('option', { name: 'Primary care visit (SOAP)' }).click();
    await page.getByRole('button', { name: 'Start note' }).click();
    const editor = page.getByTestId('note-editor');
    await editor.waitFor();
    await editor.getByLabel('Chief complaint').fill('Headaches for two weeks');
    await editor.getByLabel('History of present illness').fill('Bitemporal headaches in the mornings; home BP 150s/90s.');
    const ros = editor.getByTestId('field-ros');
    await ros.getByTestId('ros-neurological').getByText('Positive', { exact: true }).click();
    await ros.getByLabel('Neurological findings').fill('morning headaches, no focal weakness');
    await ros.getByTestId('ros-cardiovascular').getByText('Negative', { exact: true }).click();
    await ros.getByRole('switch', { name: 'All others negative' }).check();
    await editor.getByLabel('Impression').fill('Uncontrolled hypertension');
    await editor.getByLabel('Treatment and orders').fill('Start lisinopril 10 mg daily; recheck in 2 weeks.');
    await expect(editor.getByTestId('save-state').filter({ hasText: 'Draft saved' }).waitFor()).resolves.toBeUndefined();
    await shot(page, '12-note-draft');

    // The draft survives a reload (it is in the encrypted database, not the page).
    await page.reload();
    await page.getByTestId('patient-search').fill('quint');
    await page.getByTestId('search-result').first().click();
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-list').getByText('Headaches and high home BP readings').click();
    await expect(page.getByTestId('note-editor').getByLabel('Chief complaint').inputValue()).resolves.toBe('Headaches for two weeks');

    // Sign with re-authentication.
    await page.getByRole('button', { name: 'Sign note' }).click();
    await page.getByTestId('sign-password').fill(CLINIC.doc.password);
    await page.getByRole('button', { name: 'Sign', exact: true }).click();
    const signed = page.getByTestId('signed-note');
    await signed.waitFor();
    const signedText = await signed.textContent();
    expect(signedText).toContain('Headaches for two weeks');
    expect(signedText).toContain('All other systems negative');
    await expect(page.getByTestId('note-editor').count()).resolves.toBe(0); // no editor for a signed note
    await shot(page, '13-note-signed');

    // An addendum appears under it.
    await signed.getByRole('button', { name: 'Add addendum' }).click();
    await page.getByTestId('addendum-text').fill('Patient called: home BP 138/86 today.');
    await page.getByTestId('addendum-password').fill(CLINIC.doc.password);
    await page.getByRole('button', { name: 'Sign addendum' }).click();
    await expect(signed.getByTestId('addendum').textContent()).resolves.toContain('home BP 138/86');
    await shot(page, '14-addendum');

    // The vitals chart shows the points.
    await page.getByRole('button', { name: '← Chart' }).click();
    await page.getByRole('tab', { name: 'Vitals' }).click();
    const trend = page.getByTestId('trend-systolic');
    await trend.waitFor();
    await expect(trend.textContent()).resolves.toContain('1 reading');
    await expect(trend.locator('.recharts-line-dot, .recharts-dot').count()).resolves.toBeGreaterThan(0);
    await shot(page, '15-vitals-trends');

    // The backend agrees: the note is signed, hashed and untouched.
    const notes = await clinic.ok<{ status: string; kind: string; contentHash: string | null }[]>('notes.list', { patientId: patient.id });
    expect(notes.map((n) => [n.kind, n.status])).toEqual([
      ['note', 'signed'],
      ['addendum', 'signed'],
    ]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
