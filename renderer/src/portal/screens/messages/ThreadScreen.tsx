import { Anchor, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { MessageView, ThreadView } from '../../../../../shared/api/portal-http';
import { portalApi, portalFiles } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { Loaded } from '../../components/Loaded';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/use-load';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { markThreadSeen } from '../../state/seen';
import { usePortal } from '../../state/portal.store';
import { AttachmentPicker } from './AttachmentPicker';
import { attachmentInput, type Attachment } from './attachment';
import { bodyProblem, MessageBody } from './MessageBody';

/** One conversation: its messages in order (attachments downloadable) and a reply while it is open. */
export function ThreadScreen({ patientId, threadId }: { patientId: string; threadId: string }): ReactElement {
  const { t } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const thread = useLoad(`thread:${patientId}:${threadId}`, () => portalApi.thread(patientId, threadId));
  useEffect(() => {
    if (thread.data) markThreadSeen(accountId, patientId, thread.data);
  }, [thread.data, accountId, patientId]);
  return (
    <>
      <Anchor href={href({ name: 'messages' })} size="sm">
        ← {t('msg.allThreads')}
      </Anchor>
      <Loaded load={thread}>
        {(th) => (
          <>
            <ScreenTitle>{th.subject}</ScreenTitle>
            <Stack component="ol" gap="sm" p={0} style={{ listStyle: 'none' }} aria-label={t('msg.title')}>
              {th.messageList.map((m) => (
                <Message key={m.id} m={m} patientId={patientId} />
              ))}
            </Stack>
            {th.status === 'closed' ? <Note>{t('msg.closedNote')}</Note> : <Reply patientId={patientId} thread={th} onSent={thread.set} />}
          </>
        )}
      </Loaded>
    </>
  );
}

function Message({ m, patientId }: { m: MessageView; patientId: string }): ReactElement {
  const { t, fmt } = useI18n();
  const staff = m.authorKind === 'staff';
  const who = staff ? t('msg.careTeam') : m.authorKind === 'proxy' ? t('msg.proxy') : t('msg.you');
  return (
    <Card component="li" withBorder padding="sm" bg={staff ? 'gray.0' : undefined} data-testid="message" data-author={m.authorKind}>
      <Group justify="space-between" gap="xs">
        <Text fw={700}>
          {m.authorName} <Text span fw={400} size="sm">{`(${who})`}</Text>
        </Text>
        <Text size="sm">{t('msg.sentAt', { date: fmt.dateTime(m.sentAt) })}</Text>
      </Group>
      <Text className="portal-pre" mt={4}>
        {m.body}
      </Text>
      {m.attachment && (
        <Anchor href={portalFiles.attachment(patientId, m.id)} download={m.attachment.name} mt="xs" display="inline-block">
          {t('msg.download', { name: m.attachment.name, size: fmt.bytes(m.attachment.bytes) })}
        </Anchor>
      )}
    </Card>
  );
}

function Reply({ patientId, thread, onSent }: { patientId: string; thread: ThreadView; onSent: (t: ThreadView) => void }): ReactElement {
  const { t } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const max = usePortal((s) => s.clinic.maxBodyChars);
  const [body, setBody] = useState('');
  const [file, setFile] = useState<Attachment>(null);
  const [round, setRound] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problem = bodyProblem(body, max, t);
    setError(problem);
    setSent(false);
    // A refused file keeps its reason on the field; the message waits for a fix rather than going without it.
    if (problem || file === 'refused' || file === 'reading') return;
    setBusy(true);
    setFailure(null);
    try {
      const updated = await portalApi.reply(patientId, thread.id, {
        body: body.trim(),
        attachment: attachmentInput(file),
      });
      markThreadSeen(accountId, patientId, updated);
      onSent(updated);
      setBody('');
      setFile(null);
      setRound((n) => n + 1);
      setSent(true);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('msg.reply')}>
      {sent && <Note kind="status">{t('msg.sent')}</Note>}
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <MessageBody label={t('msg.reply')} value={body} onChange={setBody} error={error} />
          <AttachmentPicker key={round} onChange={setFile} />
          <Button type="submit" loading={busy}>
            {t('msg.sendReply')}
          </Button>
        </Stack>
      </form>
    </Section>
  );
}
