import { CairnFailure } from '../../../shared/api/result';
import { readPatientFacts } from '../../../shared/domain/hl7-patient';
import type { UnmatchedItem } from '../../../shared/domain/lab-review';
import { isResultMessage, mapOru, patientParts } from '../../../shared/domain/lab-results';
import { type Hl7Message, parseMessage } from '../../../shared/hl7';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { localTimeZone } from '../../../shared/domain/dates';
import { attachHeldNotice } from './adt-notice';
import { auditMatch, type Decision, type HandlerContext } from './context';
import { PatientMatcher } from './match';
import { storeResults } from './oru';
import { attachHeldReferral } from './ref-i12';
import { attachHeldVxu } from './vxu';

interface QueuedRow {
  reviewId: string;
  messageId: string;
  kind: 'unmatched' | 'ambiguous';
  detail: string;
  status: string;
  receivedAt: string;
  controlId: string;
  sendingFacility: string;
  messageType: string;
  raw: string;
}

const QUEUED = `SELECT r.id AS reviewId, r.message_id AS messageId, r.kind, r.detail, r.status, m.received_at AS receivedAt, m.control_id AS controlId,
  m.sending_facility AS sendingFacility, m.message_type AS messageType, m.raw
  FROM hl7_reviews r JOIN hl7_messages m ON m.id = r.message_id WHERE r.kind IN ('unmatched', 'ambiguous')`;

/** Who the ingest writes results as: the lab's data, whoever attaches it (so the server accepts it as the operator's). */
const HL7_ACTOR: Actor = { userId: 'cli:hl7' };

function parsed(raw: string): Hl7Message | null {
  const p = parseMessage(raw);
  return p.ok ? p.value : null;
}

/** The results a review holds: its patient's part of the message (see patientParts), mapped. */
function heldResults(r: QueuedRow, part: number | undefined): { part: Hl7Message | null; mapped: ReturnType<typeof mapOru> | null } {
  const message = parsed(r.raw);
  const mine = message ? patientParts(message)[part ?? 0] : undefined;
  if (!mine) return { part: null, mapped: null };
  return { part: mine.message, mapped: isResultMessage(r.messageType) ? mapOru(mine.message, { obxBefore: mine.obxBefore, timeZone: localTimeZone() }) : null };
}

function toItem(r: QueuedRow): UnmatchedItem {
  const detail = JSON.parse(r.detail) as { reason?: string; candidates?: string[]; part?: number };
  const { part: message, mapped } = heldResults(r, detail.part);
  const facts = message ? readPatientFacts(message) : null;
  const d = facts?.demographics;
  return {
    reviewId: r.reviewId,
    messageId: r.messageId,
    kind: r.kind,
    reason: detail.reason ?? '',
    receivedAt: r.receivedAt,
    controlId: r.controlId,
    sendingFacility: r.sendingFacility,
    messageType: r.messageType,
    familyName: d?.familyName ?? '',
    givenName: d?.givenName ?? '',
    birthDate: d?.birthDate ?? '',
    sex: d?.sex ?? '',
    identifiers: (facts?.identifiers ?? []).map((i) => `${i.value} (${[i.typeCode, i.namespace || i.universalId].filter(Boolean).join(', ') || 'no type'})`),
    results: mapped?.ok ? mapped.value.results.length : 0,
    candidates: detail.candidates ?? [],
  };
}

/** The open queue of messages no chart was found for (or several were), oldest first: results, immunizations, notices, referrals. */
export function listUnmatched(repos: Repos): UnmatchedItem[] {
  const rows = repos.store.sqlite.prepare<[], QueuedRow>(`${QUEUED} AND r.status = 'open' ORDER BY r.created_at`).all();
  return rows.map(toItem);
}

/** What attaching a held message to a chart did. */
export interface MatchOutcome {
  reviewId: string;
  patientId: string;
  /** Results stored (0 for a message that holds none); what else was written is in the audit entry. */
  results: number;
}

/** Writes a held message's content on the chosen chart; inside the caller's transaction. */
type Attach = (ctx: HandlerContext, patientId: string) => { results: number; applied: string };

/** A handler's refusal on reading the held message again: nothing is written. */
function applied(d: Decision): { results: number; applied: string } {
  if (d.status === 'error') throw new CairnFailure('conflict', `this message cannot be attached: ${d.error?.reason ?? d.text ?? 'it no longer reads'}`);
  return { results: d.results, applied: d.text ?? '' };
}

/**
 * How a queued message of its type is attached to a chart: results are stored, a VXU's immunizations
 * offered for reconciliation, an A01/A03 recorded as a care event, a REF^I12 as an incoming referral,
 * each by the same code a matched message goes through. Anything else held (a demographic update
 * about no chart, a registration that matched several) is refused with what to do instead.
 */
function attacherFor(row: QueuedRow, part: number | undefined): { message: Hl7Message; attach: Attach } {
  const [type, trigger] = row.messageType.split('^');
  if (isResultMessage(row.messageType)) {
    const { part: message, mapped } = heldResults(row, part);
    if (!message || !mapped?.ok) throw new CairnFailure('conflict', 'this message holds no results that can be attached');
    const drafts = mapped.value;
    return {
      message,
      attach: (ctx, patientId) => {
        storeResults(ctx, patientId, drafts);
        return { results: drafts.results.length, applied: `${drafts.results.length} results attached` };
      },
    };
  }
  const message = parsed(row.raw);
  if (!message) throw new CairnFailure('conflict', 'this message no longer reads as HL7: dismiss it and ask the sender to resend');
  if (type === 'VXU' && trigger === 'V04') return { message, attach: (ctx, patientId) => applied(attachHeldVxu(ctx, patientId)) };
  if (type === 'ADT' && (trigger === 'A01' || trigger === 'A03'))
    return { message, attach: (ctx, patientId) => applied(attachHeldNotice(ctx, patientId, trigger)) };
  if (type === 'REF' && trigger === 'I12') return { message, attach: (ctx, patientId) => applied(attachHeldReferral(ctx, patientId)) };
  // Important: an MDM about no chart is an unfiled document in the inbox, never a review; file it there.
  if (type === 'MDM') throw new CairnFailure('conflict', 'an MDM report is kept as an unfiled document: file it from the documents inbox');
  throw new CairnFailure(
    'conflict',
    `a held ${row.messageType} cannot be attached to a chart: dismiss it${type === 'ADT' ? ' and change the chart by hand, or ask the sender to resend it with the chart’s identifier' : ''}`,
  );
}

/**
 * A person's decision for a queued message (results, immunizations, a hospital notice, a referral):
 * its content is written onto the chosen chart exactly as the ingest writes a matched message's,
 * the message is marked processed and the review resolved, all in one transaction. A restricted
 * chart is refused before this runs (the channel's chart scope), as for any write to it.
 */
export function matchToPatient(repos: Repos, reviewId: string, patientId: string, actor: Actor): MatchOutcome {
  const sqlite = repos.store.sqlite;
  const row = sqlite.prepare<[string], QueuedRow>(`${QUEUED} AND r.id = ?`).get(reviewId);
  if (!row) throw new CairnFailure('not_found', `no unmatched message with review id ${reviewId}`);
  if (row.status !== 'open') throw new CairnFailure('conflict', `this message was already ${row.status}`);
  const patient = sqlite
    .prepare<[string], { id: string }>(`SELECT id FROM patients WHERE id = ? AND deleted_at IS NULL AND merged_into IS NULL`)
    .get(patientId);
  if (!patient) throw new CairnFailure('not_found', `no patient with id ${patientId}`);
  const detail = JSON.parse(row.detail) as { part?: number };
  const { message, attach } = attacherFor(row, detail.part);
  return repos.writer.write((at) => {
    const ctx: HandlerContext = {
      message,
      messageId: row.messageId,
      at,
      actor: HL7_ACTOR,
      repos,
      matcher: new PatientMatcher(sqlite),
      timeZone: localTimeZone(),
    };
    const done = attach(ctx, patientId);
    sqlite
      .prepare(`UPDATE hl7_reviews SET status = 'resolved', patient_id = ?, resolved_at = ?, resolved_by = ? WHERE id = ?`)
      .run(patientId, at, actor.userId, reviewId);
    // A message with several patients is processed once none of them is held any more; it names a
    // chart only when it has one patient.
    sqlite
      .prepare(
        `UPDATE hl7_messages SET
           status = CASE WHEN EXISTS (SELECT 1 FROM hl7_reviews WHERE message_id = @message AND status = 'open') THEN status ELSE 'processed' END,
           ack_code = 'AA', error = NULL, patient_id = CASE WHEN @several THEN patient_id ELSE @patient END, results = results + @results
         WHERE id = @message`,
      )
      .run({ message: row.messageId, several: detail.part === undefined ? 0 : 1, patient: patientId, results: done.results });
    auditMatch({ ...ctx, actor }, patientId, `matched by hand (${row.kind} review ${reviewId})`);
    repos.audit.append(
      {
        action: 'labs.match_to_patient',
        userId: actor.userId,
        patientId,
        recordType: 'hl7_message',
        recordId: row.messageId,
        detail: `${row.messageType}: ${done.applied}`,
      },
      at,
    );
    return { reviewId, patientId, results: done.results };
  });
}
