import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileSectionView } from '../../shared/api/ccda.contract';
import type { Allergy, Problem } from '../../shared/domain/clinical';
import type { Patient } from '../../shared/domain/patient';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { openChart, signIn } from '../helpers/clinic-day';
import { tempDir } from '../helpers/temp-db';
import { chooseFile, SETTLE, Steps, watchCsp } from './records.helpers';

const NIST = 'test/fixtures/ccda/sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml';
const SOMEONE_ELSE = 'test/fixtures/ccda/hl7-examples/CCD_CCD-1_CCD.XML';

/**
 * C-CDA reconciliation in Chromium over a real encrypted database: the physician imports the NIST
 * ambulatory CCD (the one ONC certification was written against) into Myra Jones's chart, whose
 * own asthma entry has another onset. Another patient's CCD is refused first, naming what differs.
 * The import's counts show; its items wait by section with their badges (New, Different with what
 * differs); she ignores the asthma item, accepts all of Problems and all of Allergies; they leave
 * the pending list and the problems and allergies are on the chart's lists; the received
 * document's narrative opens in the viewer. axe-core on every screen; screenshots
 * test-results/records/reconcile-NN-*.png.
 */
describe('C-CDA import and reconciliation in Chromium', () => {
  const t = tempDir('cairn-e2e-records-reconcile-');
  const steps = new Steps('reconcile');
  let clinic: Clinic;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];
  let csp: string[];
  let myra: Patient;
  const tab = (name: string): ReturnType<Page['getByRole']> => page.getByRole('tab', { name });

  beforeAll(async () => {
    clinic = await openClinic(t.dir);
    myra = await clinic.ok<Patient>('patients.create', { givenName: 'Myra', familyName: 'Jones', birthDate: '1947-05-01', sex: 'female' });
    // Her asthma is in the chart already, with another onset than the document's (2007-01-03).
    await clinic.ok('problems.add', { patientId: myra.id, icd10: 'J45.909', chronic: true, onsetDate: '2010-06-01' });
    await clinic.ok('session.logout');
    app = await startBridgedApp(clinic.handlers);
    ({ page, pageErrors } = await app.open());
    csp = watchCsp(page);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it("refuses another patient's CCD naming what differs, then imports hers and shows what it read", async () => {
    await signIn(page, CLINIC.doc);
    await openChart(page, 'jones');
    await tab('Reconcile').click();
    const rec = page.getByTestId('reconcile-tab');
    await rec.getByTestId('reconcile-none').waitFor(SETTLE);
    await steps.step(page, 'empty');

    const imp = rec.getByTestId('ccda-import');
    await chooseFile(page, imp.getByLabel('C-CDA file'), 'CCD-1.xml', readFileSync(SOMEONE_ELSE), 'text/xml');
    await imp.getByRole('button', { name: 'Import C-CDA' }).click();
    const refusal = imp.getByTestId('ccda-import-error');
    await refusal.waitFor(SETTLE);
    expect(await refusal.textContent()).toMatch(/^this document is about Eve .*Betterhalf, not this chart's patient/);
    // The checkbox is offered, and the button waits for it: nothing was stored.
    await imp.getByLabel("I have checked: this document is this patient's").waitFor();
    expect(await imp.getByRole('button', { name: 'Import C-CDA' }).isDisabled()).toBe(true);
    expect(await clinic.ok<unknown[]>('ccda.imports', { patientId: myra.id })).toEqual([]);
    await steps.step(page, 'refused-other-patient');

    await chooseFile(page, imp.getByLabel('C-CDA file'), 'NIST ambulatory CCD.xml', readFileSync(NIST), 'text/xml');
    await imp.getByRole('button', { name: 'Import C-CDA' }).click();
    const result = rec.getByTestId('ccda-import-result');
    await result.waitFor(SETTLE);
    await expect.poll(() => result.textContent(), SETTLE).toContain('Community Health and Hospitals');
    const counts = await result.getByTestId('ccda-import-counts').getByRole('row').allTextContents();
    expect(counts).toEqual(expect.arrayContaining(['Problems2', 'Medications2', 'Allergies3', 'Immunizations2', 'Results3', 'Vitals6']));
    expect(await result.getByTestId('ccda-import-matches').textContent()).toMatch(/^\d+ new, \d+ already in the chart, 1 different/);
    await steps.step(page, 'imported');
  });

  it('shows the items by section with their badges; ignores one, accepts all of Problems and of Allergies', async () => {
    const rec = page.getByTestId('reconcile-tab');
    const problems = rec.locator('[data-testid="reconcile-section"][data-section="problems"]');
    await problems.waitFor(SETTLE);
    const sections = await rec.getByTestId('reconcile-section').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(sections).toEqual(expect.arrayContaining(['problems', 'medications', 'allergies', 'results', 'vitals']));
    expect(await problems.getByRole('heading').textContent()).toBe('Problems (2)');
    const pneumonia = problems.getByTestId('reconcile-item').filter({ hasText: 'Pneumonia' });
    const asthma = problems.getByTestId('reconcile-item').filter({ hasText: 'Asthma' });
    expect(await pneumonia.getByTestId('reconcile-match').textContent()).toBe('New');
    expect(await asthma.getByTestId('reconcile-match').textContent()).toBe('Different');
    // What differs, in words: the chart's onset and the document's.
    expect(await asthma.textContent()).toMatch(/onset 2010-06-01 here, 2007-01-03 in the document/);
    await steps.step(page, 'pending-by-section');

    // Ignore the asthma item: the chart keeps its own entry.
    await asthma.getByRole('button', { name: 'Ignore', exact: true }).click();
    await expect.poll(() => problems.getByTestId('reconcile-item').count(), SETTLE).toBe(1);
    await expect.poll(() => rec.getByTestId('reconcile-notice').textContent(), SETTLE).toMatch(/^Ignored "/);

    await problems.getByRole('button', { name: 'Accept all in Problems' }).click();
    await rec.locator('[data-section="problems"]').waitFor({ state: 'detached', ...SETTLE });
    const allergies = rec.locator('[data-testid="reconcile-section"][data-section="allergies"]');
    const allergyNames = await allergies.getByTestId('reconcile-item').count();
    expect(allergyNames).toBe(3);
    await allergies.getByRole('button', { name: 'Accept all in Allergies' }).click();
    await allergies.waitFor({ state: 'detached', ...SETTLE });
    expect(await rec.getByTestId('reconcile-notice').textContent()).toBe('Accepted 3 items into the chart.');
    await steps.step(page, 'after-decisions');

    const left = await clinic.ok<ReconcileSectionView[]>('ccda.items', { patientId: myra.id });
    expect(left.find((s) => s.section === 'problems')?.items ?? []).toEqual([]);
    const all = await clinic.ok<ReconcileSectionView[]>('ccda.items', { patientId: myra.id, status: 'all' });
    const decided = all.find((s) => s.section === 'problems')!.items.map((i) => [i.summary.split(/[:(;]/)[0]!.trim(), i.status]);
    expect(decided).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/Asthma/), 'ignored'],
        [expect.stringMatching(/Pneumonia/), 'accepted'],
      ]),
    );
  });

  it("the accepted problems and allergies are on the chart's lists; the ignored one changed nothing", async () => {
    await tab('Problems').click();
    const list = page.getByTestId('problem-list');
    await expect.poll(() => list.textContent(), SETTLE).toContain('J18.9');
    const rows = await list.getByRole('row').allTextContents();
    expect(rows.filter((r) => r.includes('J18.9'))).toHaveLength(1);
    // Her own asthma entry, once, with its own onset.
    expect(rows.filter((r) => r.includes('J45.909'))).toEqual([expect.stringContaining('since 2010-06-01')]);
    await steps.step(page, 'problem-list');
    const problems = await clinic.ok<Problem[]>('problems.list', { patientId: myra.id });
    expect(problems.map((p) => p.icd10).sort()).toEqual(['J18.9', 'J45.909']);

    await tab('Allergies').click();
    await expect.poll(() => page.getByTestId('allergy-list').getByRole('row').count(), SETTLE).toBeGreaterThanOrEqual(3);
    const allergies = await clinic.ok<Allergy[]>('allergies.list', { patientId: myra.id });
    expect(allergies).toHaveLength(3);
    await steps.step(page, 'allergy-list');
  });

  it("opens the received document's narrative from the chart", async () => {
    await tab('Reconcile').click();
    const received = page.getByTestId('ccda-imports');
    await received.getByTestId('ccda-import-row').first().waitFor(SETTLE);
    expect(await received.getByTestId('ccda-import-row').count()).toBe(1);
    await received.getByRole('button', { name: /^View document: / }).click();
    const dialog = page.getByRole('dialog');
    const view = dialog.getByTestId('ccda-view');
    await view.waitFor(SETTLE);
    expect(await view.getByTestId('ccda-view-source').textContent()).toMatch(/^From Community Health and Hospitals/);
    const titles = await view.getByTestId('ccda-section').getByRole('heading').allTextContents();
    expect(titles.length).toBeGreaterThan(5);
    expect(titles.join(' | ')).toMatch(/Problem/i);
    // The narrative is rebuilt from its fixed tag set: tables, no script, no link, no image.
    const problems = view.getByTestId('ccda-section').filter({ has: page.getByRole('heading', { name: /Problem/i }) });
    expect(await view.locator('table').count()).toBeGreaterThan(0);
    expect(await problems.textContent()).toMatch(/Pneumonia/);
    expect(await view.locator('script, a, img, iframe, object, style').count()).toBe(0);
    await steps.step(page, 'narrative');
    await page.keyboard.press('Escape');

    // The same document from the Documents tab: filed there as outside records, shown as its narrative.
    await tab('Documents').click();
    const docs = page.getByTestId('documents-tab');
    await docs.getByTestId('document-row').first().waitFor(SETTLE);
    await docs.getByTestId('document-row').first().getByRole('button').first().click();
    await docs.getByTestId('ccda-view').waitFor(SETTLE);
    await steps.step(page, 'documents-tab-ccda');
  });

  it('exports the chart as a C-CDA the physician can send on: the accepted problems are in it, and it is audited', async () => {
    await tab('Reconcile').click();
    const saved = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export C-CDA' }).click();
    const file = await saved;
    expect(file.suggestedFilename()).toMatch(/\.xml$/);
    const xml = readFileSync(await file.path(), 'utf8');
    expect(xml).toMatch(/<ClinicalDocument[^>]*urn:hl7-org:v3/);
    expect(xml).toContain('Jones');
    expect(xml).toMatch(/Pneumonia/i);
    expect(await page.getByTestId('ccda-export-message').textContent()).toMatch(/^Saved .*\.xml/);
    await steps.step(page, 'exported');
    const audit = clinic.session.repos.audit.list({ patientId: myra.id }).map((e) => e.action);
    expect(audit).toContain('ccda.export.disclosure');
  });

  it('every screen passes axe-core (WCAG 2.1 A/AA); no script error; no CSP violation', () => {
    expect(steps.failures, steps.failures.join('\n\n')).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(csp).toEqual([]);
  });
});
