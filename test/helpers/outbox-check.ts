import { isEntity } from '../../shared/sync/entities';
import { OutboxRepo, syncedFields } from '../../electron/services/repos/outbox.repo';
import type { RowAccess } from '../../electron/services/sync/row-reader';

/** One outbox entry whose row, built from the payload, differs from the row read back as the outbox once did. */
export interface OutboxMismatch {
  entity: string;
  id: string;
  fromPayload: string;
  reRead: string;
}

/**
 * Checks every outbox entry made while it is on: the row built from the caller's payload must be,
 * byte for byte as JSON, the row RowAccess.read gives back from the database (what the outbox sent
 * before it stopped reading rows back). Append-only rows travel AS_STORED, so their payload is
 * compared the same way only to prove the caller handed the whole row. Returns the checked
 * count, the mismatches and a function that turns the check off.
 */
export function checkOutboxPayloads(): { checked: () => number; mismatches: OutboxMismatch[]; restore: () => void } {
  type Add = (this: OutboxRepo, ...args: Parameters<OutboxRepo['add']>) => ReturnType<OutboxRepo['add']>;
  const original = Object.getOwnPropertyDescriptor(OutboxRepo.prototype, 'add')!.value as Add;
  const mismatches: OutboxMismatch[] = [];
  let checked = 0;
  const checking: Add = function (this: OutboxRepo, entity, id, row, at, meta) {
    // The outbox's own RowAccess (private): the test reads the row back through it as the old outbox did.
    const rows = (this as unknown as { rows: RowAccess }).rows;
    if (isEntity(entity)) {
      const reRead = JSON.stringify(rows.read(entity, id));
      const fromPayload = JSON.stringify(syncedFields(rows, entity, id, row));
      checked++;
      if (fromPayload !== reRead) mismatches.push({ entity, id, fromPayload, reRead });
    }
    return original.call(this, entity, id, row, at, meta);
  };
  Object.defineProperty(OutboxRepo.prototype, 'add', { value: checking, configurable: true, writable: true });
  const restore = (): void => void Object.defineProperty(OutboxRepo.prototype, 'add', { value: original, configurable: true, writable: true });
  return { checked: () => checked, mismatches, restore };
}
