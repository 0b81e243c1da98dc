import type { AllergyGroup, DrugKnowledge, Interactant } from '../drugs';
import type { DrugFacts, InteractionSide, KnowledgeIndex, TermHit } from './check.types';

// The knowledge index: built once from the drug files, read by every check.

/** Lower case, runs of anything but letters and digits as one space: "ACE-Inhibitors" → "ace inhibitors". */
export function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const keyOf = (side: Interactant): string => ('ingredient' in side ? `i:${side.ingredient.toLowerCase()}` : `c:${side.class}`);

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the lookup maps. Linear in the size of the knowledge; a few milliseconds for the shipped files. */
export function indexKnowledge(k: DrugKnowledge): KnowledgeIndex {
  const byRxcui = new Map<string, DrugFacts>();
  const ingredientByRxcui = new Map<string, string>();
  const ingredientClasses = new Map<string, Set<string>>();
  const terms = new Map<string, TermHit>();
  const term = (text: string): TermHit => {
    const t = norm(text);
    let hit = terms.get(t);
    if (!hit) terms.set(t, (hit = { ingredients: new Set(), groups: new Set() }));
    return hit;
  };

  for (const d of k.drugs) {
    const ingredients = new Set(d.ingredients.map((i) => i.name.toLowerCase()));
    const classes = new Set(d.classes);
    const keys = new Set([...[...ingredients].map((i) => `i:${i}`), ...d.classes.map((c) => `c:${c}`)]);
    // First entry wins: a duplicated RXCUI in the data must not silently replace an earlier drug.
    if (!byRxcui.has(d.rxcui)) byRxcui.set(d.rxcui, { drug: d, ingredients, classes, keys });
    for (const i of d.ingredients) ingredientByRxcui.set(i.rxcui, i.name.toLowerCase());
    for (const i of ingredients) term(i).ingredients.add(i);
    // A class belongs to an ingredient only through single-ingredient drugs: trimethoprim is not a
    // sulfonamide just because sulfamethoxazole-trimethoprim is.
    const only = ingredients.size === 1 ? [...ingredients][0] : undefined;
    if (only !== undefined) {
      const set = ingredientClasses.get(only) ?? new Set<string>();
      for (const c of d.classes) set.add(c);
      ingredientClasses.set(only, set);
    }
    // "Allergic to Bactrim" is how patients say it: a brand points at its ingredients.
    for (const b of d.brands) for (const i of ingredients) term(b).ingredients.add(i);
  }

  const groupsByCode = new Map<string, AllergyGroup[]>();
  for (const g of k.allergyGroups) {
    for (const m of g.allergyMatches) {
      term(m).groups.add(g);
      addTo(groupsByCode, m.trim().toLowerCase(), g);
    }
  }
  terms.delete('');
  let maxTermWords = 1;
  for (const t of terms.keys()) maxTermWords = Math.max(maxTermWords, t.split(' ').length);

  const interactionsByKey = new Map<string, InteractionSide[]>();
  for (const rule of k.interactions) {
    const a = keyOf(rule.a);
    const b = keyOf(rule.b);
    addTo(interactionsByKey, a, { rule, other: b, sameKey: a === b });
    if (a !== b) addTo(interactionsByKey, b, { rule, other: a, sameKey: false });
  }

  const duplicateByClass = new Map(k.duplicateClasses.map((c) => [c.class, c] as const));
  const ingredientLimits = new Map(k.ingredientLimits.map((l) => [l.ingredient, l] as const));

  const searchable = k.drugs.map((d) => {
    // An ingredient-level entry is found by the product it describes ("meloxicam 15 MG Oral
    // Tablet"), so "meloxicam 15" still finds it and it ranks as the product it stands for.
    const name = norm(d.description ?? d.name);
    const others = [...(d.description ? [d.name] : []), ...d.brands, ...d.ingredients.map((i) => i.name)].map(norm);
    const words = [...new Set([name, ...others].flatMap((s) => s.split(' ')))];
    return { drug: d, name, others, words };
  });

  return {
    knowledge: k,
    byRxcui,
    ingredientByRxcui,
    ingredientClasses,
    interactionsByKey,
    terms,
    maxTermWords,
    groupsByCode,
    duplicateByClass,
    ingredientLimits,
    searchable,
  };
}
