/**
 * The bytes of a received message as text, in the character set its MSH-18 names (HL7 table 0211).
 * Labs in much of the world send ISO 8859-1 ("8859/1"); others send Windows-1252 bytes and leave
 * MSH-18 empty. Decoded as UTF-8, every accented letter of those messages would become U+FFFD,
 * lost for good in the stored message and in what it says (a name, a comment). So:
 * - a character set MSH-18 names is used as named;
 * - empty, ASCII or a UTF-8 name: UTF-8 when the bytes are valid UTF-8, else Windows-1252, which
 *   maps every byte to a character, so nothing is lost either way;
 * - a name Cairn cannot decode (UTF-16 and UTF-32 cannot travel inside MLLP's framing bytes) is an
 *   error to answer with, not text to guess at.
 *
 * ```ts
 * const d = decodeHl7(bytes);   // { ok: true, text, charset: 'iso-8859-2', declared: '8859/2' }
 * encodeHl7(ackText, d.charset); // the ACK goes back in the sender's character set
 * ```
 */

/** HL7 table 0211 names and their WHATWG encoding labels (all single-byte or ASCII-compatible). */
const CHARSETS: Record<string, string> = {
  '8859/1': 'iso-8859-1',
  '8859/2': 'iso-8859-2',
  '8859/3': 'iso-8859-3',
  '8859/4': 'iso-8859-4',
  '8859/5': 'iso-8859-5',
  '8859/6': 'iso-8859-6',
  '8859/7': 'iso-8859-7',
  '8859/8': 'iso-8859-8',
  '8859/9': 'iso-8859-9',
  '8859/15': 'iso-8859-15',
  'GB 18030-2000': 'gb18030',
  'KS X 1001': 'euc-kr',
  'BIG-5': 'big5',
  'ISO IR87': 'iso-2022-jp',
  'ISO IR14': 'shift_jis',
};
/** Names that mean "UTF-8, or ASCII, which is the same bytes". */
const UTF8_NAMES = new Set(['', 'ASCII', 'UNICODE', 'UNICODE UTF-8', 'UTF-8']);

/** Not ok: `text` is still every byte read as Windows-1252, so the message can be kept as it came. */
export type DecodeResult = { ok: true; text: string; charset: string; declared: string } | { ok: false; text: string; declared: string; reason: string };

// In every runtime Cairn runs on (Node, Chromium), though not in the ES2022 library shared/ compiles against.
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { readonly encoding: string; decode(input: Uint8Array): string };
declare const TextEncoder: new () => { encode(input: string): Uint8Array };
type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder>();
function decoder(label: string, fatal = false): Decoder {
  const key = `${label}|${fatal}`;
  let d = decoders.get(key);
  if (!d) {
    d = new TextDecoder(label, { fatal });
    decoders.set(key, d);
  }
  return d;
}

const BOM = [0xef, 0xbb, 0xbf];

/** MSH-18 (its first repetition) read from the bytes: the header is ASCII in every set above. */
export function declaredCharset(bytes: Uint8Array): string {
  let start = 0;
  if (bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]) start = 3;
  // "MSH" then the field separator, then the encoding characters (repetition is the second).
  if (bytes[start] !== 0x4d || bytes[start + 1] !== 0x53 || bytes[start + 2] !== 0x48 || bytes.length < start + 5) return '';
  const fieldSep = bytes[start + 3]!;
  const repetitionSep = bytes[start + 5];
  let field = 1; // the separator itself is MSH-1
  let from = -1;
  for (let i = start + 3; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d || b === 0x0a) break;
    if (b === fieldSep) {
      if (field === 18) return ascii(bytes, from, i, repetitionSep);
      field++;
      if (field === 18) from = i + 1;
    }
  }
  return field === 18 && from !== -1 ? ascii(bytes, from, lineEnd(bytes, from), repetitionSep) : '';
}

function lineEnd(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === 0x0d || bytes[i] === 0x0a) return i;
  return bytes.length;
}

function ascii(bytes: Uint8Array, from: number, to: number, stop: number | undefined): string {
  let s = '';
  for (let i = from; i < to && bytes[i] !== stop; i++) s += String.fromCharCode(bytes[i]!);
  return s.trim();
}

/** Decodes one message (or a file of messages sharing the first one's MSH-18). */
export function decodeHl7(bytes: Uint8Array): DecodeResult {
  const declared = declaredCharset(bytes);
  const name = declared.toUpperCase();
  if (UTF8_NAMES.has(name)) {
    try {
      return { ok: true, text: decoder('utf-8', true).decode(bytes), charset: 'utf-8', declared };
    } catch {
      return { ok: true, text: decoder('windows-1252').decode(bytes), charset: 'windows-1252', declared };
    }
  }
  const label = CHARSETS[declared] ?? CHARSETS[name];
  if (!label)
    return {
      ok: false,
      text: decoder('windows-1252').decode(bytes),
      declared,
      reason: `MSH field 18: character set "${declared}" is not supported (supported: ASCII, UNICODE UTF-8, ${Object.keys(CHARSETS).join(', ')})`,
    };
  return { ok: true, text: decoder(label).decode(bytes), charset: decoder(label).encoding, declared };
}

let utf8: InstanceType<typeof TextEncoder> | undefined;

/**
 * Text as bytes in `charset` (what decodeHl7 reported), for an ACK going back to the sender. UTF-8
 * and the Windows-1252/ISO 8859-1 family are written as such; any other set gets ASCII, with "?"
 * for a character beyond it (an ACK's own text is ASCII; only echoed values could be otherwise).
 */
export function encodeHl7(text: string, charset: string): Uint8Array {
  if (charset === 'utf-8') return (utf8 ??= new TextEncoder()).encode(text);
  const out = new Uint8Array(text.length);
  const latin = charset === 'windows-1252' || charset === 'iso-8859-1';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c < 0x80 || (latin && c <= 0xff) ? c : 0x3f;
  }
  return out;
}
