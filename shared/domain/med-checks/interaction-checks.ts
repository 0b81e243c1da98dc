import type { DrugKnowledge, MedAlert } from '../drugs';
import { SEVERITY_RANK } from './allergy-checks';
import type { DrugFacts, KnowledgeIndex } from './check.types';

// Drug–drug interactions and duplicate therapy.

/** Same medicine (possibly another strength): identical ingredient sets. */
function sameMedicine(a: DrugFacts, b: DrugFacts): boolean {
  return a.drug.rxcui === b.drug.rxcui || (a.ingredients.size === b.ingredients.size && [...a.ingredients].every((i) => b.ingredients.has(i)));
}

/** Interactions between the new drug and one current medication (none between two strengths of one medicine). */
export function interactionAlerts(index: KnowledgeIndex, n: DrugFacts, m: DrugFacts, mLabel: string): MedAlert[] {
  if (sameMedicine(n, m)) return [];
  const sharesIngredient = [...n.ingredients].some((i) => m.ingredients.has(i));
  const out: MedAlert[] = [];
  const seen = new Set<string>();
  for (const key of n.keys) {
    for (const side of index.interactionsByKey.get(key) ?? []) {
      if (seen.has(side.rule.id) || !m.keys.has(side.other)) continue;
      // Two QT-prolonging drugs interact; one drug in two products is a duplicate, reported as such.
      if (side.sameKey && sharesIngredient) continue;
      seen.add(side.rule.id);
      out.push({
        kind: 'drug-drug',
        severity: side.rule.severity,
        message: `${n.drug.name} + ${mLabel}: ${side.rule.message}`,
        with: mLabel,
        source: side.rule.sources.join(', '),
        ruleId: side.rule.id,
      });
    }
  }
  return out;
}

/** A shared ingredient or a shared duplicate-therapy class, as one alert. */
export function duplicateAlert(index: KnowledgeIndex, n: DrugFacts, m: DrugFacts, mLabel: string): MedAlert | null {
  const shared = [...n.ingredients].filter((i) => m.ingredients.has(i));
  if (shared.length > 0) {
    return {
      kind: 'duplicate',
      severity: 'major',
      message: `${n.drug.name} + ${mLabel}: both contain ${shared.join(' and ')} (duplicate therapy).`,
      with: mLabel,
      source: n.drug.sources.join(', '),
      ruleId: `duplicate-ingredient:${shared[0] ?? ''}`,
    };
  }
  let best: DrugKnowledge['duplicateClasses'][number] | null = null;
  for (const cl of n.classes) {
    const entry = m.classes.has(cl) ? index.duplicateByClass.get(cl) : undefined;
    if (entry && (!best || SEVERITY_RANK[entry.severity] < SEVERITY_RANK[best.severity])) best = entry;
  }
  if (!best) return null;
  return {
    kind: 'duplicate',
    severity: best.severity,
    message: `${n.drug.name} + ${mLabel}: ${best.message}`,
    with: mLabel,
    // The duplicate-classes entries carry no per-rule sources; the file header cites them.
    source: 'duplicate-classes',
    ruleId: `duplicate-class:${best.class}`,
  };
}
