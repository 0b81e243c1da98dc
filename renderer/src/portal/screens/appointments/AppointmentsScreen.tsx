import { Badge, Button, Card, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { AppointmentView } from '../../../../../shared/api/portal-http';
import { portalApi } from '../../api/portal-api';
import { ErrorNote } from '../../components/ErrorNote';
import { Loaded } from '../../components/Loaded';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/use-load';
import { isKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';

/** Upcoming visits (each cancellable online within the clinic's notice period), past visits, and the ways to ask for a new one. */
export function AppointmentsScreen({ patientId }: { patientId: string }): ReactElement {
  const { t } = useI18n();
  const load = useLoad(`appts:${patientId}`, () => portalApi.appointments(patientId));
  const [cancelling, setCancelling] = useState<AppointmentView | null>(null);
  const [done, setDone] = useState(false);
  return (
    <>
      <ScreenTitle>{t('appt.title')}</ScreenTitle>
      {done && (
        <Note kind="status" withCloseButton closeButtonLabel={t('common.dismiss')} onClose={() => setDone(false)}>
          {t('appt.cancelled')}
        </Note>
      )}
      <Loaded load={load}>
        {(a) => (
          <>
            <Group gap="sm" mt="sm">
              {a.bookableTypes.length > 0 && (
                <Button component="a" href={href({ name: 'book' })}>
                  {t('appt.book')}
                </Button>
              )}
              <Button component="a" href={href({ name: 'request' })} variant={a.bookableTypes.length > 0 ? 'default' : 'filled'}>
                {t('appt.request')}
              </Button>
            </Group>
            {a.bookableTypes.length === 0 && <Text mt="xs">{t('appt.onlyRequests')}</Text>}
            <Section title={t('appt.upcoming')} testId="appt-upcoming">
              {a.upcoming.length === 0 ? <Text c="dimmed">{t('appt.noUpcoming')}</Text> : <Visits list={a.upcoming} onCancel={setCancelling} />}
            </Section>
            <Section title={t('appt.past')} testId="appt-past">
              {a.past.length === 0 ? <Text c="dimmed">{t('appt.noPast')}</Text> : <Visits list={a.past} />}
            </Section>
          </>
        )}
      </Loaded>
      {cancelling && (
        <CancelDialog
          patientId={patientId}
          visit={cancelling}
          onClose={() => setCancelling(null)}
          onCancelled={() => {
            setCancelling(null);
            setDone(true);
            load.reload();
          }}
        />
      )}
    </>
  );
}

function Visits({ list, onCancel }: { list: AppointmentView[]; onCancel?: (a: AppointmentView) => void }): ReactElement {
  const { t, fmt } = useI18n();
  return (
    <Stack component="ul" gap="sm" p={0} style={{ listStyle: 'none' }}>
      {list.map((a) => {
        const status = `appt.status.${a.status}`;
        return (
          <Card component="li" key={a.id} withBorder data-testid="appointment">
            <Title order={3} fz={18}>
              {fmt.dateTime(a.start)}
            </Title>
            <Text>{a.typeName}</Text>
            {a.clinician && <Text size="sm">{t('appt.with', { clinician: a.clinician })}</Text>}
            <Group gap="xs" mt={4}>
              <Badge variant="light" color="gray" tt="none">
                {isKey(status) ? t(status) : a.status}
              </Badge>
              {a.bookedOnline && (
                <Badge variant="light" color="blue" tt="none">
                  {t('appt.bookedOnline')}
                </Badge>
              )}
            </Group>
            {onCancel &&
              (a.cancellable ? (
                <Button variant="default" color="red" mt="sm" onClick={() => onCancel(a)} aria-label={`${t('appt.cancelVisit')}: ${fmt.dateTime(a.start)}`}>
                  {t('appt.cancelVisit')}
                </Button>
              ) : (
                <Text size="sm" mt="xs">
                  {t('appt.notCancellable')}
                </Text>
              ))}
          </Card>
        );
      })}
    </Stack>
  );
}

function CancelDialog({
  patientId,
  visit,
  onClose,
  onCancelled,
}: {
  patientId: string;
  visit: AppointmentView;
  onClose: () => void;
  onCancelled: () => void;
}): ReactElement {
  const { t, fmt } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      await portalApi.cancel(patientId, visit.id, reason.trim());
      onCancelled();
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('appt.cancelTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Text mb="sm">{t('appt.cancelWhat', { type: visit.typeName, when: fmt.dateTime(visit.start) })}</Text>
      {failure !== null && <ErrorNote error={failure} />}
      <Textarea label={t('appt.cancelReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
      <Group mt="md" justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('appt.keep')}
        </Button>
        <Button color="red" loading={busy} onClick={() => void confirm()}>
          {t('appt.cancelConfirm')}
        </Button>
      </Group>
    </Modal>
  );
}
