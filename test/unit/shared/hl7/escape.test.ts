import { describe, expect, it } from 'vitest';
import {
  createSegment,
  DEFAULT_DELIMITERS,
  escapeText,
  get,
  type Hl7Delimiters,
  type Hl7Message,
  parseMessageOrThrow,
  unescapeText,
  writeMessage,
} from '../../../../shared/hl7';

const d = DEFAULT_DELIMITERS;
const decode = (raw: string, delims: Hl7Delimiters = d): string => {
  const r = unescapeText(raw, delims);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
const reason = (raw: string): string => {
  const r = unescapeText(raw, d);
  if (r.ok) throw new Error(`expected "${raw}" to be refused`);
  return r.reason;
};
const header = 'MSH|^~\\&|A|B|C|D|20240101||ORU^R01^ORU_R01|1|P|2.5.1';
/** OBX-5 of a message whose OBX-5 is written `raw`. */
const obx5 = (raw: string): string => get(parseMessageOrThrow(`${header}\rOBX|1|ST|X^Y^L||${raw}`), 'OBX-5');

describe('escape sequences, both ways', () => {
  const table: [string, string][] = [
    ['\\F\\', '|'],
    ['\\S\\', '^'],
    ['\\T\\', '&'],
    ['\\R\\', '~'],
    ['\\E\\', '\\'],
  ];

  it.each(table)('%s ⇄ %s', (escaped, text) => {
    expect(decode(escaped)).toBe(text);
    expect(escapeText(text, d)).toBe(escaped);
    expect(decode(`a${escaped}b${escaped}`)).toBe(`a${text}b${text}`);
    expect(escapeText(`a${text}b`, d)).toBe(`a${escaped}b`);
    expect(obx5(`x${escaped}y`)).toBe(`x${text}y`);
  });

  it('all delimiters in one text', () => {
    const text = 'a|b^c&d~e\\f';
    expect(escapeText(text, d)).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
    expect(decode(escapeText(text, d))).toBe(text);
  });

  it('\\Xhh\\: hex data, as UTF-8 when it is UTF-8, else one character per byte', () => {
    expect(decode('\\X0D\\')).toBe('\r');
    expect(decode('line 1\\X0D0A\\line 2')).toBe('line 1\r\nline 2');
    expect(decode('\\X41\\\\X42\\')).toBe('AB');
    expect(decode('caf\\XC3A9\\')).toBe('café');
    expect(decode('caf\\XE9\\')).toBe('café');
    expect(decode('\\XF09F9882\\')).toBe('😂');
    expect(decode('\\x0d\\')).toBe('\\x0d\\'); // lower-case x is not the hex escape: kept as written
    // Control characters (they would end a segment or an MLLP frame) are written as hex.
    expect(escapeText('line 1\r\nline 2', d)).toBe('line 1\\X0D\\\\X0A\\line 2');
    expect(escapeText('\u000b\u001c\u0000\u007f', d)).toBe('\\X0B\\\\X1C\\\\X00\\\\X7F\\');
    expect(escapeText('tab\there, café, 😂', d)).toBe('tab\there, café, 😂');
  });

  it('\\P\\ is the truncation character only when MSH-2 declares one', () => {
    const t = { ...d, truncation: '#' };
    expect(decode('Room \\P\\5', t)).toBe('Room #5');
    expect(escapeText('Room #5', t)).toBe('Room \\P\\5');
    expect(decode('Room \\P\\5')).toBe('Room \\P\\5');
    expect(escapeText('Room #5', d)).toBe('Room #5');
  });

  it('formatting and character-set commands are kept as written, and written back as commands', () => {
    for (const raw of ['\\H\\high\\N\\', 'a\\.br\\b', '\\.sp2\\', '\\.in+4\\', '\\C2842\\', '\\M2442\\', '\\Zlocal\\']) {
      expect(decode(raw)).toBe(raw);
      expect(escapeText(decode(raw), d)).toBe(raw);
    }
  });

  it('an unknown sequence is kept as text, and written with its backslashes escaped', () => {
    expect(decode('C:\\temp\\x')).toBe('C:\\temp\\x');
    expect(escapeText('C:\\temp\\x', d)).toBe('C:\\E\\temp\\E\\x');
    expect(decode(escapeText('C:\\temp\\x', d))).toBe('C:\\temp\\x');
  });

  it('refuses an unterminated sequence and malformed hex, saying what to do', () => {
    expect(reason('\\X4')).toBe('unterminated escape sequence "\\X4" (an escape sequence ends with \\; a literal \\ is written \\E\\)');
    expect(reason('C:\\path')).toMatch(/^unterminated escape sequence "\\path"/);
    expect(reason('ends with \\')).toMatch(/^unterminated escape sequence "\\"/);
    expect(reason('\\X\\')).toMatch(/^malformed hex escape "\\X\\"/);
    expect(reason('\\X4\\')).toMatch(/^malformed hex escape "\\X4\\"/);
    expect(reason('\\XG0\\')).toMatch(/^malformed hex escape/);
  });

  it('works with another escape character', () => {
    const custom: Hl7Delimiters = { field: '#', component: '$', repetition: '*', escape: '@', subcomponent: '!', truncation: null };
    expect(decode('a@F@b@S@c@T@d@R@e@E@f\\', custom)).toBe('a#b$c!d*e@f\\');
    expect(escapeText('a#b$c!d*e@f\\|^&~', custom)).toBe('a@F@b@S@c@T@d@R@e@E@f\\|^&~');
    expect(decode('@X0D@', custom)).toBe('\r');
    expect(decode('@H@x@N@', custom)).toBe('@H@x@N@');
  });
});

describe('escaping on write', () => {
  it('text with delimiters, escape characters and line breaks survives write and parse', () => {
    const nasty = 'a|b^c&d~e\\f \\F\\ C:\\temp\r\nsecond line \\.br\\ café';
    const msg: Hl7Message = parseMessageOrThrow(header);
    msg.segments.push(createSegment('NTE', ['1', '', nasty]), createSegment('OBX', ['1', 'ST', ['X', 'Y^Z', 'L'], '', nasty]));
    const text = writeMessage(msg);
    expect(text.split('\r')).toHaveLength(4);
    expect(text).toContain('NTE|1||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f \\E\\F\\E\\ C:\\E\\temp\\X0D\\\\X0A\\second line \\.br\\ café\r');
    expect(text).toContain('OBX|1|ST|X^Y\\S\\Z^L||');
    const back = parseMessageOrThrow(text);
    expect(back).toEqual(msg);
    expect(get(back, 'NTE-3')).toBe(nasty);
    expect(get(back, 'OBX-3.2')).toBe('Y^Z');
  });
});
