import { Alert, Button, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { ClaimView } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { downloadPdf } from '../../lib/download';
import { useNav } from '../../stores/nav.store';
import { ClaimCorrect } from './ClaimCorrect';
import { ClaimFindings, StatusBadge } from './ClaimFindings';
import { ClaimLines } from './ClaimLines';
import { when } from './labels';

function History({ claim }: { claim: ClaimView }): ReactElement {
  return (
    <Table data-testid="claim-history" aria-label="Claim history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>By</Table.Th>
          <Table.Th>Detail</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {claim.history.map((h, i) => (
          <Table.Tr key={`${h.at}-${i}`}>
            <Table.Td>{when(h.at)}</Table.Td>
            <Table.Td>{h.status}</Table.Td>
            <Table.Td>{h.by}</Table.Td>
            <Table.Td>{h.detail ?? ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Body({ claim, onChanged }: { claim: ClaimView; onChanged: (c: ClaimView) => void }): ReactElement {
  const go = useNav((s) => s.go);
  const [error, setError] = useState<string | null>(null);
  const pdf = async (): Promise<void> => {
    const r = await api['billing.claimForm']({ claimId: claim.id });
    if (r.ok) downloadPdf(r.value.fileName, r.value.base64);
    else setError(r.error.message);
  };
  const rescrub = async (): Promise<void> => {
    const r = await api['billing.scrub']({ claimId: claim.id });
    if (r.ok) onChanged(r.value);
    else setError(r.error.message);
  };
  return (
    <Stack gap="sm" data-testid="claim-detail">
      <Group gap="xs">
        <StatusBadge status={claim.status} />
        <Text size="sm">
          {claim.patientName} · {claim.payerName ?? 'Self-pay'} {claim.rank && `(${claim.rank})`} · service {claim.serviceDate} · POS {claim.placeOfService}
        </Text>
      </Group>
      <Text size="sm" data-testid="claim-amounts">
        Charged {formatCents(claim.totalCents)} · Paid {formatCents(claim.paidCents)} · Patient responsibility {formatCents(claim.patientResponsibilityCents)}
        {claim.payerClaimNumber && ` · Payer claim ${claim.payerClaimNumber}`} · Diagnoses {claim.diagnoses.join(', ')}
      </Text>
      <ClaimFindings findings={claim.findings} />
      <Title order={3} size="h4">
        Lines
      </Title>
      <ClaimLines claim={claim} />
      <Title order={3} size="h4">
        History
      </Title>
      <History claim={claim} />
      <ClaimCorrect claim={claim} onDone={onChanged} />
      {error && <Alert color="red">{error}</Alert>}
      <Group>
        <Button variant="default" onClick={() => void pdf()} data-testid="claim-cms1500">
          CMS-1500 (PDF)
        </Button>
        <Button variant="default" onClick={() => void rescrub()} data-testid="claim-rescrub">
          Scrub again
        </Button>
        <Button variant="subtle" onClick={() => go({ name: 'chart', patientId: claim.patientId, tab: 'demographics' })} data-testid="claim-open-account">
          Patient account
        </Button>
      </Group>
    </Stack>
  );
}

/** One claim opened from the worklist or the denials: lines, findings, history, corrections and the paper form. */
export function ClaimDetail({ claimId, onClose }: { claimId: string | null; onClose: (changed: boolean) => void }): ReactElement {
  const [claim, setClaim] = useState<ClaimView | null>(null);
  const [changed, setChanged] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (claimId) void api['billing.claim']({ claimId }).then((r) => (r.ok ? setClaim(r.value) : setError(r.error.message)));
  }, [claimId]);
  return (
    <Modal opened={claimId !== null} onClose={() => onClose(changed)} title={claim ? `Claim ${claim.claimNumber}` : 'Claim'} size="xl">
      {error && <Alert color="red">{error}</Alert>}
      {!claim && !error && <Loader />}
      {claim && (
        <Body
          claim={claim}
          onChanged={(c) => {
            setClaim(c);
            setChanged(true);
          }}
        />
      )}
    </Modal>
  );
}
