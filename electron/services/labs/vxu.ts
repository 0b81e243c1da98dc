import { type Code, type ImmunizationEntry, OID } from '../../../shared/ccda/model';
import { wallTime } from '../../../shared/domain/dates';
import { normalizeCvx } from '../../../shared/domain/immunizations/dose-rules';
import { hl7DateToIso, hl7TimeToIso } from '../../../shared/domain/lab-results';
import { field, get, groups, type Hl7Segment, readHeader } from '../../../shared/hl7';
import { statementsFor } from '../db/statement-cache';
import { auditMatch, type Decision, type HandlerContext } from './context';
import { holdForPerson, insertRecord, isDecision, patientFacts, refuse } from './inbound-common';

/**
 * VXU^V04 (immunizations from a state registry or a pharmacy): every RXA becomes a pending
 * reconciliation item (reconcile_items, source vxu, section immunizations) on the matched chart,
 * never a row of the chart itself: a clinician accepts or ignores each one, as with a C-CDA's. The
 * payload is a shared/ccda ImmunizationEntry, which the reconciliation screen's accept path writes.
 * Match: same (the chart has this CVX on this date, agreeing), different (it has it, but given vs
 * refused or the lot differ), new. A registry resends a patient's whole history: an item already
 * offered from a VXU (same CVX, date and given/refused), whatever was decided, is not offered again.
 */

/** Code systems RXA-5 names CVX by. */
const CVX_SYSTEMS = new Set(['CVX', 'HL70292']);
const NDC_SYSTEMS = new Set(['NDC']);
const ROUTE_SYSTEMS: Record<string, string> = { NCIT: OID.routeOfAdministration, HL70162: '2.16.840.1.113883.12.162' };

interface Item {
  entry: ImmunizationEntry;
  cvx: string;
  date: string;
  summary: string;
}

type Parsed = { items: Item[]; skipped: string[] } | Decision;

function coding(rep: string[][] | undefined, at: number): Code | null {
  const c = (i: number): string => (rep?.[at + i]?.[0] ?? '').trim();
  if (c(0) === '') return null;
  return { code: c(0), system: c(2), systemName: c(2) || null, display: c(1) || null };
}

/** The vaccine's CVX (first or alternate coding of RXA-5) and an NDC translation, or the AE. */
function vaccineCodes(rxa: Hl7Segment, occurrence: number): { cvx: Code; translations: Code[] } | Decision {
  const rep = field(rxa, 5)[0];
  const codings = [coding(rep, 0), coding(rep, 3)].filter((c): c is Code => c !== null);
  if (codings.length === 0) return refuse(`RXA #${occurrence} field 5: the administered vaccine has no code`, { segment: 'RXA', occurrence, field: 5 });
  const cvx = codings.find((c) => CVX_SYSTEMS.has(c.system.toUpperCase()));
  if (!cvx) {
    const sent = codings.map((c) => `${c.systemName ?? 'no system'} ${c.code}`).join(', ');
    return refuse(`RXA #${occurrence} field 5: no CVX code (sent ${sent}); Cairn needs the vaccine's CVX as RXA-5's first or alternate code`, {
      segment: 'RXA',
      occurrence,
      field: 5,
      condition: '103',
    });
  }
  if (!/^\d{1,3}$/.test(cvx.code))
    return refuse(`RXA #${occurrence} field 5: CVX code "${cvx.code}" is not 1 to 3 digits`, { segment: 'RXA', occurrence, field: 5, condition: '102' });
  const translations = codings.filter((c) => c !== cvx && NDC_SYSTEMS.has(c.system.toUpperCase())).map((c) => ({ ...c, system: OID.ndc, systemName: 'NDC' }));
  return { cvx: { ...cvx, code: normalizeCvx(cvx.code), system: OID.cvx, systemName: 'CVX' }, translations };
}

function readItem(rxa: Hl7Segment, rxr: Hl7Segment | undefined, occurrence: number): Item | Decision | string {
  const codes = vaccineCodes(rxa, occurrence);
  if (isDecision(codes)) return codes;
  const { cvx, translations } = codes;
  if (get(rxa, '21') === 'D') return `RXA #${occurrence}: CVX ${cvx.code} deleted by the sender (RXA-21 D): nothing to offer`;
  if (cvx.code === '998') return `RXA #${occurrence}: no vaccine administered (CVX 998)`;
  const when = get(rxa, '3');
  if (when === '') return refuse(`RXA #${occurrence} field 3: the administration date is missing`, { segment: 'RXA', occurrence, field: 3 });
  const date = hl7DateToIso(when);
  if (date === null) return refuse(`RXA #${occurrence} field 3: "${when}" is not an HL7 date`, { segment: 'RXA', occurrence, field: 3, condition: '102' });
  const completion = get(rxa, '20').toUpperCase();
  const given = completion !== 'RE' && completion !== 'NA';
  const refusal = get(rxa, '18.2') || get(rxa, '18.1');
  const refusalReason = given ? null : refusal || (completion === 'RE' ? 'refused' : 'not administered');
  const amount = Number(get(rxa, '6'));
  const unit = get(rxa, '7.1');
  // 999 is "amount unknown" in RXA-6.
  const dose = get(rxa, '6') !== '' && Number.isFinite(amount) && amount !== 999 && amount > 0 && unit !== '' ? { value: amount, unit } : null;
  const mvx = get(rxa, '17.1');
  const manufacturer = mvx !== '' && /^MVX$/i.test(get(rxa, '17.3')) ? mvx : get(rxa, '17.2') || mvx || null;
  const route = rxr ? coding(field(rxr, 1)[0], 0) : null;
  const lot = get(rxa, '15') || null;
  const name = cvx.display ?? translations[0]?.display ?? `CVX ${cvx.code}`;
  const entry: ImmunizationEntry = {
    code: cvx,
    translations,
    name,
    date,
    given,
    refusalReason,
    lotNumber: lot,
    manufacturer,
    route: route && { ...route, system: ROUTE_SYSTEMS[route.system.toUpperCase()] ?? route.system },
    dose,
  };
  const historical = get(rxa, '9.1') === '01' ? ', reported as historical' : '';
  const what = given
    ? `given ${date}${lot ? `, lot ${lot}` : ''}`
    : `${completion === 'RE' ? 'refused' : 'not given'} ${date}${refusalReason ? `: ${refusalReason}` : ''}`;
  return { entry, cvx: cvx.code, date, summary: `${name} (CVX ${cvx.code}) ${what}${historical}` };
}

/** Every RXA read (all of them, before anything is written: one bad RXA refuses the message). */
function readItems(ctx: HandlerContext): Parsed {
  const rxas = groups(ctx.message, 'RXA', { members: ['RXR', 'OBX', 'NTE', 'PRT', 'TQ1', 'TQ2'] });
  if (rxas.length === 0) return refuse('RXA #1: the VXU has no RXA segment (no immunization to report)', { segment: 'RXA' });
  const items: Item[] = [];
  const skipped: string[] = [];
  for (const [k, g] of rxas.entries()) {
    const got = readItem(
      g.head,
      g.children.find((s) => s.name === 'RXR'),
      k + 1,
    );
    if (isDecision(got)) return got;
    if (typeof got === 'string') skipped.push(got);
    else items.push(got);
  }
  return { items, skipped };
}

interface ChartDose {
  id: string;
  cvx: string;
  status: string;
  lot: string | null;
}

export function handleVxu(ctx: HandlerContext): Decision {
  const facts = patientFacts(ctx);
  if (isDecision(facts)) return facts;
  const parsed = readItems(ctx);
  if (isDecision(parsed)) return parsed;
  const decision = ctx.matcher.match(facts);
  if (decision.kind !== 'matched') return holdForPerson(ctx, facts, decision, 'immunizations');
  auditMatch(ctx, decision.patientId, `matched by ${decision.by}: ${decision.detail}`);
  return offerItems(ctx, decision.patientId, parsed);
}

/**
 * A held VXU a person attached to a chart (see matchToPatient): read again and offered on that
 * chart exactly as a matched one is; the caller audits the choice and runs the transaction.
 */
export function attachHeldVxu(ctx: HandlerContext, patientId: string): Decision {
  const parsed = readItems(ctx);
  return isDecision(parsed) ? parsed : offerItems(ctx, patientId, parsed);
}

/** Every item read, offered on the chart as a pending reconciliation item (or skipped, and why). */
function offerItems(ctx: HandlerContext, patientId: string, parsed: Exclude<Parsed, Decision>): Decision {
  const h = readHeader(ctx.message);
  const sentAt = hl7TimeToIso(h.dateTime, ctx.timeZone);
  const sentOn = sentAt === null ? ctx.at.slice(0, 10) : wallTime(Date.parse(sentAt), ctx.timeZone).date;
  const label = `Immunization registry ${h.sendingFacility || h.sendingApplication || 'unnamed'}, ${sentOn}`;
  const statements = statementsFor(ctx.repos.store.sqlite);
  const chart = statements.get(`SELECT id, cvx, status, lot FROM immunizations WHERE patient_id = ? AND administered_on = ? AND deleted_at IS NULL`);
  const offered = statements.get(
    `SELECT 1 AS hit FROM reconcile_items WHERE patient_id = ? AND source = 'vxu' AND code = ? AND item_date = ? AND json_extract(payload, '$.given') = ? AND deleted_at IS NULL LIMIT 1`,
  );
  const counts = { new: 0, same: 0, different: 0 };
  const { skipped } = parsed;
  for (const item of parsed.items) {
    if (offered.get(patientId, item.cvx, item.date, item.entry.given ? 1 : 0)) {
      skipped.push(`${item.summary}: already offered from an earlier VXU`);
      continue;
    }
    const there = (chart.all(patientId, item.date) as ChartDose[]).find((r) => normalizeCvx(r.cvx) === item.cvx);
    const agrees =
      there !== undefined &&
      (there.status === 'completed') === item.entry.given &&
      (there.lot === null || item.entry.lotNumber === null || there.lot.toUpperCase() === item.entry.lotNumber.toUpperCase());
    const match = there === undefined ? 'new' : agrees ? 'same' : 'different';
    counts[match]++;
    insertRecord(
      ctx,
      'reconcile_item',
      {
        patient_id: patientId,
        import_id: null,
        source: 'vxu',
        source_label: label,
        section: 'immunizations',
        match,
        match_type: there ? 'immunization' : null,
        match_id: there?.id ?? null,
        summary: item.summary,
        code_system: OID.cvx,
        code: item.cvx,
        item_date: item.date,
        payload: JSON.stringify(item.entry),
        status: 'pending',
      },
      patientId,
      `offered for reconciliation (${match}): ${item.summary}`,
    );
  }
  const offeredCount = counts.new + counts.same + counts.different;
  const text =
    `${offeredCount} immunizations offered for reconciliation (${counts.new} new, ${counts.same} already in the chart, ${counts.different} different)` +
    (skipped.length > 0 ? `; not offered: ${skipped.join('; ')}` : '');
  return { status: 'processed', ack: 'AA', text, patientId, results: 0 };
}
