import { Button, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { ScreenTitle } from '../../components/ScreenTitle';
import { useI18n } from '../../i18n/use-i18n';
import { go } from '../../router';
import { markThreadSeen } from '../../state/seen';
import { usePortal } from '../../state/portal.store';
import { AttachmentPicker } from './AttachmentPicker';
import { attachmentInput, type Attachment } from './attachment';
import { bodyProblem, MessageBody } from './MessageBody';

/** A new conversation with the care team: subject, message and an optional file. */
export function NewMessageScreen({ patientId }: { patientId: string }): ReactElement {
  const { t } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const max = usePortal((s) => s.clinic.maxBodyChars);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [file, setFile] = useState<Attachment>(null);
  const [errors, setErrors] = useState<{ subject?: string | undefined; body?: string | undefined }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const found = { subject: subject.trim() === '' ? t('msg.subjectMissing') : undefined, body: bodyProblem(body, max, t) };
    setErrors(found);
    // A refused file keeps its reason on the field; the message waits for a fix rather than going without it.
    if (found.subject || found.body || file === 'refused' || file === 'reading') return;
    setBusy(true);
    setFailure(null);
    try {
      const thread = await portalApi.newThread(patientId, {
        subject: subject.trim(),
        body: body.trim(),
        attachment: attachmentInput(file),
      });
      markThreadSeen(accountId, patientId, thread);
      go({ name: 'thread', id: thread.id });
    } catch (err) {
      setFailure(err);
      setBusy(false);
    }
  };
  return (
    <>
      <ScreenTitle>{t('msg.new')}</ScreenTitle>
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <TextInput
            label={t('msg.subject')}
            required
            maxLength={200}
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={errors.subject}
          />
          <MessageBody label={t('msg.body')} value={body} onChange={setBody} error={errors.body} />
          <AttachmentPicker onChange={setFile} />
          <Button type="submit" loading={busy}>
            {t('msg.send')}
          </Button>
        </Stack>
      </form>
    </>
  );
}
