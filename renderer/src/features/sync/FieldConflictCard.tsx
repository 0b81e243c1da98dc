import { Alert, Anchor, Badge, Button, Card, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { ConflictView } from '../../../../shared/domain/sync-review';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { showValue, when } from './values';

/** Who the conflict is about, with a link to the chart. */
export function ConflictHeading({ c }: { c: ConflictView }): ReactElement {
  const go = useNav((s) => s.go);
  return (
    <Group justify="space-between">
      <Group gap="xs">
        <Text fw={600}>
          {c.kind === 'duplicate_patient'
            ? 'Possible duplicate'
            : c.kind === 'duplicate_mrn'
              ? 'One MRN on two charts'
              : `${c.entityLabel}${c.fieldLabel ? ` · ${c.fieldLabel}` : ''}`}
        </Text>
        {c.patientName && (
          <Text c="dimmed">
            — {c.patientName}
            {c.patientMrn ? ` (MRN ${c.patientMrn})` : ''}
          </Text>
        )}
      </Group>
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          found {when(c.createdAt)}
        </Text>
        {c.patientId && (
          <Anchor size="sm" component="button" onClick={() => go({ name: 'chart', patientId: c.patientId! })} data-testid={`open-chart-${c.id}`}>
            Open chart
          </Anchor>
        )}
      </Group>
    </Group>
  );
}

/** A dismissal with its reason (a signed note's text is settled by an addendum, never by an edit). */
export function DismissForm({
  c,
  label,
  placeholder,
  defaultReason,
  onDone,
}: {
  c: ConflictView;
  label: string;
  placeholder: string;
  defaultReason?: string;
  onDone: (error: string | null) => void;
}): ReactElement {
  const [reason, setReason] = useState('');
  const dismiss = async (): Promise<void> => {
    const r = await api['sync.conflicts.dismiss']({ id: c.id, reason: reason.trim() || (defaultReason ?? '') });
    onDone(r.ok ? null : r.error.message);
  };
  return (
    <Group align="flex-end">
      <TextInput
        label="Reason"
        placeholder={placeholder}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        w={360}
        data-testid={`dismiss-reason-${c.id}`}
      />
      <Button variant="default" onClick={() => void dismiss()} data-testid={`dismiss-${c.id}`}>
        {label}
      </Button>
    </Group>
  );
}

/**
 * One field written differently on two devices while apart: every value with where, who and when,
 * which one the chart shows now, and a button to keep each.
 */
export function FieldConflictCard({ c, onDone }: { c: ConflictView; onDone: (error: string | null) => void }): ReactElement {
  const [note, setNote] = useState('');
  const keep = async (choice: number): Promise<void> => {
    const r = await api['sync.conflicts.resolve']({ id: c.id, choice, ...(note.trim() && { note: note.trim() }) });
    onDone(r.ok ? null : r.error.message);
  };
  return (
    <Card withBorder data-testid={`conflict-${c.id}`} data-kind="field">
      <Stack gap="sm">
        <ConflictHeading c={c} />
        {c.hidden ? (
          <Text c="dimmed">This chart is restricted: open it (break the glass) to see and settle this conflict.</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Value</Table.Th>
                <Table.Th>Written by</Table.Th>
                <Table.Th>On</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th />
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.values.map((v, i) => (
                <Table.Tr key={`${v.hlc ?? ''}-${i}`} data-testid={`conflict-value-${i}`}>
                  <Table.Td style={{ maxWidth: 420, wordBreak: 'break-word' }}>
                    <Text fw={500}>{showValue(v.value)}</Text>
                  </Table.Td>
                  <Table.Td>{v.author ?? '—'}</Table.Td>
                  <Table.Td>{v.device}</Table.Td>
                  <Table.Td>{when(v.at)}</Table.Td>
                  <Table.Td>
                    {v.shown && (
                      <Badge variant="light" data-testid="shown-now">
                        shown now
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.mayResolve && (
                      <Button size="xs" variant={v.shown ? 'light' : 'filled'} onClick={() => void keep(i)} data-testid={`keep-${c.id}-${i}`}>
                        Keep this
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {c.mayResolve && (
          <TextInput
            label="Note (optional)"
            placeholder="e.g. confirmed with the patient"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maw={420}
            size="xs"
          />
        )}
        {c.signedNote && (
          <>
            <Alert color="yellow" variant="light">
              This note was signed, so its text cannot change. Write an addendum with what the other version said, then dismiss this conflict saying so.
            </Alert>
            {c.mayDismiss && <DismissForm c={c} label="Dismiss" placeholder="e.g. other version recorded in an addendum" onDone={onDone} />}
          </>
        )}
        {!c.mayResolve && !c.signedNote && !c.hidden && (
          <Text size="sm" c="dimmed">
            Your role cannot settle this one: a clinician will.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
