import type Database from 'better-sqlite3';
import { leavingCheckpointToThread } from '../db/checkpointer';
import type { EntityName } from '../../../shared/sync/entities';
import type { AuditRepo } from './audit.repo';
import type { ChangedRow, OutboxOp, OutboxRepo } from './outbox.repo';
import type { StoredRow } from './stored-row';

export interface Actor {
  userId: string;
}

export interface WriteRecord {
  action: string;
  actor: Actor;
  patientId: string | null;
  entity: string;
  id: string;
  /** What the caller did; the outbox decides the wire op (insert the first time this device records the row). */
  op: OutboxOp;
  /**
   * The whole row as written, keyed by column: `RETURNING *`, or storedRow(table, row) of drizzle's
   * `.returning()`. The outbox entry is built from it (it is not read back), so never a domain object.
   */
  payload: StoredRow;
  detail?: string;
}

/** Who and when for a new row. */
export function created(at: string, actor: Actor): { createdAt: string; createdBy: string; updatedAt: string; updatedBy: string } {
  return { createdAt: at, createdBy: actor.userId, updatedAt: at, updatedBy: actor.userId };
}

/** Who and when for a changed row, with its next version. */
export function updated(at: string, actor: Actor, version: number): { updatedAt: string; updatedBy: string; version: number } {
  return { updatedAt: at, updatedBy: actor.userId, version: version + 1 };
}

/**
 * The one way clinical repositories write: inside an IMMEDIATE transaction, every change records
 * its audit entry and its sync-outbox entry, so all three commit together or not at all.
 */
export class ClinicalWriter {
  /** One transaction function for every write (making one per call cost as much as a small insert). */
  private readonly inTransaction: Database.Transaction<(fn: (at: string) => unknown) => unknown>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly audit: AuditRepo,
    private readonly outbox: OutboxRepo,
    readonly now: () => Date,
  ) {
    this.inTransaction = sqlite.transaction((fn: (at: string) => unknown) => fn(this.now().toISOString()));
  }

  /** Runs `fn` in one write transaction with one timestamp for everything it records. */
  write<T>(fn: (at: string) => T): T {
    return this.inTransaction.immediate(fn) as T;
  }

  /**
   * write() inside a transaction the caller opened and ends (the lab listener's group commit): one
   * timestamp, no savepoint. If `fn` throws, what it wrote stays in the caller's transaction, which
   * the caller must then roll back whole.
   */
  writeInOpen<T>(fn: (at: string) => T): T {
    if (!this.sqlite.inTransaction) throw new Error('writeInOpen: no transaction is open (use write)');
    return fn(this.now().toISOString());
  }

  /**
   * write() for one transaction of thousands of rows (an 835's claim payments): its commit leaves
   * the WAL checkpoint to the checkpoint thread when one runs (see leavingCheckpointToThread).
   */
  writeLarge<T>(fn: (at: string) => T): T {
    return leavingCheckpointToThread(this.sqlite, () => this.inTransaction.immediate(fn) as T);
  }

  record(at: string, r: WriteRecord): void {
    this.audit.append({ action: r.action, userId: r.actor.userId, patientId: r.patientId, recordType: r.entity, recordId: r.id, detail: r.detail ?? null }, at);
    this.outbox.add(r.entity, r.id, r.payload, at, { userId: r.actor.userId, patientId: r.patientId });
  }

  /**
   * Sync only, for write-once rows inserted in a batch whose single audit entry the caller writes
   * (the results of one lab message, the results an import files). Only the id: the outbox keeps
   * no copy of a write-once row (see OutboxRepo.addInserted).
   */
  syncInserted(at: string, entity: EntityName, id: string, actor: Actor, patientId: string | null): void {
    this.outbox.addInserted(entity, id, at, { userId: actor.userId, patientId });
  }

  /**
   * syncInserted for several rows of one chart at once (see OutboxRepo.addInsertedMany): the same
   * entries, cheaper. `inserted`: how many of exactly these new ids the caller's own INSERTs reported.
   */
  syncInsertedMany(at: string, entity: EntityName, ids: readonly string[], actor: Actor, patientId: string | null, inserted?: number): void {
    this.outbox.addInsertedMany(entity, ids, at, { userId: actor.userId, patientId }, inserted);
  }

  /**
   * The one audit entry for rows written together whose outbox entries syncInserted records (a
   * posted claim payment's ledger entries, a superbill's lines): inside the caller's write().
   */
  audited(at: string, action: string, actor: Actor, patientId: string | null, entity: string, id: string, detail?: string): void {
    this.audit.append({ action, userId: actor.userId, patientId, recordType: entity, recordId: id, detail: detail ?? null }, at);
  }

  /**
   * record() for many changed rows of one entity (the claims an 835 pays): an audit entry for each,
   * in order, and the same sync entries, written together (AuditRepo.appendMany, OutboxRepo.addChangedMany).
   */
  recordMany(at: string, entity: EntityName, actor: Actor, changes: readonly (ChangedRow & { action: string; detail?: string | null })[]): void {
    this.audit.appendMany(
      changes.map((c) => ({ action: c.action, userId: actor.userId, patientId: c.patientId, recordType: entity, recordId: c.id, detail: c.detail ?? null })),
      at,
    );
    this.outbox.addChangedMany(entity, changes, at, actor.userId);
  }

  /** syncInserted for write-once rows of several charts, each with its own (see OutboxRepo.addInsertedRows). */
  syncInsertedRows(at: string, entity: EntityName, entries: readonly { id: string; patientId: string | null }[], actor: Actor, inserted?: number): void {
    this.outbox.addInsertedRows(entity, entries, at, actor.userId, inserted);
  }

  /** Records a read of patient data (its own small transaction). */
  read(action: string, actor: Actor, patientId: string | null, entity?: string, id?: string): void {
    this.sqlite.transaction(() =>
      this.audit.append({ action, userId: actor.userId, patientId, recordType: entity ?? null, recordId: id ?? null }, this.now().toISOString()),
    )();
  }
}
