import type Database from 'better-sqlite3';
import { billingSettings, type BillingSettings } from '../../../shared/domain/billing/settings';
import type { AuditRepo } from '../repos/audit.repo';

/**
 * The clinic's billing settings, in the device's `meta` table like the clinic's name (meta is not
 * synced: an administrator sets them on the device that sends claims; README, "Billing").
 */
const KEY = 'billing_settings';

/** The stored settings, or null when none were set (or the stored value no longer parses). */
export function readBillingSettings(sqlite: Database.Database): BillingSettings | null {
  const raw = (sqlite.prepare(`SELECT value FROM meta WHERE key = ?`).get(KEY) as { value: string } | undefined)?.value;
  if (!raw) return null;
  try {
    const parsed = billingSettings.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Records the settings with their audit entry, in one transaction. */
export function writeBillingSettings(sqlite: Database.Database, audit: AuditRepo, s: BillingSettings, actorId: string, at: string): BillingSettings {
  sqlite.transaction(() => {
    sqlite.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(KEY, JSON.stringify(s));
    audit.append({ action: 'settings.billing', userId: actorId, detail: s.billingName }, at);
  })();
  return readBillingSettings(sqlite)!;
}
