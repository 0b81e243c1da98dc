import { Alert, Badge, Button, Group, Loader, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import type { Note } from '../../../../shared/domain/clinical';
import { ENCOUNTER_STATUSES, VISIT_TYPE_LABELS } from '../../../../shared/domain/clinical';
import type { NoteTemplate } from '../../../../shared/domain/templates';
import { NoteEditor, SignedNote } from '../notes';
import { VitalsPanel } from '../vitals';
import { SuperbillPanel } from '../billing';
import { PatientHeader } from '../../components/PatientBanner';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';

/** The visit workspace: whose visit (the banner), status, notes from templates (draft → signed → addenda), vitals. */
export function EncounterWorkspace({ patientId, encounterId }: { patientId: string; encounterId: string }): ReactElement {
  // The banner comes first and stays, whatever else fails to load: never chart without seeing on whom.
  return (
    <Stack>
      <PatientHeader patientId={patientId} screen="Visit" />
      <Visit patientId={patientId} encounterId={encounterId} />
    </Stack>
  );
}

function Visit({ patientId, encounterId }: { patientId: string; encounterId: string }): ReactElement {
  const go = useNav((s) => s.go);
  const [data, setData] = useState<Out<'encounters.get'> | null>(null);
  const [templates, setTemplates] = useState<NoteTemplate[]>([]);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => void api['encounters.get']({ id: encounterId }).then((r) => (r.ok ? setData(r.value) : setError(r.error.message))),
    [encounterId],
  );
  useEffect(load, [load]);
  useEffect(() => void api['templates.list']({}).then((r) => r.ok && setTemplates(r.value.templates)), []);

  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader />;
  const { encounter } = data;
  const byId = new Map(templates.map((t) => [t.id, t]));
  const notes = data.notes.filter((n) => n.kind === 'note');
  const addendaOf = (n: Note): Note[] => data.notes.filter((a) => a.amendsNoteId === n.id);

  const newNote = async (): Promise<void> => {
    const t = templateId ? byId.get(templateId) : undefined;
    if (!t) return;
    const r = await api['notes.saveDraft']({ patientId, encounterId, templateId: t.id, title: t.title, content: {} });
    if (!r.ok) return setError(r.error.message);
    setTemplateId(null);
    load();
  };

  return (
    <Stack data-testid="encounter-workspace">
      <Paper withBorder p="sm">
        <Group justify="space-between">
          <Group>
            <Button variant="subtle" size="xs" onClick={() => go({ name: 'chart', patientId })}>
              ← Chart
            </Button>
            <Title order={2} size="h3">
              {VISIT_TYPE_LABELS[encounter.visitType]}
            </Title>
            <Badge>{encounter.status.replace(/_/g, ' ')}</Badge>
            {encounter.reason && <Text>{encounter.reason}</Text>}
            {encounter.providerName && <Text c="dimmed">with {encounter.providerName}</Text>}
          </Group>
          <Select
            aria-label="Visit status"
            size="xs"
            w={160}
            data={ENCOUNTER_STATUSES.map((s) => ({ value: s, label: s.replace(/_/g, ' ') }))}
            value={encounter.status}
            allowDeselect={false}
            onChange={(s) => s && void api['encounters.setStatus']({ id: encounter.id, status: s }).then((r) => (r.ok ? load() : setError(r.error.message)))}
          />
        </Group>
      </Paper>
      <VitalsPanel patientId={patientId} encounterId={encounterId} recorded={data.vitals} onRecorded={load} />
      {notes.map((n) => {
        const template = byId.get(n.templateId ?? '');
        if (n.status === 'draft') return template ? <NoteEditor key={n.id} note={n} template={template} onSigned={load} /> : <Loader key={n.id} />;
        return <SignedNote key={n.id} note={n} template={template ?? null} addenda={addendaOf(n)} onChanged={load} />;
      })}
      <SuperbillPanel key={encounter.status} patientId={patientId} encounterId={encounterId} finished={encounter.status === 'finished'} />
      <Group align="flex-end">
        <Select
          label="New note from template"
          placeholder="Choose a template"
          data={templates.map((t) => ({ value: t.id, label: t.title }))}
          value={templateId}
          onChange={setTemplateId}
          w={340}
          searchable
          data-testid="template-select"
        />
        <Button disabled={!templateId} onClick={() => void newNote()}>
          Start note
        </Button>
      </Group>
    </Stack>
  );
}
