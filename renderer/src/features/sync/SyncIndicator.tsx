import { Badge, Button, Group, Progress, Text, Tooltip } from '@mantine/core';
import { useEffect, type ReactElement } from 'react';
import { mayCall } from '../../../../shared/api/permissions';
import type { SyncStatusView } from '../../../../shared/domain/sync-review';
import { NavButton } from '../../components';
import { useNav } from '../../stores/nav.store';
import { useSession } from '../../stores/session.store';
import { ago, useSync } from './sync.store';

const POLL_MS = 4_000;

const STATE: Record<SyncStatusView['state'], { label: string; color: string }> = {
  not_enrolled: { label: 'Not syncing', color: 'gray' },
  idle: { label: 'Online', color: 'teal' },
  syncing: { label: 'Syncing…', color: 'blue' },
  offline: { label: 'Offline', color: 'orange' },
  error: { label: 'Sync error', color: 'red' },
};

function explain(s: SyncStatusView): string {
  if (s.state === 'not_enrolled') return 'This device is not enrolled with a clinic server: charts stay on this device.';
  if (s.error) return `${s.error.message}${s.nextAttemptAt ? ` (next try ${new Date(s.nextAttemptAt).toLocaleTimeString()})` : ''}`;
  return s.serverUrl ? `Clinic server ${s.serverUrl}` : '';
}

/**
 * The header's sync state: online / offline / syncing / error, when this device last synced, how
 * many changes wait to be sent, a progress bar while a long sync runs, and "Sync now".
 */
export function SyncIndicator(): ReactElement | null {
  const status = useSync((s) => s.status);
  const busy = useSync((s) => s.busy);
  const refresh = useSync((s) => s.refresh);
  const syncNow = useSync((s) => s.syncNow);
  useEffect(() => {
    void refresh();
    // The backend does not count these polls as activity: an idle screen still signs out.
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  if (!status) return null;
  const state = STATE[status.state];
  const detail = [
    status.lastSyncedAt ? `synced ${ago(status.lastSyncedAt)}` : status.state === 'not_enrolled' ? null : 'not synced yet',
    status.pending > 0 ? `${status.pending} waiting` : status.state === 'not_enrolled' ? null : 'all sent',
    status.quarantined > 0 ? `${status.quarantined} refused` : null,
  ].filter(Boolean);
  const { progress } = status;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="sync-indicator">
      <Tooltip label={explain(status)} disabled={!explain(status)} multiline w={320}>
        <Badge color={state.color} variant="light" data-testid="sync-state" data-state={status.state}>
          {state.label}
        </Badge>
      </Tooltip>
      <Text size="xs" c="dimmed" data-testid="sync-detail">
        {detail.join(' · ')}
      </Text>
      {progress && (
        <Tooltip label={`${progress.phase === 'push' ? 'Sending' : 'Receiving'} ${progress.done} of ${progress.total}`}>
          <Progress value={Math.min(100, (100 * progress.done) / Math.max(progress.total, 1))} w={80} size="sm" animated data-testid="sync-progress" />
        </Tooltip>
      )}
      {status.state !== 'not_enrolled' && (
        <Button size="compact-xs" variant="default" loading={busy || status.state === 'syncing'} onClick={() => void syncNow()} data-testid="sync-now">
          Sync now
        </Button>
      )}
    </Group>
  );
}

/** The nav entry to the Conflicts screen, with the open count as a badge (for roles that settle conflicts). */
export function ConflictsNavButton(): ReactElement | null {
  const role = useSession((s) => s.session?.user?.role ?? null);
  const open = useSync((s) => (s.status ? s.status.conflictsOpen + s.status.quarantined : 0));
  const go = useNav((s) => s.go);
  const active = useNav((s) => s.view.name === 'conflicts');
  if (!mayCall(role, 'sync.conflicts.list') && !mayCall(role, 'sync.quarantine.list')) return null;
  return (
    <NavButton
      active={active}
      onClick={() => go({ name: 'conflicts' })}
      data-testid="nav-conflicts"
      rightSection={
        open > 0 ? (
          <Badge color="red" size="sm" circle data-testid="conflicts-badge">
            {open}
          </Badge>
        ) : undefined
      }
    >
      Conflicts
    </NavButton>
  );
}
