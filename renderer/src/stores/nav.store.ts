import { create } from 'zustand';

export type View =
  | { name: 'search' }
  | { name: 'register' }
  | { name: 'schedule' }
  | { name: 'flow-board' }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'import' }
  | { name: 'population'; tab?: 'due' | 'measures' }
  | { name: 'conflicts'; patientId?: string }
  | { name: 'chart'; patientId: string; tab?: string }
  | { name: 'encounter'; patientId: string; encounterId: string }
  | { name: 'labs-inbox'; tab?: 'inbox' | 'unmatched' };

interface NavStore {
  view: View;
  go: (view: View) => void;
}

/** Which screen is showing. Small enough that a router would be more than it needs. */
export const useNav = create<NavStore>()((set) => ({
  view: { name: 'search' },
  go: (view) => set({ view }),
}));
