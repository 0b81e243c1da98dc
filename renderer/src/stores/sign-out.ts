import type { StoreApi } from 'zustand';

// Stores whose contents belong to the person signed in (an inbox, a loaded list, a chosen patient).
const stores = new Set<StoreApi<unknown>>();

/**
 * Marks a zustand store as the signed-in person's: signing out, locking or an idle sign-out puts it
 * back to its initial state, so the next person never sees what the last one had open.
 * Use as `export const useX = clearedOnSignOut(create<X>()(...))`.
 */
export function clearedOnSignOut<T, S extends StoreApi<T>>(store: S & StoreApi<T>): S {
  stores.add(store);
  return store;
}

/** Puts every marked store back to its initial state (drafts already saved stay in the database). */
export function clearMemory(): void {
  for (const s of stores) s.setState(s.getInitialState(), true);
}
