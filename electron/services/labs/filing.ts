import type Database from 'better-sqlite3';
import { newId } from '../../common/ids';
import { statementsFor } from '../db/statement-cache';
import { MultiRowInsert } from '../repos/multi-row';
import { FILED_ON_IMPORT_NOTE, fileImportedAsReviewed } from '../../../shared/domain/lab-review';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';

/** One multi-row INSERT of acknowledgements per connection (its statements prepared once). */
const ACK_INSERTS = new WeakMap<Database.Database, MultiRowInsert>();
function acksInsert(sqlite: Database.Database): MultiRowInsert {
  let m = ACK_INSERTS.get(sqlite);
  if (!m) {
    m = new MultiRowInsert(
      sqlite,
      'INSERT INTO result_acknowledgements (id, observation_id, patient_id, note, created_at, created_by, updated_at, updated_by)',
      8,
    );
    ACK_INSERTS.set(sqlite, m);
  }
  return m;
}

/**
 * Files imported lab history as already reviewed (see fileImportedAsReviewed): years of a
 * practice's results must not flood the inbox as "to review". Each filed result gets an
 * acknowledgement row (synced, so every device agrees) whose note says why; one audit entry per
 * patient names how many were filed. Runs inside the caller's transaction (the import's).
 */
export class ImportFiling {
  private filed = 0;

  constructor(
    private readonly repos: Repos,
    private readonly actor: Actor,
    private readonly at: string,
  ) {}

  /** Files the result if it is old history; returns whether it did. */
  consider(observationId: string, patientId: string, category: unknown, effectiveAt: unknown): boolean {
    if (category !== 'laboratory' || typeof effectiveAt !== 'string' || !fileImportedAsReviewed(effectiveAt, this.at)) return false;
    const id = newId();
    statementsFor(this.repos.store.sqlite)
      .get(
        `INSERT INTO result_acknowledgements (id, observation_id, patient_id, note, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, observationId, patientId, FILED_ON_IMPORT_NOTE, this.at, this.actor.userId, this.at, this.actor.userId);
    this.repos.writer.syncInserted(this.at, 'result_ack', id, this.actor, patientId);
    this.filed++;
    return true;
  }

  /**
   * consider() for one patient's many results at once: the acknowledgements go in a few multi-row
   * INSERTs and one outbox call (a ten-year C-CDA brings hundreds). Returns how many were filed.
   */
  considerMany(patientId: string, results: readonly { id: string; category: unknown; at: unknown }[]): number {
    const ids: string[] = [];
    const values: string[] = [];
    for (const r of results) {
      if (r.category !== 'laboratory' || typeof r.at !== 'string' || !fileImportedAsReviewed(r.at, this.at)) continue;
      const id = newId();
      ids.push(id);
      values.push(id, r.id, patientId, FILED_ON_IMPORT_NOTE, this.at, this.actor.userId, this.at, this.actor.userId);
    }
    if (ids.length === 0) return 0;
    acksInsert(this.repos.store.sqlite).run(values);
    this.repos.writer.syncInsertedMany(this.at, 'result_ack', ids, this.actor, patientId);
    this.filed += ids.length;
    return ids.length;
  }

  /** One audit entry for the patient's filed results (none when nothing was filed). */
  audit(patientId: string | null): void {
    if (this.filed === 0) return;
    this.repos.audit.append(
      {
        action: 'labs.file_imported',
        userId: this.actor.userId,
        patientId,
        recordType: 'result_ack',
        recordId: null,
        detail: `${this.filed} imported results filed as reviewed: ${FILED_ON_IMPORT_NOTE}`,
      },
      this.at,
    );
  }
}
