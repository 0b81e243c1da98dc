import type Database from 'better-sqlite3';
import { newId } from '../../common/ids';
import { readPatientFacts } from '../../../shared/domain/hl7-patient';
import { labTest, type LabOrderStatus, orderStatusFromResults } from '../../../shared/domain/lab-orders';
import { arrivesLate, type LabOrderDraft, type LabResultDraft, mapOru, type OruDrafts, patientParts } from '../../../shared/domain/lab-results';
import { segments } from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import type { StoredRow } from '../repos/stored-row';
import { created } from '../repos/writer';
import { addReview, auditMatch, auditReceipt, type Decision, type HandlerContext } from './context';
import { fileImagingReports } from './imaging-report';

/**
 * The key that finds the earlier version of a result: filler (else placer) number, code, sub-id.
 * None when the order has no number at all: a glucose without one cannot be told from last month's,
 * so it is stored as a result of its own, never as a new version of another.
 */
function resultKey(order: LabOrderDraft, r: LabResultDraft): string | null {
  const number = order.fillerNumber || order.placerNumber;
  return number === '' ? null : [number, r.codeSystem, r.code, r.subId].join('|');
}

/**
 * The newest result with this key that nothing supersedes yet, and its status. A version kept as
 * history (it supersedes itself, see storeResults) is never it.
 */
function latestVersion(sqlite: Database.Database, patientId: string, key: string): { id: string; status: string } | null {
  const row = statementsFor(sqlite)
    .get(
      `SELECT o.id, o.status FROM observations o
       WHERE o.patient_id = ? AND o.lab_result_key = ?
         AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id)
       ORDER BY o.created_at DESC, o.rowid DESC LIMIT 1`,
    )
    .get(patientId, key) as { id: string; status: string } | undefined;
  return row ?? null;
}

/**
 * Whether this chart holds any result of this order yet (a result's key starts with its order's
 * number and "|", see resultKey). When it holds none, no result of the order can have an earlier
 * version: one index probe per order instead of one lookup per result.
 */
function orderSeen(sqlite: Database.Database, patientId: string, order: LabOrderDraft): boolean {
  const number = order.fillerNumber || order.placerNumber;
  if (number === '') return false; // no key to find (see resultKey)
  // Keys from `number|` up to (not including) `number}`: '}' is the character after '|'.
  return (
    statementsFor(sqlite)
      .get(`SELECT 1 AS hit FROM observations WHERE patient_id = ? AND lab_result_key >= ? AND lab_result_key < ? LIMIT 1`)
      .get(patientId, `${number}|`, `${number}}`) !== undefined
  );
}

function orderIdFor(sqlite: Database.Database, patientId: string, placer: string): string | null {
  if (placer === '') return null;
  const row = statementsFor(sqlite)
    .get(`SELECT id FROM lab_orders WHERE placer_number = ? AND patient_id = ? AND deleted_at IS NULL`)
    .get(placer, patientId) as { id: string } | undefined;
  return row?.id ?? null;
}

/** A version stored as history from the start: its row supersedes itself (see storeResults). */
const HISTORY = Symbol('kept as history');

const INSERT_OBSERVATION = `INSERT INTO observations (id, patient_id, category, loinc, display, value_num, value_text, unit, ref_low, ref_high, ref_text, interpretation,
    status, effective_at, order_id, supersedes_id, entered_as, created_at, created_by, updated_at, updated_by,
    lab_message_id, lab_result_key, lab_placer_number, lab_filler_number, lab_order_code, lab_order_display, lab_value_type, lab_value_code, lab_notes, lab_order_notes, lab_attachment)
  VALUES (?, ?, 'laboratory', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Stores one result as an observation (append-only: a correction is a new row whose supersedes_id
 * names the earlier one, `supersedesId`; HISTORY for a version kept as history, see storeResults)
 * with what the message said of it (the lab_* columns), and returns its id. Its audit entry and its
 * sync entries are the message's (see storeResults).
 */
function storeResult(
  ctx: HandlerContext,
  patientId: string,
  order: LabOrderDraft,
  orderId: string | null,
  r: LabResultDraft,
  key: string | null,
  supersedesId: string | null | typeof HISTORY,
): string {
  const statements = statementsFor(ctx.repos.store.sqlite);
  const id = newId();
  const who = created(ctx.at, ctx.actor);
  // Prepared once per connection: this runs for every result of every message.
  statements
    .get(INSERT_OBSERVATION)
    .run(
      id,
      patientId,
      r.loinc,
      r.display,
      r.valueNum,
      r.valueText,
      r.unit,
      r.refLow,
      r.refHigh,
      r.refText,
      r.interpretation,
      r.status,
      r.effectiveAt,
      orderId,
      supersedesId === HISTORY ? id : supersedesId,
      r.rawValue === '' ? null : r.rawValue,
      who.createdAt,
      who.createdBy,
      who.updatedAt,
      who.updatedBy,
      ctx.messageId,
      key,
      order.placerNumber,
      order.fillerNumber,
      order.code,
      order.display,
      r.valueType,
      r.valueCode,
      JSON.stringify(r.notes),
      JSON.stringify(order.notes),
      r.attachment ? JSON.stringify(r.attachment) : null,
    );
  return id;
}

/**
 * Stores a message's results on one chart, queues them for sync, writes one audit entry for the
 * message (naming how many results, which tests, and each result's id, so the chain records every
 * one; `also`, when given, is what else that entry records: the receipt and the match it stands for,
 * see handleOru), and moves each order they answer along (see updateOrders).
 *
 * A version that arrives after a later one (a preliminary resent after its final, a final after its
 * correction: see arrivesLate) is stored, never dropped, but must not become current. Every reader
 * takes as current a row that no other row supersedes, so the late row supersedes itself: it is
 * history from the moment it exists, on this device and on every device it syncs to, in whatever
 * order the rows arrive, and the current version's row is left as it was (its acknowledgement too).
 */
export function storeResults(ctx: HandlerContext, patientId: string, drafts: OruDrafts, also?: string): void {
  const { orders, results } = drafts;
  const { sqlite } = ctx.repos.store;
  const orderIds = orders.map((o) => orderIdFor(sqlite, patientId, o.placerNumber));
  const seenBefore = orders.map((o) => orderSeen(sqlite, patientId, o));
  // A key stored earlier in this same message is an earlier version too (a repeated OBX).
  const storedNow = new Set<string>();
  const late: string[] = [];
  const ids: string[] = [];
  for (const r of results) {
    const order = orders[r.orderIndex]!;
    const key = resultKey(order, r);
    const earlier = key !== null && (seenBefore[r.orderIndex]! || storedNow.has(key)) ? latestVersion(sqlite, patientId, key) : null;
    const isLate = earlier !== null && arrivesLate(r.status, earlier.status);
    if (isLate) late.push(`${r.loinc} ${r.statusCode} after ${earlier.status}`);
    ids.push(storeResult(ctx, patientId, order, orderIds[r.orderIndex]!, r, key, isLate ? HISTORY : (earlier?.id ?? null)));
    if (key !== null) storedNow.add(key);
  }
  // One outbox call for the message's results: one sequence read and one clock tick for all of them.
  // Each id is a row storeResult's INSERT just wrote (it wrote one or threw): no probe for them.
  ctx.repos.writer.syncInsertedMany(ctx.at, 'observation', ids, ctx.actor, patientId, ids.length);
  ctx.repos.audit.append(
    {
      action: 'labs.results',
      userId: ctx.actor.userId,
      patientId,
      recordType: 'hl7_message',
      recordId: ctx.messageId,
      detail: resultsDetail(results, late, ids, also),
    },
    ctx.at,
  );
  updateOrders(ctx, patientId, orders, orderIds);
  fileImagingReports(ctx, patientId, drafts, orderIds);
}

/** The `labs.results` entry's detail: count, tests, late versions, what else it stands for, then each result's id. */
function resultsDetail(results: readonly LabResultDraft[], late: readonly string[], ids: readonly string[], also: string | undefined): string {
  const tests = [...new Set(results.map((r) => `${r.loinc} ${r.statusCode}`))].join(', ');
  const history = late.length === 0 ? '' : `; kept as history, not current (a later version was here first): ${late.join(', ')}`;
  return `${results.length} results stored: ${tests}${history}${also === undefined ? '' : `; ${also}`}; result ids ${ids.join(', ')}`;
}

/** Moves each order this message answers to partial or final, from everything reported for it so far. */
function updateOrders(ctx: HandlerContext, patientId: string, orders: readonly LabOrderDraft[], orderIds: readonly (string | null)[]): void {
  const sqlite = ctx.repos.store.sqlite;
  const statements = statementsFor(sqlite);
  for (const orderId of new Set(orderIds)) {
    if (orderId === null) continue;
    const row = statements.get(`SELECT status, tests, placer_number AS placer FROM lab_orders WHERE id = ?`).get(orderId) as {
      status: LabOrderStatus;
      tests: string;
      placer: string;
    };
    // Per test (OBR-4): final when every current result of it is final or corrected.
    const reported = (
      statements
        .get(
          `SELECT o.lab_order_code AS code, min(o.status IN ('final', 'corrected', 'amended')) AS final
           FROM observations o
           WHERE o.lab_placer_number = ? AND o.patient_id = ? AND o.deleted_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id)
           GROUP BY o.lab_order_code`,
        )
        .all(row.placer, patientId) as { code: string; final: number }[]
    ).map((t) => ({
      code: t.code,
      final: t.final === 1 && !orders.some((o) => o.placerNumber === row.placer && o.code === t.code && PARTIAL_REPORT.has(o.resultStatus)),
    }));
    const next = orderStatusFromResults(row.status, labTest.array().parse(JSON.parse(row.tests)), reported);
    if (next === null) continue;
    const written = statements
      .get(`UPDATE lab_orders SET status = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? RETURNING *`)
      .get(next, ctx.at, ctx.actor.userId, orderId) as StoredRow;
    ctx.repos.writer.record(ctx.at, {
      action: 'lab_order.status',
      actor: ctx.actor,
      patientId,
      entity: 'lab_order',
      id: orderId,
      op: 'update',
      payload: written,
      detail: `${row.status} -> ${next} (results in message ${ctx.messageId})`,
    });
  }
}

/** What the one entry of a message stored on one chart also records: its receipt (when received) and its match. */
function foldedReceipt(ctx: HandlerContext, match: string): string {
  return ctx.received === undefined ? match : `received ${ctx.received}; ${match}`;
}

/** OBR-25 values that say more results of the test are to come. */
const PARTIAL_REPORT = new Set(['P', 'I', 'R', 'S', 'A']);

/**
 * ORU^R01 and OUL^R22: results onto the matched chart, or held for a person. A message with several
 * patients (PATIENT_RESULT repeated) is read whole first (one unreadable part refuses it all, nothing
 * applied); then each patient is matched on its own: its results go to its chart or are held for
 * review, so no result ever lands on another patient's chart.
 */
export function handleOru(ctx: HandlerContext): Decision {
  const parts = patientParts(ctx.message);
  const drafts: OruDrafts[] = [];
  for (const [k, { message: part, obxBefore }] of parts.entries()) {
    if (parts.length > 1 && segments(part, 'OBR').length === 0) {
      const reason = `PID #${k + 1}: no OBR follows this patient (no order to report on)`;
      return { status: 'error', ack: 'AE', error: { reason, condition: '100', segment: 'PID', occurrence: k + 1 }, patientId: null, results: 0 };
    }
    const mapped = mapOru(part, { obxBefore, timeZone: ctx.timeZone });
    if (!mapped.ok) {
      const e = mapped.error;
      return {
        status: 'error',
        ack: 'AE',
        error: { reason: e.reason, condition: e.condition, segment: e.segment, occurrence: e.occurrence, ...(e.field !== undefined && { field: e.field }) },
        patientId: null,
        results: 0,
      };
    }
    drafts.push(mapped.value);
  }
  const several = parts.length > 1;
  // Matching reads and writes nothing, so every part is matched before anything is written.
  const matches = parts.map(({ message: part }) => {
    const facts = readPatientFacts(part)!;
    return { facts, decision: ctx.matcher.match(facts) };
  });
  const only = matches[0]?.decision;
  if (!several && only?.kind === 'matched') {
    // The common case, all of it stored on one chart: one audit entry records the receipt, the match
    // and every result (three entries, each a read of the chain's head and a keyed hash, before).
    storeResults(ctx, only.patientId, drafts[0]!, foldedReceipt(ctx, `matched by ${only.by}: ${only.detail}`));
    return { status: 'processed', ack: 'AA', patientId: only.patientId, results: drafts[0]!.results.length };
  }
  auditReceipt(ctx);
  const patients = new Set<string>();
  const held: string[] = [];
  let stored = 0;
  for (const [k, { facts, decision }] of matches.entries()) {
    const which = several ? `patient ${k + 1} of ${parts.length}: ` : '';
    if (decision.kind !== 'matched') {
      const candidates = decision.kind === 'ambiguous' ? decision.candidates : [];
      addReview(ctx, decision.kind, null, {
        reason: decision.reason,
        candidates,
        identifiers: facts.identifiers,
        demographics: facts.demographics,
        ...(several && { part: k }),
      });
      auditMatch(ctx, null, `${which}${decision.kind}: ${decision.reason}`);
      held.push(`${which}${decision.reason}`);
      continue;
    }
    auditMatch(ctx, decision.patientId, `${which}matched by ${decision.by}: ${decision.detail}`);
    storeResults(ctx, decision.patientId, drafts[k]!);
    patients.add(decision.patientId);
    stored += drafts[k]!.results.length;
  }
  // The message's chart: the one patient it was all stored for; none when it spans or holds some.
  const patientId = patients.size === 1 && held.length === 0 ? [...patients][0]! : null;
  if (held.length === 0)
    return {
      status: 'processed',
      ack: 'AA',
      patientId,
      results: stored,
      ...(several && { text: `results for ${parts.length} patients, each on its own chart` }),
    };
  const text = several
    ? `results for ${parts.length} patients: ${parts.length - held.length} stored on their charts, ${held.length} held for review, not attached to any chart (${held.join('; ')})`
    : `held for review, not attached to any chart: ${held[0]!}`;
  return { status: 'queued', ack: 'AA', text, patientId, results: stored };
}
