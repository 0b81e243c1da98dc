/**
 * Patient portal figures for `npm run bench` (`--only portal`): a real clinic server (PostgreSQL at
 * 127.0.0.1:5432 when it answers, else PGlite) holding 200 charts with a decade of history each (the
 * scale profile's mix: visits, notes, vitals, lab panels, medications, problems, immunizations),
 * 50 patients invited from a real desktop database and registered over HTTP, then:
 * - `portal.signin`: one sign-in (scrypt, deliberately slow) — reported, and kept out of the others;
 * - `portal.summary_first` / `portal.summary_alone`: GET summary one session at a time, a chart's
 *   first read (built from its rows) and a read of an unchanged chart (the summary reused);
 * - `portal.summary` (the target): 50 sessions signed in at once, each reading its summary again
 *   0.5–1.5 s after its answer (about 50 requests a second), charts unchanged during the run;
 * - `portal.summary_saturated`: the same 50 with no pause (answers/s; latency there is queueing);
 * - `portal.message_to_desk`: a patient sends a message → the desk's device syncs at once (the
 *   minute between syncs excluded) → the thread is in the desk's portal inbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer, type RunningServer } from '../../electron/server/server';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers, type Handlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import { enrollThisDevice, inProcessSyncLoop } from '../../electron/services/sync';
import { CSRF_HEADER, PORTAL_API, type SessionView, type ThreadView } from '../../shared/api/portal-http';
import { createPatientGenerator, createRng } from './generate';
import type { LatencyRow, Row } from './report';
import { patientId, seedClinic } from './scale-seed';
import { serverDb, signIn } from './server-db';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const CHARTS = 200;
const PORTAL_PATIENTS = 50;
const SUMMARY_ROUNDS = 20;
const MESSAGES = 20;
const PASSPHRASE = 'portal bench clinic passphrase';
const ADMIN = { username: 'admin', password: 'amber kestrel 41' };
const DOC = { username: 'drbench', password: 'physician bench 7 lantern' };
/** No limits in the way of one address registering and signing in fifty patients. */
const OPEN = { max: 100_000, windowSeconds: 60 };

export interface PortalBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  latencyRow: LatencyRow;
  progress: (m: string) => void;
  resourcesDir: string;
  seed: number;
}

/** One patient's browser: the session cookie and the CSRF token the portal gave it. */
interface Patient {
  patientId: string;
  cookie: string;
  csrf: string;
}

async function call<T>(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; who?: Patient } = {},
): Promise<{ value: T; cookie: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.who) {
    headers['cookie'] = init.who.cookie;
    headers[CSRF_HEADER] = init.who.csrf;
  }
  const res = await fetch(`${base}${PORTAL_API}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`);
  const set = res.headers.get('set-cookie');
  return { value: JSON.parse(text) as T, cookie: set ? set.split(';')[0]! : null };
}

async function desk(c: PortalBenchContext, dir: string): Promise<{ session: Session; handlers: Handlers; ok: <T>(ch: string, i?: unknown) => Promise<T> }> {
  const session = new Session({ dbFile: join(dir, 'desk.cairn'), resourcesDir: c.resourcesDir });
  let handlers = createHandlers({ session });
  const ok = async <T>(ch: string, i: unknown = {}): Promise<T> => {
    const r = await dispatch(handlers, ch, i);
    if (!r.ok) throw new Error(`${ch}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  await ok('session.setup', {
    clinicName: 'Portal Bench Clinic',
    passphrase: PASSPHRASE,
    adminUsername: ADMIN.username,
    adminDisplayName: 'Bench Admin',
    adminPassword: ADMIN.password,
  });
  await ok('users.create', { username: DOC.username, displayName: 'Dr. Bench', role: 'physician', password: DOC.password });
  await ok('session.logout');
  await ok('session.login', DOC);
  const loop = inProcessSyncLoop(session.repos.store, session.repos, () => session.status().user?.id ?? null);
  handlers = createHandlers({ session, sync: loop });
  return { session, handlers, ok };
}

export async function benchPortal(c: PortalBenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-portal-'));
  const db = await serverDb('portal');
  let server: RunningServer | null = null;
  let session: Session | null = null;
  try {
    server = await startServer({
      target: db.target,
      resourcesDir: c.resourcesDir,
      port: 0,
      portal: { rateLimits: { signinIp: OPEN, signinAccount: OPEN, codeIp: OPEN, codeAccount: OPEN, codeInvite: OPEN } },
    });
    c.progress(`portal: clinic server on ${db.label}; the desk's device`);
    const d = await desk(c, dir);
    session = d.session;
    const { code } = await server.sync.createEnrollmentCode('front desk');
    await enrollThisDevice(d.session.repos.store, d.session.repos, { serverUrl: server.url, code, deviceName: 'front desk' });
    // The accounts made on this device are pushed under the administrator's session.
    await signIn(d.session.repos.store, ADMIN.username, ADMIN.password);
    await signIn(d.session.repos.store, DOC.username, DOC.password);
    const docId = d.session.status().user!.id;

    c.progress(`portal: ${CHARTS} charts with a decade of history on the server`);
    const birth = new Map<string, string>();
    const before = Number((await server.db.query<{ n: number }>('SELECT n FROM sync_counter WHERE id = 1'))[0]!.n);
    await seedClinic(
      server,
      CHARTS,
      { physicians: [docId, docId, docId, docId, docId], nurses: [docId] },
      createPatientGenerator(c.seed),
      (g, p) => birth.set(patientId(g), p.birthDate),
      c.progress,
    );
    // The seed writes the change log; the merged rows the portal reads follow from it (every change an insert).
    await server.db.query(
      `INSERT INTO sync_rows (entity, entity_id, patient_id, data, clocks, hlc, server_seq)
       SELECT entity, entity_id, patient_id, fields, clocks, hlc, server_seq FROM sync_changes WHERE server_seq > $1 ON CONFLICT DO NOTHING`,
      [before],
    );
    await d.ok('sync.now');

    c.progress(`portal: ${PORTAL_PATIENTS} invitations from the desk, registered over HTTP`);
    const invited: { patientId: string; code: string }[] = [];
    for (let g = 1; g <= PORTAL_PATIENTS; g++) {
      const inv = await d.ok<{ code: string }>('portal.invite', { patientId: patientId(g), kind: 'self' });
      invited.push({ patientId: patientId(g), code: inv.code });
    }
    const pushed = await d.ok<{ error: { message: string } | null }>('sync.now');
    const [held] = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'portal_invite'");
    if (Number(held!.n) !== PORTAL_PATIENTS) throw new Error(`the invitations did not reach the server (${held!.n}): ${JSON.stringify(pushed)}`);
    const base = server.url;
    const password = (i: number): string => `meadow ${i} orbit lantern river`;
    for (const [i, inv] of invited.entries()) {
      await call(base, '/register', {
        body: {
          code: inv.code,
          birthDate: birth.get(inv.patientId),
          email: `patient${i}@example.org`,
          displayName: `Bench Patient ${i}`,
          password: password(i),
          language: i % 3 ? 'en' : 'es',
        },
      });
    }

    // Sign-in: the scrypt check is the point of it (deliberately slow); the other figures exclude it.
    const signins: number[] = [];
    const patients: Patient[] = [];
    for (const [i, inv] of invited.entries()) {
      const t0 = performance.now();
      const r = await call<{ needsTotp: boolean; session?: SessionView }>(base, '/signin', {
        body: { username: `patient${i}@example.org`, password: password(i) },
      });
      signins.push(performance.now() - t0);
      if (!r.cookie || !r.value.session) throw new Error('a bench sign-in got no session');
      patients.push({ patientId: inv.patientId, cookie: r.cookie, csrf: r.value.session.csrfToken });
    }
    c.latencyRow('portal.signin', signins, 'POST /portal/api/signin: password check (scrypt, as staff), session and CSRF token, audit; sequential');

    // Fifty sessions at once, each asking again as soon as it has its answer.
    const summary = (p: Patient): Promise<unknown> => call(base, `/charts/${p.patientId}/summary`, { who: p });
    // The first read of a chart builds its summary; later reads of an unchanged chart reuse it.
    const timeEach = async (): Promise<number[]> => {
      const out: number[] = [];
      for (const p of patients) {
        const t0 = performance.now();
        await summary(p);
        out.push(performance.now() - t0);
      }
      return out;
    };
    c.latencyRow('portal.summary_first', await timeEach(), "GET summary, one session at a time, each chart's first read (the summary built from its rows)");
    c.latencyRow('portal.summary_alone', await timeEach(), 'GET summary, one session at a time, charts unchanged since their last read');
    // Fifty patients signed in at once, each reading their summary again about a second after the
    // last answer (quicker than any person clicks): 50 requests a second from 50 live sessions.
    const rng = createRng(c.seed);
    const times: number[] = [];
    await Promise.all(
      patients.map(async (p) => {
        await sleep(rng.next() * 1000);
        for (let k = 0; k < SUMMARY_ROUNDS; k++) {
          const t0 = performance.now();
          await summary(p);
          times.push(performance.now() - t0);
          await sleep(500 + rng.next() * 1000);
        }
      }),
    );
    c.latencyRow(
      'portal.summary',
      times,
      `GET summary (problems, medications, allergies, immunizations, vitals trends, visit summaries; audited) by ${PORTAL_PATIENTS} sessions signed in at once, each asking again 0.5–1.5 s after its answer (~50/s), ${db.label}, loopback`,
      50,
    );
    // Saturation: the same fifty with no pause at all (every session always waiting for an answer).
    const busy: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      patients.map(async (p) => {
        for (let k = 0; k < SUMMARY_ROUNDS; k++) {
          const t = performance.now();
          await summary(p);
          busy.push(performance.now() - t);
        }
      }),
    );
    const perS = busy.length / ((performance.now() - t0) / 1000);
    c.latencyRow('portal.summary_saturated', busy, `the same ${PORTAL_PATIENTS} sessions with no pause: ${Math.round(perS)} answers/s; latency is queueing`);
    c.json['portal.summary_saturated.per_s'] = Math.round(perS);

    // Patient sends → the desk's device syncs at once → the thread is in its inbox.
    const toDesk: number[] = [];
    for (let k = 0; k < MESSAGES; k++) {
      const p = patients[k % patients.length]!;
      const t0 = performance.now();
      const { value: thread } = await call<ThreadView>(base, `/charts/${p.patientId}/threads`, {
        body: { subject: `Question ${k}`, body: 'Can I take my tablets with food?' },
        who: p,
      });
      let seen = false;
      for (let tries = 0; tries < 5 && !seen; tries++) {
        await d.ok('sync.now');
        const inbox = await d.ok<{ id: string }[]>('portal.inbox', { status: 'open', assignedTo: 'any' });
        seen = inbox.some((t) => t.id === thread.id);
      }
      if (!seen) throw new Error('a portal message never reached the desk');
      toDesk.push(performance.now() - t0);
    }
    c.latencyRow(
      'portal.message_to_desk',
      toDesk,
      'patient POSTs a message → desk device syncs at once (push + pull; the sync interval excluded) → thread listed in portal.inbox',
      2000,
    );
  } finally {
    session?.close();
    await server?.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
