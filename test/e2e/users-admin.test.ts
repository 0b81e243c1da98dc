import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgedApp, type BridgedApp } from '../helpers/browser';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const shots = resolve('test-results');

describe('the Users screen in Chromium', () => {
  const t = tempDir('cairn-e2e-users-');
  let clinic: Clinic;
  let app: BridgedApp;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    clinic = await openClinic(t.dir);
    await clinic.ok('session.logout');
    await clinic.ok('session.login', CLINIC.admin);
    app = await startBridgedApp(clinic.handlers);
  });
  afterAll(async () => {
    await app?.close();
    clinic?.session.close();
    t.cleanup();
  });

  it('an administrator disables a physician, enables them again and resets their password', async () => {
    const { page, pageErrors } = await app.open();
    await page.getByRole('button', { name: 'Users' }).click();
    // No Disable button on one's own row.
    await expect(page.getByTestId(`toggle-${CLINIC.admin.username}`).count()).resolves.toBe(0);
    await page.getByTestId(`toggle-${CLINIC.doc.username}`).click();
    const notice = (text: string): Promise<void> => page.getByTestId('users-notice').filter({ hasText: text }).waitFor();
    await notice(`${CLINIC.doc.username} is disabled and cannot sign in.`);
    await page.getByTestId('user-disabled').waitFor();
    await page.screenshot({ path: join(shots, '45-user-disabled.png'), fullPage: true });
    const listed = await clinic.ok<{ username: string; disabled: boolean }[]>('users.list');
    expect(listed.find((u) => u.username === CLINIC.doc.username)?.disabled).toBe(true);
    await page.getByTestId(`toggle-${CLINIC.doc.username}`).click();
    await notice(`${CLINIC.doc.username} can sign in again.`);

    await page.getByTestId(`reset-${CLINIC.doc.username}`).click();
    await page.getByTestId('reset-password-input').fill('short');
    await page.getByTestId('reset-password-submit').click();
    await page.getByText('password must be at least 12 characters').waitFor();
    // Refused by the backend's breached-password list: the reason shows under the field.
    await page.getByTestId('reset-password-input').fill('Summer2026!!!');
    await page.getByTestId('reset-password-submit').click();
    await page.getByText('password is on a list of breached or common passwords').first().waitFor();
    await page.getByTestId('reset-password-input').fill('a new password 77');
    await page.screenshot({ path: join(shots, '46-reset-password.png'), fullPage: true });
    await page.getByTestId('reset-password-submit').click();
    await notice(`Password of ${CLINIC.doc.username} reset`);
    expect(clinic.session.repos.audit.list().map((e) => e.action)).toEqual(expect.arrayContaining(['user.disable', 'user.enable', 'user.password_reset']));
    expect(pageErrors).toEqual([]);
  });
});
