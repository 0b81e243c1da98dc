import { decodeText } from './escape';
import {
  type Hl7Delimiters,
  type Hl7ErrorCode,
  type Hl7ErrorDetail,
  type Hl7Field,
  type Hl7Message,
  type Hl7Repetition,
  type Hl7Result,
  type Hl7Segment,
  delimitersProblem,
  Hl7ParseError,
  isDelimiterChar,
  printable,
} from './message';

/**
 * Parses one HL7 v2 message (v2.3 to v2.8) from text.
 *
 * - A leading UTF-8 BOM and white space are ignored; segments may end with CR, LF or CRLF; blank
 *   lines are skipped.
 * - The delimiters are read from MSH-1 and MSH-2 (4 encoding characters, or 5 with the v2.7
 *   truncation character).
 * - Every field is split into repetitions, components and subcomponents, and every value is
 *   unescaped (see `escape.ts`). Empty and trailing fields are kept as they were sent.
 * - MSH-9 (message type), MSH-10 (control id) and MSH-12 (version) must not be empty.
 *
 * Never throws on bad input: a broken message gives `{ ok: false, error }` whose `error` names the
 * segment and the field (`OBX #3 field 5: unterminated escape sequence "\X4"`). Time is linear
 * in the size of the input.
 */
export function parseMessage(text: string): Hl7Result<Hl7Message> {
  try {
    return { ok: true, value: parseMessageOrThrow(text) };
  } catch (e) {
    if (e instanceof Hl7ParseError) return { ok: false, error: e.detail };
    throw e;
  }
}

/** As `parseMessage`, but throws `Hl7ParseError` (and only that) on bad input. */
export function parseMessageOrThrow(text: string): Hl7Message {
  if (typeof text !== 'string') fail('missing_msh', 'MSH: the input is not text', 'MSH', 1, 1, null);
  // Leading white space and blank lines go, and a UTF-8 BOM with them (trim() counts U+FEFF as white space).
  const lines = text.trimStart().split(LINE_BREAK);
  let last = lines.length - 1;
  while (last > 0 && isBlank(lines[last]!)) last--;
  if (lines[0] === '') fail('missing_msh', 'MSH: the input is empty, but a message begins with an MSH segment', 'MSH', 1, 1, null);
  const mshLine = lines[0]!;
  if (!mshLine.startsWith('MSH')) {
    const found = printable(mshLine.slice(0, 3), 3);
    fail('missing_msh', `MSH: a message begins with an MSH segment, but this one begins with "${found}"`, 'MSH', 1, 1, null);
  }

  const ctx: Context = { d: readDelimiters(mshLine), counts: new Map(), header: undefined };
  const segments: Hl7Segment[] = [];
  let position = 0;
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    position++;
    segments.push(parseSegment(line, position, i === last, ctx));
  }
  const message: Hl7Message = { delimiters: ctx.d, segments };
  checkHeader(segments[0]!, message);
  return message;
}

const LINE_BREAK = /\r\n|\r|\n/;
const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

interface Context {
  d: Hl7Delimiters;
  /** How many segments of each name so far, for "OBX #3". */
  counts: Map<string, number>;
  /** The message reduced to MSH, once MSH is read: attached to later errors. */
  header: Hl7Message | undefined;
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 0x20 && line.trim() === '');
}

function readDelimiters(line: string): Hl7Delimiters {
  if (line.length < 4) {
    fail('bad_delimiters', 'MSH field 1: the field separator is missing: the message ends after "MSH"', 'MSH', 1, 1, 1);
  }
  const field = line.charAt(3);
  const end = line.indexOf(field, 4);
  const enc = end === -1 ? line.slice(4) : line.slice(4, end);
  if (!isDelimiterChar(field)) {
    fail('bad_delimiters', `MSH field 1: "${printable(field)}" cannot be the field separator (use printable ASCII punctuation, usually "|")`, 'MSH', 1, 1, 1);
  }
  if (enc.length < 4 || enc.length > 5) {
    fail(
      'bad_delimiters',
      `MSH field 2: the encoding characters "${printable(enc)}" must be 4 characters (component, repetition, escape, subcomponent: usually "^~\\&"), or 5 with the v2.7+ truncation character`,
      'MSH',
      1,
      1,
      2,
    );
  }
  const d: Hl7Delimiters = {
    field,
    component: enc.charAt(0),
    repetition: enc.charAt(1),
    escape: enc.charAt(2),
    subcomponent: enc.charAt(3),
    truncation: enc.length === 5 ? enc.charAt(4) : null,
  };
  const problem = delimitersProblem(d);
  if (problem !== null) fail('bad_delimiters', `MSH field 2: ${problem} (MSH-1 and MSH-2 read "${printable(field + enc)}")`, 'MSH', 1, 1, 2);
  return d;
}

function parseSegment(line: string, position: number, isLast: boolean, ctx: Context): Hl7Segment {
  const { d } = ctx;
  const parts = line.split(d.field);
  const name = parts[0]!;
  if (!SEGMENT_NAME.test(name)) {
    const shown = printable(name, 10);
    const hint = isLast && name.length < 3 && parts.length === 1 ? ' (the message may be truncated)' : '';
    fail(
      'bad_segment_name',
      `segment ${position} ("${shown}"): not a segment name; a segment begins with three capital letters or digits (e.g. "OBX") and "${d.field}"${hint}`,
      name === '' ? '?' : shown,
      1,
      position,
      null,
      ctx.header,
    );
  }
  const occurrence = (ctx.counts.get(name) ?? 0) + 1;
  ctx.counts.set(name, occurrence);
  const fields: Hl7Field[] = [[[[name]]]];
  const at: Where = { name, occurrence, position, ctx };
  if (name === 'MSH') {
    if (position !== 1) {
      fail(
        'repeated_msh',
        `MSH #${occurrence}: a second MSH, at segment ${position}; split a batch into single messages first`,
        'MSH',
        occurrence,
        position,
        null,
        ctx.header,
      );
    }
    // MSH-1 is the field separator itself and MSH-2 the encoding characters: literal, never split.
    fields.push([[[d.field]]], [[[parts[1]!]]]);
    for (let k = 2; k < parts.length; k++) fields.push(parseField(parts[k]!, k + 1, at));
    ctx.header = { delimiters: d, segments: [{ name, fields }] };
  } else {
    for (let k = 1; k < parts.length; k++) fields.push(parseField(parts[k]!, k, at));
  }
  return { name, fields };
}

interface Where {
  name: string;
  occurrence: number;
  position: number;
  ctx: Context;
}

function parseField(raw: string, fieldNo: number, at: Where): Hl7Field {
  const { d } = at.ctx;
  // Most fields are one plain value: skip the splitting (and its arrays) for them.
  if (raw.indexOf(d.component) === -1 && raw.indexOf(d.repetition) === -1 && raw.indexOf(d.subcomponent) === -1) {
    return [[[leaf(raw, fieldNo, at)]]];
  }
  const reps = raw.split(d.repetition);
  const field: Hl7Field = [];
  for (let r = 0; r < reps.length; r++) {
    const comps = reps[r]!.split(d.component);
    const rep: Hl7Repetition = [];
    for (let c = 0; c < comps.length; c++) {
      const comp = comps[c]!;
      if (comp.indexOf(d.subcomponent) === -1) {
        rep.push([leaf(comp, fieldNo, at)]);
        continue;
      }
      const subs = comp.split(d.subcomponent);
      for (let s = 0; s < subs.length; s++) subs[s] = leaf(subs[s]!, fieldNo, at);
      rep.push(subs);
    }
    field.push(rep);
  }
  return field;
}

/** One value, unescaped. */
function leaf(v: string, fieldNo: number, at: Where): string {
  const { d } = at.ctx;
  if (v.indexOf(d.escape) === -1) return v;
  const decoded = decodeText(v, d);
  if (typeof decoded !== 'string') {
    fail('bad_escape', `${place(at.name, at.occurrence)} field ${fieldNo}: ${decoded.problem}`, at.name, at.occurrence, at.position, fieldNo, at.ctx.header);
  }
  return decoded;
}

function checkHeader(msh: Hl7Segment, message: Hl7Message): void {
  const required: [number, string][] = [
    [9, 'the message type (MSH-9)'],
    [10, 'the message control id (MSH-10)'],
    [12, 'the version (MSH-12)'],
  ];
  for (const [n, what] of required) {
    const value = msh.fields[n]?.[0]?.[0]?.[0] ?? '';
    if (value.trim() !== '') continue;
    const hint = msh.fields.length <= n ? `; the header ends at field ${msh.fields.length - 1}, so the message looks truncated` : '';
    const header = { delimiters: message.delimiters, segments: [msh] };
    fail('missing_field', `MSH field ${n}: ${what} is empty but required${hint}`, 'MSH', 1, 1, n, header);
  }
}

function place(name: string, occurrence: number): string {
  return name === 'MSH' ? 'MSH' : `${name} #${occurrence}`;
}

function fail(code: Hl7ErrorCode, message: string, segment: string, occurrence: number, position: number, field: number | null, header?: Hl7Message): never {
  const detail: Hl7ErrorDetail = { code, message, segment, occurrence, position, field };
  if (header) detail.header = header;
  throw new Hl7ParseError(detail);
}
