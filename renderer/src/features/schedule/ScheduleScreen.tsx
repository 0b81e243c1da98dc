import { Alert, Badge, Button, Card, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { addDays, wallTime } from '../../../../shared/domain/dates';
import { FLOW_LABELS, type Appointment, type AppointmentStatus } from '../../../../shared/domain/schedule';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { BookDialog } from './BookDialog';
import { CancelDialog } from './CancelDialog';
import { RescheduleDialog } from './RescheduleDialog';
import { clinicRange, clinicTime, clinicToday, dayLabel, mondayOf, useSchedule } from './schedule.store';
import { ScreenTitle } from '../../components';

export const STATUS_COLOR: Record<AppointmentStatus, string> = {
  scheduled: 'blue',
  arrived: 'cyan',
  checked_in: 'teal',
  roomed: 'grape',
  with_provider: 'violet',
  checked_out: 'green',
  cancelled: 'red',
  no_show: 'orange',
};

function AppointmentRow({
  a,
  tz,
  typeName,
  canChange,
  onCancel,
  onMove,
}: {
  a: Appointment;
  tz: string;
  typeName: string;
  canChange: boolean;
  onCancel: (a: Appointment) => void;
  onMove: (a: Appointment) => void;
}): ReactElement {
  const go = useNav((s) => s.go);
  const gone = a.status === 'cancelled' || a.status === 'no_show';
  return (
    <Table.Tr data-testid="appointment-row" data-status={a.status} style={gone ? { opacity: 0.55 } : undefined}>
      <Table.Td ff="monospace">
        {clinicTime(a.startAt, tz)}–{clinicTime(a.endAt, tz)}
      </Table.Td>
      <Table.Td>
        <Button variant="subtle" size="compact-sm" onClick={() => go({ name: 'chart', patientId: a.patientId })}>
          {a.patientName}
        </Button>
        {a.mrn && (
          <Text span size="xs" c="dimmed">
            {' '}
            {a.mrn}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {typeName}
        {a.seriesIndex ? (
          <Text span size="xs" c="dimmed">
            {' '}
            · series #{a.seriesIndex}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{a.providerName}</Table.Td>
      <Table.Td>{a.room ?? '—'}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[a.status]} data-testid="appointment-status">
          {FLOW_LABELS[a.status]}
        </Badge>
        {a.cancelReason && (
          <Text size="xs" c="dimmed">
            {a.cancelReason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {canChange && a.status === 'scheduled' && (
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="default" onClick={() => onMove(a)} data-testid="appointment-move">
              Move
            </Button>
            <Button size="xs" variant="default" color="red" onClick={() => onCancel(a)} data-testid="appointment-cancel">
              Cancel / no-show
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** One day of the week view: the visits as small cards in time order. */
function DayColumn({ date, list, tz, typeName }: { date: string; list: Appointment[]; tz: string; typeName: (id: string) => string }): ReactElement {
  return (
    <Paper withBorder p="xs" data-testid="week-day">
      <Text fw={600} size="sm" mb="xs">
        {dayLabel(date)}
      </Text>
      <Stack gap={4}>
        {list.length === 0 && (
          <Text size="xs" c="dimmed">
            No visits
          </Text>
        )}
        {list.map((a) => (
          <Card
            key={a.id}
            withBorder
            padding={6}
            data-testid="week-appointment"
            style={{ borderLeft: `4px solid var(--mantine-color-${STATUS_COLOR[a.status]}-6)` }}
          >
            <Text size="xs" ff="monospace">
              {clinicTime(a.startAt, tz)}–{clinicTime(a.endAt, tz)}
            </Text>
            <Text size="sm" td={a.status === 'cancelled' || a.status === 'no_show' ? 'line-through' : undefined}>
              {a.patientName}
            </Text>
            <Text size="xs" c="dimmed">
              {typeName(a.typeId)} · {a.providerName}
              {a.room ? ` · ${a.room}` : ''}
            </Text>
          </Card>
        ))}
      </Stack>
    </Paper>
  );
}

/** The calendar: a day or a week, for all providers or one provider or one room; booking and cancelling. */
export function ScheduleScreen(): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const { config, providers, error: loadError, load } = useSchedule();
  const [mode, setMode] = useState<'day' | 'week'>('day');
  const [date, setDate] = useState<string | null>(null);
  const [providerId, setProviderId] = useState<string | null>(null);
  const [room, setRoom] = useState<string | null>(null);
  const [list, setList] = useState<Appointment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [booking, setBooking] = useState(false);
  const [booked, setBooked] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Appointment | null>(null);
  const [moving, setMoving] = useState<Appointment | null>(null);
  const tz = config?.hours.timeZone ?? 'UTC';
  const day = date ?? (config ? clinicToday(tz) : null);
  const start = day && mode === 'week' ? mondayOf(day) : day;

  useEffect(() => void load(), [load]);
  const refresh = useCallback(() => {
    if (!config || !start) return;
    const range = clinicRange(start, mode === 'week' ? 7 : 1, tz);
    void api['schedule.list']({ ...range, ...(providerId && { providerId }), ...(room && { room }) }).then((r) =>
      r.ok ? (setList(r.value), setError(null)) : setError(r.error.message),
    );
  }, [config, start, mode, tz, providerId, room]);
  useEffect(refresh, [refresh]);

  if (!config || !day || !start) return loadError ? <Alert color="red">{loadError}</Alert> : <Text c="dimmed">Loading the schedule…</Text>;
  const typeName = (id: string): string => config.types.find((t) => t.id === id)?.name ?? id;
  const canBook = mayCall(role, 'schedule.book');
  const step = mode === 'week' ? 7 : 1;
  const days = Array.from({ length: 7 }, (_, n) => addDays(start, n)).filter(
    (d, n) => n < 5 || list.some((a) => wallTime(Date.parse(a.startAt), tz).date === d),
  );

  return (
    <Stack data-testid="schedule-screen">
      <Group justify="space-between">
        <ScreenTitle title="Schedule" />
        {canBook && (
          <Button onClick={() => (setBooked(null), setBooking(true))} data-testid="book-open">
            Book appointment
          </Button>
        )}
      </Group>
      <Group>
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v === 'week' ? 'week' : 'day')}
          data={[
            { value: 'day', label: 'Day' },
            { value: 'week', label: 'Week' },
          ]}
          data-testid="schedule-mode"
        />
        <Button.Group>
          <Button variant="default" onClick={() => setDate(addDays(day, -step))} data-testid="schedule-prev">
            ‹
          </Button>
          <Button variant="default" onClick={() => setDate(clinicToday(tz))}>
            Today
          </Button>
          <Button variant="default" onClick={() => setDate(addDays(day, step))} data-testid="schedule-next">
            ›
          </Button>
        </Button.Group>
        <Text fw={600} data-testid="schedule-date">
          {mode === 'week' ? `Week of ${dayLabel(start)} ${start.slice(0, 4)}` : `${dayLabel(day)} ${day.slice(0, 4)}`}
        </Text>
        <Select
          placeholder="All providers"
          data={providers.map((p) => ({ value: p.id, label: p.displayName }))}
          value={providerId}
          onChange={setProviderId}
          clearable
          w={220}
          data-testid="schedule-provider"
        />
        <Select placeholder="All rooms" data={config.hours.rooms} value={room} onChange={setRoom} clearable w={180} data-testid="schedule-room" />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {booked && (
        <Alert color="green" withCloseButton onClose={() => setBooked(null)} role="status" data-testid="booking-confirmation">
          {booked}
        </Alert>
      )}
      {mode === 'day' ? (
        list.length === 0 ? (
          <Text c="dimmed" data-testid="schedule-empty">
            No appointments this day.
          </Text>
        ) : (
          <Table striped highlightOnHover data-testid="day-view">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Provider</Table.Th>
                <Table.Th>Room</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((a) => (
                <AppointmentRow key={a.id} a={a} tz={tz} typeName={typeName(a.typeId)} canChange={canBook} onCancel={setCancelling} onMove={setMoving} />
              ))}
            </Table.Tbody>
          </Table>
        )
      ) : (
        <SimpleGrid cols={days.length} spacing="xs" data-testid="week-view">
          {days.map((d) => (
            <DayColumn key={d} date={d} tz={tz} typeName={typeName} list={list.filter((a) => wallTime(Date.parse(a.startAt), tz).date === d)} />
          ))}
        </SimpleGrid>
      )}
      <Text size="xs" c="dimmed">
        Times are the clinic&apos;s ({tz}).
      </Text>
      {booking && (
        <BookDialog
          opened
          onClose={() => setBooking(false)}
          onBooked={(text) => (setBooking(false), setBooked(text), refresh())}
          date={day}
          providerId={providerId}
        />
      )}
      {moving && <RescheduleDialog key={moving.id} appointment={moving} tz={tz} onClose={() => setMoving(null)} onDone={() => (setMoving(null), refresh())} />}
      <CancelDialog key={cancelling?.id ?? ''} appointment={cancelling} onClose={() => setCancelling(null)} onDone={() => (setCancelling(null), refresh())} />
    </Stack>
  );
}
