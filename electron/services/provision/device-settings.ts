import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import { role as roleSchema, ROLE_LABELS, type Role, type User } from '../../../shared/domain/user';
import type { Repos } from '../repos';
import { forgetUserSession } from '../sync/user-sessions';
import type { BinaryFetch } from '../sync/document-transfer';
import type { FetchLike } from '../sync/transport';
import { pinnedBinaryFetch, pinnedFetch } from './tls-pin';

/**
 * This device's own settings, kept in the encrypted database's `meta` table (not synced: each
 * laptop has its own). Provisioning writes them; sign-in, the updater and the backup scheduler
 * read them.
 */
export const DEVICE_KEYS = {
  /** The clinic server's certificate as PEM (the one the provisioning file's fingerprint named). */
  serverCertificate: 'sync.server_certificate',
  serverFingerprint: 'sync.server_fingerprint',
  updateChannel: 'device.update_channel',
  backupDir: 'device.backup_dir',
  /** JSON array of roles that may sign in here; absent: every role. */
  allowedRoles: 'device.allowed_roles',
  /** JSON { file, codeSha256, at, serverUrl }: which provisioning code this device used. */
  provisioned: 'device.provisioned',
} as const;

export interface DeviceSettings {
  updateChannel: string | null;
  backupDir: string | null;
  allowedRoles: Role[] | null;
  serverFingerprint: string | null;
}

const get = (sqlite: Database.Database, key: string): string | undefined =>
  (sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

/** The roles allowed on this device, or null for all (also when the stored value cannot be read: never lock everyone out). */
export function allowedRoles(sqlite: Database.Database): Role[] | null {
  const raw = get(sqlite, DEVICE_KEYS.allowedRoles);
  if (!raw) return null;
  try {
    const list = (JSON.parse(raw) as unknown[]).map((r) => roleSchema.parse(r));
    return list.length > 0 ? list : null;
  } catch {
    return null;
  }
}

export function deviceSettings(sqlite: Database.Database): DeviceSettings {
  return {
    updateChannel: get(sqlite, DEVICE_KEYS.updateChannel) ?? null,
    backupDir: get(sqlite, DEVICE_KEYS.backupDir) ?? null,
    allowedRoles: allowedRoles(sqlite),
    serverFingerprint: get(sqlite, DEVICE_KEYS.serverFingerprint) ?? null,
  };
}

const PEOPLE: Readonly<Record<Role, string>> = {
  physician: 'physicians',
  nurse: 'nurses',
  front_desk: 'front desk staff',
  billing: 'billing staff',
  admin: 'administrators',
};
const listed = (roles: Role[]): string => {
  const names = roles.map((r) => PEOPLE[r]);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
};

/**
 * The sign-in hook: refuses a user whose role this device is not set up for (provisioning's
 * allowedRoles), after their password was checked, so the refusal tells a stranger nothing. The
 * session the clinic server just gave them on this device is dropped, and the refusal audited.
 */
export function refuseRoleNotAllowedHere(repos: Repos, user: User, now: Date): void {
  const allowed = allowedRoles(repos.store.sqlite);
  if (!allowed || allowed.includes(user.role)) return;
  const sqlite = repos.store.sqlite;
  sqlite.transaction(() => {
    forgetUserSession(sqlite, user.id);
    repos.audit.append({ action: 'session.login_refused', userId: user.id, detail: `role ${user.role} not allowed on this device` }, now.toISOString());
  })();
  throw new CairnFailure(
    'forbidden',
    `Your account (${ROLE_LABELS[user.role]}) cannot sign in on this computer: it is set up for ${listed(allowed)} only. Use another computer, or ask the clinic administrator.`,
  );
}

/**
 * How this device reaches its clinic server once provisioned: pinned to the certificate it was
 * provisioned with. Null for a device enrolled another way (it uses the system's trust or --ca).
 */
export function pinnedServerFetch(sqlite: Database.Database): FetchLike | null {
  const pem = get(sqlite, DEVICE_KEYS.serverCertificate);
  const fingerprint = get(sqlite, DEVICE_KEYS.serverFingerprint);
  return pem && fingerprint ? pinnedFetch(pem, fingerprint) : null;
}

/** pinnedServerFetch for a document's bytes. */
export function pinnedServerBinaryFetch(sqlite: Database.Database): BinaryFetch | null {
  const pem = get(sqlite, DEVICE_KEYS.serverCertificate);
  const fingerprint = get(sqlite, DEVICE_KEYS.serverFingerprint);
  return pem && fingerprint ? pinnedBinaryFetch(pem, fingerprint) : null;
}
