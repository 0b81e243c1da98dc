import { Alert, Badge, Button, Grid, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { ClickableRow, NavButton, ScreenTitle } from '../../components';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { when } from './files';
import { usePortal } from './portal.store';
import { ThreadPanel } from './ThreadPanel';

/** The header's entry to the inbox, with how many open threads wait for a reply (never for billing). */
export function PortalNavButton(): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const userId = useSession((s) => s.session?.user?.id ?? null);
  const waiting = usePortal((s) => s.waiting);
  const refreshWaiting = usePortal((s) => s.refreshWaiting);
  const go = useNav((s) => s.go);
  const active = useNav((s) => s.view.name === 'portal-inbox');
  const allowed = mayCall(role, 'portal.inbox');
  useEffect(() => {
    if (allowed && userId !== null) void refreshWaiting();
  }, [allowed, userId, refreshWaiting]);
  if (!allowed) return null;
  return (
    <>
      <NavButton
        active={active}
        onClick={() => go({ name: 'portal-inbox' })}
        data-testid="nav-portal-inbox"
        // Seen: "Messages 3"; heard as well: what the 3 means (a description, so the name stays what is seen).
        aria-describedby={waiting > 0 ? 'portal-waiting-description' : undefined}
        rightSection={
          waiting > 0 ? (
            <Badge size="sm" data-testid="portal-waiting-badge">
              {waiting.toLocaleString()}
            </Badge>
          ) : undefined
        }
      >
        Messages
      </NavButton>
      {waiting > 0 && (
        <VisuallyHidden id="portal-waiting-description">
          {waiting === 1 ? '1 thread waits' : `${waiting.toLocaleString()} threads wait`} for a reply
        </VisuallyHidden>
      )}
    </>
  );
}

/**
 * Secure messages from the patient portal (they arrive by sync): open or closed threads, mine,
 * unassigned or all, newest first; a thread opens beside the list to be read, answered, assigned,
 * closed or turned into a chart note.
 */
export function PortalInbox(): ReactElement {
  const { status, assigned, threads, error, openThreadId, setFilters, refresh, openThread } = usePortal();
  // Refresh reads the open thread again too (a sync may have brought a message into it).
  const [reads, setReads] = useState(0);
  useEffect(() => void refresh(), [refresh]);
  return (
    <Stack data-testid="portal-inbox">
      <ScreenTitle title="Patient messages" />
      <Group gap="md">
        <SegmentedControl
          aria-label="Show threads"
          value={status}
          onChange={(v) => void setFilters({ status: v })}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Closed' },
            { value: 'all', label: 'All' },
          ]}
          data-testid="portal-filter-status"
        />
        <SegmentedControl
          aria-label="Whose threads"
          value={assigned}
          onChange={(v) => void setFilters({ assigned: v })}
          data={[
            { value: 'me', label: 'Mine' },
            { value: 'unassigned', label: 'Unassigned' },
            { value: 'any', label: 'Anyone' },
          ]}
          data-testid="portal-filter-assigned"
        />
        {/* Asked for, not polled: a poll would count as activity and keep an idle screen from locking. */}
        <Button
          variant="light"
          onClick={() => {
            setReads((n) => n + 1);
            void refresh();
          }}
          data-testid="portal-refresh"
        >
          Refresh
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          {!threads ? (
            !error && <Loader aria-label="Loading messages" />
          ) : threads.length === 0 ? (
            <Text c="dimmed" data-testid="portal-inbox-empty">
              No threads here.
            </Text>
          ) : (
            <Table highlightOnHover data-testid="portal-thread-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Last message</Table.Th>
                  <Table.Th>Assigned to</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {threads.map((t) => (
                  <ClickableRow
                    key={t.id}
                    onActivate={() => openThread(t.id)}
                    aria-current={t.id === openThreadId ? true : undefined}
                    bg={t.id === openThreadId ? 'teal.0' : undefined}
                    data-testid="portal-thread-row"
                    data-thread-id={t.id}
                  >
                    <Table.Td>{t.patientName}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={t.awaitingReply ? 700 : undefined}>
                        {t.subject ?? 'Restricted chart'}
                      </Text>
                      <Group gap={4}>
                        {t.awaitingReply && (
                          <Badge size="xs" variant="light" color="blue">
                            awaiting reply
                          </Badge>
                        )}
                        {t.status === 'closed' && (
                          <Badge size="xs" variant="light" color="gray">
                            closed
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{when(t.lastMessageAt)}</Text>
                    </Table.Td>
                    <Table.Td data-testid="portal-thread-assigned">{t.assignedName ?? 'Unassigned'}</Table.Td>
                  </ClickableRow>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          {openThreadId ? (
            <ThreadPanel key={`${openThreadId}:${reads}`} threadId={openThreadId} onChanged={() => void refresh()} />
          ) : (
            <Paper withBorder p="md">
              <Text c="dimmed">Choose a thread to read it.</Text>
            </Paper>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
