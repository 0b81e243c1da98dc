import { Alert, Badge, Button, Group, Modal, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { Note } from '../../../../shared/domain/clinical';
import { templateFields, type FieldValue, type NoteContent, type NoteTemplate } from '../../../../shared/domain/templates';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { TemplateField } from './fields';

type SaveState = 'saved' | 'saving' | 'unsaved' | 'error';
const AUTOSAVE_MS = 600;

/**
 * A draft note built from its template. Every change is saved to the encrypted database within
 * a moment (never to browser storage, which is not encrypted), so a reload or crash loses at most
 * the last keystrokes. Signing asks for the password again.
 */
export function NoteEditor({ note, template, onSigned }: { note: Note; template: NoteTemplate; onSigned: (n: Note) => void }): ReactElement {
  const [content, setContent] = useState<NoteContent>(note.content as NoteContent);
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [signing, setSigning] = useState(false);
  const [password, setPassword] = useState('');
  const version = useRef(note.version);
  const latest = useRef(content);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const save = async (): Promise<void> => {
    if (inFlight.current) await inFlight.current;
    const body = latest.current;
    setState('saving');
    const run = api['notes.saveDraft']({
      id: note.id,
      expectedVersion: version.current,
      patientId: note.patientId,
      encounterId: note.encounterId ?? undefined,
      templateId: template.id,
      title: note.title,
      content: body,
    }).then((r) => {
      if (r.ok) {
        version.current = r.value.version;
        setState(latest.current === body ? 'saved' : 'unsaved');
        setError(null);
      } else {
        setState('error');
        setError(r.error.message);
      }
    });
    inFlight.current = run;
    await run;
    inFlight.current = null;
  };

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const change = (id: string, v: FieldValue | undefined): void => {
    const next = { ...latest.current };
    if (v === undefined) delete next[id];
    else next[id] = v;
    latest.current = next;
    setContent(next);
    setState('unsaved');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
  };

  const sign = async (): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    await save();
    const r = await api['notes.sign']({ id: note.id, expectedVersion: version.current, password });
    setPassword('');
    if (r.ok) {
      setSigning(false);
      onSigned(r.value);
    } else {
      setSigning(r.error.code === 'bad_credentials');
      setError(r.error.message);
      setFieldErrors(Object.fromEntries(Object.entries(issuesToErrors(r.error.issues)).map(([k, m]) => [k.replace(/^content\./, '').split('.')[0] ?? k, m])));
    }
  };

  return (
    <Stack data-testid="note-editor">
      <Group justify="space-between">
        <Title order={3}>{note.title}</Title>
        <Group>
          <Badge color={state === 'saved' ? 'teal' : state === 'error' ? 'red' : 'gray'} data-testid="save-state">
            {state === 'saved' ? 'Draft saved' : state === 'saving' ? 'Saving…' : state === 'unsaved' ? 'Unsaved changes' : 'Not saved'}
          </Badge>
          <Button onClick={() => setSigning(true)}>Sign note</Button>
        </Group>
      </Group>
      {error && (
        <Alert color="red" data-testid="note-error">
          {error}
        </Alert>
      )}
      {template.sections.map((s) => (
        <Stack key={s.id} gap="xs">
          <Title order={4}>{s.title}</Title>
          {s.fields.map((f) => (
            <TemplateField key={f.id} field={f} value={content[f.id]} error={fieldErrors[f.id]} onChange={(v) => change(f.id, v)} />
          ))}
        </Stack>
      ))}
      <Text size="xs" c="dimmed">
        {templateFields(template).length} fields · template {template.title} v{template.version}
      </Text>
      <Modal opened={signing} onClose={() => setSigning(false)} title="Sign this note">
        <Stack
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            void sign();
          }}
        >
          <Text size="sm">Signing makes the note permanent: later corrections become addenda. Enter your password to sign.</Text>
          <PasswordInput
            label="Your password"
            data-autofocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="sign-password"
          />
          <Button type="submit" disabled={!password}>
            Sign
          </Button>
        </Stack>
      </Modal>
    </Stack>
  );
}
