import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { readPatientFacts } from '../../../shared/domain/hl7-patient';
import { type LabOrderDraft, type LabResultDraft, mapOru } from '../../../shared/domain/lab-results';
import { statementsFor } from '../db/statement-cache';
import { created } from '../repos/writer';
import { addReview, auditMatch, type Decision, type HandlerContext } from './context';

/** The key that finds the earlier version of a result: filler (else placer) number, code, sub-id. */
function resultKey(order: LabOrderDraft, r: LabResultDraft): string {
  return [order.fillerNumber || order.placerNumber, r.codeSystem, r.code, r.subId].join('|');
}

/** The newest result with this key that nothing supersedes yet. */
function latestVersion(sqlite: Database.Database, patientId: string, key: string): string | null {
  const row = statementsFor(sqlite)
    .get(
      `SELECT d.observation_id AS id FROM lab_result_details d JOIN observations o ON o.id = d.observation_id
       WHERE d.patient_id = ? AND d.result_key = ?
         AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = d.observation_id)
       ORDER BY o.created_at DESC, d.rowid DESC LIMIT 1`,
    )
    .get(patientId, key) as { id: string } | undefined;
  return row?.id ?? null;
}

function orderIdFor(sqlite: Database.Database, patientId: string, placer: string): string | null {
  if (placer === '') return null;
  const row = statementsFor(sqlite).get(`SELECT id FROM lab_orders WHERE placer_number = ? AND patient_id = ? AND deleted_at IS NULL`).get(placer, patientId) as { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * Stores one result as an observation (append-only: a correction is a new row whose supersedes_id
 * names the earlier one), its details beside it, and its audit and outbox entries.
 */
export function storeResult(ctx: HandlerContext, patientId: string, order: LabOrderDraft, r: LabResultDraft): void {
  const { sqlite } = ctx.repos.store;
  const key = resultKey(order, r);
  const id = uuidv7();
  // Prepared once per connection: this runs for every result of every message (drizzle's builder
  // would rebuild and re-prepare the statement each time).
  const who = created(ctx.at, ctx.actor);
  statementsFor(sqlite)
    .get(
      `INSERT INTO observations (id, patient_id, category, loinc, display, value_num, value_text, unit, ref_low, ref_high, ref_text, interpretation,
         status, effective_at, order_id, supersedes_id, entered_as, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'laboratory', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
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
      orderIdFor(sqlite, patientId, order.placerNumber),
      latestVersion(sqlite, patientId, key),
      r.rawValue === '' ? null : r.rawValue,
      who.createdAt,
      who.createdBy,
      who.updatedAt,
      who.updatedBy,
    );
  statementsFor(sqlite)
    .get(
      `INSERT INTO lab_result_details (observation_id, message_id, patient_id, result_key, placer_number, filler_number, order_code, order_display,
         value_type, value_code, notes, order_notes, attachment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      ctx.messageId,
      patientId,
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
  ctx.repos.writer.record(ctx.at, { action: 'labs.result', actor: ctx.actor, patientId, entity: 'observation', id, op: 'insert', payload: { id }, detail: `${r.loinc} ${r.statusCode}` });
}

/** ORU^R01: results onto the matched chart, or the whole message held for a person. */
export function handleOru(ctx: HandlerContext): Decision {
  const mapped = mapOru(ctx.message);
  if (!mapped.ok) {
    const e = mapped.error;
    return { status: 'error', ack: 'AE', error: { reason: e.reason, condition: e.condition, segment: e.segment, occurrence: e.occurrence, ...(e.field !== undefined && { field: e.field }) }, patientId: null, results: 0 };
  }
  const facts = readPatientFacts(ctx.message)!;
  const decision = ctx.matcher.match(facts);
  if (decision.kind !== 'matched') {
    const candidates = decision.kind === 'ambiguous' ? decision.candidates : [];
    addReview(ctx, decision.kind, null, { reason: decision.reason, candidates, identifiers: facts.identifiers, demographics: facts.demographics });
    auditMatch(ctx, null, `${decision.kind}: ${decision.reason}`);
    return { status: 'queued', ack: 'AA', text: `held for review, not attached to any chart: ${decision.reason}`, patientId: null, results: 0 };
  }
  auditMatch(ctx, decision.patientId, `matched by ${decision.by}: ${decision.detail}`);
  const { orders, results } = mapped.value;
  for (const r of results) storeResult(ctx, decision.patientId, orders[r.orderIndex]!, r);
  return { status: 'processed', ack: 'AA', patientId: decision.patientId, results: results.length };
}
