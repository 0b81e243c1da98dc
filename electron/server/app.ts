import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { enrollRequest, pushRequest, USER_HEADER, type ErrorBody } from '../../shared/sync/protocol';
import { ServerError } from './server-error';
import type { SyncService } from './sync.service';

const MAX_BODY = 64 * 1024 * 1024;
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

const bearer = (c: Context): string | null => {
  const h = c.req.header('authorization') ?? '';
  return h.startsWith('Bearer ') ? h.slice(7).trim() : null;
};

/** The clinic server's HTTP routes. Every answer is JSON; every error is `{ error: { code, message } }`. */
export function createApp(sync: SyncService): Hono {
  const app = new Hono();
  app.use('*', bodyLimit({ maxSize: MAX_BODY, onError: () => { throw new ServerError(413, 'too_large', `the request body is larger than ${MAX_BODY / 1024 / 1024} MiB; send it in smaller batches`); } }));

  app.get('/health', (c) => c.json({ ok: true, service: 'cairn-clinic-server', time: Date.now() }));

  app.post('/sync/enroll', async (c) => {
    const body = await parseBody(c, enrollRequest);
    const out = await sync.enroll(body);
    return c.json({ ...out, serverTime: Date.now() });
  });

  app.post('/sync/push', async (c) => {
    const who = await sync.authenticate(bearer(c), c.req.header(USER_HEADER) ?? null);
    const body = await parseBody(c, pushRequest);
    return c.json(await sync.push(who.device, who.user, body));
  });

  app.get('/sync/pull', async (c) => {
    await sync.authenticate(bearer(c), c.req.header(USER_HEADER) ?? null);
    const cursor = Number(c.req.query('cursor') ?? '0');
    const limit = Number(c.req.query('limit') ?? '1000');
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new ServerError(400, 'invalid_request', 'cursor must be a non-negative whole number');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new ServerError(400, 'invalid_request', `limit must be between 1 and ${MAX_PAGE}`);
    return c.json(await sync.pull(cursor, limit));
  });

  app.notFound((c) => c.json<ErrorBody>({ error: { code: 'not_found', message: `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}` } }, 404));
  app.onError((e, c) => {
    if (e instanceof ServerError) return c.json<ErrorBody>({ error: { code: e.code, message: e.message, ...e.extra } }, e.status);
    // Important: no request content in the answer or the log; it may hold PHI.
    console.error(`clinic server error on ${c.req.method} ${new URL(c.req.url).pathname}: ${e instanceof Error ? e.name : 'error'}`);
    return c.json<ErrorBody>({ error: { code: 'server_error', message: 'the clinic server could not complete this request; it will be retried' } }, 500);
  });
  return app;
}
