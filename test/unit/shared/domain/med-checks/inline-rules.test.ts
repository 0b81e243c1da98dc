import { describe, expect, it } from 'vitest';
import { type CheckAllergy, checkNewAllergy, checkNewDrug, type CheckPatient, type ProposedDose } from '../../../../../shared/domain/med-checks';
import { allergyTo, brief, ctxFor, type Pick3 } from './checks.helpers';
import { fx, med } from './inline.fixture';

describe('rules on an inline fixture', () => {
  it('drug–drug by class, in both orders, with names, source ids and rule id', () => {
    const a = checkNewDrug(ctxFor(fx, [med('200')]), '100').alerts;
    const b = checkNewDrug(ctxFor(fx, [med('100')]), '200').alerts;
    expect(brief(a)).toEqual([{ kind: 'drug-drug', severity: 'major', ruleId: 'vka-nsaid' }]);
    expect(brief(b)).toEqual(brief(a));
    expect(a[0]).toMatchObject({ with: 'ibuprofen 400 MG Oral Tablet', source: 's1, s2' });
    expect(a[0]?.message).toBe('warfarin 5 MG Oral Tablet + ibuprofen 400 MG Oral Tablet: NSAIDs raise bleeding risk with warfarin.');
  });

  it('ingredient sides match a combination drug; the rule fires once per pair', () => {
    expect(brief(checkNewDrug(ctxFor(fx, [med('100')]), '400').alerts)).toEqual([{ kind: 'drug-drug', severity: 'major', ruleId: 'warfarin-tmp-smx' }]);
    expect(brief(checkNewDrug(ctxFor(fx, [med('400')]), '101').alerts)).toEqual([{ kind: 'drug-drug', severity: 'major', ruleId: 'warfarin-tmp-smx' }]);
  });

  it('a same-class pair needs two different medicines: azithromycin + ondansetron yes, azithromycin 250 + 500 is a duplicate', () => {
    expect(brief(checkNewDrug(ctxFor(fx, [med('300')]), '302').alerts)).toEqual([{ kind: 'drug-drug', severity: 'major', ruleId: 'qt-qt' }]);
    expect(brief(checkNewDrug(ctxFor(fx, [med('300')]), '301').alerts)).toEqual([
      { kind: 'duplicate', severity: 'major', ruleId: 'duplicate-ingredient:azithromycin' },
    ]);
    expect(brief(checkNewDrug(ctxFor(fx, [med('300')]), '300').alerts)).toEqual([
      { kind: 'duplicate', severity: 'major', ruleId: 'duplicate-ingredient:azithromycin' },
    ]);
  });

  it('duplicate class from the table; a class not in the table is not a duplicate', () => {
    expect(brief(checkNewDrug(ctxFor(fx, [med('201')]), '200').alerts)).toEqual([{ kind: 'duplicate', severity: 'major', ruleId: 'duplicate-class:nsaid' }]);
    expect(checkNewDrug(ctxFor(fx, [med('302')]), '401').alerts).toEqual([]);
  });

  it.each<[string, CheckAllergy, string, Pick3[]]>([
    ['class text → contraindicated', allergyTo('Penicillin'), '500', [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-penicillin' }]],
    ['plural and case', allergyTo('PENICILLINS (hives)'), '500', [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-penicillin' }]],
    ['abbreviation', allergyTo('PCN'), '501', [{ kind: 'drug-allergy', severity: 'moderate', ruleId: 'allergy-penicillin-cephalosporin' }]],
    [
      'ingredient text: direct, no group needed',
      allergyTo('ibuprofen'),
      '200',
      [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:ibuprofen' }],
    ],
    ['brand text: direct', allergyTo('Motrin'), '200', [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:ibuprofen' }]],
    [
      'ingredient → its class joins the group (amoxicillin allergy → cephalexin)',
      allergyTo('amoxicillin'),
      '501',
      [{ kind: 'drug-allergy', severity: 'moderate', ruleId: 'allergy-penicillin-cephalosporin' }],
    ],
    [
      'coded drug: its ingredients are the allergy',
      allergyTo('that antibiotic', '400'),
      '401',
      [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:trimethoprim' }],
    ],
    [
      'coded drug → the same product: its ingredient',
      allergyTo('x', '400'),
      '400',
      [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:sulfamethoxazole' }],
    ],
    [
      'group code match',
      allergyTo('unreadable', '10180'),
      '400',
      [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-sulfonamide-antibiotic' }],
    ],
    [
      'brand of a combination',
      allergyTo('Bactrim DS'),
      '400',
      [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:sulfamethoxazole' }],
    ],
    ['whole words only: "sulfa" is not in "sulfasalazine"', allergyTo('sulfasalazine'), '400', []],
    [
      'trimethoprim alone is not a sulfonamide',
      allergyTo('trimethoprim'),
      '400',
      [{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:trimethoprim' }],
    ],
    ['sulfa allergy and plain trimethoprim', allergyTo('sulfa'), '401', []],
    ['inactive allergy ignored', { ...allergyTo('ibuprofen'), status: 'resolved' }, '200', []],
    ['NKA entry ignored', { substance: null, substanceCode: null, kind: 'nka', status: 'active' }, '200', []],
  ])('allergy: %s', (_label, allergy, rxcui, expected) => {
    expect(brief(checkNewDrug(ctxFor(fx, [], [allergy]), rxcui).alerts)).toEqual(expected);
  });

  it('an allergy and a group on the same drug give one alert (the direct one)', () => {
    const alerts = checkNewDrug(ctxFor(fx, [], [allergyTo('amoxicillin')]), '500').alerts;
    expect(brief(alerts)).toEqual([{ kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:amoxicillin' }]);
    expect(alerts[0]).toMatchObject({ with: 'amoxicillin', message: 'Allergy to amoxicillin: amoxicillin 250 MG/5 ML Oral Suspension contains amoxicillin.' });
  });

  it('lists what it could not check: free-text meds, meds not in the catalogue, allergies that match nothing', () => {
    const r = checkNewDrug(
      ctxFor(
        fx,
        [{ rxcui: null, name: 'Herbal sleep tea' }, { rxcui: '99999', name: 'Imported pill' }, med('201')],
        [allergyTo('peanuts'), allergyTo('ibuprofen')],
      ),
      '200',
    );
    expect(r.uncodedNotChecked).toEqual(['peanuts', 'Herbal sleep tea', 'Imported pill']);
    expect(brief(r.alerts)).toEqual([
      { kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:ibuprofen' },
      { kind: 'duplicate', severity: 'major', ruleId: 'duplicate-class:nsaid' },
    ]);
  });

  it('a drug not in the catalogue: no drug, no alerts, named as not checked', () => {
    expect(checkNewDrug(ctxFor(fx, [med('200')]), '424242')).toEqual({
      drug: null,
      alerts: [],
      uncodedNotChecked: ['RxCUI 424242 (not in the drug catalogue)'],
    });
  });

  it('sorts contraindicated → major → moderate', () => {
    const r = checkNewDrug(ctxFor(fx, [med('100'), med('201')], [allergyTo('pcn'), allergyTo('Advil')]), '200');
    expect(r.alerts.map((a) => a.severity)).toEqual(['contraindicated', 'major', 'major']);
    const c = checkNewDrug(ctxFor(fx, [med('100')], [allergyTo('penicillin')]), '501');
    expect(c.alerts.map((a) => a.severity)).toEqual(['moderate']);
  });

  it('a newly recorded allergy alerts on current medications, naming each', () => {
    const ctx = ctxFor(fx, [med('500'), med('501'), med('200'), { rxcui: null, name: 'amoxicillin from abroad' }]);
    const alerts = checkNewAllergy(ctx, { substance: 'Penicillin' });
    expect(brief(alerts)).toEqual([
      { kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-penicillin' },
      { kind: 'drug-allergy', severity: 'moderate', ruleId: 'allergy-penicillin-cephalosporin' },
    ]);
    expect(alerts.map((a) => a.with)).toEqual(['amoxicillin 250 MG/5 ML Oral Suspension', 'cephalexin 500 MG Oral Capsule']);
    expect(checkNewAllergy(ctx, { substance: 'cat dander' })).toEqual([]);
    expect(brief(checkNewAllergy(ctx, { substance: 'x', substanceCode: '200' }))).toEqual([
      { kind: 'drug-allergy', severity: 'contraindicated', ruleId: 'allergy-ingredient:ibuprofen' },
    ]);
  });

  it('dose units: g and mcg convert; tablets and mL convert through the strength; unknown conversions are not guessed', () => {
    const c = ctxFor(fx, []);
    const dose = (rxcui: string, d: ProposedDose): Pick3[] => brief(checkNewDrug(c, rxcui, d).alerts);
    expect(dose('200', { amount: 0.8, unit: 'g', perDay: 4 })).toEqual([]);
    expect(dose('200', { amount: 0.801, unit: 'g', perDay: 1 })).toEqual([{ kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-single' }]);
    expect(dose('200', { amount: 2, unit: 'tablet', perDay: 4 })).toEqual([]);
    expect(dose('200', { amount: 3, unit: 'tablet', perDay: 1 })).toEqual([{ kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-single' }]);
    expect(dose('600', { amount: 0.3, unit: 'mg', perDay: 1 })).toEqual([]);
    expect(dose('600', { amount: 4, unit: 'tablet', perDay: 1 })).toEqual([
      { kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-single' },
      { kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-daily' },
    ]);
    expect(dose('500', { amount: 20, unit: 'mL', perDay: 3 })).toEqual([]);
    expect(dose('500', { amount: 25, unit: 'mL', perDay: 3 })).toEqual([
      { kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-single' },
      { kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-daily' },
    ]);
    expect(dose('200', { amount: 5, unit: 'mL', perDay: 1 })).toEqual([]);
    expect(dose('200', { amount: 2000, unit: 'mg', perDay: null })).toEqual([{ kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-single' }]);
    expect(dose('800', { amount: 1000, unit: 'mg', perDay: 3 })).toEqual([{ kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-daily' }]);
  });

  it('children: minimum age; mg/kg with caps; a child with no pediatric dosing is held to the adult maximum', () => {
    const child = (months: number, weightKg: number | null): CheckPatient => {
      const y = 2026 - Math.floor(months / 12);
      const m = 11 - (months % 12);
      return { birthDate: `${y}-${String(m).padStart(2, '0')}-01`, today: '2026-11-25', weightKg, weightDate: weightKg === null ? null : '2026-11-20' };
    };
    expect(brief(checkNewDrug(ctxFor(fx, [], [], child(60, 20)), '700').alerts)).toEqual([
      { kind: 'dose', severity: 'major', ruleId: 'dose-pediatric-min-age' },
    ]);
    expect(checkNewDrug(ctxFor(fx, [], [], child(160, 50)), '700', { amount: 50, unit: 'mg', perDay: 4 }).alerts).toEqual([]);
    const capped = checkNewDrug(ctxFor(fx, [], [], child(160, 70)), '700', { amount: 61, unit: 'mg', perDay: 1 }).alerts;
    expect(brief(capped)).toEqual([{ kind: 'dose', severity: 'major', ruleId: 'dose-pediatric-max-single' }]);
    expect(capped[0]?.message).toContain('maximum of 60 mg per dose (absolute maximum for children)');
    expect(brief(checkNewDrug(ctxFor(fx, [], [], child(120, 30)), '200', { amount: 1000, unit: 'mg', perDay: 1 }).alerts)).toEqual([
      { kind: 'dose', severity: 'major', ruleId: 'dose-adult-max-single' },
    ]);
  });
});
