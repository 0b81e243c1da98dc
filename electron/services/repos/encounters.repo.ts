import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { newId } from '../../common/ids';
import { CairnFailure } from '../../../shared/api/result';
import type { Encounter } from '../../../shared/domain/clinical';
import { type encounterCreate, ENCOUNTER_STATUSES } from '../../../shared/domain/clinical';
import type { z } from 'zod';
import type { Orm } from '../db/open';
import { encounters, patients, users } from '../db/schema';
import { deceasedRefusal } from '../../../shared/domain/patient';
import { created, updated, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';

type Row = typeof encounters.$inferSelect;

/** Moving forward only: planned → checked in → in progress → finished. */
const ORDER = Object.fromEntries(ENCOUNTER_STATUSES.map((s, i) => [s, i])) as Record<Encounter['status'], number>;

export class EncountersRepo {
  constructor(
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
  ) {}

  private toEncounter(r: Row): Encounter {
    const provider = r.providerId ? this.orm.select({ name: users.displayName }).from(users).where(eq(users.id, r.providerId)).get() : undefined;
    return {
      id: r.id,
      patientId: r.patientId,
      visitType: r.visitType as Encounter['visitType'],
      status: r.status as Encounter['status'],
      providerId: r.providerId,
      providerName: provider?.name ?? null,
      reason: r.reason,
      startAt: r.startAt,
      endAt: r.endAt,
      version: r.version,
    };
  }

  create(input: z.output<typeof encounterCreate>, actor: Actor): Encounter {
    return this.writer.write((at) => {
      const p = this.orm
        .select({ id: patients.id, deceasedOn: patients.deceasedOn })
        .from(patients)
        .where(and(eq(patients.id, input.patientId), isNull(patients.deletedAt)))
        .get();
      if (!p) throw new CairnFailure('not_found', `no patient with id ${input.patientId}`);
      // Important: refused before the row (and its audit and outbox entries) is written.
      const refusal = deceasedRefusal(p, 'starting a visit');
      if (refusal) throw new CairnFailure('conflict', refusal);
      const row = this.orm
        .insert(encounters)
        .values({
          id: newId(),
          patientId: input.patientId,
          visitType: input.visitType,
          status: input.status,
          // The one who opens the visit sees the patient, unless that is the command line's operator (no user).
          providerId: input.providerId ?? (this.orm.select({ id: users.id }).from(users).where(eq(users.id, actor.userId)).get() ? actor.userId : null),
          reason: input.reason ?? null,
          startAt: input.status === 'planned' ? null : (input.startAt ?? at),
          ...created(at, actor),
        })
        .returning()
        .get();
      const e = this.toEncounter(row);
      this.writer.record(at, {
        action: 'encounter.create',
        actor,
        patientId: e.patientId,
        entity: 'encounter',
        id: e.id,
        op: 'insert',
        payload: storedRow(encounters, row),
      });
      return e;
    });
  }

  setStatus(id: string, status: Encounter['status'], actor: Actor): Encounter {
    return this.writer.write((at) => {
      const cur = this.orm.select().from(encounters).where(eq(encounters.id, id)).get();
      if (!cur || cur.deletedAt) throw new CairnFailure('not_found', `no encounter with id ${id}`);
      if (ORDER[status] < ORDER[cur.status as Encounter['status']]) {
        throw new CairnFailure('conflict', `an encounter that is ${cur.status.replace('_', ' ')} cannot go back to ${status.replace('_', ' ')}`);
      }
      const row = this.orm
        .update(encounters)
        .set({
          status,
          startAt: cur.startAt ?? (status === 'planned' ? null : at),
          endAt: status === 'finished' ? at : cur.endAt,
          ...updated(at, actor, cur.version),
        })
        .where(eq(encounters.id, id))
        .returning()
        .get();
      const e = this.toEncounter(row);
      this.writer.record(at, {
        action: 'encounter.update',
        actor,
        patientId: e.patientId,
        entity: 'encounter',
        id,
        op: 'update',
        payload: storedRow(encounters, row),
        detail: status,
      });
      return e;
    });
  }

  get(id: string): Encounter {
    const r = this.orm.select().from(encounters).where(eq(encounters.id, id)).get();
    if (!r || r.deletedAt) throw new CairnFailure('not_found', `no encounter with id ${id}`);
    return this.toEncounter(r);
  }

  /**
   * Newest visit first, by when it took place: imported history is written in one go long after
   * the visits, so the time the row was made says nothing of their order. A planned visit (no
   * start yet) counts from when it was made.
   */
  list(patientId: string, limit = 50): Encounter[] {
    return this.orm
      .select()
      .from(encounters)
      .where(and(eq(encounters.patientId, patientId), isNull(encounters.deletedAt)))
      .orderBy(desc(sql`coalesce(${encounters.startAt}, ${encounters.createdAt})`), desc(encounters.createdAt))
      .limit(limit)
      .all()
      .map((r) => this.toEncounter(r));
  }
}
