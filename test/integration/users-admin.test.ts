import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/result';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const code = (r: Result<unknown>): string => (r.ok ? 'ok' : r.error.code);

describe('disabling users and resetting passwords through the channels', () => {
  const t = tempDir('cairn-users-');
  let c: Clinic;
  const now = new Date('2026-11-25T09:00:00Z');
  const asAdmin = async (): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
  };

  beforeAll(async () => {
    c = await openClinic(t.dir, () => now);
    await asAdmin();
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('a disabled user cannot sign in (and is told so only with the right password); enabling lets them back', async () => {
    expect(await c.ok('users.disable', { username: CLINIC.doc.username })).toMatchObject({ username: CLINIC.doc.username, role: 'physician', disabled: true });
    expect(await c.ok('users.list')).toEqual(expect.arrayContaining([expect.objectContaining({ username: CLINIC.doc.username, disabled: true })]));
    await c.ok('session.logout');
    expect(await c.call('session.login', CLINIC.doc)).toMatchObject({
      ok: false,
      error: { code: 'account_disabled', message: 'this account is disabled: ask an administrator to enable it' },
    });
    expect(await c.call('session.login', { username: CLINIC.doc.username, password: 'a wrong guess!' })).toMatchObject({
      ok: false,
      error: { code: 'bad_credentials', message: 'user name or password is not right' },
    });
    await c.ok('session.login', CLINIC.admin);
    expect(await c.ok('users.enable', { username: CLINIC.doc.username })).toMatchObject({ disabled: false });
    await c.ok('session.logout');
    expect(code(await c.call('session.login', CLINIC.doc))).toBe('ok');
    const actions = c.session.repos.audit.list().map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disable', 'user.enable']));
    await asAdmin();
  });

  it('ends the open session of a user who is disabled, or whose password is reset, on its next call', async () => {
    const other = new Session({ dbFile: join(t.dir, 'clinic.cairn'), resourcesDir, now: () => now });
    const h = createHandlers({ session: other });
    const call = (ch: string, i: unknown = {}): ReturnType<typeof dispatch> => dispatch(h, ch, i);
    try {
      await call('session.unlock', { passphrase: CLINIC.passphrase });
      expect(code(await call('session.login', CLINIC.doc))).toBe('ok');
      expect(code(await call('patients.search', { query: 'x' }))).toBe('ok');
      await c.ok('users.disable', { username: CLINIC.doc.username });
      expect(await call('patients.search', { query: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated', message: 'your account was disabled by an administrator: you were signed out' },
      });
      expect(await call('session.status')).toMatchObject({ ok: true, value: { state: 'unlocked', user: null } });
      await c.ok('users.enable', { username: CLINIC.doc.username });

      expect(code(await call('session.login', CLINIC.doc))).toBe('ok');
      await c.ok('users.resetPassword', { username: CLINIC.doc.username, password: 'a fresh password 2' });
      expect(await call('patients.search', { query: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'unauthenticated', message: 'your password was reset: sign in with the new password' },
      });
      expect(
        c.session.repos.audit
          .list()
          .filter((e) => e.action === 'session.revoked')
          .map((e) => e.detail),
      ).toEqual(['account disabled', 'password reset']);
    } finally {
      other.close();
    }
  });

  it('resets a password: the old one stops working, the new one works, and the lockout is cleared', async () => {
    await c.ok('session.logout');
    for (let i = 0; i < 6; i++) await c.call('session.login', { username: CLINIC.doc.username, password: 'wrong password!' });
    expect(await c.call('session.login', { username: CLINIC.doc.username, password: 'a fresh password 2' })).toMatchObject({
      ok: false,
      error: { message: /too many failed sign-ins/ },
    });
    await c.ok('session.login', CLINIC.admin);
    // The password policy applies.
    expect(await c.call('users.resetPassword', { username: CLINIC.doc.username, password: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'password' }] },
    });
    expect(await c.call('users.resetPassword', { username: CLINIC.doc.username, password: 'password123' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'password', message: /too common/ }] },
    });
    expect(await c.call('users.resetPassword', { username: 'nobody', password: 'a good new password' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'no user named "nobody"' },
    });
    expect(await c.ok('users.resetPassword', { username: CLINIC.doc.username, password: 'the third password' })).toMatchObject({
      username: CLINIC.doc.username,
    });
    expect(c.session.repos.audit.list().at(-1)).toMatchObject({ action: 'user.password_reset', detail: `${CLINIC.doc.username}; lockout cleared` });
    await c.ok('session.logout');
    expect(code(await c.call('session.login', { username: CLINIC.doc.username, password: 'a fresh password 2' }))).toBe('bad_credentials');
    expect(code(await c.call('session.login', { username: CLINIC.doc.username, password: 'the third password' }))).toBe('ok');
    await asAdmin();
    // Resetting one's own password keeps one's own session.
    await c.ok('users.resetPassword', { username: CLINIC.admin.username, password: 'amber kestrel 42' });
    expect(code(await c.call('users.list'))).toBe('ok');
    await c.ok('users.resetPassword', { username: CLINIC.admin.username, password: CLINIC.admin.password });
  });

  it('protects the last active administrator and refuses disabling oneself; only administrators may do any of it', async () => {
    expect(await c.call('users.disable', { username: CLINIC.admin.username })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'you cannot disable your own account: ask another administrator' },
    });
    await c.ok('users.create', { username: 'second-admin', displayName: 'Second Admin', role: 'admin', password: 'maple orbit 29' });
    await c.ok('session.logout');
    await c.ok('session.login', { username: 'second-admin', password: 'maple orbit 29' });
    expect(code(await c.call('users.disable', { username: CLINIC.admin.username }))).toBe('ok');
    // Now the second administrator is the last one: it cannot be disabled, even from the command line's operator.
    const other = new Session({ dbFile: join(t.dir, 'clinic.cairn'), resourcesDir });
    try {
      await other.unlock(CLINIC.passphrase);
      other.actAsOperator('cli:test');
      expect(await dispatch(createHandlers({ session: other }), 'users.disable', { username: 'second-admin' })).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: 'second-admin is the last active administrator: enable or add another administrator first' },
      });
    } finally {
      other.close();
    }
    await c.ok('users.enable', { username: CLINIC.admin.username });
    await c.ok('session.logout');
    await c.ok('session.login', { username: CLINIC.doc.username, password: 'the third password' });
    for (const ch of ['users.disable', 'users.enable', 'users.resetPassword']) {
      expect(code(await c.call(ch, { username: 'second-admin', password: 'whatever password' })), ch).toBe('forbidden');
    }
  });
});

describe('cairn users disable | enable | reset-password (the CLI as a child process)', () => {
  const t = tempDir('cairn-users-cli-');
  const db = join(t.dir, 'clinic.cairn');
  const env = { ...process.env, CAIRN_PASSPHRASE: 'cli users passphrase', CAIRN_ADMIN_PASSWORD: 'cli admin password' };
  const cairn = (args: string[], extra: Record<string, string> = {}): { code: number; out: string; err: string } => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), ...args], {
      env: { ...env, ...extra },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
  /** Signs in through the real dispatcher in this process, as the desktop app would. */
  const login = async (username: string, password: string): Promise<Result<unknown>> => {
    const s = new Session({ dbFile: db, resourcesDir });
    try {
      const h = createHandlers({ session: s });
      await dispatch(h, 'session.unlock', { passphrase: env.CAIRN_PASSPHRASE });
      return await dispatch(h, 'session.login', { username, password });
    } finally {
      s.close();
    }
  };

  beforeAll(() => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    expect(
      cairn(['users', 'add', '--db', db, '--username', 'drgray', '--name', 'Dr. Gray', '--role', 'physician'], { CAIRN_USER_PASSWORD: 'physician pass 1' })
        .code,
    ).toBe(0);
  });
  afterAll(() => t.cleanup());

  it('disables and enables with one line and exit 0', async () => {
    const off = cairn(['users', 'disable', '--db', db, '--username', 'drgray']);
    expect(off).toEqual({ code: 0, out: 'drgray disabled: cannot sign in\n', err: '' });
    expect(await login('drgray', 'physician pass 1')).toMatchObject({ ok: false, error: { code: 'account_disabled' } });
    const on = cairn(['users', 'enable', '--db', db, '--username', 'drgray']);
    expect(on).toEqual({ code: 0, out: 'drgray enabled: can sign in again\n', err: '' });
    expect(code(await login('drgray', 'physician pass 1'))).toBe('ok');
  });

  it('resets a password from CAIRN_NEW_PASSWORD: the new one works, the old one does not', async () => {
    const r = cairn(['users', 'reset-password', '--db', db, '--username', 'drgray'], { CAIRN_NEW_PASSWORD: 'brand new pass 42' });
    expect(r).toEqual({ code: 0, out: 'password of drgray reset (any lockout cleared); their open sessions end on their next action\n', err: '' });
    expect(code(await login('drgray', 'physician pass 1'))).toBe('bad_credentials');
    expect(code(await login('drgray', 'brand new pass 42'))).toBe('ok');
    const audit = JSON.parse(cairn(['audit', 'export', '--db', db]).out) as { action: string; userId: string }[];
    expect(audit.find((e) => e.action === 'user.password_reset')?.userId).toMatch(/^cli:/);
  });

  it('refuses with one line on stderr and a non-zero exit', () => {
    const cases: [string[], Record<string, string>, number, string][] = [
      [
        ['users', 'disable', '--db', db, '--username', 'alice'],
        {},
        1,
        'cairn: alice is the last active administrator: enable or add another administrator first',
      ],
      [['users', 'disable', '--db', db, '--username', 'nobody'], {}, 1, 'cairn: no user named "nobody"'],
      [['users', 'reset-password', '--db', db, '--username', 'nobody'], { CAIRN_NEW_PASSWORD: 'brand new pass 43' }, 1, 'cairn: no user named "nobody"'],
      [
        ['users', 'reset-password', '--db', db, '--username', 'drgray'],
        { CAIRN_NEW_PASSWORD: 'short' },
        1,
        'cairn: password: password must be at least 12 characters',
      ],
      [
        ['users', 'reset-password', '--db', db, '--username', 'drgray'],
        { CAIRN_NEW_PASSWORD: 'Summer2026!!!' },
        1,
        'cairn: password is on a list of breached or common passwords (as "summer"',
      ],
      [
        ['users', 'reset-password', '--db', db, '--username', 'drgray'],
        { CAIRN_NEW_PASSWORD: '' },
        1,
        'cairn: new password for drgray required: set CAIRN_NEW_PASSWORD or run on a terminal to be asked',
      ],
      [['users', 'disable', '--db', db, '--username', 'drgray'], { CAIRN_PASSPHRASE: 'the wrong passphrase' }, 1, 'cairn: wrong passphrase'],
      [['users', 'disable', '--db', db], {}, 2, 'cairn: missing --username (see cairn --help)'],
      [['users', 'enable', '--username', 'drgray'], {}, 2, 'cairn: missing --db (see cairn --help)'],
      [['users', 'disable', '--db', db, '--username', 'drgray', '--force'], {}, 2, 'cairn: unknown option --force (see cairn --help)'],
      [['users', 'delete', '--db', db, '--username', 'drgray'], {}, 2, 'cairn: unknown command "users delete" (see cairn --help)'],
      [
        ['users', 'disable', '--db', join(t.dir, 'missing.cairn'), '--username', 'drgray'],
        {},
        1,
        `cairn: no such database file: ${join(t.dir, 'missing.cairn')}`,
      ],
    ];
    for (const [args, extra, exit, line] of cases) {
      const r = cairn(args, extra);
      expect(r.code, args.join(' ')).toBe(exit);
      expect(r.out, args.join(' ')).toBe('');
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err.trim(), args.join(' ')).toMatch(new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('keeps `cairn users add` working and lists the new commands in --help', () => {
    expect(
      JSON.parse(
        cairn(['users', 'add', '--db', db, '--username', 'nurse1', '--name', 'N. One', '--role', 'nurse'], { CAIRN_USER_PASSWORD: 'tulip river 17' }).out,
      ),
    ).toMatchObject({ username: 'nurse1', role: 'nurse' });
    const help = cairn(['--help']).out;
    for (const c of ['users disable', 'users enable', 'users reset-password', 'users add']) expect(help).toContain(`cairn ${c} --db FILE`);
  });
});
