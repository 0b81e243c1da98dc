import { type Context } from 'hono';
import { type PortalSettings } from '../../../shared/domain/portal';
import type { SyncService } from '../sync.service';
import { type PortalAuditLog, type PortalAuditEntry } from './portal-audit';
import { type AuthDeps } from './portal-auth';
import { type PortalCatalog } from './portal-catalog';
import { openChart, type ChartAccess, type ReadDeps } from './portal-chart';
import { checkCsrf, checkSameSite, PortalError, RECORD_ID } from './portal-guard';
import { cookieToken, type PortalSessions, type PortalSession } from './portal-sessions';
import { type PortalDeps } from './portal-writes';

/** What the portal's route modules share: the portal's parts, the session of a request, the chart it names, audit. */

/** What every portal handler works with. */
export interface Portal {
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

/** The signed-in session of a request (verified: its second factor entered), or a 401. */
export async function signedIn(p: Portal, c: Context, o: { verified?: boolean } = {}): Promise<PortalSession> {
  const s = await p.sessions.find(cookieToken(c));
  if (!s) throw new PortalError(401, 'signed_out', 'you are signed out (or your session ended): sign in again');
  if (o.verified !== false && !s.verified)
    throw new PortalError(401, 'totp_required', 'enter the 6-digit code from your authenticator app to finish signing in');
  return s;
}

/** A state-changing request of a signed-in session: same site, JSON, and the session's CSRF token. */
export async function changing(p: Portal, c: Context): Promise<PortalSession> {
  checkSameSite(c);
  const s = await signedIn(p, c);
  checkCsrf(c, s.csrfHash);
  return s;
}

export const audit = (p: Portal, entries: PortalAuditEntry[]): Promise<void> => p.auditLog.record(entries);

/**
 * The chart a request names, if the session's account is linked to it. Otherwise 404, the same
 * answer a chart that does not exist gets, and the attempt is audited.
 */
export async function chartOf(p: Portal, c: Context, s: PortalSession): Promise<ChartAccess> {
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
export async function deny(p: Portal, a: ChartAccess, recordType: string, recordId: string, c: Context): Promise<never> {
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
export function readEntry(a: ChartAccess, action: string, extra: Partial<PortalAuditEntry> = {}): PortalAuditEntry {
  return { accountId: a.accountId, action, patientId: a.chart.patientId, detail: a.chart.kind, ...extra };
}
