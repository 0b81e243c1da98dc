import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { OverdueReferral } from '../../../../shared/domain/referrals';
import { ClickableRow } from '../../components';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { mayShow } from '../../stores/screens';
import { useSession } from '../../stores/session.store';
import { STATUS_LABELS, URGENCY_COLORS, URGENCY_LABELS, day, overdueWords } from './labels';

/**
 * The care-coordination worklist: referrals sent or scheduled whose reply is late and no consult note
 * is in, most overdue first. A row opens the chart's Referrals tab (a restricted chart asks for
 * break-glass there; here it shows the name only).
 */
export function OverdueReferrals(): ReactElement {
  const go = useNav((s) => s.go);
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [rows, setRows] = useState<OverdueReferral[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => void api['referrals.overdue']({}).then((r) => (r.ok ? (setRows(r.value), setError(null)) : setError(r.error.message))), []);
  useEffect(load, [load]);
  const mayOpen = mayShow(role, 'chart');
  return (
    <Stack data-testid="overdue-referrals">
      <Group justify="space-between">
        <Title order={2} size="h3" id="overdue-referrals-title">
          Overdue referrals
        </Title>
        <Button variant="default" onClick={load}>
          Refresh
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!rows && !error && <Loader />}
      {rows?.length === 0 && (
        <Text c="dimmed" data-testid="overdue-empty">
          No referral is waiting past its reply date.
        </Text>
      )}
      {rows && rows.length > 0 && (
        <Table highlightOnHover aria-labelledby="overdue-referrals-title">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Overdue</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Specialist</Table.Th>
              <Table.Th>Urgency</Table.Th>
              <Table.Th>Reply expected by</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <ClickableRow
                key={r.id}
                onActivate={mayOpen ? () => go({ name: 'chart', patientId: r.patientId, tab: 'referrals' }) : undefined}
                data-testid="overdue-row"
              >
                <Table.Td>
                  <Text fw={700} c="red.9" size="sm" data-testid="overdue-days">
                    {overdueWords(r.daysOverdue)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {r.patientName}
                  {r.mrn ? ` · MRN ${r.mrn}` : ' (restricted)'}
                </Table.Td>
                <Table.Td>
                  {r.contact ? `${r.contact.name}${r.contact.organization ? `, ${r.contact.organization}` : ''} (${r.specialty})` : r.specialty}
                </Table.Td>
                <Table.Td>
                  <Badge color={URGENCY_COLORS[r.urgency]} variant="outline">
                    {URGENCY_LABELS[r.urgency]}
                  </Badge>
                </Table.Td>
                <Table.Td>{day(r.replyDue)}</Table.Td>
                <Table.Td>{STATUS_LABELS[r.status]}</Table.Td>
              </ClickableRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
