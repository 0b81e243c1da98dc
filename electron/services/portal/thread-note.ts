import type { PortalThreadView } from '../../../shared/api/portal.contract';

/** The note template a thread becomes: the SOAP note's subjective holds the messages; the clinician completes the rest. */
export const THREAD_NOTE_TEMPLATE = 'primary-care-soap';
const SUBJECT_MAX = 200;
const TEXT_MAX = 20_000;

const WHO = { patient: 'patient', proxy: 'parent/guardian', staff: 'staff' } as const;

/**
 * A draft note's title and content from a portal thread: the subject as the chief complaint, and
 * every message (who, when, what, attachment names) as the history, oldest first. A thread longer
 * than a note field holds is cut with a line saying so (the thread itself stays in the inbox).
 */
export function threadNote(v: PortalThreadView): { title: string; content: Record<string, unknown> } {
  const subject = v.thread.subject ?? 'message';
  const parts = v.messages.map((m) => {
    const file = m.attachment ? `\n[attachment: ${m.attachment.name}]` : '';
    return `${m.sentAt.slice(0, 16).replace('T', ' ')} UTC, ${m.authorName} (${WHO[m.authorKind]}):\n${m.body}${file}`;
  });
  let text = `Portal messages (${v.messages.length}):\n\n${parts.join('\n\n')}`;
  if (text.length > TEXT_MAX) {
    const cut = '\n\n[The thread is longer than a note field: the rest is in the portal inbox.]';
    text = text.slice(0, TEXT_MAX - cut.length) + cut;
  }
  return {
    title: `Portal message: ${subject}`.slice(0, 200),
    content: { 'chief-complaint': subject.slice(0, SUBJECT_MAX), hpi: text },
  };
}
