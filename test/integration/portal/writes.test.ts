import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalSettingsFile, type PortalSettings } from '../../../shared/domain/portal';
import { DEVICE_COLUMNS, type Fields } from '../../../shared/sync/entities';
import { appointments, portalMessages, portalThreads } from '../../../electron/services/db/schema';
import type { Repos } from '../../../electron/services/repos';
import { clientFor, enrollThisDevice, type SyncClient } from '../../../electron/services/sync';
import { loadForms } from '../../../electron/server/portal/portal-forms';
import {
  addMessage,
  bookAppointment,
  cancelAppointment,
  requestVisit,
  startThread,
  type PortalActor,
  type PortalDeps,
} from '../../../electron/server/portal/portal-writes';
import { ServerError } from '../../../electron/server/server-error';
import { openClinic, type Clinic } from '../../helpers/clinic';
import { signInClinicUsers, startTestServer } from '../../helpers/sync-server';
import { resourcesDir, tempDir } from '../../helpers/temp-db';

// Monday 2031-03-03 09:00 in the clinic's zone (America/New_York, EST): the portal's "now".
const NOW = Date.parse('2031-03-03T14:00:00Z');
const PATIENT: PortalActor = { accountId: 'acct-mirela', displayName: 'Mirela Quennell', kind: 'self' };
const MOTHER: PortalActor = { accountId: 'acct-ilse', displayName: 'Ilse Varga', kind: 'proxy' };

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082',
  'hex',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** The rejection a portal write answers: its status, code and message. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const e = await p.then(
    () => expect.fail('the write was accepted'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ServerError);
  const s = e as ServerError;
  return { status: s.status, code: s.code, message: s.message };
}

/** Every column the desktop's table has, except the device-only ones, is in the merged row. */
function expectComplete(table: SQLiteTable, data: Fields): void {
  const columns = Object.values(getTableColumns(table)).map((c) => c.name);
  expect(columns.filter((c) => !DEVICE_COLUMNS.includes(c) && !(c in data))).toEqual([]);
}

describe('portal writes reach the desktops through sync (real clinic server on PGlite, a real encrypted device)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dirs: (() => void)[] = [];
  let clinic: Clinic;
  let repos: Repos;
  let sync: SyncClient;
  let deps: PortalDeps;
  let docId: string;
  let mirela: string;
  let oskar: string;

  const syncDevice = async (): Promise<void> => {
    const s = await sync.syncOnce();
    expect(s.error).toBeNull();
  };
  const row = async (entity: string, id: string): Promise<Fields> => {
    const [r] = await server.db.query<{ data: Fields }>('SELECT data FROM sync_rows WHERE entity = $1 AND entity_id = $2', [entity, id]);
    return r!.data;
  };

  beforeAll(async () => {
    server = await startTestServer('pglite');
    const d = tempDir('cairn-portal-writes-');
    dirs.push(d.cleanup);
    clinic = await openClinic(d.dir);
    repos = clinic.session.repos;
    docId = repos.users.list().find((u) => u.username === 'drhouse')!.id;
    await enrollThisDevice(repos.store, repos, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Front desk PC')).code,
      deviceName: 'Front desk PC',
    });
    await signInClinicUsers(repos.store.sqlite);
    sync = clientFor(repos.store, repos, () => docId);
    mirela = (await clinic.ok<{ id: string }>('patients.create', { givenName: 'Mirela', familyName: 'Quennell', birthDate: '1961-04-02', sex: 'female' })).id;
    oskar = (await clinic.ok<{ id: string }>('patients.create', { givenName: 'Oskar', familyName: 'Lund', birthDate: '1948-02-02', sex: 'male' })).id;
    await syncDevice();
    const file = portalSettingsFile.parse(JSON.parse(readFileSync(join(resourcesDir, 'portal', 'portal-settings.json'), 'utf8')));
    const settings: PortalSettings = { ...file, booking: { ...file.booking, minNoticeHours: 24, cancelNoticeHours: 24 } };
    deps = { sync: server.sync, settings, forms: loadForms(resourcesDir), resourcesDir, now: () => NOW };
  });

  afterAll(async () => {
    clinic?.session.logout();
    await server?.stop();
    dirs.forEach((x) => x());
  });

  it("a patient's new thread lands in sync_rows as complete rows, in the change log, and on the desktop after it syncs", async () => {
    const t = await startThread(deps, PATIENT, mirela, { subject: 'Refill question', body: 'Can I get my blood pressure pills refilled?' });
    expect(t).toMatchObject({ subject: 'Refill question', status: 'open', messages: 1 });
    expect(t.messageList[0]).toMatchObject({ authorKind: 'patient', authorName: 'Mirela Quennell', attachment: null });
    const thread = await row('portal_thread', t.id);
    expectComplete(portalThreads, thread);
    expect(thread).toMatchObject({ patient_id: mirela, opened_by: 'patient', created_by: 'portal:acct-mirela', updated_by: 'portal:acct-mirela' });
    const message = await row('portal_message', t.messageList[0]!.id);
    expectComplete(portalMessages, message);
    // The change log a device pulls carries both, authored by the portal account.
    const pulled = await server.sync.pull(0, 10_000);
    expect(pulled.changes.filter((c) => c.id === t.id || c.id === t.messageList[0]!.id).map((c) => c.entity)).toEqual(['portal_thread', 'portal_message']);
    const authors = await server.db.query<{ author_id: string }>('SELECT author_id FROM sync_changes WHERE entity_id = $1', [t.id]);
    expect(authors).toEqual([{ author_id: 'portal:acct-mirela' }]);
    await syncDevice();
    const onDevice = repos.store.sqlite
      .prepare('SELECT body, author_kind, author_name, created_by, version FROM portal_messages WHERE thread_id = ?')
      .all(t.id);
    expect(onDevice).toEqual([
      {
        body: 'Can I get my blood pressure pills refilled?',
        author_kind: 'patient',
        author_name: 'Mirela Quennell',
        created_by: 'portal:acct-mirela',
        version: 1,
      },
    ]);
  });

  it('a staff member closing the thread on a device while the patient writes again is kept as a conflict; the message is not lost', async () => {
    const t = await startThread(deps, PATIENT, mirela, { subject: 'Rash', body: 'The rash is better.' });
    await syncDevice();
    // The desktop closes the thread (not yet synced), as the staff inbox would.
    const writer = repos.writer;
    writer.write((at) => {
      const written = repos.store.sqlite
        .prepare("UPDATE portal_threads SET status = 'closed', updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? RETURNING *")
        .get(at, docId, t.id) as Record<string, string | number | null>;
      writer.record(at, {
        action: 'portal.thread.close',
        actor: { userId: docId },
        patientId: mirela,
        entity: 'portal_thread',
        id: t.id,
        op: 'update',
        payload: written,
      });
    });
    const again = await addMessage(deps, PATIENT, mirela, t.id, { body: 'Actually it is spreading again.' });
    expect(again).toMatchObject({ status: 'open', messages: 2 });
    await syncDevice();
    const conflicts = await server.db.query<{ data: Fields }>(
      "SELECT data FROM sync_rows WHERE entity = 'sync_conflict' AND data->>'entity' = 'portal_thread' AND data->>'entity_id' = $1",
      [t.id],
    );
    expect(conflicts.map((c) => c.data['field'])).toEqual(['status']);
    const values = JSON.parse(String(conflicts[0]!.data['values'])) as { value: unknown }[];
    expect(values.map((v) => v.value).sort()).toEqual(['closed', 'open']);
    await syncDevice();
    const bodies = repos.store.sqlite.prepare('SELECT body FROM portal_messages WHERE thread_id = ? ORDER BY sent_at, id').all(t.id);
    expect(bodies).toEqual([{ body: 'The rash is better.' }, { body: 'Actually it is spreading again.' }]);
  });

  it("a new message reopens a closed thread, and a proxy's message says so", async () => {
    const t = await startThread(deps, PATIENT, mirela, { subject: 'Form', body: 'Did you get my form?' });
    await syncDevice();
    repos.writer.write((at) => {
      const written = repos.store.sqlite
        .prepare("UPDATE portal_threads SET status = 'closed', updated_at = ?, updated_by = ? WHERE id = ? RETURNING *")
        .get(at, docId, t.id) as Record<string, string | number | null>;
      repos.writer.record(at, {
        action: 'portal.thread.close',
        actor: { userId: docId },
        patientId: mirela,
        entity: 'portal_thread',
        id: t.id,
        op: 'update',
        payload: written,
      });
    });
    await syncDevice();
    expect(await row('portal_thread', t.id)).toMatchObject({ status: 'closed' });
    const v = await addMessage(deps, MOTHER, mirela, t.id, { body: 'Following up for my daughter.' });
    expect(v.status).toBe('open');
    expect(v.messageList.at(-1)).toMatchObject({ authorKind: 'proxy', authorName: 'Ilse Varga' });
    expect(await row('portal_thread', t.id)).toMatchObject({ status: 'open', last_message_at: new Date(NOW).toISOString() });
    await syncDevice();
    expect(repos.store.sqlite.prepare('SELECT status FROM portal_threads WHERE id = ?').get(t.id)).toEqual({ status: 'open' });
  });

  it('another chart\'s thread is "no such thread" (404)', async () => {
    const t = await startThread(deps, PATIENT, mirela, { subject: 'Mine', body: 'Only mine.' });
    expect(await refusal(addMessage(deps, PATIENT, oskar, t.id, { body: 'hello' }))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await refusal(addMessage(deps, PATIENT, mirela, 'no-such-thread', { body: 'hello' }))).toMatchObject({ status: 404 });
  });

  it('attachments: a real PNG or PDF is kept; a wrong type, spoofed bytes, a mismatched name or a file over the limit is refused with a message a patient can act on', async () => {
    const ok = await startThread(deps, PATIENT, mirela, {
      subject: 'Photo',
      body: 'Here is the photo.',
      attachment: { name: 'rash.png', type: 'image/png', dataBase64: PNG.toString('base64') },
    });
    expect(ok.messageList[0]!.attachment).toEqual({ name: 'rash.png', type: 'image/png', bytes: PNG.length });
    const stored = await row('portal_message', ok.messageList[0]!.id);
    expect(Buffer.from(String(stored['attachment_data']), 'base64').equals(PNG)).toBe(true);
    await startThread(deps, PATIENT, mirela, {
      subject: 'Letter',
      body: 'A letter.',
      attachment: { name: 'letter.pdf', type: 'application/pdf', dataBase64: PDF.toString('base64') },
    });

    const send = (attachment: { name: string; type: 'application/pdf' | 'image/png' | 'image/jpeg'; dataBase64: string }): Promise<unknown> =>
      startThread(deps, PATIENT, mirela, { subject: 'File', body: 'See attached.', attachment });
    const text = await refusal(send({ name: 'notes.pdf', type: 'application/pdf', dataBase64: Buffer.from('just some text, not a PDF').toString('base64') }));
    expect(text).toMatchObject({ status: 400, code: 'attachment_type' });
    expect(text.message).toBe(
      "this file's content does not match its type (it is not a PDF document); the clinic accepts PDF documents and JPEG or PNG pictures",
    );
    const spoofed = await refusal(send({ name: 'scan.pdf', type: 'application/pdf', dataBase64: PNG.toString('base64') }));
    expect(spoofed.message).toContain('it is a PNG picture, not a PDF document');
    const exe = await refusal(send({ name: 'setup.exe', type: 'image/png', dataBase64: PNG.toString('base64') }));
    expect(exe.message).toContain('the file name ends in .exe but the file is a PNG picture');
    const big = Buffer.concat([PDF, Buffer.alloc(Math.round(3.2 * 1024 * 1024) - PDF.length, 0x20)]);
    const tooLarge = await refusal(send({ name: 'records.pdf', type: 'application/pdf', dataBase64: big.toString('base64') }));
    expect(tooLarge).toEqual({ status: 413, code: 'attachment_too_large', message: 'this file is 3.2 MB; the clinic accepts files up to 2 MB' });
    expect(await refusal(send({ name: 'x.png', type: 'image/png', dataBase64: 'not base64!' }))).toMatchObject({ code: 'attachment_unreadable' });
    const long = await refusal(startThread(deps, PATIENT, mirela, { subject: 'Long', body: 'x'.repeat(6200) }));
    expect(long).toMatchObject({ status: 413, code: 'message_too_long' });
    expect(long.message).toContain('6,200 characters long; the clinic accepts up to 5,000');
    // Nothing refused was stored.
    const [n] = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'portal_thread' AND data->>'subject' IN ('File', 'Long')",
    );
    expect(n!.n).toBe(0);
  });

  it('a visit request is a thread "Visit request" with the reason and the preferred times', async () => {
    const v = await requestVisit(deps, PATIENT, mirela, { reason: 'Knee pain after running', preferredTimes: 'Tuesday mornings' });
    expect(v.subject).toBe('Visit request');
    expect(v.messageList[0]!.body).toBe('Reason for the visit: Knee pain after running\nPreferred times: Tuesday mornings');
    expect(await refusal(requestVisit(deps, PATIENT, mirela, { reason: '  ' }))).toMatchObject({ status: 400, message: 'reason: say what the visit is for' });
  });

  it("an online booking reaches the desktop flagged; cancelling: only the patient's own (404 otherwise), not past, not within the notice", async () => {
    // Tuesday 10:00 and 10:20 in the clinic's zone.
    const mine = await bookAppointment(deps, PATIENT, mirela, { appointmentType: 'follow-up', start: '2031-03-04T15:00:00Z', reason: 'blood pressure' });
    expect(mine).toMatchObject({
      type: 'follow-up',
      typeName: 'Follow-up',
      status: 'scheduled',
      bookedOnline: true,
      cancellable: true,
      end: '2031-03-04T15:20:00.000Z',
    });
    const row0 = await row('appointment', mine.id);
    expectComplete(appointments, row0);
    expect(row0).toMatchObject({ booked_online: 1, provider_id: null, room: null, created_by: 'portal:acct-mirela' });
    const his = await bookAppointment(deps, PATIENT, oskar, { appointmentType: 'follow-up', start: '2031-03-04T15:20:00Z' });
    await syncDevice();
    expect(repos.store.sqlite.prepare('SELECT status, booked_online, appointment_type FROM appointments WHERE id = ?').get(mine.id)).toEqual({
      status: 'scheduled',
      booked_online: 1,
      appointment_type: 'follow-up',
    });

    expect(await refusal(cancelAppointment(deps, PATIENT, mirela, his.id, {}))).toEqual({ status: 404, code: 'not_found', message: 'no such appointment' });
    expect(await row('appointment', his.id)).toMatchObject({ status: 'scheduled' });
    // 14 hours before the visit: within the 24-hour notice.
    const late = { ...deps, now: () => Date.parse('2031-03-04T01:00:00Z') };
    const tooLate = await refusal(cancelAppointment(late, PATIENT, mirela, mine.id, {}));
    expect(tooLate).toMatchObject({ status: 409, code: 'too_late' });
    expect(tooLate.message).toBe('visits can be cancelled online up to 24 hours before they start; please call the clinic at 555-0100');
    const after = { ...deps, now: () => Date.parse('2031-03-05T01:00:00Z') };
    expect(await refusal(cancelAppointment(after, PATIENT, mirela, mine.id, {}))).toMatchObject({ status: 409, code: 'past' });

    const cancelled = await cancelAppointment(deps, PATIENT, mirela, mine.id, { reason: 'feeling better' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellable: false });
    expect(await row('appointment', mine.id)).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'feeling better',
      cancelled_at: new Date(NOW).toISOString(),
      cancelled_by: 'portal:acct-mirela',
    });
    expect(await refusal(cancelAppointment(deps, PATIENT, mirela, mine.id, {}))).toMatchObject({ status: 409, code: 'not_cancellable' });
    await syncDevice();
    expect(repos.store.sqlite.prepare('SELECT status, cancel_reason, cancelled_by FROM appointments WHERE id = ?').get(mine.id)).toEqual({
      status: 'cancelled',
      cancel_reason: 'feeling better',
      cancelled_by: 'portal:acct-mirela',
    });
  });
});
