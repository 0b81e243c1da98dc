import { Badge, Button, Group, Text } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import { useSession } from '../../stores/session.store';
import { markKey, useConfidential, type RecordType } from './confidential.store';

/** Loads the chart's confidential marks (once per chart); lists that show marks call it. */
export function useConfidentialMarks(patientId: string): boolean {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const allowed = mayCall(role, 'portal.confidentialList');
  const load = useConfidential((s) => s.load);
  useEffect(() => {
    if (allowed) void load(patientId);
  }, [allowed, load, patientId]);
  return allowed;
}

/**
 * A chart item's "hidden from proxy (12–17)" mark: a small badge when set, and for physicians and
 * nurses a button to set or clear it. A parent or guardian on the portal does not see a marked item
 * while the patient is 12–17 (the portal's rule); the patient does.
 */
export function ConfidentialMark({
  patientId,
  recordType,
  recordId,
  itemLabel,
}: {
  patientId: string;
  recordType: RecordType;
  recordId: string;
  /** What the item is, for the button's accessible name ("Hide from proxy: Essential hypertension"). */
  itemLabel: string;
}): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const mark = useConfidential((s) => (s.patientId === patientId ? s.marks[markKey(recordType, recordId)] : undefined));
  const setMark = useConfidential((s) => s.mark);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!mayCall(role, 'portal.confidentialList')) return null;
  const hidden = mark?.hidden === true;
  const toggle = async (): Promise<void> => {
    setBusy(true);
    setError(await setMark(patientId, recordType, recordId, !hidden));
    setBusy(false);
  };
  return (
    <Group gap={4} wrap="nowrap" data-testid="confidential-mark" data-hidden={hidden ? 'true' : 'false'}>
      {hidden && (
        <Badge
          size="xs"
          variant="light"
          color="grape"
          title="Not shown to a parent or guardian on the portal while the patient is 12–17"
          data-testid="confidential-badge"
        >
          Hidden from proxy
        </Badge>
      )}
      {mayCall(role, 'portal.confidential') && (
        <Button
          size="compact-xs"
          variant="subtle"
          loading={busy}
          onClick={(e) => {
            // Inside a row that opens something (a result's trend): this button only marks.
            e.stopPropagation();
            void toggle();
          }}
          aria-label={`${hidden ? 'Show to proxy' : 'Hide from proxy'}: ${itemLabel}`}
          data-testid="confidential-toggle"
        >
          {hidden ? 'Show to proxy' : 'Hide from proxy'}
        </Button>
      )}
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Group>
  );
}
