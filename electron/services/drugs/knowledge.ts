import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  allergyGroupsFile,
  controlledSubstancesFile,
  drugCatalogFile,
  duplicateClassesFile,
  interactionsFile,
  type ControlledSubstances,
  type DrugKnowledge,
} from '../../../shared/domain/drugs';
import { allergensFile, indexAllergens, type AllergenEntry, type AllergenIndex } from '../../../shared/domain/drugs-allergens';
import { indexKnowledge, type KnowledgeIndex } from '../../../shared/domain/med-checks';
import { summarize, zodIssues } from '../dispatch-errors';

export interface LoadedKnowledge {
  knowledge: DrugKnowledge;
  index: KnowledgeIndex;
  /** What the allergy picker offers: classes and allergens (allergens.json), then ingredients. */
  allergens: AllergenIndex;
  allergenEntries: AllergenEntry[];
  /** Federal schedules, for printing a controlled prescription. */
  controlled: ControlledSubstances;
}

const cache = new Map<string, LoadedKnowledge>();

function load<S extends z.ZodType>(dir: string, file: string, schema: S): z.output<S> {
  const path = join(dir, file);
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  // Important: a damaged knowledge file must stop the checks loudly, never run them on half the data.
  if (!parsed.success) throw new Error(`drug knowledge file ${path} is not valid: ${summarize(zodIssues(parsed.error))}`);
  return parsed.data;
}

/** The shipped drug knowledge (resources/drugs), validated and indexed once per process. */
export function loadDrugKnowledge(resourcesDir: string): LoadedKnowledge {
  let k = cache.get(resourcesDir);
  if (!k) {
    const dir = join(resourcesDir, 'drugs');
    const knowledge: DrugKnowledge = {
      drugs: load(dir, 'drugs.json', drugCatalogFile).drugs,
      interactions: load(dir, 'interactions.json', interactionsFile).interactions,
      allergyGroups: load(dir, 'allergy-groups.json', allergyGroupsFile).groups,
      duplicateClasses: load(dir, 'duplicate-classes.json', duplicateClassesFile).classes,
    };
    const allergenEntries = load(dir, 'allergens.json', allergensFile).allergens;
    k = {
      knowledge,
      index: indexKnowledge(knowledge),
      allergens: indexAllergens(allergenEntries, knowledge),
      allergenEntries,
      controlled: load(dir, 'controlled-substances.json', controlledSubstancesFile),
    };
    cache.set(resourcesDir, k);
  }
  return k;
}
