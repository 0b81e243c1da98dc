import { Alert, Button, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { clinicToday } from '../../lib/clinic-day';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { downloadCsv } from '../../lib/download';

type Kind = 'day-sheet' | 'collections' | 'denials';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'day-sheet', label: 'Day sheet' },
  { value: 'collections', label: 'Collections by provider' },
  { value: 'denials', label: 'Denial rate by reason' },
];

/** A column of whole cents (the backend names them `*_cents`), shown as money. */
const isCents = (column: string): boolean => column.endsWith('_cents');

/**
 * The columns the screen shows: a text column the backend also gives as cents (`amount` beside
 * `amount_cents`) is the same figure already formatted for the CSV, so the table shows it once.
 */
function shownColumns(columns: string[]): number[] {
  return columns.flatMap((c, i) => (columns.includes(`${c}_cents`) ? [] : [i]));
}

/** A heading as a person reads it: `insurance_cents` → "insurance", `rate_percent` → "rate percent". */
const heading = (column: string): string => column.replace(/_cents$/, '').replace(/_/g, ' ');

/** A cell as text: cents as money (a value that is not whole cents is shown as it came, never rounded). */
function cellText(column: string, v: string | number): string {
  return isCents(column) && Number.isSafeInteger(v) ? formatCents(v as number) : String(v);
}

const isNumeric = (column: string, v: string | number | undefined): boolean => isCents(column) || typeof v === 'number';

function ReportTable({ report, label }: { report: Out<'billing.report'>; label: string | undefined }): ReactElement {
  const shown = shownColumns(report.columns);
  const first = report.rows[0];
  return (
    <Table data-testid="report-table" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {shown.map((i) => {
            const c = report.columns[i]!;
            return (
              <Table.Th key={c} ta={isNumeric(c, first?.[i]) ? 'right' : undefined} data-column={c}>
                {heading(c)}
              </Table.Th>
            );
          })}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {report.rows.map((r, n) => (
          <Table.Tr key={n} data-testid="report-row">
            {shown.map((i) => {
              const c = report.columns[i]!;
              const v = r[i] ?? '';
              return isNumeric(c, v) ? (
                <Table.Td key={c} ta="right" ff="monospace" data-column={c}>
                  {cellText(c, v)}
                </Table.Td>
              ) : (
                <Table.Td key={c} data-column={c}>
                  {v}
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The practice's reports over a date range, shown as a table and saved as CSV for a spreadsheet. */
export function ReportsPanel(): ReactElement {
  const today = clinicToday();
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
      {report && <ReportTable report={report} label={KINDS.find((k) => k.value === kind)?.label} />}
    </Stack>
  );
}
