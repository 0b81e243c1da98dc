import { restingStatus, type SyncStatus } from './controller';
import { syncCounts } from './sync-counts';
import type { syncChannels } from '../../../shared/api/sync.contract';
import type { AreaHandlers, HandlerContext, SignedIn } from '../handler-context';
import type { Session } from '../session';

/** The status of a device with no sync worker (the command line, a device never enrolled). */
function withoutSync(sqlite: Session['repos']['store']['sqlite']): SyncStatus {
  return restingStatus(syncCounts(sqlite), 'not_enrolled');
}

/** The sync area's handlers, one per channel of shared/api/sync.contract.ts. */
export function syncHandlers({ session, sync }: HandlerContext): AreaHandlers<typeof syncChannels> {
  const syncStatus = (me: SignedIn, s?: SyncStatus): SyncStatus =>
    // Counted for this role: front desk sees demographics conflicts only.
    ({ ...(s ?? sync?.status() ?? withoutSync(session.repos.store.sqlite)), conflictsOpen: session.repos.conflicts.openCount(me.viewer.role) });
  return {
    'sync.status': (_i, me) => syncStatus(me),
    'sync.now': async (_i, me) => {
      return syncStatus(me, sync ? await sync.syncNow() : undefined);
    },
    'sync.conflicts.list': (i, me) => {
      // The values are chart data: listing them is audited like reading the chart.
      const v = me.viewer;
      session.repos.writer.read('sync.conflict_list', v, i.patientId ?? null);
      return session.repos.conflicts.list(v, i);
    },
    'sync.conflicts.resolve': (i, me) => session.repos.conflicts.resolve(i.id, i.choice, i.note, me.viewer),
    'sync.conflicts.dismiss': (i, me) => session.repos.conflicts.dismiss(i.id, i.reason, me.viewer),
    'sync.quarantine.list': (i, me) => {
      const v = me.viewer;
      session.repos.writer.read('sync.quarantine_list', v, null);
      return session.repos.quarantine.list(v, i.includeReviewed);
    },
    'sync.quarantine.review': (i, me) => session.repos.quarantine.review(i.deviceId, i.seq, i.note, me.viewer),
  };
}
