import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { CLINICAL_ROLES, courseToFhir, rowToFhir, type Row } from '../../../shared/fhir/to-fhir';
import type Database from 'better-sqlite3';

/** The tables exported, in the order their resources are written (a reader meets a patient before its records). */
const EXPORTED: readonly { entity: string; table: string }[] = [
  { entity: 'patient', table: 'patients' },
  { entity: 'user', table: 'users' },
  { entity: 'encounter', table: 'encounters' },
  { entity: 'condition', table: 'conditions' },
  { entity: 'allergy', table: 'allergies' },
  { entity: 'observation', table: 'observations' },
  { entity: 'diagnostic_report', table: 'diagnostic_reports' },
  { entity: 'medication_event', table: 'medication_events' },
  { entity: 'prescription', table: 'prescriptions' },
  { entity: 'immunization', table: 'immunizations' },
  { entity: 'procedure', table: 'procedures' },
  { entity: 'care_plan', table: 'care_plans' },
];

/** Every resource of the database (or of one patient), in export order, one at a time. */
export function* exportResources(sqlite: Database.Database, patientId?: string): Generator<Resource> {
  for (const { entity, table } of EXPORTED) {
    if (entity === 'user') {
      // Practitioners: the clinicians (everyone in a system-level export; a patient's record names them by reference).
      if (patientId !== undefined) continue;
      for (const row of sqlite
        .prepare(`SELECT * FROM users WHERE role IN (${CLINICAL_ROLES.map(() => '?').join(', ')}) ORDER BY id`)
        .iterate(...CLINICAL_ROLES)) {
        const r = rowToFhir('user', row as Row);
        if (r) yield r;
      }
      continue;
    }
    const where =
      patientId === undefined ? 'deleted_at IS NULL' : entity === 'patient' ? 'deleted_at IS NULL AND id = ?' : 'deleted_at IS NULL AND patient_id = ?';
    const args = patientId === undefined ? [] : [patientId];
    if (entity === 'medication_event') {
      // One MedicationRequest per course: all its events together.
      const rows = sqlite.prepare(`SELECT * FROM medication_events WHERE ${where} ORDER BY course_id, effective_at, id`).all(...args) as Row[];
      for (let i = 0; i < rows.length;) {
        let j = i;
        while (j < rows.length && rows[j]!['course_id'] === rows[i]!['course_id']) j++;
        const r = courseToFhir(rows.slice(i, j));
        if (r) yield r;
        i = j;
      }
      continue;
    }
    for (const row of sqlite.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY id`).iterate(...args)) {
      const r = rowToFhir(entity, row as Row);
      if (r) yield r;
    }
  }
}

/**
 * Writes FHIR Bulk Data NDJSON: one file per resource type (Patient.ndjson, Observation.ndjson…),
 * one resource per line. Returns how many resources each file holds.
 */
export function exportNdjson(sqlite: Database.Database, outDir: string, patientId?: string, onProgress?: (written: number) => void): Record<string, number> {
  mkdirSync(outDir, { recursive: true });
  const files = new Map<string, { fd: number; buf: string[] }>();
  const counts: Record<string, number> = {};
  let written = 0;
  const flush = (f: { fd: number; buf: string[] }): void => {
    if (f.buf.length) writeSync(f.fd, f.buf.join(''));
    f.buf = [];
  };
  try {
    for (const r of exportResources(sqlite, patientId)) {
      let f = files.get(r.resourceType);
      if (!f) files.set(r.resourceType, (f = { fd: openSync(join(outDir, `${r.resourceType}.ndjson`), 'w'), buf: [] }));
      f.buf.push(JSON.stringify(r) + '\n');
      if (f.buf.length >= 1000) flush(f);
      counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
      if (++written % 1000 === 0) onProgress?.(written);
    }
  } finally {
    for (const f of files.values()) {
      flush(f);
      closeSync(f.fd);
    }
  }
  return counts;
}

/** One patient's whole record as a collection Bundle (references between its entries resolve by fullUrl). */
export function exportPatientBundle(sqlite: Database.Database, patientId: string, at: Date = new Date()): Bundle {
  const entry = [...exportResources(sqlite, patientId)].map((resource) => ({ fullUrl: `urn:uuid:${resource.id!}`, resource }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: at.toISOString(), entry };
}
