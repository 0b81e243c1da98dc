import { Alert, Badge, Button, CloseButton, FileButton, Group, Image, Loader, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { PortalMessageView, PortalThreadView } from '../../../../shared/api/portal.contract';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { mayShow } from '../../stores/screens';
import { useSession } from '../../stores/session.store';
import { downloadBase64, isAttachmentType, readBase64, sizeLabel, when, type AttachmentType } from './files';

const AUTHOR_LABEL: Record<PortalMessageView['authorKind'], string> = { patient: 'Patient', proxy: 'Parent or guardian', staff: 'Care team' };
const PICTURE = /^image\/(png|jpeg)$/;

/** People a thread can be given to: the clinic's physicians and nurses, and whoever is signed in. */
function useAssignees(current: { id: string | null; name: string | null }): { value: string; label: string }[] {
  const me = useSession((s) => s.session?.user ?? null);
  const [people, setPeople] = useState<{ id: string; displayName: string }[]>([]);
  useEffect(() => void api['schedule.providers']({}).then((r) => r.ok && setPeople(r.value)), []);
  const all = new Map(people.map((p) => [p.id, p.displayName]));
  if (me && !all.has(me.id)) all.set(me.id, me.displayName);
  if (current.id && !all.has(current.id)) all.set(current.id, current.name ?? 'someone else');
  return [{ value: '', label: 'Unassigned' }, ...[...all].map(([value, label]) => ({ value, label }))];
}

/** A message's attachment: fetched (and audited) only when asked for, then saved or shown. */
function Attachment({ message }: { message: PortalMessageView }): ReactElement | null {
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const a = message.attachment;
  if (!a) return null;
  const fetchFile = async (): Promise<{ name: string; type: string; base64: string } | null> => {
    const r = await api['portal.attachment']({ messageId: message.id });
    if (!r.ok) {
      setError(r.error.message);
      return null;
    }
    setError(null);
    return r.value;
  };
  const save = async (): Promise<void> => {
    const f = await fetchFile();
    if (f) downloadBase64(f.name, f.type, f.base64);
  };
  const show = async (): Promise<void> => {
    if (shown) return setShown(null);
    const f = await fetchFile();
    if (!f) return;
    // Only an inline PNG or JPEG goes into an <img>: the file came from outside the clinic.
    if (!PICTURE.test(f.type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(f.base64)) return setError('This file is not a picture Cairn can show: download it instead.');
    setShown(`data:${f.type};base64,${f.base64}`);
  };
  return (
    <Stack gap={4} mt="xs" data-testid="message-attachment">
      <Group gap="xs">
        <Text size="sm">
          Attachment: {a.name} ({sizeLabel(a.bytes)})
        </Text>
        <Button size="compact-sm" variant="default" onClick={() => void save()} aria-label={`Download ${a.name}`} data-testid="attachment-download">
          Download
        </Button>
        {PICTURE.test(a.type) && (
          <Button
            size="compact-sm"
            variant="default"
            aria-expanded={shown !== null}
            onClick={() => void show()}
            aria-label={`${shown ? 'Hide' : 'Show'} ${a.name}`}
            data-testid="attachment-show"
          >
            {shown ? 'Hide' : 'Show'}
          </Button>
        )}
      </Group>
      {shown && (
        // In a block of its own: a flex column would stretch a small picture to the column's width.
        <div>
          <Image src={shown} alt={`Attachment ${a.name}`} maw={480} w="auto" h="auto" fit="contain" data-testid="attachment-image" />
        </div>
      )}
      {error && (
        <Text size="sm" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function Message({ m }: { m: PortalMessageView }): ReactElement {
  const staff = m.authorKind === 'staff';
  return (
    <Paper
      withBorder
      p="sm"
      bg={staff ? 'gray.0' : undefined}
      component="article"
      aria-label={`${m.authorName}, ${when(m.sentAt)}`}
      data-testid="portal-message"
      data-author={m.authorKind}
    >
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Text fw={600} size="sm">
            {m.authorName}
          </Text>
          <Badge size="sm" variant="light" color={staff ? 'gray' : 'blue'}>
            {AUTHOR_LABEL[m.authorKind]}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {when(m.sentAt)}
        </Text>
      </Group>
      <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }} data-testid="message-body">
        {m.body}
      </Text>
      <Attachment message={m} />
    </Paper>
  );
}

/** The reply box: the text and, if wanted, one PDF, JPEG or PNG. */
function ReplyBox({ threadId, onSent }: { threadId: string; onSent: (v: PortalThreadView) => void }): ReactElement {
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = (f: File | null): void => {
    if (f && !isAttachmentType(f.type)) return setError('Only a PDF, JPEG or PNG file can be attached.');
    setError(null);
    setFile(f);
  };
  const send = async (): Promise<void> => {
    setBusy(true);
    const attachment = file ? { name: file.name, type: file.type as AttachmentType, base64: await readBase64(file) } : undefined;
    const r = await api['portal.reply']({ threadId, body, ...(attachment && { attachment }) });
    setBusy(false);
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setBody('');
    setFile(null);
    setError(null);
    onSent(r.value);
  };
  return (
    <Stack gap="xs" data-testid="portal-reply">
      <Textarea
        label="Reply to the patient"
        description="The patient reads it on the portal. Write nothing you would not put in the chart."
        autosize
        minRows={3}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        error={error ?? undefined}
        data-testid="portal-reply-body"
      />
      <Group gap="xs">
        <FileButton onChange={pick} accept="application/pdf,image/jpeg,image/png">
          {(props) => (
            <Button {...props} variant="default" size="sm" data-testid="portal-reply-attach">
              Attach a file
            </Button>
          )}
        </FileButton>
        {file && (
          <Group gap={4} data-testid="portal-reply-file">
            <Text size="sm">
              {file.name} ({sizeLabel(file.size)})
            </Text>
            <CloseButton size="sm" aria-label={`Remove ${file.name}`} onClick={() => setFile(null)} />
          </Group>
        )}
        <Button ml="auto" onClick={() => void send()} loading={busy} disabled={!body.trim()} data-testid="portal-reply-send">
          Send reply
        </Button>
      </Group>
    </Stack>
  );
}

/** One thread: its messages and attachments, the reply box, assignment, closing and "turn into chart note". */
export function ThreadPanel({ threadId, onChanged }: { threadId: string; onChanged: () => void }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const me = useSession((s) => s.session?.user?.id ?? null);
  const go = useNav((s) => s.go);
  const [view, setView] = useState<PortalThreadView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () => void api['portal.thread']({ threadId }).then((r) => (r.ok ? (setView(r.value), setError(null)) : setError(r.error.message))),
    [threadId],
  );
  useEffect(load, [load]);
  const t = view?.thread;
  const assignees = useAssignees({ id: t?.assignedTo ?? null, name: t?.assignedName ?? null });
  if (!view || !t) return error ? <Alert color="red">{error}</Alert> : <Loader aria-label="Loading the thread" />;

  const changed = (next: PortalThreadView | null, message?: string): void => {
    if (next) setView(next);
    else load();
    setNotice(message ?? null);
    onChanged();
  };
  const failed = (message: string): void => setError(message);
  const assign = async (userId: string | null): Promise<void> => {
    const r = await api['portal.assign']({ threadId, userId });
    if (!r.ok) return failed(r.error.message);
    setError(null);
    changed(null, r.value.assignedName ? `Assigned to ${r.value.assignedName}.` : 'The thread is unassigned.');
  };
  const close = async (): Promise<void> => {
    const r = await api['portal.close']({ threadId });
    if (!r.ok) return failed(r.error.message);
    setError(null);
    changed(null, 'Thread closed. A new message from the patient opens it again.');
  };
  const toNote = async (): Promise<void> => {
    const r = await api['portal.toNote']({ threadId });
    if (!r.ok) return failed(r.error.message);
    setError(null);
    changed(null, 'A draft chart note holding this thread was made: sign it from the chart.');
  };
  const subject = t.subject ?? 'Restricted chart: the subject is hidden';
  return (
    <Stack gap="sm" data-testid="portal-thread" data-thread-status={t.status}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3" data-testid="portal-thread-subject">
            {subject}
          </Title>
          <Group gap="xs">
            <Text size="sm">{t.patientName}</Text>
            <Badge size="sm" variant="light" color={t.status === 'open' ? 'blue' : 'gray'} data-testid="portal-thread-status">
              {t.status === 'open' ? 'Open' : 'Closed'}
            </Badge>
            {t.noteId && (
              <Badge size="sm" variant="light" color="teal" data-testid="portal-thread-noted">
                Chart note made
              </Badge>
            )}
          </Group>
        </Stack>
        {mayShow(role, 'chart') && (
          <Button variant="default" size="sm" onClick={() => go({ name: 'chart', patientId: t.patientId })} data-testid="portal-open-chart">
            Open chart
          </Button>
        )}
      </Group>
      <Group align="flex-end" gap="xs">
        <Select
          label="Assigned to"
          data={assignees}
          value={t.assignedTo ?? ''}
          onChange={(v) => void assign(v ? v : null)}
          allowDeselect={false}
          w={240}
          data-testid="portal-assign"
        />
        {me && t.assignedTo !== me && (
          <Button variant="default" onClick={() => void assign(me)} data-testid="portal-assign-me">
            Assign to me
          </Button>
        )}
        {t.status === 'open' && (
          <Button variant="default" onClick={() => void close()} data-testid="portal-close">
            Close thread
          </Button>
        )}
        {mayCall(role, 'portal.toNote') && !t.noteId && (
          <Button variant="light" onClick={() => void toNote()} data-testid="portal-to-note">
            Turn into chart note
          </Button>
        )}
      </Group>
      {notice && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setNotice(null)} data-testid="portal-thread-notice">
          {notice}
        </Alert>
      )}
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)} data-testid="portal-thread-error">
          {error}
        </Alert>
      )}
      <Stack gap="xs" role="list" aria-label="Messages">
        {view.messages.map((m) => (
          <div role="listitem" key={m.id}>
            <Message m={m} />
          </div>
        ))}
      </Stack>
      <ReplyBox key={threadId} threadId={threadId} onSent={(v) => changed(v, 'Reply sent: the patient gets it on the portal at the next sync.')} />
    </Stack>
  );
}
