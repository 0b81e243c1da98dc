import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { ImagingOrder } from '../../../../shared/domain/imaging';
import { api } from '../../lib/api';
import { DocumentSelect } from '../referrals';

/** Files a document already in the chart (a faxed or scanned report) as the order's report: the order becomes final. */
export function AttachReportDialog({ order, onClose, onDone }: { order: ImagingOrder; onClose: () => void; onDone: (o: ImagingOrder) => void }): ReactElement {
  const [documentId, setDocumentId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attach = async (): Promise<void> => {
    if (!documentId) return setProblem('choose the report among the chart’s documents');
    setBusy(true);
    const r = await api['imaging.attachReport']({ orderId: order.id, documentId });
    setBusy(false);
    if (!r.ok) return setProblem(r.error.message);
    onDone(r.value);
  };
  return (
    <Modal opened onClose={onClose} title="Attach report">
      <Stack data-testid="attach-report">
        <Text size="sm">
          {order.studies.map((s) => s.display).join(', ')} · order {order.placerNumber}
        </Text>
        <DocumentSelect patientId={order.patientId} prefer="imaging_report" label="Report" value={documentId} onChange={setDocumentId} />
        {problem && (
          <Alert color="red" data-testid="attach-report-error">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button loading={busy} onClick={() => void attach()}>
            File as the report
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
