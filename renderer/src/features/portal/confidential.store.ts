import { create } from 'zustand';
import type { ConfidentialMark, CONFIDENTIAL_RECORD_TYPES } from '../../../../shared/api/portal.contract';
import { api } from '../../lib/api';
import { clearedOnSignOut } from '../../stores/sign-out';

export type RecordType = (typeof CONFIDENTIAL_RECORD_TYPES)[number];

interface ConfidentialStore {
  /** The open chart's marks by `recordType:recordId` (one chart at a time). */
  patientId: string | null;
  marks: Record<string, ConfidentialMark>;
  error: string | null;
  load: (patientId: string) => Promise<void>;
  mark: (patientId: string, recordType: RecordType, recordId: string, hidden: boolean) => Promise<string | null>;
}

export const markKey = (recordType: string, recordId: string): string => `${recordType}:${recordId}`;

/** The chart's "hidden from proxy" marks, loaded once per chart and shared by its lists. */
export const useConfidential = clearedOnSignOut(
  create<ConfidentialStore>()((set, get) => ({
    patientId: null,
    marks: {},
    error: null,
    async load(patientId) {
      if (get().patientId !== patientId) set({ patientId, marks: {} });
      const r = await api['portal.confidentialList']({ patientId });
      if (get().patientId !== patientId) return;
      set(r.ok ? { marks: Object.fromEntries(r.value.map((m) => [markKey(m.recordType, m.recordId), m])), error: null } : { error: r.error.message });
    },
    async mark(patientId, recordType, recordId, hidden) {
      const r = await api['portal.confidential']({ patientId, recordType, recordId, hidden });
      if (!r.ok) return r.error.message;
      if (get().patientId === patientId) set((s) => ({ marks: { ...s.marks, [markKey(recordType, recordId)]: r.value } }));
      return null;
    },
  })),
);
