import { hl7Fixture, hl7FixtureNames } from '../../../helpers/hl7-fixtures';
import { describe, expect, it } from 'vitest';
import { get, type Hl7Delimiters, parseMessageOrThrow, writeMessage } from '../../../../shared/hl7';

const fixture = (name: string): string => hl7Fixture(name);
const fixtureNames = hl7FixtureNames();

describe('writer', () => {
  it.each(fixtureNames)('%s: parse(write(parse(x))) deep-equals parse(x)', (name) => {
    const once = parseMessageOrThrow(fixture(name));
    expect(parseMessageOrThrow(writeMessage(once))).toEqual(once);
  });

  it.each(fixtureNames)('%s: written back byte for byte, but with CR endings and no BOM', (name) => {
    const original = fixture(name).replace(/^\uFEFF/, '');
    const expected = `${original
      .replace(/\r?\n$/, '')
      .split(/\r?\n/)
      .join('\r')}\r`;
    expect(writeMessage(parseMessageOrThrow(original))).toBe(expected);
  });

  it('ends every segment, the last one too, with CR unless told otherwise', () => {
    const msg = parseMessageOrThrow(fixture('ADT-A40-01.hl7'));
    const cr = writeMessage(msg);
    expect(cr.split('\r')).toEqual([...fixture('ADT-A40-01.hl7').split('\n'), '']);
    expect(writeMessage(msg, { segmentTerminator: '\n' })).toBe(`${fixture('ADT-A40-01.hl7')}\n`);
  });

  it('rewrites with other delimiters: MSH-1 and MSH-2 follow, and the values are the same', () => {
    const msg = parseMessageOrThrow(fixture('ORU-R01-01.hl7'));
    const other: Hl7Delimiters = { field: '#', component: '$', repetition: '*', escape: '@', subcomponent: '!', truncation: '%' };
    const text = writeMessage(msg, { delimiters: other });
    expect(text.startsWith('MSH#$*@!%#IA PHIMS Stage$2.16.840.1.114222.4.3.3.5.1.2$ISO#')).toBe(true);
    const back = parseMessageOrThrow(text);
    expect(back.delimiters).toEqual(other);
    // Same values everywhere except MSH-1 and MSH-2.
    const strip = (m: typeof msg): unknown => m.segments.map((s) => (s.name === 'MSH' ? s.fields.slice(3) : s.fields));
    expect(strip(back)).toEqual(strip(msg));
    expect(get(back, 'PV1-14')).toBe('NHS Provider-General (inc.A&E-this Hosp)');
  });

  it('refuses unusable delimiters with a RangeError', () => {
    const msg = parseMessageOrThrow(fixture('ADT-A40-01.hl7'));
    expect(() => writeMessage(msg, { delimiters: { ...msg.delimiters, component: '|' } })).toThrow(RangeError);
    expect(() => writeMessage(msg, { delimiters: { ...msg.delimiters, escape: 'E' } })).toThrow(/cannot be a delimiter/);
  });
});
