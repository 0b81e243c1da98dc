import { newId } from '../../common/ids';
import type { AckCode, AckError, Hl7Message } from '../../../shared/hl7';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import type { PatientMatcher } from './match';

/** What a handler works with: inside the one transaction that stores the message. */
export interface HandlerContext {
  message: Hl7Message;
  messageId: string;
  at: string;
  actor: Actor;
  repos: Repos;
  matcher: PatientMatcher;
  /** Where HL7 times without an offset are read (an IANA zone: the clinic's). */
  timeZone: string;
  /**
   * How the message came in ("ORU^R01 182 from mllp:10.0.0.5:4123"), for its `hl7.receive` audit
   * entry; absent when nothing is being received (results attached by hand from the review queue).
   */
  received?: string;
}

/** What became of a message, and how to acknowledge it. */
export interface Decision {
  status: 'processed' | 'queued' | 'not_processed' | 'error';
  ack: Extract<AckCode, 'AA' | 'AE' | 'AR'>;
  /** MSA-3. */
  text?: string;
  error?: AckError;
  patientId: string | null;
  results: number;
}

export type ReviewKind = 'unmatched' | 'ambiguous' | 'field_difference' | 'merge';

/** Puts something in front of a person (the unmatched queue and demographic reviews). */
export function addReview(ctx: HandlerContext, kind: ReviewKind, patientId: string | null, detail: unknown): string {
  const id = newId();
  ctx.repos.store.sqlite
    .prepare(`INSERT INTO hl7_reviews (id, message_id, kind, patient_id, detail, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)`)
    .run(id, ctx.messageId, kind, patientId, JSON.stringify(detail), ctx.at);
  return id;
}

/** Records a matching decision in the audit log (who the message was tied to, and why). */
export function auditMatch(ctx: HandlerContext, patientId: string | null, detail: string): void {
  ctx.repos.audit.append({ action: 'hl7.match', userId: ctx.actor.userId, patientId, recordType: 'hl7_message', recordId: ctx.messageId, detail }, ctx.at);
}

/** Records the receipt of the message being handled (ctx.received) in the audit log. */
export function auditReceipt(ctx: HandlerContext): void {
  if (ctx.received === undefined) return;
  ctx.repos.audit.append(
    { action: 'hl7.receive', userId: ctx.actor.userId, patientId: null, recordType: 'hl7_message', recordId: ctx.messageId, detail: ctx.received },
    ctx.at,
  );
}
