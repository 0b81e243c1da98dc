import type Database from 'better-sqlite3';
import { newId } from '../../common/ids';
import { observations } from '../db/schema';
import type { Orm } from '../db/open';
import { storedRow } from '../repos/stored-row';
import { created, type Actor, type ClinicalWriter } from '../repos/writer';

/** LOINC 76516-4 "Gestational age--at birth", an exam observation in weeks (as QI-Core's example records it). */
export const GESTATIONAL_AGE_LOINC = '76516-4';

/**
 * Gestational age at birth, kept as an observation (so it syncs, is audited and exports to FHIR
 * like any other): value in weeks (34 weeks 3 days = 34.43 wk), as typed in entered_as ("34+3 wk").
 * A new entry supersedes the last one; the history stays.
 */
export class BirthHistory {
  private readonly latest: Database.Statement<[string], { id: string; weeks: number }>;

  constructor(
    sqlite: Database.Database,
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
  ) {
    this.latest = sqlite.prepare(
      `SELECT id, value_num AS weeks FROM observations
       WHERE patient_id = ? AND loinc = '${GESTATIONAL_AGE_LOINC}' AND deleted_at IS NULL AND status != 'entered-in-error' AND value_num IS NOT NULL
       ORDER BY effective_at DESC, created_at DESC LIMIT 1`,
    );
  }

  /** The recorded gestational age at birth in weeks, or null when none was recorded. */
  gestationalAgeWeeks(patientId: string): number | null {
    return this.latest.get(patientId)?.weeks ?? null;
  }

  record(patientId: string, birthDate: string, weeks: number, days: number, actor: Actor): number {
    const previous = this.latest.get(patientId);
    const value = Math.round((weeks + days / 7) * 100) / 100;
    return this.writer.write((at) => {
      const row = this.orm
        .insert(observations)
        .values({
          id: newId(),
          patientId,
          encounterId: null,
          category: 'exam',
          loinc: GESTATIONAL_AGE_LOINC,
          display: 'Gestational age at birth',
          valueNum: value,
          unit: 'wk',
          interpretation: null,
          status: 'final',
          effectiveAt: `${birthDate}T00:00:00Z`,
          supersedesId: previous?.id ?? null,
          enteredAs: `${weeks}+${days} wk`,
          ...created(at, actor),
        })
        .returning()
        .get();
      this.writer.record(at, {
        action: 'growth.birthHistory',
        actor,
        patientId,
        entity: 'observation',
        id: row.id,
        op: 'insert',
        payload: storedRow(observations, row),
        detail: `${weeks}+${days} wk`,
      });
      return value;
    });
  }
}
