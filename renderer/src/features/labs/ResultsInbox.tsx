import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, SegmentedControl, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { InboxScope } from '../../../../shared/domain/lab-review';
import { NavButton } from '../../components';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { criticalRow } from './FlagBadge';
import { defaultScope, useLabs } from './labs.store';
import { ResultCells } from './ResultCells';
import { when } from './values';

/** "1 result", "1,234 results". */
const results = (n: number): string => `${n.toLocaleString()} result${n === 1 ? '' : 's'}`;

/**
 * Results waiting for a clinician: critical (HH/LL/AA) first in red, then abnormal, then normal,
 * newest first within each. A physician sees the results of their own orders and the shared queue
 * (results with no ordering provider here), or everyone's. Select some or all shown and
 * acknowledge them in one action (each acknowledgement is audited); the patient's name opens
 * their results.
 */
export function ResultsInbox(): ReactElement {
  const page = useLabs((s) => s.inbox);
  const loadError = useLabs((s) => s.error);
  const refresh = useLabs((s) => s.refresh);
  const acknowledge = useLabs((s) => s.acknowledge);
  const role = useSession((s) => s.session?.user?.role ?? null);
  const scope = useLabs((s) => s.scope) ?? defaultScope(role);
  const go = useNav((s) => s.go);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => void refresh(scope), [refresh, scope]);
  if (!page) return loadError ? <Alert color="red">{loadError}</Alert> : <Loader />;
  const inbox = page.items;
  const canAck = mayCall(role, 'labs.acknowledge');
  // Only rows on screen can be selected: a selection never holds a result the person did not see.
  const shownIds = inbox.map((i) => i.id);
  const chosen = shownIds.filter((id) => selected.has(id));
  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    setSelected(next);
  };
  const toggleAll = (): void => setSelected(chosen.length === shownIds.length ? new Set() : new Set(shownIds));
  const ack = async (): Promise<void> => {
    setBusy(true);
    const e = await acknowledge(chosen, note.trim() || undefined);
    setBusy(false);
    setError(e);
    if (!e) {
      setSelected(new Set());
      setNote('');
    }
  };
  const changeScope = (s: string): void => {
    setSelected(new Set());
    void refresh(s as InboxScope);
  };
  const critical = inbox.filter((i) => i.severity === 'critical').length;
  return (
    <Stack data-testid="results-inbox">
      <Group gap="xs">
        <Title order={2}>Results inbox</Title>
        <Badge variant="light" color={page.total > 0 ? 'blue' : 'gray'} data-testid="inbox-total">
          {page.total.toLocaleString()} to review
        </Badge>
        {critical > 0 && (
          <Badge color="red" data-testid="inbox-critical-count">
            {critical} critical
          </Badge>
        )}
      </Group>
      <SegmentedControl
        w={420}
        value={scope}
        onChange={changeScope}
        aria-label="Whose results"
        data={[
          { value: 'mine', label: 'Mine and shared queue' },
          { value: 'all', label: 'All providers' },
        ]}
        data-testid="inbox-scope"
      />
      {(error ?? loadError) && <Alert color="red">{error ?? loadError}</Alert>}
      {inbox.length === 0 ? (
        <Text c="dimmed">No results waiting for review.</Text>
      ) : (
        <>
          {inbox.length < page.total && (
            <Text size="sm" c="dimmed" data-testid="inbox-shown">
              Showing the first {results(inbox.length)} of {results(page.total)} (critical first); acknowledge these to see the rest.
            </Text>
          )}
          {canAck && (
            <Group align="end">
              <TextInput label="Note (optional)" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={360} data-testid="ack-note" />
              <Button disabled={chosen.length === 0} loading={busy} onClick={() => void ack()} data-testid="ack-selected">
                Acknowledge {chosen.length > 0 ? `${chosen.length} selected` : 'selected'}
              </Button>
            </Group>
          )}
          <Table highlightOnHover data-testid="inbox-table">
            <Table.Thead>
              <Table.Tr>
                {canAck && (
                  <Table.Th>
                    <Checkbox
                      checked={chosen.length > 0 && chosen.length === shownIds.length}
                      indeterminate={chosen.length > 0 && chosen.length < shownIds.length}
                      onChange={toggleAll}
                      aria-label={`select all ${results(shownIds.length)} shown`}
                      data-testid="inbox-select-all"
                    />
                  </Table.Th>
                )}
                <Table.Th>Patient</Table.Th>
                <Table.Th>Test</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>Flag</Table.Th>
                <Table.Th>Reference</Table.Th>
                <Table.Th>Collected</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Ordered by</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inbox.map((i) => (
                <Table.Tr key={i.id} style={criticalRow(i.severity)} data-testid={`inbox-row-${i.severity}`} data-result-id={i.id}>
                  {canAck && (
                    <Table.Td>
                      <Checkbox
                        checked={selected.has(i.id)}
                        onChange={() => toggle(i.id)}
                        aria-label={`select ${i.display} for ${i.patientName}`}
                        data-testid="inbox-select"
                      />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component="button" onClick={() => go({ name: 'chart', patientId: i.patientId, tab: 'results' })} data-testid="inbox-patient">
                      {i.patientName}
                    </Anchor>
                    {i.mrn && (
                      <Text size="xs" c="dimmed">
                        MRN {i.mrn}
                      </Text>
                    )}
                  </Table.Td>
                  <ResultCells r={i} />
                  <Table.Td>{when(i.effectiveAt)}</Table.Td>
                  <Table.Td>{i.status}</Table.Td>
                  <Table.Td data-testid="inbox-ordered-by">
                    {i.orderedBy ?? (
                      <Text span size="sm" c="dimmed">
                        Shared queue
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

/**
 * The header's entry to the inbox, with how many results wait: the true number (not the page's),
 * written out in full, and said in words to assistive technology.
 */
export function ResultsNavButton(): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const userId = useSession((s) => s.session?.user?.id ?? null);
  const total = useLabs((s) => s.inbox?.total ?? 0);
  const refresh = useLabs((s) => s.refresh);
  const go = useNav((s) => s.go);
  const active = useNav((s) => s.view.name === 'labs-inbox');
  const allowed = mayCall(role, 'labs.inbox');
  useEffect(() => {
    // Each person who signs in starts on their role's scope with their own count, never the last person's.
    if (allowed && userId !== null) void refresh(defaultScope(role));
  }, [allowed, userId, role, refresh]);
  if (!allowed) return null;
  return (
    <NavButton
      active={active}
      onClick={() => go({ name: 'labs-inbox' })}
      data-testid="nav-results"
      // The name is what is seen ("Results 1,234") and then what it means: a label that differs from the visible text fails WCAG 2.5.3.
      rightSection={
        total > 0 ? (
          <>
            <Badge size="sm" data-testid="results-badge">
              {total.toLocaleString()}
            </Badge>
            <VisuallyHidden>{total === 1 ? 'result' : 'results'} to review</VisuallyHidden>
          </>
        ) : undefined
      }
    >
      Results
    </NavButton>
  );
}
