import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers, type Handlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { resourcesDir, tempDir } from '../helpers/temp-db';

describe('session and dispatcher over a real database', () => {
  const t = tempDir();
  let now = new Date('2026-11-25T09:00:00Z');
  const session = new Session({ dbFile: join(t.dir, 's.cairn'), resourcesDir, now: () => now });
  let h: Handlers;
  const call = (c: string, i: unknown = {}): ReturnType<typeof dispatch> => dispatch(h, c, i);
  beforeAll(() => {
    h = createHandlers({ session });
  });
  afterAll(() => {
    session.close();
    t.cleanup();
  });

  it('walks uninitialized → signed in → locked → unlocked → signed in', async () => {
    expect(await call('session.status')).toMatchObject({ ok: true, value: { state: 'uninitialized' } });
    expect(await call('patients.search', { query: 'a' })).toMatchObject({ ok: false, error: { code: 'not_initialized' } });
    const weak = await call('session.setup', { clinicName: 'C', passphrase: 'short', adminUsername: 'ad', adminDisplayName: 'Ad', adminPassword: 'x' });
    expect(weak).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(weak.ok ? [] : weak.error.issues?.map((i) => i.path)).toEqual(['passphrase', 'adminPassword']);
    const setup = await call('session.setup', {
      clinicName: 'Creek Clinic',
      passphrase: 'a clinic passphrase',
      adminUsername: 'admin',
      adminDisplayName: 'Ada Admin',
      adminPassword: 'amber kestrel 41',
    });
    expect(setup).toMatchObject({ ok: true, value: { state: 'signedIn', clinicName: 'Creek Clinic', user: { username: 'admin', role: 'admin' } } });
    expect(await call('session.lock')).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await call('patients.search', { query: 'a' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await call('session.unlock', { passphrase: 'not it at all' })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
    expect(await call('session.unlock', { passphrase: 'a clinic passphrase' })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await call('patients.search', { query: 'a' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await call('session.login', { username: 'admin', password: 'amber kestrel 41' })).toMatchObject({ ok: true, value: { state: 'signedIn' } });
  });

  it('rejects unknown channels and unexpected fields', async () => {
    expect(await call('patients.delete', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const r = await call('patients.get', { id: 'not-a-uuid', extra: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('locks an account after repeated failures, with a growing wait, and audits the attempts', async () => {
    await call('session.logout');
    for (let i = 0; i < 5; i++) {
      expect(await call('session.login', { username: 'admin', password: 'wrong password!' })).toMatchObject({
        ok: false,
        error: { code: 'bad_credentials', message: 'user name or password is not right' },
      });
    }
    const locked = await call('session.login', { username: 'admin', password: 'amber kestrel 41' });
    expect(locked).toMatchObject({ ok: false, error: { message: 'too many failed sign-ins: try again in 30 seconds' } });
    now = new Date(now.getTime() + 31_000);
    expect(await call('session.login', { username: 'admin', password: 'amber kestrel 41' })).toMatchObject({ ok: true });
    const actions = session.repos.audit.list().map((e) => e.action);
    expect(actions.filter((a) => a === 'session.login_failed')).toHaveLength(5);
    expect(actions).toContain('session.login_locked');
  });

  it('registers through the channel and maps invalid fields back by path', async () => {
    const bad = await call('patients.create', { givenName: 'A', familyName: 'B', birthDate: '1980-02-31' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'birthDate' }] } });
    const good = await call('patients.create', { givenName: 'Ana', familyName: 'Lima', birthDate: '1980-02-29' });
    expect(good.ok).toBe(true);
    const id = good.ok ? (good.value as { id: string }).id : '';
    expect(await call('patients.chartHeader', { id })).toMatchObject({ ok: true, value: { patient: { id }, allergyStatus: { kind: 'unknown' } } });
  });

  it('signs an idle user out after the clinic limit, says why, and audits it', async () => {
    expect(await call('patients.search', { query: 'lima' })).toMatchObject({ ok: true });
    now = new Date(now.getTime() + 9 * 60_000);
    expect(await call('patients.search', { query: 'lima' })).toMatchObject({ ok: true }); // activity resets the clock
    now = new Date(now.getTime() + 10 * 60_000 + 1000);
    expect(await call('patients.search', { query: 'lima' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: 'signed out after 10 minutes without activity: sign in again' },
    });
    expect(await call('session.status')).toMatchObject({ ok: true, value: { state: 'unlocked', autoLocked: true } });
    expect(session.repos.audit.list().at(-1)).toMatchObject({ action: 'session.auto_lock' });
    // Only an administrator changes the limit.
    await call('session.login', { username: 'admin', password: 'amber kestrel 41' });
    expect(await call('settings.autoLock', { minutes: 2 })).toMatchObject({ ok: true, value: { minutes: 2 } });
    expect(await call('settings.autoLock', { minutes: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    now = new Date(now.getTime() + 2 * 60_000 + 1000);
    expect(await call('session.status')).toMatchObject({ ok: true, value: { state: 'unlocked', autoLocked: true, autoLockMinutes: 2 } });
  });

  it("the navigation's own polls (the document inbox count) do not keep an unattended session open", async () => {
    await call('session.login', { username: 'admin', password: 'amber kestrel 41' });
    expect(await call('users.create', { username: 'desk', displayName: 'Desk', role: 'front_desk', password: 'copper meadow lantern nine' })).toMatchObject({
      ok: true,
    });
    await call('session.logout');
    expect(await call('session.login', { username: 'desk', password: 'copper meadow lantern nine' })).toMatchObject({ ok: true });
    expect(await call('documents.inboxCount')).toMatchObject({ ok: true, value: { waiting: 0, newestAt: null } });
    // Every 10 seconds for the 2-minute limit and a little more: nobody touched the screen, so the session ends.
    for (let s = 10; s <= 120; s += 10) {
      now = new Date(now.getTime() + 10_000);
      expect(await call('documents.inboxCount')).toMatchObject({ ok: true });
    }
    now = new Date(now.getTime() + 10_000);
    expect(await call('documents.inboxCount')).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated', message: 'signed out after 2 minutes without activity: sign in again' },
    });
  });
});
