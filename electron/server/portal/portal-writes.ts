import type { z } from 'zod';
import {
  bookInput,
  cancelInput,
  formAnswersInput,
  messageInput,
  newThreadInput,
  visitRequestInput,
  type AppointmentView,
  type MessageView,
  type ThreadView,
} from '../../../shared/api/portal-http';
import type { ATTACHMENT_TYPES, IntakeForm, PortalSettings } from '../../../shared/domain/portal';
import type { AppointmentType } from '../../../shared/domain/schedule';
import type { Fields } from '../../../shared/sync/entities';
import { newId } from '../../common/ids';
import type { Sql } from '../db/open';
import { ServerError } from '../server-error';
import { portalAuthor, type PortalChange, type SyncService } from '../sync.service';
import { checkAnswers } from './portal-forms';
import { bookableType, laneFor, scheduleFiles } from './portal-slots';

/**
 * What a patient (or a parent or guardian, as proxy) writes on the portal: messages to the care
 * team, visit requests, online bookings and cancellations, intake form answers. Each runs in one
 * transaction on the clinic server's database and goes through `SyncService.writeAsPortal`, so it
 * is merged like a device's change and every desktop pulls it. Nothing here writes the chart itself:
 * what a patient reports waits as patient-reported items for staff to accept. The routes audit.
 */

export interface PortalDeps {
  sync: SyncService;
  settings: PortalSettings;
  forms: Map<string, IntakeForm>;
  resourcesDir: string;
  now: () => number;
}

/** Who is writing: the account, its name as shown to staff, and whether the chart is its own or a child's. */
export interface PortalActor {
  accountId: string;
  displayName: string;
  kind: 'self' | 'proxy';
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Online bookings take this advisory lock, so two patients never get the same time (across server processes). */
const BOOKING_LOCK = 7_301_021;

/** The input as the schema reads it, or a 400 naming the field. */
function parsed<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new ServerError(400, 'invalid_input', i ? `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}` : 'the request is not valid');
}

/** The columns every new row carries. */
function newRow(at: string, by: string): Fields {
  return { id: newId(), created_at: at, created_by: by, updated_at: at, updated_by: by, deleted_at: null, deleted_by: null, version: 1 };
}

const authorKind = (who: PortalActor): 'patient' | 'proxy' => (who.kind === 'self' ? 'patient' : 'proxy');

async function requireChart(q: Sql, patientId: string): Promise<void> {
  const [p] = await q.query("SELECT 1 FROM sync_rows WHERE entity = 'patient' AND entity_id = $1 AND data->>'deleted_at' IS NULL", [patientId]);
  if (!p) throw new ServerError(404, 'not_found', 'no such chart');
}

/** A row of this chart, locked for the transaction; null when it does not exist or belongs to another chart. */
async function ownRow(q: Sql, entity: string, id: string, patientId: string): Promise<Fields | null> {
  const [r] = await q.query<{ data: Fields }>(
    "SELECT data FROM sync_rows WHERE entity = $1 AND entity_id = $2 AND patient_id = $3 AND data->>'patient_id' = $3 AND data->>'deleted_at' IS NULL FOR UPDATE",
    [entity, id, patientId],
  );
  return r?.data ?? null;
}

function checkBody(deps: PortalDeps, body: string): void {
  const max = deps.settings.messages.maxBodyChars;
  if (body.length > max) {
    throw new ServerError(
      413,
      'message_too_long',
      `this message is ${body.length.toLocaleString('en-US')} characters long; the clinic accepts up to ${max.toLocaleString('en-US')}: split it into two messages or attach a document`,
    );
  }
}

// ---- Attachments --------------------------------------------------------------------------------

type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
const MAGIC: { type: AttachmentType; bytes: number[]; said: string; ext: string[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], said: 'a PDF document', ext: ['pdf'] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff], said: 'a JPEG picture', ext: ['jpg', 'jpeg'] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], said: 'a PNG picture', ext: ['png'] },
];
const ACCEPTED = 'the clinic accepts PDF documents and JPEG or PNG pictures';
const MIB = 1024 * 1024;

/** "3.2 MB", "2 MB", "512 KB": a size as a person reads it. */
export function sizeText(bytes: number): string {
  if (bytes < MIB) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(Math.round((bytes / MIB) * 10) / 10).toString()} MB`;
}

/**
 * A message's attachment checked before it is stored: base64, not empty, within the clinic's size
 * limit, and its bytes really of the type declared (PDF, JPEG or PNG, by their first bytes), with a
 * file name that does not claim another kind of file.
 */
export function checkAttachment(
  a: { name: string; type: AttachmentType; dataBase64: string },
  maxBytes: number,
): { name: string; type: AttachmentType; bytes: number; dataBase64: string } {
  const b64 = a.dataBase64.replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64))
    throw new ServerError(400, 'attachment_unreadable', 'the attached file did not arrive whole; attach it again');
  const size = (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (size === 0) throw new ServerError(400, 'attachment_empty', 'the attached file is empty');
  if (size > maxBytes)
    throw new ServerError(413, 'attachment_too_large', `this file is ${sizeText(size)}; the clinic accepts files up to ${sizeText(maxBytes)}`);
  const data = Buffer.from(b64, 'base64');
  const declared = MAGIC.find((m) => m.type === a.type)!;
  const actual = MAGIC.find((m) => m.bytes.every((b, i) => data[i] === b));
  if (actual !== declared) {
    const what = actual ? `it is ${actual.said}, not ${declared.said}` : `it is not ${declared.said}`;
    throw new ServerError(400, 'attachment_type', `this file's content does not match its type (${what}); ${ACCEPTED}`);
  }
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(a.name)?.[1]?.toLowerCase();
  if (ext !== undefined && !declared.ext.includes(ext)) {
    throw new ServerError(400, 'attachment_type', `the file name ends in .${ext} but the file is ${declared.said}; ${ACCEPTED}`);
  }
  return { name: a.name, type: a.type, bytes: data.length, dataBase64: data.toString('base64') };
}

// ---- Threads ----------------------------------------------------------------------------------

/** A thread of this chart with its messages, oldest first (attachments named, not included); null when it is not this chart's. */
export async function readThread(q: Sql, patientId: string, threadId: string): Promise<ThreadView | null> {
  const [t] = await q.query<{ data: Fields }>(
    "SELECT data FROM sync_rows WHERE entity = 'portal_thread' AND entity_id = $1 AND patient_id = $2 AND data->>'deleted_at' IS NULL",
    [threadId, patientId],
  );
  if (!t) return null;
  const rows = await q.query<{ data: Fields }>(
    `SELECT data - 'attachment_data' AS data FROM sync_rows WHERE entity = 'portal_message' AND patient_id = $1 AND data->>'thread_id' = $2
       AND data->>'deleted_at' IS NULL ORDER BY data->>'sent_at', entity_id`,
    [patientId, threadId],
  );
  const messageList = rows.map(({ data: m }): MessageView => ({
    id: String(m['id']),
    authorKind: m['author_kind'] as MessageView['authorKind'],
    authorName: String(m['author_name']),
    body: String(m['body']),
    sentAt: String(m['sent_at']),
    attachment: m['attachment_name'] ? { name: String(m['attachment_name']), type: String(m['attachment_type']), bytes: Number(m['attachment_bytes']) } : null,
  }));
  return {
    id: threadId,
    subject: String(t.data['subject']),
    status: t.data['status'] === 'closed' ? 'closed' : 'open',
    lastMessageAt: String(t.data['last_message_at']),
    messages: messageList.length,
    messageList,
  };
}

function messageRow(deps: PortalDeps, who: PortalActor, patientId: string, threadId: string, m: z.output<typeof messageInput>, at: string): Fields {
  checkBody(deps, m.body);
  const file = m.attachment ? checkAttachment(m.attachment, deps.settings.messages.maxAttachmentBytes) : null;
  const by = portalAuthor(who.accountId);
  return {
    ...newRow(at, by),
    thread_id: threadId,
    patient_id: patientId,
    author_kind: authorKind(who),
    author_id: who.accountId,
    author_name: who.displayName,
    body: m.body,
    attachment_name: file?.name ?? null,
    attachment_type: file?.type ?? null,
    attachment_bytes: file?.bytes ?? null,
    attachment_data: file?.dataBase64 ?? null,
    sent_at: at,
  };
}

async function openThread(deps: PortalDeps, who: PortalActor, patientId: string, subject: string, m: z.output<typeof messageInput>): Promise<ThreadView> {
  const at = new Date(deps.now()).toISOString();
  const by = portalAuthor(who.accountId);
  const thread: Fields = {
    ...newRow(at, by),
    patient_id: patientId,
    subject,
    status: 'open',
    assigned_to: null,
    opened_by: authorKind(who),
    last_message_at: at,
    note_id: null,
  };
  const id = thread['id'] as string;
  const message = messageRow(deps, who, patientId, id, m, at);
  return deps.sync.db.tx(async (q) => {
    await requireChart(q, patientId);
    await deps.sync.writeAsPortal(q, by, [
      { entity: 'portal_thread', id, patientId, fields: thread },
      { entity: 'portal_message', id: message['id'] as string, patientId, fields: message },
    ]);
    return (await readThread(q, patientId, id))!;
  });
}

/** A new thread with its first message. */
export async function startThread(deps: PortalDeps, who: PortalActor, patientId: string, input: z.input<typeof newThreadInput>): Promise<ThreadView> {
  const i = parsed(newThreadInput, input);
  return openThread(deps, who, patientId, i.subject, { body: i.body, ...(i.attachment && { attachment: i.attachment }) });
}

/**
 * A patient's message in one of the chart's threads. The thread is (re)opened: a closed thread gets
 * a new patient message back in front of staff; a staff member closing it on a device meanwhile is
 * kept as a conflict for review, never silently lost.
 */
export async function addMessage(
  deps: PortalDeps,
  who: PortalActor,
  patientId: string,
  threadId: string,
  input: z.input<typeof messageInput>,
): Promise<ThreadView> {
  const m = parsed(messageInput, input);
  const at = new Date(deps.now()).toISOString();
  const by = portalAuthor(who.accountId);
  const message = messageRow(deps, who, patientId, threadId, m, at);
  return deps.sync.db.tx(async (q) => {
    if (!(await ownRow(q, 'portal_thread', threadId, patientId))) throw new ServerError(404, 'not_found', 'no such message thread');
    await deps.sync.writeAsPortal(q, by, [
      { entity: 'portal_message', id: message['id'] as string, patientId, fields: message },
      { entity: 'portal_thread', id: threadId, patientId, fields: { status: 'open', last_message_at: at, updated_at: at, updated_by: by } },
    ]);
    return (await readThread(q, patientId, threadId))!;
  });
}

/** A request for a visit (when it cannot be booked online): a thread "Visit request" with the reason and the times that suit. */
export async function requestVisit(deps: PortalDeps, who: PortalActor, patientId: string, input: z.input<typeof visitRequestInput>): Promise<ThreadView> {
  const i = parsed(visitRequestInput, input);
  const body = `Reason for the visit: ${i.reason}\nPreferred times: ${i.preferredTimes || 'any time'}`;
  return openThread(deps, who, patientId, 'Visit request', { body });
}

/** An appointment as the portal shows it. `clinician`: the provider's name, if any. */
export function toAppointmentView(deps: Pick<PortalDeps, 'settings' | 'now'>, a: Fields, types: AppointmentType[], clinician: string | null): AppointmentView {
  const start = String(a['start_at']);
  const typeId = String(a['appointment_type']);
  return {
    id: String(a['id']),
    start,
    end: String(a['end_at']),
    type: typeId,
    typeName: types.find((t) => t.id === typeId)?.name ?? typeId,
    clinician,
    status: String(a['status']),
    bookedOnline: Number(a['booked_online'] ?? 0) === 1,
    cancellable: a['status'] === 'scheduled' && Date.parse(start) - deps.now() >= deps.settings.booking.cancelNoticeHours * HOUR,
  };
}

async function clinicianName(q: Sql, providerId: unknown): Promise<string | null> {
  if (typeof providerId !== 'string') return null;
  const [u] = await q.query<{ name: string | null }>("SELECT data->>'display_name' AS name FROM sync_rows WHERE entity = 'user' AND entity_id = $1", [
    providerId,
  ]);
  return u?.name ?? null;
}

/** Books an open slot of a type patients may book online; the slot is checked again inside the transaction. */
export async function bookAppointment(deps: PortalDeps, who: PortalActor, patientId: string, input: z.input<typeof bookInput>): Promise<AppointmentView> {
  const i = parsed(bookInput, input);
  const type = bookableType(deps, i.appointmentType);
  const start = Date.parse(i.start);
  const iv = { start, end: start + type.minutes * MINUTE };
  const at = new Date(deps.now()).toISOString();
  const by = portalAuthor(who.accountId);
  return deps.sync.db.tx(async (q) => {
    await requireChart(q, patientId);
    await q.query('SELECT pg_advisory_xact_lock($1)', [BOOKING_LOCK]);
    const [mine] = await q.query(
      `SELECT 1 FROM sync_rows WHERE entity = 'appointment' AND patient_id = $1 AND data->>'deleted_at' IS NULL
         AND coalesce(data->>'status', '') NOT IN ('cancelled', 'no_show')
         AND (data->>'start_at')::timestamptz < $3::timestamptz AND (data->>'end_at')::timestamptz > $2::timestamptz`,
      [patientId, new Date(iv.start).toISOString(), new Date(iv.end).toISOString()],
    );
    if (mine) throw new ServerError(409, 'already_booked', 'you already have a visit at that time');
    const providerId = await laneFor(q, deps, iv);
    const row: Fields = {
      ...newRow(at, by),
      patient_id: patientId,
      provider_id: providerId,
      room: null,
      appointment_type: type.id,
      start_at: new Date(iv.start).toISOString(),
      end_at: new Date(iv.end).toISOString(),
      status: 'scheduled',
      reason: i.reason || null,
      series_id: null,
      series_index: null,
      cancel_reason: null,
      cancelled_at: null,
      cancelled_by: null,
      arrived_at: null,
      checked_in_at: null,
      roomed_at: null,
      with_provider_at: null,
      checked_out_at: null,
      check_in: null,
      encounter_id: null,
      booked_online: 1,
    };
    await deps.sync.writeAsPortal(q, by, [{ entity: 'appointment', id: row['id'] as string, patientId, fields: row }]);
    return toAppointmentView(deps, row, scheduleFiles(deps.resourcesDir).types, await clinicianName(q, providerId));
  });
}

/** Cancels one of the chart's own scheduled visits, not past, and not within the clinic's notice period. */
export async function cancelAppointment(
  deps: PortalDeps,
  who: PortalActor,
  patientId: string,
  appointmentId: string,
  input: z.input<typeof cancelInput>,
): Promise<AppointmentView> {
  const i = parsed(cancelInput, input);
  const now = deps.now();
  const at = new Date(now).toISOString();
  const by = portalAuthor(who.accountId);
  return deps.sync.db.tx(async (q) => {
    const a = await ownRow(q, 'appointment', appointmentId, patientId);
    if (!a) throw new ServerError(404, 'not_found', 'no such appointment');
    const start = Date.parse(String(a['start_at']));
    if (start <= now) throw new ServerError(409, 'past', 'this visit has already started or is over; it cannot be cancelled');
    if (a['status'] !== 'scheduled')
      throw new ServerError(409, 'not_cancellable', `this visit is ${String(a['status']).replace('_', ' ')} and cannot be cancelled`);
    const h = deps.settings.booking.cancelNoticeHours;
    if (start - now < h * HOUR) {
      const phone = deps.settings.clinicPhone ? ` at ${deps.settings.clinicPhone}` : '';
      throw new ServerError(409, 'too_late', `visits can be cancelled online up to ${h} hours before they start; please call the clinic${phone}`);
    }
    const reason = i.reason || (who.kind === 'self' ? 'Cancelled online by the patient' : "Cancelled online by the patient's parent or guardian");
    const fields: Fields = { status: 'cancelled', cancel_reason: reason, cancelled_at: at, cancelled_by: by, updated_at: at, updated_by: by };
    await deps.sync.writeAsPortal(q, by, [{ entity: 'appointment', id: appointmentId, patientId, fields }]);
    return toAppointmentView(deps, { ...a, ...fields }, scheduleFiles(deps.resourcesDir).types, await clinicianName(q, a['provider_id']));
  });
}

/**
 * A filled-in intake form: one pending patient-reported item per answer (one per medication and
 * per allergy listed; one score per questionnaire), sharing a submission id, for staff to accept
 * into the chart or decline at check-in.
 */
export async function submitForm(
  deps: PortalDeps,
  who: PortalActor,
  patientId: string,
  formId: string,
  input: z.input<typeof formAnswersInput>,
): Promise<{ submissionId: string; items: number }> {
  const form = deps.forms.get(formId);
  if (!form) throw new ServerError(404, 'not_found', 'no such form');
  const i = parsed(formAnswersInput, input);
  const drafts = checkAnswers(form, i.answers);
  const at = new Date(deps.now()).toISOString();
  const by = portalAuthor(who.accountId);
  const submissionId = newId();
  return deps.sync.db.tx(async (q) => {
    await requireChart(q, patientId);
    if (i.appointmentId !== null) {
      const a = await ownRow(q, 'appointment', i.appointmentId, patientId);
      if (!a || a['status'] === 'cancelled') throw new ServerError(404, 'not_found', 'no such appointment');
    }
    const changes: PortalChange[] = drafts.map((d) => {
      const fields: Fields = {
        ...newRow(at, by),
        patient_id: patientId,
        submission_id: submissionId,
        form_id: form.id,
        form_title: form.title.en,
        item_id: d.itemId,
        kind: d.kind,
        label: d.label,
        value: JSON.stringify(d.value),
        appointment_id: i.appointmentId,
        submitted_at: at,
        submitted_by: authorKind(who),
        status: 'pending',
        reviewed_by: null,
        reviewed_at: null,
        review_note: null,
        chart_record: null,
      };
      return { entity: 'patient_reported_item', id: fields['id'] as string, patientId, fields };
    });
    await deps.sync.writeAsPortal(q, by, changes);
    return { submissionId, items: changes.length };
  });
}
