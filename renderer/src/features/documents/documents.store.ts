import { create } from 'zustand';
import { api } from '../../lib/api';

interface DocumentsStore {
  /** Documents waiting in the unfiled scan/fax queue (the navigation's count). */
  unfiled: number;
  /** When the newest of them was added: the inbox screen reloads its list when this or the count moves. */
  newestAt: string | null;
  refreshInbox: () => Promise<void>;
}

/** How often the navigation asks for the count, so a fax the watched folder took in shows without a click. */
export const INBOX_POLL_MS = 10_000;

/** The inbox count shared by the navigation button and the screens that file or add documents. */
export const useDocuments = create<DocumentsStore>()((set) => ({
  unfiled: 0,
  newestAt: null,
  refreshInbox: async () => {
    const r = await api['documents.inboxCount']({});
    if (r.ok) set({ unfiled: r.value.waiting, newestAt: r.value.newestAt });
  },
}));
