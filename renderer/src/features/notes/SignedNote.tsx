import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Note } from '../../../../shared/domain/clinical';
import { renderNoteText, type NoteTemplate } from '../../../../shared/domain/templates';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';

/** A signed (or entered-in-error) note: read-only, with its addenda, and the ways to correct it. */
export function SignedNote({
  note,
  template,
  addenda,
  onChanged,
}: {
  note: Note;
  template: NoteTemplate | null;
  addenda: Note[];
  onChanged: () => void;
}): ReactElement {
  const [mode, setMode] = useState<'none' | 'addendum' | 'error'>('none');
  const [text, setText] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const rendered = template ? renderNoteText(template, note.content) : { title: note.title, sections: [] };
  const inError = note.status === 'entered_in_error';

  const submit = async (): Promise<void> => {
    const r =
      mode === 'addendum' ? await api['notes.addendum']({ noteId: note.id, text, password }) : await api['notes.enteredInError']({ id: note.id, reason: text });
    setPassword('');
    if (!r.ok) return setProblem(r.error.message);
    setMode('none');
    setText('');
    setProblem(null);
    onChanged();
  };

  return (
    <Card withBorder data-testid="signed-note" style={inError ? { opacity: 0.6 } : undefined}>
      <Group justify="space-between" mb="xs">
        <Title order={4} td={inError ? 'line-through' : undefined}>
          {note.title}
        </Title>
        <Group gap="xs">
          {inError ? <Badge color="red">Entered in error</Badge> : <Badge color="teal">Signed</Badge>}
          <Button
            size="xs"
            variant="default"
            onClick={() =>
              void api['notes.pdf']({ id: note.id }).then((r) => (r.ok ? downloadPdf(r.value.fileName, r.value.base64) : setProblem(r.error.message)))
            }
          >
            Print summary
          </Button>
          {!inError && (
            <Button size="xs" variant="light" onClick={() => setMode('addendum')}>
              Add addendum
            </Button>
          )}
          {!inError && (
            <Button size="xs" variant="subtle" color="red" onClick={() => setMode('error')}>
              Entered in error…
            </Button>
          )}
        </Group>
      </Group>
      {inError && (
        <Alert color="red" mb="xs">
          Marked entered in error: {note.errorReason}
        </Alert>
      )}
      <Text size="xs" c="dimmed">
        Signed by {note.authorName} at {note.signedAt ? new Date(note.signedAt).toLocaleString() : ''} · SHA-256 {note.contentHash?.slice(0, 12)}…
      </Text>
      {rendered.sections.map((s) => (
        <Stack key={s.title} gap={2} mt="sm">
          <Text fw={600}>{s.title}</Text>
          {s.lines.map((l, i) => (
            <Text key={i} size="sm">
              {l}
            </Text>
          ))}
        </Stack>
      ))}
      {addenda.map((a) => (
        <Card key={a.id} withBorder mt="sm" bg="var(--mantine-color-gray-0)" data-testid="addendum">
          <Text size="xs" c="dimmed">
            Addendum by {a.authorName} at {a.signedAt ? new Date(a.signedAt).toLocaleString() : ''}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {typeof a.content['text'] === 'string' ? a.content['text'] : ''}
          </Text>
        </Card>
      ))}
      {problem && (
        <Alert color="red" mt="xs">
          {problem}
        </Alert>
      )}
      <Modal opened={mode !== 'none'} onClose={() => setMode('none')} title={mode === 'addendum' ? 'Addendum' : 'Mark entered in error'}>
        <Stack
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {mode === 'addendum' ? (
            <>
              <Textarea
                label="Addendum"
                data-autofocus
                autosize
                minRows={3}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                data-testid="addendum-text"
              />
              <PasswordInput label="Your password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="addendum-password" />
            </>
          ) : (
            <TextInput
              label="Why is this note in error?"
              data-autofocus
              placeholder="e.g. documented on the wrong patient"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          )}
          {problem && <Alert color="red">{problem}</Alert>}
          <Button type="submit" disabled={!text.trim() || (mode === 'addendum' && !password)}>
            {mode === 'addendum' ? 'Sign addendum' : 'Mark entered in error'}
          </Button>
        </Stack>
      </Modal>
    </Card>
  );
}
