import { Anchor, Button, Group, Radio, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { AppointmentView, SlotsView } from '../../../../../shared/api/portal-http';
import { addDays } from '../../../../../shared/domain/dates/calendar';
import { wallTime } from '../../../../../shared/domain/dates/clinic-zone';
import { portalApi } from '../../api/portal-api';
import { PortalError } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { Note } from '../../components/Note';
import { ScreenTitle } from '../../components/ScreenTitle';
import { Section } from '../../components/Section';
import { useLoad } from '../../components/use-load';
import { useI18n } from '../../i18n/use-i18n';
import { href } from '../../router';
import { usePortal } from '../../state/portal.store';

type Slot = SlotsView['slots'][number];
type BookType = { id: string; name: string; minutes: number };

/** Booking online: the kind of visit, then an open time (in the clinic's zone), then a confirmation. */
export function BookScreen({ patientId }: { patientId: string }): ReactElement {
  const { t, fmt } = useI18n();
  const appts = useLoad(`appts:${patientId}`, () => portalApi.appointments(patientId));
  const [typeId, setTypeId] = useState<string | null>(null);
  const [chosenType, setChosenType] = useState<BookType | null>(null);
  const [typeError, setTypeError] = useState<string | undefined>();
  const [slot, setSlot] = useState<Slot | null>(null);
  const [booked, setBooked] = useState<AppointmentView | null>(null);

  if (booked)
    return (
      <>
        <ScreenTitle>{t('book.title')}</ScreenTitle>
        <Note kind="status">{t('book.done', { type: booked.typeName, when: fmt.dateTime(booked.start) })}</Note>
        <Anchor href={href({ name: 'appointments' })} fw={600}>
          {t('home.seeAppointments')}
        </Anchor>
      </>
    );
  return (
    <>
      <ScreenTitle>{t('book.title')}</ScreenTitle>
      <Loaded load={appts}>
        {(a) => (
          <>
            {a.bookableTypes.length === 0 && <Text>{t('appt.onlyRequests')}</Text>}
            {a.bookableTypes.length > 0 && chosenType === null && (
              <form
                noValidate
                onSubmit={(e) => {
                  e.preventDefault();
                  const type = a.bookableTypes.find((x) => x.id === typeId);
                  if (!type) setTypeError(t('book.pickType'));
                  else setChosenType(type);
                }}
              >
                <Radio.Group label={t('book.type')} value={typeId} onChange={setTypeId} error={typeError} required>
                  <Stack gap="xs" mt="xs">
                    {a.bookableTypes.map((bt) => (
                      <Radio key={bt.id} value={bt.id} label={`${bt.name} (${t('book.minutes', { n: bt.minutes })})`} />
                    ))}
                  </Stack>
                </Radio.Group>
                <Button type="submit" mt="md">
                  {t('book.next')}
                </Button>
              </form>
            )}
            {chosenType && slot === null && (
              <SlotPicker
                patientId={patientId}
                type={chosenType}
                onPick={setSlot}
                onBack={() => {
                  setChosenType(null);
                }}
              />
            )}
            {chosenType && slot && <Confirm patientId={patientId} type={chosenType} slot={slot} onBack={() => setSlot(null)} onBooked={setBooked} />}
          </>
        )}
      </Loaded>
    </>
  );
}

/** A week of open times at a time: the days that have any, then the chosen day's times. */
function SlotPicker({ patientId, type, onPick, onBack }: { patientId: string; type: BookType; onPick: (s: Slot) => void; onBack: () => void }): ReactElement {
  const { t, fmt } = useI18n();
  const tz = usePortal((s) => s.clinic.timeZone);
  const [from, setFrom] = useState(() => wallTime(Date.now(), tz).date);
  const [chosenDay, setChosenDay] = useState<string | null>(null);
  const slots = useLoad(`slots:${patientId}:${type.id}:${from}`, () => portalApi.slots(patientId, type.id, from));
  const byDay = new Map<string, Slot[]>();
  for (const s of slots.data?.slots ?? []) {
    const day = wallTime(Date.parse(s.start), tz).date;
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const days = [...byDay.keys()].sort();
  const day = chosenDay !== null && byDay.has(chosenDay) ? chosenDay : (days[0] ?? null);
  const later = days.length > 0 ? addDays(days[days.length - 1]!, 1) : addDays(from, 7);
  return (
    <Section title={t('book.slotsFor', { type: type.name })} testId="slots">
      {slots.error ? (
        <ErrorNote error={slots.error} onRetry={slots.reload} />
      ) : slots.loading ? (
        <Loading />
      ) : day === null ? (
        <Text>{t('book.noSlots')}</Text>
      ) : (
        <Stack gap="md">
          <Group gap="xs" role="group" aria-label={t('book.pickDay')}>
            {days.map((d) => (
              <Button key={d} size="compact-md" variant={d === day ? 'filled' : 'default'} aria-pressed={d === day} onClick={() => setChosenDay(d)}>
                {fmt.weekday(d)}
              </Button>
            ))}
          </Group>
          <div>
            <Title order={3} fz={17} mb={4}>
              {fmt.weekday(day)}
            </Title>
            <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs" role="list" aria-label={t('book.pickSlot')}>
              {byDay.get(day)!.map((s) => (
                <div role="listitem" key={s.start}>
                  <Button variant="default" fullWidth onClick={() => onPick(s)} aria-label={`${t('book.pickSlot')}: ${fmt.dateTime(s.start)}`}>
                    {fmt.time(s.start)}
                  </Button>
                </div>
              ))}
            </SimpleGrid>
          </div>
        </Stack>
      )}
      <Group mt="md">
        <Button variant="default" onClick={onBack}>
          {t('common.back')}
        </Button>
        <Button
          variant="light"
          onClick={() => {
            setFrom(later);
            setChosenDay(null);
          }}
          disabled={slots.loading}
        >
          {t('book.later')}
        </Button>
      </Group>
    </Section>
  );
}

function Confirm({
  patientId,
  type,
  slot,
  onBack,
  onBooked,
}: {
  patientId: string;
  type: BookType;
  slot: Slot;
  onBack: () => void;
  onBooked: (a: AppointmentView) => void;
}): ReactElement {
  const { t, fmt } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const book = async (): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      onBooked(await portalApi.book(patientId, { appointmentType: type.id, start: slot.start, reason: reason.trim() }));
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const taken = failure instanceof PortalError && failure.status === 409;
  return (
    <Section title={t('book.confirmTitle')} testId="book-confirm">
      <Text fw={600} mb="sm">
        {t('book.confirmWhat', { type: type.name, when: fmt.dateTime(slot.start) })}
      </Text>
      {failure !== null && <ErrorNote error={failure} />}
      <Textarea label={t('book.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
      <Group mt="md">
        <Button variant="default" onClick={onBack}>
          {t('book.changeTime')}
        </Button>
        {!taken && (
          <Button loading={busy} onClick={() => void book()}>
            {t('book.confirm')}
          </Button>
        )}
      </Group>
    </Section>
  );
}
