import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { ImagingOrder } from '../../../../shared/domain/imaging';
import type { LabOrderStatus } from '../../../../shared/domain/lab-orders';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { useSession } from '../../stores/session.store';
import { ChartDocument, dateTime } from '../referrals';
import { AttachReportDialog } from './AttachReportDialog';
import { OrderImagingDialog } from './OrderImagingDialog';

// An imaging order's status is its lab order's; "final" reads as resulted (the report is in).
const STATUS_LABELS: Readonly<Record<LabOrderStatus, string>> = {
  draft: 'Draft',
  ordered: 'Ordered',
  collected: 'Performed',
  partial: 'Preliminary report',
  final: 'Resulted',
  cancelled: 'Cancelled',
};
const STATUS_COLORS: Readonly<Record<LabOrderStatus, string>> = {
  draft: 'gray',
  ordered: 'blue',
  collected: 'cyan',
  partial: 'yellow',
  final: 'green',
  cancelled: 'red',
};

function OrderCard({ order: o, mayAttach, onAttach }: { order: ImagingOrder; mayAttach: boolean; onAttach: () => void }): ReactElement {
  const [problem, setProblem] = useState<string | null>(null);
  const titleId = `imaging-${o.id}`;
  const requisition = async (): Promise<void> => {
    const r = await api['imaging.requisition']({ id: o.id });
    if (r.ok) downloadPdf(r.value.fileName, r.value.base64);
    else setProblem(r.error.message);
  };
  return (
    <Card withBorder component="section" aria-labelledby={titleId} data-testid="imaging-order" data-status={o.status} data-order-id={o.id}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h4" id={titleId}>
            {o.studies.map((s) => s.display).join(', ')}
          </Title>
          <Group gap={6} wrap="nowrap">
            {o.priority && o.priority !== 'routine' && (
              <Badge color={o.priority === 'stat' ? 'red' : 'orange'} variant="outline">
                {o.priority === 'stat' ? 'STAT' : 'Urgent'}
              </Badge>
            )}
            <Badge color={STATUS_COLORS[o.status]} data-testid="imaging-status">
              {STATUS_LABELS[o.status]}
            </Badge>
          </Group>
        </Group>
        {o.indication && <Text size="sm">Indication: {o.indication}</Text>}
        {o.diagnoses.length > 0 && <Text size="sm">Diagnoses: {o.diagnoses.map((d) => `${d.code}${d.display ? ` ${d.display}` : ''}`).join('; ')}</Text>}
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
          <div>
            <Text size="xs" c="dimmed">
              Ordered
            </Text>
            <Text size="sm">{dateTime(o.orderedAt)}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              By
            </Text>
            <Text size="sm">{o.orderedByName ?? '—'}</Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Order number
            </Text>
            <Text size="sm" ff="monospace">
              {o.placerNumber}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed">
              Report
            </Text>
            <Text size="sm" data-testid="imaging-report-state">
              {o.reported ? 'Report received' : 'Awaiting report'}
            </Text>
          </div>
        </SimpleGrid>
        {o.reportDocumentId && <ChartDocument patientId={o.patientId} documentId={o.reportDocumentId} what="report" />}
        <Group gap="xs">
          <Button variant="default" onClick={() => void requisition()}>
            Print requisition
          </Button>
          {mayAttach && !o.reportDocumentId && o.status !== 'cancelled' && (
            <Button variant="light" onClick={onAttach}>
              Attach report
            </Button>
          )}
        </Group>
        {problem && (
          <Alert color="red" withCloseButton closeButtonLabel="Dismiss" onClose={() => setProblem(null)}>
            {problem}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

/** The chart's imaging orders, newest first: order from the study list, print the requisition, file the report that came back. */
export function ImagingTab({ patientId }: { patientId: string }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [orders, setOrders] = useState<ImagingOrder[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ordering, setOrdering] = useState(false);
  const [attaching, setAttaching] = useState<ImagingOrder | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () => void api['imaging.list']({ patientId }).then((r) => (r.ok ? (setOrders(r.value), setError(null)) : setError(r.error.message))),
    [patientId],
  );
  useEffect(load, [load]);
  const done = (message: string): void => {
    setOrdering(false);
    setAttaching(null);
    setNotice(message);
    load();
  };
  return (
    <Stack data-testid="imaging-tab">
      <Group justify="space-between">
        <Title order={2} size="h3">
          Imaging
        </Title>
        {mayCall(role, 'imaging.order') && <Button onClick={() => setOrdering(true)}>Order imaging</Button>}
      </Group>
      <div role="status" aria-live="polite">
        {notice && (
          <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)} data-testid="imaging-notice">
            {notice}
          </Alert>
        )}
      </div>
      {error && <Alert color="red">{error}</Alert>}
      {!orders && !error && <Loader />}
      {orders?.length === 0 && <Text c="dimmed">No imaging ordered yet.</Text>}
      {orders?.map((o) => (
        <OrderCard key={`${o.id}-${o.version}`} order={o} mayAttach={mayCall(role, 'imaging.attachReport')} onAttach={() => setAttaching(o)} />
      ))}
      {ordering && (
        <OrderImagingDialog
          patientId={patientId}
          onClose={() => setOrdering(false)}
          onOrdered={(o) => done(`Ordered ${o.studies.map((s) => s.display).join(', ')} (order ${o.placerNumber}).`)}
        />
      )}
      {attaching && (
        <AttachReportDialog order={attaching} onClose={() => setAttaching(null)} onDone={(o) => done(`The report was filed on order ${o.placerNumber}.`)} />
      )}
    </Stack>
  );
}
