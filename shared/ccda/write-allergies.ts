/**
 * Allergies: Allergy Concern Act → Allergy - Intolerance Observation (4.30 / 4.7), the substance as
 * a consumable participant, each reaction a Reaction Observation (4.9) with its own severity (4.8).
 * The allergy's overall severity is sent as a Severity Observation on the allergy itself, where
 * R1.1 receivers look for it.
 */
import type { AllergyCategory, AllergyEntry, ClinicalStatus } from './model';
import { entryId, narrativeTable, section, statusWords, type Row, type SectionKind, type XmlParts } from './write-section';
import { all, coded, el, ivl, templateIds, text } from './write-xml';

const SNOMED = '2.16.840.1.113883.6.96';
const ACT_CODE = '2.16.840.1.113883.5.4';

export const ALLERGIES_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.6.1',
  templateExt: '2015-08-01',
  code: '48765-2',
  codeDisplay: 'Allergies and adverse reactions Document',
  title: 'Allergies and Intolerances',
};

/** Allergy and Intolerance Type value set (SNOMED CT), by Cairn's category. */
const CATEGORY: Record<AllergyCategory, [string, string]> = {
  drug: ['419511003', 'Propensity to adverse reactions to drug'],
  food: ['418471000', 'Propensity to adverse reactions to food'],
  environment: ['426232007', 'Environmental allergy'],
  other: ['420134006', 'Propensity to adverse reactions'],
};

const SEVERITY: Record<'mild' | 'moderate' | 'severe', string> = { mild: '255604002', moderate: '6736007', severe: '24484000' };

const STATUS: Partial<Record<ClinicalStatus, [string, string]>> = {
  active: ['55561003', 'Active'],
  inactive: ['73425007', 'Inactive'],
  resolved: ['413322009', 'Resolved'],
};

function severityObservation(severity: 'mild' | 'moderate' | 'severe', ref: string | null): string {
  return el(
    'entryRelationship',
    { typeCode: 'SUBJ', inversionInd: 'true' },
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.22.4.8', '2014-06-09', true),
      el('code', { code: 'SEV', codeSystem: ACT_CODE, codeSystemName: 'ActCode', displayName: 'Severity Observation' }),
      ref ? el('text', null, el('reference', { value: '#' + ref })) : null,
      el('statusCode', { code: 'completed' }),
      el('value', { 'xsi:type': 'CD', code: SEVERITY[severity], codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: severity }),
    ),
  );
}

function statusObservation(status: ClinicalStatus): string | null {
  const v = STATUS[status];
  if (!v) return null;
  return el(
    'entryRelationship',
    { typeCode: 'SUBJ', inversionInd: 'true' },
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.22.4.28', '2014-06-09', true),
      el('code', { code: '33999-4', codeSystem: '2.16.840.1.113883.6.1', codeSystemName: 'LOINC', displayName: 'Status' }),
      el('statusCode', { code: 'completed' }),
      el('value', { 'xsi:type': 'CE', code: v[0], codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: v[1] }),
    ),
  );
}

function reactionObservation(documentId: string, r: AllergyEntry['reactions'][number], ref: string): string {
  return el(
    'entryRelationship',
    { typeCode: 'MFST', inversionInd: 'true' },
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.22.4.9', '2014-06-09', true),
      entryId(documentId, ref),
      el('code', { code: 'ASSERTION', codeSystem: ACT_CODE }),
      el('text', null, el('reference', { value: '#' + ref })),
      el('statusCode', { code: 'completed' }),
      coded('value', r.reaction, ref, { 'xsi:type': 'CD' }),
      r.severity ? severityObservation(r.severity, null) : null,
    ),
  );
}

function allergyEntry(documentId: string, a: AllergyEntry, n: number): string {
  const row = `alg${n}`;
  const [typeCode, typeName] = CATEGORY[a.category];
  const concernActive = a.status === 'active' || a.status === 'unknown';
  const observation = el(
    'observation',
    { classCode: 'OBS', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.7', '2014-06-09', true),
    entryId(documentId, row),
    el('code', { code: 'ASSERTION', codeSystem: ACT_CODE }),
    el('text', null, el('reference', { value: '#' + row })),
    el('statusCode', { code: 'completed' }),
    ivl('effectiveTime', a.onset, null),
    el('value', { 'xsi:type': 'CD', code: typeCode, codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: typeName }),
    el(
      'participant',
      { typeCode: 'CSM' },
      el('participantRole', { classCode: 'MANU' }, el('playingEntity', { classCode: 'MMAT' }, coded('code', a, `${row}n`), el('name', null, text(a.name)))),
    ),
    statusObservation(a.status),
    all(a.reactions.map((r, i) => reactionObservation(documentId, r, `${row}r${i + 1}`))),
    a.severity ? severityObservation(a.severity, `${row}s`) : null,
  );
  return el(
    'act',
    { classCode: 'ACT', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.30', '2015-08-01', true),
    entryId(documentId, `${row}c`),
    el('code', { code: 'CONC', codeSystem: '2.16.840.1.113883.5.6', displayName: 'Concern' }),
    el('statusCode', { code: concernActive ? 'active' : 'completed' }),
    ivl('effectiveTime', a.onset, null),
    el('entryRelationship', { typeCode: 'SUBJ' }, observation),
  );
}

function reactionsCell(a: AllergyEntry, row: string): string {
  const parts = a.reactions.map((r, i) => el('content', { ID: `${row}r${i + 1}` }, text(r.reaction.name)) + (r.severity ? text(` (${r.severity})`) : ''));
  return parts.join(text('; '));
}

/** The Allergies and Intolerances section. */
export function allergiesSection(documentId: string, allergies: readonly AllergyEntry[]): XmlParts {
  const rows: Row[] = allergies.map((a, i) => {
    const id = `alg${i + 1}`;
    return {
      id,
      cells: [
        { text: a.name, id: `${id}n` },
        { text: a.category },
        { xml: reactionsCell(a, id) },
        { text: a.severity, id: `${id}s` },
        { text: statusWords(a.status) },
        { text: a.onset },
      ],
    };
  });
  const narrative = narrativeTable(['Substance', 'Type', 'Reactions', 'Severity', 'Status', 'Onset'], rows);
  return section(
    ALLERGIES_SECTION,
    narrative,
    allergies.map((a, i) => allergyEntry(documentId, a, i + 1)),
    'No information about allergies or intolerances.',
  );
}
