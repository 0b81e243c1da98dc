import type { Drug, IngredientLimit, MedAlert } from '../drugs';
import { convertMass, doseInStrengthUnit, formatAmount } from '../sig';
import type { DrugFacts, KnowledgeIndex, ProposedDose } from './check.types';
import { over } from './dose-checks';

// Per-ingredient limits: one ingredient's dose in a product, and its daily total across every
// product on the list (acetaminophen alone and inside an opioid combination count together).

type Amount = Pick<ProposedDose, 'amount' | 'unit'>;
type Strength = NonNullable<Drug['strength']>;

const mgOf = (s: Strength | undefined): number | null => (s === undefined ? null : convertMass(s.value, s.unit, 'mg'));

/**
 * mg of `ingredient` in one dose of `d`, or null when the product does not say. A count of tablets
 * or mL goes through the ingredient's own strength; a dose in mg of a combination is an amount of
 * the ingredient `strength.ingredient` names (trimethoprim for sulfamethoxazole/trimethoprim), and
 * is ambiguous, so null, for a combination that names none.
 */
export function ingredientMg(d: Drug, ingredient: string, dose: Amount): number | null {
  const ing = d.ingredients.find((i) => i.name.toLowerCase() === ingredient);
  if (!ing) return null;
  const asMass = convertMass(dose.amount, dose.unit, 'mg');
  if (d.ingredients.length === 1) {
    if (asMass !== null) return asMass;
    const inStrength = doseInStrengthUnit(dose.amount, dose.unit, d.strength);
    return inStrength === null ? null : convertMass(inStrength.amount, inStrength.unit, 'mg');
  }
  if (asMass !== null) {
    const named = d.strength?.ingredient;
    if (named === undefined) return null;
    if (named === ing.name) return asMass;
    // Another ingredient, in proportion to the named one: same unit of product for both.
    const base = d.ingredients.find((i) => i.name === named)?.strength;
    const mine = mgOf(ing.strength);
    const baseMg = mgOf(base);
    return mine === null || baseMg === null || base?.per !== ing.strength?.per ? null : (asMass * mine) / baseMg;
  }
  if (ing.strength === undefined) return null;
  const inStrength = doseInStrengthUnit(dose.amount, dose.unit, ing.strength);
  return inStrength === null ? null : convertMass(inStrength.amount, inStrength.unit, 'mg');
}

/** A medication on the list the checks know, with its dose when recorded. */
export interface KnownMedication {
  facts: DrugFacts;
  label: string;
  dose: ProposedDose | null;
}

interface Share {
  label: string;
  mgPerDay: number;
  /** "as needed" with no interval: one dose is counted, the least it adds. */
  atLeast: boolean;
}

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function limitAlert(l: IngredientLimit, ruleId: string, message: string, withLabel?: string): MedAlert {
  return { kind: 'dose', severity: 'major', message, ...(withLabel ? { with: withLabel } : {}), source: l.sources.join(', '), ruleId };
}

/**
 * Alerts for each ingredient of the new drug with a limit in ingredient-limits.json: one dose over
 * the ingredient's single maximum, and the day's total over its daily maximum once the new order
 * is added to every current medication that contains it. `own` are the product's own dose alerts:
 * a limit the product's own rule already reported for the new order alone is not said twice.
 */
export function ingredientLimitAlerts(
  index: KnowledgeIndex,
  n: DrugFacts,
  dose: ProposedDose | undefined,
  meds: KnownMedication[],
  own: MedAlert[],
): MedAlert[] {
  if (!dose) return [];
  const ownSingle = own.some((a) => a.ruleId.endsWith('-max-single'));
  const ownDaily = own.some((a) => a.ruleId.endsWith('-max-daily'));
  const out: MedAlert[] = [];
  for (const ingredient of n.ingredients) {
    const l = index.ingredientLimits.get(ingredient);
    const mine = l === undefined ? null : ingredientMg(n.drug, ingredient, dose);
    if (l === undefined || mine === null) continue;
    if (l.maxSingleMg !== null && over(mine, l.maxSingleMg) && !ownSingle) {
      out.push(
        limitAlert(
          l,
          `dose-ingredient-max-single:${ingredient}`,
          `${n.drug.name}: ${ingredient} ${formatAmount(mine, 'mg')} per dose is over the maximum of ${formatAmount(l.maxSingleMg, 'mg')} of ${ingredient} per dose (${l.why}).`,
        ),
      );
    }
    const shares: Share[] = [{ label: `${n.drug.name} (this order)`, mgPerDay: mine * (dose.perDay ?? 1), atLeast: dose.perDay === null }];
    const notCounted: string[] = [];
    for (const m of meds) {
      if (!m.facts.ingredients.has(ingredient)) continue;
      const each = m.dose ? ingredientMg(m.facts.drug, ingredient, m.dose) : null;
      if (m.dose && each !== null) shares.push({ label: m.label, mgPerDay: each * (m.dose.perDay ?? 1), atLeast: m.dose.perDay === null });
      else notCounted.push(m.label);
    }
    const total = shares.reduce((sum, s) => sum + s.mgPerDay, 0);
    if (!over(total, l.maxDailyMg) || (shares.length === 1 && ownDaily)) continue;
    const atLeast = shares.some((s) => s.atLeast) ? 'at least ' : '';
    const parts = shares.map((s) => `${s.label}: ${s.atLeast ? 'at least ' : ''}${formatAmount(s.mgPerDay, 'mg')}`).join('; ');
    const missing = notCounted.length > 0 ? ` Not counted (no structured dose recorded): ${notCounted.join(', ')}.` : '';
    out.push(
      limitAlert(
        l,
        `dose-ingredient-max-daily:${ingredient}`,
        `${capitalized(ingredient)} from every product on the list: ${atLeast}${formatAmount(total, 'mg')} a day is over the maximum of ${formatAmount(l.maxDailyMg, 'mg')} a day (${l.why}). ${parts}.${missing}`,
        shares
          .slice(1)
          .map((s) => s.label)
          .join(', '),
      ),
    );
  }
  return out;
}
