import { Alert, Chip, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { CLAIM_STATUSES } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { ClickableRow } from '../../components';
import { BatchButton } from './BatchButton';
import { useBilling } from './billing.store';
import { ClaimDetail } from './ClaimDetail';
import { StatusBadge } from './ClaimFindings';
import { STATUS_LABELS } from './labels';

const ALL = 'all';

/** The claims worklist: filtered by status, each claim's findings counted, opened for its lines and history; ready claims go out as a batch. */
export function ClaimsWorklist(): ReactElement {
  const { status, claims, error, setStatus, refreshClaims } = useBilling();
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => void refreshClaims(), [refreshClaims]);
  const ready = status === 'ready' ? (claims?.length ?? null) : null;
  return (
    <Stack gap="sm" data-testid="claims-worklist">
      <Chip.Group value={status ?? ALL} onChange={(v) => void setStatus(v === ALL ? null : v)}>
        <Group gap={6} role="group" aria-label="Show claims by status">
          <Chip value={ALL} size="sm" data-testid="claims-filter-all">
            All
          </Chip>
          {CLAIM_STATUSES.map((s) => (
            <Chip key={s} value={s} size="sm" data-testid={`claims-filter-${s}`}>
              {STATUS_LABELS[s]}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <Group>
        <BatchButton readyCount={ready} onSent={() => void refreshClaims()} />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!claims && !error && <Loader />}
      {claims?.length === 0 && <Text data-testid="claims-empty">No claims {status ? `with status ${STATUS_LABELS[status].toLowerCase()}` : 'yet'}.</Text>}
      {claims && claims.length > 0 && (
        <Table highlightOnHover data-testid="claims-table" aria-label="Claims">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Claim</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Payer</Table.Th>
              <Table.Th>Service date</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Charged</Table.Th>
              <Table.Th ta="right">Paid</Table.Th>
              <Table.Th>Findings</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {claims.map((c) => (
              <ClickableRow key={c.id} onActivate={() => setOpen(c.id)} data-testid="claim-row" data-claim={c.claimNumber}>
                <Table.Td ff="monospace">{c.claimNumber}</Table.Td>
                <Table.Td>{c.patientName}</Table.Td>
                <Table.Td>{c.payerName ?? 'Self-pay'}</Table.Td>
                <Table.Td>{c.serviceDate}</Table.Td>
                <Table.Td>
                  <StatusBadge status={c.status} />
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatCents(c.totalCents)}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatCents(c.paidCents)}
                </Table.Td>
                <Table.Td data-testid="claim-findings-count">
                  {c.errors === 0 && c.warnings === 0 ? 'none' : `${c.errors} error(s), ${c.warnings} warning(s)`}
                </Table.Td>
              </ClickableRow>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ClaimDetail
        key={open ?? 'none'}
        claimId={open}
        onClose={(changed) => {
          setOpen(null);
          if (changed) void refreshClaims();
        }}
      />
    </Stack>
  );
}
