/**
 * Results and vital signs: organizers of observations. Results with the same panel and date that
 * follow each other form one Result Organizer (4.1, BATTERY); a result with no panel gets an
 * organizer of its own (CLUSTER, code not given) rather than a made-up panel. Vital signs taken at
 * the same time form one Vital Signs Organizer (4.26). Entry order is the chart's order.
 */
import type { Coded, ObservationEntry, ObservationValue } from './model';
import { actStatus, entryId, joinFrom, narrativeTable, section, statusWords, type Row, type SectionKind, type XmlParts } from './write-section';
import { attr, codeAttrs, coded, el, hl7Ts, numberText, templateIds, text, ts, ucumUnit, usableCode } from './write-xml';

export const RESULTS_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.3.1',
  templateExt: '2015-08-01',
  code: '30954-2',
  codeDisplay: 'Relevant diagnostic tests/laboratory data Narrative',
  title: 'Results',
};

export const VITALS_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.4.1',
  templateExt: '2015-08-01',
  code: '8716-3',
  codeDisplay: 'Vital signs',
  title: 'Vital Signs',
};

const INTERPRETATION = '2.16.840.1.113883.5.83';
const RANGE_RE = /^\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(-?\d+(?:\.\d+)?)\s*(\S*)\s*$/;

function valueXml(v: ObservationValue | null, nameRef: string): string {
  if (!v) return el('value', { 'xsi:type': 'PQ', nullFlavor: 'NI' });
  switch (v.kind) {
    case 'quantity':
      return Number.isFinite(v.value)
        ? el('value', { 'xsi:type': 'PQ', value: numberText(v.value), unit: ucumUnit(v.unit) })
        : el('value', { 'xsi:type': 'PQ', nullFlavor: 'NI' });
    case 'coded':
      return usableCode(v.code)
        ? el('value', { 'xsi:type': 'CD', ...codeAttrs(v.code) })
        : el('value', { 'xsi:type': 'CD', nullFlavor: 'OTH' }, el('originalText', null, el('reference', { value: `#${nameRef}v` })));
    case 'text':
      return el('value', { 'xsi:type': 'ST' }, text(v.text));
  }
}

/** The value in words, for the narrative (and what an ST or uncoded CD value's reference points at). */
export function valueWords(v: ObservationValue | null): string {
  if (!v) return '';
  switch (v.kind) {
    case 'quantity':
      return `${numberText(v.value)} ${v.unit}`.trim();
    case 'coded':
      return v.code.display ?? v.code.code;
    case 'text':
      return v.text;
  }
}

/** The reference range as words (kept exactly) and, when it reads as "low–high unit", as numbers too. */
function referenceRange(range: string | null, v: ObservationValue | null): string | null {
  const words = range?.trim();
  if (!words) return null;
  const m = RANGE_RE.exec(words);
  const unit = ucumUnit(m?.[3] || (v?.kind === 'quantity' ? v.unit : ''));
  const value = m ? el('value', { 'xsi:type': 'IVL_PQ' }, el('low', { value: m[1], unit }), el('high', { value: m[2], unit })) : null;
  return el('referenceRange', null, el('observationRange', null, el('text', null, text(words)), value));
}

/** One observation in its `<component>`, pushed onto `out` (see EntryWriter). */
function observationTo(out: XmlParts, documentId: string, o: ObservationEntry, row: string, template: string, templateExt: string): void {
  const interp = o.interpretation?.trim();
  out.push(
    '<component><observation classCode="OBS" moodCode="EVN">',
    templateIds(template, templateExt, true),
    entryId(documentId, row),
    coded('code', o, `${row}n`),
    '<text><reference value="#',
    attr(row),
    '"/></text>',
    actStatus(o.status),
    ts('effectiveTime', o.date),
    valueXml(o.value, row),
  );
  if (interp && /^\S+$/.test(interp))
    out.push(el('interpretationCode', { code: interp, codeSystem: INTERPRETATION, codeSystemName: 'ObservationInterpretation' }));
  const range = referenceRange(o.referenceRange, o.value);
  if (range) out.push(range);
  out.push('</observation></component>');
}

interface Group {
  panel: Coded | null;
  date: string | null;
  items: { o: ObservationEntry; n: number }[];
}

/** Consecutive entries with the same key form one group; a null key never groups. */
function groupConsecutive(list: readonly ObservationEntry[], key: (o: ObservationEntry) => string | null): Group[] {
  const groups: Group[] = [];
  let lastKey: string | null = null;
  list.forEach((o, i) => {
    const k = key(o);
    const last = groups[groups.length - 1];
    if (last && k !== null && k === lastKey) last.items.push({ o, n: i + 1 });
    else groups.push({ panel: o.panel, date: o.date, items: [{ o, n: i + 1 }] });
    lastKey = k;
  });
  return groups;
}

function panelKey(o: ObservationEntry): string | null {
  if (!o.panel) return null;
  const c = o.panel.code;
  return `${c ? `${c.system}|${c.code}` : ''}|${o.panel.name}|${o.date ?? ''}`;
}

function organizerTime(g: Group): string {
  const dates = g.items.map((i) => i.o.date).filter((d): d is string => hl7Ts(d) !== null);
  const sorted = dates.sort((a, b) => (hl7Ts(a)! < hl7Ts(b)! ? -1 : 1));
  return el('effectiveTime', null, ts('low', sorted[0]), sorted.length > 0 ? ts('high', sorted[sorted.length - 1]) : null);
}

const RESULT_ORGANIZER = templateIds('2.16.840.1.113883.10.20.22.4.1', '2015-08-01', true);
const VITALS_ORGANIZER = templateIds('2.16.840.1.113883.10.20.22.4.26', '2015-08-01', true);
const VITALS_CODE = el(
  'code',
  { code: '46680005', codeSystem: '2.16.840.1.113883.6.96', codeSystemName: 'SNOMED CT', displayName: 'Vital Signs' },
  el('translation', {
    code: '74728-7',
    codeSystem: '2.16.840.1.113883.6.1',
    codeSystemName: 'LOINC',
    displayName: 'Vital signs, weight, height, head circumference, oximetry, BMI, and BSA panel',
  }),
);
const COMPLETED = el('statusCode', { code: 'completed' });

function resultOrganizerTo(out: XmlParts, documentId: string, g: Group, n: number, prefix: string): void {
  const start = out.length;
  out.push(
    g.panel ? '\n<entry><organizer classCode="BATTERY" moodCode="EVN">' : '\n<entry><organizer classCode="CLUSTER" moodCode="EVN">',
    RESULT_ORGANIZER,
    entryId(documentId, `${prefix}g${n}`),
    g.panel ? coded('code', g.panel, null) : '<code nullFlavor="NA"/>',
    COMPLETED,
    organizerTime(g),
  );
  for (const { o, n: k } of g.items) observationTo(out, documentId, o, `${prefix}${k}`, '2.16.840.1.113883.10.20.22.4.2', '2015-08-01');
  out.push('</organizer></entry>');
  joinFrom(out, start);
}

function vitalsOrganizerTo(out: XmlParts, documentId: string, g: Group, n: number, prefix: string): void {
  const start = out.length;
  out.push(
    '\n<entry><organizer classCode="CLUSTER" moodCode="EVN">',
    VITALS_ORGANIZER,
    entryId(documentId, `${prefix}g${n}`),
    VITALS_CODE,
    COMPLETED,
    organizerTime(g),
  );
  for (const { o, n: k } of g.items) observationTo(out, documentId, o, `${prefix}${k}`, '2.16.840.1.113883.10.20.22.4.27', '2014-06-09');
  out.push('</organizer></entry>');
  joinFrom(out, start);
}

function rows(list: readonly ObservationEntry[], prefix: string, withPanel: boolean): Row[] {
  return list.map((o, i) => {
    const id = `${prefix}${i + 1}`;
    const uncoded = o.value?.kind === 'coded' && !usableCode(o.value.code);
    const cells = [
      { text: o.name, id: `${id}n` },
      { text: valueWords(o.value), id: uncoded ? `${id}v` : null },
      { text: o.interpretation },
      { text: o.referenceRange },
      { text: o.date },
      { text: statusWords(o.status) },
    ];
    if (withPanel) cells.splice(1, 0, { text: o.panel?.name ?? '', id: null });
    return { id, cells };
  });
}

/** The Results section. */
export function resultsSection(documentId: string, results: readonly ObservationEntry[]): XmlParts {
  const narrative = narrativeTable(['Test', 'Panel', 'Value', 'Interpretation', 'Reference range', 'Date', 'Status'], rows(results, 'res', true));
  const groups = groupConsecutive(results, panelKey);
  const entries = { count: groups.length, write: (out: XmlParts): void => groups.forEach((g, i) => resultOrganizerTo(out, documentId, g, i + 1, 'res')) };
  return section(RESULTS_SECTION, narrative, entries, 'No information about results.');
}

/** The Vital Signs section. */
export function vitalsSection(documentId: string, vitals: readonly ObservationEntry[]): XmlParts {
  const narrative = narrativeTable(['Vital sign', 'Value', 'Interpretation', 'Reference range', 'Date', 'Status'], rows(vitals, 'vit', false));
  const groups = groupConsecutive(vitals, (o) => hl7Ts(o.date));
  const entries = { count: groups.length, write: (out: XmlParts): void => groups.forEach((g, i) => vitalsOrganizerTo(out, documentId, g, i + 1, 'vit')) };
  return section(VITALS_SECTION, narrative, entries, 'No information about vital signs.');
}
