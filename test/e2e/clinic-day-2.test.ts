import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxPage } from '../../shared/domain/lab-review';
import { CLINIC } from '../helpers/clinic';
import { DESK, DESK_CHART_TABS, findPatient, navigation, NURSE, openChart, openClinicDayRig, signIn, signOut, type ClinicDayRig } from '../helpers/clinic-day';
import { tempDir } from '../helpers/temp-db';

/** The x positions of a trend chart's dots, left to right. */
async function dotXs(chart: Locator): Promise<number[]> {
  const dots = chart.locator('.recharts-line-dot');
  await dots.first().waitFor();
  const xs = await dots.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
  return xs.sort((a, b) => a - b);
}

/** After a sign-in: the person's own start, with nothing of the last person's screen on it. */
async function expectCleanStart(page: Page, before: string): Promise<void> {
  await page.getByTestId('patient-search').waitFor();
  await expect(navigation(page).then((n) => n.current)).resolves.toEqual(['Find patient']);
  await expect(page.getByTestId('patient-search').inputValue()).resolves.toBe('');
  await expect(page.getByTestId('patient-banner').count()).resolves.toBe(0);
  await expect(page.locator('body').innerText()).resolves.not.toContain(before);
}

/**
 * Day 2 at the clinic, on one encrypted database with imported Synthea history and a real clinic
 * server: the front desk is offered nothing it cannot do; a patient who died (imported death date)
 * looks deceased, with no Start visit; the physician acknowledges the results inbox in one action
 * and reads a young patient's growth on a time axis; the administrator's screens; and each
 * sign-out leaves nothing of one person's screen for the next. axe-core on every new screen;
 * screenshots under test-results/clinic-day/.
 */
describe('a day in the clinic, day 2: roles, a deceased patient, the inbox, trends and the administrator', () => {
  const ta = tempDir('cairn-e2e-day2-a-');
  const tb = tempDir('cairn-e2e-day2-b-');
  let rig: ClinicDayRig;
  let page: Page;
  let pageErrors: string[];
  let steps: ReturnType<ClinicDayRig['steps']>;

  beforeAll(async () => {
    rig = await openClinicDayRig(ta.dir, tb.dir, 'day2');
    ({ page, pageErrors } = await rig.open());
    steps = rig.steps(page);
  }, 150_000);
  afterAll(async () => {
    await rig?.close();
    ta.cleanup();
    tb.cleanup();
  });

  it('front desk: no Start visit, no way into a visit, no Visit link on the flow board; the deceased patient is marked; sign-out leaves nothing', async () => {
    await signIn(page, DESK);
    await expectCleanStart(page, 'Núñez');
    const jose = rig.day.jose;
    await openChart(page, 'núñez');
    const banner = page.getByTestId('patient-banner');
    await expect(banner.innerText()).resolves.toContain(`MRN ${jose.mrn}`);
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    await expect(page.getByRole('tab').allTextContents()).resolves.toEqual(DESK_CHART_TABS);
    await page.getByRole('tab', { name: 'Visits' }).click();
    await page.getByTestId('visit-row').filter({ hasText: 'Blood pressure check' }).click();
    await expect(page.getByTestId('encounter-workspace').count()).resolves.toBe(0);
    await expect(page.getByText('may not do this').count()).resolves.toBe(0);
    await steps.step('01-desk-chart-no-start-visit');

    // José is booked at 09:00: front desk checks him in, and is offered no way into the visit.
    await page.getByTestId('nav-flow-board').click();
    const card = page.getByTestId('flow-card').filter({ hasText: 'Núñez, José' });
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('flow-column-arrived').getByTestId('flow-card').filter({ hasText: 'Núñez' }).waitFor();
    await card.getByTestId('flow-advance').click();
    await page.getByTestId('check-in-demographics').check();
    await page.getByTestId('check-in-insurance-self-pay').check();
    for (const q of ['new-symptoms', 'medication-changes', 'fall-risk']) await page.getByTestId(`intake-${q}-no`).check();
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('flow-column-checked_in').getByTestId('flow-card').filter({ hasText: 'Núñez' }).waitFor();
    await expect(page.getByTestId('flow-open-visit').count()).resolves.toBe(0);
    await steps.step('02-desk-flow-board');

    // Randolph Wisoky's imported record says he died in 2006: search and chart say so, before anything else.
    await page.getByTestId('nav-search').click();
    await page.getByTestId('patient-search').fill('wisoky');
    const hit = page.getByTestId('search-result').first();
    await expect(hit.getByTestId('deceased-hit').textContent()).resolves.toBe('Deceased 2006-05-08 · aged 46 y');
    await hit.click();
    await expect(page.getByTestId('deceased-badge').textContent()).resolves.toBe('Deceased');
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    await steps.step('03-desk-deceased-chart');
    await signOut(page);
    await expect(page.locator('body').innerText()).resolves.not.toContain('Wisoky');
    await steps.step('04-signed-out', { axe: false });
  });

  it('physician: the deceased imported patient shows Deceased, the age at death and no Start visit or Prescribe', async () => {
    await signIn(page, CLINIC.doc);
    await expectCleanStart(page, 'Wisoky');
    await page.getByTestId('patient-search').fill('wisoky');
    const hit = page.getByTestId('search-result').first();
    await expect(hit.getByTestId('deceased-hit').textContent()).resolves.toBe('Deceased 2006-05-08 · aged 46 y');
    await steps.step('05-deceased-in-search');
    await hit.click();
    const banner = page.getByTestId('patient-banner');
    await expect(banner.getAttribute('data-deceased')).resolves.toBe('true');
    await expect(page.getByTestId('banner-age').textContent()).resolves.toBe('Deceased 2006-05-08 · aged 46 y');
    await expect(page.getByTestId('deceased-badge').textContent()).resolves.toBe('Deceased');
    await expect(page.getByTestId('deceased-note').textContent()).resolves.toContain('no new visits, bookings or prescriptions');
    // A physician may start visits, but not for a patient who has died.
    await expect(page.getByTestId('start-visit').count()).resolves.toBe(0);
    expect(await banner.innerText()).not.toMatch(/^\d+ y/m);
    await page.getByRole('tab', { name: 'Medications' }).click();
    await page.getByRole('heading', { name: 'Medications at death (2006-05-08)' }).first().waitFor();
    await expect(page.getByTestId('prescribe').count()).resolves.toBe(0);
    await steps.step('06-deceased-chart');
    // A living patient's chart offers Start visit to the same physician.
    await openChart(page, 'núñez');
    await page.getByTestId('start-visit').waitFor();
  });

  it('physician: the results inbox shows the true count and is acknowledged in one action; the badge follows', async () => {
    await page.getByTestId('nav-results').click();
    await page.getByTestId('inbox-table').waitFor();
    const waiting = await rig.clinic.ok<InboxPage>('labs.inbox', { scope: 'mine' });
    expect(waiting.total).toBeGreaterThan(1);
    await expect(page.getByTestId('inbox-total').textContent()).resolves.toBe(`${waiting.total} to review`);
    await expect(page.getByTestId('results-badge').textContent()).resolves.toBe(String(waiting.total));
    // The critical glucose is first, in red.
    const first = page.getByTestId('inbox-table').locator('tbody tr').first();
    await expect(first.getAttribute('data-testid')).resolves.toBe('inbox-row-critical');
    await expect(first.textContent()).resolves.toContain('412 mg/dL');
    await steps.step('07-inbox');

    await page.getByTestId('inbox-select-all').click();
    await expect(page.getByTestId('ack-selected').textContent()).resolves.toBe(`Acknowledge ${waiting.total} selected`);
    await page.getByTestId('ack-note').fill('Reviewed at the start of clinic');
    await page.getByTestId('ack-selected').click();
    await page.getByText('No results waiting for review.').waitFor();
    await expect(page.getByTestId('inbox-total').textContent()).resolves.toBe('0 to review');
    await expect(page.getByTestId('results-badge').count()).resolves.toBe(0);
    await steps.step('08-inbox-acknowledged');
    await expect(rig.clinic.ok<InboxPage>('labs.inbox', { scope: 'mine' }).then((p) => p.total)).resolves.toBe(0);
  });

  it('physician: a young patient’s imported growth and vitals trends, on a time axis', async () => {
    await openChart(page, 'eboni brekke');
    await expect(page.getByTestId('allergy-status').textContent()).resolves.toContain('Dander (animal) allergy');
    await page.getByRole('tab', { name: 'Vitals' }).click();
    const height = page.getByTestId('trend-height');
    const weight = page.getByTestId('trend-weight');
    await expect(height.textContent()).resolves.toMatch(/\(cm\)6 readings/);
    await expect(weight.textContent()).resolves.toMatch(/\(kg\)6 readings/);
    // Six weights from age 16 to 25: 2011, 2012, 2013, 2014, then 2017 and 2020; three years sit three times as far apart as one.
    const xs = await dotXs(weight);
    expect(xs).toHaveLength(6);
    const yearly = xs[1]! - xs[0]!;
    expect(xs[5]! - xs[4]!).toBeGreaterThan(2.5 * yearly);
    expect(xs[4]! - xs[3]!).toBeGreaterThan(2.5 * yearly);
    await steps.step('09-growth-trends');
    // The axes read as a person writes them: months and years, values without long floats.
    const ticks = (await weight.locator('svg text').allTextContents()).filter((t) => t.trim() !== '');
    expect(ticks).toEqual(expect.arrayContaining(['Aug 2011', 'Aug 2020']));
    for (const t of ticks) expect(t).toMatch(/^([A-Z][a-z]{2} \d{4}|\d+(\.\d)?)$/);
    await signOut(page);
  });

  it('the administrator lands on her own start, manages users, reads the audit of the day and the conflicts', async () => {
    await signIn(page, CLINIC.admin);
    await expectCleanStart(page, 'Brekke');
    const menu = await navigation(page);
    expect(menu.items).toEqual(expect.arrayContaining(['Users', 'Audit', 'Conflicts']));
    expect(menu.items).not.toContain('Import');
    await steps.step('10-admin-home');

    await page.getByTestId('nav-users').click();
    for (const who of [NURSE.username, DESK.username, CLINIC.doc.username]) await page.getByTestId(`reset-${who}`).waitFor();
    const users = await page.locator('body').innerText();
    for (const name of [NURSE.displayName, DESK.displayName, 'Dr. Gregory House']) expect(users).toContain(name);
    await steps.step('11-admin-users');

    // Who opened Randolph Wisoky's chart today: the front desk and the physician, in the audit log.
    const wisoky = await findPatient(rig.clinic, 'wisoky');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-action').fill('chart.open');
    await page.getByTestId('audit-search').click();
    await page
      .getByTestId('audit-summary')
      .getByText(/ entries where action starts with "chart\.open" \(newest first\)$/)
      .waitFor();
    const rows = page.getByTestId('audit-entries').locator('tbody tr');
    const shown = await rows.allTextContents();
    expect(shown.every((r) => r.includes('chart.open'))).toBe(true);
    const opened = shown.filter((r) => r.includes(wisoky.id));
    expect(opened.some((r) => r.includes(DESK.displayName))).toBe(true);
    expect(opened.some((r) => r.includes('Dr. Gregory House'))).toBe(true);
    await expect(page.getByText('Hash chain intact').count()).resolves.toBe(1);
    await steps.step('12-admin-audit');

    await page.getByTestId('nav-conflicts').click();
    await page.getByTestId('no-conflicts').waitFor();
    await steps.step('13-admin-conflicts');
    await signOut(page);
    await expect(page.locator('body').innerText()).resolves.not.toContain('Hash chain');
    await steps.step('14-signed-out-at-close', { axe: false });
  });

  it('every screen the day reached passes axe-core (WCAG 2.1 A/AA), and no page failed', () => {
    expect(pageErrors).toEqual([]);
    steps.assertAllPassed();
  });
});
