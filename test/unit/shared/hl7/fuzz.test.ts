import { HL7_FIXTURES } from '../../../helpers/hl7-fixtures';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type Hl7ErrorDetail, Hl7ParseError, parseMessage, parseMessageOrThrow, writeMessage } from '../../../../shared/hl7';
import { mulberry32 } from '../../../helpers/prng';

/**
 * Fuzz smoke: mutated real messages must give either a message (that also survives write → parse)
 * or an error that names a segment; never another exception, never a hang.
 * Replay a failure with HL7_FUZZ_SEED=<seed printed in the failure>.
 */
const SEED = Number(process.env.HL7_FUZZ_SEED ?? 20260314);
const COUNT = 10_000;
const PER_CALL_MS = 250; // generous: a fixture parses in well under 1 ms; this catches hangs, not jitter
const TOTAL_MS = 30_000;

const sources = readdirSync(HL7_FIXTURES)
  .filter((f) => f.endsWith('.hl7'))
  .sort()
  .map((f) => readFileSync(join(HL7_FIXTURES, f)));

const prng = mulberry32;

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const FRAGMENTS = [
  '\\',
  '\\X4',
  '\\X',
  '\\F\\',
  '\\XZZ\\',
  '\\X0D0A\\',
  '\\.br\\',
  '\\H\\',
  '\\N\\',
  '\\E',
  '\\S\\T\\',
  '\\P\\',
  '\\XC3\\',
  '\\Zx\\',
  '\\\\',
  '\\X00\\',
  '\\X1C0B\\',
  '|',
  '^',
  '~',
  '&',
  '\r',
  '\n',
  '\uFEFF',
  '""',
];

type Mutation = (b: Uint8Array, r: () => number) => Uint8Array;
const int = (r: () => number, n: number): number => Math.floor(r() * n);
const lines = (b: Uint8Array): string[] => new TextDecoder().decode(b).split(/(?<=\r\n|\r|\n)/);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const mutations: Record<string, Mutation> = {
  deleteBytes: (b, r) => {
    const at = int(r, b.length);
    return concat(b.subarray(0, at), b.subarray(at + 1 + int(r, 16)));
  },
  insertBytes: (b, r) => {
    const at = int(r, b.length + 1);
    const extra = Uint8Array.from({ length: 1 + int(r, 8) }, () => int(r, 256));
    return concat(b.subarray(0, at), extra, b.subarray(at));
  },
  flipBytes: (b, r) => {
    const out = new Uint8Array(b);
    for (let k = 1 + int(r, 6); k > 0; k--) {
      const at = int(r, out.length);
      out[at] = out[at]! ^ (1 << int(r, 8));
    }
    return out;
  },
  truncate: (b, r) => b.subarray(0, int(r, b.length)),
  duplicateSegments: (b, r) => {
    const ls = lines(b);
    for (let k = 1 + int(r, 3); k > 0; k--) ls.splice(int(r, ls.length + 1), 0, ls[int(r, ls.length)] ?? '');
    return utf8(ls.join(''));
  },
  randomDelimiters: (b, r) => {
    const text = new TextDecoder().decode(b);
    const msh = text.indexOf('MSH');
    if (msh < 0 || r() < 0.3) {
      // Break one of MSH-1/MSH-2 with any byte.
      const out = new Uint8Array(b);
      out[Math.min(out.length - 1, Math.max(0, msh) + 3 + int(r, 5))] = int(r, 256);
      return out;
    }
    // Or translate every delimiter to another punctuation character, consistently.
    const pool = [...PUNCTUATION];
    const map = new Map<string, string>();
    for (const c of '|^~\\&') map.set(c, pool.splice(int(r, pool.length), 1)[0]!);
    return utf8([...text].map((c) => map.get(c) ?? c).join(''));
  },
  escapeFragments: (b, r) => {
    let text = new TextDecoder().decode(b);
    for (let k = 1 + int(r, 4); k > 0; k--) {
      const at = int(r, text.length + 1);
      text = text.slice(0, at) + FRAGMENTS[int(r, FRAGMENTS.length)]! + text.slice(at);
    }
    return utf8(text);
  },
  lineEndings: (b, r) => {
    const ends = ['\r', '\n', '\r\n', '\n\n'];
    return utf8(
      lines(b)
        .map((l) => l.replace(/\r\n|\r|\n$/, ends[int(r, ends.length)]!))
        .join(''),
    );
  },
};
const names = Object.keys(mutations);

const WHERE = /^(?:MSH(?: #\d+)?(?: field \d+)?: |[A-Z][A-Z0-9]{2} #\d+ field \d+: |segment \d+ \(".*"\): )/s;

function describesPlace(e: Hl7ErrorDetail): boolean {
  return e.segment.length > 0 && e.position >= 1 && e.occurrence >= 1 && (e.field === null || e.field >= 1) && WHERE.test(e.message);
}

describe(`HL7 v2 fuzz smoke (seed ${SEED})`, () => {
  it(`${COUNT} mutated fixtures: a message or an error naming a segment, within ${PER_CALL_MS} ms each`, () => {
    const r = prng(SEED);
    const problems: string[] = [];
    const outcomes = new Map<string, number>();
    let slowest = 0;
    let parsing = 0;
    const start = performance.now();
    for (let i = 0; i < COUNT; i++) {
      let b: Uint8Array = sources[int(r, sources.length)]!;
      const applied: string[] = [];
      for (let k = 1 + int(r, 3); k > 0; k--) {
        const name = names[int(r, names.length)]!;
        applied.push(name);
        b = mutations[name]!(b, r);
      }
      const input = new TextDecoder().decode(b);
      const report = (what: string): void => {
        problems.push(`seed ${SEED} case ${i} [${applied.join(', ')}]: ${what}\n  input starts ${JSON.stringify(input.slice(0, 120))}`);
      };

      const t0 = performance.now();
      let result: ReturnType<typeof parseMessage>;
      try {
        result = parseMessage(input);
      } catch (e) {
        report(`parseMessage threw ${String(e)}`);
        continue;
      }
      const took = performance.now() - t0;
      parsing += took;
      slowest = Math.max(slowest, took);
      if (took > PER_CALL_MS) report(`took ${took.toFixed(1)} ms`);

      if (result.ok) {
        outcomes.set('parsed', (outcomes.get('parsed') ?? 0) + 1);
        // What parses must also write and parse back to the same message.
        try {
          const again = parseMessage(writeMessage(result.value));
          if (!again.ok) report(`written message does not parse: ${again.error.message}`);
          else if (JSON.stringify(again.value) !== JSON.stringify(result.value)) report('write → parse changed the message');
        } catch (e) {
          report(`write/re-parse threw ${String(e)}`);
        }
      } else {
        // The throwing variant throws its own error type, with the same detail, and nothing else.
        try {
          parseMessageOrThrow(input);
          report('parseMessageOrThrow accepted what parseMessage refused');
        } catch (e) {
          if (!(e instanceof Hl7ParseError)) report(`parseMessageOrThrow threw ${String(e)}`);
          else if (e.message !== result.error.message) report('parseMessageOrThrow and parseMessage disagree');
        }
        outcomes.set(result.error.code, (outcomes.get(result.error.code) ?? 0) + 1);
        if (!describesPlace(result.error))
          report(`error does not name its place: ${JSON.stringify(result.error.message)} (segment ${JSON.stringify(result.error.segment)})`);
      }
    }
    const total = performance.now() - start;
    console.log(
      `hl7 fuzz: ${COUNT} inputs in ${(total / 1000).toFixed(2)} s (parsing ${(parsing / 1000).toFixed(2)} s), slowest ${slowest.toFixed(1)} ms; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
    );

    expect(problems.slice(0, 5), `${problems.length} problems`).toEqual([]);
    expect(total).toBeLessThan(TOTAL_MS);
    // The mutations must exercise both paths.
    expect(outcomes.get('parsed') ?? 0).toBeGreaterThan(COUNT / 10);
    expect(COUNT - (outcomes.get('parsed') ?? 0)).toBeGreaterThan(COUNT / 10);
  });

  it('stays linear on adversarial inputs', () => {
    const head = 'MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5\r';
    const inputs = [
      `${head}NTE|1||${'\\\\'.repeat(500_000)}`,
      `${head}NTE|1||${'\\F\\'.repeat(300_000)}`,
      `${head}NTE|1||\\X${'41'.repeat(500_000)}\\`,
      `${head}NTE|1||${'~^&'.repeat(300_000)}`,
      `${head}${'NTE|1\r'.repeat(200_000)}`,
      `${head}NTE|1||${'\\'.repeat(1_000_001)}`,
      '\r'.repeat(1_000_000),
      `${head}${'|'.repeat(1_000_000)}`,
    ];
    for (const input of inputs) {
      const t0 = performance.now();
      const r = parseMessage(input);
      const took = performance.now() - t0;
      expect(took, `${input.slice(0, 60)}… took ${took.toFixed(0)} ms`).toBeLessThan(3_000);
      if (!r.ok) expect(describesPlace(r.error)).toBe(true);
    }
  });
});
