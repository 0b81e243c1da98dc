import { create } from 'zustand';
import type { SessionState } from '../../../shared/api/contract';
import type { CairnError, Result } from '../../../shared/api/result';
import { api } from '../lib/api';
import { useNav } from './nav.store';
import { clearMemory } from './sign-out';

interface SessionStore {
  session: SessionState | null;
  error: CairnError | null;
  busy: boolean;
  refresh: () => Promise<void>;
  /** Runs a session call and keeps its returned state; returns the error, if any. */
  run: (call: () => Promise<Result<SessionState>>) => Promise<CairnError | null>;
}

/** Who is signed in: nobody unless the state says signed in. */
function signedInUser(s: SessionState | null): string | null {
  return s?.state === 'signedIn' ? (s.user?.id ?? null) : null;
}

/**
 * Important: when the signed-in person changes (sign-out, lock, an idle sign-out, another person
 * signing in), everything the last person had in memory goes: the screen, the open patient and
 * visit, loaded lists. The next person lands on their own home screen.
 */
function changePerson(before: SessionState | null, after: SessionState): void {
  if (signedInUser(before) === signedInUser(after)) return;
  clearMemory();
  useNav.getState().home(after.state === 'signedIn' ? (after.user?.role ?? null) : null);
}

export const useSession = create<SessionStore>()((set, get) => ({
  session: null,
  error: null,
  busy: false,
  async refresh() {
    const r = await api['session.status']({});
    if (!r.ok) return set({ error: r.error });
    changePerson(get().session, r.value);
    set({ session: r.value, error: null });
  },
  async run(call) {
    set({ busy: true, error: null });
    const r = await call();
    if (r.ok) {
      changePerson(get().session, r.value);
      set({ session: r.value, busy: false });
      return null;
    }
    set({ error: r.error, busy: false });
    return r.error;
  },
}));
