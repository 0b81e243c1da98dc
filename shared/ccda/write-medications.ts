/**
 * Medications: Medication Activity (4.16) with the drug (RxNorm as the chart holds it) as its
 * consumable, dose, route, the period it was taken and how often (a PIVL_TS period when the
 * frequency in words can be read as one), and the sig as an Instruction (4.20).
 */
import type { MedicationEntry } from './model';
import { actStatus, entryId, narrativeTable, section, statusWords, type Row, type SectionKind, type XmlParts } from './write-section';
import { codeAttrs, coded, el, ivl, numberText, pq, templateIds, text, usableCode } from './write-xml';

export const MEDICATIONS_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.1.1',
  templateExt: '2014-06-09',
  code: '10160-0',
  codeDisplay: 'History of Medication use Narrative',
  title: 'Medications',
};

/** A frequency as a period: the value, its UCUM unit, and whether the clinic chooses the times (BID, TID…). */
export interface Period {
  value: number;
  unit: 'min' | 'h' | 'd' | 'wk' | 'mo';
  institutionSpecified: boolean;
}

const TIMES_A_DAY: Record<string, number> = { once: 1, twice: 2, 'three times': 3, thrice: 3, 'four times': 4, 'five times': 5, 'six times': 6 };
const LATIN: Record<string, Period> = {
  qd: { value: 1, unit: 'd', institutionSpecified: true },
  daily: { value: 1, unit: 'd', institutionSpecified: true },
  bid: { value: 12, unit: 'h', institutionSpecified: true },
  tid: { value: 8, unit: 'h', institutionSpecified: true },
  qid: { value: 6, unit: 'h', institutionSpecified: true },
  qod: { value: 2, unit: 'd', institutionSpecified: true },
  'every other day': { value: 2, unit: 'd', institutionSpecified: true },
  weekly: { value: 1, unit: 'wk', institutionSpecified: true },
  monthly: { value: 1, unit: 'mo', institutionSpecified: true },
  qhs: { value: 1, unit: 'd', institutionSpecified: true },
  nightly: { value: 1, unit: 'd', institutionSpecified: true },
  'at bedtime': { value: 1, unit: 'd', institutionSpecified: true },
};
const UNIT: Record<string, Period['unit']> = {
  minute: 'min',
  min: 'min',
  hour: 'h',
  hr: 'h',
  h: 'h',
  day: 'd',
  d: 'd',
  week: 'wk',
  wk: 'wk',
  month: 'mo',
  mo: 'mo',
};

/**
 * Reads "every 12 hours", "q8h", "twice daily", "BID", "once a week"… as a period; null when the
 * words are not a plain repeat ("as needed", "with meals"), which then stay in the narrative only.
 */
export function frequencyPeriod(words: string | null): Period | null {
  if (!words) return null;
  const s = words.trim().toLowerCase().replace(/\./g, '');
  const latin = LATIN[s];
  if (latin) return latin;
  let m = /^(?:every|each|q)\s*(\d+(?:\.\d+)?)?\s*-?\s*(minute|min|hour|hr|h|day|d|week|wk|month|mo)s?$/.exec(s);
  if (m) return { value: Number(m[1] ?? 1), unit: UNIT[m[2]!]!, institutionSpecified: false };
  m = /^(once|twice|three times|thrice|four times|five times|six times)\s+(?:a\s+|per\s+)?(day|daily|week|weekly)$/.exec(s);
  if (m) {
    const n = TIMES_A_DAY[m[1]!]!;
    const perWeek = m[2]!.startsWith('week');
    if (perWeek) return n === 1 ? { value: 1, unit: 'wk', institutionSpecified: true } : { value: 168 / n, unit: 'h', institutionSpecified: true };
    return n === 1 ? { value: 1, unit: 'd', institutionSpecified: true } : { value: 24 / n, unit: 'h', institutionSpecified: true };
  }
  return null;
}

function instruction(documentId: string, words: string, ref: string): string {
  return el(
    'entryRelationship',
    { typeCode: 'SUBJ', inversionInd: 'true' },
    el(
      'act',
      { classCode: 'ACT', moodCode: 'INT' },
      templateIds('2.16.840.1.113883.10.20.22.4.20', '2014-06-09', true),
      entryId(documentId, ref),
      el('code', { code: '409073007', codeSystem: '2.16.840.1.113883.6.96', codeSystemName: 'SNOMED CT', displayName: 'Instruction' }),
      // The words themselves and the reference to the same words in the narrative: receivers read one or the other.
      el('text', null, text(words), el('reference', { value: '#' + ref })),
      el('statusCode', { code: 'completed' }),
    ),
  );
}

function medicationEntry(documentId: string, m: MedicationEntry, n: number): string {
  const row = `med${n}`;
  const period = frequencyPeriod(m.frequency);
  return el(
    'substanceAdministration',
    { classCode: 'SBADM', moodCode: 'EVN' },
    templateIds('2.16.840.1.113883.10.20.22.4.16', '2014-06-09', true),
    entryId(documentId, row),
    el('text', null, el('reference', { value: '#' + row })),
    actStatus(m.status),
    ivl('effectiveTime', m.start, m.end, true),
    period
      ? el(
          'effectiveTime',
          { 'xsi:type': 'PIVL_TS', institutionSpecified: String(period.institutionSpecified), operator: 'A' },
          el('period', { value: numberText(period.value), unit: period.unit }),
        )
      : null,
    usableCode(m.route) ? el('routeCode', codeAttrs(m.route)) : null,
    pq('doseQuantity', m.dose),
    el(
      'consumable',
      null,
      el(
        'manufacturedProduct',
        { classCode: 'MANU' },
        templateIds('2.16.840.1.113883.10.20.22.4.23', '2014-06-09', true),
        el('manufacturedMaterial', null, coded('code', m, `${row}n`)),
      ),
    ),
    m.instructions?.trim() ? instruction(documentId, m.instructions.trim(), `${row}i`) : null,
  );
}

function doseWords(m: MedicationEntry): string {
  return m.dose ? `${numberText(m.dose.value)} ${m.dose.unit}` : '';
}

/** The Medications section. */
export function medicationsSection(documentId: string, meds: readonly MedicationEntry[]): XmlParts {
  const rows: Row[] = meds.map((m, i) => {
    const id = `med${i + 1}`;
    return {
      id,
      cells: [
        { text: m.name, id: `${id}n` },
        { text: doseWords(m) },
        { text: m.route ? (m.route.display ?? m.route.code) : '' },
        { text: m.frequency },
        { text: m.instructions?.trim() ?? '', id: `${id}i` },
        { text: m.start },
        { text: m.end },
        { text: statusWords(m.status) },
      ],
    };
  });
  const narrative = narrativeTable(['Medication', 'Dose', 'Route', 'Frequency', 'Instructions', 'Start', 'End', 'Status'], rows);
  return section(
    MEDICATIONS_SECTION,
    narrative,
    meds.map((m, i) => medicationEntry(documentId, m, i + 1)),
    'No information about medications.',
  );
}
