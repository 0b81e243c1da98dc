import type { z } from 'zod';
import { CairnFailure } from '../../../shared/api/result';
import type { Payer, payerInput } from '../../../shared/domain/billing/model';
import type { Actor } from '../repos/writer';
import type { BillingRows, Row } from './rows';

interface PayerRow {
  id: string;
  name: string;
  payer_id: string;
  filing_indicator: string;
  address_line1: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  phone: string | null;
}

export function toPayer(r: PayerRow): Payer {
  return {
    id: r.id,
    name: r.name,
    payerId: r.payer_id,
    filingIndicator: r.filing_indicator as Payer['filingIndicator'],
    ...(r.address_line1 ? { addressLine1: r.address_line1 } : {}),
    ...(r.city ? { city: r.city } : {}),
    ...(r.state ? { state: r.state } : {}),
    ...(r.zip ? { zip: r.zip } : {}),
    ...(r.phone ? { phone: r.phone } : {}),
  };
}

/** The payer directory, the clinic's fee schedule and its imported procedure codes. */
export class PayersRepo {
  constructor(private readonly rows: BillingRows) {}

  add(input: z.output<typeof payerInput>, actor: Actor): Payer {
    return this.rows.writer.write((at) => {
      const dup = this.rows.get<{ name: string }>('SELECT name FROM payers WHERE payer_id = ? AND deleted_at IS NULL', input.payerId);
      if (dup)
        throw new CairnFailure('conflict', `payer id ${input.payerId} is already in the directory as ${dup.name}`, [
          { path: 'payerId', message: 'already listed' },
        ]);
      const row: Row = {
        name: input.name,
        payer_id: input.payerId,
        filing_indicator: input.filingIndicator,
        address_line1: input.addressLine1 ?? null,
        city: input.city ?? null,
        state: input.state ?? null,
        zip: input.zip ?? null,
        phone: input.phone ?? null,
      };
      return toPayer(this.rows.insert(at, actor, 'payer', row, null, 'billing.payer.add') as unknown as PayerRow);
    });
  }

  list(): Payer[] {
    return this.rows.all<PayerRow>('SELECT * FROM payers WHERE deleted_at IS NULL ORDER BY name').map(toPayer);
  }

  /** By Cairn's row id or by the payer id the clearinghouse uses. */
  find(ref: string): Payer | undefined {
    const r = this.rows.get<PayerRow>('SELECT * FROM payers WHERE (id = ? OR payer_id = ?) AND deleted_at IS NULL ORDER BY created_at LIMIT 1', ref, ref);
    return r ? toPayer(r) : undefined;
  }

  get(ref: string): Payer {
    const p = this.find(ref);
    if (!p) throw new CairnFailure('not_found', `no payer "${ref}" in the directory: add it first (cairn billing payer add)`);
    return p;
  }

  /** The price of a code (and modifier) on a date, or null when the schedule has none. */
  price(code: string, modifier: string, onDate: string): number | null {
    const sql = `SELECT price_cents AS p FROM fee_schedule WHERE code = ? AND modifier = ? AND effective_from <= ? AND deleted_at IS NULL
                 ORDER BY effective_from DESC, updated_at DESC LIMIT 1`;
    const exact = this.rows.get<{ p: number }>(sql, code, modifier, onDate);
    if (exact) return exact.p;
    return modifier === '' ? null : (this.rows.get<{ p: number }>(sql, code, '', onDate)?.p ?? null);
  }

  /** Adds fee schedule rows (one transaction: all or none). */
  importFees(fees: readonly { code: string; modifier: string; priceCents: number }[], effectiveFrom: string, actor: Actor): number {
    return this.rows.writer.write((at) => {
      for (const f of fees)
        this.rows.insert(
          at,
          actor,
          'fee',
          { code: f.code, modifier: f.modifier, price_cents: f.priceCents, effective_from: effectiveFrom },
          null,
          'billing.fee.import',
        );
      return fees.length;
    });
  }

  /** Loads the clinic's licensed CPT (or HCPCS) file: code and description, replacing what was there. */
  importCodes(codes: readonly { code: string; description: string }[], system: 'CPT' | 'HCPCS', at: string): number {
    const put = this.rows.sqlite.prepare(
      'INSERT INTO procedure_codes (code, system, description, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET system = excluded.system, description = excluded.description, imported_at = excluded.imported_at',
    );
    this.rows.sqlite.transaction(() => {
      for (const c of codes) put.run(c.code, system, c.description, at);
    })();
    return codes.length;
  }

  describe(code: string): string | null {
    return this.rows.get<{ d: string }>('SELECT description AS d FROM procedure_codes WHERE code = ?', code)?.d ?? null;
  }

  knows(code: string): boolean {
    return this.describe(code) !== null || this.rows.get('SELECT 1 FROM fee_schedule WHERE code = ? AND deleted_at IS NULL LIMIT 1', code) !== undefined;
  }

  searchCodes(q: string, limit = 20): { code: string; description: string }[] {
    const like = `%${q.replace(/[%_]/g, '')}%`;
    return this.rows.all<{ code: string; description: string }>(
      'SELECT code, description FROM procedure_codes WHERE code LIKE ? OR description LIKE ? ORDER BY code LIMIT ?',
      `${q.toUpperCase()}%`,
      like,
      limit,
    );
  }
}
