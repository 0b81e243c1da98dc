import { Alert, Badge, Group, Stack, Text, TextInput } from '@mantine/core';
import type { ReactElement } from 'react';
import type { MedAlert } from '../../../../shared/domain/drugs';

const COLOR = { contraindicated: 'red', major: 'orange', moderate: 'yellow' } as const;

/** Safety alerts, most severe first; major and contraindicated ones take an override reason. */
export function AlertList({
  alerts,
  reasons = {},
  onReason,
  uncoded,
}: {
  alerts: MedAlert[];
  reasons?: Record<string, string>;
  onReason?: (ruleId: string, reason: string) => void;
  uncoded: string[];
}): ReactElement {
  return (
    <Stack gap="xs" data-testid="med-alerts">
      {alerts.length === 0 && (
        <Text size="sm" c="teal">
          No interactions, allergy, duplicate or dose alerts.
        </Text>
      )}
      {alerts.map((a) => (
        <Alert
          key={a.ruleId}
          color={COLOR[a.severity]}
          data-testid={`med-alert-${a.severity}`}
          title={
            <Group gap="xs">
              <Badge color={COLOR[a.severity]}>{a.severity}</Badge>
              <Text fw={600}>{a.kind.replace('-', '–')}</Text>
            </Group>
          }
        >
          <Text size="sm">{a.message}</Text>
          <Text size="xs" c="dimmed">
            Source: {a.source}
          </Text>
          {onReason && a.severity !== 'moderate' && (
            <TextInput
              mt="xs"
              size="xs"
              label="Reason to override"
              placeholder="e.g. benefits outweigh risk; INR monitoring arranged"
              value={reasons[a.ruleId] ?? ''}
              onChange={(e) => onReason(a.ruleId, e.currentTarget.value)}
              data-testid={`override-${a.ruleId}`}
            />
          )}
        </Alert>
      ))}
      {uncoded.length > 0 && (
        <Alert color="gray" data-testid="uncoded-warning">
          No checks ran on {uncoded.join(', ')}: entered as free text (uncoded).
        </Alert>
      )}
    </Stack>
  );
}
