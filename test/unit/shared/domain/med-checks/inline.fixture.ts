import type { Drug, DrugKnowledge } from '../../../../../shared/domain/drugs';
import { indexKnowledge } from '../../../../../shared/domain/med-checks';

// ---------------------------------------------------------------- a small inline knowledge fixture: the rules' mechanics

export function drug(rxcui: string, name: string, ingredients: string[], classes: string[], extra: Partial<Drug> = {}): Drug {
  return {
    rxcui,
    tty: 'SCD',
    name,
    brands: [],
    ingredients: ingredients.map((n, i) => ({ name: n, rxcui: `${rxcui}${i + 1}` })),
    classes,
    strength: null,
    doseForm: 'Oral Tablet',
    route: 'oral',
    adult: null,
    pediatric: null,
    sources: ['fixture'],
    ...extra,
  };
}

export const FIXTURE: DrugKnowledge = {
  drugs: [
    drug('100', 'warfarin 5 MG Oral Tablet', ['warfarin'], ['vka-anticoagulant'], { brands: ['Coumadin'] }),
    drug('101', 'warfarin 1 MG Oral Tablet', ['warfarin'], ['vka-anticoagulant']),
    drug('200', 'ibuprofen 400 MG Oral Tablet', ['ibuprofen'], ['nsaid'], {
      brands: ['Motrin', 'Advil'],
      strength: { value: 400, unit: 'mg' },
      adult: { usualDose: '400 mg q6h', maxSingle: 800, maxDaily: 3200, unit: 'mg' },
    }),
    drug('201', 'naproxen 500 MG Oral Tablet', ['naproxen'], ['nsaid']),
    drug('300', 'azithromycin 250 MG Oral Tablet', ['azithromycin'], ['macrolide', 'qt-prolonging']),
    drug('301', 'azithromycin 500 MG Oral Tablet', ['azithromycin'], ['macrolide', 'qt-prolonging']),
    drug('302', 'ondansetron 4 MG Oral Tablet', ['ondansetron'], ['qt-prolonging']),
    drug('400', 'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet', ['sulfamethoxazole', 'trimethoprim'], ['sulfonamide-antibiotic'], {
      brands: ['Bactrim DS'],
    }),
    drug('401', 'trimethoprim 100 MG Oral Tablet', ['trimethoprim'], ['antibacterial']),
    drug('402', 'sulfasalazine 500 MG Oral Tablet', ['sulfasalazine'], ['aminosalicylate']),
    drug('500', 'amoxicillin 250 MG/5 ML Oral Suspension', ['amoxicillin'], ['penicillin'], {
      strength: { value: 250, unit: 'mg', per: '5 mL' },
      doseForm: 'Oral Suspension',
      adult: { usualDose: '500 mg q8h', maxSingle: 1000, maxDaily: 3000, unit: 'mg' },
      pediatric: { mgPerKgDose: null, mgPerKgDay: 90, maxSingleMg: 1000, maxDailyMg: 3000, minAgeMonths: null },
    }),
    drug('501', 'cephalexin 500 MG Oral Capsule', ['cephalexin'], ['cephalosporin']),
    drug('600', 'levothyroxine 0.1 MG Oral Tablet', ['levothyroxine'], ['thyroid'], {
      strength: { value: 100, unit: 'mcg' },
      adult: { usualDose: '100 mcg daily', maxSingle: 300, maxDaily: 300, unit: 'mcg' },
    }),
    drug('700', 'codeine 30 MG Oral Tablet', ['codeine'], ['opioid'], {
      adult: { usualDose: '30 mg q4h', maxSingle: 60, maxDaily: 360, unit: 'mg' },
      pediatric: { mgPerKgDose: 1, mgPerKgDay: null, maxSingleMg: 60, maxDailyMg: null, minAgeMonths: 144 },
    }),
    drug('800', 'metformin 500 MG Oral Tablet', ['metformin'], ['biguanide'], {
      strength: { value: 500, unit: 'mg' },
      adult: { usualDose: '500 mg bid', maxSingle: 1000, maxDaily: 2550, unit: 'mg' },
    }),
  ],
  interactions: [
    {
      id: 'vka-nsaid',
      a: { class: 'vka-anticoagulant' },
      b: { class: 'nsaid' },
      severity: 'major',
      message: 'NSAIDs raise bleeding risk with warfarin.',
      oncHighPriority: false,
      sources: ['s1', 's2'],
    },
    {
      id: 'qt-qt',
      a: { class: 'qt-prolonging' },
      b: { class: 'qt-prolonging' },
      severity: 'major',
      message: 'Two QT-prolonging drugs add up.',
      oncHighPriority: false,
      sources: ['s3'],
    },
    {
      id: 'warfarin-tmp-smx',
      a: { ingredient: 'sulfamethoxazole' },
      b: { ingredient: 'warfarin' },
      severity: 'major',
      message: 'Sulfamethoxazole raises the INR on warfarin.',
      oncHighPriority: false,
      sources: ['s1'],
    },
  ],
  allergyGroups: [
    {
      id: 'allergy-penicillin',
      allergyMatches: ['penicillin', 'pcn'],
      alertsOnClasses: ['penicillin'],
      severity: 'contraindicated',
      message: 'Penicillin allergy: avoid all penicillins.',
      sources: ['a1'],
    },
    {
      id: 'allergy-penicillin-cephalosporin',
      allergyMatches: ['penicillin', 'pcn'],
      alertsOnClasses: ['cephalosporin'],
      severity: 'moderate',
      message: 'Low cross-reactivity with cephalosporins.',
      sources: ['a1'],
    },
    {
      id: 'allergy-sulfonamide-antibiotic',
      allergyMatches: ['sulfa', 'sulfonamide-antibiotic', '10180'],
      alertsOnClasses: ['sulfonamide-antibiotic'],
      severity: 'contraindicated',
      message: 'Sulfonamide antibiotic allergy.',
      sources: ['a2'],
    },
  ],
  duplicateClasses: [{ class: 'nsaid', severity: 'major', message: 'Two NSAIDs at once add GI bleeding risk without benefit.' }],
  ingredientLimits: [],
};
export const fx = indexKnowledge(FIXTURE);
export const med = (rxcui: string): { rxcui: string; name: string } => ({ rxcui, name: fx.byRxcui.get(rxcui)!.drug.name });
