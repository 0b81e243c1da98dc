import { hl7Fixture } from '../../../helpers/hl7-fixtures';
import { describe, expect, it } from 'vitest';
import {
  createSegment,
  field,
  get,
  groups,
  isSupportedVersion,
  parseMessageOrThrow,
  readHeader,
  repetitionValues,
  segment,
  segments,
  writeSegment,
  DEFAULT_DELIMITERS,
} from '../../../../shared/hl7';

const parseFixture = (name: string): ReturnType<typeof parseMessageOrThrow> => parseMessageOrThrow(hl7Fixture(name));

describe('paths', () => {
  const adt = parseFixture('ADT-A01-01.hl7');

  it('read fields, repetitions, components and subcomponents, 1-based', () => {
    expect(get(adt, 'PID-3')).toBe('PATID1234');
    expect(get(adt, 'PID-3[1].4.1')).toBe('test1');
    expect(get(adt, 'PID-3.4.2')).toBe('2.16.1');
    expect(get(adt, 'PID-3[2].1')).toBe('123456789');
    expect(get(adt, 'PID-3[2].4')).toBe('USSSA');
    expect(get(adt, 'PID-5[2].1.5')).toBe('Bing');
    expect(get(adt, 'ROL[2]-4.2')).toBe('Smith');
    expect(get(adt, 'ROL[3]-4.2')).toBe('Phoeb');
    expect(get(adt, 'ROL[4]-4.2')).toBe('');
  });

  it('on a segment, with or without its name', () => {
    const pid = segment(adt, 'PID')!;
    expect(get(pid, '3[2].1')).toBe('123456789');
    expect(get(pid, 'PID-3[2].1')).toBe('123456789');
    expect(() => get(pid, 'OBX-3')).toThrow(/names OBX, but the segment is PID/);
  });

  it('refuse a malformed path with a RangeError', () => {
    for (const bad of ['PID', 'pid-3', 'PID-3.', 'PID-x', 'PID-3[0]', 'PID-0', 'PID[0]-3']) expect(() => get(adt, bad)).toThrow(RangeError);
    expect(() => get(segment(adt, 'PID')!, '3..1')).toThrow(RangeError);
  });

  it('a path read again (kept once read) still reads the message it is given, and a malformed one is refused every time', () => {
    const oru = parseFixture('LAB-ORU-1.hl7');
    expect(get(adt, 'MSH-9.1')).toBe('ADT');
    expect(get(oru, 'MSH-9.1')).toBe('ORU');
    expect(get(adt, 'MSH-9.1')).toBe('ADT');
    const pid = segment(oru, 'PID')!;
    expect(get(pid, '5.1')).toBe(get(oru, 'PID-5.1'));
    expect(get(segment(adt, 'PID')!, '5.1')).toBe(get(adt, 'PID-5.1'));
    expect(() => get(segment(adt, 'MSH')!, 'PID-3')).toThrow(/names PID, but the segment is MSH/);
    for (let i = 0; i < 2; i++) expect(() => get(adt, 'PID-3[0]')).toThrow(/1-based/);
  });

  it('field() and repetitionValues()', () => {
    const pid = segment(adt, 'PID')!;
    expect(field(pid, 10)).toEqual([
      [['2106-3'], ['White'], ['HL70005']],
      [['2028-9'], ['Asian'], ['HL70005']],
    ]);
    expect(repetitionValues(pid, 10, 2)).toEqual(['White', 'Asian']);
    expect(field(pid, 200)).toEqual([[['']]]);
    expect(repetitionValues(pid, 200)).toEqual(['']);
  });

  it('segments() and segment()', () => {
    expect(segments(adt)).toHaveLength(24);
    expect(segments(adt, 'ROL').map((s) => get(s, '4.1'))).toEqual(['12377H87', '12377H87', '121']);
    expect(segment(adt, 'ROL', 3)).toBe(segments(adt, 'ROL')[2]);
    expect(segment(adt, 'ZZZ')).toBeUndefined();
  });
});

describe('groups', () => {
  const mdm = parseFixture('MDM-T02-01.hl7');

  it('take everything up to the next head, or only members', () => {
    const obx = groups(mdm, 'OBX', { members: ['NTE'] });
    expect(obx.map((g) => [get(g.head, '2'), g.children.map((s) => get(s, '3'))])).toEqual([
      ['HD', ['Antibodies Detected']],
      ['ED', []],
    ]);
    const obr = groups(mdm, 'OBR');
    expect(obr).toHaveLength(1);
    expect(obr[0]!.children.map((s) => s.name)).toEqual(['NTE', 'TXA', 'CON', 'OBX', 'NTE', 'OBX']);
    // A non-member ends the group: the NTE after OBR belongs to the OBR, not to anything after TXA.
    expect(groups(mdm, 'OBR', { members: ['NTE'] })[0]!.children.map((s) => get(s, '3'))).toEqual(['No Antibodies Detected']);
    expect(groups(mdm, 'ZZZ')).toEqual([]);
  });

  it('nest: notes of each appointment resource in SIU^S12', () => {
    const siu = parseFixture('SIU-S12-01.hl7');
    const resources = ['AIS', 'AIG', 'AIL', 'AIP'].flatMap((r) => groups(siu, r, { members: ['NTE'] }));
    expect(resources.map((g) => [g.head.name, g.children.length])).toEqual([
      ['AIS', 2],
      ['AIG', 1],
      ['AIL', 1],
      ['AIP', 0],
    ]);
  });
});

describe('readHeader', () => {
  it.each([
    ['ADT-A40-01.hl7', ['ADT', 'A40', 'ADT_A40', '8919-40', 'P', '2.8', 'Ntierprise', 'Healthmatics EHR']],
    ['PC1-Problem-Add-v2.3.1.hl7', ['PPR', 'PC1', '', '331', 'P', '2.3.1', '', '']],
    ['ORM-O01-01.hl7', ['ORM', 'O01', 'ORM_O01', 'MSG00018', 'P', '2.6', 'ORDApp', 'EHRApp']],
    ['VXU-V04-01.hl7', ['VXU', 'V04', 'VXU_V04', 'MSG00001', 'P', '2.8', 'IMMAPP', 'EHRApp']],
  ])('%s', (name, expected) => {
    const h = readHeader(parseFixture(name));
    expect([h.messageType, h.triggerEvent, h.messageStructure, h.controlId, h.processingId, h.version, h.sendingApplication, h.receivingApplication]).toEqual(
      expected,
    );
    expect(isSupportedVersion(h.version)).toBe(true);
  });

  it('knows the supported versions', () => {
    expect(['2.3', '2.4', '2.5.1', '2.7.1', '2.8'].every(isSupportedVersion)).toBe(true);
    expect(['2.2', '2.9', '3.0', ''].some(isSupportedVersion)).toBe(false);
  });
});

describe('createSegment', () => {
  it('builds fields from text, components or whole fields', () => {
    const seg = createSegment('OBX', ['1', 'NM', ['718-7', 'Hemoglobin', 'LN'], null, [[['13.2']], [['14.0']]], ['g/dL'], [], 'a|b']);
    expect(writeSegment(seg, DEFAULT_DELIMITERS)).toBe('OBX|1|NM|718-7^Hemoglobin^LN||13.2~14.0|g/dL||a\\F\\b');
    expect(get(seg, '3.2')).toBe('Hemoglobin');
    expect(repetitionValues(seg, 5)).toEqual(['13.2', '14.0']);
  });
});
