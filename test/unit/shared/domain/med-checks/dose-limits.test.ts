import { describe, expect, it } from 'vitest';
import { checkNewDrug, indexKnowledge } from '../../../../../shared/domain/med-checks';
import { ingredientMg } from '../../../../../shared/domain/med-checks/ingredient-checks';
import { brief, ctxFor, dose, mg } from './checks.helpers';
import { drug, FIXTURE } from './inline.fixture';
import { childBorn } from './shipped.fixture';

// Dose limits a product's own rule does not state: the adult maximum over a child's mg/kg limit, and
// the limits of each ingredient of a combination.

/** An antibiotic whose pediatric rule has no cap of its own: only the adult rule stops a heavy child. */
const uncapped = drug('950', 'cefzil-like 250 MG Oral Tablet', ['cefprozil'], ['cephalosporin'], {
  strength: { value: 250, unit: 'mg' },
  adult: { usualDose: '500 mg q12h', maxSingle: 500, maxDaily: 1000, unit: 'mg' },
  pediatric: { mgPerKgDose: 15, mgPerKgDay: 30, maxSingleMg: null, maxDailyMg: null, minAgeMonths: 6 },
});
const index = indexKnowledge({ ...FIXTURE, drugs: [...FIXTURE.drugs, uncapped] });
/** 14 years old, 80 kg weighed last week. */
const HEAVY_TEEN = childBorn('2012-06-01', 80, '2026-11-18');

describe('a child is never allowed more than an adult', () => {
  it('an 80 kg 14-year-old: 15 mg/kg/dose would allow 1,200 mg, the adult maximum stops it at 500 mg', () => {
    const alerts = checkNewDrug(ctxFor(index, [], [], HEAVY_TEEN), '950', mg(1000, 2)).alerts;
    expect(brief(alerts)).toEqual([dose('dose-pediatric-max-single'), dose('dose-pediatric-max-daily')]);
    expect(alerts.map((a) => a.message)).toEqual([
      'cefzil-like 250 MG Oral Tablet: 1,000 mg per dose is over the maximum of 500 mg per dose (the adult maximum, which a child never exceeds).',
      'cefzil-like 250 MG Oral Tablet: 1,000 mg × 2 a day = 2,000 mg a day is over the maximum of 1,000 mg a day (the adult maximum, which a child never exceeds).',
    ]);
    expect(checkNewDrug(ctxFor(index, [], [], HEAVY_TEEN), '950', { amount: 2, unit: 'tablet', perDay: 2 }).alerts).toEqual([]);
  });

  it('a small child is still held to the lower mg/kg limit', () => {
    const child = childBorn('2022-06-01', 15, '2026-11-18');
    const alerts = checkNewDrug(ctxFor(index, [], [], child), '950', mg(250, 1)).alerts;
    expect(alerts.map((a) => a.message)).toEqual([
      'cefzil-like 250 MG Oral Tablet: 250 mg per dose is over the maximum of 225 mg per dose (15 mg/kg/dose × 15 kg).',
    ]);
  });

  it('an adult limit counted in tablets caps the child through the strength', () => {
    const inTablets = drug('951', 'tablet-capped 100 MG Oral Tablet', ['tabletcap'], ['analgesic'], {
      strength: { value: 100, unit: 'mg' },
      adult: { usualDose: '1 tablet', maxSingle: 2, maxDaily: 4, unit: 'tablet' },
      pediatric: { mgPerKgDose: 10, mgPerKgDay: null, maxSingleMg: null, maxDailyMg: null, minAgeMonths: null },
    });
    const k = indexKnowledge({ ...FIXTURE, drugs: [...FIXTURE.drugs, inTablets] });
    const alerts = checkNewDrug(ctxFor(k, [], [], HEAVY_TEEN), '951', { amount: 3, unit: 'tablet', perDay: 3 }).alerts;
    expect(brief(alerts)).toEqual([dose('dose-pediatric-max-single'), dose('dose-pediatric-max-daily')]);
    expect(alerts[0]?.message).toContain('over the maximum of 200 mg per dose (the adult maximum');
  });
});

describe('each ingredient of a combination has checkable limits', () => {
  const limit = { ingredient: 'acetaminophen', maxSingleMg: 1000, maxDailyMg: 4000, why: 'liver injury above 4 g a day', sources: ['s9'] };
  /** No adult row of its own: only the ingredient's limits can stop it. */
  const combo = drug('960', 'acetaminophen 500 MG / codeine phosphate 30 MG Oral Tablet', [], ['opioid'], {
    ingredients: [
      { name: 'acetaminophen', rxcui: '161', strength: { value: 500, unit: 'mg' } },
      { name: 'codeine', rxcui: '2670', strength: { value: 30, unit: 'mg' } },
    ],
  });
  const smxTmp = drug('961', 'sulfamethoxazole 40 MG/ML / trimethoprim 8 MG/ML Oral Suspension', [], ['sulfonamide-antibiotic'], {
    strength: { value: 8, unit: 'mg', per: 'mL', ingredient: 'trimethoprim' },
    ingredients: [
      { name: 'sulfamethoxazole', rxcui: '10180', strength: { value: 40, unit: 'mg', per: 'mL' } },
      { name: 'trimethoprim', rxcui: '10829', strength: { value: 8, unit: 'mg', per: 'mL' } },
    ],
  });
  const k = indexKnowledge({ ...FIXTURE, drugs: [...FIXTURE.drugs, combo, smxTmp], ingredientLimits: [limit] });

  it('the amount of each ingredient in a dose: by its own strength, or in proportion to the ingredient the mg are of', () => {
    expect(ingredientMg(combo, 'acetaminophen', { amount: 2, unit: 'tablet' })).toBe(1000);
    expect(ingredientMg(combo, 'codeine', { amount: 2, unit: 'tablet' })).toBe(60);
    // mg of a combination that does not say which ingredient they are of: not guessed.
    expect(ingredientMg(combo, 'acetaminophen', { amount: 500, unit: 'mg' })).toBeNull();
    expect(ingredientMg(smxTmp, 'trimethoprim', { amount: 10, unit: 'mL' })).toBe(80);
    expect(ingredientMg(smxTmp, 'trimethoprim', { amount: 0.16, unit: 'g' })).toBe(160);
    expect(ingredientMg(smxTmp, 'sulfamethoxazole', { amount: 160, unit: 'mg' })).toBe(800);
    expect(ingredientMg(smxTmp, 'amoxicillin', { amount: 10, unit: 'mL' })).toBeNull();
  });

  it('3 tablets four times a day: 1,500 mg acetaminophen per dose and 6,000 mg a day, from the ingredient limits alone', () => {
    const alerts = checkNewDrug(ctxFor(k, []), '960', { amount: 3, unit: 'tablet', perDay: 4 }).alerts;
    expect(brief(alerts)).toEqual([dose('dose-ingredient-max-single:acetaminophen'), dose('dose-ingredient-max-daily:acetaminophen')]);
    expect(alerts.map((a) => a.message)).toEqual([
      'acetaminophen 500 MG / codeine phosphate 30 MG Oral Tablet: acetaminophen 1,500 mg per dose is over the maximum of 1,000 mg of acetaminophen per dose (liver injury above 4 g a day).',
      'Acetaminophen from every product on the list: 6,000 mg a day is over the maximum of 4,000 mg a day (liver injury above 4 g a day). acetaminophen 500 MG / codeine phosphate 30 MG Oral Tablet (this order): 6,000 mg.',
    ]);
    expect(alerts.every((a) => a.source === 's9' && a.with === undefined)).toBe(true);
    expect(checkNewDrug(ctxFor(k, []), '960', { amount: 2, unit: 'tablet', perDay: 4 }).alerts).toEqual([]);
  });

  it('a child is held to the same ingredient maximum', () => {
    expect(brief(checkNewDrug(ctxFor(k, [], [], HEAVY_TEEN), '960', { amount: 2, unit: 'tablet', perDay: 6 }).alerts)).toEqual([
      dose('dose-ingredient-max-daily:acetaminophen'),
    ]);
  });
});
