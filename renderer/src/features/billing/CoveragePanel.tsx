import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { RANKS, type Coverage } from '../../../../shared/domain/billing/model';
import { api } from '../../lib/api';
import { useSession } from '../../stores/session.store';
import { CoverageCard } from './CoverageCard';
import { CoverageForm } from './CoverageForm';

/**
 * A patient's coverages in order (primary, secondary, tertiary) with each one's last eligibility
 * answer: in the chart's demographics (registration) and in the check-in checklist.
 * `onLoaded` tells the check-in dialog what is on file.
 */
export function CoveragePanel({
  patientId,
  headingOrder = 4,
  onLoaded,
}: {
  patientId: string;
  headingOrder?: 2 | 3 | 4;
  onLoaded?: (c: Coverage[]) => void;
}): ReactElement {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [list, setList] = useState<Coverage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  // The latest callback, so a parent's inline function does not reload the list on every render.
  const loaded = useRef(onLoaded);
  useEffect(() => {
    loaded.current = onLoaded;
  });
  const load = useCallback(
    () =>
      void api['billing.coverages']({ patientId }).then((r) => {
        if (!r.ok) return setError(r.error.message);
        setList(r.value);
        loaded.current?.(r.value);
      }),
    [patientId],
  );
  useEffect(load, [load]);
  const nextRank = RANKS.find((k) => !list?.some((c) => c.rank === k && !c.effectiveTo)) ?? 'primary';
  return (
    <Stack gap="xs" data-testid="coverage-panel">
      <Group justify="space-between">
        <Title order={headingOrder} size="h4">
          Insurance coverage
        </Title>
        {mayCall(role, 'billing.addCoverage') && !adding && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)} data-testid="coverage-add">
            Add coverage
          </Button>
        )}
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!list && !error && <Loader size="sm" />}
      {list?.length === 0 && !adding && <Text c="dimmed">No coverage on file: self-pay unless a card is added.</Text>}
      {list?.map((c) => (
        <CoverageCard key={c.id} c={c} onChanged={load} />
      ))}
      {adding && (
        <CoverageForm
          patientId={patientId}
          rank={nextRank}
          onCancel={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            load();
          }}
        />
      )}
    </Stack>
  );
}
