import type { X12Interchange, X12TransactionSet } from './envelope';
import type { X12Delimiters, X12Segment } from './read';
import type { X12Header, X12Problem, X12Result } from './types';
import { parseCents, parseD8, parseQuantity } from './values';

/** Element n of a segment (1-based, as X12 numbers it), '' when absent. */
export function el(seg: X12Segment, n: number): string {
  return seg.elements[n] ?? '';
}

/** Component c (1-based) of element n, '' when absent. */
export function comp(seg: X12Segment, n: number, c: number, d: X12Delimiters): string {
  const value = el(seg, n);
  if (value.indexOf(d.component) === -1) return c === 1 ? value : '';
  return value.split(d.component)[c - 1] ?? '';
}

/** Every component of element n ([''] when empty). */
export function comps(seg: X12Segment, n: number, d: X12Delimiters): string[] {
  return el(seg, n).split(d.component);
}

/** The repetitions of element n (EB03 "1^33^35"), empty ones dropped. */
export function reps(seg: X12Segment, n: number, d: X12Delimiters): string[] {
  const value = el(seg, n);
  if (value === '') return [];
  const parts = d.repetition === null ? [value] : value.split(d.repetition);
  return parts.filter((p) => p !== '');
}

/** "CLP segment 14" — how a message names a segment. */
export function at(seg: X12Segment): string {
  return `${seg.id} segment ${seg.index}`;
}

/** The two-digit element name, e.g. `name(seg, 4)` is "CLP04". */
export function elName(seg: X12Segment, n: number): string {
  return `${seg.id}${String(n).padStart(2, '0')}`;
}

/** Thrown inside a reader at the first bad value; `guard` turns it into an error value. */
export class X12ReadError extends Error {
  constructor(readonly problem: X12Problem) {
    super(problem.message);
    this.name = 'X12ReadError';
  }
}

/** Stops a reader with a content problem about this segment; the message begins with "CLP segment 14: ". */
export function bad(seg: X12Segment, message: string, code: X12Problem['code'] = 'content'): never {
  throw new X12ReadError({ code, message: `${at(seg)}: ${message}`, segmentIndex: seg.index, segmentId: seg.id });
}

/** Runs a reader, turning its X12ReadError into an error value (anything else is a bug and is rethrown). */
export function guard<T>(read: () => T): X12Result<T> {
  try {
    return { ok: true, value: read() };
  } catch (e) {
    if (e instanceof X12ReadError) return { ok: false, error: e.problem };
    throw e;
  }
}

/** Element n as integer cents; `bad` when it is not an amount (or empty, unless `fallback` is given). */
export function cents(seg: X12Segment, n: number, fallback?: number): number {
  const text = el(seg, n);
  if (text === '' && fallback !== undefined) return fallback;
  const v = parseCents(text);
  if (v === null) bad(seg, `${elName(seg, n)} ${JSON.stringify(text)} is not an amount in dollars (e.g. "125.50")`);
  return v;
}

/** Element n as cents when present. */
export function optCents(seg: X12Segment, n: number): number | undefined {
  return el(seg, n) === '' ? undefined : cents(seg, n);
}

/** Element n as a quantity, `fallback` when empty. */
export function quantity(seg: X12Segment, n: number, fallback: number): number {
  const text = el(seg, n);
  if (text === '') return fallback;
  const v = parseQuantity(text);
  if (v === null) bad(seg, `${elName(seg, n)} ${JSON.stringify(text)} is not a number`);
  return v;
}

/** A D8 date element as YYYY-MM-DD; `bad` when it is not a date. */
export function date(seg: X12Segment, n: number): string {
  const text = el(seg, n);
  const v = parseD8(text);
  if (v === null) bad(seg, `${elName(seg, n)} ${JSON.stringify(text)} is not a date (CCYYMMDD)`);
  return v;
}

/** The facts every parsed transaction carries. */
export function headerOf<T extends X12Header['transaction']>(ic: X12Interchange, set: X12TransactionSet, transaction: T): X12Header & { transaction: T } {
  return {
    transaction,
    interchangeControl: ic.control,
    groupControl: set.groupControl,
    transactionControl: set.control,
    senderId: ic.senderId,
    receiverId: ic.receiverId,
  };
}
