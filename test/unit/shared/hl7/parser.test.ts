import { HL7_FIXTURES, hl7Fixture, hl7FixtureNames } from '../../../helpers/hl7-fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  field,
  get,
  groups,
  type Hl7ErrorDetail,
  Hl7ParseError,
  parseMessage,
  parseMessageOrThrow,
  readHeader,
  repetitionValues,
  segment,
  segments,
} from '../../../../shared/hl7';

// The fixtures are real public messages copied into test/fixtures/hl7v2 (see its README).
const fixture = (name: string): string => hl7Fixture(name);
const fixtureNames = hl7FixtureNames();

function failure(text: string): Hl7ErrorDetail {
  const r = parseMessage(text);
  if (r.ok) throw new Error('expected a parse error');
  return r.error;
}

describe('every fixture', () => {
  it('finds the 14 fixtures', () => expect(fixtureNames).toHaveLength(14));

  it.each(fixtureNames)('%s parses, with MSH first and the version it declares', (name) => {
    const r = parseMessage(fixture(name));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.segments[0]!.name).toBe('MSH');
    expect(['2.3.1', '2.5', '2.5.1', '2.6', '2.8']).toContain(readHeader(r.value).version);
    // One segment per non-blank line.
    const lines = fixture(name)
      .split(/\r\n|\r|\n/)
      .filter((l) => l.trim() !== '');
    expect(r.value.segments).toHaveLength(lines.length);
  });
});

describe('ORU-R01-01.hl7 (public-health lab, v2.5.1)', () => {
  const msg = parseMessageOrThrow(fixture('ORU-R01-01.hl7'));

  it('reads the header', () => {
    expect(readHeader(msg)).toEqual({
      sendingApplication: 'IA PHIMS Stage',
      sendingFacility: 'IA Public Health Lab',
      receivingApplication: 'IA.DOH.IDSS',
      receivingFacility: 'IA DOH',
      dateTime: '201203141259-0215',
      messageType: 'ORU',
      triggerEvent: 'R01',
      messageStructure: 'ORU_R01',
      controlId: '2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325',
      processingId: 'T',
      version: '2.5.1',
      characterSet: '',
    });
    expect(get(msg, 'MSH-3.2')).toBe('2.16.840.1.114222.4.3.3.5.1.2');
    expect(get(msg, 'MSH-21.1')).toBe('PHLabReport-Ack');
  });

  it('reads the patient, with subcomponents and repetitions', () => {
    expect(get(msg, 'PID-5.1')).toBe('Finn');
    expect(get(msg, 'PID-5.2')).toBe('Huckleberry');
    expect(get(msg, 'PID-7')).toBe('19630815');
    expect(get(msg, 'PID-3.1')).toBe('14');
    expect(get(msg, 'PID-3.4.1')).toBe('IA PHIMS Stage');
    expect(get(msg, 'PID-3.4.2')).toBe('2.16.840.1.114222.4.3.3.5.1.2');
    expect(get(msg, 'PID-3.4.3')).toBe('ISO');
    expect(repetitionValues(segment(msg, 'PID')!, 10, 2)).toEqual(['White', 'American Indian or Alaska Native']);
  });

  it('has one OBR; its OBX values, units, flags and statuses; its notes', () => {
    const obrs = groups(msg, 'OBR');
    expect(obrs).toHaveLength(1);
    const { head: obr, children } = obrs[0]!;
    expect(get(obr, '4.1')).toBe('625-4');
    expect(get(obr, '4.2')).toBe('Bacteria identified in Stool by Culture');
    expect(children.map((s) => s.name).join(' ')).toBe('NTE NTE PRT TQ1 CTD OBX PRT NTE NTE FT1 CTI SPM OBX OBX PRT');

    // Notes on the order, before any OBX; \T\ decoded to "&".
    const orderNotes = children.slice(0, 2).map((s) => get(s, '3'));
    expect(orderNotes).toEqual([
      'Enteric culture includes testing for Salmonella, Shigella, Campylobacter, Yersinia, E.coli O157:H7 & other STECs, and Aeromonas',
      'Allergy to peanuts observed.',
    ]);

    const obx = groups(children, 'OBX', { members: ['NTE', 'PRT'] });
    expect(obx.map((g) => get(g.head, '2'))).toEqual(['CWE', 'RP', 'NM']);
    const [cwe, rp, nm] = obx.map((g) => g.head);
    expect(get(cwe!, '5.1')).toBe('27268008');
    expect(get(cwe!, '5.2')).toBe('Salmonella');
    expect(get(cwe!, '5.9')).toBe('Salmonella species');
    expect(get(cwe!, '6.1')).toBe('beats/min');
    expect(get(cwe!, '7')).toBe('70-80');
    expect(get(cwe!, '8.1')).toBe('A');
    expect(get(cwe!, '11')).toBe('P');
    expect(get(rp!, '5.1')).toBe('https://testurl.com');
    expect(get(rp!, '11')).toBe('O');
    expect(repetitionValues(nm!, 5)).toEqual(['27', '25']);
    expect(get(nm!, '11')).toBe('I');
    // NTE after an OBX belong to that OBX (PRT comes between), and the group stops at FT1.
    expect(obx[0]!.children.filter((s) => s.name === 'NTE').map((s) => get(s, '3'))).toEqual(['Submission of serum', 'No Antibodies Detected']);
    expect(obx[1]!.children).toEqual([]);
    expect(obx[2]!.children.map((s) => s.name)).toEqual(['PRT']);
  });

  it('keeps the two OBX that come before any OBR out of the OBR group', () => {
    expect(segments(msg, 'OBX')).toHaveLength(5);
    const first = segment(msg, 'OBX')!;
    expect(get(first, '1')).toBe('');
    expect(get(first, '3.2')).toBe('heartrate');
    expect(get(msg, 'OBX[2]-2')).toBe('ED');
    expect(get(msg, 'OBX[2]-5.4')).toBe('Base64');
  });

  it('decodes \\T\\ inside a field', () => {
    expect(get(msg, 'PV1-14')).toBe('NHS Provider-General (inc.A&E-this Hosp)');
  });
});

describe('LAB-ORU-1.hl7 (hemogram, v2.5, BOM)', () => {
  const msg = parseMessageOrThrow(fixture('LAB-ORU-1.hl7'));
  const obrs = groups(msg, 'OBR');
  const table = (i: number): string[][] =>
    groups(obrs[i]!.children, 'OBX').map(({ head: o }) => [get(o, '1'), get(o, '3.1'), get(o, '3.2'), get(o, '5'), get(o, '6'), get(o, '8'), get(o, '11')]);

  it('reads the header and patient', () => {
    const h = readHeader(msg);
    expect([h.sendingApplication, h.receivingApplication, h.messageType, h.triggerEvent, h.messageStructure]).toEqual([
      'SomeSystem',
      'TransformationAgent',
      'ORU',
      'R01',
      '',
    ]);
    expect([h.controlId, h.processingId, h.version, h.dateTime]).toEqual(['182', 'T', '2.5', '20141006064500+0700']);
    expect(get(msg, 'PID-3.1')).toBe('10006579');
    expect(get(msg, 'PID-3.5')).toBe('MR');
    expect([get(msg, 'PID-5.1'), get(msg, 'PID-5.2'), get(msg, 'PID-5.3')]).toEqual(['DUCK', 'DONALD', 'D']);
  });

  it('has two OBR groups (set ids 2 then 1), five OBX and one SPM each, and no NTE', () => {
    expect(obrs.map((g) => [get(g.head, '1'), get(g.head, '4.1'), get(g.head, '4.2')])).toEqual([
      ['2', '24317-0', 'Hemogram and platelet count, automated'],
      ['1', '26464-8', 'Differential WBC Count, buffy coat'],
    ]);
    expect(obrs.map((g) => g.children.map((s) => s.name).join(' '))).toEqual(['OBX OBX OBX OBX OBX SPM', 'OBX OBX OBX OBX OBX SPM']);
    expect(segments(msg, 'NTE')).toEqual([]);
  });

  it('reads the hemogram: two results are pending with no value', () => {
    expect(table(0)).toEqual([
      ['1', '11156-7', 'LEUKOCYTES', '', '', '', 'I'],
      ['2', '11273-0', 'ERYTHROCYTES', '4.06', 'tera.l-1', 'N', 'P'],
      ['3', '20509-6', 'HEMOGLOBIN', '', '', '', 'I'],
      ['4', '20570-8', 'HEMATOCRIT', '40.1', '%', 'N', 'P'],
      ['5', '11125-2', 'PLATELETS', '221', 'giga.l-1', 'N', 'F'],
    ]);
  });

  it('reads the differential', () => {
    expect(table(1)).toEqual([
      ['1', '23761-0', 'NEUTROPHILS/100 LEUKOCYTES', '72', '%', 'N', 'P'],
      ['2', '26450-7', 'EOSINOPHILS/100 LEUKOCYTES', '2', '%', 'N', 'P'],
      ['3', '26478-8', 'LYMPHOCYTES/100 LEUKOCYTES', '20', '%', 'N', 'P'],
      ['4', '26485-3', 'MONOCYTES/100 LEUKOCYTES', '6', '%', 'N', 'P'],
      ['5', '30180-4', 'BASOPHILS/100 LEUKOCYTES', '0', '%', 'N', 'P'],
    ]);
  });

  it('keeps a field that is a single space, and trailing empty fields', () => {
    expect(get(obrs[0]!.head, '13')).toBe(' ');
    expect(get(obrs[1]!.head, '12')).toBe(' ');
    // "…|T|2.5||": MSH-13 and MSH-14 are there, empty.
    expect(msg.segments[0]!.fields).toHaveLength(15);
    expect(field(msg.segments[0]!, 14)).toEqual([[['']]]);
  });
});

describe('framing of the text', () => {
  const lab = fixture('LAB-ORU-1.hl7');
  const reference = parseMessageOrThrow(lab);

  it('ignores a UTF-8 BOM, and needs none', () => {
    expect(lab.charCodeAt(0)).toBe(0xfeff);
    expect(parseMessageOrThrow(lab.slice(1))).toEqual(reference);
    const bytes = readFileSync(join(HL7_FIXTURES, 'LAB-ORU-1.hl7'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseMessageOrThrow(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))).toEqual(reference);
  });

  it('reads CR, LF, CRLF and mixed segment endings alike, with or without a final one', () => {
    const lines = lab.split('\n');
    for (const text of [
      lines.join('\r'),
      lines.join('\n'),
      lines.join('\r\n'),
      `${lines.join('\r\n')}\r\n`,
      lines.map((l, i) => l + ['\r', '\n', '\r\n'][i % 3]).join(''),
    ]) {
      expect(parseMessageOrThrow(text)).toEqual(reference);
    }
  });

  it('skips blank lines and leading blank lines', () => {
    expect(parseMessageOrThrow(`\r\n\r\n${lab.split('\n').join('\r\n\r\n')}\r\n  \r\n`)).toEqual(reference);
  });
});

describe('structure', () => {
  const text = [
    'MSH|^~\\&|APP|FAC|RCV|RFAC|20240102030405||ADT^A01^ADT_A01|C1|P|2.4',
    'PID|1||111^^^HOSP&1.2.3&ISO^MR~222^^^SSA^SS~||Doe^Jane^^^^^L|""|||||||||||||',
    'NK1|||',
    'ZXY',
  ].join('\r');
  const msg = parseMessageOrThrow(text);
  const pid = segment(msg, 'PID')!;

  it('MSH-1 is the field separator and MSH-2 the encoding characters, literal', () => {
    expect(get(msg, 'MSH-1')).toBe('|');
    expect(get(msg, 'MSH-2')).toBe('^~\\&');
    expect(get(msg, 'MSH-3')).toBe('APP');
    expect(get(msg, 'MSH-9.3')).toBe('ADT_A01');
    expect(msg.segments[0]!.fields[2]).toEqual([[['^~\\&']]]);
    expect(msg.delimiters).toEqual({ field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: null });
  });

  it('splits repetitions, components and subcomponents', () => {
    expect(field(pid, 3)).toEqual([[['111'], [''], [''], ['HOSP', '1.2.3', 'ISO'], ['MR']], [['222'], [''], [''], ['SSA'], ['SS']], [['']]]);
    expect(get(pid, '3[2].1')).toBe('222');
    expect(get(pid, '3[2].5')).toBe('SS');
    expect(get(pid, '3.4.2')).toBe('1.2.3');
    expect(get(pid, '3[3].1')).toBe('');
    expect(get(pid, '3[4].1')).toBe('');
  });

  it('keeps empty, null ("") and trailing empty fields; a segment may have no fields', () => {
    expect(get(pid, '2')).toBe('');
    expect(get(pid, '6')).toBe('""');
    expect(pid.fields).toHaveLength(20);
    expect(segment(msg, 'NK1')!.fields).toEqual([[[['NK1']]], [[['']]], [[['']]], [[['']]]]);
    expect(segment(msg, 'ZXY')!.fields).toEqual([[[['ZXY']]]]);
    expect(get(msg, 'PID-99')).toBe('');
    expect(get(msg, 'PV1-1')).toBe('');
  });

  it('reads custom delimiters from MSH-1 and MSH-2', () => {
    const custom = [
      'MSH#$*@!#SENDER$1.2.3$ISO#FAC#RCV##20240101##ORU$R01#42#P#2.5',
      'PID#1##123$$$AUTH!1.2!ISO*456##DOE$JOHN',
      'OBX#1#ST#X$Y##a@F@b@S@c@T@d@R@e@E@f|^~\\&',
    ].join('\r');
    const m = parseMessageOrThrow(custom);
    expect(m.delimiters).toEqual({ field: '#', component: '$', repetition: '*', escape: '@', subcomponent: '!', truncation: null });
    expect([get(m, 'MSH-1'), get(m, 'MSH-2'), get(m, 'MSH-3.2'), get(m, 'MSH-9.2'), get(m, 'MSH-10')]).toEqual(['#', '$*@!', '1.2.3', 'R01', '42']);
    expect(get(m, 'PID-3.4.2')).toBe('1.2');
    expect(repetitionValues(segment(m, 'PID')!, 3)).toEqual(['123', '456']);
    expect(get(m, 'OBX-5')).toBe('a#b$c!d*e@f|^~\\&');
  });

  it('reads the v2.7 truncation character (MSH-2 "^~\\&#") and \\P\\', () => {
    const m = parseMessageOrThrow('MSH|^~\\&#|A|B|C|D|20240101||ADT^A01^ADT_A01|1|P|2.7\rNTE|1||Room \\P\\5, # kept');
    expect(m.delimiters.truncation).toBe('#');
    expect(get(m, 'MSH-2')).toBe('^~\\&#');
    expect(get(m, 'NTE-3')).toBe('Room #5, # kept');
  });
});

describe('errors name the segment and the field', () => {
  const lab = fixture('LAB-ORU-1.hl7').slice(1).split('\n');
  const withLine = (i: number, line: string): string => lab.map((l, k) => (k === i ? line : l)).join('\r');

  it('missing MSH', () => {
    for (const text of ['', '\r\n \n', 'PID|1||x']) {
      const e = failure(text);
      expect([e.code, e.segment, e.field]).toEqual(['missing_msh', 'MSH', null]);
      expect(e.message).toMatch(/^MSH: /);
    }
    expect(failure('PID|1||x').message).toBe('MSH: a message begins with an MSH segment, but this one begins with "PID"');
    expect(failure(lab.slice(1).join('\r')).message).toContain('begins with "PID"');
  });

  it('bad MSH-1 and MSH-2', () => {
    const rest = '|A|B|C|D|20240101||ADT^A01|1|P|2.5';
    const cases: [string, number, RegExp][] = [
      ['MSH', 1, /^MSH field 1: the field separator is missing/],
      ['MSHA^~\\&A', 1, /^MSH field 1: "A" cannot be the field separator/],
      [`MSH|^~${rest}`, 2, /^MSH field 2: the encoding characters "\^~" must be 4 characters/],
      [`MSH|${rest}`, 2, /^MSH field 2: the encoding characters "" must be/],
      [`MSH|^^\\&${rest}`, 2, /^MSH field 2: the delimiters "\|\^\^\\&" are not all different/],
      [`MSH|^~\\a${rest}`, 2, /^MSH field 2: "a" cannot be a delimiter/],
      [`MSH|^~\\&#!${rest}`, 2, /^MSH field 2: the encoding characters "\^~\\&#!" must be/],
    ];
    for (const [text, fieldNo, message] of cases) {
      const e = failure(text);
      expect([e.code, e.segment, e.field, e.position]).toEqual(['bad_delimiters', 'MSH', fieldNo, 1]);
      expect(e.message).toMatch(message);
    }
  });

  it('a truncated message', () => {
    const e = failure(lab[0]!.slice(0, 'MSH|^~\\&|SomeSystem||Transf'.length));
    expect([e.code, e.segment, e.field]).toEqual(['missing_field', 'MSH', 9]);
    expect(e.message).toBe('MSH field 9: the message type (MSH-9) is empty but required; the header ends at field 5, so the message looks truncated');
    expect(failure('MSH|^~\\&|A|B|C|D|20240101||ORU^R01').message).toMatch(/^MSH field 10: the message control id \(MSH-10\) is empty/);
    expect(failure('MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|').message).toMatch(/^MSH field 12: the version \(MSH-12\) is empty but required$/);
    // Cut inside a segment name.
    const cut = failure(`${lab.slice(0, 7).join('\r')}\rOB`);
    expect([cut.code, cut.segment, cut.position, cut.field]).toEqual(['bad_segment_name', 'OB', 8, null]);
    expect(cut.message).toMatch(/^segment 8 \("OB"\): not a segment name.*\(the message may be truncated\)$/);
    // Cut inside an escape sequence.
    const esc = failure(withLine(4, 'OBX|2|NM|11273-0^ERYTHROCYTES^LN||4.06|tera.l-1||N|||P|||\\X0'));
    expect([esc.code, esc.segment, esc.occurrence, esc.position, esc.field]).toEqual(['bad_escape', 'OBX', 2, 5, 14]);
  });

  it('an unterminated escape sequence: "OBX #3 field 5"', () => {
    const e = failure(withLine(5, 'OBX|3|NM|20509-6^HEMOGLOBIN^LN||\\X4|g/dL||||I|'));
    expect([e.code, e.segment, e.occurrence, e.position, e.field]).toEqual(['bad_escape', 'OBX', 3, 6, 5]);
    expect(e.message).toBe('OBX #3 field 5: unterminated escape sequence "\\X4" (an escape sequence ends with \\; a literal \\ is written \\E\\)');
    // The error keeps the header, so the sender can still be answered.
    expect(e.header && readHeader(e.header).controlId).toBe('182');
    expect(e.header?.segments).toHaveLength(1);
  });

  it('a malformed hex escape', () => {
    const e = failure(withLine(3, 'OBX|1|NM|11156-7^LEUKOCYTES^LN||\\XZZ\\|||||I|'));
    expect([e.code, e.segment, e.occurrence, e.field]).toEqual(['bad_escape', 'OBX', 1, 5]);
    expect(e.message).toBe('OBX #1 field 5: malformed hex escape "\\XZZ\\" (expected pairs of hex digits, e.g. \\X0D\\)');
    expect(failure(withLine(3, 'OBX|1|NM|X^Y^LN||\\X123\\')).message).toMatch(/^OBX #1 field 5: malformed hex escape "\\X123\\"/);
  });

  it('a bad segment name and a second MSH', () => {
    const e = failure(withLine(2, 'obr|1|x'));
    expect([e.code, e.segment, e.position, e.field]).toEqual(['bad_segment_name', 'obr', 3, null]);
    expect(failure(withLine(2, '|OBR|1')).segment).toBe('?');
    const twice = failure(`${lab.join('\r')}\r${lab[0]!}`);
    expect([twice.code, twice.segment, twice.occurrence, twice.position]).toEqual(['repeated_msh', 'MSH', 2, 17]);
  });

  it('parseMessageOrThrow throws Hl7ParseError with the same detail; nothing else is thrown', () => {
    expect(() => parseMessageOrThrow('PID|1')).toThrow(Hl7ParseError);
    try {
      parseMessageOrThrow(withLine(5, 'OBX|3|NM|x||\\X4'));
    } catch (e) {
      expect(e).toBeInstanceOf(Hl7ParseError);
      const p = e as Hl7ParseError;
      expect([p.segment, p.occurrence, p.field, p.code]).toEqual(['OBX', 3, 5, 'bad_escape']);
      expect(p.message).toMatch(/^OBX #3 field 5: /);
    }
    expect(parseMessage(undefined as unknown as string)).toMatchObject({ ok: false, error: { code: 'missing_msh', segment: 'MSH' } });
  });
});
