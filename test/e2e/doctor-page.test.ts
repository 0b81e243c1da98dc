import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_STATUS_LABELS } from '../../shared/domain/doctor';
import { expectAccessible } from '../helpers/axe';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { cairn } from '../helpers/cli';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

describe('the Health screen in Chromium', () => {
  const t = tempDir('cairn-e2e-doctor-');
  let clinic: Clinic;
  let app: BridgedApp;

  beforeAll(async () => {
    clinic = await openClinic(t.dir);
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('an administrator runs the checks, sets a backup folder, and sees the backup check pass once a backup verifies', async () => {
    // A physician (signed in by openClinic) is not offered the screen.
    const { page, pageErrors } = await app.open();
    await page.getByRole('button', { name: 'Find patient' }).waitFor();
    await expect(page.getByTestId('nav-doctor').count()).resolves.toBe(0);

    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    await page.reload();
    await page.getByRole('button', { name: 'Health' }).click();
    await page.getByRole('heading', { name: 'Health checks', level: 1 }).waitFor();
    const backupRow = page.getByTestId('check-device.backup.latest');
    await backupRow.waitFor();
    await expect(backupRow.getAttribute('data-status')).resolves.toBe('fail');
    // Status in words beside the colour, and one sentence of what to do.
    await expect(backupRow.getByTestId('check-status').textContent()).resolves.toContain('Failed');
    await expect(backupRow.getByTestId('check-message').innerText()).resolves.toMatch(/^No backup of clinic\.cairn in .+: take one now/);
    const words = await page.getByTestId('check-status').allTextContents();
    expect(words.length).toBeGreaterThan(5);
    for (const w of words)
      expect(
        Object.values(CHECK_STATUS_LABELS).some((label) => w.includes(label)),
        w,
      ).toBe(true);
    await page
      .getByTestId('doctor-summary')
      .filter({ hasText: /\d checks? failed/ })
      .waitFor();
    await expectAccessible(page, 'doctor-page');

    // A folder that is not there is refused, under the field.
    const missing = join(t.dir, 'nas-not-mounted');
    await page.getByTestId('backup-folder').fill(missing);
    await page.getByTestId('backup-settings-save').click();
    await page.getByText(`the backup folder ${missing} does not exist: mount the network share`).first().waitFor();

    const share = join(t.dir, 'nas');
    mkdirSync(share, { mode: 0o700 });
    await page.getByTestId('backup-folder').fill(share);
    await page.getByTestId('backup-keep').fill('10');
    await page.getByTestId('backup-warn-hours').fill('30');
    await page.getByTestId('backup-settings-save').click();
    await page.getByTestId('backup-settings-saved').waitFor();
    const deviceDir = join(share, clinic.session.repos.store.deviceId);
    await page.getByTestId('backup-dir').filter({ hasText: deviceDir }).waitFor();
    expect(await clinic.ok('settings.backups')).toEqual({ folder: share, keep: 10, keepWeekly: 0, warnAfterHours: 30, dir: deviceDir });

    // The installer's scheduled job takes a backup; the next run of the checks passes it.
    const made = cairn(['backup', 'scheduled', '--db', clinic.session.dbFile], { CAIRN_PASSPHRASE: CLINIC.passphrase });
    expect(made.code, made.err).toBe(0);
    await page.getByTestId('doctor-run').click();
    await page.locator('[data-testid="check-device.backup.latest"][data-status="pass"]').waitFor();
    await expect(backupRow.getByTestId('check-status').textContent()).resolves.toContain('OK');
    await expect(backupRow.getByTestId('check-message').innerText()).resolves.toContain(`${deviceDir}/clinic.cairn-`);
    await expectAccessible(page, 'doctor-page-backup-ok');
    expect(pageErrors).toEqual([]);
  });
});
