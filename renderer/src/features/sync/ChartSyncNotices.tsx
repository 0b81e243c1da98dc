import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { ChartLinks } from '../../../../shared/domain/sync-review';
import { api } from '../../lib/api';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';

/**
 * Under a chart's banner: "merged into X" (with a link), "also recorded as <MRN> (merged)" with
 * unmerge, and a link to the chart's open sync conflicts.
 */
export function ChartSyncNotices({ patientId }: { patientId: string }): ReactElement | null {
  const go = useNav((s) => s.go);
  const role = useSession((s) => s.session?.user?.role ?? null);
  const [links, setLinks] = useState<ChartLinks | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => void api['patients.links']({ id: patientId }).then((r) => (r.ok ? setLinks(r.value) : setError(r.error.message))),
    [patientId],
  );
  useEffect(load, [load]);
  const unmerge = async (id: string): Promise<void> => {
    const r = await api['patients.unmerge']({ id });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    load();
  };
  if (!links) return null;
  const canUnmerge = mayCall(role, 'patients.unmerge');
  const into = links.mergedInto;
  return (
    <Stack gap="xs">
      {error && <Alert color="red">{error}</Alert>}
      {into && (
        <Alert color="orange" variant="light" data-testid="merged-into">
          <Group justify="space-between">
            <Text size="sm">
              This chart was merged into{' '}
              <Anchor component="button" onClick={() => go({ name: 'chart', patientId: into.id })} data-testid="merged-into-link">
                {into.name}
                {into.mrn ? ` (MRN ${into.mrn})` : ''}
              </Anchor>
              : record new care there. Nothing here was moved or deleted.
            </Text>
            {canUnmerge && (
              <Button size="xs" variant="default" onClick={() => void unmerge(patientId)} data-testid="unmerge-self">
                Unmerge
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {links.mergedHere.map((m) => (
        <Alert key={m.id} color="blue" variant="light" data-testid={`merged-here-${m.id}`}>
          <Group justify="space-between">
            <Text size="sm">
              Also recorded as{' '}
              <Anchor component="button" onClick={() => go({ name: 'chart', patientId: m.id })}>
                MRN {m.mrn ?? '(restricted)'}
              </Anchor>{' '}
              (merged)
            </Text>
            {canUnmerge && (
              <Button size="xs" variant="default" onClick={() => void unmerge(m.id)} data-testid={`unmerge-${m.id}`}>
                Unmerge
              </Button>
            )}
          </Group>
        </Alert>
      ))}
      {links.openConflicts > 0 && (
        <Alert color="yellow" variant="light" data-testid="chart-conflicts">
          <Group justify="space-between">
            <Text size="sm">
              {links.openConflicts === 1 ? 'One sync conflict on this chart needs' : `${links.openConflicts} sync conflicts on this chart need`} a decision
              (changed on two devices while apart, or a possible duplicate).
            </Text>
            <Button size="xs" variant="light" onClick={() => go({ name: 'conflicts', patientId })} data-testid="chart-conflicts-review">
              Review
            </Button>
          </Group>
        </Alert>
      )}
    </Stack>
  );
}
