import { Alert, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { displayName, type SearchHit } from '../../../../shared/domain/patient';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { DocumentFields, type DocumentDraft } from './DocumentFields';
import { PatientPicker } from '../../components/PatientPicker';

/** Files an unfiled document: whose chart (chosen by a person, never guessed), what it is, its date. */
export function FileToChart({ doc, onFiled }: { doc: DocumentMeta; onFiled: (doc: DocumentMeta, patient: SearchHit) => void }): ReactElement {
  const [patient, setPatient] = useState<SearchHit | null>(null);
  const [draft, setDraft] = useState<DocumentDraft>({ category: null, title: doc.title, documentDate: doc.documentDate ?? '', source: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = async (): Promise<void> => {
    const missing: Record<string, string> = {};
    if (!patient) missing['patientId'] = 'choose the patient whose chart this is';
    if (!draft.category) missing['category'] = 'choose what kind of document this is';
    if (!patient || !draft.category) return setErrors(missing);
    setBusy(true);
    const r = await api['documents.file']({
      id: doc.id,
      patientId: patient.id,
      category: draft.category,
      title: draft.title,
      documentDate: draft.documentDate || null,
    });
    setBusy(false);
    if (!r.ok) {
      setErrors(issuesToErrors(r.error.issues));
      return setError(r.error.message);
    }
    onFiled(r.value, patient);
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="file-to-chart-heading" data-testid="file-to-chart">
      <Stack>
        <Title order={3} id="file-to-chart-heading">
          File to a chart
        </Title>
        {error && <Alert color="red">{error}</Alert>}
        <PatientPicker
          value={patient}
          onChange={(p) => {
            setPatient(p);
            setErrors(({ patientId: _, ...rest }) => rest);
          }}
          error={errors['patientId']}
        />
        <DocumentFields
          draft={draft}
          onChange={(d) => {
            // A field's message goes once the person changes that field.
            setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => d[k as keyof DocumentDraft] === draft[k as keyof DocumentDraft])));
            setDraft(d);
          }}
          errors={errors}
          withSource={false}
        />
        <Group justify="flex-end">
          <Button onClick={() => void file()} loading={busy} data-testid="file-to-chart-submit">
            File to chart
          </Button>
        </Group>
        {patient && (
          <Alert color="blue" variant="light">
            It will be filed to {displayName(patient)}&apos;s chart.
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
