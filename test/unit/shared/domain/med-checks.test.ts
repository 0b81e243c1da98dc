import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  allergyGroupsFile,
  drugCatalogFile,
  duplicateClassesFile,
  interactionsFile,
  type Drug,
  type DrugKnowledge,
  type MedAlert,
} from '../../../../shared/domain/drugs';
import {
  type CheckAllergy,
  type CheckContext,
  type CheckMedication,
  checkNewAllergy,
  checkNewDrug,
  type CheckPatient,
  indexKnowledge,
  type KnowledgeIndex,
  type ProposedDose,
  searchDrugs,
} from '../../../../shared/domain/med-checks';

// ---------------------------------------------------------------- helpers

const ADULT: CheckPatient = { birthDate: '1970-05-05', today: '2026-11-25', weightKg: 80, weightDate: '2026-11-01' };

type Pick3 = Pick<MedAlert, 'kind' | 'severity' | 'ruleId'>;
const brief = (alerts: MedAlert[]): Pick3[] => alerts.map(({ kind, severity, ruleId }) => ({ kind, severity, ruleId }));

/** A recorded, active allergy; a code when given. */
const allergyTo = (substance: string, substanceCode: string | null = null): CheckAllergy => ({ substance, substanceCode, kind: 'allergy', status: 'active' });

function ctxFor(
  index: KnowledgeIndex,
  meds: { rxcui: string | null; name: string }[],
  allergies: CheckAllergy[] = [],
  patient: CheckPatient = ADULT,
): CheckContext & { index: KnowledgeIndex } {
  return { knowledge: index.knowledge, index, medications: meds, allergies, patient };
}

// ---------------------------------------------------------------- the shipped knowledge (resources/drugs)

function load<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return schema.parse(JSON.parse(readFileSync(new URL(`../../../../resources/drugs/${file}`, import.meta.url), 'utf8')));
}
const SHIPPED: DrugKnowledge = {
  drugs: load('drugs.json', drugCatalogFile).drugs,
  interactions: load('interactions.json', interactionsFile).interactions,
  allergyGroups: load('allergy-groups.json', allergyGroupsFile).groups,
  duplicateClasses: load('duplicate-classes.json', duplicateClassesFile).classes,
};
const shipped = indexKnowledge(SHIPPED);

/** Catalogue RXCUIs used by the table, with the ingredient each must contain (checked below, so a data change fails loudly here). */
const RX = {
  warfarin5: ['855332', 'warfarin'],
  warfarin1: ['855288', 'warfarin'],
  ibuprofen200: ['310965', 'ibuprofen'],
  ibuprofenSusp: ['5640', 'ibuprofen'],
  naproxen500: ['198014', 'naproxen'],
  aspirin81: ['243670', 'aspirin'],
  acetaminophen325: ['313782', 'acetaminophen'],
  acetaminophenSusp: ['161', 'acetaminophen'],
  percocet: ['1049221', 'oxycodone'],
  oxycodone5: ['1049621', 'oxycodone'],
  codeine30: ['997287', 'codeine'],
  tramadol50: ['835603', 'tramadol'],
  alprazolam05: ['308048', 'alprazolam'],
  lorazepam1: ['197901', 'lorazepam'],
  sertraline50: ['312941', 'sertraline'],
  fluoxetine20: ['310385', 'fluoxetine'],
  citalopram20: ['200371', 'citalopram'],
  phenelzine15: ['312347', 'phenelzine'],
  tranylcypromine10: ['313447', 'tranylcypromine'],
  sumatriptan50: ['37418', 'sumatriptan'],
  sildenafil50: ['136411', 'sildenafil'],
  nitroglycerinSL: ['4917', 'nitroglycerin'],
  lisinopril10: ['314076', 'lisinopril'],
  enalapril10: ['858817', 'enalapril'],
  losartan50: ['979492', 'losartan'],
  spironolactone25: ['313096', 'spironolactone'],
  amlodipine5: ['197361', 'amlodipine'],
  hctz25: ['310798', 'hydrochlorothiazide'],
  furosemide40: ['313988', 'furosemide'],
  metformin500: ['861007', 'metformin'],
  atorvastatin20: ['617310', 'atorvastatin'],
  simvastatin20: ['312961', 'simvastatin'],
  levothyroxine75: ['966222', 'levothyroxine'],
  amoxicillin500: ['308191', 'amoxicillin'],
  amoxicillinSusp: ['239191', 'amoxicillin'],
  augmentin875: ['562508', 'clavulanate'],
  cephalexin500: ['309114', 'cephalexin'],
  tmpSmxDS: ['198335', 'sulfamethoxazole'],
  azithromycin250: ['308460', 'azithromycin'],
  azithromycin500: ['248656', 'azithromycin'],
  clarithromycin500: ['197517', 'clarithromycin'],
} as const satisfies Record<string, readonly [string, string]>;
type Rx = keyof typeof RX;
const rx = (k: Rx): string => RX[k][0];
const on = (...keys: Rx[]): CheckMedication[] => keys.map((k) => ({ rxcui: rx(k), name: shipped.byRxcui.get(rx(k))!.drug.name }));

const childBorn = (birthDate: string, weightKg: number | null, weightDate: string | null): CheckPatient => ({
  birthDate,
  today: '2026-11-25',
  weightKg,
  weightDate,
});
/** Six years old, 20 kg weighed five days ago. */
const CHILD_20KG = childBorn('2020-06-01', 20, '2026-11-20');

interface Case {
  name: string;
  drug: Rx;
  meds?: Rx[];
  allergies?: CheckAllergy[];
  patient?: CheckPatient;
  dose?: ProposedDose;
  expected: Pick3[];
}
const dd = (severity: MedAlert['severity'], ruleId: string): Pick3 => ({ kind: 'drug-drug', severity, ruleId });
const da = (severity: MedAlert['severity'], ruleId: string): Pick3 => ({ kind: 'drug-allergy', severity, ruleId });
const dup = (severity: MedAlert['severity'], ruleId: string): Pick3 => ({ kind: 'duplicate', severity, ruleId });
const dose = (ruleId: string): Pick3 => ({ kind: 'dose', severity: 'major', ruleId });
const mg = (amount: number, perDay: number | null): ProposedDose => ({ amount, unit: 'mg', perDay });

const CASES: Case[] = [
  // Drug–drug: interacting pairs, both orders.
  { name: 'warfarin + ibuprofen', drug: 'ibuprofen200', meds: ['warfarin5'], expected: [dd('major', 'vka-nsaid')] },
  { name: 'ibuprofen + warfarin', drug: 'warfarin5', meds: ['ibuprofen200'], expected: [dd('major', 'vka-nsaid')] },
  { name: 'sildenafil on nitroglycerin', drug: 'sildenafil50', meds: ['nitroglycerinSL'], expected: [dd('contraindicated', 'nitrate-pde5')] },
  { name: 'nitroglycerin on sildenafil', drug: 'nitroglycerinSL', meds: ['sildenafil50'], expected: [dd('contraindicated', 'nitrate-pde5')] },
  { name: 'phenelzine on sertraline', drug: 'phenelzine15', meds: ['sertraline50'], expected: [dd('contraindicated', 'onc-ssri-maoi')] },
  { name: 'sertraline on phenelzine', drug: 'sertraline50', meds: ['phenelzine15'], expected: [dd('contraindicated', 'onc-ssri-maoi')] },
  { name: 'tramadol on sertraline', drug: 'tramadol50', meds: ['sertraline50'], expected: [dd('major', 'tramadol-ssri')] },
  { name: 'sertraline on tramadol', drug: 'sertraline50', meds: ['tramadol50'], expected: [dd('major', 'tramadol-ssri')] },
  { name: 'TMP-SMX on warfarin', drug: 'tmpSmxDS', meds: ['warfarin5'], expected: [dd('major', 'warfarin-smx')] },
  { name: 'warfarin on TMP-SMX', drug: 'warfarin1', meds: ['tmpSmxDS'], expected: [dd('major', 'warfarin-smx')] },
  { name: 'clarithromycin on simvastatin', drug: 'clarithromycin500', meds: ['simvastatin20'], expected: [dd('contraindicated', 'onc-statin-cyp3a4')] },
  { name: 'simvastatin on clarithromycin', drug: 'simvastatin20', meds: ['clarithromycin500'], expected: [dd('contraindicated', 'onc-statin-cyp3a4')] },
  { name: 'azithromycin on citalopram (two QT drugs)', drug: 'azithromycin250', meds: ['citalopram20'], expected: [dd('major', 'qt-qt')] },
  { name: 'citalopram on azithromycin', drug: 'citalopram20', meds: ['azithromycin250'], expected: [dd('major', 'qt-qt')] },
  { name: 'spironolactone on lisinopril', drug: 'spironolactone25', meds: ['lisinopril10'], expected: [dd('major', 'k-sparing-acei')] },
  { name: 'losartan on lisinopril', drug: 'losartan50', meds: ['lisinopril10'], expected: [dd('major', 'acei-arb')] },
  { name: 'alprazolam on oxycodone', drug: 'alprazolam05', meds: ['oxycodone5'], expected: [dd('major', 'opioid-benzodiazepine')] },
  { name: 'oxycodone on alprazolam', drug: 'oxycodone5', meds: ['alprazolam05'], expected: [dd('major', 'opioid-benzodiazepine')] },
  {
    name: 'lorazepam on Percocet (combination matches the opioid class)',
    drug: 'lorazepam1',
    meds: ['percocet'],
    expected: [dd('major', 'opioid-benzodiazepine')],
  },
  { name: 'sumatriptan on phenelzine', drug: 'sumatriptan50', meds: ['phenelzine15'], expected: [dd('contraindicated', 'onc-triptan-maoi')] },
  { name: 'ibuprofen on lisinopril', drug: 'ibuprofen200', meds: ['lisinopril10'], expected: [dd('moderate', 'nsaid-acei')] },
  { name: 'ibuprofen on sertraline', drug: 'ibuprofen200', meds: ['sertraline50'], expected: [dd('moderate', 'ssri-nsaid')] },
  { name: 'ibuprofen on aspirin', drug: 'ibuprofen200', meds: ['aspirin81'], expected: [dd('moderate', 'nsaid-salicylate')] },
  { name: 'aspirin on warfarin', drug: 'aspirin81', meds: ['warfarin5'], expected: [dd('major', 'vka-antiplatelet')] },
  {
    name: 'warfarin on ibuprofen + aspirin + lisinopril: one alert per interacting medication, most severe first',
    drug: 'warfarin5',
    meds: ['lisinopril10', 'aspirin81', 'ibuprofen200'],
    expected: [dd('major', 'vka-antiplatelet'), dd('major', 'vka-nsaid')],
  },
  // Drug–drug: safe pairs.
  { name: 'lisinopril + amlodipine', drug: 'amlodipine5', meds: ['lisinopril10'], expected: [] },
  { name: 'metformin + atorvastatin', drug: 'atorvastatin20', meds: ['metformin500'], expected: [] },
  { name: 'acetaminophen + warfarin (no rule in the data)', drug: 'acetaminophen325', meds: ['warfarin5'], expected: [] },
  { name: 'amoxicillin + ibuprofen', drug: 'amoxicillin500', meds: ['ibuprofen200'], expected: [] },
  { name: 'levothyroxine + atorvastatin', drug: 'levothyroxine75', meds: ['atorvastatin20'], expected: [] },
  { name: 'hydrochlorothiazide + lisinopril', drug: 'hctz25', meds: ['lisinopril10'], expected: [] },
  { name: 'sertraline + amlodipine', drug: 'sertraline50', meds: ['amlodipine5'], expected: [] },
  { name: 'azithromycin + ibuprofen', drug: 'azithromycin250', meds: ['ibuprofen200'], expected: [] },
  { name: 'no medications at all', drug: 'warfarin5', expected: [] },
  // Allergies.
  {
    name: 'penicillin allergy → amoxicillin',
    drug: 'amoxicillin500',
    allergies: [allergyTo('Penicillin')],
    expected: [da('contraindicated', 'penicillin-penicillins')],
  },
  {
    name: 'penicillin allergy → cephalexin',
    drug: 'cephalexin500',
    allergies: [allergyTo('Penicillin')],
    expected: [da('moderate', 'penicillin-cephalosporins')],
  },
  { name: '"PCN" → Augmentin', drug: 'augmentin875', allergies: [allergyTo('PCN - hives')], expected: [da('contraindicated', 'penicillin-penicillins')] },
  {
    name: 'amoxicillin allergy → amoxicillin: the ingredient itself',
    drug: 'amoxicillinSusp',
    allergies: [allergyTo('amoxicillin')],
    expected: [da('contraindicated', 'allergy-ingredient:amoxicillin')],
  },
  { name: 'sulfa allergy → TMP-SMX', drug: 'tmpSmxDS', allergies: [allergyTo('Sulfa')], expected: [da('contraindicated', 'sulfonamide-antibiotic')] },
  { name: 'sulfa allergy → hydrochlorothiazide: not cross-reactive', drug: 'hctz25', allergies: [allergyTo('Sulfa')], expected: [] },
  { name: 'sulfa drugs allergy → furosemide: not cross-reactive', drug: 'furosemide40', allergies: [allergyTo('sulfa drugs')], expected: [] },
  {
    name: 'Bactrim allergy (brand) → TMP-SMX: the ingredient',
    drug: 'tmpSmxDS',
    allergies: [allergyTo('Bactrim')],
    expected: [da('contraindicated', 'allergy-ingredient:sulfamethoxazole')],
  },
  { name: 'aspirin allergy → naproxen', drug: 'naproxen500', allergies: [allergyTo('Aspirin')], expected: [da('contraindicated', 'nsaid-aspirin')] },
  {
    name: 'ibuprofen allergy → aspirin (salicylate)',
    drug: 'aspirin81',
    allergies: [allergyTo('ibuprofen')],
    expected: [da('contraindicated', 'nsaid-aspirin')],
  },
  {
    name: 'ibuprofen allergy → ibuprofen',
    drug: 'ibuprofenSusp',
    allergies: [allergyTo('Ibuprofen')],
    expected: [da('contraindicated', 'allergy-ingredient:ibuprofen')],
  },
  {
    name: 'Tylenol allergy (brand) → acetaminophen',
    drug: 'acetaminophen325',
    allergies: [allergyTo('Tylenol')],
    expected: [da('contraindicated', 'allergy-ingredient:acetaminophen')],
  },
  {
    name: 'ACE inhibitor angioedema → losartan',
    drug: 'losartan50',
    allergies: [allergyTo('ACE inhibitor (angioedema)')],
    expected: [da('moderate', 'ace-inhibitor-arbs')],
  },
  {
    name: 'lisinopril angioedema → losartan',
    drug: 'losartan50',
    allergies: [allergyTo('lisinopril - angioedema')],
    expected: [da('moderate', 'ace-inhibitor-arbs')],
  },
  {
    name: 'lisinopril angioedema → enalapril',
    drug: 'enalapril10',
    allergies: [allergyTo('lisinopril - angioedema')],
    expected: [da('contraindicated', 'ace-inhibitor-ace-inhibitors')],
  },
  {
    name: 'codeine allergy → oxycodone: the named group wins the tie',
    drug: 'oxycodone5',
    allergies: [allergyTo('codeine')],
    expected: [da('moderate', 'phenanthrene-opioids')],
  },
  {
    name: 'tramadol allergy → oxycodone: through the opioid class',
    drug: 'oxycodone5',
    allergies: [allergyTo('tramadol')],
    expected: [da('moderate', 'opioid-opioids')],
  },
  {
    name: 'coded allergy (amoxicillin capsule RXCUI) → cephalexin',
    drug: 'cephalexin500',
    allergies: [allergyTo('antibiotic from urgent care', '308191')],
    expected: [da('moderate', 'penicillin-cephalosporins')],
  },
  {
    name: 'erythromycin allergy → azithromycin',
    drug: 'azithromycin500',
    allergies: [allergyTo('Erythromycin')],
    expected: [da('contraindicated', 'macrolide-macrolides')],
  },
  {
    name: 'resolved penicillin allergy → amoxicillin: not checked',
    drug: 'amoxicillin500',
    allergies: [{ ...allergyTo('Penicillin'), status: 'resolved' }],
    expected: [],
  },
  { name: 'NKA → amoxicillin', drug: 'amoxicillin500', allergies: [{ substance: null, substanceCode: null, kind: 'nka', status: 'active' }], expected: [] },
  { name: 'penicillin allergy → azithromycin', drug: 'azithromycin250', allergies: [allergyTo('penicillin')], expected: [] },
  // Duplicate therapy.
  { name: 'two SSRIs', drug: 'fluoxetine20', meds: ['sertraline50'], expected: [dup('major', 'duplicate-class:ssri')] },
  { name: 'ibuprofen + naproxen', drug: 'naproxen500', meds: ['ibuprofen200'], expected: [dup('major', 'duplicate-class:nsaid')] },
  { name: 'warfarin twice (two strengths)', drug: 'warfarin1', meds: ['warfarin5'], expected: [dup('major', 'duplicate-ingredient:warfarin')] },
  { name: 'the same product twice', drug: 'lisinopril10', meds: ['lisinopril10'], expected: [dup('major', 'duplicate-ingredient:lisinopril')] },
  {
    name: 'acetaminophen on Percocet (hidden in the combination)',
    drug: 'acetaminophen325',
    meds: ['percocet'],
    expected: [dup('major', 'duplicate-ingredient:acetaminophen')],
  },
  {
    name: 'azithromycin 250 + 500: a duplicate, not a QT interaction',
    drug: 'azithromycin500',
    meds: ['azithromycin250'],
    expected: [dup('major', 'duplicate-ingredient:azithromycin')],
  },
  { name: 'atorvastatin + simvastatin', drug: 'simvastatin20', meds: ['atorvastatin20'], expected: [dup('moderate', 'duplicate-class:statin')] },
  { name: 'two MAOIs', drug: 'tranylcypromine10', meds: ['phenelzine15'], expected: [dup('contraindicated', 'duplicate-class:maoi')] },
  // Adult dose range.
  { name: 'acetaminophen 1000 mg q6h = 4000 mg/day: at the maximum', drug: 'acetaminophen325', dose: mg(1000, 4), expected: [] },
  { name: 'acetaminophen 1000 mg q4h = 6000 mg/day', drug: 'acetaminophen325', dose: mg(1000, 6), expected: [dose('dose-adult-max-daily')] },
  { name: 'acetaminophen 2 tablets (650 mg) q4h = 3900 mg/day', drug: 'acetaminophen325', dose: { amount: 2, unit: 'tablet', perDay: 6 }, expected: [] },
  {
    name: 'acetaminophen 4 tablets (1300 mg) once',
    drug: 'acetaminophen325',
    dose: { amount: 4, unit: 'tablet', perDay: 1 },
    expected: [dose('dose-adult-max-single')],
  },
  { name: 'ibuprofen 800 mg tid', drug: 'ibuprofen200', dose: mg(800, 3), expected: [] },
  { name: 'ibuprofen 800 mg q4h = 4800 mg/day', drug: 'ibuprofen200', dose: mg(800, 6), expected: [dose('dose-adult-max-daily')] },
  { name: 'ibuprofen 801 mg once', drug: 'ibuprofen200', dose: mg(801, 1), expected: [dose('dose-adult-max-single')] },
  { name: 'ibuprofen 0.8 g qid = 3200 mg/day (grams converted)', drug: 'ibuprofen200', dose: { amount: 0.8, unit: 'g', perDay: 4 }, expected: [] },
  { name: 'sertraline 250 mg daily', drug: 'sertraline50', dose: mg(250, 1), expected: [dose('dose-adult-max-single'), dose('dose-adult-max-daily')] },
  { name: 'levothyroxine 0.3 mg daily = 300 mcg', drug: 'levothyroxine75', dose: mg(0.3, 1), expected: [] },
  {
    name: 'levothyroxine 325 mcg daily',
    drug: 'levothyroxine75',
    dose: { amount: 325, unit: 'mcg', perDay: 1 },
    expected: [dose('dose-adult-max-single'), dose('dose-adult-max-daily')],
  },
  { name: 'Percocet 2 tablets q4h = 12 tablets/day', drug: 'percocet', dose: { amount: 2, unit: 'tablet', perDay: 6 }, expected: [] },
  {
    name: 'Percocet 2 tablets q3h = 16 tablets/day',
    drug: 'percocet',
    dose: { amount: 2, unit: 'tablet', perDay: 8 },
    expected: [dose('dose-adult-max-daily')],
  },
  {
    name: 'ibuprofen 1200 mg "as needed" with no interval: the single dose is still checked',
    drug: 'ibuprofen200',
    dose: mg(1200, null),
    expected: [dose('dose-adult-max-single')],
  },
  // Pediatric dose range (amoxicillin 45 mg/kg/dose, 90 mg/kg/day; ibuprofen 10 mg/kg/dose, cap 400 mg).
  {
    name: '20 kg child: amoxicillin 900 mg bid = 45 mg/kg/dose, 90 mg/kg/day',
    drug: 'amoxicillinSusp',
    patient: CHILD_20KG,
    dose: { amount: 18, unit: 'mL', perDay: 2 },
    expected: [],
  },
  {
    name: '20 kg child: amoxicillin 900 mg tid = 2700 mg/day',
    drug: 'amoxicillinSusp',
    patient: CHILD_20KG,
    dose: { amount: 18, unit: 'mL', perDay: 3 },
    expected: [dose('dose-pediatric-max-daily')],
  },
  {
    name: '20 kg child: amoxicillin 1000 mg bid',
    drug: 'amoxicillinSusp',
    patient: CHILD_20KG,
    dose: mg(1000, 2),
    expected: [dose('dose-pediatric-max-single'), dose('dose-pediatric-max-daily')],
  },
  { name: '20 kg child: amoxicillin 400 mg tid', drug: 'amoxicillinSusp', patient: CHILD_20KG, dose: mg(400, 3), expected: [] },
  {
    name: 'child weighed 31 days ago: not computed',
    drug: 'amoxicillinSusp',
    patient: childBorn('2020-06-01', 20, '2026-10-25'),
    dose: mg(900, 3),
    expected: [dose('dose-weight-stale')],
  },
  {
    name: 'child weighed 30 days ago: computed',
    drug: 'amoxicillinSusp',
    patient: childBorn('2020-06-01', 20, '2026-10-26'),
    dose: mg(900, 3),
    expected: [dose('dose-pediatric-max-daily')],
  },
  {
    name: 'child never weighed',
    drug: 'amoxicillinSusp',
    patient: childBorn('2020-06-01', null, null),
    dose: mg(400, 3),
    expected: [dose('dose-weight-missing')],
  },
  {
    name: 'child never weighed, dose over the absolute cap: both',
    drug: 'amoxicillinSusp',
    patient: childBorn('2020-06-01', null, null),
    dose: mg(2500, 2),
    expected: [dose('dose-weight-missing'), dose('dose-pediatric-max-single'), dose('dose-pediatric-max-daily')],
  },
  {
    name: '60 kg 15-year-old: ibuprofen 600 mg is over the 400 mg cap though under 10 mg/kg',
    drug: 'ibuprofen200',
    patient: childBorn('2011-01-01', 60, '2026-11-01'),
    dose: mg(600, 3),
    expected: [dose('dose-pediatric-max-single')],
  },
  {
    name: '20 kg child: ibuprofen 200 mg q6h = 10 mg/kg/dose, 40 mg/kg/day',
    drug: 'ibuprofenSusp',
    patient: CHILD_20KG,
    dose: { amount: 10, unit: 'mL', perDay: 4 },
    expected: [],
  },
  {
    name: '5-month-old: ibuprofen is for 6 months and up',
    drug: 'ibuprofenSusp',
    patient: childBorn('2026-06-20', 7, '2026-11-20'),
    dose: mg(50, 3),
    expected: [dose('dose-pediatric-min-age')],
  },
  { name: 'exactly 18 today: adult limits', drug: 'ibuprofen200', patient: childBorn('2008-11-25', null, null), dose: mg(800, 3), expected: [] },
  {
    name: '17-year-old without pediatric dosing on file: held to the adult maximum',
    drug: 'sertraline50',
    patient: childBorn('2009-01-01', 60, '2026-11-01'),
    dose: mg(250, 1),
    expected: [dose('dose-adult-max-single'), dose('dose-adult-max-daily')],
  },
  // Several kinds at once, sorted by severity.
  {
    name: 'ibuprofen for a patient on warfarin and naproxen with an aspirin allergy, at 800 mg q4h',
    drug: 'ibuprofen200',
    meds: ['warfarin5', 'naproxen500'],
    allergies: [allergyTo('aspirin')],
    dose: mg(800, 6),
    expected: [da('contraindicated', 'nsaid-aspirin'), dd('major', 'vka-nsaid'), dup('major', 'duplicate-class:nsaid'), dose('dose-adult-max-daily')],
  },
];

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

// ---------------------------------------------------------------- a small inline knowledge fixture: the rules' mechanics

function drug(rxcui: string, name: string, ingredients: string[], classes: string[], extra: Partial<Drug> = {}): Drug {
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

const FIXTURE: DrugKnowledge = {
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
};
const fx = indexKnowledge(FIXTURE);
const med = (rxcui: string): { rxcui: string; name: string } => ({ rxcui, name: fx.byRxcui.get(rxcui)!.drug.name });

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

describe('searchDrugs', () => {
  const names = (q: string, limit?: number): string[] => searchDrugs(fx, q, limit).map((d) => d.rxcui);
  it('finds by name, brand, ingredient, word prefixes and RXCUI prefix; best first', () => {
    expect(names('warfarin')).toEqual(['100', '101']);
    expect(names('coumadin')).toEqual(['100']);
    expect(names('Advil')).toEqual(['200']);
    expect(names('azith 500')).toEqual(['301']);
    expect(names('trimethoprim')).toEqual(['401', '400']);
    expect(names('30')).toEqual(['300', '301', '302', '700']);
    expect(names('ibu')).toEqual(['200']);
    expect(names('warf', 1)).toEqual(['100']);
  });
  it('nothing for an empty query or no match', () => {
    expect(names('  ')).toEqual([]);
    expect(names('zzz')).toEqual([]);
  });
});
