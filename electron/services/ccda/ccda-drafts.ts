import {
  OID,
  type AllergyEntry,
  type CcdaSection,
  type Code,
  type Coded,
  type EncounterEntry,
  type ImmunizationEntry,
  type MedicationEntry,
  type ObservationEntry,
  type ProblemEntry,
  type ProcedureEntry,
  type SmokingEntry,
} from '../../../shared/ccda/model';
import type { EntityName } from '../../../shared/sync/entities';
import { toUcum, VITAL_KINDS, type VitalKind } from '../../../shared/domain/vitals';

/** One C-CDA entry as the chart row it becomes (column → value), before ids and who/when are added. */
export interface ChartDraft {
  entity: EntityName;
  table: string;
  row: Record<string, string | number | null>;
  /** The code it is matched on: system (OID or name) and code. */
  codeSystem: string | null;
  code: string | null;
  /** The date it is matched on (as stored). */
  date: string | null;
  /** The item in words, for the reconciliation list. */
  summary: string;
  /** A medication the source lists as ended: the stop event written after its start (same course). */
  stop?: { effective_at: string | null; reason: string };
}

export type EntryOf<S extends CcdaSection> = S extends 'problems'
  ? ProblemEntry
  : S extends 'medications'
    ? MedicationEntry
    : S extends 'allergies'
      ? AllergyEntry
      : S extends 'immunizations'
        ? ImmunizationEntry
        : S extends 'results' | 'vitals'
          ? ObservationEntry
          : S extends 'encounters'
            ? EncounterEntry
            : S extends 'procedures'
              ? ProcedureEntry
              : SmokingEntry;

export interface DraftContext {
  /** "imported from Good Health Clinic": how the rows say where they came from. */
  provenance: string;
  snomedToIcd10: ReadonlyMap<string, string>;
}

/** LOINC of the smoking status observation (C-CDA's Smoking Status – Meaningful Use). */
export const SMOKING_LOINC = '72166-2';

/** A draft, or why the entry cannot become a chart row. */
export type DraftOutcome = { ok: true; draft: ChartDraft } | { ok: false; reason: string };

const skip = (reason: string): DraftOutcome => ({ ok: false, reason });
const made = (draft: ChartDraft): DraftOutcome => ({ ok: true, draft });

/** The first code (the entry's own, then its translations) in a system. */
export function codeIn(c: Coded, system: string): Code | null {
  if (c.code?.system === system) return c.code;
  return c.translations.find((t) => t.system === system) ?? null;
}

/**
 * A C-CDA time as Cairn stores it: an instant in UTC (`…Z`), or a date at the precision sent
 * (YYYY, YYYY-MM, YYYY-MM-DD), so the same fact read twice compares equal.
 */
export function storedTime(v: string | null): string | null {
  if (v === null) return null;
  if (!v.includes('T')) return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A date (YYYY-MM-DD) from a C-CDA time, or null when it gave less. */
export function dayOf(v: string | null): string | null {
  if (v === null || v.length < 10) return null;
  return v.includes('T') ? storedTime(v)!.slice(0, 10) : v.slice(0, 10);
}

const nameOf = (c: Coded): string => c.name.trim().slice(0, 500) || (c.code ? `${c.code.systemName ?? c.code.system} ${c.code.code}` : '');

function problem(e: ProblemEntry, ctx: DraftContext): DraftOutcome {
  const icdCoded = codeIn(e, OID.icd10cm)?.code ?? null;
  const snomed = codeIn(e, OID.snomed)?.code ?? null;
  const icd10 = icdCoded ?? (snomed !== null ? (ctx.snomedToIcd10.get(snomed) ?? null) : null);
  const display = nameOf(e);
  if (!display) return skip('a problem with neither a code nor a name');
  const other = icd10 === null && snomed === null && e.code ? `coded at the source as ${e.code.systemName ?? e.code.system}|${e.code.code}` : null;
  const status = e.status === 'resolved' || e.status === 'completed' ? 'resolved' : e.status === 'inactive' ? 'inactive' : 'active';
  return made({
    entity: 'condition',
    table: 'conditions',
    row: {
      icd10,
      snomed,
      display,
      clinical_status: e.resolved && status === 'active' ? 'resolved' : status,
      onset_date: dayOf(e.onset),
      abatement_date: dayOf(e.resolved),
      chronic: 0,
      note: [ctx.provenance, other].filter(Boolean).join('\n'),
    },
    codeSystem: icd10 !== null ? 'ICD-10-CM' : snomed !== null ? 'SNOMED CT' : (e.code?.system ?? null),
    code: icd10 ?? snomed ?? e.code?.code ?? null,
    date: dayOf(e.onset),
    summary: `${display}${icd10 ? ` (${icd10})` : snomed ? ` (SNOMED ${snomed})` : ''}${e.onset ? `, since ${e.onset.slice(0, 10)}` : ''}, ${status}`,
  });
}

const ENDED = new Set(['completed', 'inactive', 'resolved', 'aborted']);

function medication(e: MedicationEntry, ctx: DraftContext): DraftOutcome {
  const rxcui = codeIn(e, OID.rxnorm)?.code ?? null;
  const name = nameOf(e);
  if (!name) return skip('a medication with neither a code nor a name');
  const start = storedTime(e.start);
  const dose = e.dose ? `${e.dose.value} ${e.dose.unit}`.trim() : null;
  return made({
    entity: 'medication_event',
    table: 'medication_events',
    row: {
      rxcui,
      drug_name: name,
      dose,
      route: e.route?.display ?? null,
      frequency: e.frequency,
      source: 'imported',
      reason: ctx.provenance,
      effective_at: start ?? '',
      sig: null,
      prescription_id: null,
      encounter_id: null,
      event: 'start',
    },
    codeSystem: rxcui !== null ? 'RxNorm' : null,
    code: rxcui,
    date: start,
    summary: `${name}${dose ? ` ${dose}` : ''}${e.frequency ? ` ${e.frequency}` : ''}${e.start ? `, from ${e.start.slice(0, 10)}` : ''}, ${e.status}`,
    ...(ENDED.has(e.status) && { stop: { effective_at: storedTime(e.end), reason: `${e.status} at the source${e.end ? '' : ' (stop date not recorded)'}` } }),
  });
}

const SUBSTANCE_TYPE: Record<AllergyEntry['category'], string> = { drug: 'drug', food: 'food', environment: 'environment', other: 'other' };

function allergy(e: AllergyEntry, ctx: DraftContext): DraftOutcome {
  const substance = nameOf(e);
  if (!substance) return skip('an allergy that names no substance');
  const rx = codeIn(e, OID.rxnorm)?.code ?? null;
  const reactions = e.reactions.map((r) => r.reaction.name).filter((s) => s.trim() !== '');
  const severity = e.severity ?? e.reactions.find((r) => r.severity)?.severity ?? null;
  const sourceCode = rx === null && e.code ? `coded at the source as ${e.code.systemName ?? e.code.system}|${e.code.code}` : null;
  const status = e.status === 'resolved' || e.status === 'completed' ? 'resolved' : e.status === 'inactive' ? 'inactive' : 'active';
  return made({
    entity: 'allergy',
    table: 'allergies',
    row: {
      kind: 'allergy',
      substance,
      // Important: substance_code holds an RxNorm code only (the drug checks read it); others go in the note.
      substance_code: rx,
      reactions: JSON.stringify(reactions),
      severity,
      criticality: 'unable_to_assess',
      status,
      recorded_at: '',
      substance_type: SUBSTANCE_TYPE[e.category],
      onset_date: dayOf(e.onset),
      note: [ctx.provenance, sourceCode].filter(Boolean).join('\n'),
    },
    codeSystem: e.code ? (e.code.systemName ?? e.code.system) : null,
    code: e.code?.code ?? null,
    date: dayOf(e.onset),
    summary: `${substance}${reactions.length ? `: ${reactions.join(', ')}` : ''}${severity ? ` (${severity})` : ''}, ${status}`,
  });
}

function immunization(e: ImmunizationEntry, ctx: DraftContext): DraftOutcome {
  const cvx = codeIn(e, OID.cvx)?.code ?? null;
  if (cvx === null || !/^\d{1,3}$/.test(cvx)) return skip(`${e.name || 'a vaccine'}: no CVX code`);
  const on = dayOf(e.date);
  if (on === null) return skip(`${e.name || `CVX ${cvx}`}: no date given`);
  if (!e.given) return skip(`${e.name || `CVX ${cvx}`}: recorded as not given${e.refusalReason ? ` (${e.refusalReason})` : ''}`);
  const code = cvx.padStart(2, '0');
  return made({
    entity: 'immunization',
    table: 'immunizations',
    row: {
      cvx: code,
      mvx: null,
      lot: e.lotNumber,
      site: null,
      route: e.route?.display ?? null,
      administered_on: on,
      status: 'completed',
      expiration_date: null,
      dose_number: null,
      // Given elsewhere and brought in: historical.
      source: 'historical',
      note: [ctx.provenance, e.manufacturer ? `made by ${e.manufacturer}` : null].filter(Boolean).join('\n'),
    },
    codeSystem: 'CVX',
    code,
    date: on,
    summary: `${e.name || `CVX ${code}`} on ${on}${e.lotNumber ? `, lot ${e.lotNumber}` : ''}`,
  });
}

const VITAL_BY_LOINC = new Map<string, VitalKind>(Object.entries(VITAL_KINDS).map(([k, v]) => [v.loinc, k as VitalKind]));

/** A vital's value in the unit Cairn stores it in (as vitals typed here), else as sent. */
function vitalValue(loinc: string, value: number, unit: string): { value_num: number; unit: string; entered_as: string | null } {
  const kind = VITAL_BY_LOINC.get(loinc);
  if (kind && (VITAL_KINDS[kind].units as readonly string[]).includes(unit)) {
    const stored = toUcum(kind, value, unit as never);
    return { value_num: stored, unit: VITAL_KINDS[kind].unit, entered_as: unit === VITAL_KINDS[kind].unit ? null : `${value} ${unit}` };
  }
  return { value_num: value, unit, entered_as: null };
}

/** The value of an observation in words ("7.2 %", "Positive"). */
export function valueWords(v: ObservationEntry['value']): string {
  if (v === null) return 'no value';
  if (v.kind === 'quantity') return `${v.value} ${v.unit}`.trim();
  if (v.kind === 'coded') return v.code.display ?? v.code.code;
  return v.text;
}

function observation(e: ObservationEntry, category: 'laboratory' | 'vital-signs', ctx: DraftContext): DraftOutcome {
  const loinc = codeIn(e, OID.loinc)?.code ?? null;
  const name = nameOf(e);
  if (loinc === null) return skip(`${name || 'a result'}: no LOINC code`);
  const at = storedTime(e.date);
  if (at === null) return skip(`${name || `LOINC ${loinc}`}: no date given`);
  const v = e.value;
  const cells =
    v?.kind === 'quantity'
      ? category === 'vital-signs'
        ? vitalValue(loinc, v.value, v.unit)
        : { value_num: v.value, unit: v.unit || null, entered_as: null }
      : { value_num: null, unit: null, entered_as: null };
  return made({
    entity: 'observation',
    table: 'observations',
    row: {
      category,
      loinc,
      display: name || null,
      ...cells,
      value_text: v?.kind === 'text' ? v.text.slice(0, 4000) : v?.kind === 'coded' ? (v.code.display ?? v.code.code) : null,
      value_code: v?.kind === 'coded' ? v.code.code : null,
      value_system: v?.kind === 'coded' ? v.code.system : null,
      ref_low: null,
      ref_high: null,
      ref_text: e.referenceRange,
      interpretation: e.interpretation,
      status: e.status === 'aborted' ? 'cancelled' : 'final',
      effective_at: at,
      order_id: null,
      supersedes_id: null,
      encounter_id: null,
      lab_notes: category === 'laboratory' ? JSON.stringify([`${ctx.provenance}${e.panel ? ` (${e.panel.name})` : ''}`]) : null,
    },
    codeSystem: 'LOINC',
    code: loinc,
    date: at,
    summary: `${name || `LOINC ${loinc}`}: ${valueWords(v)}${e.interpretation && e.interpretation !== 'N' ? ` (${e.interpretation})` : ''}, ${at.slice(0, 10)}`,
  });
}

function encounter(e: EncounterEntry, ctx: DraftContext): DraftOutcome {
  const start = storedTime(e.start);
  if (start === null) return skip(`${e.name || 'a visit'}: no date given`);
  const reason = [
    nameOf(e),
    e.diagnoses
      .map((d) => d.name)
      .filter(Boolean)
      .join(', '),
  ]
    .filter(Boolean)
    .join(': ');
  return made({
    entity: 'encounter',
    table: 'encounters',
    row: {
      visit_type: 'office_visit',
      status: 'finished',
      provider_id: null,
      reason: `${reason || 'Visit'} (${ctx.provenance}${e.location ? `, ${e.location}` : ''}${e.performer ? `, ${e.performer}` : ''})`.slice(0, 500),
      start_at: start,
      end_at: storedTime(e.end),
    },
    codeSystem: e.code ? (e.code.systemName ?? e.code.system) : null,
    code: e.code?.code ?? null,
    date: start,
    summary: `${nameOf(e) || 'Visit'} on ${start.slice(0, 10)}${e.location ? ` at ${e.location}` : ''}`,
  });
}

function procedure(e: ProcedureEntry, ctx: DraftContext): DraftOutcome {
  const display = nameOf(e);
  if (!display) return skip('a procedure with neither a code nor a name');
  const at = storedTime(e.date);
  return made({
    entity: 'procedure',
    table: 'procedures',
    row: {
      encounter_id: null,
      code_system: e.code?.system ?? null,
      code: e.code?.code ?? null,
      display,
      status: e.status === 'active' ? 'in-progress' : e.status === 'aborted' ? 'stopped' : 'completed',
      performed_start: at,
      performed_end: null,
      reason_code: null,
      reason_display: null,
      note: [ctx.provenance, e.performer ? `by ${e.performer}` : null].filter(Boolean).join('\n'),
    },
    codeSystem: e.code ? (e.code.systemName ?? e.code.system) : null,
    code: e.code?.code ?? null,
    date: at,
    summary: `${display}${at ? ` on ${at.slice(0, 10)}` : ''}`,
  });
}

function smoking(e: SmokingEntry): DraftOutcome {
  const at = storedTime(e.date);
  if (at === null) return skip('smoking status: no date given');
  const value = e.code;
  return made({
    entity: 'observation',
    table: 'observations',
    row: {
      category: 'social-history',
      loinc: SMOKING_LOINC,
      display: 'Tobacco smoking status',
      value_num: null,
      unit: null,
      entered_as: null,
      value_text: e.name || value?.display || value?.code || null,
      value_code: value?.code ?? null,
      value_system: value?.system ?? null,
      ref_low: null,
      ref_high: null,
      ref_text: null,
      interpretation: null,
      status: 'final',
      effective_at: at,
      order_id: null,
      supersedes_id: null,
      encounter_id: null,
      lab_notes: null,
    },
    codeSystem: 'LOINC',
    code: SMOKING_LOINC,
    date: at,
    summary: `Smoking status: ${e.name || value?.display || value?.code || 'unknown'}, ${at.slice(0, 10)}`,
  });
}

/** The chart row a C-CDA entry becomes, or why it cannot become one (an entry never fails its document). */
export function draftOf<S extends CcdaSection>(section: S, entry: EntryOf<S>, ctx: DraftContext): DraftOutcome {
  try {
    switch (section) {
      case 'problems':
        return problem(entry as ProblemEntry, ctx);
      case 'medications':
        return medication(entry as MedicationEntry, ctx);
      case 'allergies':
        return allergy(entry as AllergyEntry, ctx);
      case 'immunizations':
        return immunization(entry as ImmunizationEntry, ctx);
      case 'results':
        return observation(entry as ObservationEntry, 'laboratory', ctx);
      case 'vitals':
        return observation(entry as ObservationEntry, 'vital-signs', ctx);
      case 'encounters':
        return encounter(entry as EncounterEntry, ctx);
      case 'procedures':
        return procedure(entry as ProcedureEntry, ctx);
      case 'smoking':
        return smoking(entry as SmokingEntry);
      default:
        return skip(`section ${String(section)} is not read`);
    }
  } catch (e) {
    // A value Cairn cannot store (a vital in an impossible unit): that entry only.
    return skip(e instanceof Error ? e.message : String(e));
  }
}
