import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { CHECK_STATUS_LABELS, type CheckStatus, type DoctorReport } from '../../../../shared/domain/doctor';
import { ScreenTitle } from '../../components';
import { api } from '../../lib/api';
import { BackupSettingsForm } from './BackupSettingsForm';

/** Colour is a second signal only: every status is also written out (WCAG 1.4.1). */
const COLOR: Record<CheckStatus, string> = { pass: 'green', warn: 'yellow', fail: 'red', unknown: 'gray' };
/** A mark beside the word, for a quick scan of a long list. */
const MARK: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✕', unknown: '?' };

function summary(r: DoctorReport): string {
  const n = (s: CheckStatus): number => r.checks.filter((c) => c.status === s).length;
  const plural = (k: number, one: string, many: string): string => `${k} ${k === 1 ? one : many}`;
  const failed = n('fail');
  const warned = n('warn');
  const head = failed > 0 ? `${plural(failed, 'check failed', 'checks failed')}` : 'No check failed';
  return `${head}${warned > 0 ? `, ${plural(warned, 'warning', 'warnings')}` : ''} (${new Date(r.at).toLocaleString()}).`;
}

/**
 * The Health screen (administrators): `cairn doctor`'s checks on this device, each with its status
 * in words and colour and one sentence of what to do, and the device's backup settings.
 */
export function DoctorPage(): ReactElement {
  const [report, setReport] = useState<DoctorReport | null>(null);
  // The checks run as the screen opens.
  const [running, setRunning] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const show = useCallback((r: Awaited<ReturnType<(typeof api)['doctor.run']>>): void => {
    setRunning(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setReport(r.value);
  }, []);
  const run = (): void => {
    setRunning(true);
    void api['doctor.run']({}).then(show);
  };
  useEffect(() => void api['doctor.run']({}).then(show), [show]);
  return (
    <Stack gap="lg" maw={1100}>
      <ScreenTitle title="Health checks" testId="doctor-title" />
      <Text size="sm">
        How Cairn is installed and running on this device: the database, its backups, the clinic server, the clock, certificates and the lab interface. The same
        checks run from the command line for monitoring: <code>cairn doctor --db FILE --json</code>.
      </Text>
      <Group>
        <Button onClick={run} loading={running} data-testid="doctor-run">
          Run the checks again
        </Button>
        <Text role="status" aria-live="polite" data-testid="doctor-summary">
          {running ? 'Running the checks…' : report ? summary(report) : ''}
        </Text>
      </Group>
      {error && (
        <Alert color="red" title="The checks could not run">
          {error}
        </Alert>
      )}
      {report && (
        <Table striped withTableBorder verticalSpacing="sm" data-testid="doctor-checks">
          <Table.Caption>Each check and what to do about it</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={130}>
                Status
              </Table.Th>
              <Table.Th scope="col">Check</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.checks.map((c) => (
              <Table.Tr key={c.id} data-testid={`check-${c.id}`} data-status={c.status}>
                <Table.Td>
                  <Badge color={COLOR[c.status]} variant={c.status === 'pass' ? 'light' : 'filled'} size="lg" data-testid="check-status">
                    <span aria-hidden="true">{MARK[c.status]} </span>
                    {CHECK_STATUS_LABELS[c.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text fw={600}>{c.title}</Text>
                  <Text size="sm" data-testid="check-message" style={{ overflowWrap: 'anywhere' }}>
                    {c.message.charAt(0).toUpperCase() + c.message.slice(1)}.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <BackupSettingsForm onSaved={run} />
    </Stack>
  );
}
