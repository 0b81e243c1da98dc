import { create } from 'zustand';
import type { SyncStatusView } from '../../../../shared/domain/sync-review';
import { api } from '../../lib/api';
import { clearedOnSignOut } from '../../stores/sign-out';

interface SyncStore {
  status: SyncStatusView | null;
  /** A "Sync now" the person asked for is running. */
  busy: boolean;
  refresh: () => Promise<void>;
  syncNow: () => Promise<void>;
}

/** The sync status the header and the Conflicts badge show; polled while someone is signed in. */
export const useSync = clearedOnSignOut(
  create<SyncStore>()((set) => ({
    status: null,
    busy: false,
    async refresh() {
      const r = await api['sync.status']({});
      // A failed poll (signed out meanwhile) keeps the last status: the session gate takes over.
      if (r.ok) set({ status: r.value });
    },
    async syncNow() {
      set({ busy: true });
      const r = await api['sync.now']({});
      set(r.ok ? { status: r.value, busy: false } : { busy: false });
    },
  })),
);

/** "just now", "3 min ago", "2 h ago", or the date. */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}
