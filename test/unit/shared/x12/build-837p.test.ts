import { describe, expect, it } from 'vitest';
import { type X12ClaimBatch, type X12PriorPayment, build837P, readInterchange } from '../../../../shared/x12';
import { batch, dependentBill, line, selfBill } from './claim-data';
import { type NxSegment, dollars, nodeX12 } from './node-x12';

function build(b: X12ClaimBatch): string {
  const r = build837P(b);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The segments between ST and SE, as written. */
function body(text: string): string[] {
  const segs = text.split('~').filter((s) => s !== '');
  return segs.slice(
    segs.findIndex((s) => s.startsWith('ST*')) + 1,
    segs.findIndex((s) => s.startsWith('SE*')),
  );
}

function failure(b: X12ClaimBatch): { code: string; message: string } {
  const r = build837P(b);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

/**
 * Reads the batch back with node-x12 (independent of Cairn's reader) and checks what a payer
 * checks: counts, versions, the HL tree, and the money (CLM02 = the sum of SV102 = the input).
 */
function checkWithNodeX12(text: string, b: X12ClaimBatch): NxSegment[] {
  const nx = nodeX12(text);
  // node-x12 reads ISA13 as a number ("000000042" → "42").
  expect(Number(nx.isa[12])).toBe(b.envelope.interchangeControl);
  expect(nx.gs[0]).toBe('HC');
  expect(nx.gs[7]).toBe('005010X222A1');
  // node-x12 pads GE02 to 9 digits as it reads it.
  expect(nx.ge.map(Number)).toEqual([nx.sets.length, b.envelope.groupControl]);
  const all = nx.sets.flat();
  for (const set of nx.sets) {
    expect(set[0]!.values.slice(0, 1).concat(set[0]!.values.slice(2))).toEqual(['837', '005010X222A1']);
    expect(set.at(-1)!.values[0]).toBe(String(set.length));
    checkHlTree(set);
  }
  // Ours agrees with node-x12 on every set's size.
  const ours = readInterchange(text);
  expect(ours.ok && ours.value.sets.map((s) => s.segments.length)).toEqual(nx.sets.map((s) => s.length));

  const claims = all.filter((s) => s.tag === 'CLM');
  expect(claims.map((c) => c.values[0])).toEqual(b.bills.map((x) => x.claim.patientControlNumber));
  let k = -1;
  const lineCharges: number[][] = b.bills.map(() => []);
  for (const s of all) {
    if (s.tag === 'CLM') k++;
    if (s.tag === 'SV1') lineCharges[k]!.push(dollars(s.values[1]!));
  }
  b.bills.forEach((bill, i) => {
    expect(dollars(claims[i]!.values[1]!)).toBe(bill.claim.totalChargeCents);
    expect(lineCharges[i]).toEqual(bill.claim.lines.map((l) => l.chargeCents));
    expect(lineCharges[i]!.reduce((n, c) => n + c, 0)).toBe(bill.claim.totalChargeCents);
  });
  return all;
}

/** HL01 counts from 1; a parent is an earlier HL one level up; HL04 is 1 exactly when children follow. */
function checkHlTree(set: NxSegment[]): void {
  const hls = set.filter((s) => s.tag === 'HL').map((s) => ({ id: s.values[0]!, parent: s.values[1] ?? '', level: s.values[2]!, child: s.values[3]! }));
  const up: Record<string, string> = { '20': '', '22': '20', '23': '22' };
  hls.forEach((hl, i) => {
    expect(hl.id).toBe(String(i + 1));
    const parent = hls.find((p) => p.id === hl.parent);
    expect(parent?.level ?? '').toBe(up[hl.level]);
    expect(hl.child).toBe(hls.some((c) => c.parent === hl.id) ? '1' : '0');
  });
}

const prior = (over: Partial<X12PriorPayment> = {}): X12PriorPayment => ({
  payer: { name: 'BIG PAYER', payerId: 'BIG1' },
  filingIndicator: 'MB',
  subscriber: { memberId: '1EG4TE5MK72', person: { lastName: 'DOE', firstName: 'JANE' } },
  paidCents: 8000,
  adjustments: [],
  lines: [
    {
      lineNumber: 1,
      procedureCode: '99213',
      paidCents: 8000,
      units: 1,
      paidDate: '2024-03-20',
      adjustments: [
        { group: 'CO', reason: '45', amountCents: 3000 },
        { group: 'PR', reason: '2', amountCents: 1500 },
      ],
    },
  ],
  paidDate: '2024-03-20',
  ...over,
});

describe('837P for a subscriber who is the patient', () => {
  const b = batch([selfBill()]);
  const text = build(b);

  it('writes the whole interchange, segment by segment', () => {
    expect(text.split('~')).toEqual([
      'ISA*00*          *00*          *ZZ*CAIRNCLINIC    *ZZ*CLEARHOUSE     *240305*1407*^*00501*000000042*0*T*:',
      'GS*HC*CAIRNCLINIC*CLEARHOUSE*20240305*1407*7*X*005010X222A1',
      'ST*837*0001*005010X222A1',
      'BHT*0019*00*42*20240305*1407*CH',
      'NM1*41*2*SMALL CLINIC*****46*SUB1',
      'PER*IC*PAT BILLER*TE*5550102000',
      'NM1*40*2*CLEARHOUSE*****46*CH1',
      'HL*1**20*1',
      'PRV*BI*PXC*207Q00000X',
      'NM1*85*2*SMALL CLINIC*****XX*1234567893',
      'N3*100 MAIN ST',
      'N4*SPRINGFIELD*IL*627011234',
      'REF*EI*123456789',
      'HL*2*1*22*0',
      'SBR*P*18*G77******CI',
      'NM1*IL*1*DOE*JANE*Q***MI*M123456',
      'N3*12 ELM ST*APT 3',
      'N4*SPRINGFIELD*IL*627011234',
      'DMG*D8*19800131*F',
      'NM1*PR*2*ACME HEALTH*****PI*ACME1',
      'N3*1 PAYER WAY',
      'N4*HARTFORD*CT*06101',
      'CLM*A1001*125***11:B:1*Y*A*Y*Y',
      'HI*ABK:I10*ABF:E119',
      'LX*1',
      'SV1*HC:99213*125*UN*1***1',
      'DTP*472*D8*20240301',
      'SE*26*0001',
      'GE*1*7',
      'IEA*1*000000042',
      '',
    ]);
    expect(text.indexOf('~')).toBe(105);
  });

  it('parses back with node-x12: counts, HL tree, amounts', () => {
    checkWithNodeX12(text, b);
  });

  it('CLM06–CLM09 come from the claim, never fixed', () => {
    const other = build(batch([selfBill('A1001', { providerSignature: false, assignment: 'C', benefitsAssigned: 'N', releaseOfInformation: 'I' })]));
    expect(body(other)).toContain('CLM*A1001*125***11:B:1*N*C*N*I');
    const w = build(batch([selfBill('A1001', { assignment: 'B', benefitsAssigned: 'W' })]));
    expect(body(w)).toContain('CLM*A1001*125***11:B:1*Y*B*W*Y');
  });
});

describe('837P for a dependent', () => {
  const b = batch([dependentBill()]);
  const text = build(b);

  it('adds the 2000C patient loop under the subscriber; SBR02 empty; subscriber without DMG', () => {
    const s = body(text);
    const from = s.indexOf('HL*2*1*22*1');
    expect(
      s.slice(
        from,
        s.findIndex((x) => x.startsWith('CLM*')),
      ),
    ).toEqual([
      'HL*2*1*22*1',
      'SBR*P**G77******CI',
      'NM1*IL*1*DOE*JOHN****MI*M123456',
      'N3*12 ELM ST*APT 3',
      'N4*SPRINGFIELD*IL*627011234',
      'NM1*PR*2*ACME HEALTH*****PI*ACME1',
      'N3*1 PAYER WAY',
      'N4*HARTFORD*CT*06101',
      'HL*3*2*23*0',
      'PAT*19',
      'NM1*QC*1*DOE*MIA',
      'N3*12 ELM ST',
      'N4*SPRINGFIELD*IL*62701',
      'DMG*D8*20150909*F',
    ]);
    checkWithNodeX12(text, b);
  });

  it('a batch of several bills numbers its HLs in order', () => {
    const many = batch([selfBill('A1'), dependentBill('A2'), selfBill('A3', { lines: [line(), line({ procedureCode: '36415', chargeCents: 1500 })] })]);
    const t = build(many);
    const hls = body(t).filter((s) => s.startsWith('HL*'));
    expect(hls).toEqual(['HL*1**20*1', 'HL*2*1*22*0', 'HL*3*1*22*1', 'HL*4*3*23*0', 'HL*5*1*22*0']);
    checkWithNodeX12(t, many);
  });

  it('refuses a relationship that contradicts the loops', () => {
    const noPatient = { ...dependentBill(), patient: undefined };
    expect(failure(batch([noPatient])).message).toMatch(/^claim "A1002": the patient's relationship to the subscriber is 19, but no patient is given/);
    const selfWithPatient = { ...dependentBill(), subscriber: selfBill().subscriber };
    expect(failure(batch([selfWithPatient])).message).toMatch(/relationship is 18 \(self\)/);
  });
});

describe('replacement and void', () => {
  it('frequency 7 carries the payer claim number in REF*F8 right after CLM', () => {
    const b = batch([selfBill('A1001', { frequency: '7', payerClaimNumber: 'PAYERCLM9' })]);
    const s = body(build(b));
    const clm = s.findIndex((x) => x.startsWith('CLM*'));
    expect(s.slice(clm, clm + 2)).toEqual(['CLM*A1001*125***11:B:7*Y*A*Y*Y', 'REF*F8*PAYERCLM9']);
    checkWithNodeX12(build(b), b);
  });

  it('frequency 8 (void) too; without the payer claim number it is refused', () => {
    const s = body(build(batch([selfBill('A1001', { frequency: '8', payerClaimNumber: 'PAYERCLM9' })])));
    expect(s).toContain('CLM*A1001*125***11:B:8*Y*A*Y*Y');
    expect(s).toContain('REF*F8*PAYERCLM9');
    expect(failure(batch([selfBill('A1001', { frequency: '8' })]))).toEqual({
      code: 'content',
      segmentId: 'REF',
      message: `claim "A1001": a void claim (frequency 8) needs the payer's claim number for REF*F8`,
    });
    expect(body(build(b1()))).not.toContainEqual(expect.stringMatching(/^REF\*F8/));
  });
});

const b1 = (): X12ClaimBatch => batch([selfBill()]);

describe('providers: referring, rendering, service facility', () => {
  const referring = { name: 'SMITH', person: { lastName: 'SMITH', firstName: 'ANNA' }, npi: '1497758544' };
  const rendering = { name: 'JONES', person: { lastName: 'JONES', firstName: 'BOB' }, npi: '1679576722', taxonomy: '207R00000X' };
  const facility = { name: 'SATELLITE OFFICE', npi: '1639172991', address: { line1: '9 OAK RD', city: 'SPRINGFIELD', state: 'IL', zip: '62702' } };

  it('writes 2310A, 2310B (with PRV*PE) and 2310C when they differ from the billing provider', () => {
    const b = batch([selfBill('A1001', { referring, rendering, serviceFacility: facility })]);
    const s = body(build(b));
    const hi = s.findIndex((x) => x.startsWith('HI*'));
    expect(s.slice(hi + 1, hi + 7)).toEqual([
      'NM1*DN*1*SMITH*ANNA****XX*1497758544',
      'NM1*82*1*JONES*BOB****XX*1679576722',
      'PRV*PE*PXC*207R00000X',
      'NM1*77*2*SATELLITE OFFICE*****XX*1639172991',
      'N3*9 OAK RD',
      'N4*SPRINGFIELD*IL*62702',
    ]);
    checkWithNodeX12(build(b), b);
  });

  it('leaves out a service facility that is the billing provider itself, and one not given', () => {
    const same = { name: 'SMALL CLINIC', npi: '1234567893', address: { line1: '100 main st', city: 'Springfield', state: 'IL', zip: '62701' } };
    for (const serviceFacility of [same, undefined]) {
      const s = body(build(batch([selfBill('A1001', serviceFacility ? { serviceFacility } : {})])));
      expect(s.filter((x) => x.startsWith('NM1*77'))).toEqual([]);
    }
  });

  it('leaves out a rendering provider who is the billing provider', () => {
    const s = body(build(batch([selfBill('A1001', { rendering: { ...rendering, npi: '1234567893' } })])));
    expect(s.filter((x) => x.startsWith('NM1*82') || x.startsWith('PRV*PE'))).toEqual([]);
  });
});

describe('secondary claims carry the primary payment (2320/2330A/2330B/2430)', () => {
  it('writes the prior payer, its paid amount and line adjudication with CAS by group', () => {
    const bill = { ...selfBill('A2001', { priorPayments: [prior()] }), payerResponsibility: 'S' as const };
    const b = batch([bill]);
    const text = build(b);
    const s = body(text);
    const hi = s.findIndex((x) => x.startsWith('HI*'));
    expect(s.slice(hi + 1)).toEqual([
      'SBR*P*18*******MB',
      'AMT*D*80',
      'OI***Y***Y',
      'NM1*IL*1*DOE*JANE****MI*1EG4TE5MK72',
      'NM1*PR*2*BIG PAYER*****PI*BIG1',
      'LX*1',
      'SV1*HC:99213*125*UN*1***1',
      'DTP*472*D8*20240301',
      'SVD*BIG1*80*HC:99213**1',
      'CAS*CO*45*30',
      'CAS*PR*2*15',
      'DTP*573*D8*20240320',
    ]);
    expect(s).toContain('SBR*S*18*G77******CI');
    const nx = checkWithNodeX12(text, b);
    // node-x12 sees the same money: AMT*D + line CAS = CLM02.
    const amtD = nx.find((x) => x.tag === 'AMT' && x.values[0] === 'D')!;
    const cas = nx.filter((x) => x.tag === 'CAS').reduce((n, x) => n + dollars(x.values[2]!), 0);
    expect(dollars(amtD.values[1]!) + cas).toBe(12500);
  });

  it('claim-level adjustments: up to 6 triples per CAS, the paid date in 2330B, SBR02/03 from the prior payment', () => {
    const reasons = ['45', '253', '59', '97', '16', '18', '22'];
    const adjustments = reasons.map((reason) => ({ group: 'CO' as const, reason, amountCents: 100 }));
    const p = prior({
      lines: [],
      adjustments: [...adjustments, { group: 'PR', reason: '1', amountCents: 3800, quantity: 1 }],
      paidCents: 8000,
      relationship: '01',
      groupNumber: 'PRIMGRP',
    });
    const bill = { ...selfBill('A2002', { priorPayments: [p] }), payerResponsibility: 'S' as const };
    const s = body(build(batch([bill])));
    expect(s).toContain('SBR*P*01*PRIMGRP******MB');
    expect(s.filter((x) => x.startsWith('CAS*'))).toEqual(['CAS*CO*45*1**253*1**59*1**97*1**16*1**18*1', 'CAS*CO*22*1', 'CAS*PR*1*38*1']);
    expect(s[s.indexOf('NM1*PR*2*BIG PAYER*****PI*BIG1') + 1]).toBe('DTP*573*D8*20240320');
  });

  it('a tertiary claim lists the primary then the secondary', () => {
    const second = prior({
      payer: { name: 'SECOND PAYER', payerId: 'SEC2' },
      paidCents: 1500,
      lines: [],
      adjustments: [{ group: 'CO', reason: '45', amountCents: 11000 }],
    });
    const first = prior({ lines: [], adjustments: [{ group: 'CO', reason: '45', amountCents: 4500 }] });
    const bill = { ...selfBill('A2003', { priorPayments: [first, second] }), payerResponsibility: 'T' as const };
    const s = body(build(batch([bill])));
    expect(s.filter((x) => x.startsWith('SBR*'))).toEqual(['SBR*T*18*G77******CI', 'SBR*P*18*******MB', 'SBR*S*18*******MB']);
  });

  it('refuses a prior payment that does not balance, or one on a primary claim', () => {
    const off = prior();
    off.lines![0]!.paidCents = 7000;
    const bill = { ...selfBill('A2004', { priorPayments: [off] }), payerResponsibility: 'S' as const };
    expect(failure(batch([bill])).message).toBe('claim "A2004": line 1 as BIG PAYER paid it does not balance: charge 125 ≠ paid 70 + adjustments 45');
    const claimOff = prior({ paidCents: 7000, lines: [] });
    expect(failure(batch([{ ...selfBill('A2005', { priorPayments: [claimOff] }), payerResponsibility: 'S' }])).message).toBe(
      'claim "A2005": the payment by BIG PAYER does not balance: charge 125 ≠ paid 70 + claim adjustments 0 + line adjustments 0',
    );
    expect(failure(batch([selfBill('A2006', { priorPayments: [prior()] })])).message).toBe('claim "A2006": a primary claim cannot carry 1 prior payer(s)');
  });
});

describe('service lines', () => {
  it('modifiers, units, a place of service that differs, several pointers, and an NDC (LIN/CTP)', () => {
    const lines = [
      line({ procedureCode: '99214', modifiers: ['25'], chargeCents: 17550, diagnosisPointers: [1, 2] }),
      line({
        procedureCode: 'J1100',
        chargeCents: 2500,
        units: 2.5,
        placeOfService: '02',
        diagnosisPointers: [2],
        ndc: { code: '00009-0047-01', quantity: 4, unit: 'ML' },
      }),
    ];
    const b = batch([selfBill('A3001', { lines })]);
    const text = build(b);
    const s = body(text);
    expect(s.slice(s.indexOf('LX*1'))).toEqual([
      'LX*1',
      'SV1*HC:99214:25*175.5*UN*1***1:2',
      'DTP*472*D8*20240301',
      'LX*2',
      'SV1*HC:J1100*25*UN*2.5*02**2',
      'DTP*472*D8*20240301',
      'LIN**N4*00009004701',
      'CTP****4*ML',
    ]);
    expect(s).toContain('CLM*A3001*200.5***11:B:1*Y*A*Y*Y');
    checkWithNodeX12(text, b);
  });

  it('refuses lines a payer would reject, naming the claim and line', () => {
    const cases: [Partial<Parameters<typeof line>[0]>, RegExp][] = [
      [{ diagnosisPointers: [3] }, /^claim "A1001": line 1: diagnosis pointer 3 points at no diagnosis \(the claim has 2\)$/],
      [{ diagnosisPointers: [1, 2, 1, 2, 1] }, /line 1: 1 to 4 diagnosis pointers, not 5/],
      [{ procedureCode: '99.13' }, /line 1: procedure "99\.13" is not a CPT\/HCPCS code/],
      [{ serviceDate: '2024-02-30' }, /line 1 service date "2024-02-30" is not a date/],
      [{ units: 0 }, /line 1 units must be a positive number/],
      [{ ndc: { code: '1234', quantity: 1, unit: 'UN' } }, /NDC "1234" must be 11 digits/],
    ];
    for (const [over, message] of cases) {
      const l = line(over);
      expect(failure(batch([selfBill('A1001', { lines: [l], totalChargeCents: l.chargeCents })])).message).toMatch(message);
    }
  });

  it('refuses a CLM02 that is not the sum of the lines, and too many diagnoses', () => {
    expect(failure(batch([selfBill('A1001', { totalChargeCents: 12600 })]))).toEqual({
      code: 'content',
      segmentId: 'CLM',
      message: 'claim "A1001": CLM02 total charge 126 is not the sum of its lines 125',
    });
    const dx = Array.from({ length: 13 }, (_, k) => `Z${String(k).padStart(2, '0')}`);
    expect(failure(batch([selfBill('A1001', { diagnoses: dx })])).message).toBe('claim "A1001": a claim has 1 to 12 diagnoses, not 13');
  });
});

describe('the writer refuses what cannot be written', () => {
  it('a delimiter inside a value, naming the element', () => {
    const bill = selfBill();
    bill.subscriber.person.lastName = 'DOE*SMITH';
    expect(failure(batch([bill]))).toEqual({
      code: 'content',
      segmentId: 'NM1',
      message: 'claim "A1001": NM103 "DOE*SMITH" contains "*", the element separator; remove it or choose other delimiters',
    });
    const b2 = selfBill();
    b2.payer.name = 'ACME~HEALTH';
    expect(failure(batch([b2])).message).toMatch(/NM103 "ACME~HEALTH" contains "~", the segment terminator/);
    const b3 = selfBill();
    b3.subscriber.address!.line1 = '12 ELM ST\nAPT 3';
    expect(failure(batch([b3])).message).toMatch(/N301 "12 ELM ST\\nAPT 3" contains a control character/);
  });

  it('an empty batch, bad control numbers, an ISA id too long', () => {
    expect(failure(batch([])).message).toMatch(/the batch has no claims/);
    expect(failure(batch([selfBill()], { envelope: { interchangeControl: 0, groupControl: 1, createdAt: new Date() } })).message).toMatch(
      /ISA13 interchange control number must be a whole number from 1 to 999999999, not 0/,
    );
    expect(failure(batch([selfBill()], { envelope: { interchangeControl: 1e9, groupControl: 1, createdAt: new Date() } })).message).toMatch(/not 1000000000/);
    expect(failure(batch([selfBill()], { parties: { senderId: 'A-VERY-LONG-SENDER-ID', receiverId: 'X', usage: 'P' } })).message).toBe(
      'ISA06 sender id "A-VERY-LONG-SENDER-ID" is longer than its 15 characters',
    );
  });
});

describe('delimiters and size', () => {
  it('writes with other delimiters when asked; node-x12 and Cairn read them from the ISA', () => {
    const b = batch([dependentBill()]);
    const r = build837P(b, { delimiters: { element: '|', component: '>', repetition: '!', segment: '\n' } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.slice(0, 4)).toBe('ISA|');
    expect(r.value.charAt(104)).toBe('>');
    expect(r.value).toContain('CLM|A1002|125|||11>B>1|Y|A|Y|Y');
    checkWithNodeX12(r.value, b);
  });

  it('splits more than 5000 claims into several transaction sets, fast', () => {
    const bills = Array.from({ length: 5001 }, (_, k) => selfBill(`B${k}`));
    const b = batch(bills);
    const t0 = performance.now();
    const text = build(b);
    const ms = performance.now() - t0;
    const ours = readInterchange(text);
    expect(ours.ok && ours.value.sets.map((s) => s.segments.filter((x) => x.id === 'CLM').length)).toEqual([5000, 1]);
    expect(ours.ok && ours.value.sets.map((s) => s.segments[1]!.elements[3])).toEqual(['42-1', '42-2']);
    checkWithNodeX12(text, b);
    // The bench target is 2,000 claims a second; this is far above it even on a busy machine.
    expect(ms).toBeLessThan(2500);
  });
});
