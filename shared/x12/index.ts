/**
 * X12 5010 for billing, pure: no sockets, no files. Money is integer cents.
 *
 * ```ts
 * const r = readX12(text);                     // { ok: true, value } | { ok: false, error }
 * if (!r.ok) log(r.error.message);             // "SE segment 14: says 12 segments, the transaction set has 13"
 * switch (r.value.transaction) {
 *   case '835': { const b = checkBalance(r.value); if (!b.ok) refuse(b.error.message); post(r.value.claims); break; }
 *   case '271': show(r.value.summary);         // { active, planName, copayCents, coinsurancePercent, deductible… }
 *   case '999': r.value.sets[0].accepted;      // errors: "CLM segment at position 22 (loop 2300): …"
 *   case '277': r.value.claims;                // { patientControlNumber, category: 'A1', statusCode: '20', … }
 * }
 * readX12All(text);                            // a file with several ST … SE: one result per set
 * build837P(batch);                            // X12Result<string>: ISA … IEA, counts computed
 * build270(inquiry);                           // X12Result<string>
 * readInterchange(text);                       // envelopes only (any ST01): groups, sets, segments
 * ```
 *
 * Every file is read with the delimiters its ISA declares; errors are values naming the segment.
 */
import { type X12Interchange, type X12TransactionSet, readInterchange } from './envelope';
import { read271 } from './read-271';
import { read277 } from './read-277';
import { read835 } from './read-835';
import { read999 } from './read-999';
import type { ParsedX12, X12Result } from './types';

export * from './types';
export { readSegments, type X12Delimiters, type X12Segment, type X12Segments } from './read';
export { readInterchange, validateEnvelope, type X12Group, type X12Interchange, type X12TransactionSet } from './envelope';
export { DEFAULT_X12_DELIMITERS, writeInterchange, X12Writer, X12WriteError, type InterchangeOptions, type SetSpec, type X12Value } from './write';
export { build837P, MAX_CLAIMS_PER_SET, X12_837P_VERSION, type X12WriteOptions } from './build-837p';
export { build270, X12_270_VERSION } from './build-270';
export { checkBalance, read835 } from './read-835';
export { read271, summarize271 } from './read-271';
export { read277 } from './read-277';
export { read999 } from './read-999';
/** X12 amounts ("125.5") ⇄ integer cents, exactly; EB08-style fractions (".2") → percent (20). */
export { formatCents as formatX12Amount, parseCents as parseX12Amount, parsePercent as parseX12Percent } from './values';

/** The transaction sets `readX12` understands, by ST01. */
export const READABLE_TRANSACTIONS = ['835', '271', '277', '999'] as const;

/**
 * Reads a file holding one transaction set (835, 271, 277 or 999), chosen by its ST01.
 * A file with several sets gives an 'unsupported' error pointing to `readX12All`.
 */
export function readX12(text: string): X12Result<ParsedX12> {
  const ic = readInterchange(text);
  if (!ic.ok) return ic;
  const sets = ic.value.sets;
  if (sets.length === 0)
    return { ok: false, error: { code: 'envelope', message: 'ST segment missing: the interchange holds no transaction set (ST … SE)', segmentId: 'ST' } };
  if (sets.length !== 1) {
    const first = sets[0]?.segments[0];
    const message = `ST segment ${first?.index ?? 1}: the file holds ${sets.length} transaction sets; read it with readX12All`;
    return { ok: false, error: { code: 'unsupported', message, segmentId: 'ST', ...(first ? { segmentIndex: first.index } : {}) } };
  }
  return readSet(ic.value, sets[0]!);
}

/** Reads every transaction set of a file; the first set that cannot be read makes the whole file an error. */
export function readX12All(text: string): X12Result<ParsedX12[]> {
  const ic = readInterchange(text);
  if (!ic.ok) return ic;
  const out: ParsedX12[] = [];
  for (const set of ic.value.sets) {
    const r = readSet(ic.value, set);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

/** One transaction set of a checked interchange, by its ST01. */
export function readSet(ic: X12Interchange, set: X12TransactionSet): X12Result<ParsedX12> {
  switch (set.id) {
    case '835':
      return read835(ic, set);
    case '271':
      return read271(ic, set);
    case '277':
      return read277(ic, set);
    case '999':
      return read999(ic, set);
    default: {
      const st = set.segments[0]!;
      const message = `ST segment ${st.index}: transaction set ${JSON.stringify(set.id)} is not one Cairn reads (it reads ${READABLE_TRANSACTIONS.join(', ')})`;
      return { ok: false, error: { code: 'unsupported', message, segmentIndex: st.index, segmentId: 'ST' } };
    }
  }
}
