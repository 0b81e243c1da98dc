import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { AGING_BUCKETS, type AgingReport } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';

type Row = AgingReport['byPayer'][number];

function AgingTable({ title, rows, testId }: { title: string; rows: Row[]; testId: string }): ReactElement {
  return (
    <Stack gap={4}>
      <Title order={3} size="h4">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm">Nothing outstanding.</Text>
      ) : (
        <Table data-testid={testId} aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              {AGING_BUCKETS.map((b) => (
                <Table.Th key={b} ta="right">
                  {b} days
                </Table.Th>
              ))}
              <Table.Th ta="right">Total</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key} data-testid="aging-row">
                <Table.Td>{r.name}</Table.Td>
                {r.buckets.map((c, i) => (
                  <Table.Td key={AGING_BUCKETS[i]} ta="right" ff="monospace">
                    {formatCents(c)}
                  </Table.Td>
                ))}
                <Table.Td ta="right" ff="monospace" fw={700}>
                  {formatCents(r.totalCents)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** A/R aging: what is owed and for how long (0–30 … 120+ days), by payer and by patient, as of a date. */
export function ArDashboard(): ReactElement {
  const [asOf, setAsOf] = useState('');
  const [report, setReport] = useState<AgingReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (date: string) =>
      void api['billing.aging'](date ? { asOf: date } : {}).then((r) => (r.ok ? (setReport(r.value), setError(null)) : setError(r.error.message))),
    [],
  );
  useEffect(() => load(''), [load]);
  return (
    <Stack gap="sm" data-testid="ar-dashboard">
      <Group align="flex-end">
        <TextInput label="As of" placeholder="YYYY-MM-DD (today if empty)" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} w={220} />
        <Button variant="light" onClick={() => load(asOf.trim())}>
          Show
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!report && !error && <Loader />}
      {report && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 6 }} data-testid="aging-totals">
            {AGING_BUCKETS.map((b, i) => (
              <Paper key={b} withBorder p="xs" data-testid={`aging-bucket-${b}`}>
                <Text size="sm">{b} days</Text>
                <Text fw={700} ff="monospace">
                  {formatCents(report.totals[i] ?? 0)}
                </Text>
              </Paper>
            ))}
            <Paper withBorder p="xs">
              <Text size="sm">Total A/R as of {report.asOf}</Text>
              <Text fw={700} ff="monospace" data-testid="aging-total">
                {formatCents(report.totalCents)}
              </Text>
            </Paper>
          </SimpleGrid>
          <AgingTable title="By payer" rows={report.byPayer} testId="aging-by-payer" />
          <AgingTable title="By patient" rows={report.byPatient} testId="aging-by-patient" />
        </>
      )}
    </Stack>
  );
}
