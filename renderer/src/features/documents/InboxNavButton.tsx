import { Badge } from '@mantine/core';
import { useEffect, type ReactElement } from 'react';
import { NavButton } from '../../components';
import { useNav } from '../../stores/nav.store';
import { mayShow } from '../../stores/screens';
import { useSession } from '../../stores/session.store';
import { INBOX_POLL_MS, useDocuments } from './documents.store';

/** "Document inbox 3": the unfiled scan/fax queue, with how many documents wait to be filed. */
export function InboxNavButton(): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const userId = useSession((s) => s.session?.user?.id ?? null);
  const waiting = useDocuments((s) => s.unfiled);
  const refresh = useDocuments((s) => s.refreshInbox);
  const go = useNav((s) => s.go);
  const active = useNav((s) => s.view.name === 'documents-inbox');
  const allowed = mayShow(role, 'documents-inbox');
  useEffect(() => {
    if (!allowed || userId === null) return;
    void refresh();
    // The watched folder fills the queue in the background: the count is asked for again every few seconds.
    const timer = setInterval(() => void refresh(), INBOX_POLL_MS);
    return () => clearInterval(timer);
  }, [allowed, userId, refresh]);
  if (!allowed) return null;
  return (
    <>
      <NavButton
        active={active}
        onClick={() => go({ name: 'documents-inbox' })}
        data-testid="nav-documents-inbox"
        // Seen: "Document inbox 3"; the count's meaning is its description, so the name stays what is seen (WCAG 2.5.3).
        aria-describedby={waiting > 0 ? 'documents-inbox-waiting' : undefined}
        rightSection={
          waiting > 0 ? (
            <Badge size="sm" data-testid="documents-inbox-badge">
              {waiting.toLocaleString()}
            </Badge>
          ) : undefined
        }
      >
        Document inbox
      </NavButton>
      {waiting > 0 && (
        <span id="documents-inbox-waiting" hidden>
          {waiting === 1 ? 'one document' : `${waiting.toLocaleString()} documents`} to file
        </span>
      )}
    </>
  );
}
