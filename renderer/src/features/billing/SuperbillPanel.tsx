import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { ClaimView } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { ClaimFindings, StatusBadge } from './ClaimFindings';
import { ClaimLines } from './ClaimLines';
import { SuperbillForm } from './SuperbillForm';

/** Statuses in which the claim has not left the clinic: a new superbill still replaces it. */
const REVISABLE = new Set(['draft', 'ready', 'rejected', 'denied']);

/** A saved claim as the physician sees it: status, what was billed, and what the scrubber says. */
function ClaimSummary({ claim }: { claim: ClaimView }): ReactElement {
  return (
    <Stack gap="xs" data-testid="visit-claim">
      <Group gap="xs">
        <Text fw={600}>
          Claim{' '}
          <Text span inherit data-testid="claim-number">
            {claim.claimNumber}
          </Text>
        </Text>
        <StatusBadge status={claim.status} />
        <Text size="sm">
          {claim.payerName ?? 'Self-pay'} · {formatCents(claim.totalCents)} · diagnoses {claim.diagnoses.join(', ')}
        </Text>
      </Group>
      <ClaimLines claim={claim} />
      <ClaimFindings findings={claim.findings} />
    </Stack>
  );
}

/**
 * Charge capture in the visit workspace: once the visit is finished the physician builds the
 * superbill; afterwards the claim, its status and the scrubber's findings are shown here.
 */
export function SuperbillPanel({ patientId, encounterId, finished }: { patientId: string; encounterId: string; finished: boolean }): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [claim, setClaim] = useState<ClaimView | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mayBill = mayCall(role, 'billing.superbill');
  const load = useCallback(
    () => void api['billing.visitClaim']({ encounterId }).then((r) => (r.ok ? setClaim(r.value) : setError(r.error.message))),
    [encounterId],
  );
  useEffect(load, [load]);
  if (!finished && !claim) return null;
  const saved = (c: ClaimView): void => {
    setClaim(c);
    setEditing(false);
  };
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="superbill-title" data-testid="superbill">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} id="superbill-title">
            Superbill
          </Title>
          {claim && mayBill && !editing && REVISABLE.has(claim.status) && (
            <Button size="xs" variant="light" onClick={() => setEditing(true)} data-testid="superbill-revise">
              Revise superbill
            </Button>
          )}
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {claim === undefined && !error && <Loader size="sm" />}
        {claim && !editing && <ClaimSummary claim={claim} />}
        {claim === null && !mayBill && <Text c="dimmed">No superbill yet: the physician builds it when the visit is finished.</Text>}
        {mayBill && (editing || claim === null) && (
          <SuperbillForm
            patientId={patientId}
            encounterId={encounterId}
            existing={claim ?? null}
            onSaved={saved}
            onCancel={claim ? () => setEditing(false) : undefined}
          />
        )}
      </Stack>
    </Paper>
  );
}
