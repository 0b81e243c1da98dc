import { create } from 'zustand';
import type { Role } from '../../../shared/domain/user';
import { homeView } from './screens';

export type View =
  | { name: 'search' }
  | { name: 'register' }
  | { name: 'schedule' }
  | { name: 'flow-board' }
  | { name: 'portal-inbox' }
  | { name: 'documents-inbox' }
  | { name: 'referrals'; tab?: 'overdue' | 'address-book' }
  | { name: 'care' }
  | { name: 'users' }
  | { name: 'audit' }
  | { name: 'doctor' }
  | { name: 'import' }
  | { name: 'billing'; tab?: string }
  | { name: 'population'; tab?: 'due' | 'measures' }
  | { name: 'conflicts'; patientId?: string }
  | { name: 'chart'; patientId: string; tab?: string }
  | { name: 'encounter'; patientId: string; encounterId: string }
  | { name: 'labs-inbox'; tab?: 'inbox' | 'unmatched' };

interface NavStore {
  view: View;
  go: (view: View) => void;
  /** Back to the role's home screen, forgetting the patient and visit that were open. */
  home: (role: Role | null) => void;
}

/** Which screen is showing. Small enough that a router would be more than it needs. */
export const useNav = create<NavStore>()((set) => ({
  view: { name: 'search' },
  go: (view) => set({ view }),
  home: (role) => set({ view: homeView(role) }),
}));
