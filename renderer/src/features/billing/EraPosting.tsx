import { Alert, Badge, Button, FileInput, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import type { ImportReport } from '../../../../shared/api/billing.contract';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { readFile, when } from './labels';
import { UnmatchedResolve, type ResolveMode, type UnmatchedItem } from './UnmatchedResolve';

function Reports({ reports }: { reports: ImportReport[] }): ReactElement {
  return (
    <Table data-testid="import-reports" aria-label="Imported files">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>File</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th>Control number</Table.Th>
          <Table.Th ta="right">Claims matched</Table.Th>
          <Table.Th ta="right">Unmatched</Table.Th>
          <Table.Th ta="right">Posted</Table.Th>
          <Table.Th>Result</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {reports.map((r) => (
          <Table.Tr key={r.fileName} data-testid="import-report" data-type={r.type}>
            <Table.Td>{r.fileName}</Table.Td>
            <Table.Td>{r.type}</Table.Td>
            <Table.Td ff="monospace">{r.controlNumber ?? '—'}</Table.Td>
            <Table.Td ta="right">{r.claimsMatched}</Table.Td>
            <Table.Td ta="right">{r.claimsUnmatched}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {formatCents(r.postedCents)}
            </Table.Td>
            <Table.Td>
              {r.duplicate && <Badge color="gray">already imported</Badge>} {r.errors.length > 0 && <Badge color="red">{r.errors.length} error(s)</Badge>}{' '}
              <Text size="sm" span data-testid="import-summary">
                {r.summary}
              </Text>
              {r.errors.map((e) => (
                <Text key={e} size="sm" c="red.8">
                  {e}
                </Text>
              ))}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The row's two ways out of the queue; the button names start with their visible text (WCAG 2.5.3). */
function RowActions({ u, onOpen }: { u: UnmatchedItem; onOpen: (mode: ResolveMode) => void }): ReactElement {
  const which = `the ${formatCents(u.paidCents)} payment under ${u.patientControlNumber}`;
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="light" onClick={() => onOpen('match')} aria-label={`Match to claim: ${which}`} data-testid="unmatched-match">
        Match to claim
      </Button>
      <Button size="compact-xs" variant="subtle" onClick={() => onOpen('close')} aria-label={`Close: ${which}`} data-testid="unmatched-close">
        Close
      </Button>
    </Group>
  );
}

/** ERA payments that matched no claim: kept here, never dropped, until a biller matches or closes them. */
function Unmatched({ list, onResolved }: { list: UnmatchedItem[]; onResolved: (message: string) => void }): ReactElement {
  // One form open at a time, so its labels ("Claim number", "Note") are unique on the page.
  const [open, setOpen] = useState<{ id: string; mode: ResolveMode } | null>(null);
  if (list.length === 0) return <Text data-testid="unmatched-empty">Every payment matched a claim.</Text>;
  return (
    <Table data-testid="unmatched-eras" aria-label="Unmatched payments">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Received</Table.Th>
          <Table.Th>Payer</Table.Th>
          <Table.Th>Patient control number</Table.Th>
          <Table.Th>Payer claim</Table.Th>
          <Table.Th>Patient</Table.Th>
          <Table.Th ta="right">Charged</Table.Th>
          <Table.Th ta="right">Paid</Table.Th>
          <Table.Th>Resolve</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {list.map((u) => (
          <Fragment key={u.id}>
            <Table.Tr data-testid="unmatched-era" data-pcn={u.patientControlNumber}>
              <Table.Td>{when(u.receivedAt)}</Table.Td>
              <Table.Td>{u.payerName}</Table.Td>
              <Table.Td ff="monospace">{u.patientControlNumber}</Table.Td>
              <Table.Td>{u.payerClaimNumber ?? '—'}</Table.Td>
              <Table.Td>{u.patientName ?? '—'}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatCents(u.chargeCents)}
              </Table.Td>
              <Table.Td ta="right" ff="monospace">
                {formatCents(u.paidCents)}
              </Table.Td>
              <Table.Td>
                <RowActions u={u} onOpen={(mode) => setOpen({ id: u.id, mode })} />
              </Table.Td>
            </Table.Tr>
            {open?.id === u.id && (
              <Table.Tr data-testid="unmatched-resolve-row">
                <Table.Td colSpan={8}>
                  <UnmatchedResolve
                    key={open.mode}
                    u={u}
                    mode={open.mode}
                    onCancel={() => setOpen(null)}
                    onDone={(message) => {
                      setOpen(null);
                      onResolved(message);
                    }}
                  />
                </Table.Td>
              </Table.Tr>
            )}
          </Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** ERA posting: X12 replies (835, 999, 277, 271) imported file by file, a report for each, and the unmatched queue. */
export function EraPosting(): ReactElement {
  const [files, setFiles] = useState<File[]>([]);
  const [reports, setReports] = useState<ImportReport[] | null>(null);
  const [unmatched, setUnmatched] = useState<Out<'billing.unmatched'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resolved, setResolved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loadUnmatched = useCallback(() => void api['billing.unmatched']({}).then((r) => (r.ok ? setUnmatched(r.value) : setError(r.error.message))), []);
  useEffect(loadUnmatched, [loadUnmatched]);
  const importFiles = async (): Promise<void> => {
    setBusy(true);
    setResolved(null);
    const read = await Promise.all(files.map(async (f) => ({ fileName: f.name, text: await readFile(f, 'text') })));
    const r = await api['billing.import']({ files: read });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setReports(r.value);
    setFiles([]);
    loadUnmatched();
  };
  const fetchReplies = async (): Promise<void> => {
    setBusy(true);
    setResolved(null);
    const r = await api['billing.fetchReplies']({});
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setReports(r.value);
    if (r.value.length === 0) setResolved('No reply is waiting in the inbound folder.');
    loadUnmatched();
  };
  return (
    <Stack gap="sm" data-testid="era-posting">
      <Group align="flex-end">
        <FileInput
          label="X12 files from the clearinghouse"
          description="835 remittances, 999 and 277 acknowledgements, 271 eligibility answers"
          multiple
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the chosen files' }}
          value={files}
          onChange={setFiles}
          w={420}
          data-testid="era-files"
        />
        <Button onClick={() => void importFiles()} disabled={files.length === 0} loading={busy} data-testid="era-import">
          Import
        </Button>
        <Button variant="default" onClick={() => void fetchReplies()} loading={busy} data-testid="era-fetch">
          Fetch replies from the clearinghouse folder
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {reports && <Reports reports={reports} />}
      <Title order={3} size="h4">
        Unmatched payments
      </Title>
      {resolved && (
        <Alert color="teal" variant="light" role="status" data-testid="unmatched-done">
          {resolved}
        </Alert>
      )}
      {unmatched ? (
        <Unmatched
          list={unmatched}
          onResolved={(message) => {
            setResolved(message);
            loadUnmatched();
          }}
        />
      ) : (
        <Loader size="sm" />
      )}
    </Stack>
  );
}
