import type { Drug, MedAlert } from '../drugs';
import { SEVERITY_RANK, allergyAlert, isActiveAllergy, resolveAllergy } from './allergy-checks';
import type { CheckContext, CheckMedication, CheckResult, KnowledgeIndex, ProposedDose } from './check.types';
import { adultDoseAlerts, ageInMonths, pediatricDoseAlerts } from './dose-checks';
import { ingredientLimitAlerts, type KnownMedication } from './ingredient-checks';
import { duplicateAlert, interactionAlerts } from './interaction-checks';
import { norm } from './knowledge-index';

// Entry points: checking a new drug or a new allergy against the chart, and drug search.

const sortAlerts = (alerts: MedAlert[]): MedAlert[] => alerts.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity]);

/** Current medications split into those the checks know and the names of those they cannot check. */
function knownMedications(index: KnowledgeIndex, meds: CheckMedication[], unchecked: string[]): KnownMedication[] {
  const known: KnownMedication[] = [];
  for (const m of meds) {
    const facts = m.rxcui === null ? undefined : index.byRxcui.get(m.rxcui.trim());
    if (facts) known.push({ facts, label: m.name, dose: m.dose ?? null });
    else unchecked.push(m.name);
  }
  return known;
}

/**
 * Checks a drug about to be prescribed against the patient's current medications, allergies, age
 * and weight. With `dose`, the dose range is checked too. Alerts are sorted most severe first.
 */
export function checkNewDrug(ctx: CheckContext & { index: KnowledgeIndex }, rxcui: string, dose?: ProposedDose): CheckResult {
  const { index, patient } = ctx;
  const n = index.byRxcui.get(rxcui.trim());
  if (!n) {
    const named = ctx.medications.find((m) => m.rxcui === rxcui)?.name;
    return { drug: null, alerts: [], uncodedNotChecked: [named ?? `RxCUI ${rxcui} (not in the drug catalogue)`] };
  }
  const unchecked: string[] = [];
  const alerts: MedAlert[] = [];

  for (const a of ctx.allergies) {
    if (!isActiveAllergy(a)) continue;
    const r = resolveAllergy(index, a.substance, a.substanceCode);
    if (r.ingredients.size === 0 && r.groups.size === 0) {
      unchecked.push(r.label);
      continue;
    }
    const alert = allergyAlert(r, n, n.drug.name, r.label);
    if (alert) alerts.push(alert);
  }

  const known = knownMedications(index, ctx.medications, unchecked);
  for (const m of known) {
    alerts.push(...interactionAlerts(index, n, m.facts, m.label));
    const dup = duplicateAlert(index, n, m.facts, m.label);
    if (dup) alerts.push(dup);
  }

  const months = ageInMonths(patient.birthDate, patient.today);
  const own = months >= 18 * 12 ? (dose ? adultDoseAlerts(n.drug, dose, 'adult') : []) : pediatricDoseAlerts(n.drug, dose, patient, months);
  // Each ingredient's own limits, its daily total summed over every product on the list.
  alerts.push(...own, ...ingredientLimitAlerts(index, n, dose, known, own));

  return { drug: n.drug, alerts: sortAlerts(alerts), uncodedNotChecked: [...new Set(unchecked)] };
}

/**
 * Alerts for the current medications against an allergy being recorded, so the prescriber learns
 * at once that a drug the patient already takes is now a problem. Free-text medications and an
 * allergy that matches nothing in the catalogue produce no alerts.
 */
export function checkNewAllergy(ctx: CheckContext & { index: KnowledgeIndex }, allergy: { substance: string; substanceCode?: string | null }): MedAlert[] {
  const r = resolveAllergy(ctx.index, allergy.substance, allergy.substanceCode ?? null);
  if (r.ingredients.size === 0 && r.groups.size === 0) return [];
  const alerts: MedAlert[] = [];
  for (const m of knownMedications(ctx.index, ctx.medications, [])) {
    const alert = allergyAlert(r, m.facts, m.label, m.label);
    if (alert) alerts.push(alert);
  }
  return sortAlerts(alerts);
}

/**
 * Drugs for a picker: every word of the query must start a word of the drug's name, a brand or an
 * ingredient ("amox 500"), or the query is the start of an RXCUI. Matches on the name come first
 * (so "trimethoprim" lists the single-ingredient product before the combination), then brand and
 * ingredient matches, RXCUI prefixes, and word prefixes; ties in catalogue order.
 */
export function searchDrugs(index: KnowledgeIndex, query: string, limit = 20): Drug[] {
  const q = norm(query);
  if (q === '' || limit <= 0) return [];
  const tokens = q.split(' ');
  const digits = /^\d+$/.test(q);
  const scored: { drug: Drug; score: number; order: number }[] = [];
  index.searchable.forEach((s, order) => {
    let score: number;
    if (digits && s.drug.rxcui === q) score = 0;
    else if (s.name === q) score = 1;
    else if (s.name.startsWith(q)) score = 2;
    else if (s.others.includes(q)) score = 3;
    else if (s.others.some((o) => o.startsWith(q))) score = 4;
    else if (digits && s.drug.rxcui.startsWith(q)) score = 5;
    else if (tokens.every((t) => s.words.some((w) => w.startsWith(t)))) score = 6;
    else return;
    scored.push({ drug: s.drug, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.slice(0, limit).map((s) => s.drug);
}
