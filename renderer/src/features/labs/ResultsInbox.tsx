import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { criticalRow } from './FlagBadge';
import { useLabs } from './labs.store';
import { ResultCells } from './ResultCells';
import { when } from './values';

/**
 * Results waiting for a clinician: critical (HH/LL/AA) first in red, then abnormal, then normal,
 * newest first within each. Select and acknowledge; the patient's name opens their results.
 */
export function ResultsInbox(): ReactElement {
  const inbox = useLabs((s) => s.inbox);
  const loadError = useLabs((s) => s.error);
  const refresh = useLabs((s) => s.refresh);
  const acknowledge = useLabs((s) => s.acknowledge);
  const role = useSession((s) => s.session?.user?.role ?? null);
  const go = useNav((s) => s.go);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void refresh(), [refresh]);
  if (!inbox) return loadError ? <Alert color="red">{loadError}</Alert> : <Loader />;
  const canAck = mayCall(role, 'labs.acknowledge');
  const toggle = (id: string): void => {
    const next = new Set(selected);
    if (!next.delete(id)) next.add(id);
    setSelected(next);
  };
  const ack = async (): Promise<void> => {
    const e = await acknowledge([...selected], note.trim() || undefined);
    setError(e);
    if (!e) {
      setSelected(new Set());
      setNote('');
    }
  };
  const critical = inbox.filter((i) => i.severity === 'critical').length;
  return (
    <Stack data-testid="results-inbox">
      <Group gap="xs">
        <Title order={2}>Results inbox</Title>
        <Badge variant="light" color={inbox.length > 0 ? 'blue' : 'gray'}>{inbox.length} to review</Badge>
        {critical > 0 && <Badge color="red" data-testid="inbox-critical-count">{critical} critical</Badge>}
      </Group>
      {(error ?? loadError) && <Alert color="red">{error ?? loadError}</Alert>}
      {inbox.length === 0 ? (
        <Text c="dimmed">No results waiting for review.</Text>
      ) : (
        <>
          {canAck && (
            <Group align="end">
              <TextInput label="Note (optional)" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={360} data-testid="ack-note" />
              <Button disabled={selected.size === 0} onClick={() => void ack()} data-testid="ack-selected">
                Acknowledge {selected.size > 0 ? selected.size : ''} selected
              </Button>
            </Group>
          )}
          <Table highlightOnHover data-testid="inbox-table">
            <Table.Thead>
              <Table.Tr>
                {canAck && <Table.Th />}
                <Table.Th>Patient</Table.Th>
                <Table.Th>Test</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>Flag</Table.Th>
                <Table.Th>Reference</Table.Th>
                <Table.Th>Collected</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inbox.map((i) => (
                <Table.Tr key={i.id} style={criticalRow(i.severity)} data-testid={`inbox-row-${i.severity}`} data-result-id={i.id}>
                  {canAck && (
                    <Table.Td>
                      <Checkbox checked={selected.has(i.id)} onChange={() => toggle(i.id)} aria-label={`select ${i.display}`} data-testid="inbox-select" />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component="button" onClick={() => go({ name: 'chart', patientId: i.patientId, tab: 'results' })} data-testid="inbox-patient">
                      {i.patientName}
                    </Anchor>
                    {i.mrn && <Text size="xs" c="dimmed">MRN {i.mrn}</Text>}
                  </Table.Td>
                  <ResultCells r={i} />
                  <Table.Td>{when(i.effectiveAt)}</Table.Td>
                  <Table.Td>{i.status}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

/** The header's entry to the inbox, with how many results wait. */
export function ResultsNavButton(): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const count = useLabs((s) => s.inbox?.length ?? 0);
  const refresh = useLabs((s) => s.refresh);
  const go = useNav((s) => s.go);
  const allowed = mayCall(role, 'labs.inbox');
  useEffect(() => {
    if (allowed) void refresh();
  }, [allowed, refresh]);
  if (!allowed) return null;
  return (
    <Button
      variant="subtle"
      onClick={() => go({ name: 'labs-inbox' })}
      data-testid="nav-results"
      rightSection={count > 0 ? <Badge size="sm" circle data-testid="results-badge">{count}</Badge> : undefined}
    >
      Results
    </Button>
  );
}
