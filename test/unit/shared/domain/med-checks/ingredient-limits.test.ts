import { describe, expect, it } from 'vitest';
import type { CheckMedication, ProposedDose } from '../../../../../shared/domain/med-checks';
import { checkNewDrug } from '../../../../../shared/domain/med-checks';
import { brief, ctxFor, dose, dup, mg } from './checks.helpers';
import { CHILD_20KG, rx, shipped, type Rx } from './shipped.fixture';

// Per-ingredient limits against the shipped knowledge: combination products, the acetaminophen
// total across the list, and the component a combination's mg are counted in (TMP-SMX).

const name = (k: Rx): string => shipped.byRxcui.get(rx(k))!.drug.name;
/** On the list with structured directions. */
const taking = (k: Rx, d: ProposedDose | null): CheckMedication => ({ rxcui: rx(k), name: name(k), dose: d });
const tablets = (amount: number, perDay: number | null): ProposedDose => ({ amount, unit: 'tablet', perDay });
const apapDaily = { kind: 'dose', severity: 'major', ruleId: 'dose-ingredient-max-daily:acetaminophen' } as const;

describe('acetaminophen summed across every product on the list', () => {
  it('acetaminophen 1 g QID on the list + oxycodone/APAP 5/325 2 tablets q6h: 6,600 mg a day, naming both products', () => {
    const r = checkNewDrug(ctxFor(shipped, [taking('acetaminophen325', mg(1000, 4))]), rx('percocet'), tablets(2, 4));
    expect(brief(r.alerts)).toEqual([dup('major', 'duplicate-ingredient:acetaminophen'), apapDaily]);
    const total = r.alerts[1]!;
    expect(total.message).toBe(
      'Acetaminophen from every product on the list: 6,600 mg a day is over the maximum of 4,000 mg a day (more than 4,000 mg of acetaminophen a day, from all products together, risks acute liver failure). ' +
        'Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet (this order): 2,600 mg; Acetaminophen 325 MG Oral Tablet: 4,000 mg.',
    );
    expect(total.with).toBe('Acetaminophen 325 MG Oral Tablet');
    expect(total.source).toBe('dailymed, fda-apap-2011');
  });

  it('the other way round: oxycodone/APAP on the list, acetaminophen 1 g QID ordered (within its own 4 g)', () => {
    const r = checkNewDrug(ctxFor(shipped, [taking('percocet', tablets(2, 4))]), rx('acetaminophen325'), mg(1000, 4));
    expect(brief(r.alerts)).toEqual([dup('major', 'duplicate-ingredient:acetaminophen'), apapDaily]);
    expect(r.alerts[1]?.message).toContain('6,600 mg a day');
  });

  it('under 4 g together: no total alert', () => {
    const r = checkNewDrug(ctxFor(shipped, [taking('acetaminophen325', mg(650, 4))]), rx('percocet'), tablets(1, 4));
    expect(brief(r.alerts)).toEqual([dup('major', 'duplicate-ingredient:acetaminophen')]);
  });

  it('three products: the suspension in mL, a tablet in tablets, the combination; each named with its share', () => {
    const r = checkNewDrug(
      ctxFor(shipped, [taking('acetaminophen325', tablets(2, 4)), taking('acetaminophenSusp', { amount: 20, unit: 'mL', perDay: 2 })]),
      rx('ultracet'),
      tablets(2, 4),
    );
    const total = r.alerts.find((a) => a.ruleId === 'dose-ingredient-max-daily:acetaminophen');
    expect(total?.message).toContain('6,480 mg a day');
    expect(total?.message).toContain('acetaminophen 325 MG / tramadol hydrochloride 37.5 MG Oral Tablet (this order): 2,600 mg');
    expect(total?.message).toContain('Acetaminophen 325 MG Oral Tablet: 2,600 mg; acetaminophen: 1,280 mg');
    expect(total?.with).toBe('Acetaminophen 325 MG Oral Tablet, acetaminophen');
  });

  it('a product on the list without a structured dose is named as not counted', () => {
    const r = checkNewDrug(ctxFor(shipped, [taking('percocet', tablets(2, 4)), taking('acetaminophen325', null)]), rx('acetaminophen325'), mg(1000, 4));
    const total = r.alerts.find((a) => a.ruleId === 'dose-ingredient-max-daily:acetaminophen');
    expect(total?.message).toMatch(/6,600 mg a day .* Not counted \(no structured dose recorded\): Acetaminophen 325 MG Oral Tablet\.$/);
  });

  it('an "as needed" product with no interval counts one dose, and the total says "at least"', () => {
    const r = checkNewDrug(ctxFor(shipped, [taking('acetaminophen325', mg(1000, 4))]), rx('percocet'), tablets(2, null));
    expect(r.alerts.find((a) => a.ruleId === 'dose-ingredient-max-daily:acetaminophen')?.message).toMatch(
      /^Acetaminophen from every product on the list: at least 4,650 mg a day/,
    );
  });

  it('the product alone: its own tablet limit speaks, the ingredient total is not said twice', () => {
    expect(brief(checkNewDrug(ctxFor(shipped, []), rx('percocet'), tablets(2, 8)).alerts)).toEqual([dose('dose-adult-max-daily')]);
  });

  it('tramadol is summed too: tramadol 100 mg q6h on the list + tramadol/APAP 2 tablets q6h', () => {
    const r = checkNewDrug(ctxFor(shipped, [taking('tramadol50', mg(100, 4))]), rx('ultracet'), tablets(2, 4));
    const total = r.alerts.find((a) => a.ruleId === 'dose-ingredient-max-daily:tramadol');
    expect(total?.message).toContain('Tramadol from every product on the list: 700 mg a day is over the maximum of 400 mg a day');
    expect(r.alerts.some((a) => a.ruleId === 'dose-ingredient-max-daily:acetaminophen')).toBe(false);
  });
});

describe('TMP-SMX: limits and alerts in trimethoprim', () => {
  it('3 double-strength tablets three times a day: the trimethoprim component, per dose and per day', () => {
    const alerts = checkNewDrug(ctxFor(shipped, []), rx('tmpSmxDS'), tablets(3, 3)).alerts;
    expect(alerts.map((a) => a.message)).toEqual([
      'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet: trimethoprim component: 480 mg per dose is over the adult maximum of 320 mg per dose.',
      'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet: trimethoprim component: 480 mg × 3 a day = 1,440 mg a day is over the adult maximum of 960 mg a day.',
    ]);
  });

  it('a dose typed in mg is read as trimethoprim, and the alert says so', () => {
    const [a] = checkNewDrug(ctxFor(shipped, []), rx('tmpSmxDS'), mg(800, 2)).alerts;
    expect(a?.message).toBe(
      'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet: trimethoprim component: 800 mg per dose is over the adult maximum of 320 mg per dose.',
    );
    expect(checkNewDrug(ctxFor(shipped, []), rx('tmpSmxDS'), mg(160, 2)).alerts).toEqual([]);
  });

  it('a 20 kg child on the suspension: 20 mL is 160 mg trimethoprim, over 6 mg/kg/dose', () => {
    const [a] = checkNewDrug(ctxFor(shipped, [], [], CHILD_20KG), rx('tmpSmxSusp'), { amount: 20, unit: 'mL', perDay: 2 }).alerts;
    expect(a?.message).toBe(
      'sulfamethoxazole 40 MG/ML / trimethoprim 8 MG/ML Oral Suspension: trimethoprim component: 160 mg per dose is over the maximum of 120 mg per dose (6 mg/kg/dose × 20 kg).',
    );
  });

  it('every combination whose strength is a mass says which ingredient it is an amount of', () => {
    const unnamed = shipped.knowledge.drugs.filter(
      (d) => d.ingredients.length > 1 && d.strength !== null && ['mg', 'mcg', 'g'].includes(d.strength.unit) && d.strength.ingredient === undefined,
    );
    // The mixed amphetamine salts are prescribed by the total of the four salts, which is no single ingredient.
    expect(unnamed.map((d) => d.rxcui)).toEqual(['577961']);
    for (const d of shipped.knowledge.drugs) {
      const of = d.strength?.ingredient;
      if (of !== undefined) expect(d.ingredients.find((i) => i.name === of)?.strength?.value, d.name).toBe(d.strength?.value);
    }
  });
});
