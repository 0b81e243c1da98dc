import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import type { ImportSummary } from '../../shared/fhir/import-summary';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();
const hl7Time = (iso: string): string => `${iso.slice(0, 19).replace(/[-T:]/g, '')}+0000`;

/** An observation of a Synthea-like bundle: a quantity with its full imported float. */
function observation(id: string, category: 'vital-signs' | 'laboratory', loinc: string, display: string, at: string, value: number, unit: string): unknown {
  return {
    fullUrl: `urn:uuid:${id}`,
    resource: {
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] }],
      code: { coding: [{ system: 'http://loinc.org', code: loinc, display }] },
      subject: { reference: 'urn:uuid:pat-1' },
      effectiveDateTime: at,
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    },
  };
}

/** A patient with years of imported history: blood pressures as Synthea writes them, an old and a recent blood count. */
function history(): unknown {
  const bp = (n: number, at: string, systolic: number): unknown[] => [
    observation(`bp-s-${n}`, 'vital-signs', '8480-6', 'Systolic blood pressure', at, systolic, 'mm[Hg]'),
    observation(`bp-d-${n}`, 'vital-signs', '8462-4', 'Diastolic blood pressure', at, 79.87654321, 'mm[Hg]'),
  ];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:pat-1',
        resource: { resourceType: 'Patient', id: 'pat-1', name: [{ family: 'Quill', given: ['Marta'] }], gender: 'female', birthDate: '1958-07-14' },
      },
      // Readings a week apart, then one about three years later: the time axis must show the gap.
      ...bp(1, '2022-01-03T09:00:00Z', 134.5),
      ...bp(2, '2022-01-10T09:00:00Z', 128.25),
      ...bp(3, daysAgo(20), 121.21180588394303),
      observation('pain-1', 'vital-signs', '72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported', daysAgo(20), 3, '{score}'),
      observation('wbc-old', 'laboratory', '6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '2019-05-02T08:00:00Z', 6.123456789, '10*3/uL'),
      observation('wbc-new', 'laboratory', '6690-2', 'Leukocytes [#/volume] in Blood by Automated count', daysAgo(5), 7.2345678, '10*3/uL'),
    ],
  };
}

/** The x positions of a chart's dots, left to right. */
async function dotXs(chart: Locator): Promise<number[]> {
  const dots = chart.locator('.recharts-line-dot');
  await dots.first().waitFor();
  const xs = await dots.evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
  return xs.sort((a, b) => a - b);
}

describe('values, units, the results inbox and trends as a physician sees them, in Chromium', () => {
  const t = tempDir('cairn-e2e-results-display-');
  let clinic: Clinic;
  let app: BridgedApp;
  let marta: Patient;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    const summary = await clinic.ok<ImportSummary>('fhir.importBundle', { fileName: 'quill.json', text: JSON.stringify(history()) });
    expect(summary.errors).toEqual([]);
    const [hit] = await clinic.ok<{ id: string }[]>('patients.search', { query: 'quill' });
    marta = await clinic.ok<Patient>('patients.get', { id: hit!.id });
    const pid = `PID|1||${marta.mrn}^^^^MR||Quill^Marta||19580714|F`;
    const msg = (id: string, at: string, ...obx: string[]): string =>
      [`MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|${hl7Time(at)}||ORU^R01^ORU_R01|${id}|P|2.5.1`, pid, `OBR|1|PL-${id}|F-${id}^ACME|2345-7^Glucose^LN`, ...obx].join(
        '\r',
      );
    const ingest = new Hl7Ingest(clinic.session.repos);
    // Glucose results on uneven dates (a trend with a real time axis), the last one critical.
    expect(ingest.receive(msg('G1', daysAgo(400), `OBX|1|NM|2345-7^Glucose^LN||110|mg/dL|70-99|H|||F|||${hl7Time(daysAgo(400))}`), 'g1')).toMatchObject({
      results: 1,
    });
    expect(ingest.receive(msg('G2', daysAgo(395), `OBX|1|NM|2345-7^Glucose^LN||104|mg/dL|70-99|H|||F|||${hl7Time(daysAgo(395))}`), 'g2')).toMatchObject({
      results: 1,
    });
    expect(ingest.receive(msg('G3', daysAgo(1), `OBX|1|NM|2345-7^Glucose^LN||412|mg/dL|70-99|HH|||F|||${hl7Time(daysAgo(1))}`), 'g3')).toMatchObject({
      results: 1,
    });
    // An analyzer's batch: 230 more results waiting, more than one page of the inbox.
    const batch = Array.from(
      { length: 230 },
      (_, k) => `OBX|${k + 1}|NM|2823-3^Potassium^LN|${k + 1}|4.${k % 10}0|mmol/L|3.5-5.1|N|||F|||${hl7Time(daysAgo(2))}`,
    );
    expect(ingest.receive(msg('B1', daysAgo(2), ...batch), 'b1')).toMatchObject({ results: 230 });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('shows the true count, readable units, a highlighted critical value and trends on a time axis; no favicon 404 or CSP warning', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1100 });
    const notFound: string[] = [];
    const warnings: string[] = [];
    page.on('response', (r) => r.status() === 404 && notFound.push(r.url()));
    page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && warnings.push(m.text()));
    await page.reload();

    // The header's badge: the true number waiting (3 glucose, 1 blood count, 230 potassium), in full.
    const badge = page.getByTestId('results-badge');
    await badge.waitFor();
    await expect(badge.textContent()).resolves.toBe('234');
    // Said in words to assistive technology, starting with what is seen (WCAG 2.5.3: no aria-label that differs from it).
    await expect(page.getByRole('button', { name: 'Results 234 results to review', exact: true }).getAttribute('data-testid')).resolves.toBe('nav-results');

    // The face sheet: the critical glucose first, in red and in words; vitals rounded, with human units.
    await page.getByTestId('patient-search').fill('quill');
    await page.getByTestId('search-result').first().click();
    const critical = page.getByTestId('face-critical');
    await critical.waitFor();
    await expect(critical.textContent()).resolves.toContain('Glucose 412 mg/dL (HH, critically high)');
    await expect(page.getByTestId('face-critical-result').textContent()).resolves.toMatch(/^Critical.*Glucose: 412 mg\/dL \(HH, critically high\)/);
    await expect(page.getByTestId('face-vital-systolic').textContent()).resolves.toMatch(/^121 mmHg/);
    await expect(page.getByTestId('face-vital-diastolic').textContent()).resolves.toMatch(/^80 mmHg/);
    await expect(page.getByTestId('face-vital-painScore').textContent()).resolves.toMatch(/^3\s/);
    const faceText = (await page.getByTestId('face-sheet').textContent()) ?? '';
    for (const raw of ['121.2118', 'mm[Hg]', '{score}', '10*3/uL']) expect(faceText).not.toContain(raw);
    await shot(page, '70-face-sheet-critical');

    // Vitals trends on a real time axis: a week's gap is far shorter than a three years' gap.
    await page.getByRole('tab', { name: 'Vitals' }).click();
    const systolic = page.getByTestId('trend-systolic');
    await expect(systolic.textContent()).resolves.toContain('(mmHg)');
    const [a, b, c] = await dotXs(systolic);
    expect(b! - a!).toBeGreaterThan(0);
    expect(c! - b!).toBeGreaterThan(20 * (b! - a!));
    await shot(page, '71-vitals-time-axis');

    // The lab trend too: two results five days apart, a year before the critical one.
    await page.getByRole('tab', { name: 'Results' }).click();
    await page.getByTestId('patient-results').waitFor();
    await expect(page.getByTestId('patient-results').locator('tbody tr', { hasText: 'Leukocytes' }).first().textContent()).resolves.toContain('10³/µL');
    await page.getByTestId('result-row-critical').click();
    const glucose = page.getByTestId('lab-trend-2345-7');
    const [g1, g2, g3] = await dotXs(glucose);
    expect(g3! - g2!).toBeGreaterThan(20 * (g2! - g1!));
    await shot(page, '72-lab-trend-time-axis');

    // The inbox: every result waiting counted, a page shown, acknowledged in one action.
    await page.getByTestId('nav-results').click();
    await page.getByTestId('inbox-table').waitFor();
    await expect(page.getByTestId('inbox-total').textContent()).resolves.toBe('234 to review');
    await expect(page.getByTestId('inbox-shown').textContent()).resolves.toContain('Showing the first 200 results of 234 results');
    await expect(page.getByTestId('inbox-row-critical').textContent()).resolves.toContain('412 mg/dL');
    await expect(page.getByTestId('inbox-ordered-by').first().textContent()).resolves.toBe('Shared queue');
    await shot(page, '73-inbox-true-count');

    // Select every result shown and acknowledge them in one action.
    await page.getByTestId('inbox-select-all').click();
    await expect(page.getByTestId('ack-selected').textContent()).resolves.toBe('Acknowledge 200 selected');
    await page.getByTestId('ack-selected').click();
    await page.getByText('34 to review').waitFor();
    await expect(badge.textContent()).resolves.toBe('34');
    await expect(page.getByTestId('inbox-shown').count()).resolves.toBe(0);
    // The rest come up. The old imported blood count was filed as reviewed; the recent one waits, in readable units.
    const wbc = page.getByTestId('inbox-table').locator('tbody tr', { hasText: 'Leukocytes' });
    await expect(wbc.count()).resolves.toBe(1);
    await expect(wbc.textContent()).resolves.toContain('7.2 10³/µL');
    await expect(wbc.textContent()).resolves.not.toContain('10*3/uL');
    await shot(page, '74-inbox-bulk-acknowledged');

    expect(pageErrors).toEqual([]);
    expect(notFound).toEqual([]);
    expect(warnings.filter((w) => /frame-ancestors|favicon/i.test(w))).toEqual([]);
  });
});
