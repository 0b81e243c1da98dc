import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

describe('automatic sign-out in Chromium', () => {
  const t = tempDir('cairn-e2e-lock-');
  let clinic: Clinic;
  let app: BridgedApp;
  // The backend's clock, moved forward by the test instead of waiting ten minutes.
  let offsetMs = 0;

  beforeAll(async () => {
    clinic = await openClinic(t.dir, () => new Date(Date.now() + offsetMs));
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('returns to the sign-in screen after the idle limit and says why', async () => {
    const { page, pageErrors } = await app.open();
    await page.getByTestId('patient-search').waitFor();
    offsetMs = 10 * 60_000 + 5_000;
    // The renderer polls the status every 10 s; the backend has signed the idle user out.
    await page.getByTestId('auto-locked').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('auto-locked').textContent()).resolves.toBe('Signed out after 10 minutes without activity.');
    await expect(page.getByTestId('patient-search').count()).resolves.toBe(0);
    await page.screenshot({ path: join(resolve('test-results'), '30-auto-locked.png'), fullPage: true });
    expect(clinic.session.repos.audit.list().some((e) => e.action === 'session.auto_lock')).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
