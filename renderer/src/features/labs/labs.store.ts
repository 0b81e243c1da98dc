import { create } from 'zustand';
import type { InboxItem } from '../../../../shared/domain/lab-review';
import { api } from '../../lib/api';

interface LabsStore {
  inbox: InboxItem[] | null;
  error: string | null;
  refresh: () => Promise<void>;
  acknowledge: (ids: string[], note?: string) => Promise<string | null>;
}

/** The results inbox; the header's badge shows how many results wait for review. */
export const useLabs = create<LabsStore>()((set, get) => ({
  inbox: null,
  error: null,
  async refresh() {
    const r = await api['labs.inbox']({});
    set(r.ok ? { inbox: r.value, error: null } : { error: r.error.message });
  },
  async acknowledge(ids, note) {
    const r = await api['labs.acknowledge']({ observationIds: ids, ...(note && { note }) });
    await get().refresh();
    return r.ok ? null : r.error.message;
  },
}));
