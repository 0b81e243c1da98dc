import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { cairn } from '../helpers/cli';
import { resourcesDir, tempDir } from '../helpers/temp-db';

describe('the password policy where passwords are set', () => {
  const t = tempDir('cairn-pwpolicy-');
  afterAll(() => t.cleanup());

  it('refuses a breached first-administrator password before any database exists, then a name-built one for a new user or a reset', async () => {
    const dbFile = join(t.dir, 'clinic.cairn');
    const session = new Session({ dbFile, resourcesDir });
    const call = (c: string, i: unknown): ReturnType<typeof dispatch> => dispatch(createHandlers({ session }), c, i);
    const setup = { clinicName: 'Creek Valley Clinic', passphrase: 'a long clinic passphrase', adminUsername: 'ada', adminDisplayName: 'Ada Lovelace' };

    const breached = await call('session.setup', { ...setup, adminPassword: 'Summer2026!!!' });
    expect(breached).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: 'adminPassword', message: expect.stringMatching(/^password is on a list of breached or common passwords/) as unknown }],
      },
    });
    // Nothing was created: the set-up can simply be done again.
    expect(existsSync(dbFile)).toBe(false);
    expect(await call('session.setup', { ...setup, adminPassword: 'Passwordpassword' })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'adminPassword' }] },
    });
    expect(await call('session.setup', { ...setup, adminPassword: 'violet anchor marble kettle' })).toMatchObject({ ok: true });

    // The clinic's name is not in the users.create input: the backend knows it and refuses.
    const clinicName = await call('users.create', { username: 'mgray', displayName: 'Meredith Gray', role: 'physician', password: 'CreekValley#2026' });
    expect(clinicName).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: 'password', message: expect.stringMatching(/^password is built from the clinic's name \(".*creek/) as unknown }],
      },
    });
    expect(await call('users.create', { username: 'mgray', displayName: 'Meredith Gray', role: 'physician', password: 'Welcome12345!' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(
      await call('users.create', { username: 'mgray', displayName: 'Meredith Gray', role: 'physician', password: 'otters juggle quietly at noon' }),
    ).toMatchObject({ ok: true });
    // A reset knows the person's name from the account.
    expect(await call('users.resetPassword', { username: 'mgray', password: 'Meredith.1980!' })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'password', message: expect.stringMatching(/person's name/) as unknown }] },
    });
    expect(await call('users.resetPassword', { username: 'mgray', password: 'copper lantern breeze' })).toMatchObject({ ok: true });
    session.close();

    // `cairn users add` says why on one line and exits non-zero.
    const r = cairn(['users', 'add', '--db', dbFile, '--username', 'nina', '--name', 'Nina Nurse', '--role', 'nurse'], {
      CAIRN_PASSPHRASE: 'a long clinic passphrase',
      CAIRN_USER_PASSWORD: 'P@ssw0rd2026!',
    });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toMatch(/^cairn: password is on a list of breached or common passwords \(as "p@ssw0rd"/);
  });
});
