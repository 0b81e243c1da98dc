import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSecret, generateURI, verify as verifyTotpCode } from 'otplib';
import type { ChartRef, SessionView, TotpSetup } from '../../../shared/api/portal-http';
import type { registerInput, linkInput, signInInput } from '../../../shared/api/portal-http';
import { normaliseInviteCode, portalLanguage, type PortalLanguage, type PortalSettings } from '../../../shared/domain/portal';
import { passwordProblem } from '../../../shared/domain/password-policy';
import { hashPassword, verifyPassword } from '../../common/password';
import { newId } from '../../common/ids';
import type { Sql } from '../db/open';
import { portalAuthor, type SyncService } from '../sync.service';
import { serverLockoutSeconds } from '../user-sessions';
import type { z } from 'zod';
import { recordPortalAudit } from './portal-audit';
import { PortalError, sha256, takeRate, type RateLimits } from './portal-guard';
import type { PortalSession, PortalSessions } from './portal-sessions';

/**
 * Portal accounts: registration with an invitation code and the chart's birth date, sign-in with
 * lockout (as staff accounts on the clinic server), an optional TOTP second factor, proxy links to
 * a child's chart, and the session view the portal's screens start from. Passwords follow the staff
 * policy and are hashed the same way (scrypt).
 */

export interface AuthDeps {
  sync: SyncService;
  sessions: PortalSessions;
  settings: PortalSettings;
  resourcesDir: string;
  now: () => number;
  limits: RateLimits;
}

interface AccountRow {
  id: string;
  username: string;
  email: string;
  display_name: string;
  password_hash: string;
  totp_secret: string | null;
  totp_pending: string | null;
  language: string;
  disabled_at: Date | string | null;
}

export interface Started {
  accountId: string;
  token: string;
  csrf: string;
  session: PortalSession;
}

// ---- Common passwords ----------------------------------------------------------------------------

const commonLists = new Map<string, ReadonlySet<string>>();

/** The shipped breached/common password list (resources/security), read once per folder. */
function commonPasswords(resourcesDir: string): ReadonlySet<string> {
  let list = commonLists.get(resourcesDir);
  if (!list) {
    const file = join(resourcesDir, 'security', 'common-passwords.txt');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // Important: never "no list": a password must not pass because a file went missing.
      throw new PortalError(503, 'server_incomplete', `the clinic server cannot check passwords: ${file} is missing (reinstall Cairn)`);
    }
    list = new Set(
      text
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== ''),
    );
    commonLists.set(resourcesDir, list);
  }
  return list;
}

function checkPassword(d: AuthDeps, password: string, ctx: { username: string; displayName: string }): void {
  const list = commonPasswords(d.resourcesDir);
  const why = passwordProblem(password, { ...ctx, clinicName: d.settings.clinicName }, (c) => list.has(c));
  if (why) throw new PortalError(400, 'weak_password', why);
}

// ---- Views ---------------------------------------------------------------------------------------

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A chart as the portal names it: "Given Family" (the preferred name when the chart has one). */
export function chartName(p: Record<string, unknown>): string {
  const given = text(p['preferred_name']) || text(p['given_name']);
  return `${given} ${text(p['family_name'])}`.trim();
}

/**
 * The charts an account may open: links not revoked, whose invitation the clinic has not withdrawn
 * since, to charts that still exist. The account's own chart first.
 */
export async function chartsOf(q: Sql, accountId: string): Promise<ChartRef[]> {
  const rows = await q.query<{ patient_id: string; kind: string; patient: Record<string, unknown> }>(
    `SELECT l.patient_id, l.kind, p.data AS patient
     FROM portal_links l
     JOIN sync_rows p ON p.entity = 'patient' AND p.entity_id = l.patient_id
     JOIN sync_rows i ON i.entity = 'portal_invite' AND i.entity_id = l.invite_id
     WHERE l.account_id = $1 AND l.revoked_at IS NULL
       AND (i.data->>'revoked_at') IS NULL AND (i.data->>'deleted_at') IS NULL AND (p.data->>'deleted_at') IS NULL
     ORDER BY CASE WHEN l.kind = 'self' THEN 0 ELSE 1 END, l.created_at, l.patient_id`,
    [accountId],
  );
  return rows.map((r) => ({
    patientId: r.patient_id,
    name: chartName(r.patient),
    birthDate: text(r.patient['birth_date']),
    kind: r.kind === 'self' ? 'self' : 'proxy',
  }));
}

async function account(q: Sql, accountId: string, lock = false): Promise<AccountRow | null> {
  const [row] = await q.query<AccountRow>(`SELECT * FROM portal_accounts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [accountId]);
  return row ?? null;
}

export async function sessionView(q: Sql, accountId: string, csrf: string, session: PortalSession): Promise<SessionView> {
  const a = await account(q, accountId);
  if (!a) throw new PortalError(401, 'signed_out', 'you are signed out: sign in again');
  const language = portalLanguage.safeParse(a.language);
  return {
    account: { id: a.id, displayName: a.display_name, email: a.email, language: language.success ? language.data : 'en', totp: a.totp_secret !== null },
    csrfToken: csrf,
    charts: await chartsOf(q, accountId),
    expiresAt: new Date(session.endsAt).toISOString(),
  };
}

// ---- Invitations ---------------------------------------------------------------------------------

interface Invite {
  id: string;
  patientId: string;
  kind: 'self' | 'proxy';
}

const REFUSED = 'this code and birth date do not match an invitation: check the code on your letter (10 letters and digits) and the birth date on the chart';

/**
 * The invitation a typed code names, checked against the chart's birth date, still usable. Refusals
 * say what a person can do; a wrong code and a wrong birth date get the same answer (so a code
 * cannot be confirmed without the birth date), and attempts at one invitation are limited.
 */
async function usableInvite(d: AuthDeps, q: Sql, code: string, birthDate: string, lock: boolean): Promise<Invite> {
  const rows = await q.query<{ entity_id: string; patient_id: string | null; data: Record<string, unknown> }>(
    `SELECT entity_id, patient_id, data FROM sync_rows WHERE entity = 'portal_invite' AND (data->>'code_hash') = $1 ORDER BY entity_id${lock ? ' FOR UPDATE' : ''}`,
    [sha256(normaliseInviteCode(code))],
  );
  // Two invitations with one code (a 1-in-10^15 chance) would both be refused rather than guessed between.
  const inv = rows.length === 1 ? rows[0]! : null;
  const patientId = inv ? (inv.patient_id ?? text(inv.data['patient_id'])) : '';
  if (!inv || !patientId) throw new PortalError(400, 'invite_refused', REFUSED);
  if (!lock) await takeRate(q, `invite:${inv.entity_id}`, d.limits.codeInvite, d.now(), 'with this invitation');
  const [patient] = await q.query<{ birth_date: string | null; deleted: boolean }>(
    `SELECT data->>'birth_date' AS birth_date, (data->>'deleted_at') IS NOT NULL AS deleted FROM sync_rows WHERE entity = 'patient' AND entity_id = $1`,
    [patientId],
  );
  if (!patient || patient.deleted || patient.birth_date !== birthDate) throw new PortalError(400, 'invite_refused', REFUSED);
  const data = inv.data;
  if (data['revoked_at'] || data['deleted_at'])
    throw new PortalError(410, 'invite_revoked', 'the clinic withdrew this invitation: ask the clinic for a new one');
  if (data['redeemed_at'])
    throw new PortalError(
      409,
      'invite_used',
      'this invitation was used already: sign in with the account made with it, or ask the clinic for a new invitation',
    );
  const expires = Date.parse(text(data['expires_at']));
  if (!(expires > d.now())) throw new PortalError(410, 'invite_expired', 'this invitation has expired (they last 14 days): ask the clinic for a new one');
  return { id: inv.entity_id, patientId, kind: data['kind'] === 'proxy' ? 'proxy' : 'self' };
}

/** Marks the invitation used (as a portal change, so every device learns it) and links the chart. */
async function redeem(d: AuthDeps, q: Sql, inv: Invite, accountId: string): Promise<void> {
  const at = new Date(d.now()).toISOString();
  await q.query(
    `INSERT INTO portal_links (account_id, patient_id, kind, invite_id, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (account_id, patient_id) DO UPDATE SET kind = excluded.kind, invite_id = excluded.invite_id, created_at = excluded.created_at, revoked_at = NULL`,
    [accountId, inv.patientId, inv.kind, inv.id, at],
  );
  await d.sync.writeAsPortal(q, portalAuthor(accountId), [
    {
      entity: 'portal_invite',
      id: inv.id,
      patientId: inv.patientId,
      fields: { redeemed_at: at, redeemed_account: accountId, updated_at: at, updated_by: portalAuthor(accountId) },
    },
  ]);
}

// ---- Registration and sign-in --------------------------------------------------------------------

/** A new account from an invitation: the chart linked, the invitation used, a session started. */
export async function register(d: AuthDeps, input: z.output<typeof registerInput>, ip: string): Promise<Started> {
  const username = input.email.trim().toLowerCase();
  await takeRate(d.sync.db, `code-ip:${ip}`, d.limits.codeIp, d.now(), 'from this address');
  await takeRate(d.sync.db, `code-acct:${username}`, d.limits.codeAccount, d.now(), 'for this email address');
  await usableInvite(d, d.sync.db, input.code, input.birthDate, false);
  const [taken] = await d.sync.db.query('SELECT 1 FROM portal_accounts WHERE username = $1', [username]);
  const exists = (): PortalError =>
    new PortalError(409, 'account_exists', 'an account with this email address exists: sign in, then add this chart under Account with the invitation code');
  if (taken) throw exists();
  checkPassword(d, input.password, { username, displayName: input.displayName });
  const hash = await hashPassword(input.password);
  const accountId = newId();
  return d.sync.db.tx(async (q) => {
    // Checked again under the row lock: two registrations with one code cannot both pass.
    const inv = await usableInvite(d, q, input.code, input.birthDate, true);
    const made = await q.query(
      `INSERT INTO portal_accounts (id, username, email, display_name, password_hash, language, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [accountId, username, input.email.trim(), input.displayName, hash, input.language, new Date(d.now()).toISOString()],
    );
    if (made.length === 0) throw exists();
    await redeem(d, q, inv, accountId);
    await recordPortalAudit(
      q,
      [{ accountId, action: 'portal.register', patientId: inv.patientId, recordType: 'portal_invite', recordId: inv.id, detail: inv.kind }],
      d.now(),
    );
    const s = await d.sessions.create(q, accountId, true);
    return { accountId, ...s };
  });
}

/** Adds a chart to a signed-in account with another invitation (a child's, or the account holder's own). */
export async function linkChart(d: AuthDeps, accountId: string, input: z.output<typeof linkInput>, ip: string): Promise<void> {
  await takeRate(d.sync.db, `code-ip:${ip}`, d.limits.codeIp, d.now(), 'from this address');
  await takeRate(d.sync.db, `code-acct:${accountId}`, d.limits.codeAccount, d.now(), 'for this account');
  await usableInvite(d, d.sync.db, input.code, input.birthDate, false);
  await d.sync.db.tx(async (q) => {
    const inv = await usableInvite(d, q, input.code, input.birthDate, true);
    const charts = await chartsOf(q, accountId);
    if (charts.some((c) => c.patientId === inv.patientId)) throw new PortalError(409, 'already_linked', 'this chart is already on your account');
    if (inv.kind === 'self' && charts.some((c) => c.kind === 'self'))
      throw new PortalError(409, 'already_linked', "your account already has its own chart; a child's chart needs a proxy invitation from the clinic");
    await redeem(d, q, inv, accountId);
    await recordPortalAudit(
      q,
      [{ accountId, action: 'portal.link', patientId: inv.patientId, recordType: 'portal_invite', recordId: inv.id, detail: inv.kind }],
      d.now(),
    );
  });
}

const BAD_CREDENTIALS = 'email or password is not right';

/**
 * Counts this attempt as a failure before the password is checked, under the account's row lock,
 * so parallel guesses cannot all pass under the limit (a right password clears the count).
 * Returns the wait in seconds when the account is locked.
 */
async function charge(d: AuthDeps, accountId: string): Promise<number> {
  return d.sync.db.tx(async (q) => {
    const [row] = await q.query<{ failures: number; locked_until: Date | string | null }>(
      'SELECT failures, locked_until FROM portal_accounts WHERE id = $1 FOR UPDATE',
      [accountId],
    );
    const now = d.now();
    const lockedUntil = row?.locked_until ? new Date(row.locked_until).getTime() : 0;
    if (lockedUntil > now) return Math.ceil((lockedUntil - now) / 1000);
    const failures = Number(row?.failures ?? 0) + 1;
    const wait = serverLockoutSeconds(failures);
    await q.query('UPDATE portal_accounts SET failures = $2, locked_until = $3 WHERE id = $1', [
      accountId,
      failures,
      wait ? new Date(now + wait * 1000).toISOString() : null,
    ]);
    return 0;
  });
}

const clearFailures = (d: AuthDeps, accountId: string): Promise<unknown> =>
  d.sync.db.query('UPDATE portal_accounts SET failures = 0, locked_until = NULL WHERE id = $1', [accountId]);

/**
 * Sign-in: a right password starts a session, verified at once or (with TOTP) waiting for the
 * second factor. Failures count toward a lockout per account whatever address they come from.
 */
export async function signIn(d: AuthDeps, input: z.output<typeof signInInput>, ip: string): Promise<Started> {
  const username = input.username.trim().toLowerCase();
  await takeRate(d.sync.db, `signin-ip:${ip}`, d.limits.signinIp, d.now(), 'from this address');
  await takeRate(d.sync.db, `signin-acct:${username}`, d.limits.signinAccount, d.now(), 'for this account');
  const [a] = await d.sync.db.query<AccountRow>('SELECT * FROM portal_accounts WHERE username = $1', [username]);
  if (!a) {
    // Spend the time a real check takes, so addresses cannot be probed by timing.
    await hashPassword(input.password);
    throw new PortalError(401, 'bad_credentials', BAD_CREDENTIALS);
  }
  const wait = await charge(d, a.id);
  if (wait > 0) throw new PortalError(423, 'account_locked', `too many failed sign-ins for this account: try again in ${wait} seconds`, wait);
  if (!(await verifyPassword(input.password, a.password_hash))) {
    await d.sync.db.tx((q) => recordPortalAudit(q, [{ accountId: a.id, action: 'portal.signin_refused', patientId: null, detail: 'password' }], d.now()));
    throw new PortalError(401, 'bad_credentials', BAD_CREDENTIALS);
  }
  await clearFailures(d, a.id);
  if (a.disabled_at) throw new PortalError(403, 'account_disabled', 'this portal account is disabled: call the clinic');
  const verified = a.totp_secret === null;
  return d.sync.db.tx(async (q) => {
    const s = await d.sessions.create(q, a.id, verified);
    await recordPortalAudit(q, [{ accountId: a.id, action: verified ? 'portal.signin' : 'portal.signin_password', patientId: null }], d.now());
    return { accountId: a.id, ...s };
  });
}

// ---- TOTP ----------------------------------------------------------------------------------------

/** One period either side of now: a phone's clock a little off still works. */
const TOTP_TOLERANCE_S = 30;

/** The last time step accepted for an account (kept in the rate-limit table), so a code works once. */
async function lastStep(q: Sql, accountId: string): Promise<number | undefined> {
  const [r] = await q.query<{ count: number }>('SELECT count FROM portal_rate_limits WHERE key = $1', [sha256(`totp-step:${accountId}`)]);
  return r ? Number(r.count) : undefined;
}

async function checkCode(d: AuthDeps, q: Sql, accountId: string, secret: string, code: string): Promise<boolean> {
  const after = await lastStep(q, accountId);
  const r = await verifyTotpCode({
    secret,
    token: code,
    epoch: Math.floor(d.now() / 1000),
    epochTolerance: TOTP_TOLERANCE_S,
    ...(after !== undefined && { afterTimeStep: after }),
  });
  if (!r.valid) return false;
  await q.query(
    `INSERT INTO portal_rate_limits (key, window_start, count) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count`,
    [sha256(`totp-step:${accountId}`), new Date(d.now()).toISOString(), 'timeStep' in r ? r.timeStep : Math.floor(d.now() / 30_000)],
  );
  return true;
}

/** The second factor at sign-in: the waiting session is replaced by a verified one (a new token). */
export async function completeTotp(d: AuthDeps, pending: PortalSession, code: string, ip: string): Promise<Started> {
  const accountId = pending.accountId;
  await takeRate(d.sync.db, `totp-ip:${ip}`, d.limits.totpIp, d.now(), 'from this address');
  await takeRate(d.sync.db, `totp-acct:${accountId}`, d.limits.totpAccount, d.now(), 'for this account');
  const a = await account(d.sync.db, accountId);
  if (!a?.totp_secret) throw new PortalError(401, 'signed_out', 'you are signed out: sign in again');
  const wait = await charge(d, accountId);
  if (wait > 0) throw new PortalError(423, 'account_locked', `too many failed sign-ins for this account: try again in ${wait} seconds`, wait);
  return d.sync.db.tx(async (q) => {
    if (!(await checkCode(d, q, accountId, a.totp_secret!, code))) {
      throw new PortalError(401, 'bad_totp', 'that code is not right or was used already: enter the current 6-digit code from your authenticator app');
    }
    await q.query('UPDATE portal_accounts SET failures = 0, locked_until = NULL WHERE id = $1', [accountId]);
    await d.sessions.revoke(q, pending.tokenHash);
    const s = await d.sessions.create(q, accountId, true);
    await recordPortalAudit(q, [{ accountId, action: 'portal.signin', patientId: null, detail: 'totp' }], d.now());
    return { accountId, ...s };
  });
}

/** Starts turning the second factor on: a new secret waits until a code from it is confirmed. */
export async function totpSetup(d: AuthDeps, accountId: string): Promise<TotpSetup> {
  const a = await account(d.sync.db, accountId);
  if (!a) throw new PortalError(401, 'signed_out', 'you are signed out: sign in again');
  const secret = generateSecret();
  await d.sync.db.query('UPDATE portal_accounts SET totp_pending = $2 WHERE id = $1', [accountId, secret]);
  return { secret, otpauthUrl: generateURI({ issuer: d.settings.clinicName, label: a.email, secret }) };
}

export async function totpConfirm(d: AuthDeps, accountId: string, code: string): Promise<void> {
  await takeRate(d.sync.db, `totp-acct:${accountId}`, d.limits.totpAccount, d.now(), 'for this account');
  await d.sync.db.tx(async (q) => {
    const a = await account(q, accountId, true);
    if (!a?.totp_pending) throw new PortalError(409, 'totp_not_started', 'start setting up the authenticator app first (a new secret is made each time)');
    if (!(await checkCode(d, q, accountId, a.totp_pending, code)))
      throw new PortalError(400, 'bad_totp', 'that code is not right: enter the current 6-digit code the authenticator app shows for this account');
    await q.query('UPDATE portal_accounts SET totp_secret = totp_pending, totp_pending = NULL WHERE id = $1', [accountId]);
    await recordPortalAudit(q, [{ accountId, action: 'portal.totp_enabled', patientId: null }], d.now());
  });
}

export async function setLanguage(d: AuthDeps, accountId: string, language: PortalLanguage): Promise<void> {
  await d.sync.db.query('UPDATE portal_accounts SET language = $2 WHERE id = $1', [accountId, language]);
}
