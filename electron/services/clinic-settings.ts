import type Database from 'better-sqlite3';
import type { ClinicInfo, ClinicSettings } from '../../shared/domain/prescriber';
import type { AuditRepo } from './repos/audit.repo';

/**
 * The clinic's name, address and phone, kept in the device's `meta` table (the name under the
 * `clinic_name` key that setup writes; address and phone as JSON under `clinic_contact`).
 * Important: meta is not synced (no settings entity exists), so each device keeps its own copy;
 * an administrator sets it on every device that prints prescriptions (README, "Prescriptions").
 */
const PUT = `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`;

function metaValue(sqlite: Database.Database, key: string): string | undefined {
  return (sqlite.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined)?.value;
}

/** The clinic as recorded on this device; no address lines when none was recorded yet. */
export function readClinic(sqlite: Database.Database): ClinicInfo {
  const name = metaValue(sqlite, 'clinic_name') ?? 'Cairn';
  const raw = metaValue(sqlite, 'clinic_contact');
  let contact: { addressLines?: unknown; phone?: unknown } = {};
  try {
    contact = raw ? (JSON.parse(raw) as typeof contact) : {};
  } catch {
    // A damaged value prints as "not recorded" rather than failing every prescription.
  }
  const addressLines = Array.isArray(contact.addressLines) ? contact.addressLines.filter((l): l is string => typeof l === 'string') : [];
  return { name, addressLines, phone: typeof contact.phone === 'string' ? contact.phone : null };
}

/** Records the clinic's name, address and phone (one transaction with its audit entry). */
export function writeClinic(sqlite: Database.Database, audit: AuditRepo, c: ClinicSettings, actorId: string, at: string): ClinicInfo {
  sqlite.transaction(() => {
    sqlite.prepare(PUT).run('clinic_name', c.name);
    sqlite.prepare(PUT).run('clinic_contact', JSON.stringify({ addressLines: c.addressLines, phone: c.phone }));
    audit.append({ action: 'settings.clinic', userId: actorId, detail: c.name }, at);
  })();
  return readClinic(sqlite);
}
