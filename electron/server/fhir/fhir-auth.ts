import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { allows, parseScopes, type Scope } from '../../../shared/fhir/scopes';
import type { Sql } from '../db/open';
import { FhirError } from './outcome';

const scrypt = promisify(scryptCb) as (secret: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt cost: ~30 ms per check here; paid once per token request, never per API call. */
const N = 16384;
const R = 8;
const P = 1;
export const TOKEN_SECONDS = 3600;

export interface FhirClientInfo {
  clientId: string;
  name: string;
  scopes: string;
  /** Whether the client may be served restricted charts (it holds RESTRICTED_SCOPE). */
  restricted: boolean;
  createdAt: string;
  revokedAt: string | null;
}

/** What a valid access token grants. */
export interface Grant {
  clientId: string;
  scopes: Scope[];
  /** Restricted charts are served to this token (else withheld): see RESTRICTED_SCOPE. */
  restricted: boolean;
}

/**
 * The grant of restricted charts (those a clinician must break the glass to open). It is a scope
 * of its own, never implied by `system/*.read`: an administrator gives it to a client explicitly
 * (`cairn server fhir-client add --restricted`), and a token carries it only when the client asks
 * for it or asks for no narrower scope. Without it, restricted charts are withheld from every read,
 * search, include, $everything and $export.
 */
export const RESTRICTED_SCOPE = 'cairn/restricted-charts.read';

const scopeList = (scopes: string): string[] => scopes.split(/\s+/).filter(Boolean);
const holdsRestricted = (scopes: string): boolean => scopeList(scopes).includes(RESTRICTED_SCOPE);
/** The SMART part of a scope list (the restricted grant set apart). */
const smartScopes = (scopes: string): string =>
  scopeList(scopes)
    .filter((s) => s !== RESTRICTED_SCOPE)
    .join(' ');

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

async function checkSecret(secret: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const got = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Checks a scope list an administrator gives a client: every scope must be one this server grants. */
export function checkScopeList(scopes: string): string {
  const list = [...new Set(scopeList(scopes))];
  const { unknown } = parseScopes(smartScopes(list.join(' ')));
  if (list.filter((s) => s !== RESTRICTED_SCOPE).length === 0) throw new FhirError(400, 'invalid', 'at least one scope is needed, e.g. "system/*.read"');
  if (unknown.length > 0)
    throw new FhirError(400, 'invalid', `not a system scope this server grants: ${unknown.join(', ')} (use e.g. system/*.read, system/Patient.rs)`);
  return list.join(' ');
}

/**
 * Verified tokens, kept a moment per database so a busy client costs one token query every
 * CACHE_MS instead of one per request. A revocation or expiry made through any FhirAuth of this
 * process clears it at once; one made by another process (the CLI against PostgreSQL) is seen within
 * CACHE_MS.
 */
const CACHE_MS = 2000;
const CACHE_MAX = 10_000;
type TokenCache = Map<string, { grant: Grant; expiresAt: number; checkedAt: number }>;
const caches = new WeakMap<Sql, TokenCache>();
function cacheOf(db: Sql): TokenCache {
  let c = caches.get(db);
  if (!c) {
    c = new Map() as TokenCache;
    caches.set(db, c);
  }
  return c;
}

/** Whether a scope a client asks for is within what it was issued (and grants some reading). */
function covered(asked: Scope, allowed: readonly Scope[]): boolean {
  if (!asked.read && !asked.search) return false;
  const has = (perm: 'read' | 'search'): boolean => allowed.some((a) => (a.type === '*' || a.type === asked.type) && a[perm]);
  return (!asked.read || has('read')) && (!asked.search || has('search'));
}

/** FHIR clients and their access tokens (OAuth2 client credentials). */
export class FhirAuth {
  constructor(
    private readonly db: Sql,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a client; the secret is shown once here and stored only as a hash. */
  async addClient(
    name: string,
    scopes: string,
    opts: { restricted?: boolean } = {},
  ): Promise<{ clientId: string; clientSecret: string; name: string; scopes: string; restricted: boolean }> {
    let clean = checkScopeList(scopes);
    if (opts.restricted && !holdsRestricted(clean)) clean = `${clean} ${RESTRICTED_SCOPE}`;
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw new FhirError(400, 'invalid', 'a client name (1 to 200 characters) is required');
    const clientId = `fc_${randomBytes(12).toString('base64url')}`;
    const clientSecret = randomBytes(32).toString('base64url');
    await this.db.query('INSERT INTO fhir_clients (client_id, name, secret_hash, scopes) VALUES ($1, $2, $3, $4)', [
      clientId,
      trimmed,
      await hashSecret(clientSecret),
      clean,
    ]);
    return { clientId, clientSecret, name: trimmed, scopes: clean, restricted: holdsRestricted(clean) };
  }

  async listClients(): Promise<FhirClientInfo[]> {
    const rows = await this.db.query<{ client_id: string; name: string; scopes: string; created_at: Date; revoked_at: Date | null }>(
      'SELECT client_id, name, scopes, created_at, revoked_at FROM fhir_clients ORDER BY created_at, client_id',
    );
    return rows.map((r) => ({
      clientId: r.client_id,
      name: r.name,
      scopes: r.scopes,
      restricted: holdsRestricted(r.scopes),
      createdAt: new Date(r.created_at).toISOString(),
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    }));
  }

  /** Revokes a client: its tokens stop working at once. */
  async revokeClient(clientId: string): Promise<void> {
    const rows = await this.db.query('UPDATE fhir_clients SET revoked_at = coalesce(revoked_at, now()) WHERE client_id = $1 RETURNING client_id', [clientId]);
    if (rows.length === 0) throw new FhirError(404, 'not-found', `no FHIR client ${clientId}`);
    await this.db.query('DELETE FROM fhir_tokens WHERE client_id = $1', [clientId]);
    cacheOf(this.db).clear();
  }

  /**
   * The token endpoint's work: checks the client's secret and grants the asked scopes (all of the
   * client's when none are asked). Returns null when the client or secret is wrong.
   */
  async issueToken(
    clientId: string,
    secret: string,
    asked: string | null,
  ): Promise<{ accessToken: string; scope: string; expiresIn: number } | null | { invalidScope: string }> {
    const rows = await this.db.query<{ secret_hash: string; scopes: string }>(
      'SELECT secret_hash, scopes FROM fhir_clients WHERE client_id = $1 AND revoked_at IS NULL',
      [clientId],
    );
    const client = rows[0];
    if (!client || !(await checkSecret(secret, client.secret_hash))) return null;
    const allowed = parseScopes(smartScopes(client.scopes)).scopes;
    let granted = client.scopes;
    if (asked !== null && asked.trim() !== '') {
      const list = scopeList(asked);
      const refused = list.filter((one) => {
        if (one === RESTRICTED_SCOPE) return !holdsRestricted(client.scopes);
        const sc = parseScopes(one).scopes[0];
        return !sc || !covered(sc, allowed);
      });
      if (refused.length > 0) return { invalidScope: refused.join(' ') };
      granted = list.join(' ');
    }
    const token = randomBytes(32).toString('base64url');
    await this.db.query('INSERT INTO fhir_tokens (token_hash, client_id, scopes, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))', [
      sha256(token),
      clientId,
      granted,
      TOKEN_SECONDS,
    ]);
    // Expired tokens are of no use: sweep them now and then, not on every request.
    if (Math.random() < 0.05) await this.db.query("DELETE FROM fhir_tokens WHERE expires_at < now() - interval '1 day'");
    return { accessToken: token, scope: granted, expiresIn: TOKEN_SECONDS };
  }

  /** The grant behind a bearer token; 401 when missing, unknown, expired or its client revoked. */
  async verify(authorization: string | undefined): Promise<Grant> {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/.exec(authorization ?? '');
    if (!authorization)
      throw new FhirError(
        401,
        'login',
        'an access token is required: get one from the token endpoint (OAuth2 client credentials) and send it as "Authorization: Bearer …"',
      );
    if (!m) throw new FhirError(401, 'login', 'the Authorization header is not a bearer token');
    const hash = sha256(m[1]!);
    const cache = cacheOf(this.db);
    const now = this.now();
    const hit = cache.get(hash);
    if (hit && now - hit.checkedAt < CACHE_MS) {
      if (hit.expiresAt <= now) throw new FhirError(401, 'expired', 'the access token has expired: ask the token endpoint for a new one');
      return hit.grant;
    }
    const rows = await this.db.query<{ client_id: string; scopes: string; live: boolean; exp_ms: number }>(
      'SELECT t.client_id, t.scopes, t.expires_at > now() AS live, (extract(epoch from t.expires_at) * 1000)::float8 AS exp_ms FROM fhir_tokens t JOIN fhir_clients c ON c.client_id = t.client_id AND c.revoked_at IS NULL WHERE t.token_hash = $1',
      [hash],
    );
    const row = rows[0];
    if (!row) {
      cache.delete(hash);
      throw new FhirError(401, 'login', 'the access token is not valid (unknown, or its client was revoked)');
    }
    if (!row.live) throw new FhirError(401, 'expired', 'the access token has expired: ask the token endpoint for a new one');
    const grant = { clientId: row.client_id, scopes: parseScopes(smartScopes(row.scopes)).scopes, restricted: holdsRestricted(row.scopes) };
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(hash, { grant, expiresAt: Number(row.exp_ms), checkedAt: now });
    return grant;
  }

  /** Test hook: makes a token already expired. */
  async expireToken(token: string): Promise<void> {
    await this.db.query("UPDATE fhir_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [sha256(token)]);
    cacheOf(this.db).delete(sha256(token));
  }

  /** 403 unless the grant allows this read or search. */
  static require(grant: Grant, type: string, need: 'read' | 'search'): void {
    if (!allows(grant.scopes, type, need))
      throw new FhirError(
        403,
        'forbidden',
        `the access token's scopes do not allow ${need === 'read' ? 'reading' : 'searching'} ${type} (needs system/${type}.${need === 'read' ? 'r' : 's'} or system/*.read)`,
      );
  }
}
