import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { screenChecker } from '../helpers/axe';
import { seedClinicDay, type ClinicDay } from '../helpers/a11y-clinic';
import { tempDir } from '../helpers/temp-db';

/**
 * Every screen of the renderer, with realistic data, checked by axe-core against WCAG 2.1 A/AA.
 * Each test fails with the list of violations (rule, impact, element, html) of every screen it saw;
 * screenshots are under test-results/a11y/.
 */
describe('WCAG 2.1 A/AA on every screen (axe-core in Chromium)', () => {
  const t = tempDir('cairn-e2e-a11y-');
  let clinic: Clinic;
  let app: BridgedApp;
  let day: ClinicDay;

  beforeAll(async () => {
    clinic = await openClinic(t.dir);
    day = await seedClinicDay(clinic);
    app = await startBridgedApp(clinic.handlers);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  async function openChart(page: Page, query: string): Promise<void> {
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByTestId('patient-search').fill(query);
    await page.getByTestId('search-result').first().waitFor();
    await page.getByTestId('patient-search').press('Enter');
    await page.getByTestId('patient-banner').waitFor();
  }

  it('patient search, registration (with its errors), the chart face sheet and every chart tab', async () => {
    const { page, pageErrors } = await app.open();
    const a11y = screenChecker(page);
    await page.getByTestId('patient-search').fill('du');
    await page.getByTestId('search-result').first().waitFor();
    await a11y.check('search-results');

    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByTestId('register-form').waitFor();
    await a11y.check('registration');
    await page.getByLabel('Given name').fill('Ana');
    await page.getByLabel('Family name').fill('Lima');
    await page.getByLabel('Birth date').fill('1972-13-45');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await page.locator('[data-testid="register-form"] [aria-invalid="true"]').first().waitFor();
    await a11y.check('registration-errors');

    await openChart(page, 'núñez');
    await page.getByTestId('face-sheet').waitFor();
    await a11y.check('chart-face-sheet');
    const tabs: [string, string][] = [
      ['Visits', 'visit-list'],
      ['Medications', 'med-list'],
      ['Problems', 'problem-list'],
      ['Allergies', 'allergy-list'],
      ['Immunizations', 'immunization-list'],
      ['Vitals', 'trend-systolic'],
      ['Lab orders', 'lab-order-row'],
      ['Preventive care', 'preventive-care'],
      ['Demographics', 'edit-demographics'],
    ];
    for (const [tab, ready] of tabs) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByTestId(ready).first().waitFor();
      await a11y.check(`chart-${tab.toLowerCase().replace(/ /g, '-')}`);
    }
    await openChart(page, 'duck');
    await page.getByRole('tab', { name: 'Results' }).click();
    await page.getByTestId('patient-results').waitFor();
    await a11y.check('chart-results');
    a11y.assertAllPassed();
    expect(pageErrors).toEqual([]);
  });

  it('the visit workspace with vitals and a note, the prescribe dialog with alerts, break-glass', async () => {
    const { page, pageErrors } = await app.open();
    const a11y = screenChecker(page);
    await openChart(page, 'núñez');
    await page.getByTestId('start-visit').click();
    await page.getByRole('dialog', { name: 'Start a visit' }).waitFor();
    await a11y.check('start-visit-dialog');
    await page.getByTestId('visit-reason').fill('Headaches');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByTestId('encounter-workspace').waitFor();
    await page.getByTestId('vital-systolic').fill('150');
    await page.getByTestId('vital-diastolic').fill('95');
    await page.getByRole('button', { name: 'Record vitals' }).click();
    await page.getByTestId('vitals-recorded').waitFor();
    await page.getByTestId('template-select').click();
    await page.getByRole('option', { name: 'Primary care visit (SOAP)' }).click();
    await page.getByRole('button', { name: 'Start note' }).click();
    await page.getByTestId('note-editor').getByLabel('Chief complaint').fill('Headaches for two weeks');
    await a11y.check('visit-workspace');

    await page.getByRole('button', { name: '← Chart' }).click();
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page.getByTestId('prescribe').click();
    await page.getByTestId('rx-drug').fill('warfarin');
    await page
      .getByRole('option', { name: /warfarin/i })
      .first()
      .click();
    await page.getByTestId('med-alert-major').first().waitFor();
    await a11y.check('prescribe-dialog-alerts');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByTestId('patient-search').fill('famous');
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('break-glass-dialog').waitFor();
    await a11y.check('break-glass');
    a11y.assertAllPassed();
    expect(pageErrors).toEqual([]);
  });

  it('schedule and booking, the flow board, results inbox, unmatched and review queues, population, import', async () => {
    const { page, pageErrors } = await app.open();
    const a11y = screenChecker(page);
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('appointment-row').first().waitFor();
    await a11y.check('schedule-day');
    await page.getByTestId('schedule-mode').getByText('Week').click();
    await page.getByTestId('week-appointment').first().waitFor();
    await a11y.check('schedule-week');
    await page.getByTestId('book-open').click();
    await page.getByRole('dialog', { name: 'Book an appointment' }).waitFor();
    await page.getByTestId('book-patient').fill('duck');
    await page.getByRole('option', { name: /^Duck, Donald/ }).click();
    await a11y.check('book-dialog');
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-flow-board').click();
    await page.getByTestId('flow-card').first().waitFor();
    await a11y.check('flow-board');

    await page.getByTestId('nav-results').click();
    await page.getByTestId('inbox-table').waitFor();
    await a11y.check('results-inbox');
    await page.getByTestId('tab-unmatched').click();
    await page.getByTestId('unmatched-item').waitFor();
    await a11y.check('results-unmatched');
    await page.getByTestId('tab-review').click();
    await page.getByTestId('review-field_difference').waitFor();
    await a11y.check('hl7-review-queue');

    await page.getByTestId('nav-population').click();
    await page.getByTestId('due-list').waitFor();
    await a11y.check('population-due-list');
    await page.getByTestId('tab-measures').click();
    await page.getByTestId('measure-CMS165').waitFor();
    await a11y.check('population-measures');

    await page.getByTestId('nav-import').click();
    await page.getByTestId('import-start').waitFor();
    await a11y.check('import');
    a11y.assertAllPassed();
    expect(pageErrors).toEqual([]);
  });

  it('the administrator’s screens: users, reset password, audit log, conflicts, and the sign-in screen', async () => {
    const { page, pageErrors } = await app.open();
    const a11y = screenChecker(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    await a11y.check('sign-in');
    await page.getByLabel('User name').fill(CLINIC.admin.username);
    await page.getByLabel('Password', { exact: true }).fill(CLINIC.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Users' }).click();
    await page.getByTestId(`reset-${CLINIC.doc.username}`).waitFor();
    await a11y.check('users');
    await page.getByTestId(`reset-${CLINIC.doc.username}`).click();
    await page.getByTestId('reset-password-input').waitFor();
    await a11y.check('users-reset-password');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-entries').waitFor();
    await a11y.check('audit');
    await page.getByTestId('nav-conflicts').click();
    await page.getByTestId('conflicts-screen').waitFor();
    await a11y.check('conflicts');
    a11y.assertAllPassed();
    expect(day.jose.mrn).toBeTruthy();
    expect(pageErrors).toEqual([]);
  });
});
