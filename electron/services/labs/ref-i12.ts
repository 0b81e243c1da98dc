import { addDays, wallTime } from '../../../shared/domain/dates';
import { hl7TimeToIso } from '../../../shared/domain/lab-results';
import { REFERRAL_REPLY_DAYS } from '../../../shared/domain/records';
import type { Hl7PatientFacts } from '../../../shared/domain/hl7-patient';
import { field, get, type Hl7Segment, readHeader, segment, segments } from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import { auditMatch, type Decision, type HandlerContext } from './context';
import { codedText, holdForPerson, insertRecord, isDecision, patientFacts, personName, refuse } from './inbound-common';

/**
 * REF^I12, a referral sent to this clinic: a referrals row with direction `in` on the matched chart.
 * Its status is `sent`, which for an incoming referral means received and awaiting scheduling (the
 * sender has sent it; nothing is booked yet); `reply_due` is when the referring provider should hear
 * back, by urgency (REFERRAL_REPLY_DAYS). The referring provider (PRD with role RP, else the first
 * PRD) is found in the address book by NPI, else by name and organisation, or added to it. A
 * referral for a patient no chart matches is held for a person, never attached to a guess.
 */

const URGENCY: Record<string, 'routine' | 'urgent' | 'stat'> = { S: 'stat', A: 'urgent', R: 'routine' };
const ICD10 = new Set(['I10', 'I10C', 'ICD10', 'ICD10CM', 'ICD-10-CM', '2.16.840.1.113883.6.90']);

interface Provider {
  name: string;
  organization: string | null;
  npi: string | null;
  phone: string | null;
  fax: string | null;
  email: string | null;
  address: string | null;
}

/** PRD-7 (provider identifiers, `id^type`) or PRD-2's XCN-style id: the NPI when one is named. */
function npiOf(prd: Hl7Segment): string | null {
  for (const rep of field(prd, 7)) {
    const id = (rep[0]?.[0] ?? '').trim();
    const type = (rep[1]?.[0] ?? '').trim().toUpperCase();
    if (id !== '' && (type === 'NPI' || type === 'NPI_' || (type === '' && /^\d{10}$/.test(id)))) return id;
  }
  return null;
}

/** PRD-5 (XTN, repeating): phone, fax and email by their use and equipment codes. */
function telecom(prd: Hl7Segment): { phone: string | null; fax: string | null; email: string | null } {
  let phone: string | null = null;
  let fax: string | null = null;
  let email: string | null = null;
  for (const rep of field(prd, 5)) {
    const c = (i: number): string => (rep[i]?.[0] ?? '').trim();
    const number = c(0) || [c(5), c(6)].filter(Boolean).join('') + (c(7) ? ` x${c(7)}` : '');
    if (c(2).toUpperCase() === 'INTERNET' || c(1).toUpperCase() === 'NET') email ??= c(3) || null;
    else if (c(2).toUpperCase() === 'FX') fax ??= number || null;
    else if (number !== '') phone ??= number;
  }
  return { phone, fax, email };
}

function readProvider(prd: Hl7Segment): Provider | null {
  const name = personName(prd, 2, false);
  if (name === '') return null;
  const addr = field(prd, 3)[0] ?? [];
  const c = (i: number): string => (addr[i]?.[0] ?? '').trim();
  const address = [c(0), c(1), [c(2), c(3)].filter(Boolean).join(', '), c(4)].filter(Boolean).join(', ') || null;
  // PRD-4 location: its facility component (PL-4), else the first component.
  const organization = get(prd, '4.4') || get(prd, '4.1') || null;
  return { name, organization, npi: npiOf(prd), address, ...telecom(prd) };
}

/** The address-book entry for the referring provider: matched by NPI, else by name and organisation, else added. */
function contactFor(ctx: HandlerContext, p: Provider): string {
  const statements = statementsFor(ctx.repos.store.sqlite);
  const byNpi = p.npi
    ? (statements.get(`SELECT id FROM referral_contacts WHERE npi = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1`).get(p.npi) as
        { id: string } | undefined)
    : undefined;
  if (byNpi) return byNpi.id;
  const byName = statements
    .get(
      `SELECT id FROM referral_contacts WHERE lower(name) = lower(?) AND coalesce(lower(organization), '') = coalesce(lower(?), '') AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
    )
    .get(p.name, p.organization) as { id: string } | undefined;
  if (byName) return byName.id;
  const row = insertRecord(
    ctx,
    'referral_contact',
    {
      name: p.name,
      organization: p.organization,
      // PRD carries no specialty; a person fills it in the address book.
      specialty: 'not stated',
      npi: p.npi,
      phone: p.phone,
      fax: p.fax,
      email: p.email,
      direct_address: null,
      address: p.address,
      note: `added from an incoming referral (REF^I12 ${readHeader(ctx.message).controlId})`,
    },
    null,
    `address book: ${p.name} added from an incoming referral`,
  );
  return String(row['id']);
}

function diagnoses(ctx: HandlerContext): { codes: string[]; words: string[] } {
  const codes: string[] = [];
  const words: string[] = [];
  for (const dg1 of segments(ctx.message, 'DG1')) {
    const system = (get(dg1, '3.3') || get(dg1, '2')).toUpperCase();
    const code = get(dg1, '3.1');
    if (code !== '' && ICD10.has(system) && !codes.includes(code)) codes.push(code);
    const text = get(dg1, '4') || codedText(dg1, 3);
    if (text !== '') words.push(text);
  }
  return { codes, words };
}

/** What a referral says before any chart is chosen; or the AE. */
interface Referral {
  facts: Hl7PatientFacts;
  rf1: Hl7Segment;
  provider: Provider;
  sentAt: string;
}

function readReferral(ctx: HandlerContext): Referral | Decision {
  const rf1 = segment(ctx.message, 'RF1');
  if (!rf1) return refuse('RF1 #1: the referral has no RF1 segment (its status, priority and reason)', { segment: 'RF1' });
  const facts = patientFacts(ctx);
  if (isDecision(facts)) return facts;
  const prds = segments(ctx.message, 'PRD');
  const referrer = prds.find((p) => get(p, '1').toUpperCase() === 'RP') ?? prds[0];
  const provider = referrer ? readProvider(referrer) : null;
  if (!provider) {
    const occurrence = referrer ? prds.indexOf(referrer) + 1 : 1;
    return refuse(`PRD #${occurrence} field 2: the referring provider's name is missing`, { segment: 'PRD', occurrence, field: 2 });
  }
  const h = readHeader(ctx.message);
  const sentTs = get(rf1, '7') || get(rf1, '9') || h.dateTime;
  const sentAt = hl7TimeToIso(sentTs, ctx.timeZone);
  if (sentAt === null) return refuse(`RF1 field 7: "${sentTs}" is not an HL7 date/time`, { segment: 'RF1', field: 7, condition: '102' });
  return { facts, rf1, provider, sentAt };
}

export function handleRefI12(ctx: HandlerContext): Decision {
  const referral = readReferral(ctx);
  if (isDecision(referral)) return referral;
  const decision = ctx.matcher.match(referral.facts);
  if (decision.kind !== 'matched') return holdForPerson(ctx, referral.facts, decision, 'the referral');
  auditMatch(ctx, decision.patientId, `matched by ${decision.by}: ${decision.detail}`);
  return recordReferral(ctx, decision.patientId, referral);
}

/**
 * A held REF^I12 a person attached to a chart (see matchToPatient): read again and recorded on that
 * chart exactly as a matched one is (referrer found or added); the caller audits the choice.
 */
export function attachHeldReferral(ctx: HandlerContext, patientId: string): Decision {
  const referral = readReferral(ctx);
  return isDecision(referral) ? referral : recordReferral(ctx, patientId, referral);
}

/** The incoming referral on the chart (or the one already received with the same reference). */
function recordReferral(ctx: HandlerContext, patientId: string, { rf1, provider, sentAt }: Referral): Decision {
  const externalRef = get(rf1, '6.1') || get(rf1, '11.1') || null;
  if (externalRef !== null) {
    const earlier = statementsFor(ctx.repos.store.sqlite)
      .get(`SELECT id FROM referrals WHERE patient_id = ? AND direction = 'in' AND external_ref = ? AND deleted_at IS NULL`)
      .get(patientId, externalRef) as { id: string } | undefined;
    if (earlier)
      return { status: 'processed', ack: 'AA', text: `referral ${externalRef} was already received (referral ${earlier.id})`, patientId, results: 0 };
  }
  const urgency = URGENCY[get(rf1, '2.1').toUpperCase()] ?? 'routine';
  const dx = diagnoses(ctx);
  const reason = codedText(rf1, 10) || dx.words[0] || get(ctx.message, 'NTE-3') || 'not stated in the referral';
  const specialty = codedText(rf1, 3) || 'not stated';
  const contactId = contactFor(ctx, provider);
  const sentOn = wallTime(Date.parse(sentAt), ctx.timeZone).date;
  const row = insertRecord(
    ctx,
    'referral',
    {
      patient_id: patientId,
      encounter_id: null,
      direction: 'in',
      contact_id: contactId,
      specialty,
      reason,
      urgency,
      diagnoses: JSON.stringify(dx.codes),
      // For an incoming referral, sent = received here and awaiting scheduling.
      status: 'sent',
      ordered_by: null,
      reply_due: addDays(sentOn, REFERRAL_REPLY_DAYS[urgency]),
      sent_at: sentAt,
      external_ref: externalRef,
    },
    patientId,
    `incoming referral from ${provider.name}${externalRef ? ` (${externalRef})` : ''}: ${reason}`,
  );
  return {
    status: 'processed',
    ack: 'AA',
    text: `referral received from ${provider.name}, awaiting scheduling (referral ${String(row['id'])})`,
    patientId,
    results: 0,
  };
}
