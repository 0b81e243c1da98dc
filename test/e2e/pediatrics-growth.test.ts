import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrowthChart } from '../../shared/domain/growth-view';
import type { Patient } from '../../shared/domain/patient';
import { expectAccessible } from '../helpers/axe';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { openChart, signIn, signOut } from '../helpers/clinic-day';
import { pdfLines } from '../helpers/pdf-text';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const shots = resolve('test-results', 'growth');
const shot = async (page: Page, name: string): Promise<void> => {
  // From the top: a full-page shot of a scrolled page draws the sticky header over the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
};

const NURSE = { username: 'rosa', password: 'willow pebble lantern 5' };
const DESK = { username: 'fritz', password: 'maple copper orbit 62' };
const UNITS = { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' } as const;
const DAY = 86_400_000;
/** The baby's age in days today: 9 months and a week. */
const BABY_DAYS = 280;

/** The UTC calendar date `days` before now, and `years` whole years before that. */
function dateBefore(days: number, years = 0): string {
  const d = new Date(Date.now() - days * DAY);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

/** The CDC 2000 file's published percentile columns for one sex and age (months at the half month). */
function cdcRow(file: string, sex: 1 | 2, agemos: number): Record<string, number> {
  const [head, ...rows] = readFileSync(`${resourcesDir}/growth/${file}`, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const row = rows.map((r) => r.split(',').map(Number)).find((r) => r[0] === sex && r[1] === agemos)!;
  return Object.fromEntries(cols.map((c, i) => [c, row[i]!]));
}

/** Starts a visit from the open chart and waits for its workspace. */
async function startVisit(page: Page, reason: string): Promise<Locator> {
  await page.getByTestId('start-visit').click();
  await page.getByTestId('visit-reason').fill(reason);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByTestId('encounter-workspace').waitFor();
  return page.getByTestId('vitals-panel');
}

/** Types a set of vitals into the visit's panel (weight in kg, lengths in cm, as the person switches them) and records it. */
async function recordVitals(
  page: Page,
  panel: Locator,
  v: Partial<Record<'weight' | 'height' | 'headCircumference' | 'systolic' | 'diastolic', number>>,
): Promise<void> {
  // The unit switches are remembered on the device; clicking the chosen one again changes nothing.
  await panel.getByText('kg', { exact: true }).click();
  await panel.getByText('cm', { exact: true }).first().click();
  await panel.getByText('cm', { exact: true }).nth(1).click();
  for (const [k, value] of Object.entries(v)) await page.getByTestId(`vital-${k}`).fill(String(value));
  await page.getByRole('button', { name: 'Record vitals' }).click();
  await panel.getByTestId('vitals-recorded').waitFor();
}

async function openGrowth(page: Page): Promise<Locator> {
  await page.getByTestId('tab-growth').click();
  const growth = page.getByTestId('growth-page');
  await growth.waitFor();
  return growth;
}

/**
 * Pediatrics (#23) as the clinic lives it, in Chromium on a real encrypted database: the nurse
 * weighs a 9-month-old and an obese 10-year-old and sees their percentiles on WHO 2006 / CDC 2000,
 * records a premature baby's gestational age (corrected age) and prints the charts; she locks, the
 * physician unlocks and finds the charts and flags as they were, and takes two 7-year-old boys' blood
 * pressure (same reading, different height, different AAP 2017 category); the front desk gets no
 * Growth tab; the administrator switches the adult guideline to ESC/ESH 2018 and an adult's next
 * reading is graded by it. The Growth page and the settings screen pass axe-core (WCAG 2.1 AA).
 */
describe('pediatrics in Chromium: growth charts and blood pressure categories', () => {
  const t = tempDir('cairn-e2e-growth-');
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  // The girl's BMI at 10 years and half a month: 140 cm and 10 % over the published CDC 2000 95th percentile.
  const girlWeight = Math.round(cdcRow('cdc2000-bmiagerev.csv', 2, 120.5).P95! * 1.1 * 1.4 * 1.4 * 10) / 10;
  // Boys of 7 years and half a month at the CDC 2000 stature 5th and 95th percentiles (84.5 months).
  const stature = cdcRow('cdc2000-statage.csv', 1, 84.5);
  const shortCm = Math.floor((stature.P5! - 0.3) * 10) / 10;
  const tallCm = Math.ceil((stature.P95! + 0.5) * 10) / 10;
  const pts = {} as Record<'baby' | 'girl' | 'short' | 'tall' | 'adult', Patient>;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    const create = (givenName: string, familyName: string, birthDate: string, sex: string): Promise<Patient> =>
      clinic.ok<Patient>('patients.create', { givenName, familyName, birthDate, sex });
    pts.baby = await create('Oskar', 'Fernhollow', dateBefore(BABY_DAYS), 'male');
    pts.girl = await create('Lena', 'Quillby', dateBefore(15, 10), 'female');
    pts.short = await create('Milo', 'Ashgrove', dateBefore(15, 7), 'male');
    pts.tall = await create('Jonah', 'Birchcombe', dateBefore(15, 7), 'male');
    pts.adult = await create('Walter', 'Dunmere', '1975-03-03', 'male');
    // History from earlier well-child visits, at 2, 4 and 6 months and half a year ago.
    const past = (p: Patient, daysAgo: number, v: Record<string, number>): Promise<unknown> =>
      clinic.ok('vitals.record', { patientId: p.id, takenAt: `${dateBefore(daysAgo)}T10:00:00.000Z`, units: UNITS, ...v });
    await past(pts.baby, BABY_DAYS - 61, { weight: 4.6, height: 56, headCircumference: 38 });
    await past(pts.baby, BABY_DAYS - 122, { weight: 6.4, height: 62, headCircumference: 40.5 });
    await past(pts.baby, BABY_DAYS - 183, { weight: 7.5, height: 66, headCircumference: 42.5 });
    await past(pts.girl, 182, { weight: 43, height: 137 });
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await clinic.ok('users.create', { username: NURSE.username, displayName: 'Rosa Lindqvist', role: 'nurse', password: NURSE.password });
    await clinic.ok('users.create', { username: DESK.username, displayName: 'Fritz Desk', role: 'front_desk', password: DESK.password });
    await clinic.ok('session.logout');
    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open({ width: 1400, height: 1000 }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('the nurse weighs a 9-month-old: WHO 2006 weight-for-age with every visit plotted, corrected age once she records 33+2 weeks, and prints the charts', async () => {
    await signIn(page, NURSE);
    await openChart(page, 'fernhollow');
    const panel = await startVisit(page, '9-month well-child visit');
    await recordVitals(page, panel, { weight: 8.6, height: 70.5, headCircumference: 44.5 });
    // Beside the weight: its percentile on the WHO chart.
    await expect(panel.getByTestId('vital-assessment-weight').innerText()).resolves.toMatch(/\d+(st|nd|rd|th) percentile, z -?\d\.\d\d · WHO 2006/);
    await shot(page, 'growth-01-baby-vitals');

    await page.getByRole('button', { name: '← Chart' }).click();
    const growth = await openGrowth(page);
    await expect(growth.innerText()).resolves.toContain('Oskar Fernhollow, 9 mo, male');
    const wfa = growth.getByTestId('growth-weightForAge');
    await expect(wfa.getByTestId('growth-citation-weightForAge').innerText()).resolves.toMatch(/^WHO 2006/);
    // Three earlier visits and today's: four points over the reference's percentile curves.
    const svg = wfa.getByTestId('growth-svg-weightForAge');
    await expect(svg.getByTestId('growth-point').count()).resolves.toBe(4);
    await expect(svg.getByTestId('growth-curve').count()).resolves.toBeGreaterThanOrEqual(5);
    await expect(svg.getAttribute('aria-label')).resolves.toMatch(/WHO 2006.*: 4 measurements/);
    await expect(wfa.getByTestId('growth-reference-weightForAge').getByRole('radio', { checked: true }).getAttribute('value')).resolves.toMatch(/who/i);
    await expect(growth.getByTestId('growth-svg-headForAge').getByTestId('growth-point').count()).resolves.toBe(4);
    await expect(growth.getByTestId('gestational-age').innerText()).resolves.toBe('not recorded');
    await expect(wfa.getByTestId('growth-table-weightForAge').innerText()).resolves.not.toContain('corrected');

    // Born at 33 weeks 2 days: ages are corrected until 24 months.
    await growth.getByTestId('ga-weeks').fill('33');
    await growth.getByTestId('ga-days').fill('2');
    await growth.getByTestId('ga-save').click();
    await growth.getByTestId('gestational-age').filter({ hasText: '33 weeks 2 days' }).waitFor();
    await expect(growth.getByTestId('birth-history').innerText()).resolves.toContain('ages are corrected for prematurity');
    const rows = wfa.getByTestId('growth-table-weightForAge').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(4);
    for (const row of await rows.all()) await expect(row.innerText()).resolves.toContain('(corrected)');
    await expect(svg.getByTestId('growth-point').count()).resolves.toBe(4);
    await shot(page, 'growth-02-baby-chart-corrected');
    await expectAccessible(page, 'growth-page-infant');

    // Printed for the parents: a PDF naming the reference.
    const [download] = await Promise.all([page.waitForEvent('download'), growth.getByTestId('growth-print').click()]);
    expect(download.suggestedFilename()).toMatch(/^growth-chart-.*\.pdf$/);
    const text = pdfLines(readFileSync(await download.path())).join('\n');
    expect(text).toContain('Weight-for-age');
    expect(text).toContain('WHO 2006');
  });

  it('the nurse weighs an obese 10-year-old girl: the face sheet and the Growth tab flag obesity on CDC 2000 BMI-for-age, then she locks', async () => {
    await openChart(page, 'quillby');
    const panel = await startVisit(page, 'School physical');
    await recordVitals(page, panel, { weight: girlWeight, height: 140 });
    await expect(panel.getByTestId('vital-assessment-bmi').innerText()).resolves.toContain('Obesity');

    await page.getByRole('button', { name: '← Chart' }).click();
    await page.getByRole('tab', { name: 'Summary' }).click();
    const face = page.getByTestId('face-assessment-bmi');
    const faceText = await face.innerText();
    const percentile = /(\d+)(st|nd|rd|th) percentile/.exec(faceText);
    expect(Number(percentile?.[1])).toBeGreaterThanOrEqual(95);
    expect(faceText).toContain('CDC 2000');
    expect(faceText).toMatch(/Obesity: .*≥ 95th percentile/);
    expect(faceText).not.toContain('Severe obesity');
    await shot(page, 'growth-03-girl-face-sheet');

    const growth = await openGrowth(page);
    const flags = growth.getByTestId('growth-flags');
    await expect(flags.innerText()).resolves.toMatch(/Obesity: .*reference: CDC 2000/);
    const bmi = growth.getByTestId('growth-bmiForAge');
    await expect(bmi.getByTestId('growth-citation-bmiForAge').innerText()).resolves.toMatch(/^CDC 2000/);
    await expect(bmi.getByTestId('growth-svg-bmiForAge').getByTestId('growth-point').count()).resolves.toBe(2);
    await expect(bmi.getByTestId('growth-table-bmiForAge').innerText()).resolves.toContain('Obesity');
    await shot(page, 'growth-04-girl-bmi-chart');
    await expectAccessible(page, 'growth-page-child');

    // She steps away: Lock closes the database and the screen.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Cairn' }).waitFor();
    await expect(page.getByTestId('growth-page').count()).resolves.toBe(0);
  });

  it('the physician unlocks: the girl’s chart and flags are as the nurse left them; the same 110/60 is stage 1 for the short boy and normal for the tall one', async () => {
    await page.getByTestId('passphrase').fill(CLINIC.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await signIn(page, CLINIC.doc);
    await openChart(page, 'quillby');
    const growth = await openGrowth(page);
    await expect(growth.getByTestId('growth-flags').innerText()).resolves.toMatch(/Obesity: .*reference: CDC 2000/);
    await expect(growth.getByTestId('growth-svg-bmiForAge').getByTestId('growth-point').count()).resolves.toBe(2);
    await shot(page, 'growth-05-after-unlock');

    await openChart(page, 'ashgrove');
    let panel = await startVisit(page, 'Headaches');
    await recordVitals(page, panel, { height: shortCm, systolic: 110, diastolic: 60 });
    const shortBp = await panel.getByTestId('vital-assessment-systolic').innerText();
    expect(shortBp).toContain('Stage 1 hypertension');
    // The BP percentile band of each component is shown with the category.
    expect(shortBp).toContain('(systolic ≥ 95th, diastolic < 90th)');
    expect(shortBp).toMatch(/AAP 2017 table 4 \(boys\), age 7, height [\d.]+(st|nd|rd|th) percentile → 5th column/);
    await expect(panel.getByTestId('vitals-recorded').locator('tr', { hasText: 'Systolic' }).innerText()).resolves.toMatch(/\bH\b/);
    await shot(page, 'growth-06-short-boy-bp');

    await openChart(page, 'birchcombe');
    panel = await startVisit(page, 'Sports physical');
    await recordVitals(page, panel, { height: tallCm, systolic: 110, diastolic: 60 });
    const tallBp = await panel.getByTestId('vital-assessment-systolic').innerText();
    expect(tallBp).toMatch(/^Normal/m);
    expect(tallBp).toContain('(systolic < 90th, diastolic < 90th)');
    expect(tallBp).toMatch(/AAP 2017 table 4 \(boys\), age 7, height [\d.]+(st|nd|rd|th) percentile → 95th column/);
    expect(tallBp).not.toContain('hypertension');
    await shot(page, 'growth-07-tall-boy-bp');
    await signOut(page);
  });

  it('the front desk opens the same children’s charts and is offered no Growth tab', async () => {
    await signIn(page, DESK);
    await openChart(page, 'quillby');
    await expect(page.getByRole('tab', { name: 'Demographics' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('tab-growth').count()).resolves.toBe(0);
    await expect(page.getByTestId('growth-page').count()).resolves.toBe(0);
    await signOut(page);
  });

  it('the administrator switches adults to ESC/ESH 2018; the physician’s next 134/78 for an adult is "High normal", not a stage', async () => {
    await signIn(page, CLINIC.admin);
    await page.getByRole('button', { name: 'Users' }).click();
    const setting = page.getByTestId('bp-guideline');
    await setting.getByTestId('bp-guideline-saved').filter({ hasText: 'Following ACC/AHA 2017' }).waitFor();
    await setting.getByTestId('bp-guideline-esc-esh-2018').check();
    await setting.getByTestId('bp-guideline-save').click();
    await setting.getByTestId('bp-guideline-saved').filter({ hasText: 'Following ESC/ESH 2018' }).waitFor();
    await shot(page, 'growth-08-bp-guideline');
    await expectAccessible(page, 'settings-bp-guideline');
    await signOut(page);

    await signIn(page, CLINIC.doc);
    await openChart(page, 'dunmere');
    // An adult has no growth chart.
    await expect(page.getByTestId('tab-growth').count()).resolves.toBe(0);
    const panel = await startVisit(page, 'Blood pressure check');
    await recordVitals(page, panel, { systolic: 134, diastolic: 78 });
    const bp = await panel.getByTestId('vital-assessment-systolic').innerText();
    expect(bp).toContain('High normal');
    expect(bp).not.toMatch(/stage|grade/i);
    await expect(panel.getByTestId('vitals-recorded').locator('tr', { hasText: 'Systolic' }).innerText()).resolves.not.toMatch(/\bH\b/);
    await shot(page, 'growth-09-adult-esc-esh');

    // The backend agrees with the screens.
    const chart = await clinic.ok<GrowthChart>('growth.chart', { patientId: pts.baby.id });
    // Kept in weeks to two decimals (33.29); the correction counts whole days: 33 × 7 + 2.
    expect(Math.round(chart.gestationalAgeWeeks! * 7)).toBe(33 * 7 + 2);
    expect(pageErrors).toEqual([]);
  });
});
