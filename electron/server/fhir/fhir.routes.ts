import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { capabilityStatement } from '../../../shared/fhir/capability';
import { allows } from '../../../shared/fhir/scopes';
import type { ServerDb } from '../db/open';
import { ServerError } from '../server-error';
import { FhirAccessLog } from './fhir-access-log';
import { FhirAuth, RESTRICTED_SCOPE, type Grant } from './fhir-auth';
import { EXPORT_ENTITIES, FhirExports } from './fhir-export';
import { SOURCES } from './fhir-search';
import { chartAccess, DEFAULT_COUNT, FhirService, MAX_COUNT, type ChartAccess, type SearchOptions } from './fhir.service';
import { FhirError, outcome } from './outcome';

export const FHIR_BASE_PATH = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const PATIENT_EXPORT_TYPES = Object.keys(EXPORT_ENTITIES).filter((t) => t !== 'Practitioner');

/** The FHIR API's parts, made once per server. */
export interface FhirApi {
  service: FhirService;
  auth: FhirAuth;
  exports: FhirExports;
  access: FhirAccessLog;
}

export function createFhirApi(db: ServerDb): FhirApi {
  const service = new FhirService(db, db.kind === 'pglite' ? 1 : 4);
  const access = new FhirAccessLog(db);
  return { service, auth: new FhirAuth(db), exports: new FhirExports(db, service, access), access };
}

/** How many resources an answer holds, for the access log: a Bundle's entries, else one. */
function resourcesIn(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const r = body as { resourceType?: string; entry?: unknown[] };
  if (r.resourceType === 'Bundle') return r.entry?.length ?? 0;
  return r.resourceType === 'OperationOutcome' ? 0 : 1;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': FHIR_JSON, ...headers } });

const errorResponse = (e: FhirError): Response =>
  json(outcome('error', e.code, e.message), e.status, e.status === 401 ? { 'www-authenticate': 'Bearer realm="cairn-fhir"' } : {});

/** RFC 6749 §5.2 errors: the token endpoint answers in OAuth's own format. */
const oauthError = (status: 400 | 401, error: string, description: string): Response =>
  new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...(status === 401 && { 'www-authenticate': 'Basic realm="cairn-fhir"' }) },
  });

// Only printable text in parameter values: a NUL or control character would reach the database.
const safeText = z
  .string()
  .max(2000)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters are not allowed');

const paging = z.object({
  _count: z.coerce.number().int().min(0).max(MAX_COUNT).default(DEFAULT_COUNT),
  _offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  _total: z.enum(['none', 'estimate', 'accurate']).optional(),
  _summary: z.enum(['count', 'false']).optional(),
});

const exportParams = z.object({
  _type: z.string().max(500).optional(),
  _since: z.iso.datetime({ offset: true }).optional(),
  _outputFormat: z.string().max(100).optional(),
});

const tokenForm = z.object({
  grant_type: z.literal('client_credentials', { message: 'grant_type must be client_credentials' }),
  client_id: safeText.min(1).max(200).optional(),
  client_secret: safeText.min(1).max(500).optional(),
  scope: safeText.max(2000).optional(),
});

function describe(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'value'}: ${i.message}`)
    .join('; ');
}

/** Query parameters as pairs (repeated parameters kept), checked for length and control characters. */
function queryPairs(url: URL): [string, string][] {
  const pairs = [...url.searchParams.entries()];
  if (pairs.length > 100) throw new FhirError(400, 'too-costly', 'too many search parameters');
  for (const [k, v] of pairs) {
    if (!safeText.safeParse(k).success || !safeText.safeParse(v).success)
      throw new FhirError(400, 'invalid', `search parameter ${k.slice(0, 40)}: the value is too long or holds control characters`);
  }
  return pairs;
}

function searchOptions(url: URL, base: string, pairs: [string, string][]): SearchOptions {
  const control = Object.fromEntries(pairs.filter(([k]) => k === '_count' || k === '_offset' || k === '_total' || k === '_summary'));
  const p = paging.safeParse(control);
  if (!p.success) throw new FhirError(400, 'invalid', `paging: ${describe(p.error)}`);
  const includes = pairs.filter(([k]) => k === '_include').map(([, v]) => v);
  for (const inc of includes)
    if (!/^[A-Za-z*]+:(patient|subject)(:Patient)?$/.test(inc))
      throw new FhirError(400, 'not-supported', `_include=${inc.slice(0, 60)} is not supported (only X:patient / X:subject)`);
  const self = new URL(url);
  return {
    count: p.data._summary === 'count' ? 0 : p.data._count,
    offset: p.data._offset,
    total: p.data._total !== 'none',
    includePatients: includes.length > 0,
    selfUrl: self,
    base,
  };
}

/**
 * The types an export covers: those asked with `_type` (each must be exportable and allowed, or
 * the request is refused), else every exportable type the token may read (Bulk Data: a kick-off
 * without `_type` exports what the client is authorized to see, not all or nothing).
 */
function exportTypes(raw: string | undefined, allowedTypes: string[], grant: Grant): string[] {
  if (!raw) {
    const readable = allowedTypes.filter((t) => allows(grant.scopes, t, 'read'));
    if (readable.length === 0)
      throw new FhirError(403, 'forbidden', `the access token's scopes allow reading none of the exportable types (${allowedTypes.join(', ')})`);
    return readable;
  }
  const types = [...new Set(raw.split(',').map((t) => t.trim()))];
  for (const t of types)
    if (!allowedTypes.includes(t))
      throw new FhirError(400, 'not-supported', `_type: ${t.slice(0, 60)} cannot be exported here (exportable: ${allowedTypes.join(', ')})`);
  for (const t of types) FhirAuth.require(grant, t, 'read');
  return types;
}

/** What a request's log line needs from its handling. */
interface Seen {
  clientId: string | null;
  body: unknown;
  /** The restricted charts served or refused (null before the token was checked). */
  charts: ChartAccess | null;
}

/** The read-only FHIR R4 API, mounted at /fhir/R4. Every error is an OperationOutcome. */
export function fhirRoutes(api: FhirApi, software: { name: string; version: string } = { name: 'Cairn clinic server', version: '0.1.0' }): Hono {
  const app = new Hono();
  const searchParams = Object.fromEntries(Object.entries(SOURCES).map(([type, sources]) => [type, Object.keys(sources[0]!.params)]));

  app.all('*', async (c) => {
    // Every request is logged (who, when, what, how answered), refused ones included.
    const seen: Seen = { clientId: null, body: undefined, charts: null };
    let res: Response;
    try {
      res = await dispatch(c, seen);
    } catch (e) {
      if (e instanceof FhirError) res = errorResponse(e);
      else {
        // Important: no request content in the answer or the log; it may hold PHI.
        console.error(`FHIR API error on ${c.req.method}: ${e instanceof Error ? e.name : 'error'}`, process.env['CAIRN_FHIR_DEBUG'] ? e : '');
        res = json(outcome('error', 'exception', 'the server could not complete this request'), 500);
      }
    }
    const url = new URL(c.req.url);
    if (!url.pathname.endsWith('/auth/token')) {
      const at = new Date();
      api.access.record({
        at,
        clientId: seen.clientId,
        method: c.req.method,
        path: url.pathname.slice(0, 500),
        query: url.search ? url.search.slice(1, 2001) : null,
        status: res.status,
        resources: res.ok ? resourcesIn(seen.body) : 0,
      });
      // And a line per restricted chart this request was served or refused.
      if (seen.charts)
        api.access.recordCharts(
          { at, clientId: seen.clientId, method: c.req.method, request: url.pathname, patientPath: (id) => `${FHIR_BASE_PATH}/Patient/${id}` },
          seen.charts,
        );
    }
    return res;
  });

  async function dispatch(c: Context, seen: Seen): Promise<Response> {
    const url = new URL(c.req.url);
    const base = `${url.origin}${FHIR_BASE_PATH}`;
    const path = url.pathname.slice(url.pathname.indexOf(FHIR_BASE_PATH) + FHIR_BASE_PATH.length).replace(/^\/+|\/+$/g, '');
    const parts = path === '' ? [] : path.split('/');
    const method = c.req.method;
    const [p0, p1, p2] = parts;

    if (parts.length === 1 && p0 === 'metadata') {
      if (method !== 'GET' && method !== 'HEAD') throw new FhirError(405, 'not-supported', 'metadata is read with GET');
      return json(capabilityStatement({ base, tokenUrl: `${base}/auth/token`, software, searchParams, date: new Date().toISOString() }));
    }
    if (parts.length === 2 && p0 === '.well-known' && p1 === 'smart-configuration') {
      return new Response(
        JSON.stringify({
          token_endpoint: `${base}/auth/token`,
          grant_types_supported: ['client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['system/*.read', 'system/*.rs', ...Object.keys(SOURCES).map((t) => `system/${t}.rs`), RESTRICTED_SCOPE],
          capabilities: ['client-confidential-symmetric', 'permission-v2', 'permission-v1'],
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    }
    if (parts.length === 2 && p0 === 'auth' && p1 === 'token') return token(c);

    if (method !== 'GET' && method !== 'HEAD' && !(method === 'DELETE' && p0 === '$export-status') && !(method === 'POST' && p1 === '_search')) {
      throw new FhirError(405, 'not-supported', `${method} is not supported: this FHIR API is read-only`);
    }
    const grant = await api.auth.verify(c.req.header('authorization'));
    seen.clientId = grant.clientId;
    const access = (seen.charts = chartAccess(grant));
    const pairs = queryPairs(url);

    if (p0 === '$export' && parts.length === 1) return kickOff(c, grant, url, 'system');
    if (p0 === 'Patient' && p1 === '$export' && parts.length === 2) return kickOff(c, grant, url, 'patient');
    if (p0 === '$export-status' && p1 && parts.length === 2) return exportStatus(c, grant, p1, base);
    if (p0 === '$export-file' && p1 && p2 && parts.length === 3) {
      if (!/^\d{1,6}$/.test(p2)) throw new FhirError(404, 'not-found', 'no such file');
      const body = await api.exports.file(p1, grant.clientId, Number(p2));
      return new Response(body, { headers: { 'content-type': 'application/fhir+ndjson' } });
    }

    if (!p0 || !Object.hasOwn(SOURCES, p0))
      throw new FhirError(
        404,
        'not-found',
        p0 ? `resource type ${p0.slice(0, 60)} is not served here (served: ${Object.keys(SOURCES).join(', ')})` : 'give a resource type, e.g. /Patient',
      );
    const type = p0;
    if (parts.length === 1 || (parts.length === 2 && p1 === '_search')) {
      FhirAuth.require(grant, type, 'search');
      let all = pairs;
      const self = new URL(url);
      if (method === 'POST') {
        const form = await formBody(c);
        all = [...pairs, ...form];
        // The links of a POST search are GET-able: its form parameters go into them.
        for (const [k, v] of form) self.searchParams.append(k, v);
      }
      const lenient = /handling\s*=\s*lenient/i.test(c.req.header('prefer') ?? '');
      seen.body = await api.service.search(type, all, lenient, searchOptions(self, base, all), access);
      return json(seen.body);
    }
    if (parts.length === 2 && p1) {
      FhirAuth.require(grant, type, 'read');
      seen.body = await api.service.read(type, p1, access);
      return json(seen.body);
    }
    if (parts.length === 3 && type === 'Patient' && p1 && p2 === '$everything') {
      // The record's other types the grant may not read are left out (with a warning entry).
      FhirAuth.require(grant, 'Patient', 'read');
      seen.body = await api.service.everything(p1, searchOptions(url, base, pairs), access);
      return json(seen.body);
    }
    throw new FhirError(404, 'not-found', 'no such FHIR endpoint');
  }

  async function formBody(c: Context): Promise<[string, string][]> {
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded'))
      throw new FhirError(400, 'invalid', 'a POST search needs an application/x-www-form-urlencoded body');
    const text = await c.req.text();
    if (text.length > 20_000) throw new FhirError(413, 'too-costly', 'the search body is too large');
    const pairs = [...new URLSearchParams(text).entries()];
    if (pairs.length > 100) throw new FhirError(400, 'too-costly', 'too many search parameters');
    for (const [k, v] of pairs)
      if (!safeText.safeParse(k).success || !safeText.safeParse(v).success)
        throw new FhirError(400, 'invalid', 'a search parameter is too long or holds control characters');
    return pairs;
  }

  async function token(c: Context): Promise<Response> {
    if (c.req.method !== 'POST') return oauthError(400, 'invalid_request', 'the token endpoint takes a POST');
    const ctype = (c.req.header('content-type') ?? '').toLowerCase();
    if (!ctype.startsWith('application/x-www-form-urlencoded'))
      return oauthError(400, 'invalid_request', 'send the token request as application/x-www-form-urlencoded');
    const text = await c.req.text();
    if (text.length > 10_000) return oauthError(400, 'invalid_request', 'the request is too large');
    const form = tokenForm.safeParse(Object.fromEntries(new URLSearchParams(text).entries()));
    if (!form.success)
      return oauthError(400, form.error.issues.some((i) => i.path[0] === 'grant_type') ? 'unsupported_grant_type' : 'invalid_request', describe(form.error));
    let id = form.data.client_id;
    let secret = form.data.client_secret;
    const basic = /^Basic\s+([A-Za-z0-9+/=]{1,2000})$/.exec(c.req.header('authorization') ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return oauthError(401, 'invalid_client', 'the Basic credentials are not client_id:client_secret');
      try {
        id = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      } catch {
        return oauthError(401, 'invalid_client', 'the Basic credentials are not valid');
      }
    }
    if (!id || !secret || !safeText.safeParse(id).success || !safeText.safeParse(secret).success)
      return oauthError(401, 'invalid_client', 'client authentication is required (HTTP Basic, or client_id and client_secret in the form)');
    const out = await api.auth.issueToken(id, secret, form.data.scope ?? null);
    if (out === null) return oauthError(401, 'invalid_client', 'unknown client, wrong secret, or the client was revoked');
    if ('invalidScope' in out) return oauthError(400, 'invalid_scope', `not granted to this client: ${out.invalidScope.slice(0, 200)}`);
    return new Response(JSON.stringify({ access_token: out.accessToken, token_type: 'Bearer', expires_in: out.expiresIn, scope: out.scope }), {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
    });
  }

  async function kickOff(c: Context, grant: Grant, url: URL, level: 'system' | 'patient'): Promise<Response> {
    if (!/respond-async/i.test(c.req.header('prefer') ?? '')) throw new FhirError(400, 'invalid', 'a bulk export needs the header "Prefer: respond-async"');
    const p = exportParams.safeParse(Object.fromEntries(url.searchParams.entries()));
    if (!p.success) throw new FhirError(400, 'invalid', `$export: ${describe(p.error)}`);
    for (const k of url.searchParams.keys())
      if (!['_type', '_since', '_outputFormat'].includes(k)) throw new FhirError(400, 'not-supported', `$export parameter ${k.slice(0, 40)} is not supported`);
    if (p.data._outputFormat && !NDJSON_FORMATS.has(p.data._outputFormat))
      throw new FhirError(400, 'not-supported', `_outputFormat ${p.data._outputFormat} is not supported (application/fhir+ndjson)`);
    const types = exportTypes(p.data._type, level === 'system' ? Object.keys(EXPORT_ENTITIES) : PATIENT_EXPORT_TYPES, grant);
    const since = p.data._since ? new Date(p.data._since).toISOString() : null;
    const id = await api.exports.kickOff(grant, url.toString(), level, types, since);
    return json(outcome('information', 'processing', 'the export has started'), 202, {
      'content-location': `${url.origin}${FHIR_BASE_PATH}/$export-status/${id}`,
    });
  }

  async function exportStatus(c: Context, grant: Grant, id: string, base: string): Promise<Response> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new FhirError(404, 'not-found', 'no such export');
    if (c.req.method === 'DELETE') {
      await api.exports.cancel(id, grant.clientId);
      return json(outcome('information', 'processing', 'the export was cancelled'), 202);
    }
    const job = await api.exports.job(id, grant.clientId);
    if (job.status === 'in-progress')
      return new Response(null, { status: 202, headers: { 'x-progress': `${job.progress} resources written`, 'retry-after': '1' } });
    if (job.status === 'error') throw new FhirError(500, 'exception', 'the export failed; start a new one');
    return new Response(
      JSON.stringify({
        transactionTime: job.createdAt,
        request: job.request,
        requiresAccessToken: true,
        output: job.files.map((f) => ({ type: f.type, url: `${base}/$export-file/${job.id}/${f.idx}`, count: f.count })),
        error: [],
      }),
      { headers: { 'content-type': 'application/json', expires: new Date(Date.now() + 24 * 3600_000).toUTCString() } },
    );
  }

  return app;
}

const adminClient = z.object({
  name: z.string().trim().min(1, 'a client name is required').max(200),
  scopes: z.string().trim().min(1, 'scopes are required, e.g. "system/*.read"').max(2000),
  restricted: z.boolean().optional(),
});

/**
 * `cairn server fhir-client add|list|revoke` against a running server whose embedded database the
 * command cannot open itself: the loopback admin endpoints, guarded by `admin` (loopback + token).
 */
export function fhirAdminRoutes(app: Hono, admin: (c: Context) => void, api: FhirApi): void {
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof FhirError) throw new ServerError(e.status === 404 ? 404 : 400, e.status === 404 ? 'not_found' : 'invalid_request', e.message);
      throw e;
    }
  };
  app.get('/admin/fhir-clients', async (c) => {
    admin(c);
    return c.json({ clients: await api.auth.listClients() });
  });
  app.post('/admin/fhir-clients', async (c) => {
    admin(c);
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new ServerError(400, 'invalid_json', 'the request body is not valid JSON');
    }
    const body = adminClient.safeParse(raw);
    if (!body.success) throw new ServerError(400, 'invalid_request', describe(body.error));
    return c.json(await run(() => api.auth.addClient(body.data.name, body.data.scopes, { restricted: body.data.restricted === true })));
  });
  app.post('/admin/fhir-clients/:id/revoke', async (c) => {
    admin(c);
    const id = c.req.param('id');
    await run(() => api.auth.revokeClient(id));
    return c.json({ revoked: id });
  });
}
