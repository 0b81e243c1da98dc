import { Alert, Button, Group, Modal, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { IntakeReview, usePendingReported } from './IntakeReview';

/**
 * On the chart: how many patient-reported items wait for review, with the review itself in a
 * dialog. `onChanged` lets the chart show what an accepted item changed (a new phone number).
 */
export function ChartReported({ patientId, onChanged }: { patientId: string; onChanged?: () => void }): ReactElement | null {
  const [open, setOpen] = useState(false);
  const [rev, setRev] = useState(0);
  const n = usePendingReported(patientId, rev);
  if (!n && !open) return null;
  const close = (): void => {
    setOpen(false);
    setRev((r) => r + 1);
  };
  return (
    <>
      {!!n && (
        <Alert color="orange" variant="light" data-testid="chart-reported">
          <Group justify="space-between">
            <Text size="sm" data-testid="chart-reported-count">
              {n} patient-reported {n === 1 ? 'item waits' : 'items wait'} for review (from the portal).
            </Text>
            <Button size="xs" variant="default" onClick={() => setOpen(true)} data-testid="chart-reported-review">
              Review reported items
            </Button>
          </Group>
        </Alert>
      )}
      <Modal opened={open} onClose={close} title="Patient-reported items" size="xl" data-testid="chart-reported-dialog">
        <IntakeReview
          patientId={patientId}
          headingOrder={3}
          onChanged={() => {
            setRev((r) => r + 1);
            onChanged?.();
          }}
        />
      </Modal>
    </>
  );
}
