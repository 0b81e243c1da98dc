import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { hhmmMinutes, minutesHhmm, wallTime, zonedInstant } from '../../../../shared/domain/dates';
import type { Appointment } from '../../../../shared/domain/schedule';
import { api } from '../../lib/api';
import { useRestoreFocus } from '../../components';

/** (Keyed by the appointment.) Moves a scheduled visit; a double booking is confirmed as when booking. */
export function RescheduleDialog({
  appointment,
  tz,
  onClose,
  onDone,
}: {
  appointment: Appointment | null;
  tz: string;
  onClose: () => void;
  onDone: () => void;
}): ReactElement {
  useRestoreFocus();
  const start = appointment ? wallTime(Date.parse(appointment.startAt), tz) : null;
  const [date, setDate] = useState(start?.date ?? '');
  const [time, setTime] = useState(start ? minutesHhmm(start.minutes) : '09:00');
  const [warnings, setWarnings] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  if (!appointment) return <></>;
  const minutes = (Date.parse(appointment.endAt) - Date.parse(appointment.startAt)) / 60_000;

  const findSlot = async (): Promise<void> => {
    if (!appointment.providerId) return setError('the visit has no provider');
    const from = new Date(Math.max(Date.now(), zonedInstant(date, 0, tz))).toISOString();
    const r = await api['schedule.freeSlot']({ providerId: appointment.providerId, minutes, from, ...(appointment.room && { room: appointment.room }) });
    if (!r.ok) return setError(r.error.message);
    if (!r.value) return setError('no free slot in the next 60 days');
    const w = wallTime(Date.parse(r.value.startAt), tz);
    setDate(w.date);
    setTime(minutesHhmm(w.minutes));
    setWarnings([]);
    setError(null);
  };
  const move = async (allowDoubleBooking: boolean): Promise<void> => {
    const r = await api['schedule.reschedule']({
      id: appointment.id,
      patientId: appointment.patientId,
      startAt: new Date(zonedInstant(date, hhmmMinutes(time), tz)).toISOString(),
      allowDoubleBooking,
    });
    if (r.ok) return onDone();
    if (r.error.code === 'needs_override') return setWarnings((r.error.issues ?? []).map((i) => i.message));
    setError(r.error.issues?.[0]?.message ?? r.error.message);
  };
  return (
    <Modal opened onClose={onClose} title={`Move ${appointment.patientName}'s visit`} data-testid="reschedule-dialog">
      <Stack>
        <Group grow align="end">
          <TextInput
            label="Date"
            type="date"
            data-autofocus
            value={date}
            onChange={(e) => (setDate(e.currentTarget.value), setWarnings([]))}
            data-testid="reschedule-date"
          />
          <TextInput
            label={`Time (${tz})`}
            type="time"
            step={300}
            value={time}
            onChange={(e) => (setTime(e.currentTarget.value), setWarnings([]))}
            data-testid="reschedule-time"
          />
          <Button variant="light" onClick={() => void findSlot()}>
            Next free slot
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {minutes} minutes with {appointment.providerName ?? 'no provider'}
          {appointment.room ? ` in ${appointment.room}` : ''}.
        </Text>
        {warnings.length > 0 && (
          <Alert color="orange" title="Double booking">
            <List size="sm">
              {warnings.map((w) => (
                <List.Item key={w}>{w}</List.Item>
              ))}
            </List>
            <Button mt="sm" color="orange" onClick={() => void move(true)}>
              Move anyway
            </Button>
          </Alert>
        )}
        {error && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep the time
          </Button>
          <Button onClick={() => void move(false)} disabled={warnings.length > 0} data-testid="reschedule-submit">
            Move
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
