import type Database from 'better-sqlite3';
import { ADULT_BP_GUIDELINES, type AdultBpGuidelineName } from '../../../shared/domain/growth-view';
import type { AuditRepo } from '../repos/audit.repo';

/**
 * The adult blood pressure guideline, kept in the device's `meta` table like the clinic's name
 * (meta is not synced: an administrator sets it on each device). A US clinic's default is
 * ACC/AHA 2017; children and adolescents always follow AAP 2017, and the quality measures keep
 * their own thresholds (CMS165: < 140/90).
 */
export const BP_GUIDELINE_KEY = 'bp_guideline';
const KEY = BP_GUIDELINE_KEY;
export const DEFAULT_ADULT_BP_GUIDELINE: AdultBpGuidelineName = 'acc-aha-2017';

/** The stored value as a guideline; anything else (none yet, a damaged value) is the default. */
export function bpGuidelineOf(value: string | undefined): AdultBpGuidelineName {
  return (ADULT_BP_GUIDELINES as readonly string[]).includes(value ?? '') ? (value as AdultBpGuidelineName) : DEFAULT_ADULT_BP_GUIDELINE;
}

export function readBpGuideline(sqlite: Database.Database): AdultBpGuidelineName {
  return bpGuidelineOf((sqlite.prepare(`SELECT value FROM meta WHERE key = ?`).get(KEY) as { value: string } | undefined)?.value);
}

/** Records the guideline with its audit entry, in one transaction. */
export function writeBpGuideline(sqlite: Database.Database, audit: AuditRepo, g: AdultBpGuidelineName, actorId: string, at: string): AdultBpGuidelineName {
  sqlite.transaction(() => {
    sqlite.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(KEY, g);
    audit.append({ action: 'settings.bloodPressure', userId: actorId, detail: g }, at);
  })();
  return readBpGuideline(sqlite);
}
