import { Alert, Card, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { formatCents } from '../../../../shared/domain/money';
import { ClickableRow } from '../../components';
import { api } from '../../lib/api';
import { ClaimDetail } from './ClaimDetail';

/** Denied claims grouped by the payer's reason (CARC, the code always shown), each opened to correct and resubmit. */
export function DenialsPanel(): ReactElement {
  const [groups, setGroups] = useState<Out<'billing.denials'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = useCallback(() => void api['billing.denials']({}).then((r) => (r.ok ? setGroups(r.value) : setError(r.error.message))), []);
  useEffect(load, [load]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!groups) return <Loader />;
  return (
    <Stack gap="sm" data-testid="denials">
      {groups.length === 0 && <Text data-testid="denials-empty">No denied claims.</Text>}
      {groups.map((g) => (
        <Card key={g.reason} withBorder component="section" aria-labelledby={`denial-${g.reason}`} data-testid="denial-group">
          <Title order={3} size="h4" id={`denial-${g.reason}`}>
            {g.reason}: {g.description} ({g.claims.length})
          </Title>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Claim</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Service date</Table.Th>
                <Table.Th ta="right">Charged</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {g.claims.map((c) => (
                <ClickableRow key={c.id} onActivate={() => setOpen(c.id)}>
                  <Table.Td ff="monospace">{c.claimNumber}</Table.Td>
                  <Table.Td>{c.patientName}</Table.Td>
                  <Table.Td>{c.serviceDate}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {formatCents(c.totalCents)}
                  </Table.Td>
                </ClickableRow>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
      <ClaimDetail
        key={open ?? 'none'}
        claimId={open}
        onClose={(changed) => {
          setOpen(null);
          if (changed) load();
        }}
      />
    </Stack>
  );
}
