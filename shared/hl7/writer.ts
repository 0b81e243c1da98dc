import { escapeText } from './escape';
import { type Hl7Delimiters, type Hl7Field, type Hl7Message, type Hl7Segment, delimitersProblem } from './message';

/** How to write a message. */
export interface WriteOptions {
  /** Delimiters to write with; default: the message's own. MSH-1 and MSH-2 follow them. */
  delimiters?: Hl7Delimiters;
  /** Written after every segment, the last one included; default CR, as HL7 and MLLP require. */
  segmentTerminator?: string;
}

/**
 * Writes a message as HL7 v2 text. Every value is escaped (`|` in text becomes `\F\`, CR becomes
 * `\X0D\`…), so `parseMessage(writeMessage(m))` gives back `m` for any parsed message `m`.
 * MSH-1 and MSH-2 are written from the delimiters, whatever `fields[1]` and `fields[2]` hold.
 * Empty trailing fields are written as they are in the model.
 *
 * Throws a RangeError only when `options.delimiters` is unusable (a programming error).
 */
export function writeMessage(message: Hl7Message, options: WriteOptions = {}): string {
  const d = options.delimiters ?? message.delimiters;
  const problem = delimitersProblem(d);
  if (problem !== null) throw new RangeError(`writeMessage: ${problem}`);
  const terminator = options.segmentTerminator ?? '\r';
  let out = '';
  for (const segment of message.segments) out += writeSegment(segment, d) + terminator;
  return out;
}

/** One segment as text, without a terminator. */
export function writeSegment(segment: Hl7Segment, d: Hl7Delimiters): string {
  const { fields } = segment;
  let out = segment.name;
  let from = 1;
  if (segment.name === 'MSH') {
    out += d.field + encodingCharacters(d);
    from = 3;
  }
  for (let n = from; n < fields.length; n++) out += d.field + writeField(fields[n]!, d);
  return out;
}

/** One field as text. */
export function writeField(field: Hl7Field, d: Hl7Delimiters): string {
  let out = '';
  for (let r = 0; r < field.length; r++) {
    if (r > 0) out += d.repetition;
    const rep = field[r]!;
    for (let c = 0; c < rep.length; c++) {
      if (c > 0) out += d.component;
      const comp = rep[c]!;
      for (let s = 0; s < comp.length; s++) {
        if (s > 0) out += d.subcomponent;
        out += escapeText(comp[s]!, d);
      }
    }
  }
  return out;
}

/** MSH-2 for these delimiters, e.g. `^~\&` (or `^~\&#` with a truncation character). */
export function encodingCharacters(d: Hl7Delimiters): string {
  return d.component + d.repetition + d.escape + d.subcomponent + (d.truncation ?? '');
}
