import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Locator, Page } from 'playwright-core';
import { axeViolations, describeViolations } from '../helpers/axe';

// What the referrals, imaging and care-coordination e2e tests share: a synthetic letter as a PDF,
// downloads read back, Mantine pickers, and numbered screenshots with axe-core's check.

export const SHOTS = resolve('test-results', 'records');
/** How long a screen may take to show the answer of what was just done (polled, not slept). */
export const SETTLE = { timeout: 15_000 };

/** A one-page synthetic letter (a consult note or an imaging report as it comes back by fax). */
export async function letterPdf(title: string, body: string): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  const page = d.addPage([612, 792]);
  page.drawText(title, { x: 48, y: 720, size: 20, font });
  page.drawText(body, { x: 48, y: 680, size: 12, font });
  return Buffer.from(await d.save());
}

/** Clicks what starts a download and returns the file as saved by Chromium. */
export async function downloaded(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const d = page.waitForEvent('download');
  await button.click();
  const file = await d;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** Picks a Mantine Select option by its visible label. */
export async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option }).first().click();
}

/** Numbered screenshots under test-results/records/ with axe-core's WCAG 2.1 A/AA check; failures gathered for the end. */
export class Steps {
  private n = 0;
  readonly failures: string[] = [];
  constructor(private readonly prefix: string) {
    mkdirSync(SHOTS, { recursive: true });
  }

  async step(page: Page, name: string): Promise<void> {
    this.n += 1;
    const found = await axeViolations(page);
    await page.screenshot({ path: join(SHOTS, `${this.prefix}-${String(this.n).padStart(2, '0')}-${name}.png`), fullPage: true });
    if (found.length > 0) this.failures.push(`${name}:\n${describeViolations(found)}`);
  }
}
