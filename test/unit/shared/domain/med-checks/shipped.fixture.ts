import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import {
  allergyGroupsFile,
  drugCatalogFile,
  duplicateClassesFile,
  ingredientLimitsFile,
  interactionsFile,
  type DrugKnowledge,
} from '../../../../../shared/domain/drugs';
import { type CheckMedication, type CheckPatient, indexKnowledge } from '../../../../../shared/domain/med-checks';

export function load<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return schema.parse(JSON.parse(readFileSync(new URL(`../../../../../resources/drugs/${file}`, import.meta.url), 'utf8')));
}
export const SHIPPED: DrugKnowledge = {
  drugs: load('drugs.json', drugCatalogFile).drugs,
  interactions: load('interactions.json', interactionsFile).interactions,
  allergyGroups: load('allergy-groups.json', allergyGroupsFile).groups,
  duplicateClasses: load('duplicate-classes.json', duplicateClassesFile).classes,
  ingredientLimits: load('ingredient-limits.json', ingredientLimitsFile).limits,
};
export const shipped = indexKnowledge(SHIPPED);

/** Catalogue RXCUIs used by the table, with the ingredient each must contain (checked below, so a data change fails loudly here). */
export const RX = {
  warfarin5: ['855332', 'warfarin'],
  warfarin1: ['855288', 'warfarin'],
  ibuprofen200: ['310965', 'ibuprofen'],
  ibuprofenSusp: ['5640', 'ibuprofen'],
  naproxen500: ['198014', 'naproxen'],
  aspirin81: ['243670', 'aspirin'],
  acetaminophen325: ['313782', 'acetaminophen'],
  acetaminophenSusp: ['161', 'acetaminophen'],
  percocet: ['1049221', 'oxycodone'],
  ultracet: ['836395', 'tramadol'],
  tylenolCodeine: ['993781', 'codeine'],
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
  tmpSmxSusp: ['313134', 'trimethoprim'],
  azithromycin250: ['308460', 'azithromycin'],
  azithromycin500: ['248656', 'azithromycin'],
  clarithromycin500: ['197517', 'clarithromycin'],
} as const satisfies Record<string, readonly [string, string]>;
export type Rx = keyof typeof RX;
export const rx = (k: Rx): string => RX[k][0];
export const on = (...keys: Rx[]): CheckMedication[] => keys.map((k) => ({ rxcui: rx(k), name: shipped.byRxcui.get(rx(k))!.drug.name }));

export const childBorn = (birthDate: string, weightKg: number | null, weightDate: string | null): CheckPatient => ({
  birthDate,
  today: '2026-11-25',
  weightKg,
  weightDate,
});
/** Six years old, 20 kg weighed five days ago. */
export const CHILD_20KG = childBorn('2020-06-01', 20, '2026-11-20');
