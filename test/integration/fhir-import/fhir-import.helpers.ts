import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { FhirImporter, type ImportSummary } from '../../../electron/services/fhir/import';
import type { Repos } from '../../../electron/services/repos';

// The Synthea fixtures and the readers the FHIR import tests share.

export const FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
export const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort();
export const text = (f: string): string => readFileSync(join(FIXTURES, f), 'utf8');
export const EBONI = files.find((f) => f.startsWith('Eboni_Brekke'))!;
export const CLARENCE = files.find((f) => f.startsWith('Clarence_Mills'))!;
export const ACTOR = { userId: 'importer-test' };

export type Sqlite = Database.Database;
export const all = (db: Sqlite, sql: string, ...args: unknown[]): Record<string, unknown>[] => db.prepare(sql).all(...args) as Record<string, unknown>[];
export const one = (db: Sqlite, sql: string, ...args: unknown[]): Record<string, unknown> => db.prepare(sql).get(...args) as Record<string, unknown>;
export const count = (db: Sqlite, sql: string, ...args: unknown[]): number => Number(Object.values(one(db, sql, ...args))[0]);

export function importAll(repos: Repos, names: string[]): ImportSummary {
  const importer = new FhirImporter(repos, ACTOR);
  for (const f of names) importer.importText(text(f), f);
  return importer.summary;
}

export function patientId(db: Sqlite, family: string): string {
  return String(one(db, 'SELECT id FROM patients WHERE family_name = ?', family)['id']);
}

export const TABLES = [
  'patients',
  'encounters',
  'conditions',
  'allergies',
  'observations',
  'medication_events',
  'immunizations',
  'procedures',
  'diagnostic_reports',
  'care_plans',
  'audit_log',
  'sync_outbox',
  'fhir_import_sources',
];
export const counts = (db: Sqlite): Record<string, number> => Object.fromEntries(TABLES.map((t) => [t, count(db, `SELECT count(*) FROM ${t}`)]));

/** A chart as people read it: every clinical fact of one patient, without ids or bookkeeping. */
export function chart(db: Sqlite, id: string): Record<string, unknown> {
  const p = one(db, 'SELECT * FROM patients WHERE id = ?', id);
  const enc = new Map(all(db, 'SELECT id, start_at FROM encounters WHERE patient_id = ?', id).map((e) => [e['id'], e['start_at']]));
  const obsCode = new Map(
    all(db, 'SELECT id, loinc, effective_at FROM observations WHERE patient_id = ?', id).map((o) => [
      o['id'],
      `${String(o['loinc'])}@${String(o['effective_at'])}`,
    ]),
  );
  const condCode = new Map(all(db, 'SELECT id, snomed FROM conditions WHERE patient_id = ?', id).map((c) => [c['id'], c['snomed']]));
  const sorted = (rows: Record<string, unknown>[]): Record<string, unknown>[] =>
    rows
      .map((r) => JSON.stringify(r))
      .sort()
      .map((s) => JSON.parse(s) as Record<string, unknown>);
  const courses = new Map<string, Record<string, unknown>[]>();
  for (const m of all(db, 'SELECT * FROM medication_events WHERE patient_id = ? ORDER BY effective_at, event DESC', id))
    courses.set(String(m['course_id']), [...(courses.get(String(m['course_id'])) ?? []), m]);
  return {
    patient: {
      ...Object.fromEntries(
        [
          'mrn',
          'given_name',
          'middle_name',
          'family_name',
          'birth_date',
          'sex',
          'phone',
          'email',
          'address_line1',
          'city',
          'state',
          'postal_code',
          'country',
          'preferred_language',
        ].map((k) => [k, p[k]]),
      ),
      identifiers: (JSON.parse(String(p['identifiers'])) as unknown[]).map((i) => JSON.stringify(i)).sort(),
    },
    encounters: sorted(all(db, 'SELECT visit_type, status, reason, start_at, end_at FROM encounters WHERE patient_id = ?', id)),
    conditions: sorted(all(db, 'SELECT icd10, snomed, display, clinical_status, onset_date, abatement_date, note FROM conditions WHERE patient_id = ?', id)),
    allergies: sorted(
      all(
        db,
        'SELECT kind, substance, substance_code, reactions, severity, criticality, status, recorded_at, substance_type, onset_date, note FROM allergies WHERE patient_id = ?',
        id,
      ),
    ),
    observations: sorted(
      all(
        db,
        'SELECT encounter_id, category, loinc, display, value_num, value_text, unit, value_code, value_system, ref_low, ref_high, interpretation, status, effective_at FROM observations WHERE patient_id = ?',
        id,
      ).map((o) => ({
        ...o,
        encounter_id: enc.get(o['encounter_id']) ?? null,
      })),
    ),
    // A course: its drug, when it started, whether it was stopped, and its directions as one text.
    medications: sorted(
      [...courses.values()].map((evs) => ({
        drug: evs[0]!['drug_name'],
        rxcui: evs[0]!['rxcui'],
        started: evs[0]!['effective_at'],
        events: evs.map((e) => e['event']),
        directions: [evs[0]!['dose'], evs[0]!['route'], evs[0]!['frequency']].filter(Boolean).join(' '),
      })),
    ),
    immunizations: sorted(
      all(db, 'SELECT cvx, mvx, lot, site, route, administered_on, status, dose_number, source, note FROM immunizations WHERE patient_id = ?', id),
    ),
    procedures: sorted(
      all(
        db,
        'SELECT encounter_id, code_system, code, display, status, performed_start, performed_end, reason_code, reason_display, note FROM procedures WHERE patient_id = ?',
        id,
      ).map((r) => ({ ...r, encounter_id: enc.get(r['encounter_id']) ?? null })),
    ),
    reports: sorted(
      all(db, 'SELECT category, loinc, display, status, effective_at, issued_at, result_ids, conclusion FROM diagnostic_reports WHERE patient_id = ?', id).map(
        (r) => ({
          ...r,
          result_ids: (JSON.parse(String(r['result_ids'])) as string[]).map((o) => obsCode.get(o)).sort(),
        }),
      ),
    ),
    carePlans: sorted(
      all(
        db,
        'SELECT status, intent, category_code, category_display, title, period_start, period_end, activities, addresses FROM care_plans WHERE patient_id = ?',
        id,
      ).map((r) => ({
        ...r,
        addresses: (JSON.parse(String(r['addresses'])) as string[]).map((c) => condCode.get(c)).sort(),
      })),
    ),
  };
}
