import { create } from 'zustand';
import { api } from '../../lib/api';

interface DocumentsStore {
  /** Documents waiting in the unfiled scan/fax queue (the navigation's count). */
  unfiled: number;
  refreshInbox: () => Promise<void>;
}

/** The inbox count shared by the navigation button and the screens that file or add documents. */
export const useDocuments = create<DocumentsStore>()((set) => ({
  unfiled: 0,
  refreshInbox: async () => {
    const r = await api['documents.inbox']({});
    if (r.ok) set({ unfiled: r.value.length });
  },
}));
