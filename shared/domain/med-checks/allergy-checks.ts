import type { AlertSeverity, AllergyGroup, MedAlert } from '../drugs';
import type { CheckAllergy, DrugFacts, KnowledgeIndex } from './check.types';
import { norm } from './knowledge-index';

// Allergies: an allergy's text or code resolved against the catalogue, and the drug–allergy alert.

interface ResolvedAllergy {
  /** What alerts call the allergy: its text, or its code when there is no text. */
  label: string;
  /** Ingredients the allergy names, directly, by brand, or through its coded drug. */
  ingredients: Set<string>;
  /**
   * Cross-sensitivity groups the allergy belongs to: true when the allergy names a member (text,
   * code or ingredient), false when only its class does. A named group wins a tie, so a codeine
   * allergy reads as the curated codeine/morphine group, not the generic opioid one.
   */
  groups: Map<AllergyGroup, boolean>;
}

/**
 * Works out what an allergy refers to. Text is matched as whole words and phrases (so "sulfa" does
 * not match inside "sulfasalazine"), with a plural "s" allowed ("Penicillins", "NSAIDs").
 */
export function resolveAllergy(index: KnowledgeIndex, substance: string | null, code: string | null): ResolvedAllergy {
  const ingredients = new Set<string>();
  const groups = new Map<AllergyGroup, boolean>();
  const classes = new Set<string>();
  const take = (t: string, named = true): void => {
    const hit = index.terms.get(t);
    if (!hit) return;
    for (const i of hit.ingredients) ingredients.add(i);
    for (const g of hit.groups) if (named || !groups.has(g)) groups.set(g, named);
  };

  if (substance) {
    const words = norm(substance).split(' ');
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= index.maxTermWords && i + n <= words.length; n++) {
        const phrase = words.slice(i, i + n).join(' ');
        take(phrase);
        if (phrase.length > 3 && phrase.endsWith('s')) take(phrase.slice(0, -1));
      }
    }
  }
  const c = code?.trim();
  if (c) {
    const coded = index.byRxcui.get(c);
    if (coded) {
      for (const i of coded.ingredients) ingredients.add(i);
      for (const cl of coded.classes) classes.add(cl);
    }
    const ing = index.ingredientByRxcui.get(c);
    if (ing) ingredients.add(ing);
    for (const g of index.groupsByCode.get(c.toLowerCase()) ?? []) groups.set(g, true);
  }
  // An allergy to triazolam belongs to the benzodiazepine group whether the group lists the
  // ingredient or only its class.
  for (const i of ingredients) {
    take(i);
    for (const cl of index.ingredientClasses.get(i) ?? []) classes.add(cl);
  }
  for (const cl of classes) take(norm(cl), false);

  return { label: substance?.trim() || c || 'unnamed allergy', ingredients, groups };
}

/** Sort order of alerts, most severe first. */
export const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { contraindicated: 0, major: 1, moderate: 2 };

/** The one alert for an allergy against a drug: a direct ingredient match, else the most severe group. */
export function allergyAlert(allergy: ResolvedAllergy, d: DrugFacts, drugLabel: string, withLabel: string): MedAlert | null {
  const shared = [...allergy.ingredients].filter((i) => d.ingredients.has(i));
  if (shared.length > 0) {
    return {
      kind: 'drug-allergy',
      severity: 'contraindicated',
      message: `Allergy to ${allergy.label}: ${drugLabel} contains ${shared.join(' and ')}.`,
      with: withLabel,
      source: d.drug.sources.join(', '),
      ruleId: `allergy-ingredient:${shared[0] ?? ''}`,
    };
  }
  let best: AllergyGroup | null = null;
  let bestNamed = false;
  for (const [g, named] of allergy.groups) {
    if (!g.alertsOnClasses.some((cl) => d.classes.has(cl))) continue;
    const rank = (x: AllergyGroup): number => SEVERITY_RANK[x.severity];
    if (!best || rank(g) < rank(best) || (rank(g) === rank(best) && named && !bestNamed)) {
      best = g;
      bestNamed = named;
    }
  }
  if (!best) return null;
  return {
    kind: 'drug-allergy',
    severity: best.severity,
    message: `Allergy to ${allergy.label} and ${drugLabel}: ${best.message}`,
    with: withLabel,
    source: best.sources.join(', '),
    ruleId: best.id,
  };
}

/** Active, real allergies only: "no known allergies" and resolved/inactive entries check nothing. */
export const isActiveAllergy = (a: CheckAllergy): boolean =>
  a.kind === 'allergy' && a.status.toLowerCase() === 'active' && Boolean(a.substance?.trim() || a.substanceCode?.trim());
