import { Alert, Button, Group, Modal, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Appointment } from '../../../../shared/domain/schedule';
import { api } from '../../lib/api';

/** (Keyed by the appointment, so it starts empty for each.) Cancel a visit (or it and the rest of its series) or record a no-show; the reason is required and kept. */
export function CancelDialog({ appointment, onClose, onDone }: { appointment: Appointment | null; onClose: () => void; onDone: () => void }): ReactElement {
  const [outcome, setOutcome] = useState<'cancelled' | 'no_show'>('cancelled');
  const [scope, setScope] = useState<'one' | 'rest'>('one');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (): Promise<void> => {
    if (!appointment) return;
    const r = await api['schedule.cancel']({
      id: appointment.id,
      patientId: appointment.patientId,
      outcome,
      reason,
      scope: outcome === 'no_show' ? 'one' : scope,
    });
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    onDone();
  };
  return (
    <Modal
      opened={appointment !== null}
      onClose={onClose}
      title={appointment ? `${appointment.patientName}: cancel or no-show` : ''}
      data-testid="cancel-dialog"
    >
      <Stack>
        <SegmentedControl
          value={outcome}
          onChange={(v) => setOutcome(v === 'no_show' ? 'no_show' : 'cancelled')}
          data={[
            { value: 'cancelled', label: 'Cancel' },
            { value: 'no_show', label: 'No-show' },
          ]}
          data-testid="cancel-outcome"
        />
        {appointment?.seriesId && outcome === 'cancelled' && (
          <SegmentedControl
            value={scope}
            onChange={(v) => setScope(v === 'rest' ? 'rest' : 'one')}
            data={[
              { value: 'one', label: 'This visit' },
              { value: 'rest', label: 'This and the rest of the series' },
            ]}
            data-testid="cancel-scope"
          />
        )}
        <Textarea
          label="Reason"
          required
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          maxLength={300}
          data-testid="cancel-reason"
        />
        {error && (
          <Alert color="red" data-testid="cancel-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep the visit
          </Button>
          <Button color="red" onClick={() => void submit()} data-testid="cancel-submit">
            {outcome === 'no_show' ? 'Record no-show' : 'Cancel visit'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
