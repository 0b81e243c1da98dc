import { create } from 'zustand';
import type { PortalThreadSummary } from '../../../../shared/api/portal.contract';
import { api } from '../../lib/api';
import { clearedOnSignOut } from '../../stores/sign-out';

export type StatusFilter = 'open' | 'closed' | 'all';
export type AssignedFilter = 'me' | 'unassigned' | 'any';

interface PortalStore {
  status: StatusFilter;
  assigned: AssignedFilter;
  threads: PortalThreadSummary[] | null;
  /** Open threads whose patient wrote last (the header's count), whoever they are assigned to. */
  waiting: number;
  error: string | null;
  /** The thread shown beside the list. */
  openThreadId: string | null;
  setFilters: (f: { status?: StatusFilter; assigned?: AssignedFilter }) => Promise<void>;
  refresh: () => Promise<void>;
  refreshWaiting: () => Promise<void>;
  openThread: (id: string | null) => void;
}

/** The portal inbox: its filters, the threads they show and the thread open beside them. */
export const usePortal = clearedOnSignOut(
  create<PortalStore>()((set, get) => ({
    status: 'open',
    assigned: 'any',
    threads: null,
    waiting: 0,
    error: null,
    openThreadId: null,
    async setFilters(f) {
      set({ ...f, threads: null });
      await get().refresh();
    },
    async refresh() {
      const { status, assigned } = get();
      const r = await api['portal.inbox']({ status, assignedTo: assigned });
      // An answer for filters no longer chosen (the person clicked on meanwhile) is dropped.
      if (get().status !== status || get().assigned !== assigned) return;
      set(r.ok ? { threads: r.value, error: null } : { error: r.error.message });
      void get().refreshWaiting();
    },
    async refreshWaiting() {
      const r = await api['portal.inbox']({ status: 'open', assignedTo: 'any' });
      if (r.ok) set({ waiting: r.value.filter((t) => t.awaitingReply).length });
    },
    openThread(id) {
      set({ openThreadId: id });
    },
  })),
);
