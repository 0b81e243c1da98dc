import { Alert, Button, Group, Table, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { SearchHit } from '../../../../shared/domain/patient';
import { displayName } from '../../../../shared/domain/patient';
import { useNav } from '../../stores/nav.store';

/**
 * Shown when a registration matches charts already here (same name, birth date and sex): the
 * person opens the existing chart, or registers anyway only when it is another person.
 */
export function DuplicateWarning({
  found,
  busy,
  onRegisterAnyway,
  onDismiss,
}: {
  found: SearchHit[];
  busy: boolean;
  onRegisterAnyway: () => void;
  onDismiss: () => void;
}): ReactElement {
  const go = useNav((s) => s.go);
  return (
    <Alert color="orange" title="This patient may already have a chart" data-testid="duplicate-warning">
      <Text size="sm" mb="xs">
        A chart with the same name, birth date and sex exists. Open it instead of registering again; register anyway only if this is another person.
      </Text>
      <Table data-testid="duplicate-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Born</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {found.map((p) => (
            <Table.Tr key={p.id} data-testid="duplicate-row">
              <Table.Td>{displayName(p)}</Table.Td>
              <Table.Td>{p.restricted ? 'restricted chart' : `${p.birthDate}${p.deceasedOn ? ` (died ${p.deceasedOn})` : ''}`}</Table.Td>
              <Table.Td>{p.restricted ? '—' : p.mrn}</Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="light" onClick={() => go({ name: 'chart', patientId: p.id })} data-testid="duplicate-open">
                  Open chart
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="sm">
        <Button color="orange" onClick={onRegisterAnyway} loading={busy} data-testid="register-anyway">
          Register anyway
        </Button>
        <Button variant="default" onClick={onDismiss}>
          Change the details
        </Button>
      </Group>
    </Alert>
  );
}
