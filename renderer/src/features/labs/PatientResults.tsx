import { Alert, Badge, Loader, ScrollArea, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { CumulativeView, LabResultView } from '../../../../shared/domain/lab-review';
import { ClickableRow } from '../../components';
import { api } from '../../lib/api';
import { criticalRow } from './FlagBadge';
import { LabTrendChart } from './LabTrendChart';
import { ResultCells } from './ResultCells';
import { unitLabel } from '../../../../shared/domain/display-units';
import { range, when } from './values';
import { ConfidentialMark, useConfidentialMarks } from '../portal';

function ResultList({ patientId, results, onTrend }: { patientId: string; results: LabResultView[]; onTrend: (loinc: string) => void }): ReactElement {
  const marks = useConfidentialMarks(patientId);
  return (
    <Table highlightOnHover data-testid="patient-results">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Collected</Table.Th>
          <Table.Th>Test</Table.Th>
          <Table.Th>Result</Table.Th>
          <Table.Th>Flag</Table.Th>
          <Table.Th>Reference</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Reviewed</Table.Th>
          {marks && <Table.Th>Portal</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {results.map((r) => (
          <ClickableRow
            key={r.id}
            style={criticalRow(r.severity)}
            onActivate={r.valueNum !== null ? () => onTrend(r.loinc) : undefined}
            data-testid={`result-row-${r.severity}`}
          >
            <Table.Td>{when(r.effectiveAt)}</Table.Td>
            <ResultCells r={r} />
            <Table.Td>{r.status}</Table.Td>
            <Table.Td>
              {r.acknowledgedAt ? `${r.acknowledgedBy ?? ''} ${when(r.acknowledgedAt)}` : <Badge variant="light">new</Badge>}
              {r.acknowledgedNote && (
                <Text size="xs" c="dimmed" data-testid="result-ack-note">
                  {r.acknowledgedNote}
                </Text>
              )}
            </Table.Td>
            {marks && (
              <Table.Td>
                <ConfidentialMark patientId={patientId} recordType="observation" recordId={r.id} itemLabel={`${r.display}, ${when(r.effectiveAt)}`} />
              </Table.Td>
            )}
          </ClickableRow>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Cumulative({ patientId }: { patientId: string }): ReactElement {
  const [view, setView] = useState<CumulativeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api['labs.cumulative']({ patientId }).then((r) => (r.ok ? setView(r.value) : setError(r.error.message))), [patientId]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!view) return <Loader />;
  // A value the lab commented on gets a footnote number, and its comments are listed under the table.
  const footnotes: { n: number; test: string; at: string; value: string; notes: string[] }[] = [];
  const footnoteOf = new Map<string, number>();
  for (const row of view.rows)
    row.cells.forEach((cell, i) => {
      if (!cell || cell.notes.length === 0) return;
      const n = footnotes.length + 1;
      footnoteOf.set(cell.id, n);
      footnotes.push({ n, test: row.display, at: view.columns[i]!, value: cell.value, notes: cell.notes });
    });
  return (
    <Stack gap="xs">
      <ScrollArea>
        <Table withColumnBorders data-testid="cumulative-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Test</Table.Th>
              <Table.Th>Reference</Table.Th>
              {view.columns.map((c) => (
                <Table.Th key={c}>{when(c)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.rows.map((row) => (
              <Table.Tr key={row.loinc}>
                <Table.Td>
                  {row.display}
                  {unitLabel(row.unit) ? ` (${unitLabel(row.unit)})` : ''}
                </Table.Td>
                <Table.Td>{range(row)}</Table.Td>
                {row.cells.map((cell, i) => (
                  <Table.Td
                    key={view.columns[i]}
                    style={cell ? criticalRow(cell.severity) : undefined}
                    fw={cell && cell.severity !== 'normal' ? 700 : undefined}
                    c={cell?.severity === 'critical' ? 'red.8' : undefined}
                  >
                    {cell ? `${cell.value}${cell.flag && cell.flag !== 'N' ? ` ${cell.flag}` : ''}` : ''}
                    {cell && footnoteOf.has(cell.id) && (
                      <Text component="sup" size="xs" c="orange.9" fw={700} data-testid="cumulative-note-mark">
                        [{footnoteOf.get(cell.id)}]
                      </Text>
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {footnotes.map((f) => (
        <Text key={f.n} size="sm" data-testid="cumulative-note">
          <Text span fw={700} c="orange.9">
            [{f.n}]
          </Text>{' '}
          {f.test} {f.value}, {when(f.at)}: {f.notes.join(' · ')}
        </Text>
      ))}
    </Stack>
  );
}

/** The chart's Results tab: the list with flags, the cumulative table, and a trend per test. */
export function PatientResults({ patientId }: { patientId: string }): ReactElement {
  const [results, setResults] = useState<LabResultView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<'list' | 'cumulative' | 'trend'>('list');
  const [loinc, setLoinc] = useState<string | null>(null);
  useEffect(() => void api['labs.patientResults']({ patientId }).then((r) => (r.ok ? setResults(r.value) : setError(r.error.message))), [patientId]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!results) return <Loader />;
  if (results.length === 0) return <Text c="dimmed">No lab results on this chart.</Text>;
  const numeric = [...new Map(results.filter((r) => r.valueNum !== null).map((r) => [r.loinc, r.display])).entries()].map(([value, label]) => ({
    value,
    label: `${label} (${value})`,
  }));
  const trendOf = (code: string): void => {
    setLoinc(code);
    setMode('trend');
  };
  const shownLoinc = loinc ?? numeric[0]?.value ?? null;
  return (
    <Stack>
      <SegmentedControl
        w={360}
        value={mode}
        onChange={(v) => setMode(v)}
        data={[
          { value: 'list', label: 'Results' },
          { value: 'cumulative', label: 'Cumulative' },
          { value: 'trend', label: 'Trend' },
        ]}
        data-testid="results-mode"
      />
      {mode === 'list' && <ResultList patientId={patientId} results={results} onTrend={trendOf} />}
      {mode === 'cumulative' && <Cumulative patientId={patientId} />}
      {mode === 'trend' && (
        <Stack>
          <Select label="Test" data={numeric} value={shownLoinc} onChange={setLoinc} allowDeselect={false} searchable w={420} data-testid="trend-test" />
          {shownLoinc ? <LabTrendChart key={shownLoinc} patientId={patientId} loinc={shownLoinc} /> : <Text c="dimmed">No numeric results to chart.</Text>}
        </Stack>
      )}
    </Stack>
  );
}
