import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { audit, changing, chartOf, deny, readEntry, signedIn, type Portal } from './portal-context';
import { writeRoutes } from './portal-write.routes';
import { languageInput, linkInput, registerInput, signInInput, totpInput, type PortalErrorBody, type SessionView } from '../../../shared/api/portal-http';
import { portalLanguage, portalSettingsFile, type PortalLanguage, type PortalSettings } from '../../../shared/domain/portal';
import { clinicDate } from '../../../shared/domain/dates';
import { ServerError } from '../server-error';
import type { SyncService } from '../sync.service';
import { PortalAuditLog, recordPortalAudit } from './portal-audit';
import { completeTotp, linkChart, register, sessionView, setLanguage, signIn, totpConfirm, totpSetup, type Started } from './portal-auth';
import { loadCatalog } from './portal-catalog';
import { chartAppointments, chartReleased, chartResults, chartSummary, type ChartAccess } from './portal-chart';
import {
  checkCsrf,
  checkSameSite,
  clientIp,
  DEFAULT_RATE_LIMITS,
  PortalError,
  pruneRates,
  readJson,
  RECORD_ID,
  refuseOtherRealms,
  securityHeaders,
  type RateLimits,
} from './portal-guard';
import { recordCcda } from './portal-ccda';
import { immunizationRecordPdf, recordBundle, recordPdf } from './portal-record';
import { clearSessionCookie, cookieToken, csrfFor, PortalSessions, setSessionCookie, type PortalSession } from './portal-sessions';
import { defaultPortalUiDir, portalStaticRoutes } from './portal-static';
import { chartThread, chartThreads, messageAttachment } from './portal-threads';
import { loadForms } from './portal-forms';

/**
 * The patient portal on the clinic server: its JSON API under /portal/api (shared/api/portal-http.ts
 * lists every route) and its screens under /portal. A realm of its own: portal accounts and
 * sessions (a cookie), never staff or device credentials. Every read and write of a chart is
 * audited with the account as actor; a chart the account is not linked to answers 404 like a
 * missing one, and the attempt is audited as `portal.denied`.
 */

export interface PortalOptions {
  /** The server's resources (portal settings and forms, schedule, templates, code sets, the password list). */
  resourcesDir: string;
  /** The built screens (out/renderer with portal.html); found beside resourcesDir when not given. */
  uiDir?: string;
  /** The clinic's portal settings; read from resources/portal/portal-settings.json when not given. */
  settings?: PortalSettings;
  now?: () => number;
  rateLimits?: Partial<RateLimits>;
  log?: (line: string) => void;
}

/** Small bodies for everything but messages (which may carry an attachment). */
const SMALL_BODY = 256 * 1024;
const MESSAGE_BODY = 16 * 1024 * 1024;

/** The clinic's portal settings file, or why it cannot be used (the portal then refuses to run on guesses). */
export function loadPortalSettings(resourcesDir: string): { settings: PortalSettings } | { problem: string } {
  const file = join(resourcesDir, 'portal', 'portal-settings.json');
  if (!existsSync(file)) return { settings: portalSettingsFile.parse({}) };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { problem: `${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const parsed = portalSettingsFile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return { problem: `${file} is not valid: ${issues}` };
  }
  return { settings: parsed.data };
}

function errorBody(code: string, message: string): PortalErrorBody {
  return { error: { code, message } };
}

/** The portal's Hono app, mounted by createApp at /portal. */
export function portalApp(sync: SyncService, o: PortalOptions): Hono {
  const log = o.log ?? ((l: string): void => console.error(l));
  const loaded = o.settings ? { settings: o.settings } : loadPortalSettings(o.resourcesDir);
  const app = new Hono();
  app.use('*', securityHeaders());
  app.onError((e, c) => {
    if (e instanceof PortalError) {
      if (e.retryAfterSeconds !== undefined) c.header('Retry-After', String(e.retryAfterSeconds));
      return c.json(errorBody(e.code, e.message), e.status);
    }
    if (e instanceof ServerError) return c.json(errorBody(e.code, e.message), e.status);
    // Important: no request content in the answer or the log; it may hold PHI.
    log(`portal error on ${c.req.method} ${c.req.routePath}: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : 'error'}`);
    return c.json(errorBody('server_error', 'the clinic server could not complete this request; try again in a moment'), 500);
  });

  if ('problem' in loaded) {
    log(`portal: disabled: ${loaded.problem}`);
    app.all('/api/*', () => {
      throw new PortalError(503, 'portal_unavailable', 'the patient portal is not set up correctly on this clinic server: please call the clinic');
    });
  } else {
    const now = o.now ?? Date.now;
    const catalog = loadCatalog(o.resourcesDir, log);
    const sessions = new PortalSessions(sync.db, loaded.settings.sessions, now);
    const portal: Portal = {
      sync,
      auditLog: new PortalAuditLog(sync.db, now),
      sessions,
      catalog,
      settings: loaded.settings,
      now,
      auth: { sync, sessions, settings: loaded.settings, resourcesDir: o.resourcesDir, now, limits: { ...DEFAULT_RATE_LIMITS, ...o.rateLimits } },
      read: { db: sync.db, settings: loaded.settings, catalog, now, summaries: new Map() },
      writes: { sync, settings: loaded.settings, forms: loadForms(o.resourcesDir, log), resourcesDir: o.resourcesDir, now },
    };
    app.route('/api', apiRoutes(portal));
  }
  portalStaticRoutes(app, o.uiDir ?? defaultPortalUiDir(o.resourcesDir));
  return app;
}

// ---- The API -------------------------------------------------------------------------------------

function apiRoutes(p: Portal): Hono {
  const api = new Hono();
  const small = bodyLimit({
    maxSize: SMALL_BODY,
    onError: () => {
      throw new PortalError(413, 'too_large', `this request may carry at most ${SMALL_BODY / 1024} KiB`);
    },
  });
  const large = bodyLimit({
    maxSize: MESSAGE_BODY,
    onError: () => {
      throw new PortalError(413, 'too_large', `a message with its attachment may be at most ${MESSAGE_BODY / 1024 / 1024} MiB as sent`);
    },
  });
  let requests = 0;
  const guard: MiddlewareHandler = async (c, next) => {
    refuseOtherRealms(c);
    // Now and then, forget rate windows and sessions that ended long ago.
    if (++requests % 1000 === 0) void Promise.all([pruneRates(p.sync.db, p.now()), p.sessions.prune()]).catch(() => undefined);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const path = c.req.path;
    return /\/(threads|messages)$/.test(path) ? large(c, next) : small(c, next);
  };
  api.use('*', guard);

  authRoutes(api, p);
  chartRoutes(api, p);
  writeRoutes(api, p);
  api.all('*', (c) => {
    throw new PortalError(404, 'not_found', `no such endpoint: ${c.req.method} ${c.req.path.slice(0, 200)}`);
  });
  return api;
}

async function started(p: Portal, c: Context, s: Started): Promise<SessionView> {
  // The cookie may last as long as a session can; the server ends it sooner when it is left idle.
  setSessionCookie(c, s.token, p.settings.sessions.maxHours * 3600);
  return sessionView(p.sync.db, s.accountId, s.csrf, s.session);
}

function authRoutes(api: Hono, p: Portal): void {
  api.post('/register', async (c) => {
    checkSameSite(c);
    const input = await readJson(c, registerInput);
    return c.json(await started(p, c, await register(p.auth, input, clientIp(c))));
  });

  api.post('/signin', async (c) => {
    checkSameSite(c);
    const input = await readJson(c, signInInput);
    const s = await signIn(p.auth, input, clientIp(c));
    if (!s.session.verified) {
      setSessionCookie(c, s.token, (s.session.endsAt - p.now()) / 1000);
      return c.json({ needsTotp: true });
    }
    return c.json({ needsTotp: false, session: await started(p, c, s) });
  });

  api.post('/signin/totp', async (c) => {
    checkSameSite(c);
    const pending = await signedIn(p, c, { verified: false });
    if (pending.verified) throw new PortalError(409, 'already_signed_in', 'you are signed in already');
    const input = await readJson(c, totpInput);
    return c.json(await started(p, c, await completeTotp(p.auth, pending, input.code, clientIp(c))));
  });

  api.post('/signout', async (c) => {
    checkSameSite(c);
    const s = await signedIn(p, c, { verified: false });
    if (s.verified) checkCsrf(c, s.csrfHash);
    await p.sync.db.tx(async (q) => {
      await p.sessions.revoke(q, s.tokenHash);
      await recordPortalAudit(q, [{ accountId: s.accountId, action: 'portal.signout', patientId: null }], p.now());
    });
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  api.post('/signout/everywhere', async (c) => {
    const s = await changing(p, c);
    await p.sync.db.tx(async (q) => {
      const ended = await p.sessions.revokeAll(q, s.accountId);
      await recordPortalAudit(q, [{ accountId: s.accountId, action: 'portal.signout_everywhere', patientId: null, detail: `${ended} sessions` }], p.now());
    });
    clearSessionCookie(c);
    return c.json({ ok: true });
  });

  api.get('/session', async (c) => {
    const s = await signedIn(p, c);
    return c.json(await sessionView(p.sync.db, s.accountId, csrfFor(cookieToken(c)!), s));
  });

  const again = async (c: Context, s: PortalSession): Promise<Response> => {
    return c.json(await sessionView(p.sync.db, s.accountId, csrfFor(cookieToken(c)!), s));
  };

  api.post('/account/language', async (c) => {
    const s = await changing(p, c);
    const input = await readJson(c, languageInput);
    await setLanguage(p.auth, s.accountId, input.language);
    await audit(p, [{ accountId: s.accountId, action: 'portal.language', patientId: null, detail: input.language }]);
    return again(c, s);
  });

  api.post('/account/totp/setup', async (c) => {
    const s = await changing(p, c);
    const out = await totpSetup(p.auth, s.accountId);
    await audit(p, [{ accountId: s.accountId, action: 'portal.totp_setup', patientId: null }]);
    return c.json(out);
  });

  api.post('/account/totp/confirm', async (c) => {
    const s = await changing(p, c);
    const input = await readJson(c, totpInput);
    await totpConfirm(p.auth, s.accountId, input.code);
    return again(c, s);
  });

  api.post('/account/link', async (c) => {
    const s = await changing(p, c);
    const input = await readJson(c, linkInput);
    await linkChart(p.auth, s.accountId, input, clientIp(c));
    return again(c, s);
  });
}

// ---- Charts --------------------------------------------------------------------------------------

function pdf(bytes: Uint8Array, name: string): Response {
  return new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"` } });
}

const fileName = (a: ChartAccess, what: string, p: Portal): string =>
  `${what}-${a.chart.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'record'}-${clinicDate(p.now(), p.catalog.timeZone)}`;

const language = (s: PortalSession): PortalLanguage => {
  const l = portalLanguage.safeParse(s.language);
  return l.success ? l.data : 'en';
};

function chartRoutes(api: Hono, p: Portal): void {
  const base = '/charts/:patientId';
  /** A GET of one chart: session, chart, the answer, its audit entry. */
  const read = <T>(
    path: string,
    action: string,
    answer: (a: ChartAccess, c: Context, s: PortalSession) => Promise<T>,
    respond: (c: Context, v: T, a: ChartAccess) => Response,
  ): void => {
    api.get(`${base}${path}`, async (c) => {
      const s = await signedIn(p, c);
      const a = await chartOf(p, c, s);
      const value = await answer(a, c, s);
      await audit(p, [readEntry(a, action)]);
      return respond(c, value, a);
    });
  };
  const json = <T>(c: Context, v: T): Response => c.json(v as never);

  read('/summary', 'portal.summary', (a) => chartSummary(p.read, a), json);
  read('/results', 'portal.results', (a) => chartResults(p.read, a), json);
  read('/released', 'portal.released', (a) => chartReleased(p.read, a), json);
  read('/appointments', 'portal.appointments', (a) => chartAppointments(p.read, a), json);
  read('/threads', 'portal.threads', (a) => chartThreads(p.read, a), json);
  read(
    '/immunizations.pdf',
    'portal.immunization_record',
    (a, _c, s) => immunizationRecordPdf(p.read, a, language(s)),
    (_c, v, a) => pdf(v, `${fileName(a, 'immunizations', p)}.pdf`),
  );
  read(
    '/record.pdf',
    'portal.record_pdf',
    (a, _c, s) => recordPdf(p.read, a, language(s)),
    (_c, v, a) => pdf(v, `${fileName(a, 'record', p)}.pdf`),
  );
  read(
    '/record.fhir.json',
    'portal.record_fhir',
    (a, c) => recordBundle(p.read, a, new URL(c.req.url).origin),
    (_c, v, a) =>
      new Response(JSON.stringify(v), {
        headers: {
          'content-type': 'application/fhir+json; charset=utf-8',
          'content-disposition': `attachment; filename="${fileName(a, 'record', p)}.fhir.json"`,
        },
      }),
  );

  read(
    '/record.ccda.xml',
    'portal.record_ccda',
    (a) => recordCcda(p.read, a),
    (_c, v, a) =>
      new Response(v, {
        headers: {
          'content-type': 'application/xml; charset=utf-8',
          'content-disposition': `attachment; filename="${fileName(a, 'record', p)}.ccda.xml"`,
        },
      }),
  );

  api.get(`${base}/threads/:threadId`, async (c) => {
    const s = await signedIn(p, c);
    const a = await chartOf(p, c, s);
    const threadId = c.req.param('threadId');
    const t = RECORD_ID.test(threadId) ? await chartThread(p.read, a, threadId) : null;
    if (!t) return deny(p, a, 'portal_thread', threadId, c);
    await audit(p, [readEntry(a, 'portal.thread', { recordType: 'portal_thread', recordId: threadId })]);
    return c.json(t);
  });

  api.get(`${base}/messages/:messageId/attachment`, async (c) => {
    const s = await signedIn(p, c);
    const a = await chartOf(p, c, s);
    const messageId = c.req.param('messageId');
    const f = RECORD_ID.test(messageId) ? await messageAttachment(p.read, a, messageId) : null;
    if (!f) return deny(p, a, 'portal_message', messageId, c);
    await audit(p, [readEntry(a, 'portal.attachment', { recordType: 'portal_message', recordId: messageId })]);
    const safe = f.name.replace(/[^A-Za-z0-9 ._-]/g, '_').slice(0, 120);
    return new Response(f.bytes, {
      headers: {
        'content-type': f.type,
        'content-disposition': `attachment; filename="${safe}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      },
    });
  });
}
