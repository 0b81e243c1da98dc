import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
  bookInput,
  cancelInput,
  formAnswersInput,
  languageInput,
  linkInput,
  messageInput,
  newThreadInput,
  registerInput,
  signInInput,
  totpInput,
  visitRequestInput,
  type ClinicInfo,
  type PortalErrorBody,
  type SessionView,
} from '../../../shared/api/portal-http';
import { portalLanguage, portalSettingsFile, type PortalLanguage, type PortalSettings } from '../../../shared/domain/portal';
import { ServerError } from '../server-error';
import type { SyncService } from '../sync.service';
import { PortalAuditLog, recordPortalAudit, type PortalAuditEntry } from './portal-audit';
import { completeTotp, linkChart, register, sessionView, setLanguage, signIn, totpConfirm, totpSetup, type AuthDeps, type Started } from './portal-auth';
import { loadCatalog, type PortalCatalog } from './portal-catalog';
import { chartAppointments, chartReleased, chartResults, chartSummary, openChart, ownsRecord, type ChartAccess, type ReadDeps } from './portal-chart';
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
import { immunizationRecordPdf, recordBundle, recordPdf } from './portal-record';
import { clearSessionCookie, cookieToken, csrfFor, PortalSessions, setSessionCookie, type PortalSession } from './portal-sessions';
import { defaultPortalUiDir, portalStaticRoutes } from './portal-static';
import { chartThread, chartThreads, messageAttachment } from './portal-threads';
import { formsDue, loadForms } from './portal-forms';
import { openSlots } from './portal-slots';
import { addMessage, bookAppointment, cancelAppointment, requestVisit, startThread, submitForm, type PortalActor, type PortalDeps } from './portal-writes';

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

/** What every portal handler works with. */
interface Portal {
  sync: SyncService;
  /** Entries of reads and refusals, committed in groups (portal-audit.ts). */
  auditLog: PortalAuditLog;
  auth: AuthDeps;
  read: ReadDeps;
  /** What the write, slot and form services (portal-writes.ts, portal-slots.ts, portal-forms.ts) work with. */
  writes: PortalDeps;
  sessions: PortalSessions;
  catalog: PortalCatalog;
  settings: PortalSettings;
  now: () => number;
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

/** The signed-in session of a request (verified: its second factor entered), or a 401. */
async function signedIn(p: Portal, c: Context, o: { verified?: boolean } = {}): Promise<PortalSession> {
  const s = await p.sessions.find(cookieToken(c));
  if (!s) throw new PortalError(401, 'signed_out', 'you are signed out (or your session ended): sign in again');
  if (o.verified !== false && !s.verified)
    throw new PortalError(401, 'totp_required', 'enter the 6-digit code from your authenticator app to finish signing in');
  return s;
}

/** A state-changing request of a signed-in session: same site, JSON, and the session's CSRF token. */
async function changing(p: Portal, c: Context): Promise<PortalSession> {
  checkSameSite(c);
  const s = await signedIn(p, c);
  checkCsrf(c, s.csrfHash);
  return s;
}

const audit = (p: Portal, entries: PortalAuditEntry[]): Promise<void> => p.auditLog.record(entries);

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

/**
 * The chart a request names, if the session's account is linked to it. Otherwise 404, the same
 * answer a chart that does not exist gets, and the attempt is audited.
 */
async function chartOf(p: Portal, c: Context, s: PortalSession): Promise<ChartAccess> {
  const id = c.req.param('patientId') ?? '';
  const a = RECORD_ID.test(id) ? await openChart(p.read, s.accountId, id) : null;
  if (!a) {
    await audit(p, [
      {
        accountId: s.accountId,
        action: 'portal.denied',
        patientId: RECORD_ID.test(id) ? id : null,
        recordType: 'chart',
        detail: `${c.req.method} ${c.req.routePath}`,
      },
    ]);
    throw new PortalError(404, 'not_found', 'no such chart');
  }
  return a;
}

/** 404 for a record the chart does not hold (or the viewer may not see), audited as an attempt. */
async function deny(p: Portal, a: ChartAccess, recordType: string, recordId: string, c: Context): Promise<never> {
  await audit(p, [
    {
      accountId: a.accountId,
      action: 'portal.denied',
      patientId: a.chart.patientId,
      recordType,
      recordId: RECORD_ID.test(recordId) ? recordId : null,
      detail: `${a.chart.kind}; ${c.req.method} ${c.req.routePath}`,
    },
  ]);
  throw new PortalError(
    404,
    'not_found',
    `no such ${recordType === 'portal_thread' ? 'conversation' : recordType === 'portal_message' ? 'message' : 'record'}`,
  );
}

/** Audits one read of a chart: the account as actor, the chart as patient, self or proxy. */
function readEntry(a: ChartAccess, action: string, extra: Partial<PortalAuditEntry> = {}): PortalAuditEntry {
  return { accountId: a.accountId, action, patientId: a.chart.patientId, detail: a.chart.kind, ...extra };
}

function pdf(bytes: Uint8Array, name: string): Response {
  return new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"` } });
}

const fileName = (a: ChartAccess, what: string, p: Portal): string =>
  `${what}-${a.chart.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'record'}-${new Date(p.now()).toISOString().slice(0, 10)}`;

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

// ---- Writes, slots and forms (the services are portal-writes.ts, portal-slots.ts and portal-forms.ts) --

const actor = (s: PortalSession, a: ChartAccess): PortalActor => ({ accountId: s.accountId, displayName: s.displayName, kind: a.chart.kind });

function writeRoutes(api: Hono, p: Portal): void {
  const base = '/charts/:patientId';

  api.get('/clinic', (c) => {
    const info: ClinicInfo = {
      name: p.settings.clinicName,
      phone: p.settings.clinicPhone,
      timeZone: p.catalog.timeZone,
      maxAttachmentBytes: p.settings.messages.maxAttachmentBytes,
      maxBodyChars: p.settings.messages.maxBodyChars,
    };
    return c.json(info);
  });

  api.get('/forms/:formId', async (c) => {
    await signedIn(p, c);
    const form = p.writes.forms.get(c.req.param('formId'));
    if (!form) throw new PortalError(404, 'not_found', 'no such form');
    return c.json(form);
  });

  api.get(`${base}/forms`, async (c) => {
    const s = await signedIn(p, c);
    const a = await chartOf(p, c, s);
    const due = await formsDue(p.writes, a.chart.patientId);
    await audit(p, [readEntry(a, 'portal.forms')]);
    return c.json(due);
  });

  api.get(`${base}/slots`, async (c) => {
    const s = await signedIn(p, c);
    const a = await chartOf(p, c, s);
    const type = (c.req.query('type') ?? '').slice(0, 60);
    const from = (c.req.query('from') ?? '').slice(0, 10);
    const slots = await openSlots(p.writes, type, from);
    await audit(p, [readEntry(a, 'portal.slots', { recordType: 'appointment_type', recordId: type || null })]);
    return c.json(slots);
  });

  /**
   * A POST of one chart: same site, session, CSRF, the chart; a record it names must be this chart's
   * (and visible to the viewer) or the answer is 404 and the attempt audited. The service writes;
   * the route audits what was written.
   */
  const write = <T>(
    path: string,
    action: string,
    run: (a: ChartAccess, who: PortalActor, c: Context) => Promise<{ value: T; entry?: Partial<PortalAuditEntry> }>,
    owns?: { entity: string; param: string },
  ): void => {
    api.post(`${base}${path}`, async (c) => {
      const s = await changing(p, c);
      const a = await chartOf(p, c, s);
      if (owns) {
        const id = c.req.param(owns.param) ?? '';
        if (!RECORD_ID.test(id) || !(await ownsRecord(p.read, a, owns.entity, id))) return deny(p, a, owns.entity, id, c);
      }
      let out: { value: T; entry?: Partial<PortalAuditEntry> };
      try {
        out = await run(a, actor(s, a), c);
      } catch (e) {
        // A record of another chart named in the body (an appointment for a form): refused as any other.
        if (e instanceof ServerError && e.status === 404)
          await audit(p, [readEntry(a, 'portal.denied', { detail: `${a.chart.kind}; ${c.req.method} ${c.req.routePath}` })]);
        throw e;
      }
      await audit(p, [readEntry(a, action, out.entry)]);
      return c.json(out.value as never);
    });
  };

  write('/threads', 'portal.thread_start', async (a, who, c) => {
    const t = await startThread(p.writes, who, a.chart.patientId, await readJson(c, newThreadInput));
    return { value: t, entry: { recordType: 'portal_thread', recordId: t.id } };
  });
  write(
    '/threads/:threadId/messages',
    'portal.message',
    async (a, who, c) => {
      const threadId = c.req.param('threadId') ?? '';
      const t = await addMessage(p.writes, who, a.chart.patientId, threadId, await readJson(c, messageInput));
      return { value: t, entry: { recordType: 'portal_thread', recordId: threadId } };
    },
    { entity: 'portal_thread', param: 'threadId' },
  );
  write('/visit-requests', 'portal.visit_request', async (a, who, c) => {
    const t = await requestVisit(p.writes, who, a.chart.patientId, await readJson(c, visitRequestInput));
    return { value: t, entry: { recordType: 'portal_thread', recordId: t.id } };
  });
  write('/appointments', 'portal.book', async (a, who, c) => {
    const v = await bookAppointment(p.writes, who, a.chart.patientId, await readJson(c, bookInput));
    return { value: v, entry: { recordType: 'appointment', recordId: v.id } };
  });
  write(
    '/appointments/:appointmentId/cancel',
    'portal.cancel',
    async (a, who, c) => {
      const id = c.req.param('appointmentId') ?? '';
      const v = await cancelAppointment(p.writes, who, a.chart.patientId, id, await readJson(c, cancelInput));
      return { value: v, entry: { recordType: 'appointment', recordId: id } };
    },
    { entity: 'appointment', param: 'appointmentId' },
  );
  write('/forms/:formId', 'portal.form_submit', async (a, who, c) => {
    const formId = c.req.param('formId') ?? '';
    const out = await submitForm(p.writes, who, a.chart.patientId, formId, await readJson(c, formAnswersInput));
    return { value: out, entry: { recordType: 'patient_reported_item', recordId: out.submissionId, detail: `${a.chart.kind}; form ${formId.slice(0, 60)}` } };
  });
}
