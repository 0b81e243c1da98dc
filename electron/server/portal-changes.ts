import { randomBytes } from 'node:crypto';
import { ENTITIES, type EntityName, type Fields } from '../../shared/sync/entities';
import { decodeHlc, encodeHlc, receive, tick, type Hlc } from '../../shared/sync/hlc';
import { mergeChange, type MergeOptions } from '../../shared/sync/merge';
import type { Sql } from './db/open';
import { ServerError } from './server-error';
import { conflictRecord, lockRows, writeLog, type LogEntry } from './sync-log';

/** A change the patient portal makes on a patient's behalf (see `SyncService.writeAsPortal`). */
export interface PortalChange {
  entity: EntityName;
  id: string;
  patientId: string;
  /** The columns written (an insert gives the whole row; an update only what changes). */
  fields: Fields;
}

/** The author of a portal change: `portal:<account id>`. */
export const portalAuthor = (accountId: string): string => `portal:${accountId}`;

/**
 * Writes changes made on the patient portal into the change log, inside the caller's transaction,
 * merged exactly as a device's would be (so a staff edit made meanwhile on a device is kept as a
 * conflict, never lost) and pulled by every device. Only entities marked `portal: true` may be
 * written; a device can never author as `portal:…` (the sync service refuses it).
 */
export class PortalWriter {
  /** This process's clock for the portal's writes; the node id is per process, so two processes never tie. */
  private clock: Hlc = { wall: 0, counter: 0, node: `portal-${randomBytes(4).toString('hex')}` };

  constructor(
    private readonly now: () => number,
    private readonly merge?: MergeOptions,
  ) {}

  /** Returns the log entries' server sequence numbers. */
  async write(q: Sql, authorId: string, changes: PortalChange[]): Promise<number[]> {
    if (!authorId.startsWith('portal:')) throw new Error('a portal change must be authored portal:<account id>');
    for (const c of changes) {
      if (!(ENTITIES[c.entity] as { portal?: boolean }).portal) throw new Error(`the portal may not write ${c.entity} records`);
      if (c.fields['id'] !== undefined && c.fields['id'] !== c.id) throw new Error('the record id in a portal change does not match its fields');
    }
    const rows = await lockRows(
      q,
      changes.map((c) => ({ entity: c.entity, id: c.id })),
    );
    const log: LogEntry[] = [];
    const seqIndex: number[] = [];
    for (const c of changes) {
      const key = `${c.entity}\u0000${c.id}`;
      const current = rows.get(key) ?? null;
      // The portal's clock passes every clock the row carries, so its write is the latest one.
      let clock = tick(this.clock, this.now());
      for (const h of Object.values(current?.clocks ?? {})) if (h > encodeHlc(clock)) clock = receive(clock, decodeHlc(h), this.now());
      this.clock = clock;
      const hlc = encodeHlc(clock);
      const merged = mergeChange(
        ENTITIES[c.entity],
        current,
        { op: current ? 'update' : 'insert', hlc, fields: c.fields, base: current?.clocks ?? {}, deviceId: 'portal', authorId },
        this.merge,
      );
      if (!merged.ok) throw new ServerError(409, merged.code, merged.message);
      rows.set(key, { entity: c.entity, entityId: c.id, patientId: c.patientId, ...merged.row });
      seqIndex.push(log.length);
      log.push({
        deviceId: null,
        deviceSeq: null,
        entity: c.entity,
        entityId: c.id,
        patientId: c.patientId,
        op: current ? 'update' : 'insert',
        fields: merged.touched,
        clocks: merged.touchedClocks,
        authorId,
      });
      // A staff member changed the same field on a device meanwhile: both values kept for review.
      for (const cf of merged.conflicts) {
        const e = conflictRecord(this.now, { kind: 'field', entity: c.entity, entityId: c.id, patientId: c.patientId, ...cf }, hlc);
        rows.set(`sync_conflict\u0000${e.entityId}`, {
          entity: 'sync_conflict',
          entityId: e.entityId,
          patientId: e.patientId,
          data: e.fields,
          clocks: e.clocks,
        });
        log.push(e);
      }
    }
    const first = await writeLog(q, log, rows);
    return seqIndex.map((i) => first + i);
  }
}
