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
 * Assigns the next MRN: a counter kept in `meta` (never decremented, so an MRN is never reused)
 * followed by a Luhn check digit. Skips numbers already taken by imported charts.
 * Must run inside the patient-insert transaction.
 */
export function nextMrn(sqlite: Database.Database): string {
  const row = sqlite.prepare(`SELECT value FROM meta WHERE key = 'mrn_next'`).get() as { value: string } | undefined;
  let n = row ? Number(row.value) : 100000;
  const taken = sqlite.prepare('SELECT 1 FROM patients WHERE mrn = ?');
  let mrn: string;
  do {
    mrn = `${n}${luhnDigit(String(n))}`;
    n++;
  } while (taken.get(mrn));
  sqlite.prepare(`INSERT INTO meta (key, value) VALUES ('mrn_next', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(n));
  return mrn;
}
