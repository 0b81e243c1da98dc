import { create } from 'zustand';
import type { InboxPage, InboxScope } from '../../../../shared/domain/lab-review';
import type { Role } from '../../../../shared/domain/user';
import { api } from '../../lib/api';
import { clearedOnSignOut } from '../../stores/sign-out';

interface LabsStore {
  /** The page of the inbox in `scope`, with the true number waiting (`total`). */
  inbox: InboxPage | null;
  /** Whose results; null until chosen: the role's default (defaultScope). */
  scope: InboxScope | null;
  error: string | null;
  refresh: (scope?: InboxScope) => Promise<void>;
  acknowledge: (ids: string[], note?: string) => Promise<string | null>;
  /** Forgets the inbox (sign-out, lock): the next person never sees the last one's. */
  reset: () => void;
}

/** A physician starts on their own results and the shared queue; a nurse or an administrator on everyone's. */
export function defaultScope(role: Role | null): InboxScope {
  return role === 'physician' ? 'mine' : 'all';
}

/** The results inbox; the header's badge shows how many results wait for review. */
export const useLabs = clearedOnSignOut(
  create<LabsStore>()((set, get) => ({
    inbox: null,
    scope: null,
    error: null,
    async refresh(scope) {
      const s = scope ?? get().scope ?? 'mine';
      set({ scope: s });
      const r = await api['labs.inbox']({ scope: s });
      // An answer for a scope no longer chosen (the person switched meanwhile) is dropped.
      if (get().scope !== s) return;
      set(r.ok ? { inbox: r.value, error: null } : { error: r.error.message });
    },
    async acknowledge(ids, note) {
      const r = await api['labs.acknowledge']({ observationIds: ids, ...(note && { note }) });
      await get().refresh();
      return r.ok ? null : r.error.message;
    },
    reset() {
      set({ inbox: null, scope: null, error: null });
    },
  })),
);
