import { describe, expect, it } from 'vitest';
import { decodeJsonBytes, firstInvalidUtf8 } from '../../../../../electron/services/fhir/json-bytes';

const JSON_TEXT = '{"name":"Jérôme 𝄞"}';
const utf32 = (s: string, le: boolean): Buffer => {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (le ? b.writeUInt32LE(cp, i * 4) : b.writeUInt32BE(cp, i * 4)));
  return b;
};
const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();

describe('decodeJsonBytes: JSON in the encoding it declares (RFC 8259, RFC 4627 detection)', () => {
  it('reads UTF-8 (with or without BOM), UTF-16 and UTF-32 of either byte order, with or without BOM', () => {
    const cases: [string, Buffer][] = [
      ['utf-8', Buffer.from(JSON_TEXT)],
      ['utf-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON_TEXT)])],
      ['utf-16le', Buffer.from(JSON_TEXT, 'utf16le')],
      ['utf-16le BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON_TEXT, 'utf16le')])],
      ['utf-16be', utf16be(JSON_TEXT)],
      ['utf-16be BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(JSON_TEXT)])],
      ['utf-32le', utf32(JSON_TEXT, true)],
      ['utf-32be BOM', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(JSON_TEXT, false)])],
    ];
    for (const [name, bytes] of cases) expect(decodeJsonBytes(bytes, 'x.json'), name).toMatchObject({ ok: true, text: JSON_TEXT });
  });

  it('refuses bytes that are not valid in their encoding, naming the file, the byte and where', () => {
    const latin = decodeJsonBytes(Buffer.from('{"a":1,\n"name":"Jérôme"}', 'latin1'), 'people.json');
    expect(latin).toEqual({
      ok: false,
      error: expect.stringMatching(/^people\.json is not UTF-8 \(byte 0xE9 at offset 17, line 2;.*re-save the file as UTF-8/) as string,
    });
    expect(decodeJsonBytes(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]), 'w.json')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^w\.json is not valid UTF-16 LE/) as string,
    });
    expect(decodeJsonBytes(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from([0, 0, 0x11, 0])]), 'q.json')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^q\.json is not valid UTF-32 LE/) as string,
    });
  });

  it('finds the first invalid UTF-8 byte: overlong forms, surrogates, truncated sequences, over U+10FFFF', () => {
    expect(firstInvalidUtf8(Buffer.from('aé€𝄞'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(firstInvalidUtf8(Buffer.from([0xe0, 0x80, 0xaf]))).toBe(0); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // cut short
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // over U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x80]))).toBe(0); // a lone continuation byte
  });
});
