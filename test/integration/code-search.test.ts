import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Icd10Index } from '../../electron/services/codes/icd10.index';
import { readTsv } from '../../electron/services/codes/tsv';
import { Resources } from '../../electron/services/resources/resources';
import { codeSynonymsFile } from '../../shared/domain/code-synonyms';
import { tempDir } from '../helpers/temp-db';

const resources = resolve('resources');

describe('ICD-10-CM search with the shipped abbreviation list', () => {
  const t = tempDir('cairn-icd10-');
  let index: Icd10Index;
  beforeAll(() => {
    index = Icd10Index.open(new Resources(resources), t.dir);
  });
  afterAll(() => {
    index.close();
    t.cleanup();
  });

  it('"htn" ranks I10 first, above the pregnancy codes', () => {
    const hits = index.search('htn', 15);
    expect(hits[0]).toMatchObject({ code: 'I10', billable: true });
    expect(hits.slice(0, 5).some((h) => h.code.startsWith('O'))).toBe(false);
  });

  it.each([
    ['dm2', 'E11.9'],
    ['T2DM', 'E11.9'],
    ['copd', 'J44.9'],
    ['CHF', 'I50.9'],
    ['afib', 'I48.91'],
    ['cad', 'I25.10'],
    ['ckd', 'N18.9'],
    ['GERD', 'K21.9'],
    ['uti', 'N39.0'],
    ['uri', 'J06.9'],
    ['bph', 'N40.0'],
    ['hld', 'E78.5'],
    ['osa', 'G47.33'],
    ['mdd', 'F32.9'],
    ['gad', 'F41.1'],
  ])('"%s" lists %s first', (query, code) => {
    expect(index.search(query, 15)[0]?.code).toBe(code);
  });

  it('an abbreviation inside a longer query reads as its words, and the letters as typed still find their words', () => {
    expect(
      index
        .search('ckd stage 3', 10)
        .map((h) => h.description.toLowerCase())
        .every((d) => d.includes('chronic kidney disease') && d.includes('stage 3')),
    ).toBe(true);
    expect(index.search('ckd stage 3', 10).length).toBeGreaterThan(0);
    // "ra" is rheumatoid arthritis first, yet words beginning "ra" (rash, rabies…) are still offered.
    const ra = index.search('ra', 25);
    expect(ra[0]?.code).toBe('M06.9');
    expect(ra.some((h) => /\bra/i.test(h.description) && !/rheumatoid/i.test(h.description))).toBe(true);
    // Words and codes work as before.
    expect(index.search('hypert', 5)[0]?.code).toBe('I10');
    expect(index.search('E11.9', 5)[0]?.code).toBe('E11.9');
  });

  it('every code in the list is a billable ICD-10-CM code of the shipped code set, and the file names its sources', () => {
    const file = codeSynonymsFile.parse(JSON.parse(readFileSync(join(resources, 'codesets', 'icd10cm-synonyms.json'), 'utf8')));
    expect(file.sources.length).toBeGreaterThan(0);
    const billable = new Set([...readTsv(join(resources, 'codesets', 'icd10cm.tsv'))].filter((r) => r['billable'] === '1').map((r) => r['code']));
    const bad = file.synonyms.flatMap((s) => s.codes.filter((c) => !billable.has(c)).map((c) => `${s.term} → ${c}`));
    expect(bad).toEqual([]);
    expect(new Set(file.synonyms.map((s) => s.term)).size).toBe(file.synonyms.length);
  });
});
