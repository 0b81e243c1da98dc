import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { CareEvent, CareListItem } from '../../../../shared/domain/referrals';
import { api } from '../../lib/api';

/** Closes a discharge's follow-up: done (who was reached, what was arranged) or not needed (why); the note is required. */
export function FollowUpDialog({
  item,
  status,
  onClose,
  onDone,
}: {
  item: CareListItem;
  status: 'done' | 'not_needed';
  onClose: () => void;
  onDone: (e: CareEvent) => void;
}): ReactElement {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (): Promise<void> => {
    setBusy(true);
    const r = await api['care.followUp']({ id: item.id, status, note });
    setBusy(false);
    if (!r.ok) return setProblem(r.error.issues?.[0]?.message ?? r.error.message);
    onDone(r.value);
  };
  return (
    <Modal opened onClose={onClose} title={status === 'done' ? 'Mark follow-up done' : 'Follow-up not needed'}>
      <Stack data-testid="follow-up-dialog">
        <Text size="sm">
          {item.patientName}: discharged from {item.facility} on {item.eventAt.slice(0, 10)}
        </Text>
        <Textarea
          label={status === 'done' ? 'Who was reached and what was arranged' : 'Why no follow-up is needed'}
          required
          autosize
          minRows={3}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-autofocus
        />
        {problem && (
          <Alert color="red" data-testid="follow-up-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Save follow-up
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
