import { describe, expect, it } from 'vitest';
import { type X12Problem, readInterchange, readSegments, readX12 } from '../../../../shared/x12';
import { x12Fixture, x12FixtureNames } from './fixtures';

function problem(text: string): X12Problem {
  const r = readInterchange(text);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

/** A message pattern inside toMatchObject. */
const like = (re: RegExp): unknown => expect.stringMatching(re) as unknown;

/** Replaces the first `from` after `marker`. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`"${from}" not in the text`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const managedCare = x12Fixture('managed-care.835');

describe('every fixture passes envelope validation', () => {
  const expected: Record<string, [string, string, number]> = {
    'claim-level-status.276': ['276', '005010X212', 36],
    'claim-level-status.277': ['277', '005010X212', 38],
    'cob-contractural-adjustment.835': ['835', '005010X221A1', 25],
    'demo.cob.example4.837': ['837', '005010X222A2', 42],
    'demo.drug.example10.1.837': ['837', '005010X222A2', 31],
    'demo.example1.837': ['837', '005010X222A2', 40],
    'demo.example2.837': ['837', '005010X222A2', 41],
    'dependent-health-benefit-check.270': ['270', '005010X279A1', 15],
    'managed-care.835': ['835', '005010X221A1', 26],
    'subscriber-health-benefit-check.270': ['270', '005010X279A1', 13],
    'subscriber-health-benefit-check.271': ['271', '005010X279A1', 22],
  };

  it('finds the 11 transaction files', () => expect(x12FixtureNames()).toEqual(Object.keys(expected).sort()));

  it.each(x12FixtureNames())('%s: one group, one set, SE01 segments from ST to SE', (name) => {
    const r = readInterchange(x12Fixture(name));
    if (!r.ok) throw new Error(r.error.message);
    const ic = r.value;
    expect(ic.control).toBe('000000907');
    expect(ic.senderId).toBe('000000005');
    expect(ic.receiverId).toBe('12345');
    expect(ic.usage).toBe('T');
    expect(ic.delimiters).toEqual({ element: '*', repetition: '^', component: ':', segment: '~' });
    expect(ic.groups).toHaveLength(1);
    const [id, version, count] = expected[name]!;
    expect(ic.sets.map((s) => [s.id, s.version, s.segments.length])).toEqual([[id, version, count]]);
    expect(ic.sets[0]!.segments[0]!.id).toBe('ST');
    expect(ic.sets[0]!.segments.at(-1)!.id).toBe('SE');
  });
});

describe('delimiters come from the ISA', () => {
  it('reads a file written with other delimiters the same way', () => {
    const map: Record<string, string> = { '*': '|', ':': '}', '^': '!', '~': '\n' };
    const other = [...managedCare.replace(/\n/g, '')].map((c) => map[c] ?? c).join('');
    expect(other.slice(0, 4)).toBe('ISA|');
    const a = readX12(managedCare);
    const b = readX12(other);
    expect(b.ok && b.value).toEqual(a.ok && a.value);
    expect(readSegments(other).ok && readSegments(other)).toMatchObject({
      value: { delimiters: { element: '|', component: '}', repetition: '!', segment: '\n' } },
    });
  });

  it('tolerates CR/LF after terminators, leading white space and a BOM', () => {
    const crlf = '\uFEFF  \r\n' + managedCare.replace(/~\n?/g, '~\r\n');
    const r = readInterchange(crlf);
    expect(r.ok && r.value.sets[0]!.segments.length).toBe(26);
  });

  it('cuts the ISA by position, so a terminator inside ISA02 does not split it', () => {
    const odd = managedCare.replace('*9876543210*01*', '*98765~3210*01*');
    const r = readSegments(odd);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.segments[0]!.elements.slice(0, 4)).toEqual(['ISA', '03', '98765~3210', '01']);
    expect(r.value.segments[0]!.elements).toHaveLength(17);
    expect(readInterchange(odd).ok).toBe(true);
  });

  it('numbers segments from 1 (ISA) through the file', () => {
    const r = readSegments(managedCare);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.segments.slice(0, 4).map((s) => [s.index, s.id])).toEqual([
      [1, 'ISA'],
      [2, 'GS'],
      [3, 'ST'],
      [4, 'BPR'],
    ]);
    expect(r.value.segments[3]!.elements.slice(0, 5)).toEqual(['BPR', 'I', '945.00', 'C', 'ACH']);
  });
});

describe('bad files: one error naming the segment', () => {
  it('empty or too short is truncated', () => {
    expect(problem('')).toMatchObject({ code: 'truncated', segmentId: 'ISA' });
    expect(problem('  \n ')).toMatchObject({ code: 'truncated' });
    expect(problem('IS')).toMatchObject({ code: 'truncated' });
    expect(problem(managedCare.slice(0, 80))).toMatchObject({
      code: 'truncated',
      message: like(/^ISA segment 1: the ISA is 106 characters long/),
    });
  });

  it('a file not starting with ISA is an envelope error', () => {
    expect(problem('GS*HP*1*2*20240101*1200*1*X*005010X221A1~')).toMatchObject({
      code: 'envelope',
      message: like(/^ISA segment 1: .*begins with "ISA"/),
    });
  });

  it('an ISA that is not fixed width names the character', () => {
    const short = managedCare.replace('*000000005      *', '*000000005*');
    expect(problem(short)).toMatchObject({
      code: 'envelope',
      message: like(/^ISA segment 1: the element separator "\*" must stand before ISA07 at character 51/),
    });
  });

  it('a file cut inside a segment', () => {
    const cut = managedCare.slice(0, managedCare.indexOf('CLP*8765') + 10);
    expect(problem(cut)).toMatchObject({
      code: 'truncated',
      segmentIndex: 20,
      message: 'segment 20 ("CLP*876543"): the file ends inside a segment after CAS segment 19, without the terminator "~"',
    });
  });

  it('a file cut between segments: the missing SE, GE or IEA is named', () => {
    const lines = managedCare.trimEnd().split('\n');
    expect(problem(lines.slice(0, -3).join('\n'))).toMatchObject({
      code: 'truncated',
      segmentId: 'SE',
      message: like(/^SE segment missing: the file ends inside transaction set 835 "112233" \(ST segment 3\)/),
    });
    expect(problem(lines.slice(0, -2).join('\n'))).toMatchObject({ code: 'truncated', segmentId: 'GE' });
    expect(problem(lines.slice(0, -1).join('\n'))).toMatchObject({
      code: 'truncated',
      segmentId: 'IEA',
      message: like(/^IEA segment missing/),
    });
  });

  it('a wrong SE count', () => {
    expect(problem(edit(managedCare, 'SE*26*', 'SE*25*'))).toEqual({
      code: 'count',
      message: 'SE segment 28: says 25 segments, the transaction set has 26',
      segmentIndex: 28,
      segmentId: 'SE',
    });
    // A removed segment shows up as a count error too.
    expect(problem(managedCare.replace('REF*TJ*777667755~\n', ''))).toMatchObject({
      code: 'count',
      message: 'SE segment 27: says 26 segments, the transaction set has 25',
    });
    expect(problem(edit(managedCare, 'SE*26*', 'SE*2x*'))).toMatchObject({
      code: 'count',
      message: like(/^SE segment 28: says "2x" segments/),
    });
  });

  it('wrong GE and IEA counts', () => {
    expect(problem(edit(managedCare, 'GE*1*', 'GE*2*'))).toEqual({
      code: 'count',
      message: 'GE segment 29: says 2 transaction sets, the group has 1',
      segmentIndex: 29,
      segmentId: 'GE',
    });
    expect(problem(edit(managedCare, 'IEA*1*', 'IEA*3*'))).toEqual({
      code: 'count',
      message: 'IEA segment 30: says 3 functional groups, the interchange has 1',
      segmentIndex: 30,
      segmentId: 'IEA',
    });
  });

  it('mismatched control numbers', () => {
    expect(problem(edit(managedCare, 'SE*26*112233', 'SE*26*112234'))).toMatchObject({
      code: 'envelope',
      segmentId: 'SE',
      message: 'SE segment 28: control number "112234" does not match ST02 "112233" (ST segment 3)',
    });
    expect(problem(edit(managedCare, 'GE*1*1', 'GE*1*2'))).toMatchObject({
      code: 'envelope',
      segmentId: 'GE',
      message: 'GE segment 29: control number "2" does not match GS06 "1" (GS segment 2)',
    });
    expect(problem(edit(managedCare, 'IEA*1*000000907', 'IEA*1*000000908'))).toMatchObject({
      code: 'envelope',
      segmentId: 'IEA',
      message: 'IEA segment 30: control number "000000908" does not match ISA13 "000000907"',
    });
    // Numeric control numbers agree whatever their zero padding.
    expect(readInterchange(edit(managedCare, 'IEA*1*000000907', 'IEA*1*907')).ok).toBe(true);
  });

  it('envelope structure: segments outside a set, nested sets, anything after IEA', () => {
    expect(problem(managedCare + 'ST*835*1~')).toMatchObject({
      code: 'envelope',
      segmentIndex: 31,
      message: 'ST segment 31: comes after the IEA that ends the interchange (one interchange per file)',
    });
    expect(problem(edit(managedCare, 'GE*1*1~', 'REF*XX*1~\nGE*1*1~'))).toMatchObject({
      code: 'envelope',
      message: 'GE segment missing: REF segment 29 is outside any transaction set (no ST before it)',
    });
    expect(problem(edit(managedCare, 'SE*26*112233~', ''))).toMatchObject({
      code: 'envelope',
      segmentId: 'SE',
      message: like(/^SE segment missing: transaction set 835 "112233" \(ST segment 3\) has no SE before GE segment 28/),
    });
  });

  it('a segment id that is not one', () => {
    expect(problem(edit(managedCare, 'LX*1', 'lx*1'))).toMatchObject({
      code: 'syntax',
      segmentIndex: 12,
      message: like(/^segment 12 \("lx\*1"\): not a segment id/),
    });
  });

  it('delimiters that clash', () => {
    const clash = managedCare.slice(0, 104) + '*' + managedCare.slice(105);
    expect(problem(clash)).toMatchObject({
      code: 'envelope',
      message: like(/^ISA segment 1: the component separator \(ISA16\) and the element separator are both "\*"/),
    });
  });
});
