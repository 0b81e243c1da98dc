import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');

describe('importing FHIR bundles from the desktop app, in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-import-');
  let clinic: Clinic;
  let app: BridgedApp;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('imports two Synthea bundles with progress and a summary', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    const files = readdirSync(FIXTURES).filter((f) => f.startsWith('Eboni_Brekke') || f.startsWith('Clarence_Mills'));
    expect(files).toHaveLength(2);
    await page.getByTestId('nav-import').click();
    await page.locator('input[type="file"]').setInputFiles(files.map((f) => join(FIXTURES, f)));
    await page.getByTestId('import-start').click();
    // The summary is a running total, shown from the first file on: read it once both are done.
    await page.getByText('2 of 2 files').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('import-start').isEnabled()).toBe(true);
    const summary = page.getByTestId('import-summary');
    await expect(summary.textContent()).resolves.toContain('2 patients imported');
    await page.waitForTimeout(400); // the progress bar's transition, for the screenshot only
    await shot(page, '95-fhir-import');
    const count = (
      clinic.session.repos.store.sqlite.prepare(`SELECT count(*) AS n FROM patients WHERE family_name IN ('Brekke', 'Mills')`).get() as { n: number }
    ).n;
    expect(count).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
