import { type Hl7Delimiters, printable } from './message';

/**
 * HL7 v2 escape sequences (v2.5 §2.7). With the usual `\` as escape character:
 *
 * | sequence | decoded to |
 * |---|---|
 * | `\F\` `\S\` `\T\` `\R\` `\E\` | the field, component, subcomponent, repetition, escape character |
 * | `\P\` | the truncation character (v2.7+, only when MSH-2 declares one) |
 * | `\Xhh…\` | the bytes hh…, read as UTF-8 when they are valid UTF-8, else one character per byte (Latin-1) |
 * | anything else (`\H\` `\N\` `\.br\` `\C…\` `\M…\` `\Z…\`) | kept as written: formatting and character-set commands mean something only to the receiver of that data type (FT, TX), which decides |
 *
 * An escape character without a closing one, or `\X` without pairs of hex digits, is an error.
 */

/** The decoded text, or the problem with it. */
export type UnescapeResult = { ok: true; value: string } | { ok: false; reason: string };

/** Decodes the escape sequences of one value (a subcomponent) as written in a message. */
export function unescapeText(raw: string, d: Hl7Delimiters): UnescapeResult {
  const out = decodeText(raw, d);
  return typeof out === 'string' ? { ok: true, value: out } : { ok: false, reason: out.problem };
}

/** Internal form of `unescapeText`, cheaper on the parser's hot path. */
export function decodeText(raw: string, d: Hl7Delimiters): string | { problem: string } {
  const esc = d.escape;
  let i = raw.indexOf(esc);
  if (i === -1) return raw;
  let out = raw.slice(0, i);
  while (i !== -1) {
    const j = raw.indexOf(esc, i + 1);
    if (j === -1) {
      return {
        problem: `unterminated escape sequence "${printable(raw.slice(i))}" (an escape sequence ends with ${esc}; a literal ${esc} is written ${esc}E${esc})`,
      };
    }
    const decoded = decodeSequence(raw.slice(i + 1, j), d);
    if (typeof decoded === 'object' && decoded !== null) return decoded;
    out += decoded ?? raw.slice(i, j + 1);
    // Important: the search always moves forward (j + 1 > i), so malformed input cannot loop.
    const next = raw.indexOf(esc, j + 1);
    out += raw.slice(j + 1, next === -1 ? raw.length : next);
    i = next;
  }
  return out;
}

/** The text a sequence stands for; null to keep it as written; or the problem with it. */
function decodeSequence(content: string, d: Hl7Delimiters): string | null | { problem: string } {
  switch (content) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation;
    default:
      if (content.charAt(0) !== 'X') return null;
      if (!/^(?:[0-9A-Fa-f]{2})+$/.test(content.slice(1))) {
        const e = d.escape;
        return {
          problem: `malformed hex escape "${e}${printable(content)}${e}" (expected pairs of hex digits, e.g. ${e}X0D${e})`,
        };
      }
      return bytesToText(hexBytes(content.slice(1)));
  }
}

function hexBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let k = 0; k < hex.length; k += 2) bytes.push(parseInt(hex.slice(k, k + 2), 16));
  return bytes;
}

/** UTF-8 when the bytes are valid UTF-8 (no overlong forms, no surrogates), else Latin-1. */
function bytesToText(bytes: number[]): string {
  const points: number[] = [];
  let k = 0;
  while (k < bytes.length) {
    const b0 = bytes[k]!;
    let need: number;
    let cp: number;
    let min: number;
    if (b0 < 0x80) [need, cp, min] = [0, b0, 0];
    else if (b0 >= 0xc2 && b0 <= 0xdf) [need, cp, min] = [1, b0 & 0x1f, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [need, cp, min] = [2, b0 & 0x0f, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [need, cp, min] = [3, b0 & 0x07, 0x10000];
    else return latin1(bytes);
    if (k + need >= bytes.length && need > 0) return latin1(bytes);
    for (let m = 1; m <= need; m++) {
      const b = bytes[k + m]!;
      if ((b & 0xc0) !== 0x80) return latin1(bytes);
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return latin1(bytes);
    points.push(cp);
    k += need + 1;
  }
  return fromCodes(points, String.fromCodePoint);
}

function latin1(bytes: number[]): string {
  return fromCodes(bytes, String.fromCharCode);
}

/** Builds a string in slices: spreading a very long array into one call overflows the stack. */
function fromCodes(codes: number[], make: (...codes: number[]) => string): string {
  let out = '';
  for (let k = 0; k < codes.length; k += 8192) out += make(...codes.slice(k, k + 8192));
  return out;
}

/** Formatting and character-set commands that the writer passes through as they are (see the table above). */
const PASS_THROUGH = /^(?:H|N|\.(?:br|sp|fi|nf|ce|in|ti|sk)[+-]?\d*|C[0-9A-Fa-f]{4}|M[0-9A-Fa-f]{4}(?:[0-9A-Fa-f]{2})?|Z[0-9A-Za-z]*)$/;

/**
 * Escapes text for one value (a subcomponent): delimiters become `\F\ \S\ \T\ \R\ \E\` (`\P\` for a
 * declared truncation character), control characters (CR, LF, VT, FS…, not TAB) become `\Xhh\`.
 * A formatting or character-set command already in the text (`\.br\`, `\H\`…) is written as it is,
 * so that parse → write keeps it a command.
 */
export function escapeText(text: string, d: Hl7Delimiters): string {
  const first = firstSpecial(text, d);
  if (first === -1) return text;
  let out = '';
  let start = 0;
  for (let k = first; k < text.length; k++) {
    const ch = text.charAt(k);
    let code: string | null = null;
    if (ch === d.escape) {
      const keep = passThroughLength(text, k, d);
      if (keep > 0) {
        k += keep - 1;
        continue;
      }
      code = 'E';
    } else if (ch === d.field) code = 'F';
    else if (ch === d.component) code = 'S';
    else if (ch === d.subcomponent) code = 'T';
    else if (ch === d.repetition) code = 'R';
    else if (ch === d.truncation) code = 'P';
    else {
      const c = text.charCodeAt(k);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) code = `X${c.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    if (code !== null) {
      out += `${text.slice(start, k)}${d.escape}${code}${d.escape}`;
      start = k + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Index of the first character that may need escaping, or -1 (the common case, kept cheap). */
function firstSpecial(text: string, d: Hl7Delimiters): number {
  const f = d.field.charCodeAt(0);
  const c = d.component.charCodeAt(0);
  const r = d.repetition.charCodeAt(0);
  const e = d.escape.charCodeAt(0);
  const s = d.subcomponent.charCodeAt(0);
  const t = d.truncation === null ? -1 : d.truncation.charCodeAt(0);
  for (let k = 0; k < text.length; k++) {
    const x = text.charCodeAt(k);
    if (x < 0x20 || x === 0x7f || x === f || x === c || x === r || x === e || x === s || x === t) return k;
  }
  return -1;
}

/** Length of a pass-through command starting at `k` (an escape character), or 0. */
function passThroughLength(text: string, k: number, d: Hl7Delimiters): number {
  const end = text.indexOf(d.escape, k + 1);
  if (end === -1) return 0;
  const content = text.slice(k + 1, end);
  if (!PASS_THROUGH.test(content)) return 0;
  for (const c of content) {
    if (c === d.field || c === d.component || c === d.repetition || c === d.subcomponent || c === d.truncation) return 0;
  }
  return end - k + 1;
}
