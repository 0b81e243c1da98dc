import type { X12Problem, X12Result } from './types';

/** The characters an interchange declares in its ISA. */
export interface X12Delimiters {
  /** ISA character 4, usually `*`. */
  element: string;
  /** ISA11 in 5010, usually `^`; null in older versions, where ISA11 is the standards id "U". */
  repetition: string | null;
  /** ISA16, usually `:`. */
  component: string;
  /** The character right after ISA16, usually `~`. */
  segment: string;
}

/** One segment as read: `elements[n]` is element n as X12 numbers it (CLM02 is `elements[2]`); `elements[0]` is the id. */
export interface X12Segment {
  id: string;
  /** 1-based position in the file (ISA is 1). */
  index: number;
  elements: string[];
}

/** A file split into segments with the delimiters its ISA declares. */
export interface X12Segments {
  delimiters: X12Delimiters;
  segments: X12Segment[];
}

/** The ISA is fixed width: where each of its 16 element separators must be, then ISA16 and the terminator. */
const ISA_SEPARATORS = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];
const ISA_LENGTH = 106;
const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;

/**
 * Splits an X12 interchange into segments, reading the delimiters from its ISA (the element
 * separator at character 4, the repetition separator ISA11, the component separator ISA16, the
 * segment terminator right after ISA16). CR and LF after a terminator are ignored, as is white space
 * before the ISA and after the last terminator.
 *
 * Never throws on bad input: an empty or short file gives 'truncated', a file that does not start
 * with a well-formed ISA gives 'envelope', a bad segment id gives 'syntax', each naming the segment.
 */
export function readSegments(text: string): X12Result<X12Segments> {
  if (typeof text !== 'string') return fail('truncated', 'ISA segment 1: the input is not text', 1, 'ISA');
  const start = text.search(/\S/);
  if (start === -1) return fail('truncated', 'ISA segment 1: the file is empty; an X12 interchange begins with an ISA segment', 1, 'ISA');
  const isaText = text.slice(start, start + ISA_LENGTH);
  if (!isaText.startsWith('ISA')) {
    const hint = text.length - start < 3 ? 'the file is too short' : `it begins with ${JSON.stringify(isaText.slice(0, 10))}`;
    const code = text.length - start < 3 ? 'truncated' : 'envelope';
    return fail(code, `ISA segment 1: an X12 interchange begins with "ISA", but ${hint}`, 1, 'ISA');
  }
  const d = readDelimiters(isaText);
  if (!d.ok) return d;
  // The ISA is cut by position, not by its delimiters: a stray separator inside ISA02 cannot shift it.
  const isa: X12Segment = { id: 'ISA', index: 1, elements: ['ISA', ...ISA_SEPARATORS.map((at, k) => isaText.slice(at + 1, ISA_SEPARATORS[k + 1] ?? 105))] };
  return split(text.slice(start + ISA_LENGTH), d.value, isa);
}

function readDelimiters(isa: string): X12Result<X12Delimiters> {
  if (isa.length < ISA_LENGTH) {
    return fail('truncated', `ISA segment 1: the ISA is ${ISA_LENGTH} characters long, but the file ends after ${isa.length}`, 1, 'ISA');
  }
  const element = isa.charAt(3);
  for (let k = 0; k < ISA_SEPARATORS.length; k++) {
    const at = ISA_SEPARATORS[k]!;
    if (isa.charAt(at) !== element) {
      const found = JSON.stringify(isa.charAt(at));
      return fail(
        'envelope',
        `ISA segment 1: the element separator "${element}" must stand before ISA${pad2(k + 1)} at character ${at + 1} (the ISA is fixed width), but ${found} is there`,
        1,
        'ISA',
      );
    }
  }
  const rep = isa.charAt(82);
  const d: X12Delimiters = {
    element,
    repetition: /[A-Za-z0-9 ]/.test(rep) ? null : rep,
    component: isa.charAt(104),
    segment: isa.charAt(105),
  };
  const problem = delimiterProblem(d);
  if (problem !== null) return fail('envelope', `ISA segment 1: ${problem}`, 1, 'ISA');
  return { ok: true, value: d };
}

/** Why a set of delimiters cannot work, or null when it can. Shared with the writer. */
export function delimiterProblem(d: X12Delimiters): string | null {
  const named: [string, string | null][] = [
    ['element separator', d.element],
    ['repetition separator (ISA11)', d.repetition],
    ['component separator (ISA16)', d.component],
    ['segment terminator', d.segment],
  ];
  const seen = new Map<string, string>();
  for (const [name, c] of named) {
    if (c === null) continue;
    if (c.length !== 1) return `the ${name} must be one character`;
    // Letters, digits and space are data; CR/LF are only ever tolerated after a terminator.
    const lineBreakTerminator = name === 'segment terminator' && (c === '\n' || c === '\r');
    if (/[A-Za-z0-9 ]/.test(c) || (c < ' ' && !lineBreakTerminator)) return `${JSON.stringify(c)} cannot be the ${name}`;
    const other = seen.get(c);
    if (other !== undefined) return `the ${name} and the ${other} are both ${JSON.stringify(c)}`;
    seen.set(c, name);
  }
  return null;
}

function split(text: string, d: X12Delimiters, isa: X12Segment): X12Result<X12Segments> {
  const segments: X12Segment[] = [isa];
  const pieces = text.split(d.segment);
  const last = pieces.length - 1;
  for (let i = 0; i < pieces.length; i++) {
    // CR/LF (and stray white space) between segments is layout, not data.
    const raw = stripBreaks(pieces[i]!);
    if (raw === '') continue;
    const index = segments.length + 1;
    if (i === last) {
      const after = `${segments[segments.length - 1]!.id} segment ${index - 1}`;
      return fail('truncated', `segment ${index} (${show(raw)}): the file ends inside a segment after ${after}, without the terminator "${d.segment}"`, index);
    }
    const elements = raw.split(d.element);
    const id = elements[0]!;
    if (!SEGMENT_ID.test(id)) {
      return fail(
        'syntax',
        `segment ${index} (${show(raw)}): not a segment id; a segment begins with 2 or 3 capital letters or digits and "${d.element}"`,
        index,
      );
    }
    segments.push({ id, index, elements });
  }
  return { ok: true, value: { delimiters: d, segments } };
}

function stripBreaks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x0a || s.charCodeAt(b - 1) === 0x0d)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function show(raw: string): string {
  return JSON.stringify(raw.length > 20 ? `${raw.slice(0, 20)}…` : raw);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** An error value. */
export function fail<T>(code: X12Problem['code'], message: string, segmentIndex?: number, segmentId?: string): X12Result<T> {
  const error: X12Problem = { code, message };
  if (segmentIndex !== undefined) error.segmentIndex = segmentIndex;
  if (segmentId !== undefined) error.segmentId = segmentId;
  return { ok: false, error };
}
