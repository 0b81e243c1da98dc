import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/api/channels';
import { mayCall, PERMISSIONS } from '../../shared/api/permissions';
import type { Role } from '../../shared/domain/user';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const ROLES: Role[] = ['physician', 'nurse', 'front_desk', 'billing', 'admin'];
const PASSWORD = 'role matrix pass 1';

describe('the permission matrix, enforced by the dispatcher', () => {
  const t = tempDir('cairn-perm-');
  const session = new Session({ dbFile: join(t.dir, 'p.cairn'), resourcesDir });
  const handlers = createHandlers({ session });
  const call = (c: string, i: unknown = {}): ReturnType<typeof dispatch> => dispatch(handlers, c, i);

  beforeAll(async () => {
    expect(
      (
        await call('session.setup', {
          clinicName: 'Matrix',
          passphrase: 'matrix passphrase',
          adminUsername: 'root-admin',
          adminDisplayName: 'Root',
          adminPassword: PASSWORD,
        })
      ).ok,
    ).toBe(true);
    for (const role of ROLES) expect((await call('users.create', { username: `u-${role}`, displayName: role, role, password: PASSWORD })).ok).toBe(true);
    await call('session.logout');
  });
  afterAll(() => {
    session.close();
    t.cleanup();
  });

  it('refuses every protected channel before sign-in', async () => {
    for (const channel of CHANNELS.filter((c) => PERMISSIONS[c] !== 'public')) {
      expect(await call(channel), channel).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
  });

  it.each(ROLES)('%s: every channel allowed or refused exactly as the matrix says', async (role) => {
    expect((await call('session.login', { username: `u-${role}`, password: PASSWORD })).ok).toBe(true);
    const wrong: string[] = [];
    for (const channel of CHANNELS.filter((c) => PERMISSIONS[c] !== 'public')) {
      // An empty input: an allowed role gets past the guard (then usually invalid_input); a refused one gets forbidden.
      const r = await call(channel);
      const refused = !r.ok && r.error.code === 'forbidden';
      if (refused === mayCall(role, channel)) wrong.push(`${channel}: ${refused ? 'refused' : 'allowed'}`);
    }
    await call('session.logout');
    expect(wrong).toEqual([]);
  });

  it('keeps the rules a clinic expects', () => {
    expect(mayCall('front_desk', 'notes.list')).toBe(false);
    expect(mayCall('front_desk', 'vitals.trends')).toBe(false);
    expect(mayCall('front_desk', 'patients.create')).toBe(true);
    expect(mayCall('billing', 'problems.list')).toBe(true);
    expect(mayCall('billing', 'notes.list')).toBe(false);
    expect(mayCall('nurse', 'notes.sign')).toBe(false);
    expect(mayCall('physician', 'notes.sign')).toBe(true);
    expect(mayCall('nurse', 'meds.prescribe')).toBe(false);
    expect(mayCall('physician', 'users.create')).toBe(false);
    expect(mayCall('admin', 'users.create')).toBe(true);
    // Billing: billers work claims, remittances and accounts (still no note text); the front desk
    // edits coverage and takes payments but does not work claims; physicians confirm charges.
    expect(mayCall('billing', 'billing.claims')).toBe(true);
    expect(mayCall('billing', 'billing.import')).toBe(true);
    expect(mayCall('billing', 'billing.account')).toBe(true);
    expect(mayCall('billing', 'notes.saveDraft')).toBe(false);
    expect(mayCall('front_desk', 'billing.claims')).toBe(false);
    expect(mayCall('front_desk', 'billing.import')).toBe(false);
    expect(mayCall('front_desk', 'billing.addCoverage')).toBe(true);
    expect(mayCall('front_desk', 'billing.pay')).toBe(true);
    expect(mayCall('front_desk', 'billing.superbill')).toBe(false);
    expect(mayCall('physician', 'billing.superbill')).toBe(true);
    expect(mayCall('nurse', 'billing.superbill')).toBe(false);
    expect(mayCall('physician', 'billing.import')).toBe(false);
    expect(mayCall('admin', 'billing.setSettings')).toBe(true);
    expect(mayCall('billing', 'billing.setSettings')).toBe(false);
    // The portal desk: anyone who registers patients invites them; messages and what patients report
    // are for the care team and the front desk (never billing); chart notes from threads and
    // confidential marks are clinicians'. The front desk reviews demographics and insurance only
    // (a clinical item is refused by the handler: test/integration/portal-desk/intake.test.ts).
    expect(mayCall('front_desk', 'portal.invite')).toBe(true);
    expect(mayCall('admin', 'portal.invite')).toBe(true);
    expect(mayCall('billing', 'portal.invite')).toBe(false);
    expect(mayCall('billing', 'portal.inbox')).toBe(false);
    expect(mayCall('billing', 'portal.reported')).toBe(false);
    expect(mayCall('admin', 'portal.inbox')).toBe(false);
    expect(mayCall('front_desk', 'portal.reply')).toBe(true);
    expect(mayCall('front_desk', 'portal.accept')).toBe(true);
    expect(mayCall('front_desk', 'portal.toNote')).toBe(false);
    expect(mayCall('nurse', 'portal.toNote')).toBe(true);
    expect(mayCall('front_desk', 'portal.confidential')).toBe(false);
    expect(mayCall('nurse', 'portal.confidential')).toBe(true);
  });
});
