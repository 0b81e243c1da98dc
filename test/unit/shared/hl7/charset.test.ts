import { describe, expect, it } from 'vitest';
import { declaredCharset, decodeHl7, encodeHl7, get, parseMessageOrThrow } from '../../../../shared/hl7';

/** A message's bytes, its text written in `encoding` (Node's Buffer encodings: latin1, utf8). */
const bytes = (text: string, encoding: BufferEncoding): Uint8Array => new Uint8Array(Buffer.from(text, encoding));
const msh = (charset: string): string => `MSH|^~\\&|LAB|ACME|CAIRN|CLINIC|20260301101500||ORU^R01|C1|P|2.5.1|||||${charset === '' ? '' : `|${charset}`}`;
const message = (charset: string, name: string): string =>
  [msh(charset), `PID|1||7^^^^MR||${name}||19700101|M`, 'OBR|1|PL-1|FI-1|2345-7^Glucose^LN', 'NTE|1||Hämolyse'].join('\r');

describe('the character set of a received message (MSH-18)', () => {
  it('reads MSH-18 from the bytes: its first repetition, after a BOM, or empty', () => {
    expect(declaredCharset(bytes(message('8859/1', 'X^Y'), 'latin1'))).toBe('8859/1');
    expect(declaredCharset(bytes(`\uFEFF${message('UNICODE UTF-8~ISO IR87', 'X^Y')}`, 'utf8'))).toBe('UNICODE UTF-8');
    expect(declaredCharset(bytes(message('', 'X^Y'), 'utf8'))).toBe('');
    // MSH-18 the last field of its line, and a message that is not HL7 at all.
    expect(declaredCharset(bytes(`MSH|^~\\&${'|'.repeat(16)}8859/2\rPID|1`, 'latin1'))).toBe('8859/2');
    expect(declaredCharset(bytes('hello', 'latin1'))).toBe('');
  });

  it('decodes ISO 8859-1 as declared: accents kept, not turned into U+FFFD', () => {
    const d = decodeHl7(bytes(message('8859/1', 'Müller^Jürgen'), 'latin1'));
    expect(d).toMatchObject({ ok: true, declared: '8859/1' });
    if (!d.ok) return;
    const m = parseMessageOrThrow(d.text);
    expect([get(m, 'PID-5.1'), get(m, 'PID-5.2'), get(m, 'NTE-3')]).toEqual(['Müller', 'Jürgen', 'Hämolyse']);
  });

  it('decodes the other single-byte sets of table 0211 by their own tables', () => {
    // Ł is 0xA3 in ISO 8859-2 (it is £ in 8859-1).
    const raw = new Uint8Array([...bytes(`${msh('8859/2')}\rPID|1||7^^^^MR||`, 'latin1'), 0xa3, ...bytes('ukasz^Anna||19700101|F', 'latin1')]);
    const d = decodeHl7(raw);
    expect(d.ok && get(parseMessageOrThrow(d.text), 'PID-5.1')).toBe('Łukasz');
  });

  it('with no MSH-18: UTF-8 when the bytes are UTF-8, else Windows-1252, so no byte is lost', () => {
    const utf8 = decodeHl7(bytes(message('', 'Núñez^José'), 'utf8'));
    expect(utf8).toMatchObject({ ok: true, charset: 'utf-8' });
    expect(utf8.ok && get(parseMessageOrThrow(utf8.text), 'PID-5.1')).toBe('Núñez');
    const latin = decodeHl7(bytes(message('', 'Núñez^José'), 'latin1'));
    expect(latin).toMatchObject({ ok: true, charset: 'windows-1252' });
    expect(latin.ok && get(parseMessageOrThrow(latin.text), 'PID-5.1')).toBe('Núñez');
    // Every byte value reads as its own character: nothing collapses into U+FFFD.
    const all = new Uint8Array(256).map((_, i) => i);
    const d = decodeHl7(new Uint8Array([...bytes(msh(''), 'latin1'), 0x0d, ...all]));
    expect(d.ok && new Set(d.text.slice(-256)).size).toBe(256);
    expect(d.ok && d.text.includes('\uFFFD')).toBe(false);
  });

  it('refuses a character set it cannot decode, naming the field', () => {
    const d = decodeHl7(bytes(message('UNICODE UTF-16', 'X^Y'), 'latin1'));
    expect(d).toMatchObject({ ok: false, declared: 'UNICODE UTF-16' });
    expect(!d.ok && d.reason).toMatch(/^MSH field 18: character set "UNICODE UTF-16" is not supported/);
  });

  it('encodes an ACK in the set the message came in', () => {
    expect([...encodeHl7('é', 'windows-1252')]).toEqual([0xe9]);
    expect([...encodeHl7('é', 'utf-8')]).toEqual([0xc3, 0xa9]);
    // Beyond ASCII in another set: "?" rather than bytes that mean something else there.
    expect([...encodeHl7('aŁ', 'iso-8859-2')]).toEqual([0x61, 0x3f]);
  });
});
