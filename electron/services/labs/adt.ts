import type { z } from 'zod';
import {
  DEMOGRAPHIC_KEYS,
  type DemographicKey,
  type Hl7Demographics,
  type Hl7PatientFacts,
  identifierSystem,
  readPatientFacts,
  sameName,
} from '../../../shared/domain/hl7-patient';
import { type Identifier, type Patient, patientInput, patientUpdate } from '../../../shared/domain/patient';
import { field, segment } from '../../../shared/hl7';
import { addReview, auditMatch, type Decision, type HandlerContext } from './context';

/** The PID field each demographic comes from, to name it in an AE. */
const PID_FIELD: Record<string, number> = { familyName: 5, givenName: 5, middleName: 5, birthDate: 7, sex: 8, phone: 13, address: 11, identifiers: 3 };

function current(p: Patient): Hl7Demographics {
  return {
    familyName: p.familyName,
    givenName: p.givenName,
    middleName: p.middleName ?? '',
    birthDate: p.birthDate,
    sex: p.sex,
    phone: p.phone ?? '',
    'address.line1': p.address?.line1 ?? '',
    'address.city': p.address?.city ?? '',
    'address.state': p.address?.state ?? '',
    'address.postalCode': p.address?.postalCode ?? '',
    'address.country': p.address?.country ?? '',
  };
}

/** Demographic keys as the patient schema's fields (address keys grouped into one address). */
function asInput(d: Partial<Hl7Demographics>, base: Partial<Hl7Demographics> = {}): Record<string, unknown> {
  const all = { ...base, ...d };
  const out: Record<string, unknown> = {};
  for (const k of ['familyName', 'givenName', 'middleName', 'birthDate', 'sex', 'phone'] as const) if (k in d && d[k] !== '') out[k] = d[k];
  if (Object.keys(d).some((k) => k.startsWith('address.'))) {
    out['address'] = {
      line1: all['address.line1'],
      city: all['address.city'],
      state: all['address.state'],
      postalCode: all['address.postalCode'],
      country: all['address.country'],
    };
  }
  return out;
}

function identifiersOf(facts: Hl7PatientFacts): Identifier[] {
  return facts.identifiers
    .filter((i) => identifierSystem(i) !== '')
    .map((i) => ({ system: identifierSystem(i), value: i.value, type: i.typeCode || undefined }));
}

/** An AE naming the PID field that zod refused. */
function invalid(e: z.ZodError): Decision {
  const issue = e.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const fieldNo = PID_FIELD[key];
  return {
    status: 'error',
    ack: 'AE',
    error: {
      reason: `PID${fieldNo ? ` field ${fieldNo}` : ''}: ${key}: ${issue.message}`,
      condition: '102',
      segment: 'PID',
      occurrence: 1,
      ...(fieldNo && { field: fieldNo }),
    },
    patientId: null,
    results: 0,
  };
}

function saveSource(ctx: HandlerContext, patientId: string, fields: Partial<Hl7Demographics>): void {
  ctx.repos.store.sqlite
    .prepare(
      `INSERT INTO hl7_patient_sources (patient_id, fields, updated_at) VALUES (?, ?, ?) ON CONFLICT(patient_id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at`,
    )
    .run(patientId, JSON.stringify(fields), ctx.at);
}

function lastSource(ctx: HandlerContext, patientId: string): Partial<Hl7Demographics> | null {
  const row = ctx.repos.store.sqlite.prepare<[string], { fields: string }>(`SELECT fields FROM hl7_patient_sources WHERE patient_id = ?`).get(patientId);
  return row ? (JSON.parse(row.fields) as Partial<Hl7Demographics>) : null;
}

function register(ctx: HandlerContext, facts: Hl7PatientFacts): Decision {
  const parsed = patientInput.safeParse({ ...asInput(facts.demographics), identifiers: identifiersOf(facts) });
  if (!parsed.success) return invalid(parsed.error);
  const p = ctx.repos.patients.create(parsed.data, ctx.actor);
  saveSource(ctx, p.id, facts.demographics);
  auditMatch(ctx, p.id, 'no chart matched: registered a new chart');
  return { status: 'processed', ack: 'AA', text: `registered as MRN ${p.mrn}`, patientId: p.id, results: 0 };
}

/** Whether this chart already has an open review offering this field's value (a resent update is not offered twice). */
function alreadyOffered(ctx: HandlerContext, patientId: string, key: DemographicKey, incoming: string): boolean {
  return (
    ctx.repos.store.sqlite
      .prepare(
        `SELECT 1 FROM hl7_reviews WHERE kind = 'field_difference' AND patient_id = ? AND status = 'open'
           AND json_extract(detail, '$.field') = ? AND json_extract(detail, '$.incoming') = ?`,
      )
      .get(patientId, key, incoming) !== undefined
  );
}

/**
 * A08/A31 (a sender's demographic update): every field that differs from the chart is offered for
 * review (field_difference), never applied: a person takes the message's value or keeps the chart's
 * (reviews.ts). Nothing of the chart changes, identifiers included, and what HL7 last sent
 * (hl7_patient_sources) stays as it was, since none of it was applied.
 */
/**
 * Whether the message says the same as the chart in other words: names and address parts without
 * regard to case or accents (hospitals send OKAFOR for Okafor), a phone by its digits.
 */
function sameValue(key: DemographicKey, chart: string, incoming: string): boolean {
  if (key === 'phone') return chart.replace(/\D/g, '') === incoming.replace(/\D/g, '');
  return key === 'birthDate' || key === 'sex' ? chart === incoming : sameName(chart, incoming);
}

function offerForReview(ctx: HandlerContext, patientId: string, facts: Hl7PatientFacts): Decision {
  const now = current(ctx.repos.patients.peek(patientId));
  const offered: string[] = [];
  for (const k of DEMOGRAPHIC_KEYS) {
    const incoming = facts.demographics[k];
    if (incoming === '' || sameValue(k, now[k], incoming) || alreadyOffered(ctx, patientId, k, incoming)) continue;
    addReview(ctx, 'field_difference', patientId, { field: k, local: now[k], incoming });
    offered.push(k);
  }
  if (offered.length === 0) return { status: 'processed', ack: 'AA', text: 'no demographic changes (or already offered for review)', patientId, results: 0 };
  return { status: 'queued', ack: 'AA', text: `demographic changes offered for review, not applied: ${offered.join(', ')}`, patientId, results: 0 };
}

/**
 * A04/A28 (a registration): applies incoming demographics to a chart. A field is overwritten only when the chart still holds
 * what HL7 last sent (or nothing); a field edited here since differs from that, and the incoming
 * value goes to review instead. Identifiers are only ever added.
 */
function update(ctx: HandlerContext, patientId: string, facts: Hl7PatientFacts): Decision {
  const p = ctx.repos.patients.peek(patientId);
  const now = current(p);
  const last = lastSource(ctx, patientId);
  const apply: Partial<Hl7Demographics> = {};
  const reviewed: string[] = [];
  for (const k of DEMOGRAPHIC_KEYS) {
    const incoming = facts.demographics[k];
    if (incoming === '' || incoming === now[k]) continue;
    const untouched = now[k] === '' || (last !== null && (last[k] ?? '') === now[k]);
    if (untouched) (apply as Record<DemographicKey, string>)[k] = incoming;
    else {
      addReview(ctx, 'field_difference', patientId, { field: k, local: now[k], incoming });
      reviewed.push(k);
    }
  }
  const known = new Set(p.identifiers.map((i) => `${i.system}|${i.value}`));
  const added = identifiersOf(facts).filter((i) => !known.has(`${i.system}|${i.value}`));
  const changes = { ...asInput(apply, now), ...(added.length > 0 && { identifiers: [...p.identifiers, ...added] }) };
  if (Object.keys(changes).length > 0) {
    const parsed = patientUpdate.safeParse({ id: patientId, expectedVersion: p.version, ...changes });
    if (!parsed.success) return invalid(parsed.error);
    ctx.repos.patients.update(parsed.data, ctx.actor);
  }
  saveSource(ctx, patientId, { ...(last ?? {}), ...facts.demographics });
  const text = reviewed.length > 0 ? `updated; edited here, so held for review: ${reviewed.join(', ')}` : 'updated';
  return { status: reviewed.length > 0 ? 'queued' : 'processed', ack: 'AA', text, patientId, results: 0 };
}

/** A04/A28 register (or update the chart that already matches), A08/A31 offer their changes for review, A40 to review. */
export function handleAdt(ctx: HandlerContext, trigger: string): Decision {
  const facts = readPatientFacts(ctx.message);
  if (!facts)
    return {
      status: 'error',
      ack: 'AE',
      error: { reason: 'PID #1: the message has no PID segment', condition: '100', segment: 'PID', occurrence: 1 },
      patientId: null,
      results: 0,
    };
  const decision = ctx.matcher.match(facts);
  if (trigger === 'A40') {
    const mrg = segment(ctx.message, 'MRG');
    const from = mrg ? field(mrg, 1).map((r) => ({ value: r[0]?.[0] ?? '', authority: r[3]?.[0] ?? '', type: r[4]?.[0] ?? '' })) : [];
    const survivor = decision.kind === 'matched' ? decision.patientId : null;
    addReview(ctx, 'merge', survivor, { survivor: facts.identifiers, mergeFrom: from, match: decision });
    auditMatch(ctx, survivor, `merge request held for review (${decision.kind})`);
    return { status: 'queued', ack: 'AA', text: 'merge held for review: charts are merged only by a person', patientId: survivor, results: 0 };
  }
  if (decision.kind === 'ambiguous' || (decision.kind === 'unmatched' && (trigger === 'A08' || trigger === 'A31'))) {
    addReview(ctx, decision.kind, null, {
      reason: decision.reason,
      candidates: decision.kind === 'ambiguous' ? decision.candidates : [],
      identifiers: facts.identifiers,
      demographics: facts.demographics,
    });
    auditMatch(ctx, null, `${decision.kind}: ${decision.reason}`);
    return { status: 'queued', ack: 'AA', text: `held for review: ${decision.reason}`, patientId: null, results: 0 };
  }
  if (decision.kind === 'unmatched') return register(ctx, facts);
  auditMatch(ctx, decision.patientId, `matched by ${decision.by}: ${decision.detail}`);
  if (trigger === 'A08' || trigger === 'A31') return offerForReview(ctx, decision.patientId, facts);
  return update(ctx, decision.patientId, facts);
}
