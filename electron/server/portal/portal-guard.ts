import { getConnInfo } from '@hono/node-server/conninfo';
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { Sql } from '../db/open';

/**
 * The portal's walls: its own error type, rate limits kept in the database (so every server
 * process counts the same attempts), the security headers every /portal answer carries, the CSRF
 * check and the realm check (no staff or device credential on the portal), and the JSON body
 * reader every portal route uses.
 */

/** An answer the portal gives: status, stable code, a message a person can act on. */
export class PortalError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

// ---- Rate limits -------------------------------------------------------------------------------

export interface RateRule {
  max: number;
  windowSeconds: number;
}

/** Fixed windows per address (ip) and per account, email or invitation (account, invite). */
export interface RateLimits {
  signinIp: RateRule;
  signinAccount: RateRule;
  /** Registration and linking (an invitation code typed in) from one address… */
  codeIp: RateRule;
  /** …by one account (linking) or for one email (registering)… */
  codeAccount: RateRule;
  /** …and at one invitation whose code was right (birth dates guessed). */
  codeInvite: RateRule;
  totpIp: RateRule;
  totpAccount: RateRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signinIp: { max: 30, windowSeconds: 300 },
  signinAccount: { max: 10, windowSeconds: 300 },
  codeIp: { max: 10, windowSeconds: 900 },
  codeAccount: { max: 5, windowSeconds: 900 },
  codeInvite: { max: 5, windowSeconds: 3600 },
  totpIp: { max: 30, windowSeconds: 300 },
  totpAccount: { max: 10, windowSeconds: 300 },
};

function wait(seconds: number): string {
  return seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
}

/**
 * Counts one attempt under `key` (stored hashed: keys hold addresses and emails) in a fixed window,
 * in one atomic statement; over the limit it throws 429 with the wait. `who` names what is limited
 * in the message ("from this address", "for this account").
 */
export async function takeRate(q: Sql, key: string, rule: RateRule, now: number, who: string): Promise<void> {
  const start = new Date(now).toISOString();
  const expired = new Date(now - rule.windowSeconds * 1000).toISOString();
  const [row] = await q.query<{ window_start: Date | string; count: number }>(
    `INSERT INTO portal_rate_limits (key, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN portal_rate_limits.window_start <= $3 THEN excluded.window_start ELSE portal_rate_limits.window_start END,
       count = CASE WHEN portal_rate_limits.window_start <= $3 THEN 1 ELSE portal_rate_limits.count + 1 END
     RETURNING window_start, count`,
    [sha256(key), start, expired],
  );
  if (!row || Number(row.count) <= rule.max) return;
  const retry = Math.max(1, Math.ceil((new Date(row.window_start).getTime() + rule.windowSeconds * 1000 - now) / 1000));
  throw new PortalError(429, 'too_many_attempts', `too many attempts ${who}: wait ${wait(retry)} and try again`, retry);
}

/** Forgets windows that ended long ago (called now and then; a stale row is harmless, only space). */
export async function pruneRates(q: Sql, now: number): Promise<void> {
  await q.query('DELETE FROM portal_rate_limits WHERE window_start < $1', [new Date(now - 86_400_000).toISOString()]);
}

/** The address the request came from (the socket's: a forwarded-for header is not believed). */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// ---- Headers -----------------------------------------------------------------------------------

/** The portal's screens: scripts and everything else only from the portal itself; no inline scripts, no framing. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets CSS variables in style attributes and one style element; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "manifest-src 'self'",
].join('; ');

/** JSON, PDFs and attachments: nothing in them may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

/**
 * Security headers on every /portal answer (refusals and errors included). API answers are never
 * stored by a cache; HSTS only when the request came over TLS.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const api = c.req.path.startsWith('/portal/api');
    const h = c.res.headers;
    const set = (k: string, v: string): void => {
      try {
        h.set(k, v);
      } catch {
        // An immutable Response (none of ours): copy it once, then set.
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set(k, v);
      }
    };
    const html = (h.get('content-type') ?? '').startsWith('text/html');
    set('Content-Security-Policy', api || !html ? API_CSP : PAGE_CSP);
    set('X-Content-Type-Options', 'nosniff');
    set('Referrer-Policy', 'no-referrer');
    set('X-Frame-Options', 'DENY');
    set('Cross-Origin-Opener-Policy', 'same-origin');
    set('Cross-Origin-Resource-Policy', 'same-origin');
    set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    if (api || !h.has('cache-control')) set('Cache-Control', 'no-store');
    if (new URL(c.req.url).protocol === 'https:') set('Strict-Transport-Security', 'max-age=31536000');
  };
}

// ---- Realm and CSRF ----------------------------------------------------------------------------

/** A staff session or device credential is never a portal credential: refused outright. */
export function refuseOtherRealms(c: Context): void {
  if (c.req.header('authorization') !== undefined)
    throw new PortalError(
      401,
      'wrong_realm',
      'the patient portal does not accept staff or device credentials (an Authorization header): sign in to the portal with your own account',
    );
}

/**
 * A state-changing request must come from the portal's own page: never marked cross-site by the
 * browser, JSON (which a form on another site cannot send without asking first), and, once signed
 * in, carrying the session's CSRF token (compared by hash).
 */
export function checkSameSite(c: Context): void {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw new PortalError(403, 'cross_site', 'this request came from another site; open the portal itself and try again');
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new PortalError(415, 'unsupported_media_type', 'send the request as JSON (Content-Type: application/json)');
}

export function checkCsrf(c: Context, csrfHash: string): void {
  const token = c.req.header('x-csrf-token');
  if (!token || token.length > 200 || sha256(token) !== csrfHash)
    throw new PortalError(403, 'csrf', 'this request is missing its security token: reload the portal page and try again');
}

// ---- Bodies ------------------------------------------------------------------------------------

/** True when a NUL hides anywhere in a parsed JSON value (PostgreSQL cannot store one in text or jsonb). */
function holdsNul(v: unknown, depth = 0): boolean {
  if (depth > 64) return true;
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some((x) => holdsNul(x, depth + 1));
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\u0000') || holdsNul(x, depth + 1));
  return false;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
}

/** The request's JSON body checked against its schema; every refusal is a 400 that says what is wrong. */
export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new PortalError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  if (holdsNul(raw)) throw new PortalError(400, 'invalid_text', 'the request holds a NUL character or is nested too deeply');
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new PortalError(400, 'invalid_request', describe(parsed.error));
  return parsed.data;
}

/** Record ids as devices make them (UUIDs, imported FHIR ids): anything else names nothing here. */
export const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
