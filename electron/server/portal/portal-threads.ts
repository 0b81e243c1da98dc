import type { MessageView, ThreadSummary, ThreadView } from '../../../shared/api/portal-http';
import { ATTACHMENT_TYPES } from '../../../shared/domain/portal';
import { isHidden, loadRows, type ChartAccess, type Loaded, type ReadDeps, type Row } from './portal-chart';

/**
 * Secure-message threads as the portal reads them: the chart's threads, one thread with its
 * messages, and a message's attachment. Writing them is portal-writes.ts's.
 */

const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function messagesOf(a: ChartAccess, l: Loaded, threadId: string): Row[] {
  return (l.rows.get('portal_message') ?? [])
    .filter((m) => m['thread_id'] === threadId && !isHidden(a, l, 'portal_message', m))
    .sort((x, y) => String(x['sent_at']).localeCompare(String(y['sent_at'])) || String(x['id']).localeCompare(String(y['id'])));
}

function summary(t: Row, messages: Row[]): ThreadSummary {
  return {
    id: String(t['id']),
    subject: s(t['subject']) ?? '',
    status: t['status'] === 'closed' ? 'closed' : 'open',
    lastMessageAt: s(t['last_message_at']) ?? s(messages[messages.length - 1]?.['sent_at']) ?? String(t['created_at']),
    messages: messages.length,
  };
}

const AUTHOR_KINDS = new Set(['patient', 'proxy', 'staff']);

function messageView(m: Row): MessageView {
  const name = s(m['attachment_name']);
  const type = s(m['attachment_type']);
  return {
    id: String(m['id']),
    authorKind: AUTHOR_KINDS.has(String(m['author_kind'])) ? (m['author_kind'] as MessageView['authorKind']) : 'staff',
    authorName: s(m['author_name']) ?? '',
    body: s(m['body']) ?? '',
    sentAt: s(m['sent_at']) ?? String(m['created_at']),
    attachment: name && type ? { name, type, bytes: typeof m['attachment_bytes'] === 'number' ? m['attachment_bytes'] : 0 } : null,
  };
}

/** The chart's threads the viewer may see, the latest activity first. */
export async function chartThreads(d: ReadDeps, a: ChartAccess): Promise<ThreadSummary[]> {
  const l = await loadRows(d, a, ['portal_thread', 'portal_message']);
  return (l.rows.get('portal_thread') ?? [])
    .filter((t) => !isHidden(a, l, 'portal_thread', t))
    .map((t) => summary(t, messagesOf(a, l, String(t['id']))))
    .sort((x, y) => y.lastMessageAt.localeCompare(x.lastMessageAt) || x.id.localeCompare(y.id));
}

/** One thread of this chart with its messages, or null when the chart has no such thread the viewer may see. */
export async function chartThread(d: ReadDeps, a: ChartAccess, threadId: string): Promise<ThreadView | null> {
  const l = await loadRows(d, a, ['portal_thread', 'portal_message']);
  const t = (l.rows.get('portal_thread') ?? []).find((x) => x['id'] === threadId);
  if (!t || isHidden(a, l, 'portal_thread', t)) return null;
  const messages = messagesOf(a, l, threadId);
  return { ...summary(t, messages), messageList: messages.map(messageView) };
}

export interface Attachment {
  name: string;
  type: (typeof ATTACHMENT_TYPES)[number];
  bytes: Uint8Array<ArrayBuffer>;
}

/** A message's attachment, or null (no such message on this chart, hidden, or no attachment). */
export async function messageAttachment(d: ReadDeps, a: ChartAccess, messageId: string): Promise<Attachment | null> {
  const [r] = await d.db.query<{ patient_id: string | null; data: string }>(
    `SELECT patient_id, data::text AS data FROM sync_rows WHERE entity = 'portal_message' AND entity_id = $1 AND (data->>'deleted_at') IS NULL`,
    [messageId],
  );
  if (!r || r.patient_id !== a.chart.patientId) return null;
  const m = JSON.parse(r.data) as Row;
  if (a.hidesConfidential && isHidden(a, await loadRows(d, a, []), 'portal_message', m)) return null;
  const type = ATTACHMENT_TYPES.find((t) => t === m['attachment_type']);
  const data = s(m['attachment_data']);
  if (!type || !data) return null;
  return { name: s(m['attachment_name']) ?? 'attachment', type, bytes: new Uint8Array(Buffer.from(data, 'base64')) };
}
