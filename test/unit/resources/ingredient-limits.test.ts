import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drugCatalogFile, ingredientLimitsFile } from '../../../shared/domain/drugs';
import { adultLimitsInMg } from '../../../shared/domain/med-checks/dose-checks';

const DIR = join(process.cwd(), 'resources', 'drugs');
const drugs = drugCatalogFile.parse(JSON.parse(readFileSync(join(DIR, 'drugs.json'), 'utf8'))).drugs;
const file = ingredientLimitsFile.parse(JSON.parse(readFileSync(join(DIR, 'ingredient-limits.json'), 'utf8')));

describe('ingredient limits (resources/drugs/ingredient-limits.json)', () => {
  it('lists each ingredient once, an ingredient of the catalogue, citing declared sources', () => {
    const names = file.limits.map((l) => l.ingredient);
    expect(new Set(names).size).toBe(names.length);
    const ids = new Set(file.sources.map((s) => s.id));
    for (const l of file.limits) {
      expect(
        drugs.some((d) => d.ingredients.some((i) => i.name === l.ingredient)),
        l.ingredient,
      ).toBe(true);
      for (const s of l.sources) expect(ids.has(s), `${l.ingredient}: ${s}`).toBe(true);
      if (l.maxSingleMg !== null) expect(l.maxSingleMg).toBeLessThanOrEqual(l.maxDailyMg);
    }
    expect(names).toEqual(expect.arrayContaining(['acetaminophen', 'codeine', 'tramadol']));
  });

  it('equals the adult maxima of the catalogue\u2019s single-ingredient products, so one fact is not stated twice two ways', () => {
    for (const l of file.limits) {
      const single = drugs.filter((d) => d.ingredients.length === 1 && d.ingredients[0]?.name === l.ingredient && d.adult !== null);
      expect(single.length, l.ingredient).toBeGreaterThan(0);
      for (const d of single) {
        const adult = adultLimitsInMg(d);
        if (adult.daily !== null) expect(adult.daily, d.name).toBe(l.maxDailyMg);
        if (adult.single !== null && l.maxSingleMg !== null) expect(adult.single, d.name).toBe(l.maxSingleMg);
      }
    }
  });

  it('every limited ingredient of a combination product has its strength, as the product name states it', () => {
    const limited = new Set(file.limits.map((l) => l.ingredient));
    for (const d of drugs.filter((x) => x.ingredients.length > 1)) {
      for (const i of d.ingredients) {
        if (limited.has(i.name)) expect(i.strength, `${d.name}: ${i.name}`).toBeDefined();
        if (i.strength === undefined) continue;
        const stated = `${i.strength.value} MG${i.strength.per === 'mL' ? '/ML' : ''}`;
        expect(d.name.toUpperCase(), `${d.name}: ${i.name}`).toContain(stated);
      }
    }
  });
});
