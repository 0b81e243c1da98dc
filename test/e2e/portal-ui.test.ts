import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { axeViolations, describeViolations } from '../helpers/axe';

/**
 * The patient portal's own screens, built (out/renderer/portal.html, the renderer build's second
 * entry) and opened in Chromium at phone and desktop sizes: the sign-in screen in English, then in
 * Spanish after the switch (the page's lang follows), registration, axe-core's WCAG 2.1 A/AA rules
 * on each, and no Content-Security-Policy violation (no inline script; Mantine's inline styles allowed).
 *
 * Served here by a small static handler with the portal's CSP, as the clinic server's /portal mount
 * (electron/server/portal/portal-static.ts) is not committed yet; the API routes answer 404, which the
 * screens take as "signed out" and "clinic settings unknown".
 */
const UI = resolve('out/renderer');
const SHOTS = resolve('test-results');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

function startStatic(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/portal/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP });
      return res.end(readFileSync(join(UI, 'portal.html')));
    }
    const file = resolve(UI, `.${path.replace(/^\/portal/, '')}`);
    if (path.startsWith('/portal/assets/') && file.startsWith(UI + sep) && existsSync(file)) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      return res.end(readFileSync(file));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: `no such endpoint: ${path}` } }));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

interface Watched {
  page: Page;
  pageErrors: string[];
  cspViolations: string[];
}

/** A page that records script errors and every CSP violation (the DOM event and the console report). */
async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<Watched> {
  const page = await browser.newPage({ viewport, locale: 'en-US' });
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (v: string) => cspViolations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation: (v: string) => Promise<void> }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
      );
    });
  });
  return { page, pageErrors, cspViolations };
}

async function expectAxeClean(page: Page, shot: string): Promise<void> {
  const violations = await axeViolations(page);
  await page.screenshot({ path: join(SHOTS, `portal-${shot}.png`), fullPage: true });
  expect(violations, `${shot}:\n${describeViolations(violations)}`).toEqual([]);
}

describe('patient portal screens in Chromium', () => {
  let browser: Browser;
  let base: string;
  let server: Server;

  beforeAll(async () => {
    if (!existsSync(join(UI, 'portal.html'))) throw new Error('out/renderer/portal.html is missing: run `npx electron-vite build` first (npm test does)');
    mkdirSync(SHOTS, { recursive: true });
    const s = await startStatic();
    base = s.url;
    server = s.server;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  for (const [size, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1440, height: 900 }],
  ] as const) {
    it(`sign-in and registration in English and Spanish at ${size} size (${viewport.width}×${viewport.height})`, async () => {
      const { page, pageErrors, cspViolations } = await watchedPage(browser, viewport);
      await page.goto(`${base}/portal/`);

      await page.getByRole('heading', { level: 1, name: 'Sign in to your patient portal' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await expect(page.title()).resolves.toBe('Patient portal');
      await page.getByRole('textbox', { name: 'Email', exact: true }).waitFor();
      await page.getByRole('textbox', { name: 'Password', exact: true }).waitFor();
      // Mantine's styles (its CSS file and the CSS variables it puts in a <style> element) are applied under the CSP.
      const signIn = page.getByRole('button', { name: 'Sign in' });
      const bg = await signIn.evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(bg).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^rgb\(239, 239, 239\)$/);
      await expect(page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await expectAxeClean(page, `signin-en-${size}`);

      // Nothing filled in: each field says what it needs.
      await signIn.click();
      await page.getByText('Enter your email address.').waitFor();
      await page.getByText('Enter your password.').waitFor();
      await expectAxeClean(page, `signin-errors-en-${size}`);

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inicie sesión en su portal del paciente' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
      await expect(page.title()).resolves.toBe('Portal del paciente');
      await page.getByRole('textbox', { name: 'Correo electrónico', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Iniciar sesión' }).waitFor();
      await expect(page.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await expectAxeClean(page, `signin-es-${size}`);

      await page.getByRole('link', { name: 'Crear una cuenta' }).click();
      await page.getByRole('heading', { level: 1, name: 'Cree su cuenta' }).waitFor();
      await page.getByRole('textbox', { name: 'Código de invitación' }).fill('7KQ2M-XW9PD');
      await page.getByRole('textbox', { name: 'Contraseña', exact: true }).fill('corta');
      // The policy's verdict, in Spanish, before anything is sent.
      await page.getByTestId('password-advice').getByText('La contraseña debe tener al menos 12 caracteres (esta tiene 5).', { exact: false }).waitFor();
      await expectAxeClean(page, `register-es-${size}`);

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      // The language survives a reload (kept in this browser, not in the URL).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await expectAxeClean(page, `register-en-${size}`);

      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
      await page.close();
    });
  }
});
