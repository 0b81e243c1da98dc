/**
 * The HL7 v2 message model shared by the parser, the writer and the accessors.
 *
 * A message is plain data (arrays and strings), so it survives structured clone and JSON, and two
 * parses of the same message are deep-equal. Every leaf string is *decoded* text: escape sequences
 * such as `\F\` have already been turned into the characters they stand for.
 *
 * Indexing: `segment.fields[n]` is field n as HL7 numbers it (`OBX-5` is `fields[5]`);
 * `fields[0]` holds the segment name. A field is `repetitions[r][component][subcomponent]`, all
 * zero-based arrays; use the accessors in `access.ts` for 1-based HL7 paths (`get(msg, 'PID-3[2].1')`).
 */

/** The characters that structure a message, read from MSH-1 and MSH-2 (e.g. `|` and `^~\&`). */
export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7+: the optional fifth encoding character (usually `#`); null when MSH-2 has four. */
  truncation: string | null;
}

/** `|^~\&`: what nearly every sender uses. */
export const DEFAULT_DELIMITERS: Readonly<Hl7Delimiters> = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
  truncation: null,
});

/** One component: its subcomponents (usually just one). */
export type Hl7Component = string[];
/** One repetition of a field: its components. */
export type Hl7Repetition = Hl7Component[];
/** One field: its repetitions (at least one; an empty field is `[[['']]]`). */
export type Hl7Field = Hl7Repetition[];

/** A segment. `fields[n]` is HL7 field n; `fields[0]` is `[[[name]]]`. For MSH, `fields[1]` is the
 * field separator and `fields[2]` the encoding characters, both literal. */
export interface Hl7Segment {
  name: string;
  fields: Hl7Field[];
}

/** A parsed message: its delimiters and its segments in order, MSH first. */
export interface Hl7Message {
  delimiters: Hl7Delimiters;
  segments: Hl7Segment[];
}

/** Why a message could not be read. */
export type Hl7ErrorCode =
  /** The input is empty or does not begin with MSH. */
  | 'missing_msh'
  /** MSH-1 or MSH-2 do not give a usable set of delimiters. */
  | 'bad_delimiters'
  /** A line does not begin with a three-character segment name. */
  | 'bad_segment_name'
  /** A second MSH: several messages in one input (a batch) must be split first. */
  | 'repeated_msh'
  /** An unterminated or malformed escape sequence. */
  | 'bad_escape'
  /** A required MSH field (9, 10 or 12) is empty. */
  | 'missing_field';

/**
 * Where and why a message could not be read: plain data, safe to send over IPC or log.
 * `message` always begins with the place, e.g. `OBX #3 field 5: unterminated escape sequence "\X4"`.
 */
export interface Hl7ErrorDetail {
  code: Hl7ErrorCode;
  message: string;
  /** The segment's name as read (`OBX`), or the start of the line when it is not a valid name. */
  segment: string;
  /** 1-based: which `OBX` of the message (the third OBX is 3). */
  occurrence: number;
  /** 1-based position of the segment in the message (MSH is 1). */
  position: number;
  /** The HL7 field number (OBX-5 is 5), or null when the segment as a whole is wrong. */
  field: number | null;
  /** The message reduced to its MSH, when MSH itself was readable: enough to send an AE/AR
   * acknowledgement with `ackForParseError`. */
  header?: Hl7Message;
}

/** A value or the reason there is none. */
export type Hl7Result<T> = { ok: true; value: T } | { ok: false; error: Hl7ErrorDetail };

/** Thrown by `parseMessageOrThrow`; carries the same detail that `parseMessage` returns. */
export class Hl7ParseError extends Error {
  readonly code: Hl7ErrorCode;
  readonly segment: string;
  readonly occurrence: number;
  readonly position: number;
  readonly field: number | null;

  constructor(readonly detail: Hl7ErrorDetail) {
    super(detail.message);
    this.name = 'Hl7ParseError';
    this.code = detail.code;
    this.segment = detail.segment;
    this.occurrence = detail.occurrence;
    this.position = detail.position;
    this.field = detail.field;
  }
}

/** The HL7 versions this module is written and tested for (MSH-12). */
export const SUPPORTED_VERSIONS = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'] as const;

/** True for a version in `SUPPORTED_VERSIONS` (2.3 to 2.8). */
export function isSupportedVersion(version: string): boolean {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(version);
}

/** Why a set of delimiters cannot be used, or null when it can: each must be a distinct printable
 * ASCII character that is not a letter, a digit or a space. */
export function delimitersProblem(d: Hl7Delimiters): string | null {
  const all = [d.field, d.component, d.repetition, d.escape, d.subcomponent];
  if (d.truncation !== null) all.push(d.truncation);
  for (const c of all) {
    if (!isDelimiterChar(c)) {
      return `"${printable(c)}" cannot be a delimiter (use printable ASCII punctuation, not a letter, digit or space)`;
    }
  }
  if (new Set(all).size !== all.length) return `the delimiters "${all.map((c) => printable(c)).join('')}" are not all different`;
  return null;
}

/** True for one printable ASCII character that is not a letter, a digit or a space. */
export function isDelimiterChar(c: string): boolean {
  return c.length === 1 && /^[!-/:-@[-`{-~]$/.test(c);
}

/** Shows a fragment of input in an error message: control characters as \xNN, at most `max` chars. */
export function printable(s: string, max = 20): string {
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  let out = '';
  for (const c of cut) {
    const code = c.charCodeAt(0);
    if (c === '"') out += '\\"';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out;
}
