import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { bridgedPage, launchChromium } from '../helpers/browser';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'e2e clinic passphrase';
const ADMIN = { username: 'drgray', password: 'e2e password 123' };
const shots = resolve('test-results');
const rendererDir = resolve('out/renderer');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Makes the clinic database the way a first run does, then closes it so the test starts locked. */
async function seedClinic(dbFile: string): Promise<void> {
  const s = new Session({ dbFile, resourcesDir });
  const r = await dispatch(createHandlers({ session: s }), 'session.setup', {
    clinicName: 'Riverside Family Practice',
    passphrase: PASSPHRASE,
    adminUsername: ADMIN.username,
    adminDisplayName: 'Dr. Meredith Gray',
    adminPassword: ADMIN.password,
  });
  expect(r.ok).toBe(true);
  s.close();
}

describe('renderer in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-');
  const dbFile = join(t.dir, 'clinic.cairn');
  let browser: Browser;
  let server: WebServer;
  let session: Session;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await seedClinic(dbFile);
    session = new Session({ dbFile, resourcesDir });
    server = await startWebServer({ handlers: createHandlers({ session }), rendererDir, token: 'unused-by-the-bridge' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    session?.close();
    t.cleanup();
  });

  it('unlocks, registers a patient, finds them by part of the name and opens the chart', async () => {
    const handlers = createHandlers({ session });
    // The test bridge in place of IPC: same channel list as the preload, same dispatcher.
    const { page, pageErrors } = await bridgedPage(browser, handlers, { width: 1280, height: 860 });

    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Unlock Cairn' }).waitFor()).resolves.toBeUndefined();
    await shot(page, '01-unlock');

    // A wrong passphrase is refused with a message a person can act on.
    await page.getByTestId('passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('unlock-error').textContent()).resolves.toContain('wrong passphrase');
    await shot(page, '02-unlock-wrong-passphrase');

    await page.getByTestId('passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('User name').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await shot(page, '03-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('patient-search').waitFor();
    await shot(page, '04-search-empty');

    // Register: an impossible birth date is caught by the same schema as the channel.
    await page.getByRole('button', { name: 'New patient' }).click();
    await page.getByLabel('Given name').fill('Zoë');
    await page.getByLabel('Family name').fill('Castellanos-Núñez');
    await page.getByLabel('Birth date').fill('1984-02-30');
    await page.getByLabel('Phone', { exact: true }).fill('(617) 555-0143');
    await page.getByRole('button', { name: 'Register patient' }).click();
    await expect(page.getByText('invalid date "1984-02-30"').waitFor()).resolves.toBeUndefined();
    await shot(page, '05-register-invalid-date');
    await page.getByLabel('Birth date').fill('1984-02-29');
    await page.getByRole('button', { name: 'Register patient' }).click();
    const banner = page.getByTestId('patient-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain('Castellanos-Núñez, Zoë');
    await expect(page.getByTestId('allergy-status').textContent()).resolves.toBe('Allergies not reviewed');
    await shot(page, '06-chart-after-register');

    // Find by typing part of the name without its accents, then open with the keyboard.
    await page.getByRole('button', { name: 'Find patient' }).click();
    const search = page.getByTestId('patient-search');
    await search.fill('zoe cast');
    await page.getByTestId('search-result').first().waitFor();
    await expect(page.getByTestId('search-result').count()).resolves.toBe(1);
    await shot(page, '07-search-results');
    await search.press('Enter');
    await banner.waitFor();
    const text = await banner.textContent();
    expect(text).toContain('Castellanos-Núñez, Zoë');
    expect(text).toMatch(/MRN \d{7}/);
    expect(text).toMatch(/\d+ y · born 1984-02-29/);
    await shot(page, '08-chart');

    // Registration, search and both chart openings were audited against this user and patient.
    const audit = session.repos.audit;
    const user = session.status().user!;
    const patientId = session.repos.patients.find('castellanos', 1)[0]!.id;
    const actions = audit.list({ patientId }).map((e) => [e.action, e.userId]);
    expect(actions).toEqual([
      ['patient.create', user.id],
      ['chart.open', user.id],
      ['chart.open', user.id],
    ]);
    expect(audit.list().some((e) => e.action === 'patient.search' && e.userId === user.id)).toBe(true);
    expect(audit.firstBroken()).toBeNull();

    // Correct the phone from the chart: only that field changes, and the banner shows it.
    await page.getByRole('tab', { name: 'Demographics' }).click();
    await page.getByTestId('edit-demographics').click();
    await page.getByLabel('Phone', { exact: true }).fill('(617) 555-0199');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByTestId('patient-banner').getByText('(617) 555-0199').waitFor()).resolves.toBeUndefined();
    const after = session.repos.patients.peek(patientId);
    expect(after).toMatchObject({ phone: '(617) 555-0199', birthDate: '1984-02-29', familyName: 'Castellanos-Núñez', version: 2 });
    await shot(page, '09a-demographics-edited');

    // The administrator answers "who looked at this chart" in the audit viewer.
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-action').fill('chart.');
    await page.getByTestId('audit-search').click();
    // The rows answer the search only once the summary names its filter: until then the screen says
    // "Searching…" (the first, unfiltered list could otherwise still be read, or come back last).
    await expect(page.getByTestId('audit-summary').getByText('3 entries where action starts with "chart." (newest first)').waitFor()).resolves.toBeUndefined();
    const rows = page.getByTestId('audit-entries').locator('tbody tr');
    await expect(rows.first().textContent()).resolves.toContain('chart.open');
    await expect(rows.count()).resolves.toBe(3);
    await expect(page.getByText('Hash chain intact').count()).resolves.toBe(1);
    await shot(page, '09b-audit-viewer');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('the dev:web HTTP transport serves the same renderer, guarded by its token', async () => {
    const token = 'tok-' + Math.random().toString(36).slice(2);
    const webSession = new Session({ dbFile, resourcesDir });
    // A second session on the same file is fine for reads: SQLite WAL allows it.
    const web = await startWebServer({ handlers: createHandlers({ session: webSession }), rendererDir, token });
    try {
      const page = await browser.newPage();
      await page.goto(`${web.url}?token=${token}`);
      await page.getByTestId('passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByLabel('User name').fill(ADMIN.username);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('patient-search').fill('castel');
      await page.getByTestId('search-result').first().waitFor();
      expect(page.url()).not.toContain(token); // the token leaves the address bar
      await shot(page, '09-dev-web-search');
      await page.close();
    } finally {
      await web.close();
      webSession.close();
    }
  });
});
