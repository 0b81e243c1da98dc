import type Database from 'better-sqlite3';
import { z } from 'zod';
import { syncConfig } from './index';
import type { FetchLike } from './transport';

const answer = z.object({ head: z.object({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) }).nullable() });

/** What the clinic server holds as this device's audit head: `head` (null before the first push), or why it could not be asked. */
export type ServerAuditHead = { enrolled: false } | { enrolled: true; head: { seq: number; hash: string } | null } | { enrolled: true; error: string };

/**
 * Asks the clinic server for the head of this device's audit chain as it holds it (the anchor that
 * someone holding this device's key still cannot move). Never throws: an unreachable server is an
 * answer that says so, so verification reports it instead of pretending.
 */
export async function serverAuditHead(sqlite: Database.Database, fetchImpl: FetchLike = globalThis.fetch, timeoutMs = 10_000): Promise<ServerAuditHead> {
  const config = syncConfig(sqlite);
  if (!config) return { enrolled: false };
  try {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const res = await Promise.race([
      fetchImpl(`${config.serverUrl}/sync/audit-head`, { method: 'GET', headers: { authorization: `Bearer ${config.token}` } }),
      late,
    ]).finally(() => clearTimeout(timer));
    const text = await res.text();
    if (res.status !== 200) {
      let why = `HTTP ${res.status}`;
      try {
        why = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? why;
      } catch {
        // not JSON: keep the status
      }
      return { enrolled: true, error: why };
    }
    const parsed = answer.safeParse(JSON.parse(text));
    return parsed.success ? { enrolled: true, head: parsed.data.head } : { enrolled: true, error: 'the server answered something that is not an audit head' };
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return { enrolled: true, error: cause ?? (e instanceof Error ? e.message : String(e)) };
  }
}
