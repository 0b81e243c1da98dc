import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { CareEvent } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';
import { day } from '../referrals';

/** How many notices the chart shows (newest first); the care-coordination list holds them all. */
const SHOWN = 5;

function followUpWords(e: CareEvent): { text: string; open: boolean } | null {
  if (e.kind !== 'discharge') return null;
  if (e.followUpStatus === 'open') return { text: `Follow-up call due ${day(e.followUpDue)}`, open: true };
  const who = e.followUpByName ? ` · ${e.followUpByName}` : '';
  return {
    text: `${e.followUpStatus === 'done' ? 'Follow-up done' : 'Follow-up not needed'}${who}${e.followUpAt ? ` ${day(e.followUpAt)}` : ''}`,
    open: false,
  };
}

/**
 * The chart's hospital stays (HL7 ADT admission/discharge notices, or ones staff recorded from a
 * phone call or fax), newest first, with each discharge's follow-up: what a clinician should know
 * before seeing a patient just out of hospital. Shown only when there is a notice.
 */
export function HospitalStaysCard({ patientId }: { patientId: string }): ReactElement | null {
  const [events, setEvents] = useState<CareEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api['care.forPatient']({ patientId }).then((r) => {
      if (!live) return;
      if (r.ok) setEvents(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [patientId]);
  if (error)
    return (
      <Text c="red.8" size="sm" role="alert">
        Hospital stays could not be read: {error}
      </Text>
    );
  if (!events || events.length === 0) return null;
  return (
    <Card withBorder data-testid="hospital-stays">
      <Title order={5}>Hospital stays</Title>
      <Stack gap={6}>
        {events.slice(0, SHOWN).map((e) => {
          const f = followUpWords(e);
          return (
            <Stack key={e.id} gap={0} data-testid="hospital-stay" data-kind={e.kind} data-follow-up={e.kind === 'discharge' ? e.followUpStatus : undefined}>
              <Group gap="xs" wrap="nowrap">
                <Badge size="sm" variant="light" color={e.kind === 'admission' ? 'blue' : 'gray'}>
                  {e.kind === 'admission' ? 'Admitted' : 'Discharged'}
                </Badge>
                <Text size="sm">
                  {day(e.eventAt)} · {e.facility}
                  {e.reason ? ` · ${e.reason}` : ''}
                  {e.disposition ? ` · ${e.disposition}` : ''}
                </Text>
              </Group>
              {f && (
                <Text size="sm" fw={f.open ? 700 : 400} c={f.open ? 'red.9' : 'dimmed'}>
                  {f.text}
                </Text>
              )}
            </Stack>
          );
        })}
        {events.length > SHOWN && (
          <Text size="xs" c="dimmed">
            {events.length - SHOWN} earlier notice{events.length - SHOWN === 1 ? '' : 's'} in Care coordination
          </Text>
        )}
      </Stack>
    </Card>
  );
}
