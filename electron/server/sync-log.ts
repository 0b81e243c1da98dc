import type { Clocks, Fields } from '../../shared/sync/entities';
import type { ConflictDraft, RowState } from '../../shared/sync/merge';
import type { Mutation, WireAuditEntry } from '../../shared/sync/protocol';
import { newId } from '../common/ids';
import { jsonbParam } from './db/jsonb-param';
import type { Sql } from './db/open';
import { compactClocks, expandClocks } from '../../shared/sync/compact-clocks';
import { nameKeyParts, pushTo, type PatientMatches } from './patient-matches';

/**
 * The clinic server's change log: rows locked for a push, conflict records, repeated registrations,
 * numbered log entries and the device audit entries, all written inside the push's transaction.
 */

export type LockedRow = RowState & { entity: string; entityId: string; patientId: string | null; serverSeq?: number };

export interface LogEntry {
  deviceId: string | null;
  deviceSeq: number | null;
  entity: string;
  entityId: string;
  patientId: string | null;
  op: 'insert' | 'update';
  fields: Fields;
  clocks: Clocks;
  authorId: string | null;
}

export async function lockRows(q: Sql, ms: readonly Pick<Mutation, 'entity' | 'id'>[]): Promise<Map<string, LockedRow>> {
  const keys = [...new Set(ms.map((m) => `${m.entity}\u0000${m.id}`))].map((k) => k.split('\u0000'));
  // Locked in key order so two server processes never wait on each other in a cycle.
  const found = await q.query<{
    entity: string;
    entity_id: string;
    patient_id: string | null;
    data: Fields;
    clocks: Clocks;
    hlc: string | null;
    server_seq: number;
  }>(
    `SELECT entity, entity_id, patient_id, data, clocks, hlc, server_seq FROM sync_rows
     WHERE (entity, entity_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY entity, entity_id FOR UPDATE`,
    [keys.map((k) => k[0]), keys.map((k) => k[1])],
  );
  return new Map(
    found.map((r) => [
      `${r.entity}\u0000${r.entity_id}`,
      {
        entity: r.entity,
        entityId: r.entity_id,
        patientId: r.patient_id,
        data: r.data,
        clocks: expandClocks(r.data, r.hlc, r.clocks),
        serverSeq: Number(r.server_seq),
      },
    ]),
  );
}

export function conflictEntry(now: () => number, entity: string, entityId: string, patientId: string | null, c: ConflictDraft, m: Mutation): LogEntry {
  return conflictRecord(now, { kind: 'field', entity, entityId, patientId, field: c.field, values: c.values, winner: c.winner }, m.hlc);
}

export function conflictRecord(
  now: () => number,
  r: {
    kind: 'field' | 'duplicate_patient' | 'duplicate_mrn';
    entity: string;
    entityId: string;
    patientId: string | null;
    field: string | null;
    values: unknown;
    winner: unknown;
  },
  hlc: string,
): LogEntry {
  const id = newId();
  const at = new Date(now()).toISOString();
  const fields: Fields = {
    id,
    kind: r.kind,
    entity: r.entity,
    entity_id: r.entityId,
    patient_id: r.patientId,
    field: r.field,
    values: JSON.stringify(r.values),
    winner: JSON.stringify(r.winner),
    status: 'open',
    created_at: at,
    resolved_by: null,
    resolved_at: null,
    resolution: null,
    updated_at: at,
    updated_by: null,
  };
  const clocks = Object.fromEntries(Object.keys(fields).map((k) => [k, hlc]));
  return { deviceId: null, deviceSeq: null, entity: 'sync_conflict', entityId: id, patientId: r.patientId, op: 'insert', fields, clocks, authorId: null };
}

/**
 * A new registration that repeats another chart: the same person registered on two devices while
 * apart (flagged for review, never merged silently), or one MRN on two charts (registered before
 * their devices were enrolled; flagged for an administrator). Remembers it for the rest of the batch.
 */
export function repeats(now: () => number, m: Mutation, matches: PatientMatches): LogEntry[] {
  const out: LogEntry[] = [];
  const parts = nameKeyParts(m);
  if (parts) {
    const key = parts.join('\u0000');
    for (const other of matches.byName.get(key) ?? []) {
      if (other !== m.id)
        out.push(
          conflictRecord(
            now,
            {
              kind: 'duplicate_patient',
              entity: 'patient',
              entityId: m.id,
              patientId: m.id,
              field: null,
              values: [{ patientId: other }, { patientId: m.id }],
              winner: null,
            },
            m.hlc,
          ),
        );
    }
    pushTo(matches.byName, key, m.id);
  }
  const mrn = m.fields['mrn'];
  if (typeof mrn === 'string') {
    for (const other of matches.byMrn.get(mrn) ?? []) {
      if (other !== m.id)
        out.push(
          conflictRecord(
            now,
            {
              kind: 'duplicate_mrn',
              entity: 'patient',
              entityId: m.id,
              patientId: m.id,
              field: 'mrn',
              values: [
                { patientId: other, value: mrn },
                { patientId: m.id, value: mrn },
              ],
              winner: null,
            },
            m.hlc,
          ),
        );
    }
    pushTo(matches.byMrn, mrn, m.id);
  }
  return out;
}

/** Same keys, same primitive values (wire values are strings, numbers or null). */
function sameFields(a: Fields, b: Fields): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  return n === Object.keys(b).length;
}

/**
 * Numbers and writes log entries and the rows they produce, in one statement that reads its
 * parameter once. Clocks are stored compact (sync-clocks.ts), and a row whose merged state is
 * exactly its log entry (a new record) is not sent twice. Important: the counter row stays locked
 * until this transaction commits, so sequence numbers become visible in order and a reader's cursor
 * can never pass a number that commits later.
 */
export async function writeLog(q: Sql, log: LogEntry[], rows: Map<string, LockedRow>): Promise<number> {
  if (log.length === 0) return 0;
  const [counter] = await q.query<{ n: number }>('UPDATE sync_counter SET n = n + $1 WHERE id = 1 RETURNING n', [log.length]);
  const first = Number(counter!.n) - log.length + 1;
  // The row a key ends with is written once, with its last entry.
  const lastOf = new Map<string, number>();
  log.forEach((e, i) => lastOf.set(`${e.entity}\u0000${e.entityId}`, i));
  const entries = log.map((e, i) => {
    const key = `${e.entity}\u0000${e.entityId}`;
    const clocks = compactClocks(e.clocks);
    const entry = {
      server_seq: first + i,
      device_id: e.deviceId,
      device_seq: e.deviceSeq,
      entity: e.entity,
      entity_id: e.entityId,
      patient_id: e.patientId,
      op: e.op,
      fields: e.fields,
      clocks: clocks.rest,
      hlc: clocks.hlc,
      author_id: e.authorId,
      last: false,
      row_data: null as Fields | null,
      row_clocks: null as Clocks | null,
      row_hlc: null as string | null,
    };
    if (lastOf.get(key) !== i) return entry;
    const r = rows.get(key)!;
    r.serverSeq = first + i;
    entry.last = true;
    if (sameFields(r.data, e.fields) && sameFields(r.clocks, e.clocks)) return entry;
    const rowClocks = compactClocks(r.clocks);
    entry.row_data = r.data;
    entry.row_clocks = rowClocks.rest;
    entry.row_hlc = rowClocks.hlc;
    return entry;
  });
  await q.query(
    `WITH x AS MATERIALIZED (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(server_seq bigint, device_id text, device_seq bigint, entity text, entity_id text, patient_id text,
         op text, fields jsonb, clocks jsonb, hlc text, author_id text, last boolean, row_data jsonb, row_clocks jsonb, row_hlc text)
     ), logged AS (
       INSERT INTO sync_changes (server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, hlc, author_id)
       SELECT server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, hlc, author_id FROM x
     )
     INSERT INTO sync_rows (entity, entity_id, patient_id, data, clocks, hlc, server_seq)
     SELECT entity, entity_id, patient_id, coalesce(row_data, fields), coalesce(row_clocks, clocks), CASE WHEN row_data IS NULL THEN hlc ELSE row_hlc END, server_seq
     FROM x WHERE last
     ON CONFLICT (entity, entity_id) DO UPDATE SET patient_id = excluded.patient_id, data = excluded.data, clocks = excluded.clocks, hlc = excluded.hlc,
       server_seq = excluded.server_seq`,
    [jsonbParam(entries)],
  );
  return first;
}

/**
 * Audit entries, append-only. A device's chain is keyed (HMAC under a key only that device holds),
 * so the server cannot recompute a hash, and nobody with the server's copy can forge a device's
 * history. It checks that each entry links to the one it holds before it (prev_hash; a device whose
 * tail was cut and written again breaks the link: `chain_ok` false) and keeps every device's head
 * (its highest entry), which the device's `cairn audit verify` compares with its file. Returns the
 * highest seq held.
 */
export async function storeAudit(q: Sql, deviceId: string, entries: WireAuditEntry[]): Promise<number> {
  const [last] = await q.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entries WHERE device_id = $1 ORDER BY seq DESC LIMIT 1', [deviceId]);
  let prev = last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: '0'.repeat(64) };
  const rows = [];
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (e.seq <= prev.seq) continue;
    if (e.seq !== prev.seq + 1) break;
    const chainOk = e.prevHash === prev.hash && /^[0-9a-f]{64}$/.test(e.hash);
    rows.push({ ...e, chainOk });
    prev = { seq: e.seq, hash: e.hash };
  }
  if (rows.length > 0) {
    await q.query(
      `INSERT INTO audit_entries (device_id, seq, at, user_id, action, patient_id, record_type, record_id, detail, prev_hash, hash, chain_ok)
       SELECT $1, x.seq, x.at, x."userId", x.action, x."patientId", x."recordType", x."recordId", x.detail, x."prevHash", x.hash, x."chainOk"
       FROM jsonb_to_recordset($2::jsonb) AS x(seq bigint, at text, "userId" text, action text, "patientId" text, "recordType" text, "recordId" text, detail text, "prevHash" text, hash text, "chainOk" boolean)
       ON CONFLICT DO NOTHING`,
      [deviceId, jsonbParam(rows)],
    );
  }
  return prev.seq;
}
