import { CairnFailure } from '../../../shared/api/result';
import { readPatientFacts } from '../../../shared/domain/hl7-patient';
import type { UnmatchedItem } from '../../../shared/domain/lab-review';
import { isResultMessage, mapOru, patientParts } from '../../../shared/domain/lab-results';
import { type Hl7Message, parseMessage } from '../../../shared/hl7';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { localTimeZone } from '../../../shared/domain/dates';
import { auditMatch, type HandlerContext } from './context';
import { PatientMatcher } from './match';
import { storeResults } from './oru';

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

/** The open queue of result messages no chart was found for (or several were), oldest first. */
export function listUnmatched(repos: Repos): UnmatchedItem[] {
  const rows = repos.store.sqlite.prepare<[], QueuedRow>(`${QUEUED} AND r.status = 'open' ORDER BY r.created_at`).all();
  return rows.map(toItem);
}

/**
 * A person's decision for a queued ORU: its results are written onto the chosen chart exactly as
 * the ingest writes a matched message's (append-only observations, details, audit, outbox), the
 * message is marked processed and the review resolved, all in one transaction.
 */
export function matchToPatient(repos: Repos, reviewId: string, patientId: string, actor: Actor): { reviewId: string; patientId: string; results: number } {
  const sqlite = repos.store.sqlite;
  const row = sqlite.prepare<[string], QueuedRow>(`${QUEUED} AND r.id = ?`).get(reviewId);
  if (!row) throw new CairnFailure('not_found', `no unmatched result message with review id ${reviewId}`);
  if (row.status !== 'open') throw new CairnFailure('conflict', `this message was already ${row.status}`);
  const patient = sqlite
    .prepare<[string], { id: string }>(`SELECT id FROM patients WHERE id = ? AND deleted_at IS NULL AND merged_into IS NULL`)
    .get(patientId);
  if (!patient) throw new CairnFailure('not_found', `no patient with id ${patientId}`);
  const detail = JSON.parse(row.detail) as { part?: number };
  const { part: message, mapped } = heldResults(row, detail.part);
  if (!message || !mapped?.ok) throw new CairnFailure('conflict', 'this message holds no results that can be attached');
  const { results } = mapped.value;
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
    storeResults(ctx, patientId, mapped.value);
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
      .run({ message: row.messageId, several: detail.part === undefined ? 0 : 1, patient: patientId, results: results.length });
    auditMatch({ ...ctx, actor }, patientId, `matched by hand (${row.kind} review ${reviewId})`);
    repos.audit.append(
      {
        action: 'labs.match_to_patient',
        userId: actor.userId,
        patientId,
        recordType: 'hl7_message',
        recordId: row.messageId,
        detail: `${results.length} results attached`,
      },
      at,
    );
    return { reviewId, patientId, results: results.length };
  });
}
