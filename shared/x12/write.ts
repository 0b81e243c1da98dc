import { type X12Delimiters, delimiterProblem } from './read';
import type { X12Envelope, X12Parties, X12Problem, X12Result } from './types';
import { formatCents, formatD8, formatQuantity, utcStamp } from './values';

/** `*`, `^`, `:`, `~`: what nearly every payer and clearinghouse expects. */
export const DEFAULT_X12_DELIMITERS: Readonly<X12Delimiters> = Object.freeze({ element: '*', repetition: '^', component: ':', segment: '~' });

/** An element to write: a value, a composite (its components), or nothing. */
export type X12Value = string | readonly (string | undefined)[] | undefined;

/** Thrown inside a builder when the input cannot be written; `writeInterchange` turns it into an error value. */
export class X12WriteError extends Error {
  constructor(readonly problem: X12Problem) {
    super(problem.message);
    this.name = 'X12WriteError';
  }
}

/** Collects segments, refusing any value that holds a delimiter or a control character. */
export class X12Writer {
  private readonly out: string[] = [];
  /** Said before every problem, e.g. `claim "A100"`: set by the builders as they go. */
  context = '';

  constructor(readonly d: X12Delimiters) {}

  /** Appends a segment; trailing empty elements (and components) are left off, as X12 requires. */
  seg(id: string, ...elements: X12Value[]): void {
    const texts = elements.map((v, k) => this.element(id, k + 1, v));
    let end = texts.length;
    while (end > 0 && texts[end - 1] === '') end--;
    this.out.push([id, ...texts.slice(0, end)].join(this.d.element));
  }

  /** Segments written so far. */
  get count(): number {
    return this.out.length;
  }

  /** The segments written, each without its terminator. */
  segments(): readonly string[] {
    return this.out;
  }

  /** Integer cents as an X12 amount; refuses fractions of a cent and, unless `negative`, amounts below zero. */
  money(cents: number, what: string, negative = false): string {
    if (!Number.isSafeInteger(cents) || (!negative && cents < 0)) this.fail(`${what} must be a whole number of cents${negative ? '' : ' ≥ 0'}, not ${cents}`);
    return formatCents(cents);
  }

  /** YYYY-MM-DD as CCYYMMDD. */
  date(iso: string, what: string): string {
    const d8 = formatD8(iso);
    if (d8 === null) this.fail(`${what} "${iso}" is not a date (YYYY-MM-DD)`);
    return d8;
  }

  quantity(n: number, what: string): string {
    const q = n > 0 ? formatQuantity(n) : null;
    if (q === null) this.fail(`${what} must be a positive number with at most 3 decimals, not ${n}`);
    return q;
  }

  /** Stops the build with a content problem. */
  fail(message: string, segmentId?: string): never {
    const problem: X12Problem = { code: 'content', message: this.context ? `${this.context}: ${message}` : message };
    if (segmentId !== undefined) problem.segmentId = segmentId;
    throw new X12WriteError(problem);
  }

  private element(id: string, n: number, v: X12Value): string {
    if (v === undefined) return '';
    if (typeof v === 'string') return this.clean(id, n, v);
    const parts = v.map((c) => this.clean(id, n, c ?? ''));
    let end = parts.length;
    while (end > 0 && parts[end - 1] === '') end--;
    return parts.slice(0, end).join(this.d.component);
  }

  private clean(id: string, n: number, value: string): string {
    const d = this.d;
    for (const [c, name] of [
      [d.element, 'element separator'],
      [d.component, 'component separator'],
      [d.repetition, 'repetition separator'],
      [d.segment, 'segment terminator'],
    ] as const) {
      if (c !== null && value.includes(c)) {
        this.fail(`${id}${String(n).padStart(2, '0')} ${JSON.stringify(value)} contains "${c}", the ${name}; remove it or choose other delimiters`, id);
      }
    }
    if (hasControl(value)) this.fail(`${id}${String(n).padStart(2, '0')} ${JSON.stringify(value)} contains a control character (a line break?)`, id);
    return value;
  }
}

function hasControl(value: string): boolean {
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** What an interchange needs besides its transaction sets. */
export interface InterchangeOptions {
  parties: X12Parties;
  envelope: X12Envelope;
  /** GS01: HC claims, HS eligibility inquiry … */
  functionalId: string;
  /** GS08 and ST03, e.g. "005010X222A1". */
  version: string;
  delimiters?: X12Delimiters;
  /** Write a line break after every terminator (easier to read; some payers refuse it). Default false. */
  lineBreaks?: boolean;
}

/** One transaction set: its ST01 and a function that writes its body (between ST and SE). */
export interface SetSpec {
  id: string;
  body: (w: X12Writer) => void;
}

/**
 * Writes a whole interchange: ISA (fixed width, padded), GS, each ST … SE, GE, IEA. Every count
 * (SE01, GE01, IEA01) is computed from what was written; ISA13/IEA02 are 9 digits, zero padded.
 * Never throws for bad input: a value that holds a delimiter, a bad date or amount gives an error value.
 */
export function writeInterchange(opts: InterchangeOptions, sets: SetSpec[]): X12Result<string> {
  const d = opts.delimiters ?? DEFAULT_X12_DELIMITERS;
  try {
    const problem = delimiterProblem(d);
    if (problem !== null || d.repetition === null)
      throw new X12WriteError({ code: 'content', message: `delimiters: ${problem ?? '5010 needs a repetition separator'}` });
    const w = new X12Writer(d);
    const { envelope: env } = opts;
    const icn = controlNumber(env.interchangeControl, 'ISA13 interchange control number');
    // GS06/GE02 are plain numbers; only ISA13/IEA02 are fixed at 9 digits.
    const gcn = Number(controlNumber(env.groupControl, 'GS06 group control number'));
    const t = utcStamp(env.createdAt);
    const isa = isaSegment(opts.parties, d, t, icn);
    w.seg('GS', opts.functionalId, opts.parties.senderId, opts.parties.receiverId, t.d8, t.hhmm, String(gcn), 'X', opts.version);
    sets.forEach((set, k) => {
      const control = String(k + 1).padStart(4, '0');
      const before = w.count;
      w.seg('ST', set.id, control, opts.version);
      set.body(w);
      w.seg('SE', String(w.count - before + 1), control);
    });
    w.seg('GE', String(sets.length), String(gcn));
    w.seg('IEA', '1', icn);
    const end = d.segment + (opts.lineBreaks === true ? '\n' : '');
    return { ok: true, value: isa + end + w.segments().join(end) + end };
  } catch (e) {
    if (e instanceof X12WriteError) return { ok: false, error: e.problem };
    throw e;
  }
}

function usage(u: string): string {
  if (u === 'P' || u === 'T') return u;
  throw new X12WriteError({ code: 'content', message: `ISA15 usage must be P (production) or T (test), not "${u}"`, segmentId: 'ISA' });
}

function controlNumber(n: number, what: string): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > 999_999_999) {
    throw new X12WriteError({ code: 'content', message: `${what} must be a whole number from 1 to 999999999, not ${n}`, segmentId: what.slice(0, 2) });
  }
  return String(n).padStart(9, '0');
}

/** The ISA, fixed width: 106 characters with its terminator. */
function isaSegment(p: X12Parties, d: X12Delimiters, t: { yymmdd: string; hhmm: string }, icn: string): string {
  const fixed = (v: string, width: number, what: string): string => {
    if (v.length > width) throw new X12WriteError({ code: 'content', message: `${what} "${v}" is longer than its ${width} characters`, segmentId: 'ISA' });
    for (const c of [d.element, d.component, d.repetition, d.segment]) {
      if (c !== null && v.includes(c)) throw new X12WriteError({ code: 'content', message: `${what} "${v}" contains the delimiter "${c}"`, segmentId: 'ISA' });
    }
    return v.padEnd(width, ' ');
  };
  const elements = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    fixed(p.senderQualifier ?? 'ZZ', 2, 'ISA05 sender qualifier'),
    fixed(p.senderId, 15, 'ISA06 sender id'),
    fixed(p.receiverQualifier ?? 'ZZ', 2, 'ISA07 receiver qualifier'),
    fixed(p.receiverId, 15, 'ISA08 receiver id'),
    t.yymmdd,
    t.hhmm,
    d.repetition!,
    '00501',
    icn,
    '0',
    usage(p.usage),
    d.component,
  ];
  return elements.join(d.element);
}
