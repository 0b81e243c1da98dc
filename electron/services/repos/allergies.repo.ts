import { and, desc, eq, isNull } from 'drizzle-orm';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { Allergy, allergyAdd, allergyStatusChange } from '../../../shared/domain/clinical';
import type { AllergyStatus } from '../../../shared/domain/patient';
import type { Orm } from '../db/open';
import { allergies } from '../db/schema';
import { created, updated, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';

type Row = typeof allergies.$inferSelect;

function toAllergy(r: Row): Allergy {
  return {
    id: r.id,
    patientId: r.patientId,
    kind: r.kind === 'nka' ? 'nka' : 'allergy',
    substance: r.substance,
    substanceCode: r.substanceCode,
    substanceType: r.substanceType,
    reactions: JSON.parse(r.reactions) as string[],
    severity: r.severity,
    criticality: r.criticality,
    status: r.status,
    onsetDate: r.onsetDate,
    note: r.note,
    recordedAt: r.recordedAt,
    version: r.version,
  };
}

/** What the banner shows: a chart with no allergy review says "not reviewed", never "none". */
export function allergyStatusOf(list: readonly Allergy[]): AllergyStatus {
  const active = list.filter((a) => a.status === 'active');
  const substances = active.filter((a) => a.kind === 'allergy').map((a) => a.substance ?? '');
  if (substances.length > 0) return { kind: 'allergies', substances };
  if (active.some((a) => a.kind === 'nka')) return { kind: 'nka' };
  return { kind: 'unknown' };
}

/**
 * Allergies and intolerances. "No known allergies" is an explicit statement (kind 'nka'),
 * distinct from nothing recorded; recording an allergy retires an active NKA statement.
 */
export class AllergiesRepo {
  constructor(
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
  ) {}

  add(input: z.output<typeof allergyAdd>, actor: Actor): Allergy {
    return this.writer.write((at) => {
      const active = this.list(input.patientId).filter((a) => a.status === 'active');
      if (input.kind === 'nka' && active.some((a) => a.kind === 'allergy')) {
        throw new CairnFailure('conflict', 'this patient has active allergies: mark them inactive before recording "no known allergies"');
      }
      if (input.kind === 'nka' && active.some((a) => a.kind === 'nka')) return active.find((a) => a.kind === 'nka')!;
      if (input.kind === 'allergy') {
        const same = active.find((a) => a.kind === 'allergy' && a.substance?.toLowerCase() === input.substance.toLowerCase());
        if (same) throw new CairnFailure('conflict', `${input.substance} is already on the allergy list`);
        for (const nka of active.filter((a) => a.kind === 'nka')) this.setStatus(nka, 'inactive', at, actor, 'superseded by a recorded allergy');
      }
      const row = this.orm
        .insert(allergies)
        .values({
          id: newId(),
          patientId: input.patientId,
          kind: input.kind,
          status: 'active',
          recordedAt: at,
          ...created(at, actor),
          ...(input.kind === 'allergy' && {
            substance: input.substance,
            substanceCode: input.substanceCode ?? null,
            substanceType: input.substanceType,
            reactions: JSON.stringify(input.reactions),
            severity: input.severity ?? null,
            criticality: input.criticality,
            onsetDate: input.onsetDate ?? null,
            note: input.note ?? null,
          }),
        })
        .returning()
        .get();
      const a = toAllergy(row);
      this.writer.record(at, {
        action: 'allergy.add',
        actor,
        patientId: a.patientId,
        entity: 'allergy',
        id: a.id,
        op: 'insert',
        payload: storedRow(allergies, row),
        detail: a.substance ?? 'NKA',
      });
      return a;
    });
  }

  changeStatus(input: z.output<typeof allergyStatusChange>, actor: Actor): Allergy {
    return this.writer.write((at) => {
      const cur = this.orm.select().from(allergies).where(eq(allergies.id, input.id)).get();
      if (!cur || cur.deletedAt) throw new CairnFailure('not_found', `no allergy with id ${input.id}`);
      if (cur.version !== input.expectedVersion) throw new CairnFailure('conflict', 'this allergy was changed after you opened it; reload and try again');
      return this.setStatus(toAllergy(cur), input.status, at, actor, input.note);
    });
  }

  private setStatus(a: Allergy, status: string, at: string, actor: Actor, note?: string): Allergy {
    const row = this.orm
      .update(allergies)
      .set({ status, ...(note !== undefined && { note }), ...updated(at, actor, a.version) })
      .where(eq(allergies.id, a.id))
      .returning()
      .get();
    const next = toAllergy(row);
    this.writer.record(at, {
      action: 'allergy.update',
      actor,
      patientId: a.patientId,
      entity: 'allergy',
      id: a.id,
      op: 'update',
      payload: storedRow(allergies, row),
      detail: status,
    });
    return next;
  }

  list(patientId: string): Allergy[] {
    return this.orm
      .select()
      .from(allergies)
      .where(and(eq(allergies.patientId, patientId), isNull(allergies.deletedAt)))
      .orderBy(desc(allergies.recordedAt))
      .all()
      .map(toAllergy);
  }

  status(patientId: string): AllergyStatus {
    return allergyStatusOf(this.list(patientId));
  }
}
