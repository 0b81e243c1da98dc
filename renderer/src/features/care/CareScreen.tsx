import { Alert, Badge, Button, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { CareListItem } from '../../../../shared/domain/referrals';
import { ScreenTitle } from '../../components';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { mayShow } from '../../stores/screens';
import { useSession } from '../../stores/session.store';
import { dateTime, day, overdueWords } from '../referrals';
import { FollowUpDialog } from './FollowUpDialog';
import { RecordNoticeDialog } from './RecordNoticeDialog';

const FOLLOW_UP_LABELS: Readonly<Record<CareListItem['followUpStatus'], string>> = { open: 'Follow-up due', done: 'Done', not_needed: 'Not needed' };

function Notice({ item: c }: { item: CareListItem }): ReactElement {
  if (c.kind === 'admission') return <Text size="sm">Admitted to {c.facility} (still in)</Text>;
  return (
    <Text size="sm">
      Discharged from {c.facility}
      {c.disposition ? ` · ${c.disposition}` : ''}
    </Text>
  );
}

function FollowUp({ item: c }: { item: CareListItem }): ReactElement {
  if (c.kind === 'admission') return <Text size="sm">Owed after the discharge</Text>;
  if (c.followUpStatus !== 'open')
    return (
      <Stack gap={0}>
        <Text size="sm">
          {FOLLOW_UP_LABELS[c.followUpStatus]}
          {c.followUpByName ? ` · ${c.followUpByName}` : ''} {c.followUpAt ? dateTime(c.followUpAt) : ''}
        </Text>
        {c.followUpNote && (
          <Text size="xs" c="dimmed">
            {c.followUpNote}
          </Text>
        )}
      </Stack>
    );
  const late = (c.daysOverdue ?? -1) > 0;
  return (
    <Stack gap={0}>
      <Text size="sm">Due {day(c.followUpDue)}</Text>
      {c.daysOverdue !== null && (
        <Text size="sm" fw={late ? 700 : 400} c={late ? 'red.9' : undefined} data-testid="care-due-words">
          {overdueWords(c.daysOverdue)}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The care-coordination list: discharges whose follow-up is still owed (due first, overdue ones
 * marked), then patients still admitted; done ones on request. Physicians, nurses and the front desk
 * close a follow-up with a note and record a notice that came by phone or fax.
 */
export function CareScreen(): ReactElement {
  const go = useNav((s) => s.go);
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [includeClosed, setIncludeClosed] = useState(false);
  const [items, setItems] = useState<CareListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState<{ item: CareListItem; status: 'done' | 'not_needed' } | null>(null);
  const [recording, setRecording] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () => void api['care.list']({ includeClosed }).then((r) => (r.ok ? (setItems(r.value), setError(null)) : setError(r.error.message))),
    [includeClosed],
  );
  useEffect(load, [load]);
  const done = (message: string): void => {
    setClosing(null);
    setRecording(false);
    setNotice(message);
    load();
  };
  const mayOpen = mayShow(role, 'chart');
  return (
    <Stack data-testid="care-screen">
      <ScreenTitle title="Care coordination" />
      <Group justify="space-between" align="end">
        <Title order={2} size="h3" id="care-list-title">
          Hospital admissions and discharges
        </Title>
        <Group>
          <Switch label="Show closed follow-ups" checked={includeClosed} onChange={(e) => setIncludeClosed(e.currentTarget.checked)} />
          <Button variant="default" onClick={load}>
            Refresh
          </Button>
          <Button onClick={() => setRecording(true)}>Record a notice</Button>
        </Group>
      </Group>
      <div role="status" aria-live="polite">
        {notice && (
          <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)} data-testid="care-notice">
            {notice}
          </Alert>
        )}
      </div>
      {error && <Alert color="red">{error}</Alert>}
      {!items && !error && <Loader />}
      {items?.length === 0 && (
        <Text c="dimmed" data-testid="care-empty">
          No follow-up is owed and nobody is known to be in hospital.
        </Text>
      )}
      {items && items.length > 0 && (
        <Table aria-labelledby="care-list-title" data-testid="care-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Notice</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Follow-up</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => {
              const open = c.kind === 'discharge' && c.followUpStatus === 'open';
              const late = open && (c.daysOverdue ?? -1) > 0;
              return (
                <Table.Tr
                  key={c.id}
                  bg={late ? 'red.0' : undefined}
                  data-testid="care-row"
                  data-kind={c.kind}
                  data-follow-up={c.followUpStatus}
                  data-overdue={late}
                >
                  <Table.Td>
                    {mayOpen ? (
                      <Button variant="subtle" size="compact-sm" px={0} onClick={() => go({ name: 'chart', patientId: c.patientId })}>
                        {c.patientName}
                      </Button>
                    ) : (
                      c.patientName
                    )}
                    <Text size="xs" c="dimmed">
                      {c.mrn ? `MRN ${c.mrn}` : 'restricted chart'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Notice item={c} />
                    {c.controlId === null && (
                      <Badge size="xs" variant="outline" color="gray">
                        phone or fax
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{dateTime(c.eventAt)}</Table.Td>
                  <Table.Td>{c.reason ?? '—'}</Table.Td>
                  <Table.Td>
                    <FollowUp item={c} />
                  </Table.Td>
                  <Table.Td>
                    {open && (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" onClick={() => setClosing({ item: c, status: 'done' })}>
                          Mark follow-up done
                        </Button>
                        <Button size="xs" variant="default" onClick={() => setClosing({ item: c, status: 'not_needed' })}>
                          Not needed
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {closing && (
        <FollowUpDialog
          {...closing}
          onClose={() => setClosing(null)}
          onDone={() => done(`${closing.item.patientName}: follow-up ${closing.status === 'done' ? 'done' : 'marked not needed'}.`)}
        />
      )}
      {recording && <RecordNoticeDialog onClose={() => setRecording(false)} onRecorded={(e) => done(`The ${e.kind} notice was recorded.`)} />}
    </Stack>
  );
}
