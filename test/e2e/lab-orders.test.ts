import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { hl7Fixture } from '../helpers/hl7-fixtures';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe('lab orders and the HL7 review queue in Chromium against the real dispatcher', () => {
  const t = tempDir('cairn-e2e-lab-orders-');
  let clinic: Clinic;
  let app: BridgedApp;
  let donald: Patient;
  let adamId: string;
  const sql = <T>(q: string, ...p: unknown[]): T => clinic.session.repos.store.sqlite.prepare(q).get(...p) as T;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    donald = await clinic.ok<Patient>('patients.create', { givenName: 'Donald', familyName: 'Duck', birthDate: '1924-10-10', sex: 'male' });
    // Messages arrive through the same ingest the MLLP listener and the CLI use.
    const ingest = new Hl7Ingest(clinic.session.repos);
    adamId = ingest.receive(hl7Fixture('ADT-A04-01.hl7'), 'a04').patientId!;
    const adam = clinic.session.repos.patients.peek(adamId);
    // The phone is corrected here; then the sender's A08 brings another one: held for review.
    await clinic.ok('patients.update', { id: adam.id, expectedVersion: adam.version, phone: '555-000-1111' });
    expect(ingest.receive(hl7Fixture('ADT-A08-01.hl7').replace('MSG00001', 'MSG-A08').replace('78788788^^CP', '5559998888^^CP'), 'a08')).toMatchObject({
      queued: true,
      patientId: adam.id,
    });
    const unmatched = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|U-1|P|2.5.1',
      'PID|1||777^^^OTHERLAB^MR||Nobody^Nemo||19500101|M',
      'OBR|1|PL-U^CAIRN|F-U^ACME|2345-7^Glucose^LN',
      'OBX|1|NM|2345-7^Glucose^LN||101|mg/dL|70-99|H|||F|||20260302080000+0000',
    ].join('\r');
    expect(ingest.receive(unmatched, 'u1')).toMatchObject({ queued: true, patientId: null });
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('orders a CBC from an order set, changes its status, shows the ORM and the requisition', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    const search = page.getByTestId('patient-search');
    await search.fill('duck');
    await page.getByTestId('search-result').first().waitFor();
    await search.press('Enter');
    await page.getByTestId('patient-banner').waitFor();
    await page.getByTestId('tab-lab-orders').click();
    await page.getByText('No lab orders yet.').waitFor();

    // Order the CBC order set.
    await page.getByTestId('order-sets').click();
    await page.getByRole('option', { name: /^CBC · LOINC 58410-2/ }).click();
    await page.getByTestId('new-lab-order').getByText('CBC: Whole blood, EDTA (lavender top)').waitFor();
    await page.getByTestId('place-order').click();
    const row = page.getByTestId('lab-order-row');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('CBC panel - Blood by Automated count (58410-2)');
    await expect(row.getAttribute('data-status')).resolves.toBe('ordered');
    await shot(page, '70-lab-order-placed');

    // ordered → collected, then an illegal change back to draft shows the backend's reason.
    await row.getByTestId('lab-order-change-status').click();
    await page.getByRole('option', { name: 'collected', exact: true }).click();
    await page.locator('[data-testid="lab-order-row"][data-status="collected"]').waitFor();
    await row.getByTestId('lab-order-change-status').click();
    await page.getByRole('option', { name: 'draft', exact: true }).click();
    const problem = page.getByTestId('lab-order-problem');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toContain('an order that is collected cannot become draft (it may become partial or final or cancelled)');
    await expect(row.getAttribute('data-status')).resolves.toBe('collected');
    await shot(page, '71-lab-order-status');
    const stored = sql<{ status: string; placer: string }>(`SELECT status, placer_number AS placer FROM lab_orders WHERE patient_id = ?`, donald.id);
    expect(stored.status).toBe('collected');

    // The requisition downloads as a PDF; the ORM^O01 for the interface shows its ORC and OBR.
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('lab-order-requisition').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^lab-requisition-${donald.mrn}-.*\\.pdf$`));
    await row.getByTestId('lab-order-message').click();
    const orm = page.getByTestId('lab-order-orm');
    await orm.waitFor();
    const text = (await orm.textContent()) ?? '';
    expect(text).toContain('ORM^O01');
    expect(text).toContain(`ORC|NW|${stored.placer}`);
    expect(text).toContain('OBR|1|' + stored.placer + '||58410-2^CBC panel - Blood by Automated count^LN');
    await page.waitForTimeout(400); // the modal's opening transition
    await shot(page, '72-lab-order-orm');
    await page.keyboard.press('Escape');

    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('resolves a field difference from an A08 and dismisses an unmatched message, with the reasons audited', async () => {
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    await page.getByTestId('nav-results').click();
    await page.getByTestId('tab-review').click();
    const difference = page.getByTestId('review-field_difference');
    await difference.waitFor();
    await expect(difference.getByTestId('review-local').textContent()).resolves.toContain('555-000-1111');
    await expect(difference.getByTestId('review-incoming').textContent()).resolves.toContain('5559998888');
    await expect(page.getByTestId('review-count').textContent()).resolves.toBe('2');
    await shot(page, '73-review-queue');

    // Take the message's phone: written to the chart through the patients repository.
    await difference.getByTestId('review-note').fill('patient confirmed the new number');
    await difference.getByTestId('keep-incoming').click();
    await difference.waitFor({ state: 'detached' });
    expect(clinic.session.repos.patients.peek(adamId).phone).toBe('5559998888');

    // Dismiss the unmatched message: a short reason is refused under its field.
    const held = page.getByTestId('review-unmatched');
    await expect(held.textContent()).resolves.toContain('Nobody, Nemo · born 1950-01-01 · 777 (MR, OTHERLAB)');
    await held.getByTestId('dismiss-reason').fill('test');
    await held.getByTestId('dismiss-unmatched').click();
    await held.getByText('say why (at least 10 characters)').waitFor();
    await shot(page, '74-review-dismiss-reason');
    await held.getByTestId('dismiss-reason').fill('test message sent by the lab by mistake');
    await held.getByTestId('dismiss-unmatched').click();
    await page.getByText('Nothing waits for review.').waitFor();

    // The decisions, with who and why.
    await page.getByTestId('review-status').getByText('Decided').click();
    // The decided list loads after the switch: wait for both entries before counting them.
    await page.getByTestId('review-closed').nth(1).waitFor();
    await expect(page.getByTestId('review-closed').count()).resolves.toBe(2);
    const decided = (await page.getByTestId('review-queue').textContent()) ?? '';
    expect(decided).toContain('took the message\'s phone "5559998888" (was "555-000-1111"): patient confirmed the new number');
    expect(decided).toContain('dismissed without a chart: test message sent by the lab by mistake');
    expect(decided).toContain('Dr. Gregory House');
    await page.waitForTimeout(300); // the segmented control's transition
    await shot(page, '75-review-decided');

    // Stored still, marked dismissed, audited.
    const review = sql<{ status: string; raw: string }>(
      `SELECT r.status, m.raw FROM hl7_reviews r JOIN hl7_messages m ON m.id = r.message_id WHERE r.kind = 'unmatched'`,
    );
    expect(review.status).toBe('dismissed');
    expect(review.raw).toContain('Nobody^Nemo');
    const audit = clinic.session.repos.audit.list().filter((e) => e.action.startsWith('hl7.review.'));
    expect(audit.map((e) => [e.action, e.userId])).toEqual([
      ['hl7.review.field_difference', clinic.session.requireUser().id],
      ['hl7.review.dismiss', clinic.session.requireUser().id],
    ]);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('applies an A40 merge only when a person approves it, with a reason', async () => {
    // PID-3 names 12345 (BCBS), MRG-1 names 56789 (BCBS): the same child registered twice.
    const survivor = await clinic.ok<Patient>('patients.create', {
      givenName: 'Test',
      familyName: 'Test',
      birthDate: '2018-02-05',
      sex: 'female',
      identifiers: [{ system: 'BCBS', value: '12345', type: 'MR' }],
    });
    const duplicate = await clinic.ok<Patient>('patients.create', {
      givenName: 'Test',
      familyName: 'Testt',
      birthDate: '2018-02-05',
      sex: 'female',
      identifiers: [{ system: 'BCBS', value: '56789', type: 'MR' }],
    });
    expect(new Hl7Ingest(clinic.session.repos).receive(hl7Fixture('ADT-A40-01.hl7'), 'a40')).toMatchObject({ queued: true, patientId: survivor.id });
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    await page.getByTestId('nav-results').click();
    await page.getByTestId('tab-review').click();
    const merge = page.getByTestId('review-merge');
    await merge.waitFor();
    await expect(merge.getByTestId('merge-duplicate').textContent()).resolves.toContain(`Testt, Test · born 2018-02-05 · MRN ${duplicate.mrn}`);
    await expect(merge.getByTestId('merge-survivor').textContent()).resolves.toContain(`Test, Test · born 2018-02-05 · MRN ${survivor.mrn}`);
    // Nothing is merged until a person approves.
    expect(sql<{ m: string | null }>('SELECT merged_into AS m FROM patients WHERE id = ?', duplicate.id).m).toBeNull();
    await merge.getByTestId('merge-reason').fill('same child, confirmed with the parent by phone');
    await shot(page, '76-review-merge');
    await merge.getByTestId('approve-merge').click();
    await page.getByText('Nothing waits for review.').waitFor();
    expect(sql<{ m: string | null }>('SELECT merged_into AS m FROM patients WHERE id = ?', duplicate.id).m).toBe(survivor.id);
    await page.getByTestId('review-status').getByText('Decided').click();
    await page.getByText(`MRN ${duplicate.mrn} merged into MRN ${survivor.mrn}: same child, confirmed with the parent by phone`).waitFor();
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('shows the orders read-only to the administrator (no ordering, no status change)', async () => {
    await clinic.ok('session.logout');
    await clinic.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
    const { page, pageErrors } = await app.open({ width: 1400, height: 1000 });
    const search = page.getByTestId('patient-search');
    await search.fill('duck');
    await page.getByTestId('search-result').first().waitFor();
    await search.press('Enter');
    await page.getByTestId('tab-lab-orders').click();
    const row = page.getByTestId('lab-order-row');
    await row.waitFor();
    await expect(row.getAttribute('data-status')).resolves.toBe('collected');
    await expect(row.getByTestId('lab-order-requisition').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('new-lab-order').count()).resolves.toBe(0);
    await expect(page.getByTestId('lab-order-change-status').count()).resolves.toBe(0);
    await shot(page, '77-lab-orders-read-only');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
