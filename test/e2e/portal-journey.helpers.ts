import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Repos } from '../../electron/services/repos';
import { clientFor } from '../../electron/services/sync';
import { axeViolations, describeViolations } from '../helpers/axe';

// What the portal journey test shares between its steps: a page that records script errors and CSP
// violations, a screenshot-and-axe step recorder, the portal's menu, and a device's sync as the
// physician (whose server session every device holds).

export const SHOTS = resolve('test-results');
export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1440, height: 900 } as const;

export interface Watched {
  page: Page;
  pageErrors: string[];
  cspViolations: string[];
}

/** A page in its own browser context (its own cookies) that records script errors and every CSP violation. */
export async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<Watched> {
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

/** Numbered screenshots (test-results/portal-journey-NN-<name>.png) with axe-core's WCAG 2.1 A/AA check; failures gathered for the end. */
export class Journal {
  private n = 0;
  readonly failures: string[] = [];

  async step(page: Page, name: string, o: { axe?: boolean } = {}): Promise<void> {
    this.n += 1;
    const found = o.axe === false ? [] : await axeViolations(page);
    await page.screenshot({ path: join(SHOTS, `portal-journey-${String(this.n).padStart(2, '0')}-${name}.png`), fullPage: true });
    if (found.length > 0) this.failures.push(`${name}:\n${describeViolations(found)}`);
  }
}

/** Opens a portal section from the menu (behind the Menu button on a phone) and waits for its heading. */
export async function openSection(page: Page, name: string, o: { heading?: string; spanish?: boolean } = {}): Promise<void> {
  const burger = page.getByRole('button', { name: o.spanish ? 'Menú' : 'Menu' });
  if (await burger.isVisible()) await burger.click();
  await page
    .getByRole('navigation', { name: o.spanish ? 'Secciones del portal' : 'Portal sections' })
    .getByRole('link', { name, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: o.heading ?? name }).waitFor();
}

/** Syncs a device with the clinic server until nothing is left to push (as the physician, signed in with the server on it). */
export async function syncDevice(repos: Repos, userId: string): Promise<void> {
  const client = clientFor(repos.store, repos, () => userId);
  for (let i = 0; i < 5; i++) {
    const s = await client.syncOnce();
    if (s.error) throw new Error(`sync failed: ${JSON.stringify(s.error)}`);
    if (s.pending === 0) return;
  }
  throw new Error('sync left changes pending after 5 rounds');
}
