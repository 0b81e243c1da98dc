import { newId } from '../../common/ids';
import { type Hl7PatientFacts, readPatientFacts } from '../../../shared/domain/hl7-patient';
import { field, type Hl7ErrorCondition, type Hl7Segment } from '../../../shared/hl7';
import { ENTITIES, type EntityName } from '../../../shared/sync/entities';
import { statementsFor } from '../db/statement-cache';
import type { StoredRow } from '../repos/stored-row';
import { addReview, auditMatch, type Decision, type HandlerContext } from './context';
import type { MatchDecision } from './match';

// What the handlers of the other inbound kinds (MDM, VXU, ADT notices, REF) share: refusing a
// message with the place named, holding one for a person, and writing a synced row.

/** An AE naming the segment (which one of that name) and the field; nothing of the message is applied. */
export function refuse(reason: string, where: { segment: string; occurrence?: number; field?: number; condition?: Hl7ErrorCondition }): Decision {
  const { segment, occurrence = 1, field: fieldNo, condition = fieldNo === undefined ? '100' : '101' } = where;
  return {
    status: 'error',
    ack: 'AE',
    error: { reason, condition, segment, occurrence, ...(fieldNo !== undefined && { field: fieldNo }) },
    patientId: null,
    results: 0,
  };
}

/** The PID as facts, or the AE a message without one gets. */
export function patientFacts(ctx: HandlerContext): Hl7PatientFacts | Decision {
  return readPatientFacts(ctx.message) ?? refuse('PID #1: the message has no PID segment', { segment: 'PID' });
}

export function isDecision(x: unknown): x is Decision {
  return typeof x === 'object' && x !== null && 'ack' in x && 'status' in x;
}

/**
 * A message no chart was found for (or several were): into the review queue, tied to no chart, and
 * acknowledged AA (it is safe here; a person decides). `what` says what is being held ("immunizations").
 */
export function holdForPerson(ctx: HandlerContext, facts: Hl7PatientFacts, decision: Exclude<MatchDecision, { kind: 'matched' }>, what: string): Decision {
  addReview(ctx, decision.kind, null, {
    reason: decision.reason,
    candidates: decision.kind === 'ambiguous' ? decision.candidates : [],
    identifiers: facts.identifiers,
    demographics: facts.demographics,
  });
  auditMatch(ctx, null, `${decision.kind}: ${decision.reason}`);
  return { status: 'queued', ack: 'AA', text: `${what} held for review, not attached to any chart: ${decision.reason}`, patientId: null, results: 0 };
}

export type RowValues = Record<string, string | number | null>;

/**
 * Inserts a row of a `fields` entity (care_event, referral, referral_contact, reconcile_item) inside
 * the message's transaction, with its audit and outbox entries (repos.writer.record).
 */
export function insertRecord(ctx: HandlerContext, entity: EntityName, values: RowValues, patientId: string | null, detail: string): StoredRow {
  const row: RowValues = {
    id: newId(),
    created_at: ctx.at,
    created_by: ctx.actor.userId,
    updated_at: ctx.at,
    updated_by: ctx.actor.userId,
    version: 1,
    ...values,
  };
  const cols = Object.keys(row);
  const stored = statementsFor(ctx.repos.store.sqlite)
    .get(`INSERT INTO ${ENTITIES[entity].table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`)
    .get(...cols.map((c) => row[c])) as StoredRow;
  ctx.repos.writer.record(ctx.at, {
    action: `${entity}.hl7`,
    actor: ctx.actor,
    patientId,
    entity,
    id: String(stored['id']),
    op: 'insert',
    payload: stored,
    detail: `${detail} (message ${ctx.messageId})`,
  });
  return stored;
}

/** CE/CWE text: the text component, else the code, else ''. */
export function codedText(seg: Hl7Segment, n: number, repetition = 0): string {
  const rep = field(seg, n)[repetition] ?? [];
  return (rep[1]?.[0] || rep[0]?.[0] || '').trim();
}

/** An XCN or XPN as words: "Kathleen Woolfson, Dr" → "Dr. Kathleen Woolfson"; '' when empty. */
export function personName(seg: Hl7Segment, n: number, xcn: boolean): string {
  const rep = field(seg, n)[0] ?? [];
  const c = (i: number): string => (rep[i]?.[0] ?? '').trim();
  // XCN has the id first: family is component 2; XPN starts with the family name.
  const o = xcn ? 1 : 0;
  const family = c(o);
  const given = c(o + 1);
  const prefix = c(o + 4);
  const degree = c(o + 5);
  const name = [prefix && !prefix.endsWith('.') ? `${prefix}.` : prefix, given, family].filter(Boolean).join(' ');
  const full = degree ? `${name}, ${degree}` : name;
  if (full === '' && xcn) return c(0);
  return full;
}
