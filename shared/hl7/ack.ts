import { createSegment, field, readHeader } from './access';
import { type Hl7ErrorCode, type Hl7ErrorDetail, type Hl7Field, type Hl7Message, type Hl7Segment } from './message';
import { encodingCharacters } from './writer';

/** MSA-1: AA accepted, AE error, AR rejected (CA/CE/CR: the same, enhanced mode). */
export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

/** HL7 table 0357, message error condition codes (ERR-3, or ERR-1.4 before v2.5). */
export const HL7_ERROR_CONDITIONS = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
} as const;

/** A code of table 0357. */
export type Hl7ErrorCondition = keyof typeof HL7_ERROR_CONDITIONS;

/** What went wrong, for the ERR segment. */
export interface AckError {
  /** For a person: ERR-8 (v2.5+), and MSA-3 unless `text` is given. */
  reason: string;
  /** Table 0357; default `207` (application internal error). */
  condition?: Hl7ErrorCondition;
  /** Where: segment name, which one of that name (1-based), field number. */
  segment?: string;
  occurrence?: number;
  field?: number;
  /** ERR-4 (v2.5+): E error (default), W warning, I information. */
  severity?: 'E' | 'W' | 'I';
}

/** How to acknowledge. */
export interface AckOptions {
  code: AckCode;
  /** MSH-10 of the ACK itself (a new id; the original's goes in MSA-2). */
  controlId: string;
  /** MSH-7, e.g. from `hl7Timestamp(Date.now())`. */
  timestamp: string;
  /** MSA-3 text. */
  text?: string;
  /** The ERR segment; written for AE/AR/CE/CR (from `text` when this is left out). */
  error?: AckError;
}

/**
 * Builds the acknowledgement (ACK) of `original`:
 * - MSH: sending and receiving application/facility swapped, MSH-9 `ACK^<trigger>^ACK` (no
 *   structure component for v2.3, which has none), the new control id, the original's processing
 *   id (MSH-11), version (MSH-12) and character set (MSH-18), and its delimiters;
 * - MSA: the code, the original control id, the text;
 * - ERR for an error code: v2.5+ as ERR-2 location, ERR-3 condition (table 0357), ERR-4 severity,
 *   ERR-8 the reason; before v2.5 as ERR-1 (segment^sequence^field^condition).
 */
export function buildAck(original: Hl7Message, options: AckOptions): Hl7Message {
  const d = original.delimiters;
  const first = original.segments[0];
  const src: Hl7Segment = first?.name === 'MSH' ? first : createSegment('MSH', []);
  const h = readHeader(original);
  const copy = (n: number): Hl7Field => field(src, n).map((rep) => rep.map((comp) => [...comp]));

  const type = hasStructureComponent(h.version) ? ['ACK', h.triggerEvent, 'ACK'] : ['ACK', h.triggerEvent];
  const msh = [d.field, encodingCharacters(d), copy(5), copy(6), copy(3), copy(4), options.timestamp, '', type, options.controlId, copy(11), copy(12)];
  if (h.characterSet !== '') msh.push('', '', '', '', '', copy(18));

  const isError = !['AA', 'CA'].includes(options.code);
  const text = options.text ?? options.error?.reason ?? '';
  const segments = [createSegment('MSH', msh), createSegment('MSA', [options.code, h.controlId, text])];
  if (isError || options.error) segments.push(errSegment(h.version, options.error ?? { reason: text }));
  return { delimiters: { ...d }, segments };
}

function errSegment(version: string, e: AckError): Hl7Segment {
  const condition = e.condition ?? '207';
  const where =
    e.segment === undefined ? [] : [e.segment, e.occurrence === undefined ? '' : String(e.occurrence), e.field === undefined ? '' : String(e.field)];
  if (isBefore25(version)) {
    // v2.3/2.4 ERR-1 (CM_ELD): segment ^ sequence ^ field position ^ code&text&table.
    const eld = [...(where.length ? where : ['', '', '']), ''].map((c) => [c]);
    eld[3] = [condition, HL7_ERROR_CONDITIONS[condition], 'HL70357'];
    return { name: 'ERR', fields: [[[['ERR']]], [eld]] };
  }
  return createSegment('ERR', ['', where, [condition, HL7_ERROR_CONDITIONS[condition], 'HL70357'], e.severity ?? 'E', '', '', '', e.reason]);
}

/** The 0357 condition that best describes a parse error. */
const CONDITION_OF: Record<Hl7ErrorCode, Hl7ErrorCondition> = {
  missing_msh: '100',
  bad_delimiters: '102',
  bad_segment_name: '100',
  repeated_msh: '100',
  bad_escape: '102',
  missing_field: '101',
};

/**
 * The AE (or AR) acknowledgement of a message that could not be parsed, located at the error;
 * null when not even MSH could be read (there is then nobody to answer). Problems in MSH itself
 * give AR (rejected), problems further on AE, unless `code` says otherwise.
 */
export function ackForParseError(error: Hl7ErrorDetail, options: { controlId: string; timestamp: string; code?: AckCode }): Hl7Message | null {
  if (!error.header) return null;
  const e: AckError = { reason: error.message, condition: CONDITION_OF[error.code], segment: error.segment, occurrence: error.occurrence };
  if (error.field !== null) e.field = error.field;
  const code = options.code ?? (error.segment === 'MSH' ? 'AR' : 'AE');
  return buildAck(error.header, { code, controlId: options.controlId, timestamp: options.timestamp, error: e });
}

function versionNumbers(version: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function isBefore25(version: string): boolean {
  const v = versionNumbers(version);
  return v !== null && (v[0] < 2 || (v[0] === 2 && v[1] < 5));
}

function hasStructureComponent(version: string): boolean {
  const v = versionNumbers(version);
  return v === null || !(v[0] < 2 || (v[0] === 2 && v[1] < 3) || version === '2.3');
}

/** An HL7 timestamp in UTC with its offset, e.g. `20260314095900+0000`, for MSH-7. */
export function hl7Timestamp(epochMs: number): string {
  const t = new Date(epochMs);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}+0000`;
}
