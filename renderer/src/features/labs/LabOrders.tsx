import { Alert, Badge, Button, Card, Code, Group, Loader, Modal, MultiSelect, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { LAB_ORDER_STATUSES, LAB_ORDER_TRANSITIONS, type LabOrder, type LabOrderStatus, type OrderSet } from '../../../../shared/domain/lab-orders';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { useSession } from '../../stores/session.store';
import { when } from './values';

const STATUS_COLOR: Record<LabOrderStatus, string> = { draft: 'gray', ordered: 'blue', collected: 'cyan', partial: 'yellow', final: 'green', cancelled: 'red' };

/** The physician's order: one or more order sets, sent as ordered or kept as a draft. */
function NewOrder({ patientId, sets, onOrdered }: { patientId: string; sets: OrderSet[]; onOrdered: () => void }): ReactElement {
  const [chosen, setChosen] = useState<string[]>([]);
  const [status, setStatus] = useState<'ordered' | 'draft'>('ordered');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const order = async (): Promise<void> => {
    setBusy(true);
    const r = await api['labs.order']({ patientId, orderSetIds: chosen, status });
    setBusy(false);
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    setChosen([]);
    setError(null);
    onOrdered();
  };
  return (
    <Card withBorder data-testid="new-lab-order">
      <Group align="end">
        <MultiSelect
          label="Order tests"
          placeholder={chosen.length === 0 ? 'Choose order sets (CBC, CMP, …)' : undefined}
          data={sets.map((s) => ({ value: s.id, label: `${s.name} · LOINC ${s.orderable.loinc}` }))}
          value={chosen}
          onChange={setChosen}
          searchable
          w={460}
          error={error}
          data-testid="order-sets"
        />
        <Select
          label="As"
          data={[
            { value: 'ordered', label: 'Ordered (send to the lab)' },
            { value: 'draft', label: 'Draft' },
          ]}
          value={status}
          onChange={(v) => setStatus(v === 'draft' ? 'draft' : 'ordered')}
          allowDeselect={false}
          w={220}
          data-testid="order-status-initial"
        />
        <Button onClick={() => void order()} disabled={chosen.length === 0} loading={busy} data-testid="place-order">
          Order
        </Button>
      </Group>
      {chosen.length > 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          {sets
            .filter((s) => chosen.includes(s.id))
            .map((s) => `${s.name}: ${s.specimen}`)
            .join(' · ')}
        </Text>
      )}
    </Card>
  );
}

/** Every status but the current one: the allowed next ones first; the backend says why another is refused. */
function statusChoices(current: LabOrderStatus): { group: string; items: string[] }[] {
  const next = LAB_ORDER_TRANSITIONS[current];
  const other = LAB_ORDER_STATUSES.filter((s) => s !== current && !next.includes(s));
  return [
    { group: 'Next', items: [...next] },
    { group: 'Other', items: other },
  ].filter((g) => g.items.length > 0);
}

function OrderRow({ order, canChange, onChanged }: { order: LabOrder; canChange: boolean; onChanged: (o: LabOrder) => void }): ReactElement {
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const change = async (status: string | null): Promise<void> => {
    if (!status) return;
    const r = await api['labs.orderStatus']({ id: order.id, status: status as LabOrderStatus });
    if (!r.ok) return setProblem(r.error.message);
    setProblem(null);
    onChanged(r.value);
  };
  const requisition = async (): Promise<void> => {
    const r = await api['labs.requisitionPdf']({ id: order.id });
    if (r.ok) downloadPdf(r.value.fileName, r.value.base64);
    else setProblem(r.error.message);
  };
  const showMessage = async (): Promise<void> => {
    const r = await api['labs.orderMessage']({ id: order.id });
    if (r.ok) setMessage(r.value.message.split('\r').filter(Boolean).join('\n'));
    else setProblem(r.error.message);
  };
  return (
    <>
      <Table.Tr data-testid="lab-order-row" data-status={order.status}>
        <Table.Td>{when(order.orderedAt)}</Table.Td>
        <Table.Td ff="monospace">{order.placerNumber}</Table.Td>
        <Table.Td>{order.tests.map((t) => `${t.display} (${t.loinc})`).join(', ')}</Table.Td>
        <Table.Td>
          <Badge color={STATUS_COLOR[order.status]} data-testid="lab-order-status">
            {order.status}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            {canChange && (
              <Select
                placeholder="Change status"
                data={statusChoices(order.status)}
                value={null}
                onChange={(v) => void change(v)}
                w={160}
                size="xs"
                disabled={LAB_ORDER_TRANSITIONS[order.status].length === 0}
                data-testid="lab-order-change-status"
              />
            )}
            <Button size="xs" variant="default" onClick={() => void requisition()} data-testid="lab-order-requisition">
              Requisition
            </Button>
            <Button size="xs" variant="default" onClick={() => void showMessage()} data-testid="lab-order-message">
              ORM message
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {problem && (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <Alert color="red" withCloseButton onClose={() => setProblem(null)} data-testid="lab-order-problem">
              {problem}
            </Alert>
          </Table.Td>
        </Table.Tr>
      )}
      <Modal opened={message !== null} onClose={() => setMessage(null)} title={`Outbound ORM^O01 · ${order.placerNumber}`} size="xl">
        {/* Segments on their own lines; a long one wraps rather than hiding its end. */}
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="lab-order-orm">
          {message}
        </Code>
      </Modal>
    </>
  );
}

/** The chart's lab orders: what was ordered, its status, the requisition and the message for the lab. */
export function LabOrders({ patientId }: { patientId: string }): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [orders, setOrders] = useState<LabOrder[] | null>(null);
  const [sets, setSets] = useState<OrderSet[]>([]);
  const [error, setError] = useState<string | null>(null);
  const mayOrder = mayCall(role, 'labs.order');
  const load = useCallback(() => void api['labs.orders']({ patientId }).then((r) => (r.ok ? setOrders(r.value) : setError(r.error.message))), [patientId]);
  useEffect(load, [load]);
  useEffect(() => {
    if (mayOrder) void api['labs.orderSets']({}).then((r) => r.ok && setSets(r.value));
  }, [mayOrder]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!orders) return <Loader />;
  const newestFirst = [...orders].reverse();
  return (
    <Stack data-testid="lab-orders">
      <Title order={4}>Lab orders</Title>
      {mayOrder && <NewOrder patientId={patientId} sets={sets} onOrdered={load} />}
      {orders.length === 0 ? (
        <Text c="dimmed">No lab orders yet.</Text>
      ) : (
        <Table data-testid="lab-orders-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Ordered</Table.Th>
              <Table.Th>Placer number</Table.Th>
              <Table.Th>Tests</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {newestFirst.map((o) => (
              <OrderRow
                key={o.id}
                order={o}
                canChange={mayCall(role, 'labs.orderStatus')}
                onChanged={(changed) => setOrders(orders.map((x) => (x.id === changed.id ? changed : x)))}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
