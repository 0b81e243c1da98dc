import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Locator, Page } from 'playwright-core';

// What the referrals, imaging and care-coordination e2e tests share: a synthetic letter as a PDF,
// downloads read back, Mantine pickers, and numbered screenshots with axe-core's check.

// One copy of the pickers, the settle time and the numbered screenshots, with the documents tests.
export { choose, SETTLE, SHOTS, Steps } from './records.helpers';

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
