import { createHash } from 'node:crypto';
import {
  allergyOf,
  encounterOf,
  immunizationOf,
  medicationOf,
  observationOf,
  problemOf,
  procedureOf,
  smokingOf,
  type StoredRow,
} from '../../../shared/ccda/from-rows';
import type { CcdaExport } from '../../../shared/ccda/model';
import { writeCcda } from '../../../shared/ccda/write';
import { isHidden, loadRows, releasedResults, type ChartAccess, type ReadDeps, type Row } from './portal-chart';

/** LOINC 72166-2, tobacco smoking status: the smoking section, not a vital sign or a result. */
const SMOKING_LOINC = '72166-2';
const ERROR = new Set(['entered-in-error', 'entered_in_error']);
const FINAL = new Set(['final', 'corrected', 'amended']);

const str = (v: string | number | null | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
/** A synced row is what the shared mappers take (SQLite-like values: text, number or null). */
const stored = (r: Row): StoredRow => r;

/**
 * "Download my record" as a C-CDA R2.1 CCD (issue #22): the same entries the portal shows — no
 * unreleased result, nothing entered in error, nothing hidden from a proxy — mapped by the same
 * code as the desktop's export (shared/ccda/from-rows.ts) and written by shared/ccda/write.ts.
 * The author is the clinic (the patient downloads it; no clinician signs it).
 */
export async function recordCcda(d: ReadDeps, a: ChartAccess): Promise<string> {
  const entities = ['condition', 'allergy', 'medication_event', 'immunization', 'observation', 'encounter', 'procedure'] as const;
  const l = await loadRows(d, a, entities);
  const rows = (e: string): Row[] => (l.rows.get(e) ?? []).filter((r) => !isHidden(a, l, e, r));
  const [patient] = await d.db.query<{ data: string }>(`SELECT data::text AS data FROM sync_rows WHERE entity = 'patient' AND entity_id = $1`, [
    a.chart.patientId,
  ]);
  const p: Row = patient ? (JSON.parse(patient.data) as Row) : {};

  // A course is left out whole if any of its events is hidden; a course's stop ends it.
  const hiddenCourses = new Set((l.rows.get('medication_event') ?? []).filter((r) => isHidden(a, l, 'medication_event', r)).map((r) => String(r['course_id'])));
  const events = (l.rows.get('medication_event') ?? []).filter((e) => !hiddenCourses.has(String(e['course_id'])));
  const stops = new Map<string, string>();
  for (const e of events) if (e['event'] === 'stop' && typeof e['effective_at'] === 'string') stops.set(String(e['course_id']), e['effective_at']);
  const starts = events.filter((e) => e['event'] === 'start');

  const released = new Set(releasedResults(d, a, l).map((r) => r.id));
  const replaced = new Set((l.rows.get('observation') ?? []).map((r) => r['supersedes_id']).filter(Boolean));
  const observations = rows('observation')
    .filter((r) => !replaced.has(String(r['id'])) && FINAL.has(String(r['status'])))
    .filter((r) => r['category'] !== 'laboratory' || released.has(String(r['id'])))
    .sort((x, y) => String(x['effective_at']).localeCompare(String(y['effective_at'])));
  const clinic = d.settings.clinicName;
  const byDate = (col: string) => (x: Row, y: Row) => String(x[col] ?? '').localeCompare(String(y[col] ?? ''));

  const doc: CcdaExport = {
    kind: 'ccd',
    documentId: createHash('sha256').update(`${a.chart.patientId}:${d.now()}`).digest('hex').slice(0, 32),
    effectiveTime: new Date(d.now()).toISOString(),
    patient: {
      ids: [],
      given: [str(p['given_name']), str(p['middle_name'])].filter((x): x is string => x !== null),
      family: str(p['family_name']) ?? '',
      birthDate: str(p['birth_date']),
      sex: p['sex'] === 'female' || p['sex'] === 'male' || p['sex'] === 'other' ? p['sex'] : 'unknown',
      phone: str(p['phone']),
      email: str(p['email']),
      address:
        str(p['address_line1']) || str(p['city'])
          ? {
              lines: [str(p['address_line1']), str(p['address_line2'])].filter((x): x is string => x !== null),
              city: str(p['city']),
              state: str(p['state']),
              postalCode: str(p['postal_code']),
              country: str(p['country']),
            }
          : null,
      race: null,
      ethnicity: null,
      language: str(p['preferred_language']),
      mrn: str(p['mrn']) ?? a.chart.patientId,
    },
    // The writer derives a stable UUID from the clinic's name for its MRN space.
    organization: { id: clinic, name: clinic, phone: null, address: null },
    author: { name: clinic, npi: null },
    problems: rows('condition')
      .filter((r) => !ERROR.has(String(r['clinical_status'])) && !ERROR.has(String(r['verification_status'])))
      .sort(byDate('onset_date'))
      .map((r) => problemOf(stored(r))),
    allergies: rows('allergy')
      .filter((r) => r['kind'] === 'allergy' && !ERROR.has(String(r['status'])))
      .map((r) => allergyOf(stored(r))),
    medications: starts.sort(byDate('effective_at')).map((r) => medicationOf({ ...stored(r), stopped_at: stops.get(String(r['course_id'])) ?? null })),
    immunizations: rows('immunization')
      .filter((r) => r['status'] === 'completed')
      .sort(byDate('administered_on'))
      .map((r) => immunizationOf(stored(r), (cvx) => d.catalog.vaccines.get(cvx) ?? `CVX ${cvx}`)),
    results: observations.filter((r) => r['category'] === 'laboratory').map((r) => observationOf(stored(r))),
    vitals: observations.filter((r) => r['category'] === 'vital-signs' && r['loinc'] !== SMOKING_LOINC).map((r) => observationOf(stored(r))),
    smoking: observations.filter((r) => r['loinc'] === SMOKING_LOINC).map((r) => smokingOf(stored(r))),
    encounters: rows('encounter')
      .filter((r) => typeof r['start_at'] === 'string')
      .sort(byDate('start_at'))
      .map((r) => encounterOf(stored(r), clinic)),
    procedures: rows('procedure')
      .filter((r) => !ERROR.has(String(r['status'])))
      .map((r) => procedureOf(stored(r))),
  };
  return writeCcda(doc);
}
