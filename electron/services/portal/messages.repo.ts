import type { PortalMessageView, PortalThreadSummary, PortalThreadView } from '../../../shared/api/portal.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { Actor } from '../repos/writer';
import type { PortalRows, Values } from './portal-rows';

interface ThreadRow {
  id: string;
  patient_id: string;
  given_name: string;
  family_name: string;
  restricted: number;
  subject: string;
  status: 'open' | 'closed';
  assigned_to: string | null;
  assigned_name: string | null;
  opened_by: string;
  last_message_at: string;
  note_id: string | null;
  message_count: number;
  last_author: string | null;
}

interface MessageRow {
  id: string;
  thread_id: string;
  author_kind: 'patient' | 'proxy' | 'staff';
  author_name: string;
  body: string;
  sent_at: string;
  attachment_name: string | null;
  attachment_type: string | null;
  attachment_bytes: number | null;
}

const SELECT_THREAD = `SELECT t.id, t.patient_id, p.given_name, p.family_name, p.restricted, t.subject, t.status, t.assigned_to, u.display_name AS assigned_name,
  t.opened_by, t.last_message_at, t.note_id,
  (SELECT COUNT(*) FROM portal_messages m WHERE m.thread_id = t.id AND m.deleted_at IS NULL) AS message_count,
  (SELECT m.author_kind FROM portal_messages m WHERE m.thread_id = t.id AND m.deleted_at IS NULL ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) AS last_author
  FROM portal_threads t JOIN patients p ON p.id = t.patient_id LEFT JOIN users u ON u.id = t.assigned_to`;

/** Whether the caller may see a restricted chart's thread subject (the chart guard decides the rest). */
export type MayOpen = (patientId: string) => boolean;

function summary(r: ThreadRow, mayOpen: MayOpen): PortalThreadSummary {
  const hidden = r.restricted === 1 && !mayOpen(r.patient_id);
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: `${r.given_name} ${r.family_name}`,
    restricted: r.restricted === 1,
    subject: hidden ? null : r.subject,
    status: r.status,
    assignedTo: r.assigned_to,
    assignedName: r.assigned_name,
    openedBy: r.opened_by,
    lastMessageAt: r.last_message_at,
    messageCount: r.message_count,
    awaitingReply: r.last_author !== null && r.last_author !== 'staff',
    noteId: r.note_id,
  };
}

function message(r: MessageRow): PortalMessageView {
  return {
    id: r.id,
    threadId: r.thread_id,
    authorKind: r.author_kind,
    authorName: r.author_name,
    body: r.body,
    sentAt: r.sent_at,
    attachment: r.attachment_name ? { name: r.attachment_name, type: r.attachment_type ?? 'application/octet-stream', bytes: r.attachment_bytes ?? 0 } : null,
  };
}

export interface InboxFilter {
  status: 'open' | 'closed' | 'all';
  assignedTo: 'me' | 'unassigned' | 'any';
}

export interface Reply {
  body: string;
  attachment?: { name: string; type: string; base64: string } | undefined;
}

/** The most threads one inbox view lists (newest activity first). */
export const INBOX_LIMIT = 500;

/**
 * Portal threads and messages on the desk. The patient's side is written on the clinic server and
 * arrives by sync; staff replies, assignment and closing are written here and go back the same way.
 */
export class MessagesRepo {
  constructor(private readonly rows: PortalRows) {}

  inbox(f: InboxFilter, me: string, mayOpen: MayOpen): PortalThreadSummary[] {
    const where = ['t.deleted_at IS NULL'];
    const args: string[] = [];
    if (f.status !== 'all') {
      where.push('t.status = ?');
      args.push(f.status);
    }
    if (f.assignedTo === 'me') {
      where.push('t.assigned_to = ?');
      args.push(me);
    } else if (f.assignedTo === 'unassigned') where.push('t.assigned_to IS NULL');
    return this.rows
      .all<ThreadRow>(`${SELECT_THREAD} WHERE ${where.join(' AND ')} ORDER BY t.last_message_at DESC, t.id DESC LIMIT ${INBOX_LIMIT}`, ...args)
      .map((r) => summary(r, mayOpen));
  }

  summary(threadId: string, mayOpen: MayOpen): PortalThreadSummary {
    const r = this.rows.get<ThreadRow>(`${SELECT_THREAD} WHERE t.id = ? AND t.deleted_at IS NULL`, threadId);
    if (!r) throw new CairnFailure('not_found', `no portal thread with id ${threadId}`);
    return summary(r, mayOpen);
  }

  thread(threadId: string, mayOpen: MayOpen): PortalThreadView {
    const thread = this.summary(threadId, mayOpen);
    const messages = this.rows
      .all<MessageRow>(
        `SELECT id, thread_id, author_kind, author_name, body, sent_at, attachment_name, attachment_type, attachment_bytes
         FROM portal_messages WHERE thread_id = ? AND deleted_at IS NULL ORDER BY sent_at, id`,
        threadId,
      )
      .map(message);
    return { thread, messages };
  }

  /** A message's attachment as stored (base64), with the chart it belongs to. */
  attachment(messageId: string): { patientId: string; name: string; type: string; base64: string } {
    const r = this.rows.get<{ patient_id: string; attachment_name: string | null; attachment_type: string | null; attachment_data: string | null }>(
      'SELECT patient_id, attachment_name, attachment_type, attachment_data FROM portal_messages WHERE id = ? AND deleted_at IS NULL',
      messageId,
    );
    if (!r) throw new CairnFailure('not_found', `no portal message with id ${messageId}`);
    if (!r.attachment_name || r.attachment_data === null) throw new CairnFailure('not_found', 'this message has no attachment');
    return { patientId: r.patient_id, name: r.attachment_name, type: r.attachment_type ?? 'application/octet-stream', base64: r.attachment_data };
  }

  /** Staff's reply: a new message (written once), the thread's last activity, and a closed thread opened again. */
  reply(threadId: string, reply: Reply, author: { actor: Actor; name: string }): void {
    this.rows.writer.write((at) => {
      const t = this.current(threadId);
      const bytes = reply.attachment ? Buffer.from(reply.attachment.base64, 'base64').length : null;
      this.rows.insert(
        at,
        author.actor,
        'portal_message',
        {
          thread_id: threadId,
          patient_id: t.patient_id,
          author_kind: 'staff',
          author_id: author.actor.userId,
          author_name: author.name,
          body: reply.body,
          attachment_name: reply.attachment?.name ?? null,
          attachment_type: reply.attachment?.type ?? null,
          attachment_bytes: bytes,
          attachment_data: reply.attachment?.base64 ?? null,
          sent_at: at,
        },
        t.patient_id,
        'portal.reply',
        reply.attachment ? `with attachment (${bytes} bytes)` : undefined,
      );
      const values: Values = t.status === 'closed' ? { last_message_at: at, status: 'open' } : { last_message_at: at };
      this.rows.update(
        at,
        author.actor,
        'portal_thread',
        threadId,
        values,
        t.patient_id,
        'portal.thread.update',
        t.status === 'closed' ? 'reopened by a reply' : 'reply',
      );
    });
  }

  /** Assigns a thread to a staff member (null: unassigned). */
  assign(threadId: string, userId: string | null, actor: Actor): void {
    this.rows.writer.write((at) => {
      const t = this.current(threadId);
      if (t.assigned_to === userId) return;
      this.rows.update(at, actor, 'portal_thread', threadId, { assigned_to: userId }, t.patient_id, 'portal.assign', userId ?? 'unassigned');
    });
  }

  close(threadId: string, actor: Actor): void {
    this.rows.writer.write((at) => {
      const t = this.current(threadId);
      if (t.status === 'closed') throw new CairnFailure('conflict', 'this thread is already closed');
      this.rows.update(at, actor, 'portal_thread', threadId, { status: 'closed' }, t.patient_id, 'portal.close');
    });
  }

  /** Inside writer.write: records the chart note a thread became. */
  linkNote(at: string, threadId: string, noteId: string, actor: Actor): void {
    const t = this.current(threadId);
    this.rows.update(at, actor, 'portal_thread', threadId, { note_id: noteId }, t.patient_id, 'portal.to_note', noteId);
  }

  current(threadId: string): { patient_id: string; status: string; assigned_to: string | null; subject: string; note_id: string | null } {
    const t = this.rows.get<{ patient_id: string; status: string; assigned_to: string | null; subject: string; note_id: string | null }>(
      'SELECT patient_id, status, assigned_to, subject, note_id FROM portal_threads WHERE id = ? AND deleted_at IS NULL',
      threadId,
    );
    if (!t) throw new CairnFailure('not_found', `no portal thread with id ${threadId}`);
    return t;
  }
}
