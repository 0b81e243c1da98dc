import { Alert, Badge, Loader, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { PREVENTIVE_STATUS_LABELS, type PreventiveItemView } from '../../../../shared/domain/population-report';
import { api } from '../../lib/api';

const COLOR: Record<PreventiveItemView['status'], string> = { overdue: 'red', due: 'orange', done: 'green', not_applicable: 'gray' };
const ORDER: Record<PreventiveItemView['status'], number> = { overdue: 0, due: 1, done: 2, not_applicable: 3 };

/** One chart's preventive care: what is due or overdue first, then what is done (with its evidence), then what does not apply and why. */
export function PreventivePanel({ patientId }: { patientId: string }): ReactElement {
  const [items, setItems] = useState<PreventiveItemView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api['population.preventive']({ patientId }).then((r) => (r.ok ? setItems(r.value) : setError(r.error.message))), [patientId]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!items) return <Loader />;
  const sorted = [...items].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.title.localeCompare(b.title));
  return (
    <>
      <Text size="xs" c="dimmed" mb="xs">
        Rules version {items[0]?.rulesVersion}; hover an item for the recommendation it follows.
      </Text>
      <Table data-testid="preventive-care">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Due date</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((i) => (
            <Table.Tr key={i.ruleId} data-testid={`preventive-${i.ruleId}`}>
              <Table.Td>
                <Tooltip label={i.citation} multiline w={420} withArrow>
                  <Text size="sm" fw={i.status === 'overdue' || i.status === 'due' ? 600 : 400}>
                    {i.title}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Badge color={COLOR[i.status]} variant="light" style={{ maxWidth: 'none' }} data-testid="preventive-status">
                  {PREVENTIVE_STATUS_LABELS[i.status]}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{i.dueOn ?? ''}</Table.Td>
              <Table.Td>
                <Text size="sm" c={i.status === 'not_applicable' ? 'dimmed' : undefined}>
                  {i.why}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
