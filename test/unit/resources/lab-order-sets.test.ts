import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoincCode, orderSetsFile } from '../../../shared/domain/lab-orders';

const RES = join(process.cwd(), 'resources');
const tsv = readFileSync(join(RES, 'codesets', 'loinc-common.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const LOINC = new Map(tsv.map((c) => [c[0]!, c[1]!]));
const file = orderSetsFile.parse(JSON.parse(readFileSync(join(RES, 'labs', 'order-sets.json'), 'utf8')));

describe('resources/labs/order-sets.json', () => {
  it('validates and has the common order sets', () => {
    expect(file.orderSets.map((s) => s.id)).toEqual(expect.arrayContaining(['cbc', 'cmp', 'bmp', 'lipid', 'hba1c', 'tsh', 'urinalysis']));
  });

  it('draws every component code (and display) from the shipped LOINC list', () => {
    const missing = file.orderSets.flatMap((s) => s.components.filter((c) => LOINC.get(c.loinc) !== c.display).map((c) => `${s.id}: ${c.loinc}`));
    expect(missing).toEqual([]);
  });

  it('orders single tests by their own listed code and panels by a well-formed LOINC panel code', () => {
    for (const s of file.orderSets) {
      expect(isLoincCode(s.orderable.loinc), s.id).toBe(true);
      // The Top 2000 list holds result codes, not panels: a single-test set orders the listed code itself.
      if (s.components.length === 1) expect(s.orderable.loinc, s.id).toBe(s.components[0]!.loinc);
    }
    expect(LOINC.has('4548-4') && LOINC.has('3016-3')).toBe(true);
  });

  it('ships the LOINC notice beside the code list', () => {
    expect(readFileSync(join(RES, 'codesets', 'LOINC-NOTICE.txt'), 'utf8')).toMatch(/Regenstrief Institute/);
    expect(tsv.every((c) => c.length === 5)).toBe(true);
  });

  it('refuses a duplicate id or a bad LOINC check digit', () => {
    const cbc = file.orderSets[0]!;
    expect(orderSetsFile.safeParse({ orderSets: [cbc, cbc] }).success).toBe(false);
    expect(orderSetsFile.safeParse({ orderSets: [{ ...cbc, orderable: { loinc: '58410-3', display: 'x' } }] }).success).toBe(false);
  });
});
