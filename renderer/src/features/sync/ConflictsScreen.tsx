import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { ConflictView, QuarantineItem } from '../../../../shared/domain/sync-review';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { DuplicateCard } from './DuplicateCard';
import { FieldConflictCard } from './FieldConflictCard';
import { RefusedChanges } from './RefusedChanges';
import { useSync } from './sync.store';
import { when } from './values';
import { ScreenTitle } from '../../components';

function Section({ title, count, children }: { title: string; count: number; children: ReactElement }): ReactElement {
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Title order={3}>{title}</Title>
        <Badge variant="light" color={count > 0 ? 'red' : 'gray'}>
          {count}
        </Badge>
      </Group>
      {children}
    </Stack>
  );
}

function Settled({ conflicts }: { conflicts: ConflictView[] }): ReactElement | null {
  const go = useNav((s) => s.go);
  if (conflicts.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={4}>Recently settled</Title>
      <Table data-testid="settled-conflicts">
        <Table.Tbody>
          {conflicts.map((c) => (
            <Table.Tr key={c.id} data-testid={`settled-${c.id}`}>
              <Table.Td>
                {c.entityLabel}
                {c.fieldLabel ? ` · ${c.fieldLabel}` : ''}
              </Table.Td>
              <Table.Td>{c.patientName ?? ''}</Table.Td>
              <Table.Td>{c.status}</Table.Td>
              <Table.Td>{c.resolution ?? ''}</Table.Td>
              <Table.Td>{c.resolvedBy ?? ''}</Table.Td>
              <Table.Td>{when(c.resolvedAt)}</Table.Td>
              <Table.Td>
                {c.patientId && (
                  <Anchor component="button" size="sm" onClick={() => go({ name: 'chart', patientId: c.patientId! })} data-testid={`settled-open-${c.id}`}>
                    Open chart
                  </Anchor>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/**
 * What sync needs a person for: fields changed on two devices while apart, possible duplicate
 * registrations, two charts with one MRN, and changes the clinic server refused.
 */
export function ConflictsScreen({ patientId }: { patientId?: string | undefined }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const refreshStatus = useSync((s) => s.refresh);
  const go = useNav((s) => s.go);
  const [listed, setConflicts] = useState<ConflictView[] | null>(null);
  const [refused, setRefused] = useState<QuarantineItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const canList = mayCall(role, 'sync.conflicts.list');
  const load = useCallback(() => {
    if (canList)
      void api['sync.conflicts.list']({ includeClosed: true, ...(patientId && { patientId }) }).then((r) =>
        r.ok ? setConflicts(r.value) : setError(r.error.message),
      );
    void api['sync.quarantine.list']({}).then((r) => (r.ok ? setRefused(r.value) : setError(r.error.message)));
  }, [canList, patientId]);
  useEffect(load, [load]);
  const done = (e: string | null): void => {
    setError(e);
    load();
    void refreshStatus();
  };
  // Billing sees only the refused changes of this device.
  const conflicts = canList ? listed : [];
  if (!conflicts) return <Loader />;
  const open = conflicts.filter((c) => c.status === 'open');
  const fields = open.filter((c) => c.kind === 'field');
  const duplicates = open.filter((c) => c.kind !== 'field');
  return (
    <Stack data-testid="conflicts-screen">
      <Group justify="space-between">
        <ScreenTitle title="Conflicts" />
        {patientId && (
          <Button variant="subtle" onClick={() => go({ name: 'conflicts' })} data-testid="all-conflicts">
            Show every chart
          </Button>
        )}
      </Group>
      {error && (
        <Alert color="red" data-testid="conflicts-error">
          {error}
        </Alert>
      )}
      {canList && (
        <Section title="Changed on two devices" count={fields.length}>
          {fields.length === 0 ? (
            <Text c="dimmed" data-testid="no-conflicts">
              No open conflicts.
            </Text>
          ) : (
            <Stack>
              {fields.map((c) => (
                <FieldConflictCard key={c.id} c={c} onDone={done} />
              ))}
            </Stack>
          )}
        </Section>
      )}
      {canList && (
        <Section title="Possible duplicates" count={duplicates.length}>
          {duplicates.length === 0 ? (
            <Text c="dimmed">No possible duplicates.</Text>
          ) : (
            <Stack>
              {duplicates.map((c) => (
                <DuplicateCard key={c.id} c={c} onDone={done} />
              ))}
            </Stack>
          )}
        </Section>
      )}
      {!patientId && (
        <Section title="Refused by the clinic server" count={refused.length}>
          <RefusedChanges items={refused} onDone={done} />
        </Section>
      )}
      <Settled conflicts={conflicts.filter((c) => c.status !== 'open')} />
    </Stack>
  );
}
