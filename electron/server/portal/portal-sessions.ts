import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { PORTAL_COOKIE } from '../../../shared/api/portal-http';
import type { PortalSettings } from '../../../shared/domain/portal';
import type { ServerDb, Sql } from '../db/open';
import { sha256 } from './portal-guard';

/**
 * Portal sessions. The cookie holds a random token; the database holds only its SHA-256, with the
 * hash of the session's CSRF token. The CSRF token is derived from the session token, so a page
 * reloaded with the cookie can be told it again (GET /session) without the server keeping it.
 * A session ends when idle too long, at its absolute limit, at sign-out, or at sign-out everywhere.
 */

/** A session waiting for its second factor lasts this long. */
const UNVERIFIED_MS = 5 * 60_000;
/** last_seen_at is written at most this often (a read should not be a write each time). */
const TOUCH_MS = 30_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface PortalSession {
  tokenHash: string;
  accountId: string;
  verified: boolean;
  csrfHash: string;
  /** When it ends if used before then: the earlier of its absolute end and its idle end. */
  endsAt: number;
  /** The account's name and language as they were when the session was read. */
  displayName: string;
  language: string;
}

export const csrfFor = (token: string): string => sha256(`csrf\u0000${token}`).slice(0, 43);

/** The portal cookie's token, if the request carries a well-formed one. */
export function cookieToken(c: Context): string | null {
  const header = c.req.header('cookie');
  if (!header || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== PORTAL_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN.test(value)) return value;
  }
  return null;
}

const secure = (c: Context): boolean => new URL(c.req.url).protocol === 'https:';

/** Sets the session cookie: HttpOnly, SameSite=Strict, Path=/portal, Secure over TLS. */
export function setSessionCookie(c: Context, token: string, maxAgeSeconds: number): void {
  const attrs = [`${PORTAL_COOKIE}=${token}`, 'Path=/portal', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (secure(c)) attrs.push('Secure');
  c.header('Set-Cookie', attrs.join('; '), { append: true });
}

export function clearSessionCookie(c: Context): void {
  const attrs = [`${PORTAL_COOKIE}=`, 'Path=/portal', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (secure(c)) attrs.push('Secure');
  c.header('Set-Cookie', attrs.join('; '), { append: true });
}

export class PortalSessions {
  constructor(
    private readonly db: ServerDb,
    private readonly limits: PortalSettings['sessions'],
    private readonly now: () => number,
  ) {}

  private idleMs(): number {
    return this.limits.idleMinutes * 60_000;
  }

  /** A new session for an account (inside the caller's transaction when given one). */
  async create(q: Sql, accountId: string, verified: boolean): Promise<{ token: string; csrf: string; session: PortalSession }> {
    const [a] = await q.query<{ display_name: string; language: string }>('SELECT display_name, language FROM portal_accounts WHERE id = $1', [accountId]);
    const token = randomBytes(32).toString('base64url');
    const csrf = csrfFor(token);
    const now = this.now();
    const expiresAt = now + (verified ? this.limits.maxHours * 3_600_000 : UNVERIFIED_MS);
    await q.query(
      'INSERT INTO portal_sessions (token_hash, account_id, csrf_hash, verified, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $5)',
      [sha256(token), accountId, sha256(csrf), verified, new Date(now).toISOString(), new Date(expiresAt).toISOString()],
    );
    return {
      token,
      csrf,
      session: {
        tokenHash: sha256(token),
        accountId,
        verified,
        csrfHash: sha256(csrf),
        endsAt: Math.min(expiresAt, now + this.idleMs()),
        displayName: a?.display_name ?? '',
        language: a?.language ?? 'en',
      },
    };
  }

  /**
   * The live session a token names, or null: unknown, revoked, past its absolute end or idle too
   * long (an expired one is revoked on the way). A live one is marked seen.
   */
  async find(token: string | null): Promise<PortalSession | null> {
    if (!token) return null;
    const hash = sha256(token);
    const [row] = await this.db.query<{
      account_id: string;
      verified: boolean;
      csrf_hash: string;
      expires_at: Date | string;
      last_seen_at: Date | string;
      disabled_at: Date | string | null;
      display_name: string;
      language: string;
    }>(
      `SELECT s.account_id, s.verified, s.csrf_hash, s.expires_at, s.last_seen_at, a.disabled_at, a.display_name, a.language
       FROM portal_sessions s JOIN portal_accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.revoked_at IS NULL`,
      [hash],
    );
    if (!row) return null;
    const now = this.now();
    const expiresAt = new Date(row.expires_at).getTime();
    const lastSeen = new Date(row.last_seen_at).getTime();
    if (row.disabled_at || now >= expiresAt || now >= lastSeen + this.idleMs()) {
      await this.db.query('UPDATE portal_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [hash, new Date(now).toISOString()]);
      return null;
    }
    if (now - lastSeen > TOUCH_MS)
      await this.db.query('UPDATE portal_sessions SET last_seen_at = $2 WHERE token_hash = $1', [hash, new Date(now).toISOString()]);
    return {
      tokenHash: hash,
      accountId: row.account_id,
      verified: row.verified === true,
      csrfHash: row.csrf_hash,
      endsAt: Math.min(expiresAt, now + this.idleMs()),
      displayName: row.display_name,
      language: row.language,
    };
  }

  async revoke(q: Sql, tokenHash: string): Promise<void> {
    await q.query('UPDATE portal_sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash, new Date(this.now()).toISOString()]);
  }

  /** Sign-out everywhere: every session of the account ends. Returns how many were live. */
  async revokeAll(q: Sql, accountId: string): Promise<number> {
    const rows = await q.query('UPDATE portal_sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL RETURNING token_hash', [
      accountId,
      new Date(this.now()).toISOString(),
    ]);
    return rows.length;
  }

  /** Drops sessions that ended more than a day ago (they prove nothing any more). */
  async prune(): Promise<void> {
    const cutoff = new Date(this.now() - 86_400_000).toISOString();
    await this.db.query('DELETE FROM portal_sessions WHERE expires_at < $1 OR revoked_at < $1', [cutoff]);
  }
}
