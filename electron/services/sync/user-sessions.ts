import type Database from 'better-sqlite3';
import { z } from 'zod';
import { serverSignIn, TransportError, type FetchLike } from './transport';

/**
 * The sessions the clinic server gave this device's users when they signed in with it reachable.
 * Kept in the encrypted database (meta) so changes a user made stay pushable after they sign out,
 * until the session expires; the server accepts a change only from a user holding one.
 */
const KEY = 'sync.user_sessions';
const stored = z.record(z.string(), z.object({ token: z.string(), expiresAt: z.string() }));
type Stored = z.infer<typeof stored>;

function read(sqlite: Database.Database): Stored {
  const row = sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return {};
  try {
    const parsed = stored.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The live sessions this device holds: user id → token. */
export function userSessionTokens(sqlite: Database.Database, now = Date.now()): Record<string, string> {
  return Object.fromEntries(
    Object.entries(read(sqlite))
      .filter(([, s]) => Date.parse(s.expiresAt) > now)
      .map(([id, s]) => [id, s.token]),
  );
}

export function saveUserSession(sqlite: Database.Database, userId: string, s: { token: string; expiresAt: string }): void {
  sqlite.transaction(() => {
    const all = read(sqlite);
    all[userId] = s;
    sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(all));
  })();
}

export function forgetUserSession(sqlite: Database.Database, userId: string): void {
  sqlite.transaction(() => {
    const all = read(sqlite);
    delete all[userId];
    sqlite.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(all));
  })();
}

const USER_REFUSALS = new Set(['bad_credentials', 'account_locked', 'account_disabled', 'too_many_attempts']);

/** The clinic server this device is enrolled with and its credential, if it is enrolled. */
export function enrolledServer(sqlite: Database.Database): { serverUrl: string; token: string } | null {
  const get = (k: string): string | undefined => (sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(k) as { value: string } | undefined)?.value;
  const serverUrl = get('sync.server_url');
  const token = get('sync.device_token');
  return serverUrl && token ? { serverUrl, token } : null;
}

export type ServerVerdict =
  { status: 'ok'; userId: string; role: string } | { status: 'refused'; code: string; message: string } | { status: 'unreachable'; message: string };

/**
 * Asks the clinic server to check a user's password for this device. Right: the session is kept.
 * Refused (wrong password, locked, disabled): the server's word, shared by every device of the
 * clinic. Unreachable: the caller signs in offline against the device's own copy.
 */
export async function signInWithServer(
  sqlite: Database.Database,
  server: { serverUrl: string; token: string },
  username: string,
  password: string,
  fetchImpl?: FetchLike,
): Promise<ServerVerdict> {
  try {
    const s = await serverSignIn(server.serverUrl, server.token, { username, password }, fetchImpl);
    saveUserSession(sqlite, s.userId, { token: s.token, expiresAt: s.expiresAt });
    return { status: 'ok', userId: s.userId, role: s.role };
  } catch (e) {
    // Only the server's word about the user refuses a sign-in; a device it no longer knows (revoked,
    // expired) or a server it cannot answer for signs in offline, as without a server.
    if (e instanceof TransportError && USER_REFUSALS.has(e.code)) return { status: 'refused', code: e.code, message: e.message };
    if (e instanceof TransportError) return { status: 'unreachable', message: e.message };
    return { status: 'unreachable', message: e instanceof Error ? e.message : String(e) };
  }
}
