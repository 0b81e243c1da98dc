import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';
import { expectAccessible } from '../helpers/axe';

/** What has focus, for a failure message a person can act on. */
function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'the page body';
    const label = (e as HTMLInputElement).labels?.[0]?.textContent ?? e.getAttribute('aria-label') ?? (e.textContent ?? '').trim().slice(0, 40);
    return `<${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? ` data-testid="${e.getAttribute('data-testid')}"` : ''}> "${label}"`;
  });
}

/**
 * Whether the focused element is `target`: a CSS selector, `label:Text` (its label starts with it)
 * or `text:Text` (its text is exactly that).
 */
function isFocused(page: Page, target: string): Promise<boolean> {
  return page.evaluate((t) => {
    const e = document.activeElement;
    if (!e || e === document.body) return false;
    if (t.startsWith('label:')) return ((e as HTMLInputElement).labels?.[0]?.textContent ?? e.getAttribute('aria-label') ?? '').trim().startsWith(t.slice(6));
    if (t.startsWith('text:')) return (e.textContent ?? '').trim() === t.slice(5);
    return e.matches(t);
  }, target);
}

/** Presses Tab (or Shift+Tab) until `target` has focus; how many presses it took. */
async function tabTo(page: Page, target: string, back = false, max = 40): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await isFocused(page, target)) return n;
  }
  throw new Error(`${target} was not reached with ${max} presses of ${back ? 'Shift+Tab' : 'Tab'}; focus is on ${await focusedElement(page)}`);
}

async function expectFocus(page: Page, target: string): Promise<void> {
  for (let i = 0; i < 50 && !(await isFocused(page, target)); i++) await page.waitForTimeout(100);
  if (!(await isFocused(page, target))) throw new Error(`expected focus on ${target}, it is on ${await focusedElement(page)}`);
}

/** Moves along a tab list with the arrow keys (Mantine activates the tab that gets focus). */
async function arrowToTab(page: Page, name: string): Promise<void> {
  await tabTo(page, '[role="tab"][aria-selected="true"]', true);
  for (let n = 0; n < 15 && !(await isFocused(page, `text:${name}`)); n++) await page.keyboard.press('ArrowRight');
  await expectFocus(page, `text:${name}`);
}

describe('the main path by keyboard alone (no clicks) in Chromium', () => {
  const t = tempDir('cairn-e2e-keyboard-');
  let clinic: Clinic;
  let app: BridgedApp;
  let jose: Patient;

  beforeAll(async () => {
    clinic = await openClinic(t.dir);
    jose = await clinic.ok<Patient>('patients.create', { givenName: 'José', familyName: 'Núñez', birthDate: '1961-04-02', sex: 'male', phone: '555-201-7788' });
    await clinic.ok('allergies.add', { kind: 'nka', patientId: jose.id });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('searches, opens the chart, starts a visit, records vitals with Enter, writes a note, prescribes and signs', async () => {
    const { page, pageErrors } = await app.open();
    const { keyboard } = page;

    // The search box has focus and is a combobox whose active row a screen reader is told about.
    const search = page.getByTestId('patient-search');
    await expectFocus(page, '[data-testid="patient-search"]');
    await keyboard.type('núñez');
    await page.getByTestId('search-result').first().waitFor();
    await expect(search.getAttribute('role')).resolves.toBe('combobox');
    await expect(search.getAttribute('aria-expanded')).resolves.toBe('true');
    const active = await search.getAttribute('aria-activedescendant');
    await expect(page.getByTestId('search-result').first().getAttribute('id')).resolves.toBe(active);
    await expect(page.locator(`#${await search.getAttribute('aria-controls')}`).getAttribute('role')).resolves.toBe('grid');
    await keyboard.press('Enter');

    // The chart: focus on its h1 (the patient's name), the window named after it.
    await page.getByTestId('patient-banner').waitFor();
    await expectFocus(page, 'h1');
    await expect(page.title()).resolves.toBe('Chart — Núñez, José · Cairn');

    // Start a visit: the dialog's first field has focus, its close button is named.
    await tabTo(page, '[data-testid="start-visit"]');
    await keyboard.press('Enter');
    const startDialog = page.getByRole('dialog', { name: 'Start a visit' });
    await startDialog.waitFor();
    await expectFocus(page, 'label:Visit type');
    await expect(startDialog.getByRole('button', { name: 'Close' }).count()).resolves.toBe(1);
    await tabTo(page, '[data-testid="visit-reason"]');
    await keyboard.type('Headaches, home BP high');
    await tabTo(page, 'text:Start');
    await keyboard.press('Enter');

    // The visit: focus on its h1; Systolic a few Tabs away (it took 13 from the body before).
    await page.getByTestId('encounter-workspace').waitFor();
    await expectFocus(page, 'h1');
    await expect(page.title()).resolves.toBe('Visit — Núñez, José · Cairn');
    expect(await tabTo(page, '[data-testid="vital-systolic"]')).toBeLessThanOrEqual(4);
    await keyboard.type('142');
    await keyboard.press('Tab');
    await expectFocus(page, '[data-testid="vital-diastolic"]');
    await keyboard.type('88');
    await tabTo(page, '[data-testid="vital-heartRate"]');
    await keyboard.type('76');
    await keyboard.press('Enter'); // Enter in the panel records the set
    await page.getByTestId('vitals-recorded').filter({ hasText: '142' }).waitFor();

    // A note from a template, chosen with the arrow keys.
    await tabTo(page, '[data-testid="template-select"]');
    await keyboard.type('Primary care');
    await page.getByRole('option', { name: 'Primary care visit (SOAP)' }).waitFor();
    await keyboard.press('ArrowDown');
    await keyboard.press('Enter');
    await tabTo(page, 'text:Start note');
    await keyboard.press('Enter');
    await page.getByTestId('note-editor').waitFor();
    await tabTo(page, 'label:Chief complaint');
    await keyboard.type('Headaches for two weeks');
    await keyboard.press('Tab');
    await expectFocus(page, 'label:History of present illness');
    await keyboard.type('Bitemporal, mornings; home BP 150s/90s.');
    await tabTo(page, 'label:Impression');
    await keyboard.type('Uncontrolled hypertension');
    await tabTo(page, 'label:Treatment and orders');
    await keyboard.type('Start lisinopril 10 mg daily; recheck in 2 weeks.');
    await page.getByTestId('save-state').filter({ hasText: 'Draft saved' }).waitFor();

    // Back to the chart, Medications by the arrow keys, Prescribe.
    // Back up past the note's fields and the vitals (the review-of-systems rows are one stop each).
    await tabTo(page, 'text:← Chart', true, 80);
    await keyboard.press('Enter');
    await page.getByTestId('patient-banner').waitFor();
    await expectFocus(page, 'h1');
    await arrowToTab(page, 'Medications');
    await page.getByTestId('med-list').waitFor();
    await tabTo(page, '[data-testid="prescribe"]');
    await keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Prescribe' }).waitFor();
    await expectFocus(page, '[data-testid="rx-drug"]');
    await keyboard.type('lisinopril 10');
    await page
      .getByRole('option', { name: /lisinopril 10 mg/i })
      .first()
      .waitFor();
    await keyboard.press('ArrowDown');
    await keyboard.press('Enter');
    await tabTo(page, '[data-testid="rx-dose"]');
    await keyboard.type('1');
    await tabTo(page, '[data-testid="rx-frequency"]');
    await keyboard.press('ArrowDown');
    await page.getByRole('option').first().waitFor();
    await keyboard.press('Enter');
    await tabTo(page, '[data-testid="rx-days"]');
    await keyboard.type('30');
    await keyboard.press('Tab');
    await keyboard.type('30');
    await page.getByTestId('rx-sig').waitFor();
    await tabTo(page, '[data-testid="rx-password"]');
    await keyboard.type(CLINIC.doc.password);
    await tabTo(page, '[data-testid="rx-sign"]');
    await keyboard.press('Enter');
    await page
      .getByTestId('med-list')
      .getByText(/lisinopril/i)
      .first()
      .waitFor();

    // The visit again, from its row in the Visits tab, and the note signed.
    await arrowToTab(page, 'Visits');
    await tabTo(page, '[data-testid="visit-row"]');
    await keyboard.press('Enter');
    await page.getByTestId('note-editor').waitFor();
    await tabTo(page, 'text:Sign note');
    await keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Sign this note' }).waitFor();
    await expectFocus(page, '[data-testid="sign-password"]');
    await keyboard.type(CLINIC.doc.password);
    await keyboard.press('Enter');
    await page.getByTestId('signed-note').waitFor();
    await expectAccessible(page, 'keyboard-note-signed');

    const notes = await clinic.ok<{ status: string }[]>('notes.list', { patientId: jose.id });
    expect(notes.map((n) => n.status)).toEqual(['signed']);
    const meds = await clinic.ok<{ courses: { drugName: string; status: string }[] }>('meds.list', { patientId: jose.id });
    expect(meds.courses.map((c) => c.drugName.toLowerCase())).toEqual([expect.stringContaining('lisinopril')]);
    expect(pageErrors).toEqual([]);
  });

  it('skip link, labelled navigation with the current screen marked, Alt+N from the search box, Escape out of a dialog', async () => {
    const { page, pageErrors } = await app.open();
    const { keyboard } = page;
    await expectFocus(page, '[data-testid="patient-search"]');
    await expect(page.title()).resolves.toBe('Find a patient · Cairn');

    // Alt+N works while the search box has focus (it always has, on this screen).
    await keyboard.press('Alt+N');
    await page.getByRole('heading', { level: 1, name: 'Register a new patient' }).waitFor();
    await expect(page.title()).resolves.toBe('Register a new patient · Cairn');
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await expect(nav.getByRole('button', { name: 'New patient' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(nav.locator('[aria-current="page"]').count()).resolves.toBe(1);

    // The skip link is the first stop in the page and lands on the screen's heading.
    const first = await page.evaluate(
      () => document.querySelector('a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])')?.textContent,
    );
    expect(first).toBe('Skip to main content');
    await tabTo(page, 'text:Skip to main content', true);
    await keyboard.press('Enter');
    await expectFocus(page, 'h1');

    // A screen change from the navigation moves focus to the new screen's h1 (not the page body).
    await tabTo(page, '[data-testid="nav-schedule"]', true);
    await keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
    await expectFocus(page, 'h1');
    await expect(nav.getByTestId('nav-schedule').getAttribute('aria-current')).resolves.toBe('page');
    await expect(nav.getByRole('button', { name: 'New patient' }).getAttribute('aria-current')).resolves.toBeNull();

    // Escape closes a dialog and focus goes back where it was.
    await tabTo(page, '[data-testid="book-open"]');
    await keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Book an appointment' }).waitFor();
    await expectFocus(page, '[data-testid="book-patient"]');
    await keyboard.press('Escape'); // the patient list's dropdown first
    await keyboard.press('Escape'); // then the dialog
    await page.getByRole('dialog', { name: 'Book an appointment' }).waitFor({ state: 'detached' });
    await expectFocus(page, '[data-testid="book-open"]');
    expect(pageErrors).toEqual([]);
  });
});
