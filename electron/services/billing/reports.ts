import type { AgingReport } from '../../../shared/domain/billing/model';
import { formatCents } from '../../../shared/domain/money';
import { addDays, wallDateTime, zonedInstant } from '../../../shared/domain/dates';
import type { BillingRows } from './rows';

/**
 * The instants a range of the clinic's days spans, as ledger timestamps (UTC ISO) compare: from the
 * start of `from` to the start of the day after `to` (exclusive), in the clinic's zone. An evening
 * payment in New York is stamped with tomorrow's UTC date, and belongs on today's day sheet.
 */
export function clinicDays(from: string, to: string, zone: string): [string, string] {
  return [new Date(zonedInstant(from, 0, zone)).toISOString(), new Date(zonedInstant(addDays(to, 1), 0, zone)).toISOString()];
}

/**
 * A/R aging as of a date: what each payer and each patient still owes, by age of the service. Derived
 * from the ledger (open amount per claim and party), so it always equals the accounts.
 */
export function agingReport(rows: BillingRows, asOf: string, zone: string): AgingReport {
  // Every entry of a claim carries the claim's date of service, so summing by bucket equals summing
  // each claim's open amount; entries without a claim (a copay paid ahead) age from their own date.
  // `+posted_at`: nearly every entry is before the day asked for, so one pass over the table beats the
  // posted_at index (which the day sheet uses) and a lookup per entry (~200 → ~270 ms at 100,000 charges).
  const open = rows.all<{ party: string; payer_ref: string | null; patient_id: string; bucket: number; open: number }>(
    `SELECT party, CASE WHEN party = 'insurance' THEN payer_ref END AS payer_ref, CASE WHEN party = 'patient' THEN patient_id END AS patient_id,
            min(4, max(0, CAST((julianday(?) - julianday(coalesce(service_date, substr(posted_at, 1, 10))) - 1) / 30 AS INTEGER))) AS bucket,
            sum(amount_cents) AS open
       FROM ledger_entries WHERE +posted_at < ? GROUP BY 1, 2, 3, 4 HAVING sum(amount_cents) <> 0`,
    asOf,
    clinicDays(asOf, asOf, zone)[1],
  );
  const byPayer = new Map<string, number[]>();
  const byPatient = new Map<string, number[]>();
  const totals = [0, 0, 0, 0, 0];
  for (const r of open) {
    const [map, key] = r.party === 'insurance' ? [byPayer, r.payer_ref ?? '-'] : [byPatient, r.patient_id ?? '-'];
    const b = map.get(key) ?? [0, 0, 0, 0, 0];
    b[r.bucket]! += r.open;
    map.set(key, b);
    totals[r.bucket]! += r.open;
  }
  const name = (sql: string, key: string): string => rows.get<{ n: string }>(sql, key)?.n ?? 'Unknown';
  const list = (m: Map<string, number[]>, sql: string): AgingReport['byPayer'] =>
    [...m.entries()]
      .map(([key, buckets]) => ({ key, name: name(sql, key), buckets, totalCents: buckets.reduce((s, x) => s + x, 0) }))
      .filter((r) => r.totalCents !== 0)
      .sort((a, b) => b.totalCents - a.totalCents);
  return {
    asOf,
    byPayer: list(byPayer, 'SELECT name AS n FROM payers WHERE id = ?'),
    byPatient: list(byPatient, "SELECT trim(given_name || ' ' || family_name) AS n FROM patients WHERE id = ?"),
    totals,
    totalCents: totals.reduce((s, x) => s + x, 0),
  };
}

export interface Table {
  columns: string[];
  rows: (string | number)[][];
  csv: string;
}

function table(columns: string[], rows: (string | number)[][]): Table {
  const cell = (v: string | number): string => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return { columns, rows, csv: [columns, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n' };
}

/** Every entry posted in the range: the day sheet a front desk closes the day with, each at the clinic's time ("2026-12-06 19:30"). */
export function daySheet(rows: BillingRows, from: string, to: string, zone: string): Table {
  const list = rows.all<{
    posted_at: string;
    mrn: string;
    name: string;
    kind: string;
    party: string;
    amount_cents: number;
    method: string | null;
    claim_number: string | null;
  }>(
    `SELECT l.posted_at, p.mrn, trim(p.given_name || ' ' || p.family_name) AS name, l.kind, l.party, l.amount_cents, l.method, c.claim_number
       FROM ledger_entries l JOIN patients p ON p.id = l.patient_id LEFT JOIN claims c ON c.id = l.claim_id
      WHERE l.posted_at >= ? AND l.posted_at < ? ORDER BY l.posted_at`,
    ...clinicDays(from, to, zone),
  );
  return table(
    ['posted', 'mrn', 'patient', 'kind', 'party', 'amount_cents', 'amount', 'method', 'claim'],
    list.map((r) => [
      wallDateTime(Date.parse(r.posted_at), zone),
      r.mrn,
      r.name,
      r.kind,
      r.party,
      r.amount_cents,
      formatCents(r.amount_cents),
      r.method ?? '',
      r.claim_number ?? '',
    ]),
  );
}

/** Payments received in the range, by the provider whose visit they pay for. */
export function collectionsByProvider(rows: BillingRows, from: string, to: string, zone: string): Table {
  const list = rows.all<{ provider: string | null; insurance: number; patient: number }>(
    `SELECT u.display_name AS provider, sum(CASE WHEN l.party = 'insurance' THEN -l.amount_cents ELSE 0 END) AS insurance,
            sum(CASE WHEN l.party = 'patient' THEN -l.amount_cents ELSE 0 END) AS patient
       FROM ledger_entries l LEFT JOIN claims c ON c.id = l.claim_id LEFT JOIN users u ON u.id = coalesce(l.provider_id, c.rendering_id)
      WHERE l.kind IN ('payment', 'refund') AND l.posted_at >= ? AND l.posted_at < ? GROUP BY 1 ORDER BY 1`,
    ...clinicDays(from, to, zone),
  );
  return table(
    ['provider', 'insurance_cents', 'patient_cents', 'total_cents', 'total'],
    list.map((r) => [r.provider ?? 'No provider', r.insurance, r.patient, r.insurance + r.patient, formatCents(r.insurance + r.patient)]),
  );
}

/** Claims adjudicated in the range that were denied, by the reason (CARC) carrying most of the denied amount. */
export function denialRate(rows: BillingRows, from: string, to: string, zone: string, describe: (code: string) => string): Table {
  const adjudicated = rows.get<{ n: number }>(
    `SELECT count(DISTINCT l.claim_id) AS n FROM ledger_entries l WHERE l.remittance_id IS NOT NULL AND l.posted_at >= ? AND l.posted_at < ?`,
    ...clinicDays(from, to, zone),
  )!.n;
  const list = rows.all<{ reason: string; claims: number }>(
    `SELECT l.adjustment_group || '-' || l.adjustment_reason AS reason, count(DISTINCT l.claim_id) AS claims
       FROM ledger_entries l JOIN claims c ON c.id = l.claim_id
      WHERE c.status = 'denied' AND l.adjustment_reason IS NOT NULL AND l.posted_at >= ? AND l.posted_at < ? GROUP BY 1 ORDER BY 2 DESC`,
    ...clinicDays(from, to, zone),
  );
  return table(
    ['reason', 'description', 'claims', 'adjudicated', 'rate_percent'],
    list.map((r) => [
      r.reason,
      describe(r.reason.split('-')[1] ?? ''),
      r.claims,
      adjudicated,
      adjudicated ? Math.round((1000 * r.claims) / adjudicated) / 10 : 0,
    ]),
  );
}
