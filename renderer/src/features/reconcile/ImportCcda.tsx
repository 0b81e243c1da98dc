import { Alert, Button, Checkbox, FileInput, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { CcdaImportResult } from '../../../../shared/api/ccda.contract';
import { CCDA_SECTIONS } from '../../../../shared/ccda/model';
import { DOCUMENT_MAX_BYTES, tooLargeMessage, type ReconcileSection } from '../../../../shared/domain/records';
import { api } from '../../lib/api';
import { fileBase64 } from '../../lib/file-bytes';
import { SECTION_LABELS } from './labels';

/** What an import read: counts per section, how its items stand beside the chart, what it could not read. */
export function ImportSummary({ result, title }: { result: CcdaImportResult; title: string }): ReactElement {
  const read = CCDA_SECTIONS.filter((s) => result.counts[s] > 0);
  return (
    <Paper withBorder p="sm" data-testid="ccda-import-result" role="status">
      <Stack gap="xs">
        <Text fw={700}>{title}</Text>
        <Text size="sm" data-testid="ccda-import-matches">
          {result.matches.new} new, {result.matches.same} already in the chart, {result.matches.different} different: all wait for your decision below.
        </Text>
        {read.length > 0 && (
          <Table withTableBorder w="auto" data-testid="ccda-import-counts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Section</Table.Th>
                <Table.Th>Entries read</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {read.map((s) => (
                <Table.Tr key={s}>
                  <Table.Td>{SECTION_LABELS[s]}</Table.Td>
                  <Table.Td>{result.counts[s]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {result.skipped.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              Not read ({result.skipped.length}): kept in the document&apos;s narrative
            </Text>
            <List size="sm" data-testid="ccda-import-skipped">
              {result.skipped.map((s, i) => (
                <List.Item key={i}>
                  {SECTION_LABELS[s.section as ReconcileSection] ?? s.section}: {s.reason}
                </List.Item>
              ))}
            </List>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * Receives a C-CDA for this chart. A document about someone else is refused with what differs; the
 * clinician may still import it after checking it is this patient's (a name spelled another way).
 */
export function ImportCcda({ patientId, onImported }: { patientId: string; onImported: (r: CcdaImportResult, fileName: string) => void }): ReactElement {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [askConfirm, setAskConfirm] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);

  const pick = (f: File | null): void => {
    setFile(f);
    setError(null);
    setAskConfirm(false);
    setConfirmed(false);
  };
  const run = async (): Promise<void> => {
    if (!file) return setError('choose the C-CDA file (XML) to import');
    if (file.size > DOCUMENT_MAX_BYTES) return setError(tooLargeMessage(file.size));
    setBusy(true);
    const r = await api['ccda.import']({ patientId, fileName: file.name, dataBase64: await fileBase64(file), confirmPatient: askConfirm && confirmed });
    setBusy(false);
    if (!r.ok) {
      setAskConfirm(r.error.issues?.some((i) => i.path === 'confirmPatient') ?? false);
      return setError(r.error.message);
    }
    pick(null);
    onImported(r.value, file.name);
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ccda-import-heading" data-testid="ccda-import">
      <Stack gap="xs">
        <Title order={3} id="ccda-import-heading">
          Import C-CDA
        </Title>
        <Text size="sm" c="dimmed">
          A summary of care from another practice or hospital (CCD, referral note, discharge summary…). Its entries wait below for your decision; nothing enters
          the chart until you accept it.
        </Text>
        {error && (
          <Alert color="red" data-testid="ccda-import-error">
            {error}
          </Alert>
        )}
        <Group align="end">
          <FileInput
            label="C-CDA file"
            placeholder="Choose an XML file"
            accept=".xml,text/xml,application/xml"
            value={file}
            onChange={pick}
            w={360}
            data-testid="ccda-file"
          />
          <Button onClick={() => void run()} loading={busy} disabled={askConfirm && !confirmed} data-testid="ccda-import-submit">
            Import C-CDA
          </Button>
        </Group>
        {askConfirm && (
          <Checkbox
            label="I have checked: this document is this patient's"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.currentTarget.checked)}
            data-testid="ccda-confirm-patient"
          />
        )}
      </Stack>
    </Paper>
  );
}
