import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { CCDA_SECTIONS, readCcda } from '../../../shared/ccda';
import { mulberry32 } from '../../helpers/prng';

/**
 * Fuzz smoke: mutated C-CDA fixtures (truncations, byte flips, deleted/duplicated tags, random attribute
 * values) must give a document or one of the five errors with a message; never an exception, never a hang.
 * Replay a failure with CCDA_FUZZ_SEED=<seed printed in the failure>.
 */
const SEED = Number(process.env.CCDA_FUZZ_SEED ?? 20261206);
const COUNT = 300;
const PER_CASE_MS = 2_000; // generous: a fixture reads in a few ms; this catches hangs, not jitter

const DIR = join(__dirname, '../../fixtures/ccda');
const sources = ['hl7-examples', 'sample-ccdas'].flatMap((sub) =>
  readdirSync(join(DIR, sub))
    .filter((f) => /\.xml$/i.test(f))
    .sort()
    .map((f) => readFileSync(join(DIR, sub, f), 'utf8')),
);

const int = (r: () => number, n: number): number => Math.floor(r() * n);
const ODD_VALUES = [
  '',
  ' ',
  'true',
  '#',
  '#nope',
  '99999999999999999999',
  '-1',
  'NaN',
  '2024-13-45',
  '20241399',
  '<',
  '&amp;',
  'x'.repeat(300),
  '\u0000',
  'ü',
  '1e400',
];
const TAG = /<([A-Za-z][\w:.-]*)\b[^<>]*?(\/?)>/g;

type Mutation = (s: string, r: () => number) => string;
const mutations: Record<string, Mutation> = {
  truncate: (s, r) => s.slice(0, int(r, s.length)),
  flipBytes: (s, r) => {
    const chars = [...s.slice(0, 200_000)];
    for (let k = 1 + int(r, 8); k > 0; k--) {
      const at = int(r, chars.length);
      chars[at] = String.fromCharCode(chars[at]!.charCodeAt(0) ^ (1 << int(r, 7)));
    }
    return chars.join('') + s.slice(200_000);
  },
  deleteTag: (s, r) => {
    const tags = [...s.matchAll(TAG)];
    const m = tags[int(r, tags.length)];
    if (!m) return s;
    // Delete the start tag only (breaks nesting), or the whole element when it closes itself.
    return s.slice(0, m.index) + s.slice(m.index + m[0].length);
  },
  deleteElement: (s, r) => {
    const names = [
      'entry',
      'observation',
      'act',
      'value',
      'code',
      'effectiveTime',
      'section',
      'templateId',
      'patient',
      'text',
      'component',
      'entryRelationship',
    ];
    const name = names[int(r, names.length)]!;
    const re = new RegExp(`<${name}\\b[^>]*/>|<${name}\\b[\\s\\S]*?</${name}>`, 'g');
    const all = [...s.matchAll(re)];
    const m = all[int(r, all.length)];
    return m ? s.slice(0, m.index) + s.slice(m.index + m[0].length) : s;
  },
  duplicateElement: (s, r) => {
    const names = ['entry', 'component', 'entryRelationship', 'templateId', 'value', 'reference'];
    const name = names[int(r, names.length)]!;
    const re = new RegExp(`<${name}\\b[^>]*/>|<${name}\\b[\\s\\S]*?</${name}>`, 'g');
    const all = [...s.matchAll(re)];
    const m = all[int(r, all.length)];
    return m ? s.slice(0, m.index) + m[0] + m[0] + s.slice(m.index + m[0].length) : s;
  },
  randomAttributes: (s, r) => {
    let n = 0;
    const every = 1 + int(r, 40);
    return s.replace(/(\s[\w:]+=")([^"]*)(")/g, (whole, a: string, _v: string, b: string) =>
      ++n % every === 0 ? `${a}${ODD_VALUES[int(r, ODD_VALUES.length)]!.replace(/"/g, '')}${b}` : whole,
    );
  },
  nullFlavors: (s, r) => {
    let n = 0;
    const every = 1 + int(r, 10);
    return s.replace(/<(value|code|effectiveTime|low|high|playingEntity)\b/g, (whole) => (++n % every === 0 ? `${whole} nullFlavor="UNK"` : whole));
  },
};
const names = Object.keys(mutations);
const CODES = new Set(['not_xml', 'unsafe_xml', 'not_cda', 'too_large', 'no_patient']);

describe(`C-CDA fuzz smoke (seed ${SEED})`, () => {
  it(`${COUNT} mutated fixtures: a document or a clear error, within ${PER_CASE_MS} ms each`, () => {
    // Warm up: the first reads compile the reader; time is measured on a warm reader, as in an import run.
    for (const src of sources) readCcda(src);
    const r = mulberry32(SEED);
    const problems: string[] = [];
    const outcomes = new Map<string, number>();
    let slowest = 0;
    for (let i = 0; i < COUNT; i++) {
      let text = sources[int(r, sources.length)]!;
      const applied: string[] = [];
      for (let k = 1 + int(r, 3); k > 0; k--) {
        const name = names[int(r, names.length)]!;
        applied.push(name);
        text = mutations[name]!(text, r);
      }
      const report = (what: string): void => void problems.push(`seed ${SEED} case ${i} [${applied.join(', ')}]: ${what}`);
      const t0 = performance.now();
      let result: ReturnType<typeof readCcda>;
      try {
        result = readCcda(i % 2 === 0 ? text : new TextEncoder().encode(text));
      } catch (e) {
        report(`readCcda threw ${String(e)}`);
        continue;
      }
      const took = performance.now() - t0;
      slowest = Math.max(slowest, took);
      if (took > PER_CASE_MS) report(`took ${took.toFixed(0)} ms`);
      if (process.env.CCDA_FUZZ_SLOW && took > 50) console.log(`case ${i} [${applied.join(', ')}] ${took.toFixed(0)} ms`);
      if (result.ok) {
        outcomes.set('ok', (outcomes.get('ok') ?? 0) + 1);
        const doc = result.value;
        if (!doc.header.patient) report('ok without a patient');
        for (const s of CCDA_SECTIONS) if (!Array.isArray(doc[s])) report(`${s} is not a list`);
        for (const sk of doc.skipped) if (!sk.reason) report('a skipped entry without a reason');
        for (const v of doc.sections)
          if (/<(?!\/?(table|thead|tbody|tr|th|td|caption|ul|ol|li|p|br|span|b|i|u|sub|sup)\b)/.test(v.narrativeHtml))
            report(`tag outside the whitelist in ${v.title}`);
      } else {
        outcomes.set(result.error.code, (outcomes.get(result.error.code) ?? 0) + 1);
        if (!CODES.has(result.error.code) || result.error.message.length < 20) report(`unclear error ${JSON.stringify(result.error)}`);
        if (/Cairn could not read this document/.test(result.error.message)) report(`internal failure: ${result.error.message}`);
      }
    }
    console.log(`ccda fuzz: ${COUNT} inputs, slowest ${slowest.toFixed(1)} ms; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`);
    expect(problems.slice(0, 5), `${problems.length} problems (replay with CCDA_FUZZ_SEED=${SEED})`).toEqual([]);
    // The mutations must exercise both paths.
    expect(outcomes.get('ok') ?? 0).toBeGreaterThan(COUNT / 10);
    expect(COUNT - (outcomes.get('ok') ?? 0)).toBeGreaterThan(COUNT / 10);
  });
});
