import type Database from 'better-sqlite3';
import { luhnCheckDigit } from '../../../shared/domain/luhn';

/** Luhn check digit, so a mistyped MRN digit is caught at the front desk. */
export function luhnDigit(digits: string): number {
  return luhnCheckDigit(digits);
}

export function isValidMrnCheck(mrn: string): boolean {
  return /^\d{2,}$/.test(mrn) && luhnDigit(mrn.slice(0, -1)) === Number(mrn.slice(-1));
}

/**
 * Assigns MRNs: a counter kept in `meta` (never decremented, so an MRN is never reused)
 * followed by a Luhn check digit. Skips numbers already taken by imported charts.
 *
 * Important: devices register patients while apart. Once enrolled, a device has its own block
 * from the clinic server (`mrn_block` in meta) and its MRNs are block + 6-digit counter + check
 * digit, so two devices never hand out the same MRN. Before enrollment a device uses the plain
 * 7-digit series; a collision from that time is flagged by the server for review.
 */
export class MrnAllocator {
  private readonly read: Database.Statement<[], { value: string }>;
  private readonly taken: Database.Statement<[string]>;
  private readonly save: Database.Statement<[string]>;
  private readonly block: Database.Statement<[], { value: string }>;
  private readonly readBlock: Database.Statement<[], { value: string }>;
  private readonly saveBlock: Database.Statement<[string]>;

  constructor(sqlite: Database.Database) {
    this.read = sqlite.prepare(`SELECT value FROM meta WHERE key = 'mrn_next'`);
    this.block = sqlite.prepare(`SELECT value FROM meta WHERE key = 'mrn_block'`);
    this.readBlock = sqlite.prepare(`SELECT value FROM meta WHERE key = 'mrn_block_next'`);
    this.saveBlock = sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('mrn_block_next', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    this.taken = sqlite.prepare('SELECT 1 FROM patients WHERE mrn = ?');
    this.save = sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('mrn_next', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }

  isTaken(mrn: string): boolean {
    return this.taken.get(mrn) !== undefined;
  }

  /** Must run inside the patient-insert transaction. */
  next(): string {
    const block = this.block.get()?.value;
    if (block) {
      let n = Number(this.readBlock.get()?.value ?? 1);
      let mrn: string;
      do {
        const body = `${block}${String(n).padStart(6, '0')}`;
        mrn = `${body}${luhnDigit(body)}`;
        n++;
      } while (this.isTaken(mrn));
      this.saveBlock.run(String(n));
      return mrn;
    }
    let n = Number(this.read.get()?.value ?? 100000);
    let mrn: string;
    do {
      mrn = `${n}${luhnDigit(String(n))}`;
      n++;
    } while (this.isTaken(mrn));
    this.save.run(String(n));
    return mrn;
  }
}
