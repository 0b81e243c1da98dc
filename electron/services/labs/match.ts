import type Database from 'better-sqlite3';
import { type Hl7PatientFacts, sameName, systemAliases } from '../../../shared/domain/hl7-patient';

/** How a message was tied to a chart, or why it was not. */
export type MatchDecision =
  | { kind: 'matched'; patientId: string; by: 'mrn' | 'identifier' | 'demographics'; detail: string }
  | { kind: 'unmatched'; reason: string }
  | { kind: 'ambiguous'; reason: string; candidates: string[] };

interface Candidate {
  id: string;
  mrn: string;
  birthDate: string;
  givenName: string;
  familyName: string;
  sex: string;
  identifiers: string;
}

export interface MatchOptions {
  /** Assigning authorities whose MR numbers are Cairn's own MRNs (an MR with no authority is too). */
  localAuthorities?: readonly string[];
}

/**
 * Finds the chart a message is about, only when the match is confident:
 * 1. a PID-3 identifier: our MRN (type MR, no or a local authority), or an identifier recorded on
 *    the chart with the same value and assigning authority; when it points to one chart whose
 *    birth date agrees with PID-7 (if given), that chart;
 * 2. else family + given name + birth date (case and accents ignored), and sex when both say it;
 *    exactly one chart, that chart.
 * Several charts, or an identifier whose chart disagrees on the birth date, is ambiguous; nothing is
 * unmatched. Important: never a guess; a person resolves what this does not match.
 */
export class PatientMatcher {
  private readonly byMrn: Database.Statement<[string], Candidate>;
  private readonly byIdentifierValue: Database.Statement<[string], Candidate>;
  private readonly byBirthDate: Database.Statement<[string], Candidate>;

  constructor(
    sqlite: Database.Database,
    private readonly options: MatchOptions = {},
  ) {
    const cols = `p.id, p.mrn, p.birth_date AS birthDate, p.given_name AS givenName, p.family_name AS familyName, p.sex, p.identifiers`;
    const live = `p.deleted_at IS NULL AND p.merged_into IS NULL`;
    this.byMrn = sqlite.prepare(`SELECT ${cols} FROM patients p WHERE p.mrn = ? AND ${live}`);
    this.byIdentifierValue = sqlite.prepare(
      `SELECT DISTINCT ${cols} FROM patients p, json_each(p.identifiers) j WHERE json_extract(j.value, '$.value') = ? AND ${live}`,
    );
    this.byBirthDate = sqlite.prepare(`SELECT ${cols} FROM patients p WHERE p.birth_date = ? AND ${live}`);
  }

  match(facts: Hl7PatientFacts): MatchDecision {
    const byId = this.byIdentifiers(facts);
    if (byId) return byId;
    const d = facts.demographics;
    if (!d.familyName || !d.givenName || !d.birthDate) {
      return { kind: 'unmatched', reason: 'no identifier matches a chart, and PID lacks the family name, given name or birth date to match by' };
    }
    const found = this.byBirthDate
      .all(d.birthDate)
      .filter((c) => sameName(c.familyName, d.familyName) && sameName(c.givenName, d.givenName))
      .filter((c) => !d.sex || d.sex === 'unknown' || c.sex === 'unknown' || c.sex === d.sex);
    const who = `${d.familyName}, ${d.givenName}, born ${d.birthDate}`;
    if (found.length === 1) return { kind: 'matched', patientId: found[0]!.id, by: 'demographics', detail: who };
    if (found.length === 0) return { kind: 'unmatched', reason: `no chart has the identifiers in PID-3 or the name and birth date ${who}` };
    return { kind: 'ambiguous', reason: `${found.length} charts have the name and birth date ${who}`, candidates: found.map((c) => c.id) };
  }

  private byIdentifiers(facts: Hl7PatientFacts): MatchDecision | null {
    const hits = new Map<string, { c: Candidate; how: string; by: 'mrn' | 'identifier' }>();
    const local = this.options.localAuthorities ?? [];
    for (const id of facts.identifiers) {
      const authority = id.namespace || id.universalId;
      if ((id.typeCode === 'MR' || id.typeCode === '') && (authority === '' || local.includes(authority))) {
        for (const c of this.byMrn.all(id.value)) hits.set(c.id, { c, how: `MRN ${id.value}`, by: 'mrn' });
      }
      const aliases = systemAliases(id);
      if (aliases.length === 0) continue;
      for (const c of this.byIdentifierValue.all(id.value)) {
        const stored = JSON.parse(c.identifiers) as { system: string; value: string }[];
        if (stored.some((s) => s.value === id.value && aliases.includes(s.system)))
          hits.set(c.id, { c, how: `identifier ${id.value} (${authority})`, by: 'identifier' });
      }
    }
    if (hits.size === 0) return null;
    if (hits.size > 1) return { kind: 'ambiguous', reason: `the identifiers in PID-3 belong to ${hits.size} different charts`, candidates: [...hits.keys()] };
    const [{ c, how, by }] = [...hits.values()] as [{ c: Candidate; how: string; by: 'mrn' | 'identifier' }];
    const born = facts.demographics.birthDate;
    if (born && born !== c.birthDate) {
      return { kind: 'ambiguous', reason: `${how} belongs to a chart born ${c.birthDate}, but PID-7 says ${born}`, candidates: [c.id] };
    }
    return { kind: 'matched', patientId: c.id, by, detail: how };
  }
}
