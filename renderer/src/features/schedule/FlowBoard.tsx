import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Radio, ScrollArea, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { mayCall } from '../../../../shared/api/permissions';
import { addDays } from '../../../../shared/domain/dates';
import {
  enteredCurrentState,
  FLOW_LABELS,
  FLOW_STATES,
  FLOW_TRANSITIONS,
  formatDuration,
  type Appointment,
  type CheckInChecklist,
  type FlowState,
} from '../../../../shared/domain/schedule';
import type { Patient } from '../../../../shared/domain/patient';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { clinicRange, clinicTime, clinicToday, dayLabel, useSchedule } from './schedule.store';
import { ScreenTitle } from '../../components';
import { CheckInCoverage } from '../billing';
import { IntakeReview, PendingReportedBadge } from '../portal';

type Step = Exclude<FlowState, 'scheduled'>;
/** A visit as the board lists it (with whether the patient booked it on the portal). */
type Listed = Out<'schedule.list'>[number];

/** What the chart records to confirm at check-in: the emergency contact (and the phone), or that there is none. */
function OnFile({ patientId }: { patientId: string }): ReactElement | null {
  const [p, setP] = useState<Patient | null>(null);
  // A restricted chart not opened by break-glass is refused: nothing is shown for it.
  useEffect(() => void api['patients.get']({ id: patientId }).then((r) => r.ok && setP(r.value)), [patientId]);
  if (!p) return null;
  const e = p.emergencyContact;
  return (
    <Alert color={e.name ? 'gray' : 'orange'} variant="light" data-testid="check-in-on-file">
      Phone on file: {p.phone ?? 'none'}. Emergency contact on file:{' '}
      {e.name ? `${e.name}${e.relationship ? ` (${e.relationship})` : ''} · ${e.phone ?? 'no phone'}` : 'none: record one in the chart’s demographics'}.
    </Alert>
  );
}

/** The checklist front desk goes through at check-in: demographics, insurance, the intake questions. */
function CheckInDialog({
  appointment,
  onClose,
  onSubmit,
}: {
  appointment: Appointment | null;
  onClose: () => void;
  onSubmit: (c: CheckInChecklist) => void;
}): ReactElement {
  const questions = useSchedule((s) => s.config?.hours.intakeQuestions ?? []);
  const [demographics, setDemographics] = useState(false);
  const [insurance, setInsurance] = useState<CheckInChecklist['insurance']>('not_checked');
  const [intake, setIntake] = useState<Record<string, 'yes' | 'no'>>({});
  // Bumped when a patient-reported item is accepted: what is on file may have changed.
  const [reviewed, setReviewed] = useState(0);
  const complete = demographics && insurance !== 'not_checked' && questions.every((q) => intake[q.id]);
  return (
    <Modal
      opened={appointment !== null}
      onClose={onClose}
      title={appointment ? `Check in ${appointment.patientName}` : ''}
      size="lg"
      data-testid="check-in-dialog"
    >
      <Stack>
        {appointment && <OnFile key={reviewed} patientId={appointment.patientId} />}
        {appointment && <IntakeReview patientId={appointment.patientId} headingOrder={3} hideWhenEmpty onChanged={() => setReviewed((n) => n + 1)} />}
        <Checkbox
          data-autofocus
          label="Demographics confirmed with the patient (address, phone, emergency contact)"
          checked={demographics}
          onChange={(e) => setDemographics(e.currentTarget.checked)}
          data-testid="check-in-demographics"
        />
        {appointment && <CheckInCoverage patientId={appointment.patientId} />}
        <Radio.Group label="Insurance" value={insurance} onChange={setInsurance}>
          <Group mt={4}>
            <Radio value="verified" label="Verified (card seen, coverage active)" data-testid="check-in-insurance-verified" />
            <Radio value="self_pay" label="Self-pay" data-testid="check-in-insurance-self-pay" />
          </Group>
        </Radio.Group>
        {questions.map((q) => (
          <Radio.Group
            key={q.id}
            label={q.text}
            value={intake[q.id] ?? null}
            onChange={(v) => setIntake((cur) => ({ ...cur, [q.id]: v === 'yes' ? 'yes' : 'no' }))}
            data-testid={`intake-${q.id}`}
          >
            <Group mt={4}>
              <Radio value="yes" label="Yes" data-testid={`intake-${q.id}-yes`} />
              <Radio value="no" label="No" data-testid={`intake-${q.id}-no`} />
            </Group>
          </Radio.Group>
        ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Not yet
          </Button>
          <Button onClick={() => onSubmit({ demographicsConfirmed: demographics, insurance, intake })} disabled={!complete} data-testid="check-in-submit">
            Check in and open the visit
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RoomDialog({
  appointment,
  onClose,
  onSubmit,
}: {
  appointment: Appointment | null;
  onClose: () => void;
  onSubmit: (room: string) => void;
}): ReactElement {
  const rooms = useSchedule((s) => s.config?.hours.rooms ?? []);
  const [room, setRoom] = useState<string | null>(appointment?.room ?? null);
  return (
    <Modal opened={appointment !== null} onClose={onClose} title={appointment ? `Room ${appointment.patientName}` : ''} data-testid="room-dialog">
      <Stack>
        <Select label="Room" data-autofocus data={rooms} value={room} onChange={setRoom} allowDeselect={false} data-testid="room-select" />
        <Button onClick={() => room && onSubmit(room)} disabled={!room} data-testid="room-submit">
          Room the patient
        </Button>
      </Stack>
    </Modal>
  );
}

function FlowCard({
  a,
  now,
  tz,
  canAdvance,
  canOpenVisit,
  onAdvance,
  refreshKey,
}: {
  a: Listed;
  refreshKey: number;
  now: number;
  tz: string;
  canAdvance: boolean;
  canOpenVisit: boolean;
  onAdvance: (a: Appointment, to: Step) => void;
}): ReactElement {
  const go = useNav((s) => s.go);
  const next = FLOW_TRANSITIONS[a.status].find((s): s is Step => (FLOW_STATES as readonly string[]).includes(s));
  const since = Date.parse(enteredCurrentState(a));
  const encounterId = a.encounterId;
  return (
    <Card withBorder padding="xs" data-testid="flow-card" data-status={a.status} data-patient={a.patientName}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} size="sm">
          {a.patientName}
        </Text>
        <Text size="xs" ff="monospace">
          {clinicTime(a.startAt, tz)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {a.providerName}
        {a.room ? ` · ${a.room}` : ''}
      </Text>
      <Group gap={4} mt={4}>
        {a.bookedOnline && (
          <Badge variant="light" color="teal" size="sm" title="Booked by the patient on the portal" data-testid="flow-booked-online">
            Online
          </Badge>
        )}
        {a.status !== 'checked_out' && <PendingReportedBadge patientId={a.patientId} refreshKey={refreshKey} />}
      </Group>
      {a.status !== 'scheduled' && (
        <Badge variant="light" color={now - since > 20 * 60_000 && a.status !== 'checked_out' ? 'red' : 'gray'} mt={4} data-testid="time-in-state">
          {a.status === 'checked_out'
            ? `out ${clinicTime(enteredCurrentState(a), tz)} · visit ${formatDuration(since - Date.parse(a.stateTimes.arrived ?? enteredCurrentState(a)))}`
            : `${formatDuration(now - since)} in state`}
        </Badge>
      )}
      <Group gap={4} mt={6}>
        {canAdvance && next && (
          <Button size="compact-xs" onClick={() => onAdvance(a, next)} data-testid="flow-advance">
            → {FLOW_LABELS[next]}
          </Button>
        )}
        {encounterId && canOpenVisit && (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => go({ name: 'encounter', patientId: a.patientId, encounterId })}
            data-testid="flow-open-visit"
          >
            Visit
          </Button>
        )}
      </Group>
    </Card>
  );
}

/** The check-in flow board: today's visits in columns by state, the time in the current state kept live. */
export function FlowBoard(): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const { config, error: loadError, load } = useSchedule();
  const [date, setDate] = useState<string | null>(null);
  const [list, setList] = useState<Listed[]>([]);
  // Counts each load, so the cards' counts of reported items are read again with the board.
  const [loads, setLoads] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [checkingIn, setCheckingIn] = useState<Appointment | null>(null);
  const [rooming, setRooming] = useState<Appointment | null>(null);
  const tz = config?.hours.timeZone ?? 'UTC';
  const day = date ?? (config ? clinicToday(tz) : null);
  const ticker = useInterval(() => setNow(Date.now()), 1000);
  useEffect(() => {
    ticker.start();
    return ticker.stop;
  }, [ticker]);
  useEffect(() => void load(), [load]);
  const refresh = useCallback(() => {
    if (!config || !day) return;
    void api['schedule.list']({ ...clinicRange(day, 1, tz), activeOnly: true }).then((r) =>
      r.ok ? (setList(r.value), setLoads((n) => n + 1), setError(null)) : setError(r.error.message),
    );
  }, [config, day, tz]);
  useEffect(refresh, [refresh]);

  const advance = async (a: Appointment, to: Step, extra: { checklist?: CheckInChecklist; room?: string } = {}): Promise<void> => {
    if (to === 'checked_in' && !extra.checklist) return setCheckingIn(a);
    if (to === 'roomed' && !extra.room) return setRooming(a);
    const r = await api['schedule.advance']({ id: a.id, patientId: a.patientId, to, ...extra });
    if (!r.ok) return setError(r.error.message);
    setCheckingIn(null);
    setRooming(null);
    refresh();
  };

  if (!config || !day) return loadError ? <Alert color="red">{loadError}</Alert> : <Text c="dimmed">Loading…</Text>;
  const canAdvance = mayCall(role, 'schedule.advance');
  // Front desk checks patients in but does not read the visit: no link to a screen that would refuse them.
  const canOpenVisit = mayCall(role, 'encounters.get');
  return (
    <Stack data-testid="flow-board">
      <Group justify="space-between">
        <ScreenTitle title="Flow board" />
        <Group>
          <Button.Group>
            <Button variant="default" onClick={() => setDate(addDays(day, -1))}>
              ‹
            </Button>
            <Button variant="default" onClick={() => setDate(clinicToday(tz))}>
              Today
            </Button>
            <Button variant="default" onClick={() => setDate(addDays(day, 1))}>
              ›
            </Button>
          </Button.Group>
          <Text fw={600} data-testid="flow-date">
            {dayLabel(day)} {day.slice(0, 4)}
          </Text>
          <Button variant="light" onClick={refresh} data-testid="flow-refresh">
            Refresh
          </Button>
        </Group>
      </Group>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(null)} data-testid="flow-error">
          {error}
        </Alert>
      )}
      <ScrollArea>
        <SimpleGrid cols={FLOW_STATES.length} spacing="xs" miw={1100}>
          {FLOW_STATES.map((s) => {
            const inState = list.filter((a) => a.status === s);
            return (
              <Stack key={s} gap={6} data-testid={`flow-column-${s}`}>
                <Group justify="space-between">
                  <Text fw={700} size="sm">
                    {FLOW_LABELS[s]}
                  </Text>
                  <Badge variant="outline" size="sm">
                    {inState.length}
                  </Badge>
                </Group>
                {inState.map((a) => (
                  <FlowCard
                    key={a.id}
                    a={a}
                    now={now}
                    tz={tz}
                    canAdvance={canAdvance}
                    canOpenVisit={canOpenVisit}
                    onAdvance={(x, to) => void advance(x, to)}
                    refreshKey={loads}
                  />
                ))}
              </Stack>
            );
          })}
        </SimpleGrid>
      </ScrollArea>
      <Text size="xs" c="dimmed">
        Times are the clinic&apos;s ({tz}). The time in each state counts from when the visit entered it.
      </Text>
      <CheckInDialog
        key={`check-in-${checkingIn?.id ?? ''}`}
        appointment={checkingIn}
        onClose={() => {
          setCheckingIn(null);
          refresh(); // items reviewed before "Not yet" leave the card's count
        }}
        onSubmit={(checklist) => checkingIn && void advance(checkingIn, 'checked_in', { checklist })}
      />
      <RoomDialog
        key={`room-${rooming?.id ?? ''}`}
        appointment={rooming}
        onClose={() => setRooming(null)}
        onSubmit={(room) => rooming && void advance(rooming, 'roomed', { room })}
      />
    </Stack>
  );
}
