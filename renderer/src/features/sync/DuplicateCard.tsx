import { Alert, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ChartCard, ConflictView } from '../../../../shared/domain/sync-review';
import { api } from '../../lib/api';
import { ConflictHeading, DismissForm } from './FieldConflictCard';
import { when } from './values';

const ROWS: [string, (c: ChartCard) => string][] = [
  ['Name', (c) => c.name],
  ['MRN', (c) => c.mrn],
  ['Born', (c) => c.birthDate],
  ['Sex', (c) => c.sex],
  ['Phone', (c) => c.phone ?? '—'],
  ['Email', (c) => c.email ?? '—'],
  ['Address', (c) => c.address || '—'],
  ['Registered', (c) => when(c.createdAt)],
];

function Side({ chart, action }: { chart: ChartCard; action: ReactElement | null }): ReactElement {
  return (
    <Card withBorder data-testid={`chart-card-${chart.id}`}>
      <Table>
        <Table.Tbody>
          {ROWS.map(([label, get]) => (
            <Table.Tr key={label}>
              <Table.Td c="dimmed" w={110}>
                {label}
              </Table.Td>
              <Table.Td>{get(chart)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {chart.mergedInto && (
        <Text size="sm" c="orange">
          Already merged into another chart.
        </Text>
      )}
      {action && <Group mt="sm">{action}</Group>}
    </Card>
  );
}

/**
 * One person registered on two devices (or two charts with one MRN): the charts side by side.
 * A duplicate is merged into the chart to keep (nothing moves or is deleted; unmerging undoes it),
 * or dismissed as not the same person; an MRN collision is settled by a new MRN for one chart.
 */
export function DuplicateCard({ c, onDone }: { c: ConflictView; onDone: (error: string | null) => void }): ReactElement {
  const other = (id: string): ChartCard | undefined => c.charts.find((x) => x.id !== id);
  const merge = async (survivorId: string): Promise<void> => {
    const duplicate = other(survivorId);
    if (!duplicate) return;
    const r = await api['patients.merge']({ survivorId, duplicateId: duplicate.id, conflictId: c.id });
    onDone(r.ok ? null : r.error.message);
  };
  const renumber = async (id: string): Promise<void> => {
    const r = await api['patients.reassignMrn']({ id, conflictId: c.id });
    onDone(r.ok ? null : r.error.message);
  };
  const action = (chart: ChartCard): ReactElement | null => {
    if (!c.mayResolve) return null;
    return c.kind === 'duplicate_patient' ? (
      <Button size="xs" onClick={() => void merge(chart.id)} data-testid={`merge-into-${chart.id}`}>
        Keep this chart (merge the other into it)
      </Button>
    ) : (
      <Button size="xs" variant="light" onClick={() => void renumber(chart.id)} data-testid={`new-mrn-${chart.id}`}>
        Give this chart a new MRN
      </Button>
    );
  };
  return (
    <Card withBorder data-testid={`conflict-${c.id}`} data-kind={c.kind}>
      <Stack gap="sm">
        <ConflictHeading c={c} />
        <Text size="sm">
          {c.kind === 'duplicate_patient'
            ? 'Two charts have the same name and birth date (registered on two devices while apart, or registered again after a warning). Is this one person?'
            : 'Two charts were given the same MRN before their devices were enrolled.'}
        </Text>
        {c.hidden ? (
          <Text c="dimmed">A restricted chart is involved: open it (break the glass) to compare.</Text>
        ) : (
          <SimpleGrid cols={2}>
            {c.charts.map((chart) => (
              <Side key={chart.id} chart={chart} action={action(chart)} />
            ))}
          </SimpleGrid>
        )}
        {c.charts.length < 2 && !c.hidden && (
          <Alert color="yellow" variant="light">
            The other chart has not reached this device yet: sync, then compare.
          </Alert>
        )}
        {c.kind === 'duplicate_patient' && c.mayDismiss && (
          <DismissForm c={c} label="Not the same person" placeholder="e.g. twins; different addresses" defaultReason="not the same person" onDone={onDone} />
        )}
      </Stack>
    </Card>
  );
}
