import { Alert, Badge, Button, Card, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { Result } from '../../../../shared/api/result';
import { mayCall } from '../../../../shared/api/permissions';
import { HL7_REVIEW_KIND_LABELS, type Hl7Review, type ReviewChart } from '../../../../shared/domain/lab-review';
import { useSession } from '../../stores/session.store';
import { api } from '../../lib/api';
import { issuesToErrors } from '../../lib/zod-form';
import { useLabs } from './labs.store';
import { when } from './values';

function chartLabel(c: ReviewChart | null): string {
  if (c === null) return 'not found';
  return c.mrn === null ? `${c.name} (restricted)` : `${c.name} · born ${c.birthDate ?? ''} · MRN ${c.mrn}`;
}

/** Sends one decision; field errors (the reason) go under their field, anything else above. */
function useDecision(onDone: () => void): {
  busy: boolean;
  errors: Record<string, string>;
  problem: string | null;
  send: (call: Promise<Result<unknown>>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const send = async (call: Promise<Result<unknown>>): Promise<void> => {
    setBusy(true);
    const r = await call;
    setBusy(false);
    if (r.ok) return onDone();
    const fieldErrors = issuesToErrors(r.error.issues);
    setErrors(fieldErrors);
    setProblem(Object.keys(fieldErrors).length > 0 ? null : r.error.message);
  };
  return { busy, errors, problem, send };
}

function Header({ r }: { r: Hl7Review }): ReactElement {
  return (
    <>
      <Group justify="space-between">
        <Text fw={700}>
          {r.kind === 'field_difference' ? `${chartLabel(r.chart)}: ${r.fieldLabel ?? ''}` : r.kind === 'merge' ? 'Merge two charts' : r.pid}
        </Text>
        <Badge color={r.kind === 'merge' ? 'grape' : r.kind === 'field_difference' ? 'blue' : r.kind === 'ambiguous' ? 'orange' : 'gray'}>
          {HL7_REVIEW_KIND_LABELS[r.kind]}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {r.reason} · {r.message.type} {r.message.controlId} from {r.message.sendingFacility || 'unknown facility'} · received {when(r.message.receivedAt)}
      </Text>
    </>
  );
}

function FieldDifference({ r, onDone }: { r: Hl7Review; onDone: () => void }): ReactElement {
  const [note, setNote] = useState('');
  const d = useDecision(onDone);
  const keep = (keep: 'local' | 'incoming'): void =>
    void d.send(api['labs.resolveFieldDifference']({ reviewId: r.id, patientId: r.chart!.id, keep, ...(note.trim() && { note }) }));
  const hidden = r.local === null;
  return (
    <>
      {hidden ? (
        <Text size="sm">This chart is restricted: open it (break the glass) to see the values.</Text>
      ) : (
        <SimpleGrid cols={2} mt="xs">
          <Card withBorder padding="xs" data-testid="review-local">
            <Text size="xs" c="dimmed">
              On the chart now
            </Text>
            <Text fw={600}>{r.local || '(empty)'}</Text>
          </Card>
          <Card withBorder padding="xs" data-testid="review-incoming">
            <Text size="xs" c="dimmed">
              In the message
            </Text>
            <Text fw={600}>{r.incoming || '(empty)'}</Text>
          </Card>
        </SimpleGrid>
      )}
      <Group align="end" mt="sm">
        <TextInput
          label="Note (optional)"
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          w={360}
          error={d.errors['note']}
          data-testid="review-note"
        />
        <Button variant="default" loading={d.busy} disabled={hidden} onClick={() => keep('local')} data-testid="keep-local">
          Keep the chart’s value
        </Button>
        <Button loading={d.busy} disabled={hidden} onClick={() => keep('incoming')} data-testid="keep-incoming">
          Use the message’s value
        </Button>
      </Group>
      {d.problem && (
        <Alert color="red" mt="xs">
          {d.problem}
        </Alert>
      )}
    </>
  );
}

function Merge({ r, onDone, mayMerge }: { r: Hl7Review; onDone: () => void; mayMerge: boolean }): ReactElement {
  const [reason, setReason] = useState('');
  const d = useDecision(onDone);
  const ready = r.chart !== null && r.duplicate !== null && r.chart.id !== r.duplicate.id;
  const decide = (action: 'merge' | 'reject'): void =>
    void d.send(
      api['labs.resolveMerge']({
        reviewId: r.id,
        action,
        reason,
        ...(action === 'merge' && ready && { survivorId: r.chart!.id, duplicateId: r.duplicate!.id }),
      }),
    );
  return (
    <>
      <SimpleGrid cols={2} mt="xs">
        <Card withBorder padding="xs" data-testid="merge-duplicate">
          <Text size="xs" c="dimmed">
            Merge this chart (MRG-1)
          </Text>
          <Text fw={600}>{chartLabel(r.duplicate)}</Text>
        </Card>
        <Card withBorder padding="xs" data-testid="merge-survivor">
          <Text size="xs" c="dimmed">
            into this chart (PID), which remains
          </Text>
          <Text fw={600}>{chartLabel(r.chart)}</Text>
        </Card>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt={4}>
        {r.pid}. A merge can be undone from the chart (Unmerge).
      </Text>
      {mayMerge ? (
        <Group align="end" mt="sm">
          <TextInput
            label="Reason"
            placeholder="why (at least 10 characters)"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            w={360}
            error={d.errors['reason'] ?? d.errors['survivorId']}
            data-testid="merge-reason"
          />
          <Button color="grape" loading={d.busy} disabled={!ready} onClick={() => decide('merge')} data-testid="approve-merge">
            Merge
          </Button>
          <Button variant="default" loading={d.busy} onClick={() => decide('reject')} data-testid="reject-merge">
            Reject
          </Button>
        </Group>
      ) : (
        <Text size="sm" mt="xs">
          A physician or an administrator decides merges.
        </Text>
      )}
      {d.problem && (
        <Alert color="red" mt="xs">
          {d.problem}
        </Alert>
      )}
    </>
  );
}

function Held({ r, onDone }: { r: Hl7Review; onDone: () => void }): ReactElement {
  const [reason, setReason] = useState('');
  const d = useDecision(onDone);
  return (
    <>
      <Text size="sm" mt="xs">
        To attach its results to a chart, use the Unmatched tab. Dismissing keeps the message stored and records your reason.
      </Text>
      <Group align="end" mt="sm">
        <TextInput
          label="Reason"
          placeholder="why (at least 10 characters)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          w={360}
          error={d.errors['reason']}
          data-testid="dismiss-reason"
        />
        <Button
          color="red"
          variant="light"
          loading={d.busy}
          onClick={() => void d.send(api['labs.dismissUnmatched']({ reviewId: r.id, reason }))}
          data-testid="dismiss-unmatched"
        >
          Dismiss
        </Button>
      </Group>
      {d.problem && (
        <Alert color="red" mt="xs">
          {d.problem}
        </Alert>
      )}
    </>
  );
}

function OpenReview({ r, onDone, mayMerge }: { r: Hl7Review; onDone: () => void; mayMerge: boolean }): ReactElement {
  return (
    <Card withBorder data-testid={`review-${r.kind}`}>
      <Header r={r} />
      {r.kind === 'field_difference' && <FieldDifference r={r} onDone={onDone} />}
      {r.kind === 'merge' && <Merge r={r} onDone={onDone} mayMerge={mayMerge} />}
      {(r.kind === 'unmatched' || r.kind === 'ambiguous') && <Held r={r} onDone={onDone} />}
    </Card>
  );
}

function ClosedReview({ r }: { r: Hl7Review }): ReactElement {
  return (
    <Card withBorder data-testid="review-closed">
      <Header r={r} />
      <Text size="sm" mt="xs">
        <Badge color={r.status === 'resolved' ? 'green' : 'gray'} mr="xs">
          {r.status}
        </Badge>
        {r.decision} · {r.resolvedBy ?? ''} {r.resolvedAt ? when(r.resolvedAt) : ''}
      </Text>
    </Card>
  );
}

/**
 * What HL7 messages put in front of a person: demographics edited here that a message would change,
 * merges a sender asked for, and messages tied to no chart. Each decision is audited with its reason.
 */
export function ReviewQueue(): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const refreshInbox = useLabs((s) => s.refresh);
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [items, setItems] = useState<Hl7Review[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => void api['labs.reviews']({ status }).then((r) => (r.ok ? (setItems(r.value), setError(null)) : setError(r.error.message))),
    [status],
  );
  useEffect(load, [load]);
  const done = (): void => {
    load();
    void refreshInbox();
  };
  return (
    <Stack data-testid="review-queue">
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={3}>HL7 review</Title>
          {status === 'open' && items && (
            <Badge variant="light" color={items.length > 0 ? 'orange' : 'gray'} data-testid="review-count">
              {items.length}
            </Badge>
          )}
        </Group>
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v === 'closed' ? 'closed' : 'open')}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'closed', label: 'Decided' },
          ]}
          data-testid="review-status"
        />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!items ? (
        <Loader />
      ) : items.length === 0 ? (
        <Text c="dimmed">{status === 'open' ? 'Nothing waits for review.' : 'No decisions yet.'}</Text>
      ) : (
        items.map((r) =>
          status === 'open' ? <OpenReview key={r.id} r={r} onDone={done} mayMerge={mayCall(role, 'labs.resolveMerge')} /> : <ClosedReview key={r.id} r={r} />,
        )
      )}
    </Stack>
  );
}
