import { join } from 'node:path';
import { expect } from 'vitest';
import type { Result } from '../../shared/api/result';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers, type Handlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { resourcesDir } from './temp-db';

export const CLINIC = {
  passphrase: 'test clinic passphrase',
  admin: { username: 'admin', password: 'amber kestrel 41' },
  doc: { username: 'drhouse', password: 'physician pass 1' },
};

export interface Clinic {
  session: Session;
  handlers: Handlers;
  /** Calls a channel through the real dispatcher; fails the test with the error when it is not ok. */
  ok: <T = unknown>(channel: string, input?: unknown) => Promise<T>;
  call: (channel: string, input?: unknown) => Promise<Result<unknown>>;
}

/** A real encrypted clinic database with an admin and a physician, signed in as the physician. */
export async function openClinic(dir: string, now?: () => Date): Promise<Clinic> {
  const session = new Session({ dbFile: join(dir, 'clinic.cairn'), resourcesDir, ...(now && { now }) });
  const handlers = createHandlers({ session, ...(now && { now }) });
  const call = (c: string, i: unknown = {}): Promise<Result<unknown>> => dispatch(handlers, c, i);
  const ok = async <T>(c: string, i: unknown = {}): Promise<T> => {
    const r = await call(c, i);
    if (!r.ok) expect.fail(`${c} failed: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  await ok('session.setup', {
    clinicName: 'Test Clinic',
    passphrase: CLINIC.passphrase,
    adminUsername: CLINIC.admin.username,
    adminDisplayName: 'Ada Admin',
    adminPassword: CLINIC.admin.password,
  });
  await ok('users.create', { username: CLINIC.doc.username, displayName: 'Dr. Gregory House', role: 'physician', password: CLINIC.doc.password });
  await ok('session.logout');
  await ok('session.login', { username: CLINIC.doc.username, password: CLINIC.doc.password });
  return { session, handlers, ok, call };
}
