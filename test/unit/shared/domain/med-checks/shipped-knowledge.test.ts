import { describe, expect, it } from 'vitest';
import { checkNewAllergy, checkNewDrug, searchDrugs } from '../../../../../shared/domain/med-checks';
import { ADULT, allergyTo, brief, ctxFor, da, dd, mg } from './checks.helpers';
import { CASES } from './shipped-cases.fixture';
import { CHILD_20KG, childBorn, on, RX, rx, shipped, type Rx } from './shipped.fixture';

describe('checks against the shipped drug knowledge', () => {
  it('the table uses real catalogue entries', () => {
    for (const [key, [rxcui, ingredient]] of Object.entries(RX)) {
      const d = shipped.byRxcui.get(rxcui)?.drug;
      expect(
        d?.ingredients.map((i) => i.name),
        key,
      ).toContain(ingredient);
    }
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = checkNewDrug(ctxFor(shipped, on(...(c.meds ?? [])), c.allergies ?? [], c.patient ?? ADULT), rx(c.drug), c.dose);
    expect(result.drug?.rxcui).toBe(rx(c.drug));
    expect(brief(result.alerts)).toEqual(c.expected);
    expect(result.uncodedNotChecked).toEqual([]);
  });

  it('alerts carry a one-line message naming both sides, the other side in `with`, and the rule sources', () => {
    const [a] = checkNewDrug(ctxFor(shipped, on('warfarin5')), rx('ibuprofen200')).alerts;
    expect(a).toMatchObject({ with: 'Warfarin Sodium 5 MG Oral Tablet', source: 'fda-label, ags-beers', ruleId: 'vka-nsaid' });
    expect(a?.message).toMatch(/^Ibuprofen 200 MG Oral Tablet \+ Warfarin Sodium 5 MG Oral Tablet: /);
    expect(a?.message).not.toContain('\n');
    const [b] = checkNewDrug(ctxFor(shipped, [], [allergyTo('Penicillin')]), rx('cephalexin500')).alerts;
    expect(b).toMatchObject({ with: 'Penicillin', source: 'drug-allergy-pp, fda-label' });
    expect(b?.message).toMatch(/^Allergy to Penicillin and cephalexin 500 MG Oral Capsule: /);
  });

  it('dose alerts name the computed maximum in mg, and the weight problem in words', () => {
    const over = checkNewDrug(ctxFor(shipped, [], [], CHILD_20KG), rx('amoxicillinSusp'), mg(1000, 2)).alerts;
    expect(over.map((a) => a.message)).toEqual([
      'amoxicillin 50 MG/ML Oral Suspension: 1,000 mg per dose is over the maximum of 900 mg per dose (45 mg/kg/dose × 20 kg).',
      'amoxicillin 50 MG/ML Oral Suspension: 1,000 mg × 2 a day = 2,000 mg a day is over the maximum of 1,800 mg a day (90 mg/kg/day × 20 kg).',
    ]);
    const stale = checkNewDrug(ctxFor(shipped, [], [], childBorn('2020-06-01', 20, '2026-10-25')), rx('amoxicillinSusp'), mg(400, 3)).alerts;
    expect(stale[0]?.message).toBe(
      'amoxicillin 50 MG/ML Oral Suspension: no weight in the last 30 days: weigh the child before dosing (last weight 31 days old; mg/kg limits not checked).',
    );
    const adult = checkNewDrug(ctxFor(shipped, []), rx('acetaminophen325'), mg(1000, 6)).alerts;
    expect(adult[0]?.message).toBe('Acetaminophen 325 MG Oral Tablet: 1,000 mg × 6 a day = 6,000 mg a day is over the adult maximum of 4,000 mg a day.');
  });

  it('lists free-text medications and allergies that match nothing; checks the rest as usual', () => {
    const r = checkNewDrug(
      ctxFor(
        shipped,
        [{ rxcui: null, name: 'Herbal sleep tea' }, ...on('warfarin5'), { rxcui: '99999999', name: 'Pill from abroad' }],
        [allergyTo('Peanuts'), allergyTo('Penicillin')],
      ),
      rx('ibuprofen200'),
    );
    expect(r.uncodedNotChecked).toEqual(['Peanuts', 'Herbal sleep tea', 'Pill from abroad']);
    expect(brief(r.alerts)).toEqual([dd('major', 'vka-nsaid')]);
  });

  it('a drug not in the catalogue: drug null, no alerts, named as not checked', () => {
    expect(checkNewDrug(ctxFor(shipped, on('warfarin5')), '99999999')).toEqual({
      drug: null,
      alerts: [],
      uncodedNotChecked: ['RxCUI 99999999 (not in the drug catalogue)'],
    });
  });

  it('a new allergy alerts on what the patient already takes', () => {
    const ctx = ctxFor(shipped, [...on('amoxicillin500', 'cephalexin500', 'lisinopril10'), { rxcui: null, name: 'Penicillin VK from abroad' }]);
    expect(brief(checkNewAllergy(ctx, { substance: 'Penicillin' }))).toEqual([
      da('contraindicated', 'penicillin-penicillins'),
      da('moderate', 'penicillin-cephalosporins'),
    ]);
    expect(checkNewAllergy(ctx, { substance: 'Penicillin' }).map((a) => a.with)).toEqual(['amoxicillin 500 MG Oral Capsule', 'cephalexin 500 MG Oral Capsule']);
    expect(brief(checkNewAllergy(ctx, { substance: 'Zestril', substanceCode: null }))).toEqual([da('contraindicated', 'allergy-ingredient:lisinopril')]);
    expect(checkNewAllergy(ctx, { substance: 'latex' })).toEqual([]);
  });

  it('search finds by name, brand, ingredient and RXCUI', () => {
    expect(searchDrugs(shipped, 'coumadin').map((d) => d.rxcui)).toEqual(['855332', '855312', '855288']);
    expect(searchDrugs(shipped, 'Bactrim DS').map((d) => d.rxcui)).toEqual(['198335']);
    expect(searchDrugs(shipped, '855332').map((d) => d.rxcui)).toEqual(['855332']);
    expect(searchDrugs(shipped, 'amox 875')[0]?.rxcui).toBe('308194');
    expect(searchDrugs(shipped, 'ibuprofen', 2)).toHaveLength(2);
  });

  it('checks 20 medications × 10 allergies (no timing assertion; the benchmark measures speed)', () => {
    const meds = on(...(Object.keys(RX) as Rx[]).slice(0, 20));
    const allergies = ['Penicillin', 'Sulfa', 'codeine', 'latex', 'ACE inhibitor', 'erythromycin', 'Keflex', 'statins', 'peanuts', 'aspirin'].map((s) =>
      allergyTo(s),
    );
    const r = checkNewDrug(ctxFor(shipped, meds, allergies), rx('ibuprofen200'), mg(400, 3));
    expect(r.alerts.length).toBeGreaterThan(5);
    expect(r.uncodedNotChecked).toEqual(['latex', 'peanuts']);
  });
});
