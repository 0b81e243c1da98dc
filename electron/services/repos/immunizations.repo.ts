import { and, desc, eq, isNull } from 'drizzle-orm';
import { newId } from '../../common/ids';
import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { Immunization, immunizationAdd } from '../../../shared/domain/clinical';
import type { VaccineCatalog } from '../codes/vaccines';
import type { Orm } from '../db/open';
import { immunizations } from '../db/schema';
import { created, type Actor, type ClinicalWriter } from './writer';
import { storedRow } from './stored-row';

type Row = typeof immunizations.$inferSelect;

/** Immunizations given here or recorded from history, coded in CVX (and MVX for the maker). */
export class ImmunizationsRepo {
  constructor(
    private readonly orm: Orm,
    private readonly writer: ClinicalWriter,
    private readonly catalog: () => VaccineCatalog,
  ) {}

  private toImmunization(r: Row): Immunization {
    return {
      id: r.id,
      patientId: r.patientId,
      cvx: r.cvx,
      vaccine: this.catalog().vaccines.get(r.cvx)?.name ?? `CVX ${r.cvx}`,
      mvx: r.mvx,
      lot: r.lot,
      expirationDate: r.expirationDate,
      site: r.site,
      route: r.route,
      doseNumber: r.doseNumber,
      administeredOn: r.administeredOn,
      source: r.source,
      status: r.status,
    };
  }

  add(input: z.output<typeof immunizationAdd>, actor: Actor, today: string): Immunization {
    const vaccine = this.catalog().vaccines.get(input.cvx);
    if (!vaccine) throw new CairnFailure('invalid_input', `CVX ${input.cvx} is not a known vaccine code`, [{ path: 'cvx', message: 'unknown CVX code' }]);
    if (input.mvx && !this.catalog().manufacturers.has(input.mvx)) {
      throw new CairnFailure('invalid_input', `MVX ${input.mvx} is not a known manufacturer code`, [{ path: 'mvx', message: 'unknown MVX code' }]);
    }
    if (input.administeredOn > today)
      throw new CairnFailure('invalid_input', 'the date given is in the future', [{ path: 'administeredOn', message: 'in the future' }]);
    if (input.source === 'administered' && input.expirationDate && input.expirationDate < input.administeredOn) {
      throw new CairnFailure('invalid_input', `lot ${input.lot ?? ''} expired on ${input.expirationDate}, before it was given: check the vial`, [
        { path: 'expirationDate', message: 'expired before the date given' },
      ]);
    }
    return this.writer.write((at) => {
      const row = this.orm
        .insert(immunizations)
        .values({
          id: newId(),
          patientId: input.patientId,
          cvx: input.cvx,
          mvx: input.mvx ?? null,
          lot: input.lot ?? null,
          expirationDate: input.expirationDate ?? null,
          site: input.site ?? null,
          route: input.route ?? null,
          doseNumber: input.doseNumber ?? null,
          administeredOn: input.administeredOn,
          source: input.source,
          note: input.note ?? null,
          ...created(at, actor),
        })
        .returning()
        .get();
      const i = this.toImmunization(row);
      this.writer.record(at, {
        action: 'immunization.add',
        actor,
        patientId: i.patientId,
        entity: 'immunization',
        id: i.id,
        op: 'insert',
        payload: storedRow(immunizations, row),
        detail: `CVX ${i.cvx}`,
      });
      return i;
    });
  }

  list(patientId: string): Immunization[] {
    return this.orm
      .select()
      .from(immunizations)
      .where(and(eq(immunizations.patientId, patientId), isNull(immunizations.deletedAt)))
      .orderBy(desc(immunizations.administeredOn))
      .all()
      .map((r) => this.toImmunization(r));
  }
}
