import type { ResultView, ThreadSummary } from '../../../../shared/api/portal-http';

/**
 * What this browser has already shown, so Home can say "new": the newest release time of the
 * results looked at, and each conversation's message count when last opened. Kept per account and
 * chart in localStorage; it holds ids and times only, no health information.
 */
interface Seen {
  resultsAt: string | null;
  threads: Record<string, number>;
}

const key = (accountId: string, patientId: string): string => `cairn-portal-seen:${accountId}:${patientId}`;

function read(accountId: string, patientId: string): Seen {
  try {
    const raw = JSON.parse(localStorage.getItem(key(accountId, patientId)) ?? 'null') as Partial<Seen> | null;
    return {
      resultsAt: typeof raw?.resultsAt === 'string' ? raw.resultsAt : null,
      threads: raw?.threads && typeof raw.threads === 'object' ? raw.threads : {},
    };
  } catch {
    return { resultsAt: null, threads: {} };
  }
}
function write(accountId: string, patientId: string, s: Seen): void {
  try {
    localStorage.setItem(key(accountId, patientId), JSON.stringify(s));
  } catch {
    // Storage refused: "new" is shown again next time, nothing worse.
  }
}

/** Results released after the last look (all of them on a first visit). */
export function newResults(accountId: string, patientId: string, results: readonly ResultView[]): ResultView[] {
  const at = read(accountId, patientId).resultsAt;
  return results.filter((r) => at === null || r.releasedAt > at);
}

export function markResultsSeen(accountId: string, patientId: string, results: readonly ResultView[]): void {
  if (results.length === 0) return;
  const s = read(accountId, patientId);
  const newest = results.reduce((m, r) => (r.releasedAt > m ? r.releasedAt : m), s.resultsAt ?? '');
  write(accountId, patientId, { ...s, resultsAt: newest });
}

/** Conversations with more messages than when last opened here. */
export function unreadThreads(accountId: string, patientId: string, threads: readonly ThreadSummary[]): Set<string> {
  const seen = read(accountId, patientId).threads;
  return new Set(threads.filter((t) => t.messages > (seen[t.id] ?? 0)).map((t) => t.id));
}

export function markThreadSeen(accountId: string, patientId: string, thread: { id: string; messages: number }): void {
  const s = read(accountId, patientId);
  write(accountId, patientId, { ...s, threads: { ...s.threads, [thread.id]: thread.messages } });
}
