import { Alert, Button, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { isoToday } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { downloadCsv } from '../../lib/download';

type Kind = 'day-sheet' | 'collections' | 'denials';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'day-sheet', label: 'Day sheet' },
  { value: 'collections', label: 'Collections by provider' },
  { value: 'denials', label: 'Denial rate by reason' },
];

/** The practice's reports over a date range, shown as a table and saved as CSV for a spreadsheet. */
export function ReportsPanel(): ReactElement {
  const today = isoToday();
  const [kind, setKind] = useState<Kind>('day-sheet');
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [report, setReport] = useState<Out<'billing.report'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (): Promise<void> => {
    const r = await api['billing.report']({ kind, from, to });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setReport(r.value);
  };
  return (
    <Stack gap="sm" data-testid="billing-reports">
      <Group align="flex-end">
        <Select label="Report" data={KINDS} value={kind} onChange={(v) => setKind(v ?? 'day-sheet')} allowDeselect={false} w={240} data-testid="report-kind" />
        <TextInput label="From" placeholder="YYYY-MM-DD" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={140} />
        <TextInput label="To" placeholder="YYYY-MM-DD" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={140} />
        <Button variant="light" onClick={() => void run()} data-testid="report-run">
          Run
        </Button>
        {report && (
          <Button variant="default" onClick={() => downloadCsv(`${kind}-${from}-${to}.csv`, report.csv)} data-testid="report-csv">
            Download CSV
          </Button>
        )}
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {report && (
        <Table data-testid="report-table" aria-label={KINDS.find((k) => k.value === kind)?.label}>
          <Table.Thead>
            <Table.Tr>
              {report.columns.map((c) => (
                <Table.Th key={c}>{c}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.map((r, i) => (
              <Table.Tr key={i}>
                {r.map((v, j) => (
                  <Table.Td key={j}>{v}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
