import { newId } from '../../common/ids';
import { statementsFor } from '../db/statement-cache';
import { FILED_ON_IMPORT_NOTE, fileImportedAsReviewed } from '../../../shared/domain/lab-review';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';

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
