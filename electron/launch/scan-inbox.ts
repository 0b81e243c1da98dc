import { DocumentsService } from '../services/records/documents.service';
import { readInboxDir } from '../services/records/inbox-settings';
import { ScanInbox } from '../services/records/scan-inbox';
import type { Repos } from '../services/repos';
import type { Actor } from '../services/repos/writer';
import type { Session } from '../services/session';

/** Roles that may write documents (shared/sync/entities.ts RECORDS_STAFF): the clinic server refuses others' changes. */
const MAY_KEEP = new Set(['physician', 'nurse', 'front_desk']);

export interface DesktopScanInbox {
  /** The folder being watched now (null: none, or the database is locked). */
  watching(): string | null;
  close(): Promise<void>;
}

export interface DesktopScanInboxOptions {
  log: { info: (line: string) => void; warn: (line: string) => void };
  /** How often the setting and the lock are looked at again (default 5 s). */
  checkMs?: number;
  pollMs?: number;
  settleMs?: number;
}

/**
 * The desktop's scan/fax inbox: while the database is unlocked and this device has a scan folder
 * (documents.setInboxSettings), its files become unfiled documents. They are recorded as the
 * signed-in physician, nurse or front-desk user: the sync accepts a change only from someone who
 * signed in here (sync.client.ts), so with nobody (or another role) signed in the files wait in the
 * folder. A changed setting or a new unlock is taken up at the next check.
 */
export function startDesktopScanInbox(session: Session, o: DesktopScanInboxOptions): DesktopScanInbox {
  let current: { inbox: ScanInbox; repos: Repos; dir: string } | null = null;
  const actor = (): Actor | null => {
    const s = session.status();
    return s.state === 'signedIn' && s.user && MAY_KEEP.has(s.user.role) ? { userId: s.user.id } : null;
  };
  const stop = (): Promise<void> => {
    const was = current;
    current = null;
    return was ? was.inbox.stop() : Promise.resolve();
  };
  const check = (): void => {
    if (session.status().state === 'locked' || session.status().state === 'uninitialized') {
      void stop();
      return;
    }
    const repos = session.repos;
    const dir = readInboxDir(repos.store.sqlite);
    if (current && current.repos === repos && current.dir === dir) return;
    void stop();
    if (!dir) return;
    const inbox = new ScanInbox({
      dir,
      documents: new DocumentsService(repos),
      actor,
      ...(o.pollMs !== undefined && { pollMs: o.pollMs }),
      ...(o.settleMs !== undefined && { settleMs: o.settleMs }),
      onFile: (f) => o.log.info(f.status === 'added' ? `scan inbox: kept ${f.file} as document ${f.documentId}` : `scan inbox: refused ${f.file}: ${f.reason}`),
      onError: (m) => o.log.warn(`scan inbox: ${m}`),
    });
    current = { inbox, repos, dir };
    inbox.start();
    o.log.info(`scan inbox: watching ${dir}`);
  };
  // Important: stop before the database closes, so no pass writes to a closed connection.
  session.whenLocked(() => void stop());
  const timer = setInterval(check, o.checkMs ?? 5000);
  timer.unref();
  check();
  return {
    watching: () => current?.dir ?? null,
    close: async () => {
      clearInterval(timer);
      await stop();
    },
  };
}
