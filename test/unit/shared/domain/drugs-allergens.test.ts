import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDrugKnowledge } from '../../../../electron/services/drugs/knowledge';
import { Resources } from '../../../../electron/services/resources/resources';
import { searchAllergens } from '../../../../shared/domain/drugs-allergens';
import { checkNewDrug } from '../../../../shared/domain/med-checks';

// The shipped files themselves (resources/drugs), validated by the loader.
const loaded = loadDrugKnowledge(new Resources(resolve('resources')));
const search = (q: string, limit?: number): ReturnType<typeof searchAllergens> => searchAllergens(loaded.allergens, q, limit);
const PRODUCT = /\b(mg|mcg|ml|tablet|capsule|solution|suspension|injection)\b/i;

describe('the allergy picker offers what a patient is allergic to', () => {
  it('"sulfa" offers the sulfonamide antibiotic class first, and never morphine sulfate or another sulfate salt', () => {
    const hits = search('sulfa');
    expect(hits[0]).toMatchObject({ name: 'Sulfonamide antibiotics', kind: 'class', type: 'drug' });
    expect(hits.map((h) => h.name.toLowerCase()).filter((n) => n.includes('morphine') || n.includes('sulfate'))).toEqual([]);
    expect(hits.map((h) => h.name)).toContain('Sulfamethoxazole');
  });

  it.each([
    ['penicillin', 'Penicillins'],
    ['pcn', 'Penicillins'],
    ['cephalo', 'Cephalosporins'],
    ['nsaid', 'NSAIDs'],
    ['opioid', 'Opioids'],
    ['latex', 'Latex'],
    ['peanut', 'Peanut'],
    ['shrimp', 'Shellfish (crustacean)'],
    ['egg', 'Eggs'],
  ])('"%s" offers %s first, and no drug products at all', (q, name) => {
    const hits = search(q);
    expect(hits[0]?.name).toBe(name);
    expect(hits.filter((h) => PRODUCT.test(h.name))).toEqual([]);
  });

  it('offers ingredients with their RxNorm ingredient code, and foods and environment with their type', () => {
    expect(search('codeine')[0]).toMatchObject({ name: 'Codeine', kind: 'ingredient', code: '2670', type: 'drug' });
    expect(search('peanut')[0]).toMatchObject({ type: 'food', kind: 'allergen' });
    expect(search('latex')[0]).toMatchObject({ type: 'environment', kind: 'allergen' });
    expect(search('')).toEqual([]);
  });

  it('each drug class names existing cross-sensitivity groups, and an allergy recorded by its name alerts on a drug of each group', () => {
    const groups = new Map(loaded.knowledge.allergyGroups.map((g) => [g.id, g]));
    const patient = { birthDate: '1970-01-01', today: '2026-01-01', weightKg: null, weightDate: null };
    const failures: string[] = [];
    for (const a of loaded.allergenEntries.filter((e) => e.groups.length > 0)) {
      for (const id of a.groups) {
        const group = groups.get(id);
        if (!group) {
          failures.push(`${a.name}: no group ${id}`);
          continue;
        }
        const member = loaded.knowledge.drugs.find((d) => d.classes.some((c) => group.alertsOnClasses.includes(c)));
        if (!member) {
          failures.push(`${a.name}: no drug in ${id}`);
          continue;
        }
        const code = search(a.name).find((h) => h.name === a.name)?.code ?? null;
        const r = checkNewDrug(
          {
            knowledge: loaded.knowledge,
            index: loaded.index,
            medications: [],
            allergies: [{ substance: a.name, substanceCode: code, kind: 'allergy', status: 'active' }],
            patient,
          },
          member.rxcui,
        );
        if (!r.alerts.some((al) => al.kind === 'drug-allergy')) failures.push(`${a.name}: no allergy alert on ${member.name} (${id})`);
      }
    }
    expect(failures).toEqual([]);
  });
});
