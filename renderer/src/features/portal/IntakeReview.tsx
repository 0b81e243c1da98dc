import { Alert, Badge, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden, type TitleOrder } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { ReportedItemView, ReportedSubmission } from '../../../../shared/api/portal.contract';
import { SUBSTANCE_TYPES } from '../../../../shared/domain/clinical';
import type { Payer } from '../../../../shared/domain/billing/model';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { when } from './files';

type SubstanceType = (typeof SUBSTANCE_TYPES)[number];

/** Pending items of a submission, counted across submissions. */
export const pendingCount = (list: readonly ReportedSubmission[]): number => list.reduce((n, s) => n + s.items.filter((i) => i.status === 'pending').length, 0);

/** How many patient-reported items wait for review on this chart (null: not known, or not this role's to see). */
export function usePendingReported(patientId: string, refreshKey: unknown = 0): number | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const allowed = mayCall(role, 'portal.reported');
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    // A restricted chart not opened by break-glass is refused: no count is shown for it.
    void api['portal.reported']({ patientId, status: 'pending' }).then((r) => live && setCount(r.ok ? pendingCount(r.value) : null));
    return () => {
      live = false;
    };
  }, [allowed, patientId, refreshKey]);
  return allowed ? count : null;
}

/** A small count of pending patient-reported items, for the flow board's card and the chart. */
export function PendingReportedBadge({ patientId, refreshKey }: { patientId: string; refreshKey?: unknown }): ReactElement | null {
  const n = usePendingReported(patientId, refreshKey);
  if (!n) return null;
  return (
    <Badge variant="light" color="orange" size="sm" data-testid="reported-pending-count">
      {n} reported<VisuallyHidden>{n === 1 ? ' item' : ' items'} to review</VisuallyHidden>
    </Badge>
  );
}

/** One item: the patient's answer beside the chart's, with Accept and Decline (with the reason). */
function ItemRow({ item, payers, onDone }: { item: ReportedItemView; payers: Payer[] | null; onDone: (message: string) => void }): ReactElement {
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [substanceType, setSubstanceType] = useState<SubstanceType | null>(null);
  const [payerId, setPayerId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accept = async (): Promise<void> => {
    setBusy(true);
    const r = await api['portal.accept']({ itemId: item.id, ...(substanceType && { substanceType }), ...(payerId && { payerId }) });
    setBusy(false);
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    onDone(`Accepted into the chart: ${item.label}.`);
  };
  const decline = async (): Promise<void> => {
    setBusy(true);
    const r = await api['portal.decline']({ itemId: item.id, reason });
    setBusy(false);
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    onDone(`Declined: ${item.label}. The chart is unchanged.`);
  };
  return (
    <Table.Tr data-testid="reported-item" data-kind={item.kind} data-item-id={item.id}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {item.label}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="reported-value" style={{ whiteSpace: 'pre-wrap' }}>
          {item.text}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={item.chartNow ? undefined : 'dimmed'} data-testid="reported-chart-now">
          {item.chartNow ?? 'Nothing recorded'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          {item.kind === 'allergy' && (
            <Select
              size="xs"
              label="Kind of substance"
              placeholder="other"
              data={SUBSTANCE_TYPES.map((t) => ({ value: t, label: t }))}
              value={substanceType}
              onChange={(v) => setSubstanceType(v)}
              w="100%"
            />
          )}
          {item.kind === 'insurance' && payers && (
            <Select
              size="xs"
              label="Payer in the directory"
              placeholder="By the reported name"
              data={payers.map((p) => ({ value: p.id, label: p.name }))}
              value={payerId}
              onChange={setPayerId}
              searchable
              w="100%"
            />
          )}
          {declining ? (
            <Stack gap={4}>
              <TextInput
                size="xs"
                label={`Why decline ${item.label}?`}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                data-autofocus
                data-testid="reported-decline-reason"
              />
              <Group gap={4}>
                <Button size="xs" color="red" loading={busy} onClick={() => void decline()} data-testid="reported-decline-confirm">
                  Decline
                </Button>
                <Button size="xs" variant="default" onClick={() => setDeclining(false)}>
                  Back
                </Button>
              </Group>
            </Stack>
          ) : (
            <Group gap={4}>
              <Button size="xs" loading={busy} onClick={() => void accept()} aria-label={`Accept ${item.label}`} data-testid="reported-accept">
                Accept
              </Button>
              <Button size="xs" variant="default" onClick={() => setDeclining(true)} aria-label={`Decline ${item.label}`} data-testid="reported-decline">
                Decline
              </Button>
            </Group>
          )}
          {error && (
            <Text size="xs" c="red" role="alert">
              {error}
            </Text>
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * What the patient reported on portal forms, waiting for review: grouped by form as sent, each answer
 * beside what the chart holds now, accepted into the chart or declined one by one. Nothing is
 * written over the chart without a person accepting it.
 */
export function IntakeReview({
  patientId,
  headingOrder = 4,
  onChanged,
  hideWhenEmpty = false,
}: {
  patientId: string;
  headingOrder?: TitleOrder;
  /** After an item is accepted or declined (the chart may have changed). */
  onChanged?: () => void;
  hideWhenEmpty?: boolean;
}): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [list, setList] = useState<ReportedSubmission[] | null>(null);
  const [payers, setPayers] = useState<Payer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(
    () => void api['portal.reported']({ patientId, status: 'pending' }).then((r) => (r.ok ? (setList(r.value), setError(null)) : setError(r.error.message))),
    [patientId],
  );
  useEffect(load, [load]);
  const payersAllowed = mayCall(role, 'billing.payers');
  useEffect(() => {
    if (payersAllowed) void api['billing.payers']({}).then((r) => r.ok && setPayers(r.value));
  }, [payersAllowed]);
  if (!list) return error ? <Alert color="red">{error}</Alert> : <Loader size="sm" aria-label="Loading patient-reported items" />;
  const pending = pendingCount(list);
  if (pending === 0 && hideWhenEmpty && !notice) return null;
  const done = (message: string): void => {
    setNotice(message);
    load();
    onChanged?.();
  };
  return (
    <Stack gap="xs" data-testid="intake-review">
      <Group gap="xs">
        <Title order={headingOrder} size="h4">
          Patient-reported from the portal
        </Title>
        <Badge variant="light" color={pending > 0 ? 'orange' : 'gray'} data-testid="intake-review-count">
          {pending} to review
        </Badge>
      </Group>
      {notice && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setNotice(null)} data-testid="intake-review-notice">
          {notice}
        </Alert>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {pending === 0 && (
        <Text size="sm" c="dimmed">
          Nothing waits for review.
        </Text>
      )}
      {list
        .filter((s) => s.items.some((i) => i.status === 'pending'))
        .map((s) => (
          <Stack key={s.submissionId} gap={4} data-testid="reported-submission">
            <Text size="sm" fw={600}>
              {s.formTitle} · sent {when(s.submittedAt)} by {s.submittedBy === 'proxy' ? 'a parent or guardian' : 'the patient'}
            </Text>
            {/* Fixed columns: the answers wrap rather than push the review buttons out of a dialog. */}
            <Table withTableBorder layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="18%">Question</Table.Th>
                  <Table.Th w="28%">Patient reports</Table.Th>
                  <Table.Th w="26%">In the chart now</Table.Th>
                  <Table.Th w="28%">Review</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.items
                  .filter((i) => i.status === 'pending')
                  .map((i) => (
                    <ItemRow key={i.id} item={i} payers={payers} onDone={done} />
                  ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
    </Stack>
  );
}
