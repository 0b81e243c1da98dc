import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { bridgedPage, launchChromium } from '../helpers/browser';
import { axeViolations, describeViolations, expectAccessible, screenChecker } from '../helpers/axe';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'a11y clinic passphrase';

/** The screens before anyone is signed in: first-run setup (with its errors), unlock, sign-in. */
describe('WCAG 2.1 A/AA before sign-in (axe-core in Chromium)', () => {
  const t = tempDir('cairn-e2e-a11y-session-');
  let session: Session;
  let server: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    session = new Session({ dbFile: join(t.dir, 'clinic.cairn'), resourcesDir });
    server = await startWebServer({ handlers: createHandlers({ session }), rendererDir: 'out/renderer', token: 'unused-by-the-bridge' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    session?.close();
    t.cleanup();
  });

  it('setup (empty and with errors), lock, unlock (with a wrong passphrase), sign-in', async () => {
    const { page, pageErrors } = await bridgedPage(browser, createHandlers({ session }));
    await page.goto(server.url);
    const a11y = screenChecker(page);
    await page.getByRole('heading', { level: 1, name: 'Set up Cairn on this device' }).waitFor();
    await expect(page.title()).resolves.toBe('Set up Cairn on this device · Cairn');
    await a11y.check('setup');
    await page.getByLabel('Clinic name').fill('Riverside Family Practice');
    await page.getByLabel('Clinic passphrase').fill('short');
    await page.getByLabel('Administrator user name').fill('drgray');
    await page.getByLabel('Administrator full name').fill('Dr. Meredith Gray');
    await page.getByLabel('Administrator password').fill('short');
    await page.getByRole('button', { name: 'Create encrypted database' }).click();
    await page.locator('.mantine-InputWrapper-error').first().waitFor();
    await a11y.check('setup-errors');
    await page.getByLabel('Clinic passphrase').fill(PASSPHRASE);
    await page.getByLabel('Administrator password').fill('a11y password 123');
    await page.getByRole('button', { name: 'Create encrypted database' }).click();
    await page.getByRole('button', { name: 'Lock' }).click();

    await page.getByRole('heading', { level: 1, name: 'Unlock Cairn' }).waitFor();
    await a11y.check('unlock');
    await page.getByTestId('passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('unlock-error').waitFor();
    await a11y.check('unlock-wrong-passphrase');
    await page.getByTestId('passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await a11y.check('sign-in-after-unlock');
    a11y.assertAllPassed();
    expect(pageErrors).toEqual([]);
  });

  it('the checker itself fails, naming rule, element and html, on a page with an unnamed button and grey-on-white text', async () => {
    const { page } = await bridgedPage(browser, createHandlers({ session }));
    await page.goto(server.url);
    await page.locator('input').first().waitFor();
    await page.evaluate(() => {
      const bad = document.createElement('div');
      bad.innerHTML = '<button id="unnamed-button"></button><p id="faint-text" style="color:#aaaaaa;background:#ffffff">faint text</p>';
      document.body.appendChild(bad);
    });
    const found = await axeViolations(page);
    expect(found.map((v) => v.id)).toEqual(expect.arrayContaining(['button-name', 'color-contrast']));
    const text = describeViolations(found);
    expect(text).toContain('- button-name (critical)');
    expect(text).toContain('#unnamed-button');
    expect(text).toContain('html <p id="faint-text"');
    await expect(expectAccessible(page, 'checker-self-test')).rejects.toThrow(/checker-self-test: axe-core found \d+ WCAG 2\.1 A\/AA violation/);
  });
});
