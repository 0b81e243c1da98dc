import type Database from 'better-sqlite3';

/** Luhn check digit, so a mistyped MRN digit is caught at the front desk. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidMrnCheck(mrn: string): boolean {
  return /^\d{2,}$/.test(mrn) && luhnDigit(mrn.slice(0, -1)) === Number(mrn.slice(-1));
}

/**
 * Assigns MRNs: a counter kept in `meta` (never decremented, so an MRN is never reused)
 * followed by a Luhn check digit. Skips numbers already taken by imported charts.
 */
export class MrnAllocator {
  private readonly read: Database.Statement<[], { value: string }>;
  private readonly taken: Database.Statement<[string]>;
  private readonly save: Database.Statement<[string]>;

  constructor(sqlite: Database.Database) {
    this.read = sqlite.prepare(`SELECT value FROM meta WHERE key = 'mrn_next'`);
    this.taken = sqlite.prepare('SELECT 1 FROM patients WHERE mrn = ?');
    this.save = sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('mrn_next', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }

  isTaken(mrn: string): boolean {
    return this.taken.get(mrn) !== undefined;
  }

  /** Must run inside the patient-insert transaction. */
  next(): string {
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
