import type Database from 'better-sqlite3';
import { clinicDayReader } from '../../../shared/domain/dates';
import type { PatientFacts } from '../../../shared/domain/population';

interface PatientRow {
  id: string;
  name: string;
  mrn: string | null;
  birthDate: string;
  sex: string;
  restricted: number;
  deceasedOn: string | null;
}

const SEXES = new Set(['female', 'male', 'other', 'unknown']);

/**
 * Loads the chart facts that preventive rules and quality measures read: for the whole practice
 * with one query per kind (grouped by patient in memory), or for one patient. Only the
 * observation codes the rules and measures ask about are read, so a practice with millions of
 * results loads in seconds. Soft-deleted rows, entered-in-error rows and corrected-away results
 * are left out.
 */
export class FactsRepo {
  /** YYYY-MM-DD of a stored date, or of a stored timestamp in the clinic's zone (an evening reading is today's, not UTC's tomorrow). */
  private readonly day: (stored: string) => string;

  constructor(
    private readonly sqlite: Database.Database,
    zone: string,
  ) {
    this.day = clinicDayReader(zone);
  }

  load(options: { loincs: ReadonlySet<string>; patientId?: string }): { facts: PatientFacts[]; restricted: Set<string> } {
    const one = options.patientId !== undefined;
    const day = this.day;
    const where = (alias: string): string => (one ? `AND ${alias}.patient_id = @patientId` : '');
    const params = one ? { patientId: options.patientId } : {};
    const byId = new Map<string, PatientFacts>();
    const restricted = new Set<string>();
    const patients = this.sqlite
      .prepare(
        `SELECT p.id, p.family_name || ', ' || p.given_name AS name, p.mrn, p.birth_date AS birthDate, p.sex, p.restricted, p.deceased_on AS deceasedOn
         FROM patients p WHERE p.deleted_at IS NULL AND p.merged_into IS NULL ${one ? 'AND p.id = @patientId' : ''}`,
      )
      .all(params) as PatientRow[];
    for (const p of patients) {
      byId.set(p.id, {
        id: p.id,
        name: p.name,
        mrn: p.mrn,
        birthDate: p.birthDate,
        sex: (SEXES.has(p.sex) ? p.sex : 'unknown') as PatientFacts['sex'],
        deceasedOn: p.deceasedOn && day(p.deceasedOn),
        providerId: null,
        conditions: [],
        observations: [],
        procedures: [],
        immunizations: [],
        encounters: [],
        medications: [],
      });
      if (p.restricted === 1) restricted.add(p.id);
    }

    for (const r of this.sqlite
      .prepare(
        `SELECT c.patient_id AS pid, c.icd10, c.snomed, c.display, c.onset_date AS onset, c.abatement_date AS abatement, c.clinical_status AS status
         FROM conditions c WHERE c.deleted_at IS NULL ${where('c')}`,
      )
      .iterate(params) as IterableIterator<{
      pid: string;
      icd10: string | null;
      snomed: string | null;
      display: string;
      onset: string | null;
      abatement: string | null;
      status: string;
    }>) {
      byId.get(r.pid)?.conditions.push({
        icd10: r.icd10,
        snomed: r.snomed,
        display: r.display,
        onset: r.onset && day(r.onset),
        abatement: r.abatement && day(r.abatement),
        status: r.status,
      });
    }

    // The codes asked about go in as one JSON array (no statement per code list).
    const codes = JSON.stringify([...options.loincs]);
    for (const r of this.sqlite
      .prepare(
        `SELECT o.patient_id AS pid, o.loinc, o.effective_at AS at, o.value_num AS value, o.value_code AS code
         FROM observations o
         WHERE o.loinc IN (SELECT value FROM json_each(@codes)) AND o.deleted_at IS NULL AND o.status NOT IN ('entered-in-error', 'cancelled', 'registered') ${where('o')}
           AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id)`,
      )
      .iterate({ ...params, codes }) as IterableIterator<{ pid: string; loinc: string; at: string; value: number | null; code: string | null }>) {
      byId.get(r.pid)?.observations.push({ loinc: r.loinc, on: day(r.at), value: r.value, code: r.code });
    }

    for (const r of this.sqlite
      .prepare(
        `SELECT x.patient_id AS pid, x.code, x.display, x.performed_start AS at FROM procedures x
         WHERE x.deleted_at IS NULL AND x.code IS NOT NULL AND x.performed_start IS NOT NULL AND x.status NOT IN ('entered-in-error', 'not-done') ${where('x')}`,
      )
      .iterate(params) as IterableIterator<{ pid: string; code: string; display: string; at: string }>) {
      byId.get(r.pid)?.procedures.push({ code: r.code, display: r.display, on: day(r.at) });
    }

    for (const r of this.sqlite
      .prepare(
        `SELECT i.patient_id AS pid, i.cvx, i.administered_on AS at FROM immunizations i WHERE i.deleted_at IS NULL AND i.status = 'completed' ${where('i')}`,
      )
      .iterate(params) as IterableIterator<{ pid: string; cvx: string; at: string }>) {
      byId.get(r.pid)?.immunizations.push({ cvx: r.cvx, on: day(r.at) });
    }

    const visits = new Map<string, Map<string, number>>();
    for (const r of this.sqlite
      .prepare(
        `SELECT e.patient_id AS pid, coalesce(e.start_at, e.created_at) AS at, e.provider_id AS provider FROM encounters e WHERE e.deleted_at IS NULL AND e.status <> 'planned' ${where('e')}`,
      )
      .iterate(params) as IterableIterator<{ pid: string; at: string; provider: string | null }>) {
      const f = byId.get(r.pid);
      if (!f) continue;
      f.encounters.push({ on: day(r.at), providerId: r.provider });
      if (r.provider) {
        const counts = visits.get(r.pid) ?? new Map<string, number>();
        counts.set(r.provider, (counts.get(r.provider) ?? 0) + 1);
        visits.set(r.pid, counts);
      }
    }
    // The usual provider: the one seen most often (ties: the first by id, so it is stable).
    for (const [pid, counts] of visits) {
      const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      byId.get(pid)!.providerId = best?.[0] ?? null;
    }

    for (const r of this.sqlite
      .prepare(
        `SELECT m.patient_id AS pid, max(m.rxcui) AS rxcui, max(m.drug_name) AS name,
           min(CASE WHEN m.event = 'start' THEN m.effective_at END) AS start, max(CASE WHEN m.event = 'stop' THEN m.effective_at END) AS stop
         FROM medication_events m WHERE m.deleted_at IS NULL ${where('m')} GROUP BY m.patient_id, m.course_id`,
      )
      .iterate(params) as IterableIterator<{ pid: string; rxcui: string | null; name: string; start: string | null; stop: string | null }>) {
      if (r.start === null) continue;
      byId.get(r.pid)?.medications.push({ rxcui: r.rxcui, name: r.name, start: day(r.start), stop: r.stop && day(r.stop) });
    }
    return { facts: [...byId.values()], restricted };
  }
}
