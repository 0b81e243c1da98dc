/**
 * JSON files as text, decoded as RFC 8259 says JSON is written: UTF-8 (a byte order mark
 * tolerated), or the UTF-16/UTF-32 that older JSON (RFC 4627) allowed, recognised by its byte
 * order mark or by the pattern of zero bytes in the first four. Bytes that are not valid in that
 * encoding are refused, never read as U+FFFD: a name like "Jérôme" saved in Latin-1 would
 * otherwise be stored as "J�r�me" with no way back.
 */

export type JsonText = { ok: true; text: string; encoding: string } | { ok: false; error: string };

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** The encoding the bytes declare (BOM), or show (zero bytes), and the BOM's length. */
function detect(b: Uint8Array): { encoding: Encoding; bom: number } {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', bom: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', bom: 4 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (b.length >= 4) {
    // JSON text begins with an ASCII character: its zero bytes give the encoding away (RFC 4627 §3).
    if (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0) return { encoding: 'utf-32be', bom: 0 };
    if (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', bom: 0 };
    if (b0 === 0 && b1 !== 0 && b2 === 0 && b3 !== 0) return { encoding: 'utf-16be', bom: 0 };
    if (b0 !== 0 && b1 === 0 && b2 !== 0 && b3 === 0) return { encoding: 'utf-16le', bom: 0 };
  }
  return { encoding: 'utf-8', bom: 0 };
}

/** The offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Lead byte: how many continuation bytes, and the range the first of them must be in
    // (which rules out overlong forms, surrogates and code points over U+10FFFF).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

function utf32(b: Uint8Array, littleEndian: boolean): string | number {
  if (b.length % 4 !== 0) return b.length - (b.length % 4);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    parts.push(String.fromCodePoint(cp));
  }
  return parts.join('');
}

/** Decodes a JSON file's bytes; `file` names it in the refusal. */
export function decodeJsonBytes(bytes: Uint8Array, file: string): JsonText {
  const { encoding, bom } = detect(bytes);
  const body = bytes.subarray(bom);
  const name = encoding.toUpperCase().replace(/(LE|BE)$/, (e) => ` ${e}`);
  if (encoding === 'utf-8') {
    const bad = firstInvalidUtf8(body);
    if (bad >= 0) {
      const at = bad + bom;
      const line = 1 + body.subarray(0, bad).filter((x) => x === 0x0a).length;
      return {
        ok: false,
        error: `${file} is not UTF-8 (byte 0x${body[bad]!.toString(16).toUpperCase().padStart(2, '0')} at offset ${at}, line ${line}; perhaps Latin-1 or Windows-1252): JSON must be UTF-8 (RFC 8259). Nothing was imported: re-save the file as UTF-8 and import it again`,
      };
    }
    return { ok: true, text: new TextDecoder('utf-8').decode(body), encoding };
  }
  if (encoding === 'utf-32le' || encoding === 'utf-32be') {
    const text = utf32(body, encoding === 'utf-32le');
    if (typeof text === 'number')
      return {
        ok: false,
        error: `${file} is not valid ${name} (at offset ${text + bom}): nothing was imported; re-save the file as UTF-8 and import it again`,
      };
    return { ok: true, text, encoding };
  }
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(body), encoding };
  } catch {
    return {
      ok: false,
      error: `${file} is not valid ${name} (an unpaired surrogate or an odd length): nothing was imported; re-save the file as UTF-8 and import it again`,
    };
  }
}
