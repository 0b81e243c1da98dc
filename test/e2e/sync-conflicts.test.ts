import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientInput, type Patient } from '../../shared/domain/patient';
import type { ConflictView } from '../../shared/domain/sync-review';
import { createHandlers } from '../../electron/services/handlers';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice, inProcessSyncLoop, type SyncClient, type SyncLoop } from '../../electron/services/sync';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');
const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe('sync in Chromium: the header and the Conflicts screen, two devices and a real clinic server (PGlite)', () => {
  const ta = tempDir('cairn-e2e-sync-a-');
  const tb = tempDir('cairn-e2e-sync-b-');
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let clinic: Clinic;
  let loop: SyncLoop;
  let b: Repos;
  let syncB: SyncClient;
  let docId: string;
  let app: BridgedApp;
  let page: Page;
  let pageErrors: string[];

  /** The other device: a second encrypted database syncing in the background as the same physician. */
  const onB = { userId: '' };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await startTestServer('pglite');
    clinic = await openClinic(ta.dir);
    const repos = clinic.session.repos;
    docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    onB.userId = docId;
    await enrollThisDevice(repos.store, repos, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Exam room laptop')).code,
      deviceName: 'Exam room laptop',
    });
    await signInClinicUsers(repos.store.sqlite);
    loop = inProcessSyncLoop(repos.store, repos, () => clinic.session.status().user?.id ?? null);
    const { store } = await newStore(tb.dir);
    b = createRepos(store);
    await enrollThisDevice(store, b, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Front desk PC')).code,
      deviceName: 'Front desk PC',
    });
    await signInClinicUsers(store.sqlite);
    syncB = clientFor(store, b, () => docId);
    app = await startBridgedApp(createHandlers({ session: clinic.session, sync: loop }));
    ({ page, pageErrors } = await app.open());
  });
  afterAll(async () => {
    await app?.close();
    b?.store.close();
    clinic?.session.close();
    await server?.stop();
    ta.cleanup();
    tb.cleanup();
  });

  const detail = (text: string | RegExp): Promise<void> => page.getByTestId('sync-detail').filter({ hasText: text }).waitFor();
  const openChart = async (query: string): Promise<void> => {
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByTestId('patient-search').fill(query);
    await page.getByTestId('search-result').first().waitFor();
    await page.getByTestId('patient-search').press('Enter');
    await page.getByTestId('patient-banner').waitFor();
  };

  it('the header shows changes waiting, then synced after "Sync now"', async () => {
    await page.getByTestId('sync-indicator').waitFor();
    await clinic.ok<Patient>('patients.create', { givenName: 'Tomas', familyName: 'Ferreira-Lind', birthDate: '1990-01-15', sex: 'male', phone: '555-0200' });
    await detail(/not synced yet · \d+ waiting/);
    await expect(page.getByTestId('sync-state').getAttribute('data-state')).resolves.toBe('idle');
    await shot(page, '50-sync-pending');
    await page.getByTestId('sync-now').click();
    await detail('synced just now · all sent');
    await shot(page, '51-sync-synced');
  });

  it('a conflict made on two devices is listed; the user keeps one value and the chart shows it', async () => {
    const p = (await clinic.ok<{ id: string }[]>('patients.search', { query: 'Ferreira' }))[0]!;
    expect((await syncB.syncOnce()).error).toBeNull();
    // While apart, each device changes the phone.
    await clinic.ok('patients.update', { id: p.id, expectedVersion: (await clinic.ok<Patient>('patients.get', { id: p.id })).version, phone: '555-1111' });
    b.patients.update({ id: p.id, expectedVersion: b.patients.peek(p.id).version, phone: '555-2222' }, onB);
    await loop.syncNow();
    expect((await syncB.syncOnce()).error).toBeNull();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('conflicts-badge').filter({ hasText: '1' }).waitFor();

    // The chart says it has an open conflict and links to it.
    await openChart('Ferreira');
    await page.getByTestId('chart-conflicts').waitFor();
    await shot(page, '52-chart-conflict-banner');
    await page.getByTestId('chart-conflicts-review').click();
    const card = page.locator('[data-kind="field"]');
    await card.waitFor();
    const text = await card.textContent();
    expect(text).toContain('Demographics · Phone');
    expect(text).toContain('555-1111');
    expect(text).toContain('555-2222');
    expect(text).toContain('this device (Exam room laptop)');
    expect(text).toContain('Dr. Gregory House');
    await expect(card.getByTestId('shown-now').count()).resolves.toBe(1);
    await shot(page, '53-conflict-listed');

    // Keep the value the chart is not showing now.
    const [conflict] = await clinic.ok<ConflictView[]>('sync.conflicts.list', { patientId: p.id });
    const keep = conflict!.values.findIndex((v) => !v.shown);
    const kept = conflict!.values[keep]!.value as string;
    await page.getByTestId(`keep-${conflict!.id}-${keep}`).click();
    await page
      .getByTestId(`settled-${conflict!.id}`)
      .filter({ hasText: `kept "${kept}"` })
      .waitFor();
    await page.getByTestId('no-conflicts').waitFor();
    await shot(page, '54-conflict-settled');
    await page.getByTestId(`settled-open-${conflict!.id}`).click();
    await page.getByTestId('patient-banner').filter({ hasText: kept }).waitFor();
    await expect(page.getByTestId('chart-conflicts').count()).resolves.toBe(0);
    await shot(page, '55-chart-after-conflict');

    // The resolution reaches the other device.
    await page.getByTestId('sync-now').click();
    await detail('synced just now · all sent');
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(b.patients.peek(p.id).phone).toBe(kept);
    expect(b.store.sqlite.prepare('SELECT status FROM sync_conflicts WHERE id = ?').get(conflict!.id)).toEqual({ status: 'resolved' });
  });

  it('a person registered on both devices is compared side by side and merged; the chart says so and unmerges', async () => {
    const person = { givenName: 'Ines', familyName: 'Duarte', birthDate: '1975-05-05', sex: 'female' } as const;
    const here = await clinic.ok<Patient>('patients.create', { ...person, phone: '555-0303' });
    const there = b.patients.create(patientInput.parse({ ...person, email: 'ines@example.org' }), onB);
    await loop.syncNow();
    expect((await syncB.syncOnce()).error).toBeNull();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('conflicts-badge').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('nav-conflicts').click();
    const card = page.locator('[data-kind="duplicate_patient"]');
    await card.waitFor();
    await card.getByTestId(`chart-card-${there.id}`).filter({ hasText: 'ines@example.org' }).waitFor();
    await shot(page, '56-duplicate-side-by-side');
    await card.getByTestId(`merge-into-${here.id}`).click();
    await page
      .locator('[data-testid^="settled-"]')
      .filter({ hasText: `merged into MRN ${here.mrn}` })
      .first()
      .waitFor();

    // Search lists only the chart kept; it says it also holds the merged MRN, and can undo it.
    await page.getByRole('button', { name: 'Find patient' }).click();
    await page.getByTestId('patient-search').fill('Duarte');
    await page.getByTestId('search-result').first().waitFor();
    await expect(page.getByTestId('search-result').count()).resolves.toBe(1);
    await page.getByTestId('patient-search').press('Enter');
    const merged = page.getByTestId(`merged-here-${there.id}`);
    await merged.filter({ hasText: `Also recorded as MRN ${there.mrn} (merged)` }).waitFor();
    await shot(page, '57-chart-merged');
    await merged.getByRole('button', { name: `MRN ${there.mrn}` }).click();
    await page.getByTestId('merged-into').filter({ hasText: 'This chart was merged into Duarte, Ines' }).waitFor();
    await page.getByTestId('unmerge-self').click();
    await page.getByTestId('merged-into').waitFor({ state: 'detached' });
    expect(clinic.session.repos.audit.list({ patientId: there.id }).map((e) => e.action)).toEqual(expect.arrayContaining(['patient.merge', 'patient.unmerge']));
    expect(pageErrors).toEqual([]);
  });
});
