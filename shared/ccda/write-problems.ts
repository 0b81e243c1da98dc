/**
 * Problems: Problem Concern Act → Problem Observation (C-CDA R2.1, 2.16.840.1.113883.10.20.22.4.3 / 4.4).
 * The problem's own code (SNOMED CT or ICD-10-CM, whichever the chart holds) is the observation's
 * value with its own code system; its translations ride along.
 */
import type { ClinicalStatus, Coded, ProblemEntry } from './model';
import { actStatus, entryId, narrativeTable, section, statusWords, type Row, type SectionKind, type XmlParts } from './write-section';
import { coded, el, hl7Ts, ivl, templateIds } from './write-xml';

const SNOMED = '2.16.840.1.113883.6.96';
const LOINC = '2.16.840.1.113883.6.1';

export const PROBLEMS_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.5.1',
  templateExt: '2015-08-01',
  code: '11450-4',
  codeDisplay: 'Problem list - Reported',
  title: 'Problems',
};

const STATUS_VALUE: Partial<Record<ClinicalStatus, [string, string]>> = {
  active: ['55561003', 'Active'],
  inactive: ['73425007', 'Inactive'],
  resolved: ['413322009', 'Resolved'],
  completed: ['413322009', 'Resolved'],
};

/** Problem Status (4.6): still how most receivers read active/inactive/resolved, so it is sent when known. */
function problemStatus(status: ClinicalStatus): string | null {
  const v = STATUS_VALUE[status];
  if (!v) return null;
  return el(
    'entryRelationship',
    { typeCode: 'REFR' },
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.22.4.6', '2014-06-09', true),
      el('code', { code: '33999-4', codeSystem: LOINC, codeSystemName: 'LOINC', displayName: 'Status' }),
      el('statusCode', { code: 'completed' }),
      el('value', { 'xsi:type': 'CD', code: v[0], codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: v[1] }),
    ),
  );
}

/** What a Problem Observation needs: the coded problem and where the narrative names it. */
export interface ProblemObservationInput {
  documentId: string;
  idExt: string;
  problem: Pick<Coded, 'code' | 'translations'>;
  rowRef: string | null;
  nameRef: string | null;
  onset: string | null;
  resolved: string | null;
  status: ClinicalStatus;
}

/** A Problem Observation (4.4, R2.1), also used for encounter diagnoses. */
export function problemObservation(p: ProblemObservationInput): string {
  return el(
    'observation',
    { classCode: 'OBS', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.4', '2015-08-01', true),
    entryId(p.documentId, p.idExt),
    el(
      'code',
      { code: '55607006', codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: 'Problem' },
      el('translation', { code: '75326-9', codeSystem: LOINC, codeSystemName: 'LOINC', displayName: 'Problem' }),
    ),
    p.rowRef ? el('text', null, el('reference', { value: '#' + p.rowRef })) : null,
    el('statusCode', { code: 'completed' }),
    ivl('effectiveTime', p.onset, p.resolved),
    coded('value', p.problem, p.nameRef, { 'xsi:type': 'CD' }),
    problemStatus(p.status),
  );
}

function concernStatus(p: ProblemEntry): string {
  if (p.status === 'unknown') return el('statusCode', { code: hl7Ts(p.resolved) ? 'completed' : 'active' });
  return actStatus(p.status);
}

function problemEntry(documentId: string, p: ProblemEntry, n: number): string {
  const row = `prob${n}`;
  return el(
    'act',
    { classCode: 'ACT', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.3', '2015-08-01', true),
    entryId(documentId, `${row}c`),
    el('code', { code: 'CONC', codeSystem: '2.16.840.1.113883.5.6', displayName: 'Concern' }),
    concernStatus(p),
    ivl('effectiveTime', p.onset, p.resolved),
    el(
      'entryRelationship',
      { typeCode: 'SUBJ' },
      problemObservation({
        documentId,
        idExt: row,
        problem: p,
        rowRef: row,
        nameRef: `${row}n`,
        onset: p.onset,
        resolved: p.resolved,
        status: p.status,
      }),
    ),
  );
}

/** A code in words for the narrative: "I10 (2.16.840.1.113883.6.90)" → the system's name when known. */
export function codeWords(c: Coded['code']): string {
  if (!c) return '';
  return c.systemName ? `${c.systemName} ${c.code}` : c.code;
}

/** The Problems section. */
export function problemsSection(documentId: string, problems: readonly ProblemEntry[]): XmlParts {
  const rows: Row[] = problems.map((p, i) => {
    const id = `prob${i + 1}`;
    return {
      id,
      cells: [{ text: p.name, id: `${id}n` }, { text: codeWords(p.code) }, { text: p.onset }, { text: p.resolved }, { text: statusWords(p.status) }],
    };
  });
  const narrative = narrativeTable(['Problem', 'Code', 'Onset', 'Resolved', 'Status'], rows);
  const entries = problems.map((p, i) => problemEntry(documentId, p, i + 1));
  return section(PROBLEMS_SECTION, narrative, entries, 'No information about problems.');
}
