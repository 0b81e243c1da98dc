import { create } from 'zustand';
import type { SessionState } from '../../../shared/api/contract';
import type { CairnError, Result } from '../../../shared/api/result';
import { api } from '../lib/api';

interface SessionStore {
  session: SessionState | null;
  error: CairnError | null;
  busy: boolean;
  refresh: () => Promise<void>;
  /** Runs a session call and keeps its returned state; returns the error, if any. */
  run: (call: () => Promise<Result<SessionState>>) => Promise<CairnError | null>;
}

export const useSession = create<SessionStore>()((set) => ({
  session: null,
  error: null,
  busy: false,
  async refresh() {
    const r = await api['session.status']({});
    set(r.ok ? { session: r.value, error: null } : { error: r.error });
  },
  async run(call) {
    set({ busy: true, error: null });
    const r = await call();
    if (r.ok) {
      set({ session: r.value, busy: false });
      return null;
    }
    set({ error: r.error, busy: false });
    return r.error;
  },
}));
