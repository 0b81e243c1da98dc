import type Database from 'better-sqlite3';
import { ago, fail, pass, warn, type DoctorCheck, type DoctorContext, type Outcome } from './context';
import { judgeValidity } from './certificates';
import type { ServerAnswer } from './server-probe';

type Reached = Extract<ServerAnswer, { reachable: true }>;

const one = <T>(sqlite: Database.Database, sql: string): T | undefined => sqlite.prepare(sql).get() as T | undefined;

function enrolledUrl(sqlite: Database.Database): string | null {
  return one<{ value: string }>(sqlite, `SELECT value FROM meta WHERE key = 'sync.server_url'`)?.value ?? null;
}

/**
 * Runs `judge` on the server's answer; a check that needs the server is skipped with a warning
 * (never a hang: the probe has a short timeout) when it did not answer.
 */
async function withServer(ctx: DoctorContext, what: string, judge: (a: Reached) => Outcome): Promise<Outcome | null> {
  const a = await ctx.serverAnswer();
  if (!a) return null;
  if (!a.reachable) return warn(`${what} not checked: the clinic server at ${a.url} did not answer (${a.error}); run cairn doctor again once it answers`);
  return judge(a);
}

function skew(a: Reached, ctx: DoctorContext): Outcome {
  if (a.serverTimeMs === null) return warn(`${a.url} sent no time (neither /health's "time" nor a Date header): check that it is a Cairn clinic server`);
  const d = a.serverTimeMs - a.localTimeMs;
  const how = `this device's clock is ${ago(d)} ${d > 0 ? 'behind' : 'ahead of'} the clinic server's (from ${a.timeSource === 'health' ? '/health' : 'its Date header'})`;
  if (Math.abs(d) - a.uncertaintyMs >= ctx.limits.skewFailMs)
    return fail(
      `${how}: the server refuses changes from a clock more than 5 minutes ahead and visit times go wrong; turn on automatic time (NTP) on both computers`,
    );
  if (Math.abs(d) - a.uncertaintyMs >= ctx.limits.skewWarnMs) return warn(`${how}: turn on automatic time (NTP) on both computers`);
  return pass(`the clocks agree to within ${Math.max(1, Math.round((Math.abs(d) + a.uncertaintyMs) / 1000))} s`);
}

/** Changes waiting to reach the server, and the last contact with it. */
function lag(ctx: DoctorContext): Outcome | null {
  const device = ctx.device;
  if (!device) return null;
  const url = enrolledUrl(device.sqlite);
  if (!url) return pass('this device is not enrolled with a clinic server (a stand-alone device): nothing to sync');
  const waiting = one<{ n: number; oldest: string | null }>(
    device.sqlite,
    'SELECT count(*) AS n, min(created_at) AS oldest FROM sync_outbox WHERE pushed_at IS NULL AND quarantined_at IS NULL',
  )!;
  const lastPush = one<{ at: string | null }>(device.sqlite, 'SELECT max(pushed_at) AS at FROM sync_outbox WHERE quarantined_at IS NULL')?.at ?? null;
  // The app's live status, else what the sync client recorded (`sync.last_contact_at`, when it records it), else the last push.
  const recorded = one<{ value: string }>(device.sqlite, `SELECT value FROM meta WHERE key = 'sync.last_contact_at'`)?.value;
  const lastContact = device.liveSync?.lastSyncedAt ?? recorded ?? lastPush;
  const now = ctx.now().getTime();
  const contact = lastContact ? `last contact with ${url}: ${ago(now - Date.parse(lastContact))} ago` : `no contact with ${url} recorded yet`;
  if (waiting.n === 0) return pass(`nothing waiting to reach the clinic server; ${contact}`);
  const age = now - Date.parse(waiting.oldest ?? new Date(now).toISOString());
  const what = `${waiting.n} change(s) made on this device have waited up to ${ago(age)} to reach the clinic server (${contact})`;
  if (age >= ctx.limits.lagFailMs)
    return fail(`${what}: connect this device to the clinic network and sign in so it syncs; until then other devices do not see them`);
  if (age >= ctx.limits.lagWarnMs) return warn(`${what}: check this device's network connection`);
  return pass(what);
}

/** Whether the server answers, its clock, its certificate; the device's sync backlog and refused changes. */
export const SYNC_CHECKS: readonly DoctorCheck[] = [
  {
    id: 'sync.server',
    title: 'Clinic server answers',
    async run(ctx: DoctorContext): Promise<Outcome | null> {
      const a = await ctx.serverAnswer();
      if (!a) return ctx.serverProblem ?? null;
      if (!a.reachable)
        return fail(
          `the clinic server at ${a.url} did not answer (${a.error}): check the network and that the server is running; changes wait on the devices meanwhile`,
        );
      if (a.status >= 500) return fail(`the clinic server at ${a.url} answers HTTP ${a.status}: look at its log`);
      return pass(`${a.url} answered HTTP ${a.status} in ${Math.round(a.rttMs)} ms`);
    },
  },
  { id: 'sync.lag', title: 'Changes reach the clinic server', run: lag },
  {
    id: 'sync.clock_skew',
    title: "This computer's clock agrees with the clinic server's",
    run: (ctx) => withServer(ctx, 'the clock', (a) => skew(a, ctx)),
  },
  {
    id: 'certificate.server',
    title: "Clinic server's certificate is valid",
    run: (ctx) =>
      withServer(ctx, 'the certificate', (a) => {
        if (!a.url.startsWith('https:')) {
          const loopback = /^http:\/\/(127\.|localhost|\[::1\])/.test(a.url);
          return loopback
            ? pass(`${a.url} is plain HTTP on this computer only (loopback): no certificate needed`)
            : warn(`${a.url} is plain HTTP across the network: give the server the clinic certificate (--tls-cert, --tls-key)`);
        }
        if (!a.peer) return fail(`${a.url} presented no certificate: check its --tls-cert`);
        const judged = judgeValidity(a.peer, 'its certificate', ctx.now().getTime(), ctx.limits.certWarnDays);
        if (judged.status !== 'pass' || a.peer.authorized) return judged;
        return warn(`${judged.message}, but this computer does not trust it (${a.peer.authorizationError}): give the clinic CA (--ca FILE)`);
      }),
  },
  {
    id: 'sync.quarantined',
    title: 'No refused changes wait for review',
    run({ device }: DoctorContext): Outcome | null {
      if (!device) return null;
      const q = one<{ n: number; oldest: string | null }>(
        device.sqlite,
        "SELECT count(*) AS n, min(quarantined_at) AS oldest FROM sync_outbox WHERE quarantined_at IS NOT NULL AND coalesce(quarantined_reason, '') NOT LIKE 'reviewed:%'",
      )!;
      if (q.n === 0) return pass("the clinic server refused none of this device's changes, or every refusal was reviewed");
      return fail(
        `the clinic server refused ${q.n} change(s) made on this device (the first on ${q.oldest?.slice(0, 10)}): an administrator reviews each on the Conflicts screen (Refused by the clinic server, then Mark reviewed)`,
      );
    },
  },
];
