import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  enrollRequest,
  PULL_COMPACT_CLOCKS,
  PULL_OWN_ECHOES,
  pushRequest,
  SESSIONS_HEADER,
  signInRequest,
  USER_HEADER,
  type ErrorBody,
} from '../../shared/sync/protocol';
import { PushTurns } from './push-turns';
import { ServerError } from './server-error';
import { healthRoutes } from './health';
import { requestLog } from './logging';
import { createFhirApi, FHIR_BASE_PATH, fhirAdminRoutes, fhirRoutes, type FhirApi } from './fhir/fhir.routes';
import type { SyncService } from './sync.service';
import { UPDATES_PATH, updateFeedRoutes } from './update-feed';
import { portalApp, type PortalOptions } from './portal/portal.routes';
import { sessionTokens } from './user-sessions';
import { documentRoutes } from './documents/documents.routes';
import { DOCUMENTS_PATH } from '../../shared/sync/document-wire';

const MAX_BODY = 64 * 1024 * 1024;
/** What a caller who has not yet shown a device credential may send (enrollment, sign-in). */
const MAX_UNAUTHENTICATED_BODY = 256 * 1024;
const MAX_PAGE = 5000;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
}

async function parseBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ServerError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ServerError(400, 'invalid_request', `the request was refused: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

const adminEnroll = z.object({
  name: z.string().trim().min(1, 'a device name is required').max(200),
  hours: z
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  operator: z.boolean().default(false),
});

const bearer = (c: Context): string | null => {
  const h = c.req.header('authorization') ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : null;
};

export interface AppOptions {
  /**
   * Lets `cairn server enroll|revoke|devices` reach a running server whose embedded database it
   * cannot open itself (PGlite is single-process). Loopback only, and only with this token, which
   * the server writes beside its data (owner-only permissions).
   */
  adminToken?: string;
  /** Where `cairn server publish-update` puts the desktop app's releases, served at /updates/<channel>/ (update-feed.ts). */
  updatesDir?: string;
  /** The FHIR API's parts (made from the sync service's database when not given). */
  fhir?: FhirApi;
  /** The patient portal (/portal: its screens, /portal/api: its JSON API); not served when absent. */
  portal?: PortalOptions;
  /** Test hook: runs after a push has committed and before its answer is sent (crash injection). */
  afterPushCommitted?: (deviceId: string) => Promise<void>;
}

/** The clinic server's HTTP routes. Every answer is JSON; every error is `{ error: { code, message } }`. */
export function createApp(sync: SyncService, opts: AppOptions = {}): Hono {
  const app = new Hono();
  app.use('*', requestLog());
  const limit = bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new ServerError(413, 'too_large', `the request body is larger than ${MAX_BODY / 1024 / 1024} MiB; send it in smaller batches`);
    },
  });
  // Important: enrollment and sign-in are read before anyone is known, so they get a small limit
  // (a 60 MB JSON body parsed for a stranger is a way to exhaust the server's memory).
  const small = bodyLimit({
    maxSize: MAX_UNAUTHENTICATED_BODY,
    onError: () => {
      throw new ServerError(413, 'too_large', `this request may carry at most ${MAX_UNAUTHENTICATED_BODY / 1024} KiB`);
    },
  });
  // A GET or HEAD has no body to limit; looking for one would build a full Request for each read.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') await next();
    else if (c.req.path === '/sync/enroll' || c.req.path === '/sync/sessions') await small(c as Parameters<typeof small>[0], next);
    else await limit(c as Parameters<typeof limit>[0], next);
  });

  // A path that is not valid percent-encoding (`/%E0`) is a malformed request: 400, before any route.
  app.use('*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    try {
      decodeURIComponent(path);
    } catch {
      // The FHIR API answers its own malformed paths, as OperationOutcomes.
      if (!path.startsWith(FHIR_BASE_PATH)) throw new ServerError(400, 'malformed_url', 'the request path is not valid percent-encoded UTF-8');
    }
    await next();
  });

  healthRoutes(app, sync.db);

  app.post('/sync/enroll', async (c) => {
    const body = await parseBody(c, enrollRequest);
    const out = await sync.enroll(body);
    return c.json({ ...out, serverTime: Date.now() });
  });

  // A user signs in on an enrolled device: the server checks the password and answers a session.
  app.post('/sync/sessions', async (c) => {
    const device = await sync.device(bearer(c));
    const body = await parseBody(c, signInRequest);
    return c.json(await sync.sessions.signIn(device.id, body.username, body.password));
  });
  app.delete('/sync/sessions', async (c) => {
    const device = await sync.device(bearer(c));
    for (const t of sessionTokens(c.req.header(SESSIONS_HEADER))) await sync.sessions.revoke(device.id, t);
    return c.json({ ok: true });
  });

  // The head of this device's audit chain as the server holds it: `cairn audit verify` compares it with the file.
  app.get('/sync/audit-head', async (c) => {
    const device = await sync.device(bearer(c));
    return c.json({ head: await sync.auditHead(device.id) });
  });

  const caller = (c: Context): ReturnType<SyncService['authenticate']> => sync.authenticate(bearer(c), sessionTokens(c.req.header(SESSIONS_HEADER)));

  const pushTurns = new PushTurns();
  app.post('/sync/push', async (c) => {
    // The turn is taken as the request arrives; the body is read and checked while an earlier push of the same device is written.
    const turn = pushTurns.take(bearer(c) ?? '');
    try {
      const who = await caller(c);
      const body = await parseBody(c, pushRequest);
      await turn.ready;
      const answer = await sync.push(who, body);
      await opts.afterPushCommitted?.(who.device.id);
      return c.json(answer);
    } finally {
      turn.done();
    }
  });

  app.get('/sync/pull', async (c) => {
    const who = await caller(c);
    sync.requireReader(who, c.req.header(USER_HEADER) ?? null);
    const cursor = Number(c.req.query('cursor') ?? '0');
    const limit = Number(c.req.query('limit') ?? '1000');
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new ServerError(400, 'invalid_request', 'cursor must be a non-negative whole number');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new ServerError(400, 'invalid_request', `limit must be between 1 and ${MAX_PAGE}`);
    const clocks = c.req.query('clocks');
    if (clocks !== undefined && clocks !== PULL_COMPACT_CLOCKS)
      throw new ServerError(400, 'invalid_request', `clocks must be "${PULL_COMPACT_CLOCKS}" or left out (every column's clock)`);
    const own = c.req.query('own');
    if (own !== undefined && (own !== PULL_OWN_ECHOES || clocks !== PULL_COMPACT_CLOCKS))
      throw new ServerError(
        400,
        'invalid_request',
        `own must be "${PULL_OWN_ECHOES}", with clocks "${PULL_COMPACT_CLOCKS}", or left out (every change in full)`,
      );
    return c.json(await sync.pull(cursor, limit, clocks === PULL_COMPACT_CLOCKS, own === PULL_OWN_ECHOES ? who.device.id : null));
  });

  // Document bytes in chunks (each request far under the body limit; the routes add a 2 MiB one of their own).
  app.route(DOCUMENTS_PATH, documentRoutes(sync));

  const admin = (c: Context): void => {
    let remote: string | undefined;
    try {
      remote = getConnInfo(c).remote.address;
    } catch {
      remote = undefined;
    }
    if (!remote || !['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote))
      throw new ServerError(403, 'forbidden', 'administration is only possible from the server machine itself');
    if (!opts.adminToken || bearer(c) !== opts.adminToken)
      throw new ServerError(403, 'forbidden', "administration needs the server's admin token (run the cairn server command on the server machine)");
  };
  app.post('/admin/enrollment-codes', async (c) => {
    admin(c);
    const body = await parseBody(c, adminEnroll);
    return c.json({ ...(await sync.createEnrollmentCode(body.name, body.hours, { operator: body.operator })), name: body.name });
  });
  app.get('/admin/devices', async (c) => {
    admin(c);
    return c.json({ devices: await sync.listDevices() });
  });
  app.post('/admin/devices/:id/revoke', async (c) => {
    admin(c);
    await sync.revoke(c.req.param('id'));
    return c.json({ revoked: c.req.param('id') });
  });

  const fhir = opts.fhir ?? createFhirApi(sync.db);
  fhirAdminRoutes(app, admin, fhir);
  app.route(FHIR_BASE_PATH, fhirRoutes(fhir));
  if (opts.updatesDir) app.route(UPDATES_PATH, updateFeedRoutes(opts.updatesDir));
  // A realm of its own: its cookie is read nowhere else, and it takes no staff or device credential.
  if (opts.portal) app.route('/portal', portalApp(sync, opts.portal));

  app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));
  app.onError((e, c) => {
    if (e instanceof ServerError) return c.json<ErrorBody>({ error: { code: e.code, message: e.message, ...e.extra } }, e.status);
    // Important: no request content in the answer or the log; it may hold PHI.
    console.error(`clinic server error on ${c.req.method} ${new URL(c.req.url).pathname}: ${e instanceof Error ? e.name : 'error'}`);
    return c.json<ErrorBody>({ error: { code: 'server_error', message: 'the clinic server could not complete this request; it will be retried' } }, 500);
  });
  return app;
}
