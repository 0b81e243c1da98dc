import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { ReconcileItemView, ReconcileSectionView } from '../../../../shared/api/ccda.contract';
import { api } from '../../lib/api';
import { MATCH_BADGES, SECTION_LABELS } from './labels';

type Decision = 'accept' | 'ignore';

/** One item: what it is, where it came from, how it stands beside the chart, and the two decisions. */
function ItemRow({ item, busy, onDecide }: { item: ReconcileItemView; busy: boolean; onDecide: (ids: string[], d: Decision) => void }): ReactElement {
  const badge = MATCH_BADGES[item.match];
  const describedBy = `reconcile-item-${item.id}`;
  return (
    <Table.Tr data-testid="reconcile-item" data-item-id={item.id} data-match={item.match}>
      <Table.Td>
        <Text size="sm" id={describedBy}>
          {item.summary}
        </Text>
        <Text size="xs" c="dimmed">
          {[item.code && `${item.codeSystem ?? 'code'} ${item.code}`, item.itemDate && `dated ${item.itemDate}`, item.sourceLabel].filter(Boolean).join(' · ')}
        </Text>
      </Table.Td>
      <Table.Td w={150}>
        <Badge color={badge.color} variant="light" data-testid="reconcile-match">
          {badge.label}
        </Badge>
      </Table.Td>
      <Table.Td w={190}>
        {/* The names stay "Accept" and "Ignore"; the item they act on is their description. */}
        <Group gap={4} wrap="nowrap">
          <Button size="compact-sm" aria-describedby={describedBy} disabled={busy} onClick={() => onDecide([item.id], 'accept')}>
            Accept
          </Button>
          <Button size="compact-sm" variant="default" aria-describedby={describedBy} disabled={busy} onClick={() => onDecide([item.id], 'ignore')}>
            Ignore
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** A section's pending items with "Accept all in …" and "Ignore all in …". */
function SectionCard({
  section,
  busy,
  onDecide,
}: {
  section: ReconcileSectionView;
  busy: boolean;
  onDecide: (ids: string[], d: Decision) => void;
}): ReactElement {
  const label = SECTION_LABELS[section.section];
  const ids = section.items.map((i) => i.id);
  const headingId = `reconcile-section-${section.section}`;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={headingId} data-testid="reconcile-section" data-section={section.section}>
      <Group justify="space-between" mb="xs">
        <Title order={4} id={headingId}>
          {label} ({section.items.length})
        </Title>
        <Group gap="xs">
          <Button size="xs" disabled={busy} onClick={() => onDecide(ids, 'accept')}>
            Accept all in {label}
          </Button>
          <Button size="xs" variant="default" disabled={busy} onClick={() => onDecide(ids, 'ignore')}>
            Ignore all in {label}
          </Button>
        </Group>
      </Group>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Beside the chart</Table.Th>
            <Table.Th>Decision</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {section.items.map((i) => (
            <ItemRow key={i.id} item={i} busy={busy} onDecide={onDecide} />
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/**
 * The pending items of the chart's received records, section by section (the ONC clinical
 * information reconciliation): accepted items are written into the chart by the backend and leave
 * this list; ignored ones leave it too, and nothing is written.
 */
export function ReconcileItems({ sections, onDecided }: { sections: ReconcileSectionView[]; onDecided: (message: string) => void }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = async (itemIds: string[], decision: Decision): Promise<void> => {
    setBusy(true);
    const r = await api['ccda.decide']({ itemIds, decision });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    const n = r.value.length;
    const what = n === 1 ? `"${r.value[0]?.summary ?? 'the item'}"` : `${n} items`;
    onDecided(decision === 'accept' ? `Accepted ${what} into the chart.` : `Ignored ${what}: nothing was written into the chart.`);
  };
  const pending = sections.filter((s) => s.items.length > 0);
  return (
    <Stack gap="sm" data-testid="reconcile-items">
      <Title order={3}>Waiting for a decision</Title>
      {error && (
        <Alert color="red" data-testid="reconcile-error">
          {error}
        </Alert>
      )}
      {pending.length === 0 ? (
        <Text c="dimmed" data-testid="reconcile-none">
          Nothing waits for a decision.
        </Text>
      ) : (
        pending.map((s) => <SectionCard key={s.section} section={s} busy={busy} onDecide={(ids, d) => void decide(ids, d)} />)
      )}
    </Stack>
  );
}
