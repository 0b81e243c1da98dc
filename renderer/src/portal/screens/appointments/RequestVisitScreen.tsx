import { Anchor, Button, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent, type ReactElement } from 'react';
import type { ThreadView } from '../../../../../shared/api/portal-http';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { markThreadSeen } from '../../state/seen';
import { usePortal } from '../../state/portal.store';

/** A visit request: what it is for and when suits; it becomes a conversation the clinic answers with a time. */
export function RequestVisitScreen({ patientId }: { patientId: string }): ReactElement {
  const { t } = useI18n();
  const accountId = usePortal((s) => s.session?.account.id ?? '');
  const [reason, setReason] = useState('');
  const [times, setTimes] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<ThreadView | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (reason.trim() === '') {
      setError(t('request.reasonMissing'));
      return;
    }
    setError(undefined);
    setBusy(true);
    setFailure(null);
    try {
      const thread = await portalApi.requestVisit(patientId, { reason: reason.trim(), preferredTimes: times.trim() });
      markThreadSeen(accountId, patientId, thread);
      setSent(thread);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };
  if (sent)
    return (
      <>
        <ScreenTitle>{t('request.title')}</ScreenTitle>
        <Note kind="status">{t('request.done')}</Note>
        <Anchor href={href({ name: 'thread', id: sent.id })} fw={600}>
          {t('request.open')}
        </Anchor>
      </>
    );
  return (
    <>
      <ScreenTitle>{t('request.title')}</ScreenTitle>
      <Text mb="md">{t('request.intro')}</Text>
      {failure !== null && <ErrorNote error={failure} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack>
          <Textarea
            label={t('request.reason')}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={error}
            maxLength={1000}
            autosize
            minRows={3}
          />
          <Textarea
            label={t('request.times')}
            description={t('request.timesHint')}
            value={times}
            onChange={(e) => setTimes(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
          />
          <Button type="submit" loading={busy}>
            {t('request.submit')}
          </Button>
        </Stack>
      </form>
    </>
  );
}
