/**
 * Builds a synthetic 835 for tests: one CLP per claim, SVC lines with their CAS adjustments, envelope
 * counts computed. Amounts are integer cents (written as dollars).
 */
/**
 * The payer's answer to the usual two-line claim (99213 at $125.00 and 36415 at $12.50): $80.00 paid,
 * $37.50 written off (CO-45), $20.00 coinsurance (PR-2) on the office visit.
 */
export function officeVisitPaid(claimNumber: string, payerClaimNumber: string): EraClaim {
  return {
    claimNumber,
    chargeCents: 13750,
    paidCents: 8000,
    payerClaimNumber,
    lines: [
      {
        code: '99213',
        chargeCents: 12500,
        paidCents: 7000,
        adjustments: [
          { group: 'CO', reason: '45', cents: 3500 },
          { group: 'PR', reason: '2', cents: 2000 },
        ],
      },
      { code: '36415', chargeCents: 1250, paidCents: 1000, adjustments: [{ group: 'CO', reason: '45', cents: 250 }] },
    ],
  };
}

export interface EraClaim {
  claimNumber: string;
  status?: string;
  chargeCents: number;
  paidCents: number;
  payerClaimNumber: string;
  lines: { code: string; chargeCents: number; paidCents: number; adjustments: { group: string; reason: string; cents: number }[] }[];
}

const $ = (c: number): string => (c / 100).toFixed(2);
const pad = (s: string, n: number): string => s.padEnd(n).slice(0, n);

export function isa(sender: string, receiver: string, control: number, usage = 'T'): string {
  return `ISA*00*${pad('', 10)}*00*${pad('', 10)}*ZZ*${pad(sender, 15)}*ZZ*${pad(receiver, 15)}*261201*1200*^*00501*${String(control).padStart(9, '0')}*0*${usage}*:`;
}

export function era835(claims: EraClaim[], opts: { control?: number; trace?: string; plbCents?: number; payer?: string } = {}): string {
  const control = opts.control ?? 101;
  const paid = claims.reduce((s, c) => s + c.paidCents, 0) - (opts.plbCents ?? 0);
  const body: string[] = [
    `BPR*I*${$(paid)}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261201`,
    `TRN*1*${opts.trace ?? `TRACE${control}`}*1512345678`,
    'DTM*405*20261201',
    `N1*PR*${opts.payer ?? 'ACME HEALTH'}`,
    'N3*1 PAYER WAY',
    'N4*SPRINGFIELD*IL*62701',
    'N1*PE*HILLTOP CLINIC*XX*1234567893',
    'LX*1',
  ];
  for (const c of claims) {
    const pr = c.lines
      .flatMap((l) => l.adjustments)
      .filter((a) => a.group === 'PR')
      .reduce((s, a) => s + a.cents, 0);
    body.push(`CLP*${c.claimNumber}*${c.status ?? '1'}*${$(c.chargeCents)}*${$(c.paidCents)}*${$(pr)}*12*${c.payerClaimNumber}*11*1`);
    body.push('NM1*QC*1*SYNTHETIC*JANE****MI*MEM123');
    for (const l of c.lines) {
      body.push(`SVC*HC:${l.code}*${$(l.chargeCents)}*${$(l.paidCents)}**1`);
      body.push('DTM*472*20261120');
      for (const a of l.adjustments) body.push(`CAS*${a.group}*${a.reason}*${$(a.cents)}`);
    }
  }
  if (opts.plbCents) body.push(`PLB*1234567893*20261231*WO:REF1*${$(opts.plbCents)}`);
  const set = [`ST*835*0001`, ...body];
  set.push(`SE*${set.length + 1}*0001`);
  return (
    [
      isa('ACMEPAYER', 'HILLTOP', control),
      `GS*HP*ACMEPAYER*HILLTOP*20261201*1200*${control}*X*005010X221A1`,
      ...set,
      `GE*1*${control}`,
      `IEA*1*${String(control).padStart(9, '0')}`,
    ].join('~\n') + '~\n'
  );
}

/** Several 835s (from era835) as one file: their sets in one group, renumbered, envelope counts redone. */
export function combine835(files: string[], control = 700): string {
  const sets = files.map((f, i) =>
    f
      .split('~\n')
      .filter((seg) => /^(ST|SE|BPR|TRN|DTM|N1|N3|N4|LX|CLP|NM1|SVC|CAS|PLB)\*/.test(seg))
      .map((seg) => (seg.startsWith('ST*') || seg.startsWith('SE*') ? seg.replace(/\*0001$/, `*${String(i + 1).padStart(4, '0')}`) : seg)),
  );
  const body = sets.flat();
  return (
    [
      isa('ACMEPAYER', 'HILLTOP', control),
      `GS*HP*ACMEPAYER*HILLTOP*20261201*1200*${control}*X*005010X221A1`,
      ...body,
      `GE*${sets.length}*${control}`,
      `IEA*1*${String(control).padStart(9, '0')}`,
    ].join('~\n') + '~\n'
  );
}
