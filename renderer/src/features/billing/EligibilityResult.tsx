import { Badge, Group, Stack, Text } from '@mantine/core';
import type { ReactElement } from 'react';
import type { EligibilityView } from '../../../../shared/domain/billing/model';
import { formatCents } from '../../../../shared/domain/money';
import { when } from './labels';

const money = (c: number | null): string => (c === null ? 'not stated' : formatCents(c));

/** The payer's 271 answer as the front desk reads it at check-in: active or not, and what the patient will owe. */
export function EligibilityResult({ e }: { e: EligibilityView }): ReactElement {
  const state = e.active === null ? 'Not stated' : e.active ? 'Active' : 'Inactive';
  return (
    <Stack gap={2} data-testid="eligibility-result" data-active={String(e.active)} aria-label="Eligibility result">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Eligibility:
        </Text>
        <Badge color={e.active ? 'teal' : e.active === false ? 'red' : 'gray'} variant="light" data-testid="eligibility-status">
          {state}
        </Badge>
        <Text size="xs" c="dimmed" data-testid="eligibility-checked">
          checked {when(e.checkedAt)}
        </Text>
      </Group>
      <Text size="sm" data-testid="eligibility-detail">
        Plan: {e.planName ?? 'not stated'} · Copay: {money(e.copayCents)} · Coinsurance:{' '}
        {e.coinsurancePercent === null ? 'not stated' : `${e.coinsurancePercent}%`} · Deductible remaining: {money(e.deductibleRemainingCents)}
        {e.deductibleCents !== null && ` of ${formatCents(e.deductibleCents)}`}
      </Text>
      {e.messages.map((m) => (
        <Text key={m} size="xs" c="dimmed">
          {m}
        </Text>
      ))}
    </Stack>
  );
}
