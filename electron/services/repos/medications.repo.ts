import type Database from 'better-sqlite3';

export interface ActiveMedication {
  courseId: string;
  drugName: string;
  rxcui: string | null;
  dose: string | null;
  route: string | null;
  frequency: string | null;
  since: string;
}

/**
 * The medication list is derived from events (start, change, stop): a course is current while its
 * latest event is not a stop. Writing events arrives with the prescribing work.
 */
export class MedicationsRepo {
  private readonly current: Database.Statement<[string], ActiveMedication>;

  constructor(sqlite: Database.Database) {
    this.current = sqlite.prepare(
      `SELECT course_id AS courseId, drug_name AS drugName, rxcui, dose, route, frequency, since FROM (
         SELECT *, row_number() OVER (PARTITION BY course_id ORDER BY effective_at DESC, created_at DESC) AS rn,
                min(effective_at) OVER (PARTITION BY course_id) AS since
         FROM medication_events WHERE patient_id = ? AND deleted_at IS NULL)
       WHERE rn = 1 AND event != 'stop' ORDER BY drug_name`,
    );
  }

  active(patientId: string): ActiveMedication[] {
    return this.current.all(patientId);
  }
}
