/**
 * Encounters (Encounter Activity 4.49, with performer, location and Encounter Diagnoses 4.80),
 * procedures (Procedure Activity Procedure 4.14) and smoking status (Smoking Status - Meaningful
 * Use 4.78, in the Social History section).
 */
import type { EncounterEntry, ProcedureEntry, SmokingEntry } from './model';
import { problemObservation } from './write-problems';
import { actStatus, entryId, narrativeTable, section, statusWords, type Row, type SectionKind, type XmlParts } from './write-section';
import { all, coded, el, ivl, templateIds, text, ts } from './write-xml';

export const ENCOUNTERS_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.22.1',
  templateExt: '2015-08-01',
  code: '46240-8',
  codeDisplay: 'History of Hospitalizations+Outpatient visits Narrative',
  title: 'Encounters',
};

export const PROCEDURES_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.7.1',
  templateExt: '2014-06-09',
  code: '47519-4',
  codeDisplay: 'History of Procedures Document',
  title: 'Procedures',
};

export const SOCIAL_HISTORY_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.17',
  templateExt: '2015-08-01',
  code: '29762-2',
  codeDisplay: 'Social history Narrative',
  title: 'Social History',
};

/** A performer known only by name (the schema wants an id; the guide an address and phone: sent as unknown). */
function performer(name: string | null): string | null {
  const n = name?.trim();
  if (!n) return null;
  return el(
    'performer',
    null,
    el(
      'assignedEntity',
      null,
      el('id', { nullFlavor: 'NI' }),
      el('addr', { nullFlavor: 'UNK' }),
      el('telecom', { nullFlavor: 'UNK' }),
      el('assignedPerson', null, el('name', null, text(n))),
    ),
  );
}

function location(name: string | null): string | null {
  const n = name?.trim();
  if (!n) return null;
  return el(
    'participant',
    { typeCode: 'LOC' },
    el(
      'participantRole',
      { classCode: 'SDLOC' },
      templateIds('2.16.840.1.113883.10.20.22.4.32', null),
      el('code', { nullFlavor: 'UNK' }),
      el('playingEntity', { classCode: 'PLC' }, el('name', null, text(n))),
    ),
  );
}

function encounterEntry(documentId: string, e: EncounterEntry, n: number): string {
  const row = `enc${n}`;
  const diagnoses = e.diagnoses.map((d, i) =>
    el(
      'entryRelationship',
      { typeCode: 'COMP' },
      el(
        'act',
        { classCode: 'ACT', moodCode: 'EVN' },
        templateIds('2.16.840.1.113883.10.20.22.4.80', '2015-08-01', true),
        el('code', { code: '29308-4', codeSystem: '2.16.840.1.113883.6.1', codeSystemName: 'LOINC', displayName: 'Diagnosis' }),
        el(
          'entryRelationship',
          { typeCode: 'SUBJ' },
          problemObservation({
            documentId,
            idExt: `${row}d${i + 1}`,
            problem: d,
            rowRef: null,
            nameRef: `${row}d${i + 1}`,
            onset: e.start,
            resolved: null,
            status: 'unknown',
          }),
        ),
      ),
    ),
  );
  return el(
    'encounter',
    { classCode: 'ENC', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.49', '2015-08-01', true),
    entryId(documentId, row),
    coded('code', e, `${row}n`),
    el('text', null, el('reference', { value: '#' + row })),
    ivl('effectiveTime', e.start, e.end),
    performer(e.performer),
    location(e.location),
    all(diagnoses),
  );
}

/** The Encounters section. */
export function encountersSection(documentId: string, list: readonly EncounterEntry[]): XmlParts {
  const rows: Row[] = list.map((e, i) => {
    const id = `enc${i + 1}`;
    const dx = e.diagnoses.map((d, k) => el('content', { ID: `${id}d${k + 1}` }, text(d.name))).join(text('; '));
    return {
      id,
      cells: [{ text: e.name, id: `${id}n` }, { text: e.start }, { text: e.end }, { text: e.location }, { text: e.performer }, { xml: dx }],
    };
  });
  const narrative = narrativeTable(['Encounter', 'Start', 'End', 'Location', 'Performer', 'Diagnoses'], rows);
  return section(
    ENCOUNTERS_SECTION,
    narrative,
    list.map((e, i) => encounterEntry(documentId, e, i + 1)),
    'No information about encounters.',
  );
}

function procedureEntry(documentId: string, p: ProcedureEntry, n: number): string {
  const row = `proc${n}`;
  return el(
    'procedure',
    { classCode: 'PROC', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.14', '2014-06-09', true),
    entryId(documentId, row),
    coded('code', p, `${row}n`),
    el('text', null, el('reference', { value: '#' + row })),
    actStatus(p.status),
    ts('effectiveTime', p.date),
    performer(p.performer),
  );
}

/** The Procedures section. */
export function proceduresSection(documentId: string, list: readonly ProcedureEntry[]): XmlParts {
  const rows: Row[] = list.map((p, i) => {
    const id = `proc${i + 1}`;
    return { id, cells: [{ text: p.name, id: `${id}n` }, { text: p.date }, { text: statusWords(p.status) }, { text: p.performer }] };
  });
  const narrative = narrativeTable(['Procedure', 'Date', 'Status', 'Performer'], rows);
  return section(
    PROCEDURES_SECTION,
    narrative,
    list.map((p, i) => procedureEntry(documentId, p, i + 1)),
    'No information about procedures.',
  );
}

function smokingEntry(documentId: string, s: SmokingEntry, n: number): string {
  const row = `smk${n}`;
  return el(
    'observation',
    { classCode: 'OBS', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.78', '2014-06-09', true),
    entryId(documentId, row),
    el('code', { code: '72166-2', codeSystem: '2.16.840.1.113883.6.1', codeSystemName: 'LOINC', displayName: 'Tobacco smoking status NHIS' }),
    el('text', null, el('reference', { value: '#' + row })),
    el('statusCode', { code: 'completed' }),
    ts('effectiveTime', s.date),
    coded('value', s, `${row}n`, { 'xsi:type': 'CD' }),
  );
}

/** The Social History section (smoking status). */
export function socialHistorySection(documentId: string, list: readonly SmokingEntry[]): XmlParts {
  const rows: Row[] = list.map((s, i) => {
    const id = `smk${i + 1}`;
    return { id, cells: [{ text: 'Smoking status' }, { text: s.name, id: `${id}n` }, { text: s.date }] };
  });
  const narrative = narrativeTable(['Social history', 'Finding', 'Date'], rows);
  return section(
    SOCIAL_HISTORY_SECTION,
    narrative,
    list.map((s, i) => smokingEntry(documentId, s, i + 1)),
    'No information about social history.',
  );
}
