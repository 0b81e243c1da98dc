import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fields } from '../../../shared/sync/entities';
import { encodeHlc } from '../../../shared/sync/hlc';
import { newId } from '../../../electron/common/ids';
import { openServerDb, type ServerDb } from '../../../electron/server/db/open';
import { loadPortalSettings } from '../../../electron/server/portal/portal.routes';
import type { PortalSettings } from '../../../shared/domain/portal';
import { PortalNotify, startPortalNotify, type NotifyDeps } from '../../../electron/server/portal/portal-notify';
import { SmtpNotifier } from '../../../electron/server/portal/smtp-notifier';
import { lockRows, writeLog } from '../../../electron/server/sync-log';
import { resourcesDir } from '../../helpers/temp-db';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.parse('2031-03-03T14:00:00Z');

/** A row as a device's change would leave it: merged into sync_rows and numbered in the change log. */
async function seed(db: ServerDb, entity: string, patientId: string | null, fields: Fields): Promise<string> {
  const id = (fields['id'] as string | undefined) ?? newId();
  await db.tx(async (q) => {
    const rows = await lockRows(q, [{ entity, id }]);
    const data = { ...fields, id };
    const clocks = Object.fromEntries(Object.keys(data).map((k) => [k, encodeHlc({ wall: Date.now(), counter: 0, node: 'seed' })]));
    rows.set(`${entity}\u0000${id}`, { entity, entityId: id, patientId: patientId ?? id, data, clocks });
    await writeLog(
      q,
      [{ deviceId: null, deviceSeq: null, entity, entityId: id, patientId: patientId ?? id, op: 'insert', fields: data, clocks, authorId: 'seed' }],
      rows,
    );
  });
  return id;
}

interface Received {
  to: string;
  subject: string;
  text: string;
}

/** Quoted-printable and encoded-word headers decoded, so a name split by a soft line break is still found. */
function decode(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectRaw = /^subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectRaw.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, s: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(s, 'base64').toString('utf8')
      : Buffer.from(
          s.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
  const body = rest.join('\n\n');
  const qp = /content-transfer-encoding: quoted-printable/i.test(unfolded);
  const text = qp
    ? Buffer.from(
        body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8')
    : body;
  return { subject, text };
}

/** The shipped settings, as the server loads them. */
function shippedSettings(): PortalSettings {
  const loaded = loadPortalSettings(resourcesDir);
  if ('problem' in loaded) throw new Error(loaded.problem);
  return loaded.settings;
}

describe('portal notifications by email through a real SMTP server on loopback (PGlite)', () => {
  let db: ServerDb;
  let smtp: SMTPServer;
  let notifier: SmtpNotifier;
  let now = T0;
  let refuse = false;
  const inbox: Received[] = [];
  let deps: NotifyDeps;
  let mirela: string;
  let thread: string;

  const staffMessage = (patientId: string, threadId: string, body: string, sentAt: number): Promise<string> =>
    seed(db, 'portal_message', patientId, {
      thread_id: threadId,
      patient_id: patientId,
      author_kind: 'staff',
      author_id: 'u-doc',
      author_name: 'Dr. Gregory House',
      body,
      sent_at: new Date(sentAt).toISOString(),
      deleted_at: null,
    });
  const result = (patientId: string, display: string, loinc: string, createdAt: number): Promise<string> =>
    seed(db, 'observation', patientId, {
      patient_id: patientId,
      category: 'laboratory',
      loinc,
      display,
      value_num: 6.1,
      status: 'final',
      effective_at: new Date(createdAt - HOUR).toISOString(),
      created_at: new Date(createdAt).toISOString(),
      deleted_at: null,
    });
  const account = async (id: string, email: string, language: string, patientId: string, kind: 'self' | 'proxy', createdAt: number): Promise<void> => {
    await db.query(
      "INSERT INTO portal_accounts (id, username, email, display_name, password_hash, language, created_at) VALUES ($1, $2, $2, $3, 'x', $4, $5) ON CONFLICT DO NOTHING",
      [id, email, `Account ${id}`, language, new Date(createdAt).toISOString()],
    );
    await db.query('INSERT INTO portal_links (account_id, patient_id, kind, invite_id, created_at) VALUES ($1, $2, $3, $4, $5)', [
      id,
      patientId,
      kind,
      `invite-${id}`,
      new Date(createdAt).toISOString(),
    ]);
  };
  /** The emails received since the last look (the server hands each over before it answers the DATA command). */
  const take = async (): Promise<Received[]> => {
    await new Promise((r) => setTimeout(r, 50));
    return inbox.splice(0);
  };

  beforeAll(async () => {
    db = await openServerDb({ memory: true }, resourcesDir);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_address, _session, cb) {
        if (!refuse) return cb();
        const e = Object.assign(new Error('mailbox busy, try later'), { responseCode: 450 });
        return cb(e);
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const { subject, text } = decode(Buffer.concat(chunks).toString('utf8'));
          for (const r of session.envelope.rcptTo) inbox.push({ to: r.address, subject, text });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as AddressInfo).port;
    notifier = new SmtpNotifier({ host: '127.0.0.1', port, from: '"Riverside Family Medicine" <portal@riverside-demo.example>', timeoutMs: 5000 });
    deps = { sync: { db }, settings: shippedSettings(), resourcesDir, now: () => now };
    mirela = await seed(db, 'patient', null, { given_name: 'Mirela', family_name: 'Quennell', birth_date: '1961-04-02', deleted_at: null });
    await account('acct-mirela', 'mirela@example.com', 'en', mirela, 'self', T0 - 10 * DAY);
    await account('acct-ana', 'ana@example.com', 'es', mirela, 'proxy', T0 - 10 * DAY);
    thread = await seed(db, 'portal_thread', mirela, { patient_id: mirela, subject: 'Biopsy results', status: 'open', deleted_at: null });
  });

  afterAll(async () => {
    notifier?.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    await db?.close();
  });

  it('one email per event to every account linked to the chart, in its language, with no health information; a second tick sends nothing', async () => {
    await staffMessage(mirela, thread, 'Your biopsy shows melanoma; please call us.', now - HOUR);
    await staffMessage(mirela, thread, 'An old note from last month.', now - 12 * DAY); // before the look-back
    await result(mirela, 'Hemoglobin A1c', '4548-4', now - 2 * HOUR);
    await result(mirela, 'Potassium', '2823-3', now - 3 * HOUR); // same chart, same day: one email for both
    await result(mirela, 'Skin biopsy pathology report', '22634-0', now - HOUR); // pathology waits 3 days
    await result(mirela, 'Cholesterol', '2093-3', now - 20 * DAY); // released before anyone was told of results here
    await seed(db, 'appointment', mirela, { patient_id: mirela, status: 'scheduled', start_at: new Date(now + 30 * HOUR).toISOString(), deleted_at: null });
    await seed(db, 'appointment', mirela, { patient_id: mirela, status: 'scheduled', start_at: new Date(now + 60 * HOUR).toISOString(), deleted_at: null });
    await seed(db, 'appointment', mirela, { patient_id: mirela, status: 'cancelled', start_at: new Date(now + 36 * HOUR).toISOString(), deleted_at: null });

    const report = await new PortalNotify(deps, notifier).tick();
    expect(report).toEqual({ sent: 6, failed: 0 });
    const got = await take();
    expect(got.map((m) => `${m.to} ${m.subject}`).sort()).toEqual([
      'ana@example.com Nuevo mensaje de Riverside Family Medicine (demo)',
      'ana@example.com Nuevo resultado en Riverside Family Medicine (demo)',
      'ana@example.com Recordatorio de cita de Riverside Family Medicine (demo)',
      'mirela@example.com Appointment reminder from Riverside Family Medicine (demo)',
      'mirela@example.com New message from Riverside Family Medicine (demo)',
      'mirela@example.com New result at Riverside Family Medicine (demo)',
    ]);
    const message = got.find((m) => m.subject.startsWith('New message'))!;
    expect(message.text).toContain('You have a new message at Riverside Family Medicine (demo).');
    expect(message.text).toContain('Sign in to read it: https://portal.riverside-demo.example/portal/');
    expect(got.find((m) => m.subject.startsWith('Nuevo resultado'))!.text).toContain('Tiene un resultado nuevo en Riverside Family Medicine (demo).');
    const forbidden = ['Mirela', 'Quennell', 'biopsy', 'melanoma', 'Hemoglobin', 'A1c', 'Potassium', 'Cholesterol', 'Gregory', 'House', '6.1'];
    for (const m of got) for (const w of forbidden) expect(`${m.subject}\n${m.text}`.toLowerCase()).not.toContain(w.toLowerCase());

    expect(await new PortalNotify(deps, notifier).tick()).toEqual({ sent: 0, failed: 0 });
    expect(await take()).toEqual([]);
    const rows = await db.query<{ kind: string; n: number; failed: number }>(
      'SELECT kind, count(*)::int AS n, count(error)::int AS failed FROM portal_notifications GROUP BY kind ORDER BY kind',
    );
    // Each email once; the two results announced are remembered per account.
    expect(rows).toEqual([
      { kind: 'message', n: 2, failed: 0 },
      { kind: 'reminder', n: 2, failed: 0 },
      { kind: 'result', n: 2, failed: 0 },
      { kind: 'result_seen', n: 4, failed: 0 },
    ]);
  });

  it('a result held 3 days is announced when it is released (the next day an email is allowed again); a reminder once the visit is 24–48 hours away', async () => {
    now = T0 + DAY; // the visit booked 60 hours after T0 is now 36 hours away
    expect(await new PortalNotify(deps, notifier).tick()).toEqual({ sent: 2, failed: 0 });
    const reminders = await take();
    expect(reminders.map((m) => m.subject).sort()).toEqual([
      'Appointment reminder from Riverside Family Medicine (demo)',
      'Recordatorio de cita de Riverside Family Medicine (demo)',
    ]);
    now = T0 + 3 * DAY + HOUR;
    expect(await new PortalNotify(deps, notifier).tick()).toEqual({ sent: 2, failed: 0 });
    expect((await take()).map((m) => m.subject).sort()).toEqual([
      'New result at Riverside Family Medicine (demo)',
      'Nuevo resultado en Riverside Family Medicine (demo)',
    ]);
    // A result stored on a device an hour ago reaches the server after today's email: it waits for tomorrow's.
    await result(mirela, 'Sodium', '2951-2', now - HOUR);
    expect(await new PortalNotify(deps, notifier).tick()).toEqual({ sent: 0, failed: 0 });
    now += DAY;
    expect(await new PortalNotify(deps, notifier).tick()).toEqual({ sent: 2, failed: 0 });
    await take();
  });

  it('two server processes ticking at once send each email once', async () => {
    await staffMessage(mirela, thread, 'Please book a follow-up.', now - 60_000);
    const [a, b] = await Promise.all([new PortalNotify(deps, notifier).tick(), new PortalNotify(deps, notifier).tick()]);
    expect(a.sent + b.sent).toBe(2);
    expect((await take()).map((m) => m.to).sort()).toEqual(['ana@example.com', 'mirela@example.com']);
  });

  it("a proxy of a 12–17-year-old is not told of what the clinic marked confidential; the teen's own account is", async () => {
    const teen = await seed(db, 'patient', null, { given_name: 'Tomas', family_name: 'Quennell', birth_date: '2016-01-15', deleted_at: null });
    await account('acct-tomas', 'tomas@example.com', 'en', teen, 'self', T0);
    await account('acct-parent', 'parent@example.com', 'en', teen, 'proxy', T0);
    const secret = await seed(db, 'portal_thread', teen, { patient_id: teen, subject: 'Private', status: 'open', deleted_at: null });
    await seed(db, 'portal_confidential', teen, { patient_id: teen, record_type: 'portal_thread', record_id: secret, hidden: 1, deleted_at: null });
    await staffMessage(teen, secret, 'About what we discussed.', now - 60_000);
    expect(await new PortalNotify(deps, notifier).tick()).toEqual({ sent: 1, failed: 0 });
    expect((await take()).map((m) => m.to)).toEqual(['tomas@example.com']);
  });

  it('an SMTP failure is recorded and retried later, never thrown; after the last attempt it stops', async () => {
    refuse = true;
    await staffMessage(mirela, thread, 'Your appointment was moved.', now - 60_000);
    const notify = new PortalNotify(deps, notifier, { retryAfterMs: 5 * 60_000, maxAttempts: 3 });
    expect(await notify.tick()).toEqual({ sent: 0, failed: 2 });
    const failed = await db.query<{ error: string }>("SELECT error FROM portal_notifications WHERE error IS NOT NULL AND kind = 'message'");
    expect(failed).toHaveLength(2);
    expect(failed[0]!.error).toMatch(/^attempt 1 failed: .*mailbox busy/);
    expect(await notify.tick()).toEqual({ sent: 0, failed: 0 }); // waits before trying again
    refuse = false;
    now += 6 * 60_000;
    expect(await notify.tick()).toEqual({ sent: 2, failed: 0 });
    expect((await take()).map((m) => m.subject).sort()).toEqual([
      'New message from Riverside Family Medicine (demo)',
      'Nuevo mensaje de Riverside Family Medicine (demo)',
    ]);
    expect(await db.query("SELECT ref FROM portal_notifications WHERE error IS NOT NULL AND kind = 'message'")).toEqual([]);

    // No mail server at all: recorded, then given up after the last attempt, and not tried again.
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const nowhere = new SmtpNotifier({ host: '127.0.0.1', port: deadPort, from: 'portal@riverside-demo.example', timeoutMs: 2000 });
    await staffMessage(mirela, thread, 'One more thing.', now - 60_000);
    const down = new PortalNotify(deps, nowhere, { retryAfterMs: 60_000, maxAttempts: 2 });
    expect(await down.tick()).toEqual({ sent: 0, failed: 2 });
    now += 2 * 60_000;
    expect(await down.tick()).toEqual({ sent: 0, failed: 2 });
    const gaveUp = await db.query<{ error: string }>("SELECT error FROM portal_notifications WHERE error LIKE 'gave up%'");
    expect(gaveUp).toHaveLength(2);
    expect(gaveUp[0]!.error).toMatch(/^gave up after 2 attempts: .*ECONNREFUSED/);
    now += 2 * 60_000;
    expect(await down.tick()).toEqual({ sent: 0, failed: 0 });
    nowhere.close();
  });

  it('startPortalNotify ticks on its interval and stops cleanly; a database failure is logged, not thrown', async () => {
    await staffMessage(mirela, thread, 'Interval check.', now - 60_000);
    const running = startPortalNotify(deps, notifier, 20);
    for (let i = 0; i < 100 && inbox.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await running.stop();
    expect((await take()).map((m) => m.to).sort()).toEqual(['ana@example.com', 'mirela@example.com']);
    const broken = startPortalNotify({ ...deps, sync: { db: { query: () => Promise.reject(new Error('database gone')) } } }, notifier, 10);
    await new Promise((r) => setTimeout(r, 60));
    await broken.stop();
  });
});
