import { type Hono, type Context } from 'hono';
import { bookInput, cancelInput, formAnswersInput, messageInput, newThreadInput, visitRequestInput, type ClinicInfo } from '../../../shared/api/portal-http';
import { ServerError } from '../server-error';
import { type PortalAuditEntry } from './portal-audit';
import { ownsRecord, type ChartAccess } from './portal-chart';
import { PortalError, readJson, RECORD_ID } from './portal-guard';
import { type PortalSession } from './portal-sessions';
import { formsDue } from './portal-forms';
import { openSlots } from './portal-slots';
import { addMessage, bookAppointment, cancelAppointment, requestVisit, startThread, submitForm, type PortalActor } from './portal-writes';
import { audit, changing, chartOf, deny, readEntry, signedIn, type Portal } from './portal-context';

// ---- Writes, slots and forms (the services are portal-writes.ts, portal-slots.ts and portal-forms.ts) --

const actor = (s: PortalSession, a: ChartAccess): PortalActor => ({ accountId: s.accountId, displayName: s.displayName, kind: a.chart.kind });

export function writeRoutes(api: Hono, p: Portal): void {
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
