import type Database from 'better-sqlite3';
import { ADULT_BP_GUIDELINES, type AdultBpGuidelineName } from '../../../shared/domain/growth-view';
import type { AuditRepo } from '../repos/audit.repo';

/**
 * The adult blood pressure guideline, kept in the device's `meta` table like the clinic's name
 * (meta is not synced: an administrator sets it on each device). A US clinic's default is
 * ACC/AHA 2017; children and adolescents always follow AAP 2017, and the quality measures keep
 * their own thresholds (CMS165: < 140/90).
 */
const KEY = 'bp_guideline';
export const DEFAULT_ADULT_BP_GUIDELINE: AdultBpGuidelineName = 'acc-aha-2017';

export function readBpGuideline(sqlite: Database.Database): AdultBpGuidelineName {
  const row = sqlite.prepare(`SELECT value FROM meta WHERE key = ?`).get(KEY) as { value: string } | undefined;
  return (ADULT_BP_GUIDELINES as readonly string[]).includes(row?.value ?? '') ? (row!.value as AdultBpGuidelineName) : DEFAULT_ADULT_BP_GUIDELINE;
}

/** Records the guideline with its audit entry, in one transaction. */
export function writeBpGuideline(sqlite: Database.Database, audit: AuditRepo, g: AdultBpGuidelineName, actorId: string, at: string): AdultBpGuidelineName {
  sqlite.transaction(() => {
    sqlite.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(KEY, g);
    audit.append({ action: 'settings.bloodPressure', userId: actorId, detail: g }, at);
  })();
  return readBpGuideline(sqlite);
}
