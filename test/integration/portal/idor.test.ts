import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../electron/common/ids';
import type { SlotsView, ThreadView } from '../../../shared/api/portal-http';
import {
  portalAudit,
  record,
  registeredPatient,
  seed,
  settingsWith,
  startPortalServer,
  TestClock,
  type PortalClient,
  type PortalServer,
} from './portal-server.helpers';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');
const HOUR = 3_600_000;

interface Chart {
  client: PortalClient;
  patientId: string;
  threadId: string;
  messageId: string;
  appointmentId: string;
}

/** A registered patient with a thread (a message with an attachment), an upcoming visit and a result. */
async function chartWithRecords(server: PortalServer, o: { given: string; family: string; birthDate: string; email: string }): Promise<Chart> {
  const { client, patientId } = await registeredPatient(server, o);
  const threadId = newId();
  const messageId = newId();
  const appointmentId = newId();
  const at = new Date(Date.now() - HOUR).toISOString();
  await seed(server, [
    record(
      'portal_thread',
      patientId,
      { subject: 'Refill', status: 'open', assigned_to: null, opened_by: 'staff', last_message_at: at, note_id: null },
      threadId,
    ),
    record(
      'portal_message',
      patientId,
      {
        thread_id: threadId,
        author_kind: 'staff',
        author_id: 'seed-staff-user',
        author_name: 'Nurse Ada',
        body: `Private words for ${o.given}`,
        attachment_name: 'scan.png',
        attachment_type: 'image/png',
        attachment_bytes: 29,
        attachment_data: PNG,
        sent_at: at,
      },
      messageId,
    ),
    record(
      'appointment',
      patientId,
      {
        provider_id: null,
        room: null,
        appointment_type: 'follow-up',
        start_at: new Date(Date.now() + 5 * 24 * HOUR).toISOString(),
        end_at: new Date(Date.now() + 5 * 24 * HOUR + 20 * 60_000).toISOString(),
        status: 'scheduled',
        reason: 'follow-up',
        booked_online: 0,
      },
      appointmentId,
    ),
    record('observation', patientId, {
      category: 'laboratory',
      loinc: '2345-7',
      display: 'Glucose',
      value_num: 99,
      unit: 'mg/dL',
      ref_low: 70,
      ref_high: 99,
      status: 'final',
      effective_at: at,
    }),
  ]);
  return { client, patientId, threadId, messageId, appointmentId };
}

/**
 * Two patients, each signed in to their own chart. Every portal route is tried by one with the
 * other's ids (the chart, a thread, a message, an appointment, in the path or in the body): each is
 * 404 with the same body a chart that does not exist gets, nothing is read or written, and each
 * attempt is one `portal.denied` audit entry.
 */
describe('portal IDOR: another patient’s ids', () => {
  const clock = new TestClock();
  let server: PortalServer;
  let a: Chart;
  let b: Chart;

  beforeAll(async () => {
    server = await startPortalServer('pglite', clock, { settings: settingsWith({ intake: { '*': ['gad7'] } }) });
    a = await chartWithRecords(server, { given: 'Alma', family: 'Ferreira', birthDate: '1971-03-03', email: 'alma@example.org' });
    b = await chartWithRecords(server, { given: 'Bruno', family: 'Castell', birthDate: '1968-08-08', email: 'bruno@example.org' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const denied = async (): Promise<number> => (await portalAudit(server, `action = 'portal.denied'`)).length;

  it('reads and writes of the own chart work (the routes exist and answer)', async () => {
    expect((await a.client.get(`/charts/${a.patientId}/summary`)).status).toBe(200);
    expect((await a.client.get<ThreadView>(`/charts/${a.patientId}/threads/${a.threadId}`)).body.messageList[0]!.body).toBe('Private words for Alma');
    const file = await a.client.get(`/charts/${a.patientId}/messages/${a.messageId}/attachment`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="scan.png"/);
    const reply = await a.client.post<ThreadView>(`/charts/${a.patientId}/threads/${a.threadId}/messages`, { body: 'Thank you' });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.messages).toBe(2);
    const started = await a.client.post<ThreadView>(`/charts/${a.patientId}/threads`, { subject: 'A question', body: 'Is the clinic open on Saturday?' });
    expect(started.status, started.text).toBe(200);
    expect((await a.client.post(`/charts/${a.patientId}/visit-requests`, { reason: 'knee pain' })).status).toBe(200);
    const day = new Date(clock.now() + 3 * 24 * HOUR).toISOString().slice(0, 10);
    const slots = await a.client.get<SlotsView>(`/charts/${a.patientId}/slots?type=follow-up&from=${day}`);
    expect(slots.status, slots.text).toBe(200);
    expect(slots.body.slots.length).toBeGreaterThan(0);
    const booked = await a.client.post(`/charts/${a.patientId}/appointments`, { appointmentType: 'follow-up', start: slots.body.slots[0]!.start });
    expect(booked.status, booked.text).toBe(200);
    expect((await a.client.get(`/charts/${a.patientId}/forms`)).status).toBe(200);
    expect((await a.client.get('/forms/gad7')).status).toBe(200);
    const form = await a.client.post(`/charts/${a.patientId}/forms/gad7`, { appointmentId: a.appointmentId, answers: { gad7: [0, 1, 0, 1, 0, 1, 0] } });
    expect(form.status, form.text).toBe(200);
    const cancelled = await a.client.post(`/charts/${a.patientId}/appointments/${a.appointmentId}/cancel`, { reason: 'feeling better' });
    expect(cancelled).toMatchObject({ status: 200, body: { id: a.appointmentId, status: 'cancelled' } });
    // Each write is audited with the account as actor and the chart as patient.
    const actions = (await portalAudit(server, `patient_id = $1`, [a.patientId])).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['portal.message', 'portal.thread_start', 'portal.visit_request', 'portal.book', 'portal.form_submit', 'portal.cancel']),
    );
  });

  it('answers 404 to every route tried with the other chart, like a chart that does not exist, and audits each try', async () => {
    const day = new Date(clock.now() + 3 * 24 * HOUR).toISOString().slice(0, 10);
    const gets = [
      'summary',
      'results',
      'released',
      'appointments',
      'threads',
      'immunizations.pdf',
      'record.pdf',
      'record.fhir.json',
      'record.ccda.xml',
      'forms',
      `slots?type=follow-up&from=${day}`,
      `threads/${b.threadId}`,
      `messages/${b.messageId}/attachment`,
    ];
    const posts: [string, unknown][] = [
      ['threads', { subject: 'x', body: 'y' }],
      [`threads/${b.threadId}/messages`, { body: 'y' }],
      ['visit-requests', { reason: 'x' }],
      ['appointments', { appointmentType: 'follow-up', start: new Date(clock.now() + 5 * 24 * HOUR).toISOString() }],
      [`appointments/${b.appointmentId}/cancel`, {}],
      ['forms/gad7', { appointmentId: null, answers: { gad7: [0, 0, 0, 0, 0, 0, 0] } }],
    ];
    const nobody = newId();
    for (const path of gets) {
      const before = await denied();
      const r = await a.client.get(`/charts/${b.patientId}/${path}`);
      expect(r.status, path).toBe(404);
      const missing = await a.client.get(`/charts/${nobody}/${path}`);
      expect(r.text, path).toBe(missing.text);
      expect(r.text).not.toContain('Bruno');
      expect(await denied(), path).toBe(before + 2);
    }
    for (const [path, body] of posts) {
      const before = await denied();
      const r = await a.client.post(`/charts/${b.patientId}/${path}`, body);
      expect(r.status, path).toBe(404);
      expect(r.text).toBe((await a.client.post(`/charts/${nobody}/${path}`, body)).text);
      expect(await denied(), path).toBe(before + 2);
    }
    const entries = await portalAudit(server, `action = 'portal.denied' AND patient_id = $1`, [b.patientId]);
    expect(entries.length).toBe(gets.length + posts.length);
    expect(new Set(entries.map((e) => e.user_id))).toEqual(
      new Set([`portal:${(await a.client.get<{ account: { id: string } }>('/session')).body.account.id}`]),
    );
  });

  it("answers 404 to the other patient's thread, message and appointment named under one's own chart, and writes nothing", async () => {
    const tries: [string, string, unknown?][] = [
      ['GET', `threads/${b.threadId}`],
      ['GET', `messages/${b.messageId}/attachment`],
      ['POST', `threads/${b.threadId}/messages`, { body: 'not yours' }],
      ['POST', `appointments/${b.appointmentId}/cancel`, { reason: 'not yours' }],
      ['POST', 'forms/gad7', { appointmentId: b.appointmentId, answers: { gad7: [0, 0, 0, 0, 0, 0, 0] } }],
    ];
    for (const [method, path, body] of tries) {
      const before = await denied();
      const r = method === 'GET' ? await a.client.get(`/charts/${a.patientId}/${path}`) : await a.client.post(`/charts/${a.patientId}/${path}`, body);
      expect(r.status, path).toBe(404);
      expect(r.text).not.toMatch(/Bruno|Private words/);
      expect(await denied(), path).toBe(before + 1);
    }
    const [appt] = await server.db.query<{ status: string }>(
      `SELECT data->>'status' AS status FROM sync_rows WHERE entity = 'appointment' AND entity_id = $1`,
      [b.appointmentId],
    );
    expect(appt!.status).toBe('scheduled');
    const [msgs] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'portal_message' AND data->>'thread_id' = $1`,
      [b.threadId],
    );
    expect(msgs!.n).toBe(1);
    const [items] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sync_rows WHERE entity = 'patient_reported_item' AND patient_id = $1`,
      [b.patientId],
    );
    expect(items!.n).toBe(0);
    // B still reads all of it.
    expect((await b.client.get<ThreadView>(`/charts/${b.patientId}/threads/${b.threadId}`)).body.messages).toBe(1);
  });

  it('refuses ids that are not ids at all with the same 404 (and audits them too)', async () => {
    for (const bad of ['-dash', '%2Fsummary', '%E2%80%AE', "x'or'1'='1", 'a'.repeat(300), '%00']) {
      const before = await denied();
      const r = await a.client.get(`/charts/${bad}/summary`);
      expect([400, 404]).toContain(r.status);
      if (r.status === 404) expect(await denied()).toBe(before + 1);
    }
  });
});
