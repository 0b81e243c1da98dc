import type Database from 'better-sqlite3';
import { newId } from '../../../electron/common/ids';
import type { Result } from '../../../shared/api/result';
import type { Patient } from '../../../shared/domain/patient';
import type { ReportedKind } from '../../../shared/domain/portal';
import { CLINIC, openClinic, type Clinic } from '../../helpers/clinic';

// The portal desk's tests share one synthetic clinic: a physician (signed in first), a nurse, the
// front desk and a biller, and rows the clinic server writes for a patient (threads, messages,
// reported items) placed as a sync pull leaves them: authored `portal:<account>`, not in the outbox.

export const USERS = {
  doc: { username: CLINIC.doc.username, password: CLINIC.doc.password },
  nurse: { username: 'nina', password: 'copper willow lantern 7' },
  desk: { username: 'frank', password: 'marble orchid harbor 3' },
  biller: { username: 'bea', password: 'saffron glacier tunnel 9' },
} as const;
export type Who = keyof typeof USERS;

export interface Desk extends Clinic {
  as: (who: Who) => Promise<void>;
  code: (r: Result<unknown>) => string;
  userId: (who: Who) => string;
  patient: (given: string, family: string, birthDate?: string) => Promise<Patient>;
  /** The clinic server's rows, as a pull leaves them on this device. */
  fromPortal: {
    thread: (
      patientId: string,
      subject: string,
      body: string,
      opts?: { at?: string; attachment?: { name: string; type: string; data: Buffer } },
    ) => { threadId: string; messageId: string };
    message: (threadId: string, patientId: string, body: string, at: string) => string;
    item: (
      patientId: string,
      kind: ReportedKind,
      value: unknown,
      opts?: { submissionId?: string; itemId?: string; label?: string; appointmentId?: string; at?: string; formId?: string },
    ) => string;
  };
  /** Outbox entries for one row. */
  outbox: (entity: string, id: string) => { op: string }[];
}

export const ACCOUNT = '01960000-0000-7000-8000-00000000acc1';

export async function openDesk(dir: string, clock: () => Date): Promise<Desk> {
  const c = await openClinic(dir, clock);
  await c.ok('session.logout');
  await c.ok('session.login', { username: CLINIC.admin.username, password: CLINIC.admin.password });
  await c.ok('users.create', { username: USERS.nurse.username, displayName: 'Nina Nurse', role: 'nurse', password: USERS.nurse.password });
  await c.ok('users.create', { username: USERS.desk.username, displayName: 'Frank Desk', role: 'front_desk', password: USERS.desk.password });
  await c.ok('users.create', { username: USERS.biller.username, displayName: 'Bea Biller', role: 'billing', password: USERS.biller.password });
  await c.ok('session.logout');
  await c.ok('session.login', USERS.doc);
  const sqlite = (): Database.Database => c.session.repos.store.sqlite;
  const stamp = (at: string): Record<string, string | number> => ({
    created_at: at,
    created_by: `portal:${ACCOUNT}`,
    updated_at: at,
    updated_by: `portal:${ACCOUNT}`,
    version: 1,
  });
  const insert = (table: string, row: Record<string, unknown>): void => {
    const cols = Object.keys(row);
    sqlite()
      .prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      .run(...cols.map((k) => row[k]));
  };
  const message = (threadId: string, patientId: string, body: string, at: string, attachment?: { name: string; type: string; data: Buffer }): string => {
    const id = newId();
    insert('portal_messages', {
      id,
      ...stamp(at),
      thread_id: threadId,
      patient_id: patientId,
      author_kind: 'patient',
      author_id: ACCOUNT,
      author_name: 'Patient Account',
      body,
      attachment_name: attachment?.name ?? null,
      attachment_type: attachment?.type ?? null,
      attachment_bytes: attachment?.data.length ?? null,
      attachment_data: attachment?.data.toString('base64') ?? null,
      sent_at: at,
    });
    sqlite().prepare('UPDATE portal_threads SET last_message_at = ? WHERE id = ?').run(at, threadId);
    return id;
  };
  return {
    ...c,
    as: async (who) => {
      await c.ok('session.logout');
      await c.ok('session.login', USERS[who]);
    },
    code: (r) => (r.ok ? 'ok' : r.error.code),
    userId: (who) => (sqlite().prepare('SELECT id FROM users WHERE username = ?').get(USERS[who].username) as { id: string }).id,
    patient: (given, family, birthDate = '1980-04-05') =>
      c.ok<Patient>('patients.create', { givenName: given, familyName: family, birthDate, sex: 'female', phone: '617-555-0101' }),
    fromPortal: {
      thread: (patientId, subject, body, opts = {}) => {
        const at = opts.at ?? clock().toISOString();
        const threadId = newId();
        insert('portal_threads', {
          id: threadId,
          ...stamp(at),
          patient_id: patientId,
          subject,
          status: 'open',
          assigned_to: null,
          opened_by: 'patient',
          last_message_at: at,
          note_id: null,
        });
        return { threadId, messageId: message(threadId, patientId, body, at, opts.attachment) };
      },
      message: (threadId, patientId, body, at) => message(threadId, patientId, body, at),
      item: (patientId, kind, value, opts = {}) => {
        const id = newId();
        const at = opts.at ?? clock().toISOString();
        insert('patient_reported_items', {
          id,
          ...stamp(at),
          patient_id: patientId,
          submission_id: opts.submissionId ?? newId(),
          form_id: opts.formId ?? 'intake',
          form_title: 'Before your visit',
          item_id: opts.itemId ?? kind,
          kind,
          label: opts.label ?? kind,
          value: JSON.stringify(value),
          appointment_id: opts.appointmentId ?? null,
          submitted_at: at,
          submitted_by: 'patient',
          status: 'pending',
        });
        return id;
      },
    },
    outbox: (entity, id) => sqlite().prepare('SELECT op FROM sync_outbox WHERE entity = ? AND entity_id = ? ORDER BY seq').all(entity, id) as { op: string }[],
  };
}
