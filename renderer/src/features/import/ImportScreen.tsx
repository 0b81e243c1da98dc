import { Alert, Badge, Button, FileInput, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { MAX_BUNDLE_CHARS } from '../../../../shared/fhir/import-summary';
import { api } from '../../lib/api';
import { ScreenTitle } from '../../components';

type Summary = Out<'fhir.importBundle'>;

/** One file's outcome, as listed under the progress bar. */
interface FileOutcome {
  name: string;
  summary: Summary | null;
  error: string | null;
}

/** Adds one file's summary into the running total (per resource type and per patient). */
function addUp(total: Summary | null, s: Summary): Summary {
  if (!total) return s;
  const byType = { ...total.byType };
  for (const [type, t] of Object.entries(s.byType)) {
    const prev = byType[type];
    byType[type] = prev
      ? {
          imported: prev.imported + t.imported,
          updated: prev.updated + t.updated,
          unchanged: prev.unchanged + t.unchanged,
          skipped: prev.skipped + t.skipped,
          errors: prev.errors + t.errors,
          notApplied: prev.notApplied + t.notApplied,
          reasons: { ...prev.reasons, ...Object.fromEntries(Object.entries(t.reasons).map(([k, n]) => [k, (prev.reasons[k] ?? 0) + n])) },
        }
      : t;
  }
  const uncoded = { ...total.uncodedToIcd10 };
  for (const [k, n] of Object.entries(s.uncodedToIcd10)) uncoded[k] = (uncoded[k] ?? 0) + n;
  return {
    bundles: total.bundles + s.bundles,
    resources: total.resources + s.resources,
    patients: {
      imported: total.patients.imported + s.patients.imported,
      updated: total.patients.updated + s.patients.updated,
      unchanged: total.patients.unchanged + s.patients.unchanged,
      failed: total.patients.failed + s.patients.failed,
    },
    byType,
    uncodedToIcd10: uncoded,
    errors: [...total.errors, ...s.errors],
    elapsedMs: total.elapsedMs + s.elapsedMs,
  };
}

/**
 * File → Import: FHIR R4 bundles (Synthea's, another EMR's export), one file at a time, each
 * patient in one transaction. Importing the same file again changes nothing.
 */
export function ImportScreen(): ReactElement {
  const [files, setFiles] = useState<File[]>([]);
  const [done, setDone] = useState(0);
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<FileOutcome[]>([]);
  const [total, setTotal] = useState<Summary | null>(null);

  const start = async (): Promise<void> => {
    setRunning(true);
    setDone(0);
    setOutcomes([]);
    setTotal(null);
    let sum: Summary | null = null;
    for (const [i, file] of files.entries()) {
      let outcome: FileOutcome;
      if (file.size > MAX_BUNDLE_CHARS) outcome = { name: file.name, summary: null, error: 'too large for the desktop import: use `cairn import fhir`' };
      else {
        const r = await api['fhir.importBundle']({ fileName: file.name, text: await file.text() });
        outcome = r.ok ? { name: file.name, summary: r.value, error: null } : { name: file.name, summary: null, error: r.error.message };
        if (r.ok) sum = addUp(sum, r.value);
      }
      setOutcomes((o) => [...o, outcome]);
      setTotal(sum);
      setDone(i + 1);
    }
    setRunning(false);
  };

  const pct = files.length === 0 ? 0 : Math.round((done / files.length) * 100);
  return (
    <Stack maw={1000}>
      <ScreenTitle title="Import FHIR bundles" />
      <Text size="sm" c="dimmed">
        FHIR R4 transaction or collection bundles (.json). Each patient is imported whole or not at all; importing a file again changes nothing. Billing
        resources (claims) are skipped.
      </Text>
      <Group align="flex-end">
        <FileInput
          multiple
          accept=".json,application/json,application/fhir+json"
          label="Bundle files"
          placeholder="Choose files"
          value={files}
          onChange={setFiles}
          w={420}
          disabled={running}
          data-testid="import-files"
          clearable
        />
        <Button onClick={() => void start()} disabled={files.length === 0 || running} loading={running} data-testid="import-start">
          Import {files.length > 0 ? `${files.length} file${files.length === 1 ? '' : 's'}` : ''}
        </Button>
      </Group>
      {(running || done > 0) && (
        <Stack gap={4}>
          <Progress value={pct} animated={running} data-testid="import-progress" />
          <Text size="sm">
            {done} of {files.length} files
          </Text>
        </Stack>
      )}
      {outcomes.map((o) =>
        o.error ? (
          <Alert key={o.name} color="red" title={o.name}>
            {o.error}
          </Alert>
        ) : null,
      )}
      {total && <SummaryView summary={total} />}
    </Stack>
  );
}

function SummaryView({ summary }: { summary: Summary }): ReactElement {
  const p = summary.patients;
  return (
    <Stack data-testid="import-summary">
      <Group>
        <Badge color="teal">{p.imported} patients imported</Badge>
        {p.updated > 0 && <Badge color="blue">{p.updated} updated</Badge>}
        {p.unchanged > 0 && <Badge color="gray">{p.unchanged} unchanged</Badge>}
        {p.failed > 0 && <Badge color="red">{p.failed} not imported (errors)</Badge>}
      </Group>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Imported</Table.Th>
            <Table.Th>Updated</Table.Th>
            <Table.Th>Unchanged</Table.Th>
            <Table.Th>Skipped</Table.Th>
            <Table.Th>Errors</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Object.entries(summary.byType).map(([type, t]) => (
            <Table.Tr key={type}>
              <Table.Td>{type}</Table.Td>
              <Table.Td>{t.imported}</Table.Td>
              <Table.Td>{t.updated}</Table.Td>
              <Table.Td>{t.unchanged}</Table.Td>
              <Table.Td
                title={Object.entries(t.reasons)
                  .map(([r, n]) => `${n} × ${r}`)
                  .join('\n')}
              >
                {t.skipped}
              </Table.Td>
              <Table.Td>{t.errors + t.notApplied > 0 ? `${t.errors} (+${t.notApplied} not applied)` : 0}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {Object.keys(summary.uncodedToIcd10).length > 0 && (
        <Alert color="yellow" title="Conditions kept with their SNOMED code only (no ICD-10-CM map known)">
          {Object.entries(summary.uncodedToIcd10).map(([c, n]) => (
            <Text key={c} size="sm">
              {c} × {n}
            </Text>
          ))}
        </Alert>
      )}
      {summary.errors.length > 0 && (
        <Alert
          color="red"
          title={`${summary.errors.length} ${summary.errors.length === 1 ? 'error' : 'errors'}: nothing of the patients concerned was imported`}
        >
          {summary.errors.slice(0, 50).map((e, i) => (
            <Text key={i} size="sm" ff="monospace">
              {e.source} {e.path}: {e.message}
            </Text>
          ))}
        </Alert>
      )}
    </Stack>
  );
}
