import { Alert, Button, Checkbox, Group, List, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState, type ReactElement } from 'react';
import { displayName, type SearchHit } from '../../../../shared/domain/patient';
import { formatWall, hhmmMinutes, minutesHhmm, wallTime, zonedInstant } from '../../../../shared/domain/dates';
import type { Recurrence } from '../../../../shared/domain/schedule';
import { api } from '../../lib/api';
import { useSchedule } from './schedule.store';
import { useRestoreFocus } from '../../components';

interface Draft {
  patientId: string | null;
  providerId: string | null;
  typeId: string | null;
  minutes: number;
  date: string;
  time: string;
  room: string | null;
  reason: string;
  recurring: boolean;
  frequency: 'weekly' | 'monthly';
  interval: number;
  count: number;
}

/** Picks a patient by typing part of a name, MRN or birth date. */
function PatientPicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }): ReactElement {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 150);
  const [hits, setHits] = useState<SearchHit[]>([]);
  useEffect(() => {
    if (debounced.trim().length < 2) return;
    void api['patients.search']({ query: debounced, limit: 15 }).then((r) => r.ok && setHits(r.value));
  }, [debounced]);
  return (
    <Select
      label="Patient"
      placeholder="Type a name, MRN or birth date"
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      // A patient who died is listed (so the desk sees why) but cannot be chosen.
      data={hits.map((h) => ({
        value: h.id,
        label: `${displayName(h)}${h.restricted ? ' (restricted)' : ` · ${h.mrn} · ${h.birthDate}${h.deceasedOn ? ` · deceased ${h.deceasedOn}` : ''}`}`,
        disabled: !h.restricted && h.deceasedOn !== null,
      }))}
      value={value}
      onChange={onChange}
      nothingFoundMessage={debounced.trim().length < 2 ? 'Type at least 2 characters' : 'No patient found'}
      data-testid="book-patient"
      data-autofocus
      required
    />
  );
}

/**
 * The booking dialog (mounted afresh for each booking, so it starts empty): the type fills the default length; "Next free slot" asks the backend; a
 * double booking comes back as a warning the person confirms (or not), never booked silently.
 */
export function BookDialog({
  opened,
  onClose,
  onBooked,
  date,
  providerId,
}: {
  opened: boolean;
  onClose: () => void;
  onBooked: (confirmation: string) => void;
  date: string;
  providerId: string | null;
}): ReactElement {
  useRestoreFocus();
  const config = useSchedule((s) => s.config);
  const providers = useSchedule((s) => s.providers);
  const initial = (): Draft => ({
    patientId: null,
    providerId,
    typeId: null,
    minutes: 20,
    date,
    time: '09:00',
    room: null,
    reason: '',
    recurring: false,
    frequency: 'weekly',
    interval: 1,
    count: 4,
  });
  const [d, setD] = useState<Draft>(initial);
  // What the backend asked the person to confirm (a double booking, a time the clinic is closed).
  const [warnings, setWarnings] = useState<{ path: string; message: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!config) return <></>;
  const tz = config.hours.timeZone;
  const patch = (p: Partial<Draft>): void => {
    setD((cur) => ({ ...cur, ...p }));
    setWarnings([]);
  };
  const type = config.types.find((t) => t.id === d.typeId);

  const findSlot = async (): Promise<void> => {
    if (!d.providerId) return setError('choose a provider first');
    const from = new Date(Math.max(Date.now(), zonedInstant(d.date, 0, tz))).toISOString();
    const r = await api['schedule.freeSlot']({ providerId: d.providerId, minutes: d.minutes, from, ...(d.room && { room: d.room }) });
    if (!r.ok) return setError(r.error.message);
    if (!r.value) return setError('no free slot in the next 60 days');
    const w = wallTime(Date.parse(r.value.startAt), tz);
    patch({ date: w.date, time: minutesHhmm(w.minutes) });
    setError(null);
  };

  const book = async (confirm: boolean): Promise<void> => {
    // Confirming covers exactly what was warned of; anything new is warned of in turn.
    const allowDoubleBooking = confirm && warnings.some((w) => w.path === 'allowDoubleBooking');
    const allowOutsideHours = confirm && warnings.some((w) => w.path === 'allowOutsideHours');
    if (!d.patientId || !d.providerId || !d.typeId) return setError('choose the patient, the provider and the type');
    const rule: Recurrence | undefined = d.recurring ? { frequency: d.frequency, interval: d.interval, count: d.count } : undefined;
    setBusy(true);
    const r = await api['schedule.book']({
      patientId: d.patientId,
      providerId: d.providerId,
      typeId: d.typeId,
      minutes: d.minutes,
      startAt: new Date(zonedInstant(d.date, hhmmMinutes(d.time), tz)).toISOString(),
      ...(d.room && !type?.virtual && { room: d.room }),
      ...(d.reason.trim() && { reason: d.reason.trim() }),
      ...(rule && { recurrence: rule }),
      allowDoubleBooking,
      allowOutsideHours,
    });
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'needs_override') return setWarnings(r.error.issues ?? []);
      return setError(r.error.issues?.[0]?.message ?? r.error.message);
    }
    const [first] = r.value.appointments;
    const more = r.value.appointments.length > 1 ? ` (${r.value.appointments.length} visits, the first shown)` : '';
    onBooked(
      first
        ? `Booked ${first.patientName} · ${formatWall(Date.parse(first.startAt), tz)} with ${first.providerName ?? 'the provider'}${first.room ? ` · ${first.room}` : ''}${more}`
        : 'Booked',
    );
  };
  const closedHours = warnings.some((w) => w.path === 'allowOutsideHours');

  return (
    <Modal opened={opened} onClose={onClose} title="Book an appointment" size="lg" data-testid="book-dialog">
      <Stack>
        <PatientPicker value={d.patientId} onChange={(patientId) => patch({ patientId })} />
        <Group grow>
          <Select
            label="Provider"
            data={providers.map((p) => ({ value: p.id, label: p.displayName }))}
            value={d.providerId}
            onChange={(providerId) => patch({ providerId })}
            data-testid="book-provider"
            required
          />
          <Select
            label="Type"
            data={config.types.map((t) => ({ value: t.id, label: `${t.name} (${t.minutes} min)` }))}
            value={d.typeId}
            onChange={(typeId) => patch({ typeId, minutes: config.types.find((t) => t.id === typeId)?.minutes ?? d.minutes })}
            data-testid="book-type"
            required
          />
        </Group>
        <Group grow align="end">
          <TextInput label="Date" type="date" value={d.date} onChange={(e) => patch({ date: e.currentTarget.value })} data-testid="book-date" />
          <TextInput
            label={`Time (${tz})`}
            type="time"
            step={300}
            value={d.time}
            onChange={(e) => patch({ time: e.currentTarget.value })}
            data-testid="book-time"
          />
          <NumberInput
            label="Minutes"
            min={5}
            max={480}
            step={5}
            value={d.minutes}
            onChange={(v) => patch({ minutes: Number(v) || 5 })}
            data-testid="book-minutes"
          />
        </Group>
        <Group grow align="end">
          <Select
            label="Room"
            data={config.hours.rooms}
            value={type?.virtual ? null : d.room}
            onChange={(room) => patch({ room })}
            disabled={type?.virtual}
            placeholder={type?.virtual ? 'No room (virtual)' : 'Any'}
            clearable
            data-testid="book-room"
          />
          <Button variant="light" onClick={() => void findSlot()} data-testid="book-find-slot">
            Next free slot
          </Button>
        </Group>
        <TextInput label="Reason" value={d.reason} onChange={(e) => patch({ reason: e.currentTarget.value })} maxLength={300} data-testid="book-reason" />
        <Checkbox label="Recurring" checked={d.recurring} onChange={(e) => patch({ recurring: e.currentTarget.checked })} data-testid="book-recurring" />
        {d.recurring && (
          <Group grow>
            <Select
              label="Repeats"
              data={[
                { value: 'weekly', label: 'Weekly' },
                { value: 'monthly', label: 'Monthly' },
              ]}
              value={d.frequency}
              onChange={(v) => patch({ frequency: v === 'monthly' ? 'monthly' : 'weekly' })}
              allowDeselect={false}
              data-testid="book-frequency"
            />
            <NumberInput
              label={d.frequency === 'weekly' ? 'Every N weeks' : 'Every N months'}
              min={1}
              max={12}
              value={d.interval}
              onChange={(v) => patch({ interval: Number(v) || 1 })}
            />
            <NumberInput label="Visits" min={2} max={104} value={d.count} onChange={(v) => patch({ count: Number(v) || 2 })} data-testid="book-count" />
          </Group>
        )}
        {warnings.length > 0 && (
          <Stack gap="xs">
            {closedHours && (
              <Alert color="orange" title="The clinic is closed then" data-testid="outside-hours-warning">
                <List size="sm">
                  {warnings
                    .filter((w) => w.path === 'allowOutsideHours')
                    .map((w) => (
                      <List.Item key={w.message}>{w.message}</List.Item>
                    ))}
                </List>
              </Alert>
            )}
            {warnings.some((w) => w.path === 'allowDoubleBooking') && (
              <Alert color="orange" title="Double booking" data-testid="double-booking-warning">
                <List size="sm">
                  {warnings
                    .filter((w) => w.path === 'allowDoubleBooking')
                    .map((w) => (
                      <List.Item key={w.message}>{w.message}</List.Item>
                    ))}
                </List>
              </Alert>
            )}
            <Group>
              <Button color="orange" onClick={() => void book(true)} loading={busy} data-testid="book-anyway">
                Book anyway
              </Button>
              <Button variant="default" onClick={() => setWarnings([])}>
                Change the time
              </Button>
            </Group>
          </Stack>
        )}
        {error && (
          <Alert color="red" data-testid="book-error">
            {error}
          </Alert>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Times are the clinic&apos;s ({tz}).
          </Text>
          <Button onClick={() => void book(false)} loading={busy} disabled={warnings.length > 0} data-testid="book-submit">
            Book
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
