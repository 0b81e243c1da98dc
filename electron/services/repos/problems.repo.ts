import { and, asc, eq, isNull } from 'drizzle-orm';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { Problem, problemAdd, problemUpdate } from '../../../shared/domain/clinical';
import type { Icd10Index } from '../codes/icd10.index';
import type { Orm } from '../db/open';
import { conditions } from '../db/schema';
import { created, updated, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';

type Row = typeof conditions.$inferSelect;

function toProblem(r: Row): Problem {
  return {
    id: r.id,
    patientId: r.patientId,
    icd10: r.icd10,
    snomed: r.snomed,
    display: r.display,
    status: r.clinicalStatus as Problem['status'],
    onsetDate: r.onsetDate,
    abatementDate: r.abatementDate,
    chronic: r.chronic,
    note: r.note,
    version: r.version,
    updatedAt: r.updatedAt,
  };
}

/** The problem list, coded in ICD-10-CM. Only billable codes may be chosen as a diagnosis. */
export class ProblemsRepo {
  constructor(
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
    private readonly icd10: () => Icd10Index,
  ) {}

  add(input: z.output<typeof problemAdd>, actor: Actor): Problem {
    const code = this.icd10().get(input.icd10);
    if (!code) throw new CairnFailure('invalid_input', `${input.icd10} is not an ICD-10-CM FY2026 code`, [{ path: 'icd10', message: 'unknown code' }]);
    if (!code.billable) {
      throw new CairnFailure('invalid_input', `${code.code} (${code.shortDescription}) is a category header: choose one of the billable codes under it`, [
        { path: 'icd10', message: 'choose a billable code' },
      ]);
    }
    return this.writer.write((at) => {
      const dup = this.orm
        .select({ id: conditions.id })
        .from(conditions)
        .where(
          and(
            eq(conditions.patientId, input.patientId),
            eq(conditions.icd10, code.code),
            eq(conditions.clinicalStatus, 'active'),
            isNull(conditions.deletedAt),
          ),
        )
        .get();
      if (dup) throw new CairnFailure('conflict', `${code.code} ${code.shortDescription} is already an active problem`);
      const row = this.orm
        .insert(conditions)
        .values({
          id: newId(),
          patientId: input.patientId,
          icd10: code.code,
          display: code.description,
          clinicalStatus: input.status,
          onsetDate: input.onsetDate ?? null,
          chronic: input.chronic,
          note: input.note ?? null,
          ...created(at, actor),
        })
        .returning()
        .get();
      const p = toProblem(row);
      this.writer.record(at, {
        action: 'problem.add',
        actor,
        patientId: p.patientId,
        entity: 'condition',
        id: p.id,
        op: 'insert',
        payload: storedRow(conditions, row),
        detail: code.code,
      });
      return p;
    });
  }

  update(input: z.output<typeof problemUpdate>, actor: Actor): Problem {
    return this.writer.write((at) => {
      const cur = this.orm.select().from(conditions).where(eq(conditions.id, input.id)).get();
      if (!cur || cur.deletedAt) throw new CairnFailure('not_found', `no problem with id ${input.id}`);
      if (cur.version !== input.expectedVersion) throw new CairnFailure('conflict', 'this problem was changed after you opened it; reload and try again');
      const row = this.orm
        .update(conditions)
        .set({
          ...(input.status && { clinicalStatus: input.status }),
          ...(input.onsetDate && { onsetDate: input.onsetDate }),
          ...(input.abatementDate && { abatementDate: input.abatementDate }),
          ...(input.status === 'resolved' && !input.abatementDate && !cur.abatementDate && { abatementDate: at.slice(0, 10) }),
          ...(input.chronic !== undefined && { chronic: input.chronic }),
          ...(input.note !== undefined && { note: input.note }),
          ...updated(at, actor, cur.version),
        })
        .where(eq(conditions.id, input.id))
        .returning()
        .get();
      const p = toProblem(row);
      this.writer.record(at, {
        action: 'problem.update',
        actor,
        patientId: p.patientId,
        entity: 'condition',
        id: p.id,
        op: 'update',
        payload: storedRow(conditions, row),
      });
      return p;
    });
  }

  list(patientId: string): Problem[] {
    return this.orm
      .select()
      .from(conditions)
      .where(and(eq(conditions.patientId, patientId), isNull(conditions.deletedAt)))
      .orderBy(asc(conditions.clinicalStatus), asc(conditions.display))
      .all()
      .map(toProblem);
  }
}
