import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { DESK_CHART_TABS } from '../helpers/clinic-day';
import { tempDir } from '../helpers/temp-db';

describe('a front-desk user in Chromium', () => {
  const t = tempDir('cairn-e2e-desk-');
  let clinic: Clinic;
  let app: BridgedApp;

  beforeAll(async () => {
    clinic = await openClinic(t.dir);
    const p = await clinic.ok<Patient>('patients.create', { givenName: 'Desk', familyName: 'Visitor', birthDate: '1990-05-05' });
    const e = await clinic.ok<Encounter>('encounters.create', { patientId: p.id, visitType: 'office_visit', reason: 'Sore throat' });
    await clinic.ok('notes.saveDraft', {
      patientId: p.id,
      encounterId: e.id,
      templateId: 'primary-care-soap',
      title: 'Primary care visit (SOAP)',
      content: { 'chief-complaint': 'Sore throat, private details' },
    });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    await clinic.ok('users.create', { username: 'desk', displayName: 'Fran Desk', role: 'front_desk', password: 'copper lantern 23' });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: 'desk', password: 'copper lantern 23' });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('sees demographics and visits but is offered no way into a visit or its note', async () => {
    const { page, pageErrors } = await app.open();
    await page.getByTestId('patient-search').fill('visitor');
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('patient-banner').waitFor();
    const tabs = await page.getByRole('tab').allTextContents();
    expect(tabs).toEqual(DESK_CHART_TABS);
    await page.getByRole('tab', { name: 'Visits' }).click();
    // The visit is listed, but front desk is offered no way into it (the backend would refuse it anyway).
    await page.getByTestId('visit-list').getByText('Sore throat').click();
    await expect(page.getByTestId('encounter-workspace').count()).resolves.toBe(0);
    await expect(page.getByText('a front desk may not do this').count()).resolves.toBe(0);
    await expect(page.getByText('private details').count()).resolves.toBe(0);
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    await page.screenshot({ path: join(resolve('test-results'), '31-front-desk-refused.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
