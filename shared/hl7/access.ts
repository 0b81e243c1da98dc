import { type Hl7Field, type Hl7Message, type Hl7Segment } from './message';

/**
 * Reading a parsed message with HL7's own 1-based numbering.
 *
 * Paths are `NAME[n]-FIELD[r].COMPONENT.SUBCOMPONENT`, every index 1-based; `[n]` (which segment
 * of that name), `[r]` (which repetition), the component and the subcomponent are optional and
 * default to 1:
 *
 * - `PID-5` → first PID, field 5, first repetition, first component, first subcomponent
 * - `PID-3[2].1` → PID-3, second repetition, first component
 * - `PID-3.4.2` → PID-3, component 4 (assigning authority), subcomponent 2
 * - `OBX[2]-5` → the second OBX's field 5
 * - on a segment, the name may be left out: `get(obx, '5.1')`
 *
 * `MSH-1` is the field separator and `MSH-2` the encoding characters, as HL7 counts them.
 */

const MESSAGE_PATH = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?-(\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?$/;
const SEGMENT_PATH = /^(?:([A-Z][A-Z0-9]{2})-)?(\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?$/;

/** A path read once: segment name (or null), occurrence, field, repetition, component, subcomponent. */
type ParsedPath = readonly [string | null, number, number, number, number, number];

/**
 * Paths already read, by kind. Callers pass a few dozen constant paths millions of times (every
 * OBX of every lab message), so each is matched against its pattern once, not on every read.
 */
const messagePaths = new Map<string, ParsedPath>();
const segmentPaths = new Map<string, ParsedPath>();
/** Beyond this many distinct paths (never reached by constant paths) nothing more is kept. */
const MAX_PATHS = 4096;

function messagePath(path: string): ParsedPath {
  let p = messagePaths.get(path);
  if (p) return p;
  const m = MESSAGE_PATH.exec(path);
  if (!m) throw new RangeError(`not an HL7 path: "${path}" (expected e.g. "PID-3[2].1" or "OBX[2]-5")`);
  p = [m[1]!, index(m[2], path), index(m[3], path), index(m[4], path), index(m[5], path), index(m[6], path)];
  if (messagePaths.size < MAX_PATHS) messagePaths.set(path, p);
  return p;
}

function segmentPath(path: string): ParsedPath {
  let p = segmentPaths.get(path);
  if (p) return p;
  const m = SEGMENT_PATH.exec(path);
  if (!m) throw new RangeError(`not a segment path: "${path}" (expected e.g. "5.1" or "OBX-5[2].1")`);
  p = [m[1] ?? null, 1, index(m[2], path), index(m[3], path), index(m[4], path), index(m[5], path)];
  if (segmentPaths.size < MAX_PATHS) segmentPaths.set(path, p);
  return p;
}

/**
 * The decoded value at `path` (see above), or `''` when the message has nothing there.
 * Throws a RangeError for a path that is not well formed (a programming error, not bad input).
 */
export function get(from: Hl7Message | Hl7Segment, path: string): string {
  if ('segments' in from) {
    const [name, occurrence, f, r, c, s] = messagePath(path);
    const seg = segment(from, name!, occurrence);
    return seg ? at(seg, f, r, c, s) : '';
  }
  const [name, , f, r, c, s] = segmentPath(path);
  if (name !== null && name !== from.name) throw new RangeError(`path "${path}" names ${name}, but the segment is ${from.name}`);
  return at(from, f, r, c, s);
}

function index(s: string | undefined, path: string): number {
  if (s === undefined) return 1;
  const n = Number(s);
  if (n < 1) throw new RangeError(`positions in an HL7 path are 1-based: "${path}"`);
  return n;
}

function at(seg: Hl7Segment, fieldNo: number, repetition: number, component: number, subcomponent: number): string {
  return seg.fields[fieldNo]?.[repetition - 1]?.[component - 1]?.[subcomponent - 1] ?? '';
}

/** Field `n` of a segment (1-based, as HL7 numbers it); an absent field reads as empty, `[[['']]]`. */
export function field(seg: Hl7Segment, n: number): Hl7Field {
  return seg.fields[n] ?? [[['']]];
}

/** One value per repetition of field `n`: e.g. OBX-5 `27~25` gives `['27', '25']`. */
export function repetitionValues(seg: Hl7Segment, n: number, component = 1, subcomponent = 1): string[] {
  return field(seg, n).map((rep) => rep[component - 1]?.[subcomponent - 1] ?? '');
}

/** All segments, or those named `name`, in message order. */
export function segments(message: Hl7Message, name?: string): Hl7Segment[] {
  return name === undefined ? message.segments : message.segments.filter((s) => s.name === name);
}

/** The `occurrence`-th (1-based) segment named `name`, if there is one. */
export function segment(message: Hl7Message, name: string, occurrence = 1): Hl7Segment | undefined {
  let seen = 0;
  for (const s of message.segments) if (s.name === name && ++seen === occurrence) return s;
  return undefined;
}

/** A segment and the segments that belong to it, e.g. an OBR and its OBX, NTE, SPM… */
export interface Hl7Group {
  head: Hl7Segment;
  children: Hl7Segment[];
}

/**
 * Splits a run of segments into groups, each starting at a segment named `head`. A group takes the
 * segments that follow until the next `head`; with `members`, only while they are among `members`
 * (so that `groups(obrGroup.children, 'OBX', { members: ['NTE', 'PRT'] })` gives each OBX with its
 * own notes and stops at an SPM or FT1). Segments before the first `head` belong to no group.
 */
export function groups(from: Hl7Message | Hl7Segment[], head: string, options: { members?: readonly string[] } = {}): Hl7Group[] {
  const list = Array.isArray(from) ? from : from.segments;
  const out: Hl7Group[] = [];
  let current: Hl7Group | null = null;
  for (const s of list) {
    if (s.name === head) {
      current = { head: s, children: [] };
      out.push(current);
    } else if (current) {
      if (options.members && !options.members.includes(s.name)) current = null;
      else current.children.push(s);
    }
  }
  return out;
}

/** What MSH says about a message. Empty strings where MSH has nothing. */
export interface Hl7Header {
  /** MSH-3.1, MSH-4.1, MSH-5.1, MSH-6.1 (namespace ids; the whole HD is `field(msh, 3)`). */
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-7.1, as sent (e.g. `20141006064500+0700`). */
  dateTime: string;
  /** MSH-9.1, e.g. `ORU`. */
  messageType: string;
  /** MSH-9.2, e.g. `R01`. */
  triggerEvent: string;
  /** MSH-9.3, e.g. `ORU_R01` (v2.3.1+; often empty). */
  messageStructure: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-11.1: `P` production, `T` training, `D` debugging. */
  processingId: string;
  /** MSH-12.1, e.g. `2.5.1`. */
  version: string;
  /** MSH-18, first repetition (e.g. `UNICODE UTF-8`), or `''` (ASCII). */
  characterSet: string;
}

/** The facts of MSH (the first segment). */
export function readHeader(message: Hl7Message): Hl7Header {
  const msh = message.segments[0];
  const v = (path: string): string => (msh && msh.name === 'MSH' ? get(msh, path) : '');
  return {
    sendingApplication: v('3'),
    sendingFacility: v('4'),
    receivingApplication: v('5'),
    receivingFacility: v('6'),
    dateTime: v('7'),
    messageType: v('9.1'),
    triggerEvent: v('9.2'),
    messageStructure: v('9.3'),
    controlId: v('10'),
    processingId: v('11'),
    version: v('12'),
    characterSet: v('18'),
  };
}

/** A field to build with `createSegment`: text (one value), components, or a whole field. */
export type Hl7FieldInput = string | readonly string[] | Hl7Field | null | undefined;

/**
 * Builds a segment from decoded values: `values[0]` is field 1. A string is one value, a string
 * array is the components of one repetition, an `Hl7Field` is taken as it is; null/undefined are
 * empty. For MSH pass MSH-1 and MSH-2 too (the writer writes them from the delimiters anyway).
 */
export function createSegment(name: string, values: readonly Hl7FieldInput[]): Hl7Segment {
  const fields: Hl7Field[] = [[[[name]]]];
  for (const v of values) {
    if (v === null || v === undefined) fields.push([[['']]]);
    else if (typeof v === 'string') fields.push([[[v]]]);
    else if (v.length === 0) fields.push([[['']]]);
    else if (v.length > 0 && Array.isArray(v[0])) fields.push(v as Hl7Field);
    else fields.push([(v as readonly string[]).map((c) => [c])]);
  }
  return { name, fields };
}
