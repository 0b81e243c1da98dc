import { wallTime } from '../../../shared/domain/dates';
import { hidesConfidentialFromProxy, releaseAt, releaseDelayDays, type PortalSettings } from '../../../shared/domain/portal';
import type { Sql } from '../db/open';
import { serverLogger } from '../logging';
import { noticeEmail, type NoticeKind, type Notifier } from './notifier';
import { scheduleFiles } from './portal-slots';

/**
 * Emails that tell portal accounts something is waiting: a new message from staff, newly released
 * results (at most one email per chart per day), and a reminder of a visit starting in 24–48 hours.
 * Each account linked to the chart gets one, in its language, with no health information.
 *
 * Each notice is a row of portal_notifications keyed by `ref` (kind, what it is about, account),
 * claimed before it is sent, so it goes out once across restarts and server processes. `error`
 * holds its state: null sent; `sending N` being sent (attempt N); `attempt N failed: …` to retry
 * after a while; `gave up after N attempts: …`. A process that dies while sending leaves a claim
 * that is taken over after STALE_MS (that email may then go out twice: rare, and better than never).
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;
const STALE_MS = 10 * 60_000;

export interface NotifyDeps {
  sync: { db: Sql };
  settings: PortalSettings;
  resourcesDir: string;
  now: () => number;
}

export interface NotifyOptions {
  /** Wait this long before trying a failed email again (default 5 minutes). */
  retryAfterMs?: number;
  /** Stop after this many failed attempts (default 8). */
  maxAttempts?: number;
  /** Messages and results older than this are never announced (default 7 days): a new server does not email the past. */
  lookbackDays?: number;
}

interface Notice {
  ref: string;
  accountId: string;
  kind: NoticeKind;
  email: string;
  language: string;
  /** For a result notice: the results it announces, remembered when it is claimed so none is announced twice. */
  covers?: string[];
}

interface Link {
  accountId: string;
  patientId: string;
  kind: string;
  since: number;
  email: string;
  language: string;
}

type Candidate = { patientId: string; ids: string[]; at: number };

const FINAL = ['final', 'corrected', 'amended'];
const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

export interface TickReport {
  sent: number;
  failed: number;
}

export class PortalNotify {
  private readonly retryAfterMs: number;
  private readonly maxAttempts: number;
  private readonly lookbackMs: number;

  constructor(
    private readonly deps: NotifyDeps,
    private readonly notifier: Notifier,
    o: NotifyOptions = {},
  ) {
    this.retryAfterMs = o.retryAfterMs ?? 5 * 60_000;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.lookbackMs = (o.lookbackDays ?? 7) * DAY;
  }

  private get db(): Sql {
    return this.deps.sync.db;
  }

  /** Finds what is new, sends each notice once, and retries the failed ones that are due. */
  async tick(): Promise<TickReport> {
    const now = this.deps.now();
    const report: TickReport = { sent: 0, failed: 0 };
    for (const n of await this.due(now)) await this.deliver(n, 1, null, now, report);
    for (const r of await this.retries(now)) await this.deliver(r.notice, r.attempt, r.error, now, report);
    if (report.failed > 0)
      serverLogger().warn({ event: 'portal.notify', sent: report.sent, failed: report.failed }, 'portal notifications failed; retried later');
    return report;
  }

  /** Claims a notice (a new row, or a failed row as it was read), sends it, records how it went. */
  private async deliver(n: Notice, attempt: number, wasError: string | null, now: number, report: TickReport): Promise<void> {
    // A new notice's claim and the results it covers are recorded in one statement: both or neither.
    const claimed =
      wasError === null
        ? await this.db.query(
            `WITH claim AS (
               INSERT INTO portal_notifications (ref, account_id, kind, sent_at, error) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ref) DO NOTHING RETURNING ref
             ), covered AS (
               INSERT INTO portal_notifications (ref, account_id, kind, sent_at, error)
               SELECT 'result_seen:' || x || ':' || $2, $2, 'result_seen', $4, NULL FROM unnest($6::text[]) AS x WHERE EXISTS (SELECT 1 FROM claim)
               ON CONFLICT (ref) DO NOTHING
             )
             SELECT ref FROM claim`,
            [n.ref, n.accountId, n.kind, iso(now), `sending ${attempt}`, n.covers ?? []],
          )
        : await this.db.query('UPDATE portal_notifications SET error = $2, sent_at = $3 WHERE ref = $1 AND error = $4 RETURNING ref', [
            n.ref,
            `sending ${attempt}`,
            iso(now),
            wasError,
          ]);
    if (claimed.length === 0) return;
    const s = this.deps.settings;
    try {
      await this.notifier.send(noticeEmail(n.kind, n.language, s.clinicName, s.portalUrl, n.email));
      await this.db.query('UPDATE portal_notifications SET error = NULL, sent_at = $2 WHERE ref = $1', [n.ref, iso(this.deps.now())]);
      report.sent++;
    } catch (e) {
      const why = String((e as Error).message ?? e).slice(0, 300);
      const state = attempt >= this.maxAttempts ? `gave up after ${attempt} attempts: ${why}` : `attempt ${attempt} failed: ${why}`;
      await this.db.query('UPDATE portal_notifications SET error = $2 WHERE ref = $1', [n.ref, state]);
      report.failed++;
    }
  }

  /** Failed notices whose wait is over, and claims left by a process that died while sending. */
  private async retries(now: number): Promise<{ notice: Notice; attempt: number; error: string }[]> {
    const rows = await this.db.query<{ ref: string; account_id: string; kind: NoticeKind; error: string; sent_at: unknown; email: string; language: string }>(
      `SELECT n.ref, n.account_id, n.kind, n.error, n.sent_at, a.email, a.language FROM portal_notifications n
       JOIN portal_accounts a ON a.id = n.account_id AND a.disabled_at IS NULL
       WHERE n.error IS NOT NULL AND n.error NOT LIKE 'gave up%' AND n.sent_at <= $1::timestamptz ORDER BY n.sent_at`,
      [iso(now - Math.min(this.retryAfterMs, STALE_MS))],
    );
    const out: { notice: Notice; attempt: number; error: string }[] = [];
    for (const r of rows) {
      const m = /^(sending|attempt) (\d+)/.exec(r.error);
      if (!m) continue;
      const wait = m[1] === 'sending' ? STALE_MS : this.retryAfterMs;
      if (ms(r.sent_at) > now - wait) continue;
      out.push({
        notice: { ref: r.ref, accountId: r.account_id, kind: r.kind, email: r.email, language: r.language },
        attempt: Number(m[2]) + 1,
        error: r.error,
      });
    }
    return out;
  }

  /** Every notice that is due now and not yet claimed. */
  private async due(now: number): Promise<Notice[]> {
    const [messages, results, visits] = [await this.staffMessages(now), await this.releasedResults(now), await this.upcomingVisits(now)];
    const patients = [...new Set([...messages, ...results, ...visits].map((c) => c.patientId))];
    if (patients.length === 0) return [];
    const links = await this.links(patients);
    const hidden = await this.hiddenFromProxies(patients, now);
    const out: Notice[] = [];
    const each = (list: Candidate[], f: (c: Candidate, l: Link) => Notice | null): void => {
      for (const c of list) {
        for (const l of links.filter((x) => x.patientId === c.patientId)) {
          if (l.kind === 'proxy' && c.ids.some((id) => hidden.get(c.patientId)?.has(id))) continue;
          const n = f(c, l);
          if (n) out.push(n);
        }
      }
    };
    const notice = (ref: string, kind: NoticeKind, l: Link): Notice => ({ ref, kind, accountId: l.accountId, email: l.email, language: l.language });
    each(messages, (c, l) => (c.at >= l.since ? notice(`message:${c.ids[0]}:${l.accountId}`, 'message', l) : null));
    each(visits, (c, l) => notice(`reminder:${c.ids[0]}:${l.accountId}`, 'reminder', l));
    const seen = await this.seenResults(links.map((l) => l.accountId));
    const day = wallTime(now, this.timeZone()).date;
    // Results: one email per chart and day, for those released since the link was made and not yet
    // announced to that account. On a day whose email went out already, they wait for the next day.
    for (const l of links) {
      const fresh = results.filter(
        (r) =>
          r.patientId === l.patientId &&
          r.at > l.since &&
          !seen.has(`${r.ids[0]!}:${l.accountId}`) &&
          !(l.kind === 'proxy' && hidden.get(r.patientId)?.has(r.ids[0]!)),
      );
      if (fresh.length > 0) out.push({ ...notice(`result:${l.patientId}:${day}:${l.accountId}`, 'result', l), covers: fresh.map((r) => r.ids[0]!) });
    }
    const taken = new Set(
      (await this.db.query<{ ref: string }>('SELECT ref FROM portal_notifications WHERE ref = ANY($1::text[])', [out.map((n) => n.ref)])).map((r) => r.ref),
    );
    return [...new Map(out.filter((n) => !taken.has(n.ref)).map((n) => [n.ref, n])).values()];
  }

  private timeZone(): string {
    try {
      return scheduleFiles(this.deps.resourcesDir).hours.timeZone;
    } catch {
      return 'UTC';
    }
  }

  private async staffMessages(now: number): Promise<Candidate[]> {
    const rows = await this.db.query<{ id: string; patient_id: string; thread_id: string; sent_at: string }>(
      `SELECT entity_id AS id, patient_id, data->>'thread_id' AS thread_id, data->>'sent_at' AS sent_at FROM sync_rows
       WHERE entity = 'portal_message' AND data->>'author_kind' = 'staff' AND data->>'deleted_at' IS NULL
         AND (data->>'sent_at')::timestamptz > $1::timestamptz AND (data->>'sent_at')::timestamptz <= $2::timestamptz`,
      [iso(now - this.lookbackMs), iso(now)],
    );
    return rows.map((r) => ({ patientId: r.patient_id, ids: [r.id, r.thread_id], at: Date.parse(r.sent_at) }));
  }

  /** Final laboratory results released (the clinic's delay after they were stored) within the look-back. */
  private async releasedResults(now: number): Promise<Candidate[]> {
    const longest = Math.max(this.deps.settings.release.defaultDays, ...this.deps.settings.release.rules.map((r) => r.days));
    const rows = await this.db.query<{ id: string; patient_id: string; loinc: string | null; order_code: string | null; created_at: string }>(
      `SELECT entity_id AS id, patient_id, data->>'loinc' AS loinc, data->>'lab_order_code' AS order_code, data->>'created_at' AS created_at FROM sync_rows
       WHERE entity = 'observation' AND data->>'category' = 'laboratory' AND data->>'status' = ANY($2::text[]) AND data->>'deleted_at' IS NULL
         AND (data->>'created_at')::timestamptz > $1::timestamptz
         AND patient_id IN (SELECT patient_id FROM portal_links WHERE revoked_at IS NULL)`,
      [iso(now - this.lookbackMs - longest * DAY), FINAL],
    );
    const out: Candidate[] = [];
    for (const r of rows) {
      const at = Date.parse(releaseAt(r.created_at, releaseDelayDays(this.deps.settings, { loinc: r.loinc, orderCode: r.order_code }).days));
      if (at <= now && at > now - this.lookbackMs) out.push({ patientId: r.patient_id, ids: [r.id], at });
    }
    return out;
  }

  private async upcomingVisits(now: number): Promise<Candidate[]> {
    const rows = await this.db.query<{ id: string; patient_id: string }>(
      `SELECT entity_id AS id, patient_id FROM sync_rows
       WHERE entity = 'appointment' AND data->>'status' = 'scheduled' AND data->>'deleted_at' IS NULL
         AND (data->>'start_at')::timestamptz > $1::timestamptz AND (data->>'start_at')::timestamptz <= $2::timestamptz`,
      [iso(now + 24 * HOUR), iso(now + 48 * HOUR)],
    );
    return rows.map((r) => ({ patientId: r.patient_id, ids: [r.id], at: now }));
  }

  /** Live links of these charts to enabled accounts; `since`: when the link (or the account) was made. */
  private async links(patients: string[]): Promise<Link[]> {
    const rows = await this.db.query<{
      account_id: string;
      patient_id: string;
      kind: string;
      linked: unknown;
      created: unknown;
      email: string;
      language: string;
    }>(
      `SELECT l.account_id, l.patient_id, l.kind, l.created_at AS linked, a.created_at AS created, a.email, a.language
       FROM portal_links l JOIN portal_accounts a ON a.id = l.account_id
       WHERE l.patient_id = ANY($1::text[]) AND l.revoked_at IS NULL AND a.disabled_at IS NULL`,
      [patients],
    );
    return rows.map((r) => ({
      accountId: r.account_id,
      patientId: r.patient_id,
      kind: r.kind,
      since: Math.max(ms(r.linked), ms(r.created)),
      email: r.email,
      language: r.language,
    }));
  }

  /** The results already announced, as `result id:account id`. */
  private async seenResults(accounts: string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ ref: string }>("SELECT ref FROM portal_notifications WHERE kind = 'result_seen' AND account_id = ANY($1::text[])", [
      [...new Set(accounts)],
    ]);
    return new Set(rows.map((r) => r.ref.slice('result_seen:'.length)));
  }

  /** Per chart whose patient is 12–17 today: the records the clinic marked confidential (not announced to proxies). */
  private async hiddenFromProxies(patients: string[], now: number): Promise<Map<string, Set<string>>> {
    const rows = await this.db.query<{ patient_id: string; record_id: string; birth_date: string | null }>(
      `SELECT c.patient_id, c.data->>'record_id' AS record_id, p.data->>'birth_date' AS birth_date FROM sync_rows c
       JOIN sync_rows p ON p.entity = 'patient' AND p.entity_id = c.patient_id
       WHERE c.entity = 'portal_confidential' AND c.patient_id = ANY($1::text[]) AND c.data->>'deleted_at' IS NULL
         AND coalesce(c.data->>'hidden', '1') IN ('1', 'true')`,
      [patients],
    );
    const today = iso(now).slice(0, 10);
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!r.birth_date || !hidesConfidentialFromProxy(r.birth_date, today)) continue;
      const set = out.get(r.patient_id) ?? new Set<string>();
      set.add(r.record_id);
      out.set(r.patient_id, set);
    }
    return out;
  }
}

/**
 * Runs `tick` every `everyMs` (one at a time; the next starts after the last ends). A failure is
 * logged and the next tick tries again: the server never stops for it. `stop` waits for a running tick.
 */
export function startPortalNotify(deps: NotifyDeps, notifier: Notifier, everyMs: number, o: NotifyOptions = {}): { stop(): Promise<void> } {
  const notify = new PortalNotify(deps, notifier, o);
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (): void => {
    timer = setTimeout(run, everyMs);
    timer.unref();
  };
  const run = (): void => {
    running = notify
      .tick()
      .then(
        () => undefined,
        (e: unknown) =>
          serverLogger().error(
            { event: 'portal.notify', err: String((e as Error).message ?? e).slice(0, 300) },
            'portal notifications could not run; next try at the next tick',
          ),
      )
      .finally(() => {
        running = null;
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
