/**
 * The facts of one chart that preventive care rules and quality measures read: a plain snapshot,
 * loaded by the services layer (one query per kind for the whole practice) and evaluated by pure
 * functions here and in preventive.ts / measures.ts. Dates are YYYY-MM-DD (the day of the event).
 */
import { z } from 'zod';
import { addYears } from './dates';

export interface FactCondition {
  icd10: string | null;
  snomed: string | null;
  display: string;
  /** YYYY-MM-DD or null when unknown (counts as "before any date"). */
  onset: string | null;
  /** YYYY-MM-DD when resolved; null while it lasts. */
  abatement: string | null;
  /** active | recurrence | relapse | inactive | remission | resolved | entered-in-error */
  status: string;
}

export interface FactObservation {
  loinc: string;
  on: string;
  value: number | null;
  /** A coded answer (e.g. SNOMED for tobacco smoking status), when the observation has one. */
  code: string | null;
}

export interface FactProcedure {
  /** SNOMED CT or CPT code. */
  code: string;
  display: string;
  on: string;
}

export interface FactImmunization {
  cvx: string;
  on: string;
}

export interface FactEncounter {
  on: string;
  providerId: string | null;
}

export interface FactMedication {
  rxcui: string | null;
  name: string;
  start: string;
  stop: string | null;
}

export interface PatientFacts {
  id: string;
  name: string;
  mrn: string | null;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  /** YYYY-MM-DD of death, when recorded. */
  deceasedOn: string | null;
  /** The patient's usual provider: the one seen most often (null when never seen). */
  providerId: string | null;
  conditions: FactCondition[];
  observations: FactObservation[];
  procedures: FactProcedure[];
  immunizations: FactImmunization[];
  encounters: FactEncounter[];
  medications: FactMedication[];
}

/** Full years of age on `on` (a birthday counts on the day itself). */
export function ageOn(birthDate: string, on: string): number {
  const by = Number(birthDate.slice(0, 4));
  const oy = Number(on.slice(0, 4));
  const beforeBirthday = on.slice(5) < birthDate.slice(5);
  return oy - by - (beforeBirthday ? 1 : 0);
}

/** The day someone reaches `years` of age (29 February birthdays move to 1 March, as addYears does). */
export function birthdayAt(birthDate: string, years: number): string {
  return addYears(birthDate, years);
}

/** Codes to look for in a chart, by system. ICD-10-CM entries are prefixes ("E11" matches E11.9). */
export const codeMatch = z
  .object({
    loinc: z.array(z.string().regex(/^\d{1,7}-\d$/, 'a LOINC code such as 4548-4')).optional(),
    snomed: z.array(z.string().regex(/^\d{6,18}$/, 'a SNOMED CT concept id')).optional(),
    icd10: z.array(z.string().regex(/^[A-Z]\d[0-9A-Z.]*$/, 'an ICD-10-CM code or prefix such as E11 or Z90.13')).optional(),
    cpt: z.array(z.string().regex(/^\d{4}[0-9A-Z]$/, 'a CPT code such as 77067')).optional(),
    cvxGroups: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((m) => Object.values(m).some((v) => v && v.length > 0), 'name at least one code');
export type CodeMatch = z.infer<typeof codeMatch>;

/** A compiled CodeMatch: sets for fast lookup over a whole practice. */
export interface CodeSet {
  loinc: ReadonlySet<string>;
  procedure: ReadonlySet<string>;
  snomedCondition: ReadonlySet<string>;
  icd10: readonly string[];
}

export function compileCodes(m: CodeMatch): CodeSet {
  return {
    loinc: new Set(m.loinc ?? []),
    // Procedures are coded in SNOMED CT or CPT: one set holds both.
    procedure: new Set([...(m.snomed ?? []), ...(m.cpt ?? [])]),
    snomedCondition: new Set(m.snomed ?? []),
    icd10: m.icd10 ?? [],
  };
}

/** Whether a condition carries one of the codes (ICD-10-CM by prefix, SNOMED CT exactly). */
export function conditionMatches(c: FactCondition, codes: CodeSet): boolean {
  if (c.status === 'entered-in-error') return false;
  if (c.snomed !== null && codes.snomedCondition.has(c.snomed)) return true;
  return c.icd10 !== null && codes.icd10.some((p) => c.icd10!.startsWith(p));
}

/** Whether the condition was present at some time within [from, to]. */
export function conditionOverlaps(c: FactCondition, from: string, to: string): boolean {
  return (c.onset === null || c.onset <= to) && (c.abatement === null || c.abatement >= from);
}

/** A dated piece of evidence found in the chart. */
export interface Evidence {
  kind: 'observation' | 'procedure' | 'condition' | 'immunization';
  code: string;
  label: string;
  on: string;
  value?: number | null;
}

/**
 * The newest observation or procedure with one of the codes on or before `on`, or null. One pass,
 * no sorting: this runs for every rule of every patient of a practice.
 */
export function latestEvidence(p: PatientFacts, codes: CodeSet, label: string, on: string, kind?: 'observation'): Evidence | null {
  let best: Evidence | null = null;
  if (codes.loinc.size > 0) {
    for (const o of p.observations) {
      if (o.on <= on && codes.loinc.has(o.loinc) && (best === null || o.on > best.on))
        best = { kind: 'observation', code: o.loinc, label, on: o.on, value: o.value };
    }
  }
  if (kind === undefined && codes.procedure.size > 0) {
    for (const x of p.procedures) {
      if (x.on <= on && codes.procedure.has(x.code) && (best === null || x.on > best.on)) best = { kind: 'procedure', code: x.code, label, on: x.on };
    }
  }
  return best;
}
