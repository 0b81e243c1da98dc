import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type X12Problem, build270, build837P, checkBalance, readInterchange, readX12, readX12All } from '../../../../shared/x12';
import { mulberry32 } from '../../../helpers/prng';
import { batch, dependentBill, inquiry, line, selfBill } from './claim-data';
import { wrap, x12Fixture, x12FixtureNames } from './fixtures';

/**
 * Fuzz smoke: mutated fixtures and generated files must give a result or an error value naming a
 * segment; never an exception, never more than a second on one file.
 * Replay a failure with X12_FUZZ_SEED=<seed printed in the failure>.
 */
const SEED = Number(process.env['X12_FUZZ_SEED'] ?? 20240305);
const COUNT = 6_000;
const PER_FILE_MS = 1_000;
const TOTAL_MS = 20_000;

function generated(): string[] {
  const ok = (r: { ok: boolean; value?: string }): string => (r.ok ? r.value! : '');
  const secondary = {
    ...selfBill('S1', {
      priorPayments: [
        {
          payer: { name: 'BIG PAYER', payerId: 'BIG1' },
          filingIndicator: 'MB',
          subscriber: { memberId: 'X1', person: { lastName: 'DOE' } },
          paidCents: 8000,
          adjustments: [{ group: 'CO', reason: '45', amountCents: 4500 }],
          paidDate: '2024-03-20',
        },
      ],
    }),
    payerResponsibility: 'S' as const,
  };
  const ndc = selfBill('N1', { lines: [line({ procedureCode: 'J1100', ndc: { code: '00009004701', quantity: 4, unit: 'ML' } })] });
  return [
    ok(build837P(batch([selfBill(), dependentBill(), secondary, ndc]))),
    ok(build837P(batch([dependentBill()]), { delimiters: { element: '|', component: '>', repetition: '!', segment: '\n' } })),
    ok(build270(inquiry())),
    ok(build270(inquiry({ dependent: { person: { lastName: 'DOE', firstName: 'MIA' }, birthDate: '2015-09-09', relationship: '19' } }))),
    wrap('999', ['AK1*HC*7', 'AK2*837*0001', 'IK3*CLM*22*2300*8', 'IK4*2**5*XYZ', 'IK5*R*5', 'AK9*R*1*1*0'], { version: '005010X231A1' }),
    wrap('277', ['BHT*0085*08*B1*20240103*1200*TH', 'HL*1**20*1', 'HL*2*1*22*0', 'TRN*2*C-1', 'STC*A3:21*20240103*U*150', 'REF*1K*P9'], {
      version: '005010X214',
    }),
  ];
}

const sources = [...x12FixtureNames().map(x12Fixture), ...generated()];

type Mutation = (s: string, r: () => number) => string;
const int = (r: () => number, n: number): number => Math.floor(r() * n);
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[int(r, xs.length)]!;
/** Segments with their terminators (and any line break) attached, whatever the terminator is. */
const segments = (s: string): string[] => {
  const t = s.length > 105 && s.startsWith('ISA') ? s.charAt(105) : '~';
  return s.split(new RegExp(`(?<=${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?\\n?)`));
};
const PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\n\r';

const mutations: Record<string, Mutation> = {
  flipChars: (s, r) => {
    const cs = [...s];
    for (let k = 1 + int(r, 6); k > 0 && cs.length > 0; k--) cs[int(r, cs.length)] = String.fromCharCode(int(r, 128));
    return cs.join('');
  },
  deleteChars: (s, r) => {
    const at = int(r, s.length);
    return s.slice(0, at) + s.slice(at + 1 + int(r, 12));
  },
  insertChars: (s, r) => {
    const at = int(r, s.length + 1);
    return s.slice(0, at) + Array.from({ length: 1 + int(r, 6) }, () => pick(r, [...PUNCT, 'A', '9', ' '])).join('') + s.slice(at);
  },
  truncate: (s, r) => s.slice(0, int(r, s.length)),
  duplicateSegments: (s, r) => {
    const ls = segments(s);
    for (let k = 1 + int(r, 3); k > 0; k--) ls.splice(int(r, ls.length + 1), 0, pick(r, ls));
    return ls.join('');
  },
  removeSegments: (s, r) => {
    const ls = segments(s);
    for (let k = 1 + int(r, 3); k > 0 && ls.length > 1; k--) ls.splice(int(r, ls.length), 1);
    return ls.join('');
  },
  swapSegments: (s, r) => {
    const ls = segments(s);
    const [a, b] = [int(r, ls.length), int(r, ls.length)];
    [ls[a], ls[b]] = [ls[b]!, ls[a]!];
    return ls.join('');
  },
  swapDelimiters: (s, r) => {
    if (r() < 0.5) {
      // Break one of the ISA's delimiter positions.
      const at = pick(r, [3, 82, 104, 105, 6, 50]);
      return s.slice(0, at) + pick(r, [...PUNCT, 'U', ' ']) + s.slice(at + 1);
    }
    // Or swap two delimiter characters everywhere, ISA included.
    const [a, b] = [pick(r, ['*', ':', '^', '~']), pick(r, [...PUNCT])];
    return [...s].map((c) => (c === a ? b : c === b ? a : c)).join('');
  },
  numbers: (s, r) => s.replace(/\d+(\.\d+)?/g, (m) => (r() < 0.1 ? pick(r, ['0', '-1', '99999999999999999999', '1.005', '', '.', m + m]) : m)),
};
const names = Object.keys(mutations);

const PLACE = /^(?:[A-Z][A-Z0-9]{1,2} segment(?: \d+| missing)?: |segment \d+ \(")/;
const CODES = new Set<X12Problem['code']>(['truncated', 'envelope', 'count', 'syntax', 'unsupported', 'content']);

function problemWith(e: X12Problem): string | null {
  if (!CODES.has(e.code)) return `unknown code ${e.code}`;
  if (!PLACE.test(e.message)) return `message does not begin with the segment: ${JSON.stringify(e.message.slice(0, 100))}`;
  if (e.segmentIndex !== undefined && !(Number.isInteger(e.segmentIndex) && e.segmentIndex >= 1)) return `segmentIndex ${e.segmentIndex}`;
  return null;
}

/** Every amount a reader returns is a whole number of cents. */
function centsProblem(value: unknown): string | null {
  let found: string | null = null;
  JSON.stringify(value, (key, v: unknown) => {
    if (/Cents$/.test(key) && !Number.isSafeInteger(v)) found = `${key} = ${String(v)}`;
    return v;
  });
  return found;
}

describe(`X12 fuzz smoke (seed ${SEED})`, () => {
  it(`${COUNT} mutated files: a result or an error naming a segment, within ${PER_FILE_MS} ms each`, () => {
    const r = mulberry32(SEED);
    const problems: string[] = [];
    const outcomes = new Map<string, number>();
    const start = performance.now();
    let slowest = 0;
    for (let i = 0; i < COUNT; i++) {
      let input = pick(r, sources);
      const applied: string[] = [];
      for (let k = 1 + int(r, 3); k > 0; k--) {
        const name = pick(r, names);
        applied.push(name);
        input = mutations[name]!(input, r);
      }
      const report = (what: string): void => {
        problems.push(`seed ${SEED} case ${i} [${applied.join(', ')}]: ${what}\n  input starts ${JSON.stringify(input.slice(0, 160))}`);
      };
      const t0 = performance.now();
      try {
        const envelope = readInterchange(input);
        const one = readX12(input);
        const all = readX12All(input);
        for (const res of [envelope, one, all]) {
          if (!res.ok) {
            const p = problemWith(res.error);
            if (p !== null) report(p);
          }
        }
        const outcome = one.ok ? `read ${one.value.transaction}` : one.error.code;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (one.ok) {
          const cents = centsProblem(one.value);
          if (cents !== null) report(`amount not in whole cents: ${cents}`);
          if (one.value.transaction === '835') checkBalance(one.value);
        }
      } catch (e) {
        report(`threw ${String(e)}`);
      }
      const took = performance.now() - t0;
      slowest = Math.max(slowest, took);
      if (took > PER_FILE_MS) report(`took ${took.toFixed(0)} ms`);
    }
    const total = performance.now() - start;
    console.log(
      `x12 fuzz: ${COUNT} inputs in ${(total / 1000).toFixed(2)} s, slowest ${slowest.toFixed(1)} ms; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
    );
    expect(problems.slice(0, 5), `${problems.length} problems (replay with X12_FUZZ_SEED=${SEED})`).toEqual([]);
    expect(total).toBeLessThan(TOTAL_MS);
    // Both paths exercised: many mutated files still read, many do not.
    const read = [...outcomes].filter(([k]) => k.startsWith('read')).reduce((n, [, v]) => n + v, 0);
    expect(read).toBeGreaterThan(COUNT / 20);
    expect(COUNT - read).toBeGreaterThan(COUNT / 4);
  });

  it('stays linear on adversarial inputs', () => {
    const isa = 'ISA*00*          *00*          *ZZ*S              *ZZ*R              *240101*1200*^*00501*000000001*0*T*:~';
    const head = `${isa}GS*HP*S*R*20240101*1200*1*X*005010X221A1~ST*835*1~`;
    const inputs = [
      `${head}${'REF*1~'.repeat(100_000)}`,
      `${head}BPR*I*${'9'.repeat(1_000_000)}~`,
      `${head}${'*'.repeat(1_000_000)}~`,
      `${head}${'CAS*CO*45*1~'.repeat(50_000)}SE*50002*1~GE*1*1~IEA*1*000000001~`,
      `${isa}${'GS*HP*S*R*20240101*1200*1*X*005010X221A1~GE*0*1~'.repeat(20_000)}IEA*20000*000000001~`,
      `${isa}${'~'.repeat(1_000_000)}`,
      '\n'.repeat(1_000_000),
      // Very many sets in one group: nothing may spread them onto the call stack.
      `${isa}GS*HP*S*R*20240101*1200*1*X*005010X221A1~${'ST*999*1~SE*2*1~'.repeat(150_000)}GE*150000*1~IEA*1*000000001~`,
      `${head}${'PLB*1*20240101*WO:1*1~'.repeat(30_000)}`,
    ];
    for (const input of inputs) {
      for (const read of [readInterchange, readX12, readX12All]) {
        const t0 = performance.now();
        const res = read(input);
        const took = performance.now() - t0;
        if (!res.ok) expect(problemWith(res.error)).toBeNull();
        // Generous: these are megabytes on a shared 2-core machine; a quadratic reader would take minutes.
        expect(took, `${read.name} on ${input.slice(110, 170)}… took ${took.toFixed(0)} ms`).toBeLessThan(5_000);
      }
    }
  });
});
