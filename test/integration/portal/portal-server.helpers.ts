import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../../../electron/common/ids';
import type { RunningServer } from '../../../electron/server/server';
import type { PortalOptions } from '../../../electron/server/portal/portal.routes';
import { writeLog, type LockedRow, type LogEntry } from '../../../electron/server/sync-log';
import { CSRF_HEADER, PORTAL_COOKIE, type SessionView } from '../../../shared/api/portal-http';
import { INVITE_CODE_ALPHABET, normaliseInviteCode, portalSettingsFile, type PortalSettings } from '../../../shared/domain/portal';
import type { Fields } from '../../../shared/sync/entities';
import { encodeHlc } from '../../../shared/sync/hlc';
import { startTestServer, type Backend } from '../../helpers/sync-server';
import { resourcesDir } from '../../helpers/temp-db';

// What the portal's server tests share: a clinic server with the portal mounted and a clock the
// test moves, charts seeded straight into the server's change log (as a device's push would leave
// them), and a portal client that keeps its cookie and CSRF token like the browser does.

export const PASSWORD = 'violet anchor marble kettle';

/** A clock the test moves (the portal's only: sync keeps real time, so devices' pushes are not "ahead"). */
export class TestClock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

export const settingsWith = (s: Record<string, unknown> = {}): PortalSettings =>
  portalSettingsFile.parse({
    clinicName: 'Juniper Family Practice',
    release: { defaultDays: 0, rules: [{ kind: 'pathology', label: 'Pathology', days: 3, loinc: ['22637-3'], orderCodes: ['88305'] }] },
    booking: { appointmentTypes: ['follow-up', 'telehealth'], minNoticeHours: 24, horizonDays: 30, cancelNoticeHours: 24 },
    ...s,
  });

export type PortalServer = RunningServer & { stop: () => Promise<void> };

export async function startPortalServer(backend: Backend, clock: TestClock, portal: Partial<PortalOptions> = {}): Promise<PortalServer> {
  return startTestServer(backend, undefined, undefined, {
    portal: { resourcesDir, now: clock.now, settings: settingsWith(), uiDir: '/nonexistent-portal-build', ...portal },
  });
}

// ---- Seeding -------------------------------------------------------------------------------------

export interface Seed {
  entity: string;
  id: string;
  patientId: string | null;
  fields: Fields;
}

/** Writes rows into the server's change log and merged rows, as an accepted device push leaves them. */
export async function seed(server: RunningServer, rows: Seed[]): Promise<void> {
  const hlc = encodeHlc({ wall: Date.now(), counter: 0, node: 'seed-device' });
  const log: LogEntry[] = [];
  const map = new Map<string, LockedRow>();
  for (const r of rows) {
    const clocks = Object.fromEntries(Object.keys(r.fields).map((k) => [k, hlc]));
    log.push({
      deviceId: null,
      deviceSeq: null,
      entity: r.entity,
      entityId: r.id,
      patientId: r.patientId,
      op: 'insert',
      fields: r.fields,
      clocks,
      authorId: null,
    });
    map.set(`${r.entity}\u0000${r.id}`, { entity: r.entity, entityId: r.id, patientId: r.patientId, data: r.fields, clocks });
  }
  await server.db.tx((q) => writeLog(q, log, map));
}

const STAFF = 'seed-staff-user';
const stamp = (at = '2026-11-01T10:00:00.000Z'): Fields => ({
  created_at: at,
  created_by: STAFF,
  updated_at: at,
  updated_by: STAFF,
  deleted_at: null,
  deleted_by: null,
});

export function patient(o: { given: string; family: string; birthDate: string; id?: string }): Seed {
  const id = o.id ?? newId();
  return {
    entity: 'patient',
    id,
    patientId: id,
    fields: {
      id,
      ...stamp(),
      mrn: String(1_000_000 + Math.floor(Math.random() * 8_000_000)),
      given_name: o.given,
      middle_name: null,
      family_name: o.family,
      preferred_name: null,
      birth_date: o.birthDate,
      sex: 'female',
      identifiers: '[]',
      restricted: 0,
    },
  };
}

/** A readable invitation code, as the desktop prints it ("7KQ2M-XW9PD"). */
export function inviteCode(): string {
  const chars = [...randomBytes(10)].map((b) => INVITE_CODE_ALPHABET[b % INVITE_CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export const codeHash = (code: string): string => createHash('sha256').update(normaliseInviteCode(code)).digest('hex');

export function invite(
  patientId: string,
  code: string,
  o: { kind?: 'self' | 'proxy'; expiresAt?: string; revokedAt?: string | null; redeemedAt?: string | null; id?: string } = {},
): Seed {
  const id = o.id ?? newId();
  return {
    entity: 'portal_invite',
    id,
    patientId,
    fields: {
      id,
      ...stamp(),
      patient_id: patientId,
      kind: o.kind ?? 'self',
      proxy_name: o.kind === 'proxy' ? 'Rowan Ashby' : null,
      proxy_relationship: o.kind === 'proxy' ? 'parent' : null,
      code_hash: codeHash(code),
      expires_at: o.expiresAt ?? new Date(Date.now() + 14 * 86_400_000).toISOString(),
      redeemed_at: o.redeemedAt ?? null,
      redeemed_account: null,
      revoked_at: o.revokedAt ?? null,
      revoked_by: o.revokedAt ? STAFF : null,
    },
  };
}

/** Any clinical row of a chart: id, patient, stamps and the given columns. */
export function record(entity: string, patientId: string, fields: Fields, id = newId()): Seed {
  return { entity, id, patientId, fields: { id, ...stamp(), patient_id: patientId, ...fields } };
}

// ---- The portal's client -------------------------------------------------------------------------

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A browser's view of the portal: one cookie jar (the portal cookie), the CSRF token from the last session view. */
export class PortalClient {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(
    readonly base: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const m = new RegExp(`^${PORTAL_COOKIE}=([^;]*)`).exec(c);
      if (m) this.cookie = m[1] === '' ? null : m[1]!;
    }
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const res = await this.fetchImpl(`${this.base}/portal/api${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(this.cookie && { cookie: `${PORTAL_COOKIE}=${this.cookie}` }),
        ...(this.csrf && method !== 'GET' && { [CSRF_HEADER]: this.csrf }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    this.remember(res);
    const text = method === 'HEAD' ? '' : Buffer.from(await res.arrayBuffer()).toString('latin1');
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(Buffer.from(text, 'latin1').toString('utf8'));
    const out = { status: res.status, body: parsed as T, headers: res.headers, text };
    const session = (out.body as { csrfToken?: string; session?: { csrfToken?: string } } | null) ?? null;
    const csrf = session?.csrfToken ?? session?.session?.csrfToken;
    if (res.ok && typeof csrf === 'string') this.csrf = csrf;
    return out;
  }

  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<Answer<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body: unknown = {}, headers?: Record<string, string>): Promise<Answer<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  async register(code: string, birthDate: string, email: string, o: { displayName?: string; password?: string } = {}): Promise<Answer<SessionView>> {
    return this.post<SessionView>('/register', {
      code,
      birthDate,
      email,
      displayName: o.displayName ?? 'Rowan Ashby',
      password: o.password ?? PASSWORD,
      language: 'en',
    });
  }

  async signIn(email: string, password = PASSWORD): Promise<Answer<{ needsTotp: boolean; session?: SessionView }>> {
    return this.post('/signin', { username: email, password });
  }
}

/** Audit entries of the portal (device 'portal'), oldest first. */
export async function portalAudit(
  server: RunningServer,
  where = 'TRUE',
  params: unknown[] = [],
): Promise<
  {
    seq: number;
    user_id: string | null;
    action: string;
    patient_id: string | null;
    record_type: string | null;
    record_id: string | null;
    detail: string | null;
  }[]
> {
  return server.db.query(
    `SELECT seq, user_id, action, patient_id, record_type, record_id, detail FROM audit_entries WHERE device_id = 'portal' AND ${where} ORDER BY seq`,
    params,
  );
}

/** A chart with a self invitation, registered: its account's client. */
export async function registeredPatient(
  server: PortalServer,
  o: { given: string; family: string; birthDate: string; email: string },
): Promise<{ client: PortalClient; patientId: string; session: SessionView }> {
  const p = patient(o);
  const code = inviteCode();
  await seed(server, [p, invite(p.id, code)]);
  const client = new PortalClient(server.url);
  const r = await client.register(code, o.birthDate, o.email, { displayName: `${o.given} ${o.family}` });
  if (r.status !== 200) throw new Error(`registration failed: ${r.status} ${r.text}`);
  return { client, patientId: p.id, session: r.body };
}
