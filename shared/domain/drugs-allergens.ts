import { z } from 'zod';
import { SUBSTANCE_TYPES } from './clinical';
import type { DrugKnowledge } from './drugs';

/**
 * What an allergy is recorded against: a drug class ("Penicillins", "Sulfonamide antibiotics"), a
 * single ingredient (RxNorm ingredient RXCUI), or a food / environmental allergen — never a drug
 * product ("Penicillin V Potassium 500 MG Oral Tablet"), which is not what a patient is allergic to.
 * Classes and other allergens ship in resources/drugs/allergens.json; ingredients come from drugs.json.
 */
export const allergenEntry = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'allergen ids are lower-case kebab-case'),
  /** What the list shows and what is recorded as the allergy's substance: the checks read these words. */
  name: z.string().trim().min(2).max(80),
  type: z.enum(SUBSTANCE_TYPES),
  /** Other words people use ("sulfa", "pcn"), for search only. */
  also: z.array(z.string().trim().min(2).max(60)).default([]),
  /** The cross-sensitivity groups (allergy-groups.json ids) the name triggers; empty for non-drugs. */
  groups: z.array(z.string().min(1)).default([]),
  sources: z.array(z.string()).min(1),
});
export type AllergenEntry = z.infer<typeof allergenEntry>;

export const allergensFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), url: z.string().optional() })).min(1),
  allergens: z.array(allergenEntry).min(1),
});

export const ALLERGEN_KINDS = ['class', 'ingredient', 'allergen'] as const;
export const allergenHit = z.object({
  /** Stored as the allergy's code: an RxNorm ingredient RXCUI, or `cairn-allergen:<id>`. */
  code: z.string(),
  name: z.string(),
  type: z.enum(SUBSTANCE_TYPES),
  kind: z.enum(ALLERGEN_KINDS),
});
export type AllergenHit = z.infer<typeof allergenHit>;

/** The code recorded for a class or non-drug allergen of allergens.json. */
export const allergenCode = (id: string): string => `cairn-allergen:${id}`;

interface Searchable {
  hit: AllergenHit;
  names: string[];
  words: string[];
}

export interface AllergenIndex {
  readonly entries: readonly Searchable[];
}

const fold = (s: string): string =>
  s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');

/**
 * Salt and ester words after an ingredient's first word are not what an allergy is to, and must not
 * answer a search: "sulfa" must not offer "ferrous sulfate" (nor, among products, morphine sulfate).
 */
const SALT_WORDS = new Set([
  'sulfate',
  'chloride',
  'carbonate',
  'etexilate',
  'benzathine',
  'hydrochloride',
  'mesylate',
  'maleate',
  'tartrate',
  'succinate',
  'acetate',
  'citrate',
  'phosphate',
  'bromide',
  'dinitrate',
  'mononitrate',
  'sodium',
  'potassium',
]);

/** Builds the picker's haystack once: classes and allergens first (file order), then ingredients. */
export function indexAllergens(allergens: readonly AllergenEntry[], knowledge: Pick<DrugKnowledge, 'drugs'>): AllergenIndex {
  const entries: Searchable[] = allergens.map((a) => {
    const names = [a.name, ...a.also].map(fold);
    return {
      hit: { code: allergenCode(a.id), name: a.name, type: a.type, kind: a.groups.length > 0 ? 'class' : 'allergen' },
      names,
      words: [...new Set(names.flatMap((n) => n.split(' ')))],
    };
  });
  const seen = new Set<string>();
  for (const d of knowledge.drugs) {
    for (const i of d.ingredients) {
      if (seen.has(i.rxcui)) continue;
      seen.add(i.rxcui);
      const name = fold(i.name);
      const words = name.split(' ').filter((w, n) => n === 0 || !SALT_WORDS.has(w));
      const label = i.name.charAt(0).toUpperCase() + i.name.slice(1);
      entries.push({ hit: { code: i.rxcui, name: label, type: 'drug', kind: 'ingredient' }, names: [name], words });
    }
  }
  return { entries };
}

/**
 * Allergens for the picker: every word typed must start a word of the name or another name. An
 * exact name first, then names that start with the query, then other matches; classes before
 * ingredients at the same rank.
 */
export function searchAllergens(index: AllergenIndex, query: string, limit = 12): AllergenHit[] {
  const q = fold(query);
  if (q === '' || limit <= 0) return [];
  const tokens = q.split(' ');
  const scored: { hit: AllergenHit; score: number; order: number }[] = [];
  index.entries.forEach((e, order) => {
    let score: number;
    if (e.names.includes(q)) score = 0;
    else if (e.names[0]!.startsWith(q)) score = 1;
    else if (e.names.some((n) => n.startsWith(q))) score = 2;
    else if (tokens.every((t) => e.words.some((w) => w.startsWith(t)))) score = 3;
    else return;
    scored.push({ hit: e.hit, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.hit);
}
