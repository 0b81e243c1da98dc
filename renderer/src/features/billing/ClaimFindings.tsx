import { Alert, Badge, List, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { ClaimStatus, Finding } from '../../../../shared/domain/billing/model';
import { STATUS_COLORS, STATUS_LABELS } from './labels';

export function StatusBadge({ status }: { status: ClaimStatus }): ReactElement {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="claim-status" data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The scrubber's findings, errors first: each a sentence a biller can act on. Errors keep the claim out of a batch. */
export function ClaimFindings({ findings }: { findings: Finding[] }): ReactElement {
  if (findings.length === 0)
    return (
      <Text size="sm" data-testid="claim-findings-none">
        The scrubber found nothing to fix.
      </Text>
    );
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return (
    <Alert
      color={errors > 0 ? 'red' : 'orange'}
      variant="light"
      title={errors > 0 ? `${errors} to fix before this claim can be sent` : 'Warnings'}
      data-testid="claim-findings"
    >
      <List size="sm" spacing={2}>
        {sorted.map((f) => (
          <List.Item key={`${f.field}:${f.message}`} data-testid={`finding-${f.severity}`}>
            <b>{f.severity === 'error' ? 'Error' : 'Warning'}:</b> {f.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
