import { Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { QuarantineItem } from '../../../../shared/domain/sync-review';
import { api } from '../../lib/api';
import { showValue, when } from './values';

function RefusedChange({ item, onDone }: { item: QuarantineItem; onDone: (error: string | null) => void }): ReactElement {
  const [note, setNote] = useState('');
  const review = async (): Promise<void> => {
    const r = await api['sync.quarantine.review']({ deviceId: item.deviceId, seq: item.seq, note });
    onDone(r.ok ? null : r.error.message);
  };
  return (
    <Card withBorder data-testid={`refused-${item.seq}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>
            {item.entityLabel}
            {item.patientName ? ` — ${item.patientName}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {item.author ? `by ${item.author}, ` : ''}
            {when(item.createdAt)}
          </Text>
        </Group>
        <Text size="sm" c="red">
          {item.reason}
        </Text>
        {item.hidden ? (
          <Text size="sm" c="dimmed">
            The refused values are not shown to your role (or the chart is restricted).
          </Text>
        ) : (
          <Text size="sm">{item.values.map((v) => `${v.label}: ${showValue(v.value, 80)}`).join(' · ')}</Text>
        )}
        {!item.reviewed && (
          <Group align="flex-end">
            <TextInput
              label="What was done about it"
              placeholder="e.g. re-entered by the nurse"
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              w={360}
              data-testid={`review-note-${item.seq}`}
            />
            <Button variant="light" onClick={() => void review()} data-testid={`review-${item.seq}`}>
              Mark reviewed
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/**
 * Changes of this device the clinic server refused (a role that may not write that record, a
 * signed note…). They stay on the device; someone reviews each and says what was done about it.
 */
export function RefusedChanges({ items, onDone }: { items: QuarantineItem[]; onDone: (error: string | null) => void }): ReactElement {
  if (items.length === 0)
    return (
      <Text c="dimmed" data-testid="no-refused">
        No refused changes on this device.
      </Text>
    );
  return (
    <Stack>
      {items.map((i) => (
        <RefusedChange key={`${i.deviceId}-${i.seq}`} item={i} onDone={onDone} />
      ))}
    </Stack>
  );
}
