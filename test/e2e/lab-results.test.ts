import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');

function oru(controlId: string, pid: string, filler: string, ...obx: string[]): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    `OBR|1|PL-${controlId}^CAIRN|${filler}^ACME|24323-8^Metabolic panel^LN`,
    ...obx,
  ].join('\r');
}

describe('lab results in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-labs-');
  let clinic: Clinic;
  let app: BridgedApp;
  let donald: Patient;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    donald = await clinic.ok<Patient>('patients.create', {
      givenName: 'Donald',
      familyName: 'Duck',
      birthDate: '1924-10-10',
      sex: 'male',
      identifiers: [{ system: '1', value: '10006579', type: 'MR' }],
    });
    // Results arrive through the same ingest the MLLP listener and the CLI use.
    const ingest = new Hl7Ingest(clinic.session.repos);
    expect(ingest.receive(readFileSync(join(FIXTURES, 'LAB-ORU-1.hl7'), 'utf8'), 'LAB-ORU-1.hl7')).toMatchObject({ patientId: donald.id, results: 10 });
    const pid = `PID|1||${donald.mrn}^^^^MR||Duck^Donald||19241010|M`;
    ingest.receive(oru('G1', pid, 'F-1', 'OBX|1|NM|2345-7^Glucose^LN||95|mg/dL|70-99|N|||F|||20260220080000+0000'), 'g1');
    ingest.receive(oru('G2', pid, 'F-2', 'OBX|1|NM|2345-7^Glucose^LN||121|mg/dL|70-99|H|||F|||20260226080000+0000'), 'g2');
    // The lab corrects it: the chart shows the new value and what it replaces.
    ingest.receive(oru('G2C', pid, 'F-2', 'OBX|1|NM|2345-7^Glucose^LN||132|mg/dL|70-99|H|||C|||20260226080000+0000'), 'g2c');
    ingest.receive(
      oru(
        'G3',
        pid,
        'F-3',
        'OBX|1|NM|2345-7^Glucose^LN||412|mg/dL|70-99|HH|||F|||20260301080000+0000',
        'OBX|2|NM|2823-3^Potassium^LN||5.4|mmol/L|3.5-5.1|H|||F|||20260301080000+0000',
        'NTE|1|L|Specimen hemolyzed: potassium may be falsely raised',
      ),
      'g3',
    );
    expect(
      ingest.receive(
        oru('U1', 'PID|1||777^^^OTHERLAB^MR||Dack^Donald||19241010|M', 'F-U', 'OBX|1|NM|2345-7^Glucose^LN||101|mg/dL|70-99|H|||F|||20260302080000+0000'),
        'u1',
      ),
    ).toMatchObject({ queued: true });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('shows the inbox with the critical value first, acknowledges it, opens the cumulative view and the trend, and attaches an unmatched result', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });

    // The header counts the results waiting; the inbox puts the critical glucose first, in red.
    await page.getByTestId('results-badge').waitFor();
    await page.getByTestId('nav-results').click();
    await page.getByTestId('inbox-table').waitFor();
    const first = page.getByTestId('inbox-table').locator('tbody tr').first();
    await expect(first.getAttribute('data-testid')).resolves.toBe('inbox-row-critical');
    await expect(first.textContent()).resolves.toContain('412 mg/dL');
    await expect(page.getByTestId('inbox-critical-count').textContent()).resolves.toBe('1 critical');
    await expect(page.getByTestId('inbox-row-abnormal').count()).resolves.toBe(2);
    // The lab's comment is shown with the value it qualifies, not hidden behind a click.
    const potassium = page.getByTestId('inbox-table').locator('tbody tr', { hasText: '5.4 mmol/L' });
    await expect(potassium.getByTestId('result-note').textContent()).resolves.toBe('Lab note: Specimen hemolyzed: potassium may be falsely raised');
    await expect(page.getByTestId('result-note').count()).resolves.toBe(1);
    await shot(page, '60-results-inbox');

    // Acknowledge the critical result with a note: it leaves the inbox.
    await first.getByTestId('inbox-select').click();
    await page.getByTestId('ack-note').fill('Patient called, repeat fasting glucose');
    await page.getByTestId('ack-selected').click();
    await page.getByTestId('inbox-row-critical').waitFor({ state: 'detached' });
    await expect(page.getByTestId('inbox-critical-count').count()).resolves.toBe(0);
    await shot(page, '61-results-acknowledged');

    // The patient's Results tab: the list with flags (the critical one still red, now reviewed).
    await page.getByTestId('inbox-patient').first().click();
    await page.getByTestId('patient-results').waitFor();
    const critical = page.getByTestId('result-row-critical');
    await expect(critical.textContent()).resolves.toContain('Dr. Gregory House');
    const corrected = page.getByTestId('patient-results').locator('tbody tr', { hasText: '132 mg/dL' });
    await expect(corrected.getByTestId('result-version').textContent()).resolves.toBe('corrected');
    await expect(corrected.getByTestId('result-previous').textContent()).resolves.toMatch(/^Was 121 mg\/dL H \(final, received .+\)$/);
    await shot(page, '62-patient-results');

    // Cumulative: rows are tests, columns are collection times.
    await page.getByTestId('results-mode').getByText('Cumulative').click();
    const table = page.getByTestId('cumulative-table');
    await table.waitFor();
    const glucoseRow = table.locator('tbody tr', { hasText: 'Glucose' });
    await expect(glucoseRow.textContent()).resolves.toMatch(/412 HH.*132 H.*95/);
    // The commented potassium carries a footnote mark, and the comment is listed under the table.
    await expect(table.locator('tbody tr', { hasText: 'Potassium' }).textContent()).resolves.toContain('5.4 H[1]');
    await expect(page.getByTestId('cumulative-note').textContent()).resolves.toMatch(
      /^\[1\] Potassium 5\.4, .*: Specimen hemolyzed: potassium may be falsely raised$/,
    );
    await shot(page, '63-cumulative');

    // Trend of glucose with its reference band (a shaded area between 70 and 99).
    await page.getByTestId('results-mode').getByText('Results', { exact: true }).click();
    await critical.click();
    const trend = page.getByTestId('lab-trend-2345-7');
    await trend.waitFor();
    await trend.locator('.recharts-reference-area').first().waitFor();
    await expect(trend.locator('.recharts-line-dot').count()).resolves.toBe(3);
    await expect(trend.textContent()).resolves.toContain('reference 70–99');
    await shot(page, '64-glucose-trend');

    // The unmatched queue: the misspelt name from another lab, attached to Donald by hand.
    await page.getByTestId('nav-results').click();
    await page.getByTestId('tab-unmatched').click();
    const item = page.getByTestId('unmatched-item');
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('777 (MR, OTHERLAB)');
    await expect(item.textContent()).resolves.toMatch(/\d+ results? · ORU\^R01/);
    await page.getByRole('heading', { name: 'Unmatched messages', level: 3 }).waitFor();
    await shot(page, '65-unmatched-queue');
    const search = page.getByTestId('unmatched-patient-search');
    await search.fill('duck');
    await page.getByRole('option', { name: new RegExp(`Duck, Donald .*MRN ${donald.mrn}`) }).click();
    await page.getByTestId('attach-to-patient').click();
    await page.getByText('Every received message is on a chart.').waitFor();
    await shot(page, '66-unmatched-attached');
    // Its result is now in the inbox, on Donald's chart.
    await page.getByTestId('tab-inbox').click();
    await page.getByTestId('inbox-table').locator('tbody tr', { hasText: '101 mg/dL' }).waitFor();

    expect(pageErrors).toEqual([]);
  }, 90_000);
});
