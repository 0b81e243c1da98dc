import {
  allergyGroupsFile,
  controlledSubstancesFile,
  drugCatalogFile,
  duplicateClassesFile,
  ingredientLimitsFile,
  interactionsFile,
  type ControlledSubstances,
  type DrugKnowledge,
} from '../../../shared/domain/drugs';
import { allergensFile, indexAllergens, type AllergenEntry, type AllergenIndex } from '../../../shared/domain/drugs-allergens';
import { indexKnowledge, type KnowledgeIndex } from '../../../shared/domain/med-checks';
import type { Resources } from '../resources/resources';

export interface LoadedKnowledge {
  knowledge: DrugKnowledge;
  index: KnowledgeIndex;
  /** What the allergy picker offers: classes and allergens (allergens.json), then ingredients. */
  allergens: AllergenIndex;
  allergenEntries: AllergenEntry[];
  /** Federal schedules, for printing a controlled prescription. */
  controlled: ControlledSubstances;
}

/**
 * The shipped drug knowledge (resources/drugs), validated and indexed once per session.
 * Important: a damaged knowledge file must stop the checks loudly (a ResourceError naming the file
 * and the JSON path), never run them on half the data.
 */
export function loadDrugKnowledge(resources: Resources): LoadedKnowledge {
  return resources.derived('drugs', () => {
    const knowledge: DrugKnowledge = {
      drugs: resources.json('drugs/drugs.json', drugCatalogFile).drugs,
      interactions: resources.json('drugs/interactions.json', interactionsFile).interactions,
      allergyGroups: resources.json('drugs/allergy-groups.json', allergyGroupsFile).groups,
      duplicateClasses: resources.json('drugs/duplicate-classes.json', duplicateClassesFile).classes,
      ingredientLimits: resources.json('drugs/ingredient-limits.json', ingredientLimitsFile).limits,
    };
    const allergenEntries = resources.json('drugs/allergens.json', allergensFile).allergens;
    return {
      knowledge,
      index: indexKnowledge(knowledge),
      allergens: indexAllergens(allergenEntries, knowledge),
      allergenEntries,
      controlled: resources.json('drugs/controlled-substances.json', controlledSubstancesFile),
    };
  });
}
