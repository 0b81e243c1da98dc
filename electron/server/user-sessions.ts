import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../common/password';
import type { ServerDb, Sql } from './db/open';
import { ServerError } from './server-error';

/**
 * Who may write through a device is decided here, from what the server itself knows: a user's
 * session exists only after the server checked that user's password (against its own copy of the
 * hash) for that device. Nothing a device says about a user is believed on its own.
 */

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** How long a device may keep writing for a user who signed in there (offline days included). */
export const USER_SESSION_DAYS = 30;
/** Failures in a row before the account waits; the wait doubles from 30 s up to an hour (as on devices). */
const LOCK_AFTER = 5;
export function serverLockoutSeconds(failures: number): number {
  return failures < LOCK_AFTER ? 0 : Math.min(30 * 2 ** (failures - LOCK_AFTER), 3600);
}

export interface VerifiedUser {
  id: string;
  role: string;
}

interface UserRow {
  id: string;
  username: string;
  role: string;
  passwordHash: string;
  disabled: boolean;
  deleted: boolean;
}

const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

/** A fixed-window counter per key, per server process: a cheap first wall before any scrypt runs. */
export class RateLimiter {
  private readonly hits = new Map<string, { start: number; n: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts one attempt; false when the key is over its limit in this window. */
  take(key: string): boolean {
    const t = this.now();
    const h = this.hits.get(key);
    if (!h || t - h.start >= this.windowMs) {
      if (this.hits.size > 10_000) this.hits.clear();
      this.hits.set(key, { start: t, n: 1 });
      return true;
    }
    h.n++;
    return h.n <= this.max;
  }
}

export class UserSessions {
  private readonly perAccount: RateLimiter;
  private readonly perDevice: RateLimiter;

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number,
  ) {
    this.perAccount = new RateLimiter(10, 60_000, now);
    this.perDevice = new RateLimiter(30, 60_000, now);
  }

  private async userByName(q: Sql, username: string): Promise<UserRow | null> {
    const [r] = await q.query<{ entity_id: string; data: Record<string, unknown> }>(
      "SELECT entity_id, data FROM sync_rows WHERE entity = 'user' AND data->>'username' = $1 LIMIT 1",
      [username],
    );
    if (!r) return null;
    const d = r.data;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    return {
      id: r.entity_id,
      username,
      role: text(d['role']),
      passwordHash: text(d['password_hash']),
      disabled: truthy(d['disabled']),
      deleted: d['deleted_at'] !== null && d['deleted_at'] !== undefined,
    };
  }

  /**
   * Counts this attempt as a failure before the password is checked, in one locked update, so
   * parallel guesses cannot all pass under the limit; a right password clears the count.
   * Returns the wait in seconds when the account is locked.
   */
  private async charge(userId: string): Promise<number> {
    return this.db.tx(async (q) => {
      await q.query('INSERT INTO user_lockouts (user_id) VALUES ($1) ON CONFLICT DO NOTHING', [userId]);
      const [row] = await q.query<{ failures: number; locked_until: Date | null }>(
        'SELECT failures, locked_until FROM user_lockouts WHERE user_id = $1 FOR UPDATE',
        [userId],
      );
      const now = this.now();
      const lockedUntil = row?.locked_until ? new Date(row.locked_until).getTime() : 0;
      if (lockedUntil > now) return Math.ceil((lockedUntil - now) / 1000);
      const failures = Number(row?.failures ?? 0) + 1;
      const wait = serverLockoutSeconds(failures);
      await q.query('UPDATE user_lockouts SET failures = $2, locked_until = $3 WHERE user_id = $1', [
        userId,
        failures,
        wait ? new Date(now + wait * 1000).toISOString() : null,
      ]);
      return 0;
    });
  }

  /**
   * A user signs in on an enrolled device: the server checks the password itself and, when it is
   * right, gives the device a session for that user. Wrong passwords count toward one lockout per
   * account, whichever device they come from.
   */
  async signIn(deviceId: string, username: string, password: string): Promise<{ userId: string; role: string; token: string; expiresAt: string }> {
    if (!this.perDevice.take(`d:${deviceId}`) || !this.perAccount.take(`u:${username.toLowerCase()}`)) {
      throw new ServerError(429, 'too_many_attempts', 'too many sign-in attempts in the last minute: wait a minute and try again');
    }
    const user = await this.userByName(this.db, username);
    const refused = (): ServerError => new ServerError(401, 'bad_credentials', 'user name or password is not right');
    if (!user || user.deleted) {
      // Spend the time a real check takes, so user names cannot be probed by timing.
      await hashPassword(password);
      throw refused();
    }
    const wait = await this.charge(user.id);
    if (wait > 0) throw new ServerError(423, 'account_locked', `too many failed sign-ins for this account: try again in ${wait} seconds`);
    if (!(await verifyPassword(password, user.passwordHash))) throw refused();
    await this.db.query('UPDATE user_lockouts SET failures = 0, locked_until = NULL WHERE user_id = $1', [user.id]);
    if (user.disabled) throw new ServerError(403, 'account_disabled', 'this account is disabled: ask an administrator to enable it');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + USER_SESSION_DAYS * 86_400_000).toISOString();
    await this.db.query('INSERT INTO user_sessions (token_hash, device_id, user_id, stamp, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      sha256(token),
      deviceId,
      user.id,
      sha256(user.passwordHash),
      expiresAt,
    ]);
    return { userId: user.id, role: user.role, token, expiresAt };
  }

  /**
   * A session given without a password check: only for devices the server runs itself and for the
   * sync simulation, which studies merging rather than sign-in. Not reachable over HTTP.
   */
  async issue(deviceId: string, userId: string): Promise<{ token: string; expiresAt: string }> {
    const [u] = await this.db.query<{ hash: string | null }>("SELECT data->>'password_hash' AS hash FROM sync_rows WHERE entity = 'user' AND entity_id = $1", [
      userId,
    ]);
    if (!u?.hash) throw new ServerError(404, 'not_found', `no user ${userId} on the clinic server`);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + USER_SESSION_DAYS * 86_400_000).toISOString();
    await this.db.query('INSERT INTO user_sessions (token_hash, device_id, user_id, stamp, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      sha256(token),
      deviceId,
      userId,
      sha256(u.hash),
      expiresAt,
    ]);
    return { token, expiresAt };
  }

  /** Ends a session (sign-out on a device that wants no more writes in that user's name). */
  async revoke(deviceId: string, token: string): Promise<void> {
    await this.db.query('UPDATE user_sessions SET revoked_at = now() WHERE token_hash = $1 AND device_id = $2', [sha256(token), deviceId]);
  }

  /**
   * The users whose live sessions a device presents: each token must be this device's, unexpired,
   * unrevoked, issued under the user's current password, and the user enabled. Roles come from the
   * server's copy of the account, never from the request.
   */
  async verify(q: Sql, deviceId: string, tokens: readonly string[]): Promise<Map<string, VerifiedUser>> {
    const out = new Map<string, VerifiedUser>();
    if (tokens.length === 0) return out;
    const rows = await q.query<{ user_id: string; stamp: string; role: string | null; hash: string | null; disabled: unknown; deleted_at: unknown }>(
      `SELECT s.user_id, s.stamp, u.data->>'role' AS role, u.data->>'password_hash' AS hash, u.data->'disabled' AS disabled, u.data->'deleted_at' AS deleted_at
       FROM user_sessions s JOIN sync_rows u ON u.entity = 'user' AND u.entity_id = s.user_id
       WHERE s.token_hash = ANY($1::text[]) AND s.device_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3`,
      [tokens.map(sha256), deviceId, new Date(this.now()).toISOString()],
    );
    for (const r of rows) {
      if (!r.role || !r.hash || sha256(r.hash) !== r.stamp || truthy(r.disabled) || (r.deleted_at !== null && r.deleted_at !== undefined)) continue;
      out.set(r.user_id, { id: r.user_id, role: r.role });
    }
    return out;
  }
}

/** Session tokens as a device sends them: one header, comma-separated, at most 50. */
export function sessionTokens(header: string | undefined | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => /^[A-Za-z0-9_-]{20,100}$/.test(t))
    .slice(0, 50);
}
