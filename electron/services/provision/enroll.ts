import { createHash } from 'node:crypto';
import type { Clocks, Fields } from '../../../shared/sync/entities';
import type { ProvisioningFile } from '../../../shared/domain/provisioning';
import type { Repos } from '../repos';
import { SyncClient } from '../sync/sync.client';
import { enrollDevice, type FetchLike } from '../sync/transport';
import { enrolledServer } from '../sync/user-sessions';
import { DEVICE_KEYS } from './device-settings';

const PUT = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';

/** The code as the server compares it (upper case, letters and digits), hashed: what the device keeps. */
export const codeHash = (code: string): string =>
  createHash('sha256')
    .update(code.toUpperCase().replace(/[^0-9A-Z]/g, ''))
    .digest('hex');

export interface Enrolled {
  deviceId: string;
  token: string;
  mrnBlock: number;
  operator: boolean;
  /** The users sent at enrollment, as sent (the device records them as known to the server). */
  users: { fields: Fields; clocks: Clocks }[];
}

/** Thrown to roll the probe's transaction back. */
class Rollback extends Error {}

/**
 * The device's users as enrollment sends them, read in a transaction that is then rolled back:
 * SyncClient.usersForEnrollment also records them as sent, which must happen only once the
 * server has accepted them (persistProvisioning does it, in the one transaction).
 */
function usersToSend(repos: Repos): { fields: Fields; clocks: Clocks }[] {
  const { sqlite, deviceId } = repos.store;
  const probe = new SyncClient(sqlite, deviceId, repos.rowAccess, repos.clock, {
    push: () => Promise.reject(new Error('unused')),
    pull: () => Promise.reject(new Error('unused')),
  });
  let users: { fields: Fields; clocks: Clocks }[] = [];
  try {
    sqlite.transaction(() => {
      users = probe.usersForEnrollment();
      throw new Rollback();
    })();
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  return users;
}

/** Exchanges the code for the device's credential; nothing is written on the device. */
export async function enrollInMemory(repos: Repos, p: { serverUrl: string; code: string; deviceName: string; fetchImpl: FetchLike }): Promise<Enrolled> {
  const users = usersToSend(repos);
  const out = await enrollDevice(p.serverUrl, { code: p.code, deviceId: repos.store.deviceId, deviceName: p.deviceName, users }, p.fetchImpl);
  return { deviceId: out.deviceId, token: out.token, mrnBlock: out.mrnBlock, operator: out.operator, users };
}

/**
 * Everything provisioning changes on the device, in one transaction: the sync credential (as
 * `cairn enroll` keeps it), the pinned certificate, the device settings, the record of the code's
 * use and an audit entry. Either the device is enrolled and configured, or nothing changed.
 */
export function persistProvisioning(
  repos: Repos,
  e: Enrolled,
  p: { file: string; settings: ProvisioningFile; code: string; deviceName: string; certificatePem: string; at: Date },
): void {
  const { sqlite } = repos.store;
  const put = sqlite.prepare(PUT);
  const del = sqlite.prepare('DELETE FROM meta WHERE key = ?');
  const remember = sqlite.prepare('INSERT OR IGNORE INTO sync_state (entity, entity_id, data, clocks) VALUES (?, ?, ?, ?)');
  const s = p.settings;
  sqlite.transaction(() => {
    if (enrolledServer(sqlite)) throw new Error('this device was enrolled by something else while provisioning ran');
    put.run('sync.server_url', s.serverUrl);
    put.run('sync.device_token', e.token);
    put.run('sync.device_name', p.deviceName);
    put.run('mrn_block', String(e.mrnBlock));
    put.run('sync.operator', e.operator ? '1' : '0');
    put.run(DEVICE_KEYS.serverCertificate, p.certificatePem);
    put.run(DEVICE_KEYS.serverFingerprint, s.serverCertificateSha256);
    // As SyncClient.usersForEnrollment records them: what the server now holds of each account.
    for (const u of e.users) {
      remember.run('user', String(u.fields['id']), JSON.stringify(u.fields), JSON.stringify(u.clocks));
      for (const c of new Set(Object.values(u.clocks))) repos.clock.receive(c);
    }
    if (s.clinicName && !sqlite.prepare(`SELECT 1 FROM meta WHERE key = 'clinic_name'`).get()) put.run('clinic_name', s.clinicName);
    put.run(DEVICE_KEYS.updateChannel, s.updateChannel);
    if (s.backupDir) put.run(DEVICE_KEYS.backupDir, s.backupDir);
    else del.run(DEVICE_KEYS.backupDir);
    if (s.allowedRoles) put.run(DEVICE_KEYS.allowedRoles, JSON.stringify(s.allowedRoles));
    else del.run(DEVICE_KEYS.allowedRoles);
    put.run(DEVICE_KEYS.provisioned, JSON.stringify({ file: p.file, codeSha256: codeHash(p.code), at: p.at.toISOString(), serverUrl: s.serverUrl }));
    repos.audit.append(
      {
        action: 'device.provisioned',
        userId: null,
        detail: `enrolled with ${s.serverUrl}; update channel ${s.updateChannel}; roles ${s.allowedRoles?.join(',') ?? 'all'}`,
      },
      p.at.toISOString(),
    );
  })();
}

/** Whether this device already used this code (kept even when the file could not be rewritten). */
export function usedCodeHere(repos: Repos, code: string): boolean {
  const row = repos.store.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(DEVICE_KEYS.provisioned) as { value: string } | undefined;
  if (!row) return false;
  try {
    return (JSON.parse(row.value) as { codeSha256?: string }).codeSha256 === codeHash(code);
  } catch {
    return false;
  }
}
