/**
 * Chart rows (as Cairn stores and syncs them: column name → value) into the C-CDA model the writer
 * takes. Shared by the device's export (electron/services/ccda/chart-snapshot.ts, rows from SQLite)
 * and the clinic server's portal download (rows from sync_rows), so both write the same document.
 */
import {
  OID,
  type AllergyEntry,
  type Code,
  type Coded,
  type EncounterEntry,
  type ImmunizationEntry,
  type MedicationEntry,
  type ObservationEntry,
  type ProblemEntry,
  type ProcedureEntry,
  type SmokingEntry,
} from './model';

/** A stored row: column name → SQLite value. */
export type StoredRow = Record<string, string | number | null>;
type Row = StoredRow;
/** A column's value as text, or null. */
export const s = (v: string | number | null | undefined): string | null => (v === null || v === undefined ? null : String(v));
export const code = (system: string, systemName: string | null, c: string, display: string | null): Code => ({ code: c, system, systemName, display });
export const coded = (c: Code | null, name: string, translations: Code[] = []): Coded => ({ code: c, translations, name });

export function problemOf(r: Row): ProblemEntry {
  const icd = s(r['icd10']);
  const sct = s(r['snomed']);
  const display = String(r['display']);
  const icdCode = icd ? code(OID.icd10cm, 'ICD-10-CM', icd, display) : null;
  const sctCode = sct ? code(OID.snomed, 'SNOMED CT', sct, display) : null;
  // SNOMED CT is the problem list's vocabulary in C-CDA; ICD-10-CM travels as its translation (and the reverse when only ICD-10 is held).
  const main = sctCode ?? icdCode;
  const status = String(r['clinical_status']);
  return {
    ...coded(main, display, sctCode && icdCode ? [icdCode] : []),
    onset: s(r['onset_date']),
    resolved: s(r['abatement_date']),
    status: status === 'resolved' ? 'resolved' : status === 'inactive' ? 'inactive' : 'active',
  };
}

export function allergyOf(r: Row): AllergyEntry {
  const rx = s(r['substance_code']);
  const reactions = (JSON.parse(String(r['reactions'] ?? '[]')) as string[]).map((name) => ({ reaction: coded(null, name), severity: null }));
  const type = String(r['substance_type'] ?? 'other');
  return {
    ...coded(rx ? code(OID.rxnorm, 'RxNorm', rx, s(r['substance'])) : null, String(r['substance'] ?? '')),
    category: type === 'drug' || type === 'food' || type === 'environment' ? type : 'other',
    reactions,
    severity: (s(r['severity']) as AllergyEntry['severity']) ?? null,
    status: r['status'] === 'active' ? 'active' : r['status'] === 'resolved' ? 'resolved' : 'inactive',
    onset: s(r['onset_date']),
  };
}

export function medicationOf(r: Row & { stopped_at: string | null }): MedicationEntry {
  const rx = s(r['rxcui']);
  return {
    ...coded(rx ? code(OID.rxnorm, 'RxNorm', rx, s(r['drug_name'])) : null, String(r['drug_name'])),
    dose: null,
    route: null,
    frequency: s(r['frequency']),
    instructions: [s(r['dose']), s(r['route']), s(r['frequency'])].filter(Boolean).join(' ') || null,
    start: s(r['effective_at']),
    end: r.stopped_at,
    status: r.stopped_at ? 'completed' : 'active',
  };
}

export function immunizationOf(r: Row, name: (cvx: string) => string): ImmunizationEntry {
  const cvx = String(r['cvx']);
  return {
    ...coded(code(OID.cvx, 'CVX', cvx, name(cvx)), name(cvx)),
    date: s(r['administered_on']),
    given: true,
    refusalReason: null,
    lotNumber: s(r['lot']),
    manufacturer: null,
    route: null,
    dose: null,
  };
}

/** A result or vital sign (thousands in a long chart: built directly, without spreads). */
export function observationOf(r: Row): ObservationEntry {
  const num = r['value_num'];
  const valueText = r['value_text'];
  const value: ObservationEntry['value'] =
    typeof num === 'number'
      ? { kind: 'quantity', value: num, unit: s(r['unit']) ?? '1' }
      : r['value_code'] !== null && r['value_system'] !== null
        ? { kind: 'coded', code: code(String(r['value_system']), null, String(r['value_code']), s(valueText)) }
        : valueText !== null
          ? { kind: 'text', text: String(valueText) }
          : null;
  const loinc = String(r['loinc']);
  const display = s(r['display']);
  return {
    code: { code: loinc, system: OID.loinc, systemName: 'LOINC', display },
    translations: [],
    name: display ?? `LOINC ${loinc}`,
    panel: null,
    value,
    interpretation: s(r['interpretation']),
    referenceRange: s(r['ref_text']),
    date: s(r['effective_at']),
    status: 'completed',
  };
}

/** Smoking status: an observation (LOINC 72166-2) whose value is a SNOMED CT code. */
export function smokingOf(o: Row): SmokingEntry {
  return {
    ...coded(o['value_code'] ? code(OID.snomed, 'SNOMED CT', String(o['value_code']), s(o['value_text'])) : null, s(o['value_text']) ?? ''),
    date: s(o['effective_at']),
  };
}

/** A visit, at the clinic (`location`). */
export function encounterOf(r: Row, location: string): EncounterEntry {
  return { ...coded(null, s(r['reason']) ?? 'Office visit'), start: s(r['start_at']), end: s(r['end_at']), location, performer: null, diagnoses: [] };
}

export function procedureOf(r: Row): ProcedureEntry {
  return {
    ...coded(
      r['code'] !== null && r['code'] !== undefined && r['code_system'] !== null && r['code_system'] !== undefined
        ? code(String(r['code_system']), null, String(r['code']), s(r['display']))
        : null,
      String(r['display']),
    ),
    date: s(r['performed_start']),
    status: 'completed',
    performer: null,
  };
}
