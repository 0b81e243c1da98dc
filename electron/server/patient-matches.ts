import type { Mutation } from '../../shared/sync/protocol';
import type { Sql } from './db/open';

export interface PatientMatches {
  /** family\0given\0birth date (lower case) → patient ids */
  byName: Map<string, string[]>;
  byMrn: Map<string, string[]>;
}

export function pushTo(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

export function nameKeyParts(m: Mutation): [string, string, string] | null {
  const family = String(m.fields['family_name'] ?? '').toLowerCase();
  const given = String(m.fields['given_name'] ?? '').toLowerCase();
  const birth = m.fields['birth_date'];
  return family && typeof birth === 'string' ? [family, given, birth] : null;
}

/**
 * Important: each key of a batch is looked up in its index (OFFSET 0 keeps the lookup per key).
 * Joined as a whole, a planner without fresh statistics (PGlite never runs autovacuum; a busy
 * PostgreSQL between its analyses) reads every chart on the server once per batch: 4× slower at
 * 11,000 charts, and growing with the clinic.
 */
export const NAME_MATCHES = `SELECT s.entity_id, k.f, k.g, k.b FROM unnest($1::text[], $2::text[], $3::text[]) AS k(f, g, b)
  CROSS JOIN LATERAL (SELECT s.entity_id FROM sync_rows s WHERE s.entity = 'patient' AND lower(s.data->>'family_name') = k.f
    AND lower(s.data->>'given_name') = k.g AND s.data->>'birth_date' = k.b AND s.data->>'deleted_at' IS NULL OFFSET 0) s`;
export const MRN_MATCHES = `SELECT s.entity_id, k.mrn FROM unnest($1::text[]) AS k(mrn)
  CROSS JOIN LATERAL (SELECT s.entity_id FROM sync_rows s WHERE s.entity = 'patient' AND s.data->>'mrn' = k.mrn OFFSET 0) s`;

/**
 * Patients already on the server that the registrations in this batch may repeat: the same
 * family name, given name and birth date (a likely duplicate), or the same MRN. Two queries per
 * batch, whatever its size.
 */
export async function patientMatches(q: Sql, fresh: Mutation[]): Promise<PatientMatches> {
  const regs = fresh.filter((m) => m.entity === 'patient' && m.op === 'insert');
  const byName = new Map<string, string[]>();
  const byMrn = new Map<string, string[]>();
  if (regs.length === 0) return { byName, byMrn };
  // Each key once: two registrations of one person in a batch repeat a chart on the server once each.
  const keys = [...new Map(regs.map(nameKeyParts).flatMap((k) => (k ? [[k.join('\u0000'), k] as const] : []))).values()];
  const named = await q.query<{ entity_id: string; f: string; g: string; b: string }>(NAME_MATCHES, [
    keys.map((k) => k[0]),
    keys.map((k) => k[1]),
    keys.map((k) => k[2]),
  ]);
  for (const r of named) pushTo(byName, [r.f, r.g, r.b].join('\u0000'), r.entity_id);
  const mrns = [...new Set(regs.map((m) => m.fields['mrn']).filter((x): x is string => typeof x === 'string'))];
  const numbered = await q.query<{ entity_id: string; mrn: string }>(MRN_MATCHES, [mrns]);
  for (const r of numbered) pushTo(byMrn, r.mrn, r.entity_id);
  return { byName, byMrn };
}
