import { Alert, Button, FileInput, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { api } from '../../lib/api';
import { readFile } from './labels';

type Kind = 'fees' | 'cpt' | 'hcpcs';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'fees', label: 'Fee schedule (code,modifier,price)' },
  { value: 'cpt', label: 'CPT codes, the clinic’s licensed file (code,description)' },
  { value: 'hcpcs', label: 'HCPCS codes (code,description)' },
];

/** Loads the clinic's fee schedule or its own licensed procedure-code file (Cairn ships no CPT descriptions). */
export function FeeImport(): ReactElement {
  const [kind, setKind] = useState<Kind>('fees');
  const [file, setFile] = useState<File | null>(null);
  const [from, setFrom] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async (): Promise<void> => {
    if (!file) return;
    const csv = await readFile(file, 'text');
    const r = await api['billing.importFees']({ kind, fileName: file.name, csv, ...(kind === 'fees' && from.trim() && { effectiveFrom: from.trim() }) });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setFile(null);
    setDone(`${r.value.imported} row(s) loaded from ${file.name}.`);
  };
  return (
    <Stack gap="xs" data-testid="fee-import">
      <Title order={3}>Fee schedule and procedure codes</Title>
      <Text size="sm">A CSV file with a header row. A new fee schedule applies from its date; earlier visits keep their prices.</Text>
      <Group align="flex-end">
        <Select label="File holds" data={KINDS} value={kind} onChange={(v) => setKind(v ?? 'fees')} allowDeselect={false} w={380} data-testid="fee-kind" />
        <FileInput label="CSV file" accept=".csv,text/csv" value={file} onChange={setFile} clearable w={260} data-testid="fee-file" />
        {kind === 'fees' && <TextInput label="Prices from" placeholder="YYYY-MM-DD" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={150} />}
        <Button variant="light" onClick={() => void load()} disabled={!file} data-testid="fee-load">
          Load
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {done && (
        <Alert color="teal" data-testid="fee-loaded">
          {done}
        </Alert>
      )}
    </Stack>
  );
}
