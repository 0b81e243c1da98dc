import { create } from 'zustand';
import type { Out } from '../../../../shared/api/contract';
import type { ClaimStatus, Payer } from '../../../../shared/domain/billing/model';
import { api } from '../../lib/api';
import { clearedOnSignOut } from '../../stores/sign-out';

export type ClaimItem = Out<'billing.claims'>[number];

interface BillingStore {
  /** The payer directory, loaded once per signed-in person (refreshed after a payer is added). */
  payers: Payer[] | null;
  /** The worklist's status filter; null shows every status. */
  status: ClaimStatus | null;
  claims: ClaimItem[] | null;
  error: string | null;
  loadPayers: (force?: boolean) => Promise<void>;
  setStatus: (status: ClaimStatus | null) => Promise<void>;
  refreshClaims: () => Promise<void>;
}

/** The billing area's shared state: the payer directory (used by every coverage form) and the claims worklist. */
export const useBilling = clearedOnSignOut(
  create<BillingStore>()((set, get) => ({
    payers: null,
    status: 'ready',
    claims: null,
    error: null,
    async loadPayers(force = false) {
      if (get().payers && !force) return;
      const r = await api['billing.payers']({});
      set(r.ok ? { payers: r.value } : { error: r.error.message });
    },
    async setStatus(status) {
      set({ status, claims: null });
      await get().refreshClaims();
    },
    async refreshClaims() {
      const status = get().status;
      const r = await api['billing.claims'](status ? { status } : {});
      // An answer for a filter no longer chosen (the biller clicked on meanwhile) is dropped.
      if (get().status !== status) return;
      set(r.ok ? { claims: r.value, error: null } : { error: r.error.message });
    },
  })),
);
