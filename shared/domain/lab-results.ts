import { zonedInstant } from './dates';
import {
  field,
  get,
  groups,
  type Hl7Delimiters,
  type Hl7Group,
  type Hl7ErrorCondition,
  type Hl7Message,
  type Hl7Segment,
  readHeader,
  repetitionValues,
  segments,
  writeField,
} from '../hl7';

/**
 * Lab results from an HL7 v2 ORU^R01 or OUL^R22, pure: message in, result drafts out (no database).
 *
 * ```ts
 * const r = mapOru(message);
 * if (!r.ok) ack('AE', r.error);            // "OBX #2 field 5: NM value "abc" is not a number"
 * for (const d of r.value.results) store(d); // one draft per OBX inside an OBR group
 * ```
 */

/** Where and why a message cannot be mapped: enough for an AE with an ERR segment. */
export interface Hl7MappingError {
  reason: string;
  condition: Hl7ErrorCondition;
  segment: string;
  /** Which segment of that name (1-based), e.g. the third OBX of the message is 3. */
  occurrence: number;
  field?: number;
}

/** An order (OBR) as received; placer and filler numbers are kept whole (all ^ components). */
export interface LabOrderDraft {
  index: number;
  setId: string;
  placerNumber: string;
  fillerNumber: string;
  code: string;
  display: string;
  codeSystem: string;
  observedAt: string | null;
  resultStatus: string;
  /** NTE that follow the OBR before its first OBX. */
  notes: string[];
}

/** OBX-11 as a result status; O (order detail, no result) has none and is skipped. */
export const RESULT_STATUS = {
  P: 'preliminary',
  F: 'final',
  C: 'corrected',
  X: 'cancelled',
  I: 'registered',
  R: 'preliminary',
  S: 'preliminary',
  D: 'entered-in-error',
  W: 'entered-in-error',
  U: 'final',
} as const;
export type ResultStatus = (typeof RESULT_STATUS)[keyof typeof RESULT_STATUS];

/**
 * How far along a version of a result is: registered < preliminary < final < corrected. HL7 v2.5.1
 * table 0085 (OBX-11): F is "final results; can only be changed with a corrected result", C "a
 * correction and thus replaces a final result". Cancelled (X) and entered-in-error (D, W) have no
 * rank: they replace whatever is current, and whatever comes after them replaces them, as before.
 */
const VERSION_RANK: ReadonlyMap<string, number> = new Map([
  ['registered', 0],
  ['preliminary', 1],
  ['final', 2],
  ['corrected', 3],
  ['amended', 3],
]);

/**
 * Whether a version arriving now is older than the one already current, so must not replace it: a
 * preliminary resent after its final (an out-of-order resend), or a final after its correction. It
 * is kept as history, never current. A version of the same rank (a resend, a second correction)
 * replaces the current one, as does anything next to a status without a rank.
 */
export function arrivesLate(incoming: string, current: string): boolean {
  const a = VERSION_RANK.get(incoming);
  const b = VERSION_RANK.get(current);
  return a !== undefined && b !== undefined && a < b;
}

/** HL7 table 0078 abnormal flags Cairn shows; another code is kept as it came. */
export const ABNORMAL_FLAGS = {
  N: 'normal',
  L: 'low',
  H: 'high',
  LL: 'critically low',
  HH: 'critically high',
  A: 'abnormal',
  AA: 'critically abnormal',
} as const;

/** An ED value (OBX-5 of type ED): kept as an attachment, never as a number or text. */
export interface LabAttachment {
  sourceApplication: string;
  type: string;
  subtype: string;
  encoding: string;
  data: string;
}

/** One result, ready to be stored as an observation. */
export interface LabResultDraft {
  /** Index into `orders`. */
  orderIndex: number;
  setId: string;
  subId: string;
  valueType: string;
  /** OBX-3: code, text, coding system (LN is LOINC). */
  code: string;
  display: string;
  codeSystem: string;
  /** The LOINC code when OBX-3 gives one (first or alternate coding), else `SYSTEM:code`. */
  loinc: string;
  valueNum: number | null;
  valueText: string | null;
  /** SN comparator (`<`, `>=`…), or null. */
  comparator: string | null;
  /** CE/CWE coded value as `system|code`, or null. */
  valueCode: string | null;
  attachment: LabAttachment | null;
  /** OBX-5 as written in the message (escaped), so nothing of the value is lost. */
  rawValue: string;
  unit: string | null;
  refLow: number | null;
  refHigh: number | null;
  refText: string | null;
  /** OBX-8, first repetition (table 0078), or null. */
  interpretation: string | null;
  statusCode: string;
  status: ResultStatus;
  /** UTC ISO-8601: OBX-14, else OBR-7, else MSH-7. */
  effectiveAt: string;
  notes: string[];
  /** Which OBX of the message (1-based). */
  occurrence: number;
}

/** An OBX not mapped to a result, and why. */
export interface SkippedObx {
  occurrence: number;
  reason: string;
}

export interface OruDrafts {
  orders: LabOrderDraft[];
  results: LabResultDraft[];
  skipped: SkippedObx[];
}

export type MapResult<T> = { ok: true; value: T } | { ok: false; error: Hl7MappingError };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
/** A number with a comparator in front, as sent in NM fields for values beyond a measuring limit. */
const NM_LIMIT = /^(<=|>=|<|>)\s*([+-]?(?:\d+\.?\d*|\.\d+))$/;

/** hl7TimeToIso's last answer. */
let lastTime: { ts: string; zone: string; iso: string | null } = { ts: '', zone: '', iso: null };

/**
 * An HL7 DTM/TS (`YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]`) as UTC ISO-8601; null when it is not one.
 * Important: a time without an offset is the sender's local time (HL7 v2), which for a clinic's lab
 * is the clinic's: it is read in `zone` (an IANA name; the ingest passes the clinic's). Taking it as
 * UTC would move every such result by the clinic's offset (8:00 in New York shown as 3:00).
 */
export function hl7TimeToIso(ts: string, zone = 'UTC'): string | null {
  // The results of one message usually share one time: the last answer is kept for the next call.
  if (ts === lastTime.ts && zone === lastTime.zone) return lastTime.iso;
  const iso = timeToIso(ts, zone);
  lastTime = { ts, zone, iso };
  return iso;
}

function timeToIso(ts: string, zone: string): string | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/.exec(ts.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', off] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (Number.isNaN(t) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) return null;
  if (off) t -= (off.startsWith('-') ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(3, 5))) * 60_000;
  // The clinic's wall-clock time, as the scheduler reads one (across daylight-saving changes too).
  else if (zone !== 'UTC') t = zonedInstant(`${y}-${mo}-${d}`, Number(h) * 60 + Number(mi), zone) + Number(s) * 1000 + ms;
  return new Date(t).toISOString();
}

/** An HL7 DT (or the date part of a TS) as `YYYY-MM-DD`; null when it is not a full date. */
export function hl7DateToIso(dt: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(dt.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * A reference range as low/high, keeping the text: `70_105`, `70-105`, `4.3 to 6.2`, `<200`, `>=5`.
 * An open range (`<200`) sets only one bound; text that is not a range sets neither.
 */
const RANGE_NUMBER = String.raw`([+-]?(?:\d+\.?\d*|\.\d+))`;
const RANGE_BETWEEN = new RegExp(String.raw`^${RANGE_NUMBER}\s*(?:_|-|–|to)\s*${RANGE_NUMBER}$`, 'i');
const RANGE_OPEN = new RegExp(String.raw`^(<=?|>=?|≤|≥)\s*${RANGE_NUMBER}$`);

export function parseReferenceRange(text: string): { low: number | null; high: number | null; text: string | null } {
  const t = text.trim();
  if (t === '') return { low: null, high: null, text: null };
  const between = RANGE_BETWEEN.exec(t);
  if (between) return { low: Number(between[1]), high: Number(between[2]), text: t };
  const open = RANGE_OPEN.exec(t);
  if (open) return open[1]!.startsWith('<') || open[1] === '≤' ? { low: null, high: Number(open[2]), text: t } : { low: Number(open[2]), high: null, text: t };
  return { low: null, high: null, text: t };
}

interface ValueParts {
  valueNum: number | null;
  valueText: string | null;
  comparator: string | null;
  valueCode: string | null;
  attachment: LabAttachment | null;
}

const EMPTY: ValueParts = { valueNum: null, valueText: null, comparator: null, valueCode: null, attachment: null };

/** An SN value (`^182`, `<^5`, `^10^-^20`, `^1^:^128`) or the reason it is not one. */
export function parseStructuredNumeric(c: string[]): ValueParts | string {
  const [comparator = '', n1 = '', sep = '', n2 = ''] = c;
  if (comparator !== '' && !['<', '>', '<=', '>=', '=', '<>'].includes(comparator)) return `SN comparator "${comparator}" is not one of < > <= >= = <>`;
  if (!NUMBER.test(n1) || (sep !== '' && !NUMBER.test(n2))) return `SN value "${c.join('^')}" does not hold a number`;
  if (sep === '')
    return { ...EMPTY, valueNum: Number(n1), valueText: comparator === '' || comparator === '=' ? null : `${comparator}${n1}`, comparator: comparator || null };
  if (!['-', ':', '/', '+'].includes(sep)) return `SN separator "${sep}" is not one of - : / +`;
  return { ...EMPTY, valueText: `${comparator}${n1}${sep}${n2}`, comparator: comparator || null };
}

/** OBX-5 by its value type (OBX-2), or the reason it cannot be read. */
function readValue(obx: Hl7Segment, type: string, zone: string): ValueParts | string {
  const reps = field(obx, 5);
  const texts = repetitionValues(obx, 5).filter((v) => v !== '');
  if (texts.length === 0 && reps.every((r) => r.every((c) => c.every((s) => s === '')))) return EMPTY;
  switch (type) {
    case 'NM': {
      // "<0.01" in an NM field: not conformant (that is SN), but what many analyzers send for a value
      // below the limit of detection. Read as the SN it means rather than refusing the whole message.
      const limit = texts.length === 1 ? NM_LIMIT.exec(texts[0]!.trim()) : null;
      if (limit) return parseStructuredNumeric([limit[1]!, limit[2]!]);
      const bad = texts.find((v) => !NUMBER.test(v.trim()));
      if (bad !== undefined) return `NM value "${bad}" is not a number`;
      // Several repetitions of a number: kept as text, none of them chosen.
      return texts.length === 1 ? { ...EMPTY, valueNum: Number(texts[0]) } : { ...EMPTY, valueText: texts.join(', ') };
    }
    case 'SN':
      return parseStructuredNumeric(reps[0]!.map((comp) => comp[0] ?? ''));
    case 'CE':
    case 'CWE':
    case 'CNE': {
      const [code = '', text = '', system = ''] = reps[0]!.map((comp) => comp[0] ?? '');
      const original = reps[0]![8]?.[0] ?? '';
      return { ...EMPTY, valueText: text || original || code, valueCode: code ? `${system}|${code}` : null };
    }
    case 'ED': {
      const [sourceApplication = '', t = '', subtype = '', encoding = '', data = ''] = reps[0]!.map((comp) => comp[0] ?? '');
      return {
        ...EMPTY,
        attachment: { sourceApplication, type: t, subtype, encoding, data },
        valueText: `attachment (${[t, subtype].filter(Boolean).join('/')})`,
      };
    }
    case 'DT':
      return { ...EMPTY, valueText: hl7DateToIso(texts[0] ?? '') ?? texts[0] ?? null };
    case 'TS':
    case 'DTM':
      return { ...EMPTY, valueText: hl7TimeToIso(texts[0] ?? '', zone) ?? texts[0] ?? null };
    default:
      // ST, TX, FT, RP and anything else: text, one line per repetition.
      return { ...EMPTY, valueText: texts.join('\n') };
  }
}

function loincOf(seg: Hl7Segment, n: number): string {
  const [code, , system, alt, , altSystem] = [1, 2, 3, 4, 5, 6].map((c) => get(seg, `${n}.${c}`));
  if (system === 'LN' || system === 'LOINC') return code!;
  if (altSystem === 'LN' || altSystem === 'LOINC') return alt!;
  return system ? `${system}:${code}` : code!;
}

function notesOf(children: Hl7Segment[]): string[] {
  return children.filter((s) => s.name === 'NTE').map((s) => repetitionValues(s, 3).join('\n'));
}

/** The OBR's facts and the NTE before its first OBX. */
function orderOf(obr: Hl7Segment, children: Hl7Segment[], index: number, d: Hl7Delimiters, zone: string): LabOrderDraft {
  const firstObx = children.findIndex((s) => s.name === 'OBX');
  return {
    index,
    setId: get(obr, '1'),
    placerNumber: writeField(field(obr, 2), d),
    fillerNumber: writeField(field(obr, 3), d),
    code: get(obr, '4.1'),
    display: get(obr, '4.2'),
    codeSystem: get(obr, '4.3'),
    observedAt: hl7TimeToIso(get(obr, '7'), zone),
    resultStatus: get(obr, '25'),
    notes: notesOf(firstObx === -1 ? children : children.slice(0, firstObx)),
  };
}

function fail(reason: string, condition: Hl7ErrorCondition, segment: string, occurrence: number, fieldNo?: number): { ok: false; error: Hl7MappingError } {
  const where = fieldNo === undefined ? `${segment} #${occurrence}` : `${segment} #${occurrence} field ${fieldNo}`;
  return { ok: false, error: { reason: `${where}: ${reason}`, condition, segment, occurrence, ...(fieldNo !== undefined && { field: fieldNo }) } };
}

/** One OBX as a draft, or null with the reason when it carries no result (OBX-11 = O). */
function resultOf(
  obx: Hl7Segment,
  notes: Hl7Segment[],
  order: LabOrderDraft,
  occurrence: number,
  fallbackAt: string,
  zone: string,
): MapResult<LabResultDraft | null> {
  const type = get(obx, '2');
  const statusCode = get(obx, '11');
  if (get(obx, '3.1') === '') return fail('the observation identifier (OBX-3) is empty', '101', 'OBX', occurrence, 3);
  if (statusCode === '') return fail('the result status (OBX-11) is empty', '101', 'OBX', occurrence, 11);
  if (statusCode === 'O') return { ok: true, value: null };
  if (!(statusCode in RESULT_STATUS)) return fail(`result status "${statusCode}" is not in table 0085`, '103', 'OBX', occurrence, 11);
  const value = readValue(obx, type, zone);
  if (typeof value === 'string') return fail(value, '102', 'OBX', occurrence, 5);
  const range = parseReferenceRange(get(obx, '7'));
  return {
    ok: true,
    value: {
      orderIndex: order.index,
      setId: get(obx, '1'),
      subId: get(obx, '4'),
      valueType: type,
      code: get(obx, '3.1'),
      display: get(obx, '3.2') || get(obx, '3.9') || get(obx, '3.1'),
      codeSystem: get(obx, '3.3'),
      loinc: loincOf(obx, 3),
      ...value,
      rawValue: '',
      unit: get(obx, '6.1') || null,
      refLow: range.low,
      refHigh: range.high,
      refText: range.text,
      interpretation: get(obx, '8.1') || null,
      statusCode,
      status: RESULT_STATUS[statusCode as keyof typeof RESULT_STATUS],
      effectiveAt: hl7TimeToIso(get(obx, '14'), zone) ?? order.observedAt ?? fallbackAt,
      notes: notesOf(notes),
      occurrence,
    },
  };
}

/** One patient's part of a result message (see patientParts). */
export interface PatientPart {
  message: Hl7Message;
  /** How many OBX come before it in the whole message, so its OBX keep their numbers (mapOru's obxBefore). */
  obxBefore: number;
}

/**
 * The patients of a result message, each as a message of its own: the header (what comes before
 * the first PID) and that patient's segments, up to the next PID. An ORU^R01's PATIENT_RESULT group
 * repeats, so one message can carry several patients' results; each is matched and stored on its
 * own, never all on the first patient's chart. One patient (the usual case): the message itself.
 */
export function patientParts(message: Hl7Message): PatientPart[] {
  const starts: number[] = [];
  message.segments.forEach((s, i) => s.name === 'PID' && starts.push(i));
  if (starts.length <= 1) return [{ message, obxBefore: 0 }];
  const header = message.segments.slice(0, starts[0]);
  let obx = 0;
  return starts.map((from, k) => {
    const own = message.segments.slice(from, starts[k + 1] ?? message.segments.length);
    const part = { message: { delimiters: message.delimiters, segments: [...header, ...own] }, obxBefore: obx };
    obx += own.filter((seg) => seg.name === 'OBX').length;
    return part;
  });
}

/** The message types whose results Cairn stores (`MSH-9.1^MSH-9.2`). */
const RESULT_MESSAGE_TYPES = new Set(['ORU^R01', 'OUL^R22']);

/** Whether a stored message type (e.g. "ORU^R01") carries lab results that mapOru reads. */
export function isResultMessage(type: string): boolean {
  return RESULT_MESSAGE_TYPES.has(type);
}

/** Segments that belong to a result (OBX) rather than end it: its notes, participants, timing and substance ids (OUL). */
const RESULT_MEMBERS = ['NTE', 'PRT', 'TCD', 'SID'];

/**
 * Maps an ORU^R01 or an OUL^R22 to result drafts: every OBR group (an order) with its OBX (results)
 * and their NTE (notes).
 * - ORU^R01 is order first: OBR, its results, then (v2.5+) its specimen: SPM and the specimen's OBX
 *   (its volume, its condition), kept as results of that order, as they always were.
 * - OUL^R22 is specimen first: SPM, the specimen's OBX, then the orders (OBR) made on it. An order's
 *   results end at the next SPM (the next specimen's), and a specimen's OBX are kept as results of
 *   its first order.
 * OBX outside any order (patient-level observations, a specimen with no order) are skipped with the
 * reason (listed in `skipped`), as is an OBX with status O (order detail, no result); the message
 * itself is kept as it came. An order without a collection time (OBR-7) takes its specimen's
 * (SPM-17). A message that cannot be mapped gives the segment and field to name in the AE.
 */
export function mapOru(message: Hl7Message, options: { obxBefore?: number; timeZone?: string } = {}): MapResult<OruDrafts> {
  // A patient's part of a larger message (patientParts): OBX are numbered as in the whole message.
  const obxBefore = options.obxBefore ?? 0;
  // Where times without an offset were taken (see hl7TimeToIso).
  const zone = options.timeZone ?? 'UTC';
  if (segments(message, 'PID').length === 0) return fail('the message has no PID segment', '100', 'PID', 1);
  const obrGroups = groups(message, 'OBR');
  if (obrGroups.length === 0) return fail('the message has no OBR segment (no order to report on)', '100', 'OBR', 1);
  const header = readHeader(message);
  const allObx = segments(message, 'OBX');
  const fallbackAt = hl7TimeToIso(header.dateTime, zone) ?? new Date(0).toISOString();
  const out: OruDrafts = { orders: [], results: [], skipped: [] };
  const inGroups = new Set<Hl7Segment>();
  // Specimen first (OUL): each specimen with its own OBX, and the specimen each order was made on.
  const specimenFirst = header.messageType === 'OUL';
  const specimens = specimenFirst ? groups(message, 'SPM') : [];
  const specimenOf = new Map<Hl7Segment, Hl7Group>();
  for (const spm of specimens) for (const s of spm.children) if (s.name === 'OBR') specimenOf.set(s, spm);

  const addResults = (obxGroups: Hl7Group[], order: LabOrderDraft): MapResult<null> => {
    for (const { head: obx, children: members } of obxGroups) {
      inGroups.add(obx);
      const occurrence = allObx.indexOf(obx) + 1 + obxBefore;
      const r = resultOf(obx, members, order, occurrence, fallbackAt, zone);
      if (!r.ok) return r;
      if (r.value === null) out.skipped.push({ occurrence, reason: 'order detail (OBX-11 = O), not a result' });
      else out.results.push({ ...r.value, rawValue: writeField(field(obx, 5), message.delimiters) });
    }
    return { ok: true, value: null };
  };

  for (const [i, g] of obrGroups.entries()) {
    const cut = specimenFirst ? g.children.findIndex((s) => s.name === 'SPM') : -1;
    const children = cut === -1 ? g.children : g.children.slice(0, cut);
    const specimen = specimenOf.get(g.head);
    const spm = specimen?.head ?? g.children.find((s) => s.name === 'SPM');
    const order = orderOf(g.head, children, i, message.delimiters, zone);
    if (order.observedAt === null && spm) order.observedAt = hl7TimeToIso(get(spm, '17.1'), zone);
    out.orders.push(order);
    const firstOrder = specimen?.children.findIndex((s) => s.name === 'OBR') ?? -1;
    if (specimen && specimen.children[firstOrder] === g.head) {
      // The specimen's own OBX (before its first OBR) go with its first order.
      const r = addResults(groups(specimen.children.slice(0, firstOrder), 'OBX', { members: RESULT_MEMBERS }), order);
      if (!r.ok) return r;
    }
    const r = addResults(groups(children, 'OBX', { members: RESULT_MEMBERS }), order);
    if (!r.ok) return r;
  }
  const specimenObx = new Set(specimens.flatMap((g) => g.children.filter((s) => s.name === 'OBX')));
  allObx.forEach((obx, k) => {
    if (inGroups.has(obx)) return;
    out.skipped.push({
      occurrence: k + 1 + obxBefore,
      reason: specimenObx.has(obx)
        ? 'a specimen observation with no order (OBR) after its SPM'
        : 'not inside an OBR group (a patient-level observation, not a lab result)',
    });
  });
  out.skipped.sort((a, b) => a.occurrence - b.occurrence);
  return { ok: true, value: out };
}
