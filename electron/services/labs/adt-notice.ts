import { followUpDueFrom } from '../../../shared/domain/referrals';
import { hl7TimeToIso } from '../../../shared/domain/lab-results';
import type { Hl7PatientFacts } from '../../../shared/domain/hl7-patient';
import { field, get, type Hl7Segment, readHeader, segment } from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import { auditMatch, type Decision, type HandlerContext } from './context';
import { codedText, holdForPerson, insertRecord, isDecision, patientFacts, personName, refuse } from './inbound-common';

/**
 * A hospital's admission (ADT^A01) or discharge (ADT^A03) notice: a care_events row on the matched
 * chart, for the care-coordination list. A discharge opens the follow-up a clinic owes (contact
 * within 2 business days: follow_up_due, status open); an admission owes nothing yet (not_needed).
 * A notice about a patient no chart matches is held for a person, never attached to a guess, and
 * never registers a chart: the hospital's patient need not be ours.
 */

/** PV1-36, table 0112 (discharge disposition), in words. */
const DISPOSITION: Record<string, string> = {
  '01': 'discharged home or to self care',
  '02': 'transferred to a short-term hospital',
  '03': 'transferred to a skilled nursing facility',
  '04': 'transferred to an intermediate care facility',
  '05': 'transferred to another type of institution',
  '06': 'discharged home under home health care',
  '07': 'left against medical advice',
  '09': 'admitted as an inpatient',
  '20': 'expired',
  '50': 'discharged to hospice (home)',
  '51': 'discharged to hospice (medical facility)',
  '62': 'transferred to an inpatient rehabilitation facility',
};

/** Disposition codes after which no clinic follow-up is possible. */
const NO_FOLLOW_UP = new Set(['20', '40', '41', '42']);

/** What a notice says before any chart is chosen: its patient, visit and event time; or the AE. */
interface Notice {
  facts: Hl7PatientFacts;
  pv1: Hl7Segment;
  kind: 'admission' | 'discharge';
  eventAt: string;
}

function readNotice(ctx: HandlerContext, trigger: 'A01' | 'A03'): Notice | Decision {
  const facts = patientFacts(ctx);
  if (isDecision(facts)) return facts;
  const pv1 = segment(ctx.message, 'PV1');
  if (!pv1) return refuse(`PV1 #1: the ${trigger === 'A01' ? 'admission' : 'discharge'} notice has no PV1 segment (the visit)`, { segment: 'PV1' });
  const kind = trigger === 'A01' ? 'admission' : 'discharge';
  // PV1-44 admit, PV1-45 discharge date/time; an admission may fall back on EVN-6 (event occurred) or EVN-2.
  const timeField = trigger === 'A01' ? 44 : 45;
  const sent = get(pv1, `${timeField}`);
  const fallback = trigger === 'A01' ? get(ctx.message, 'EVN-6') || get(ctx.message, 'EVN-2') : '';
  if (sent === '' && fallback === '')
    return refuse(`PV1 field ${timeField}: the ${kind} date/time is missing`, { segment: 'PV1', field: timeField, condition: '101' });
  const eventAt = hl7TimeToIso(sent || fallback, ctx.timeZone);
  if (eventAt === null)
    return refuse(`PV1 field ${timeField}: "${sent || fallback}" is not an HL7 date/time`, { segment: 'PV1', field: timeField, condition: '102' });
  return { facts, pv1, kind, eventAt };
}

export function handleAdtNotice(ctx: HandlerContext, trigger: 'A01' | 'A03'): Decision {
  const notice = readNotice(ctx, trigger);
  if (isDecision(notice)) return notice;
  const decision = ctx.matcher.match(notice.facts);
  if (decision.kind !== 'matched') return holdForPerson(ctx, notice.facts, decision, `the ${notice.kind} notice`);
  auditMatch(ctx, decision.patientId, `matched by ${decision.by}: ${decision.detail}`);
  return recordNotice(ctx, decision.patientId, notice);
}

/**
 * A held A01/A03 a person attached to a chart (see matchToPatient): read again and recorded on that
 * chart exactly as a matched one is (a discharge opens its follow-up); the caller audits the choice.
 */
export function attachHeldNotice(ctx: HandlerContext, patientId: string, trigger: 'A01' | 'A03'): Decision {
  const notice = readNotice(ctx, trigger);
  return isDecision(notice) ? notice : recordNotice(ctx, patientId, notice);
}

/** The care event on the chart (or the one already recorded for the same event). */
function recordNotice(ctx: HandlerContext, patientId: string, { pv1, kind, eventAt }: Notice): Decision {
  const h = readHeader(ctx.message);
  // PV1-3.4 the location's facility, PV1-39 servicing facility, else the sending facility (MSH-4).
  const facility = get(pv1, '3.4') || get(pv1, '39') || h.sendingFacility || 'the sending hospital';
  const earlier = statementsFor(ctx.repos.store.sqlite)
    .get(`SELECT id FROM care_events WHERE patient_id = ? AND kind = ? AND facility = ? AND event_at = ? AND deleted_at IS NULL`)
    .get(patientId, kind, facility, eventAt) as { id: string } | undefined;
  if (earlier) return { status: 'processed', ack: 'AA', text: `this ${kind} was already recorded (care event ${earlier.id})`, patientId, results: 0 };

  const dispositionCode = get(pv1, '36.1');
  const disposition = dispositionCode === '' ? null : get(pv1, '36.2') || DISPOSITION[dispositionCode] || dispositionCode;
  const reason = (segment(ctx.message, 'PV2') && codedText(segment(ctx.message, 'PV2')!, 3)) || diagnosisText(ctx) || null;
  const attending = personName(pv1, 7, true) || null;
  const noFollowUp = kind === 'discharge' && NO_FOLLOW_UP.has(dispositionCode);
  const followUpDue = kind === 'discharge' && !noFollowUp ? followUpDueFrom(eventAt, ctx.timeZone) : null;
  const row = insertRecord(
    ctx,
    'care_event',
    {
      patient_id: patientId,
      kind,
      facility,
      event_at: eventAt,
      reason,
      disposition,
      attending,
      follow_up_due: followUpDue,
      follow_up_status: followUpDue === null ? 'not_needed' : 'open',
      follow_up_note: noFollowUp ? `no follow-up: ${disposition ?? 'disposition'}` : null,
      control_id: h.controlId,
    },
    patientId,
    `${kind} at ${facility} ${eventAt}${followUpDue ? `; follow-up due ${followUpDue}` : ''}`,
  );
  const text = followUpDue ? `discharge recorded; follow-up due ${followUpDue}` : `${kind} recorded`;
  return { status: 'processed', ack: 'AA', text: `${text} (care event ${String(row['id'])})`, patientId, results: 0 };
}

/** The first DG1's description (DG1-4) or coded text (DG1-3). */
function diagnosisText(ctx: HandlerContext): string {
  const dg1 = segment(ctx.message, 'DG1');
  if (!dg1) return '';
  return get(dg1, '4') || codedText(dg1, 3) || (field(dg1, 3)[0]?.[0]?.[0] ?? '');
}
