import type { AlertSeverity, AllergyGroup, DoseUnit, Drug, DrugKnowledge, Interactant, Interaction, MedAlert } from './drugs';
import { convertMass, doseInStrengthUnit, formatAmount } from './sig';

/**
 * Prescribing checks: drug–drug, drug–allergy, duplicate therapy and dose range, computed offline
 * from the knowledge in resources/drugs (callers load and parse the files and pass them in).
 *
 * The checks only see what is coded. Anything they could not check (free-text medications,
 * allergies that match nothing in the catalogue) is returned by name in `uncodedNotChecked`, so the
 * UI can say so plainly instead of implying "no alerts" means "safe".
 */

/** A current medication. `rxcui` null = uncoded free text. Callers pass active medications only. */
export interface CheckMedication {
  rxcui: string | null;
  name: string;
}

/** A recorded allergy, as in the allergy list (`kind` 'nka' and statuses other than 'active' are ignored). */
export interface CheckAllergy {
  substance: string | null;
  substanceCode: string | null;
  kind: 'allergy' | 'nka';
  status: string;
}

/** ISO dates; `today` is passed in so checks are reproducible. */
export interface CheckPatient {
  birthDate: string;
  today: string;
  weightKg: number | null;
  /** Date (or timestamp; the first 10 characters are read) of `weightKg`. */
  weightDate: string | null;
}

/** Everything a check reads about the patient, with the knowledge it checks against. */
export interface CheckContext {
  knowledge: DrugKnowledge;
  medications: CheckMedication[];
  allergies: CheckAllergy[];
  patient: CheckPatient;
}

/**
 * The dose being prescribed. `perDay` comes from `dosesPerDay(sig)`; null ('prn-only', no interval)
 * means only the single dose can be checked.
 */
export interface ProposedDose {
  amount: number;
  unit: DoseUnit;
  perDay: number | null;
}

/** The outcome of checking one new drug. */
export interface CheckResult {
  /** The catalogue entry for the new drug; null when it is not in the catalogue (nothing was checked). */
  drug: Drug | null;
  /** Sorted contraindicated → major → moderate. */
  alerts: MedAlert[];
  /** Names of medications and allergies no check could run on (free text, or not in the catalogue). */
  uncodedNotChecked: string[];
}

/** What the checks need to know about one catalogue drug, computed once. */
export interface DrugFacts {
  drug: Drug;
  /** Ingredient names, lower case. */
  ingredients: ReadonlySet<string>;
  classes: ReadonlySet<string>;
  /** Interaction keys this drug matches: "i:<ingredient>" and "c:<class>". */
  keys: ReadonlySet<string>;
}

/** One interaction rule seen from one of its sides. */
export interface InteractionSide {
  rule: Interaction;
  /** Key the other drug must match. */
  other: string;
  /** Both sides are the same key (e.g. qt-prolonging + qt-prolonging): needs two different medicines. */
  sameKey: boolean;
}

/** What a normalised word or phrase in an allergy's text points at. */
export interface TermHit {
  ingredients: Set<string>;
  groups: Set<AllergyGroup>;
}

/** Precomputed lookups over a `DrugKnowledge`. Build once per loaded knowledge with `indexKnowledge`. */
export interface KnowledgeIndex {
  readonly knowledge: DrugKnowledge;
  readonly byRxcui: ReadonlyMap<string, DrugFacts>;
  /** Ingredient RXCUI → ingredient name. */
  readonly ingredientByRxcui: ReadonlyMap<string, string>;
  /** Ingredient name → classes of the single-ingredient drugs that contain it. */
  readonly ingredientClasses: ReadonlyMap<string, ReadonlySet<string>>;
  readonly interactionsByKey: ReadonlyMap<string, readonly InteractionSide[]>;
  /** Normalised ingredient names, brand names and allergy-group terms. */
  readonly terms: ReadonlyMap<string, TermHit>;
  /** Longest entry of `terms`, in words: bounds the phrases tried in an allergy's text. */
  readonly maxTermWords: number;
  /** Allergy-group entries that are codes, matched exactly against an allergy's code. */
  readonly groupsByCode: ReadonlyMap<string, readonly AllergyGroup[]>;
  readonly duplicateByClass: ReadonlyMap<string, DrugKnowledge['duplicateClasses'][number]>;
  /** Search haystacks, in catalogue order. */
  readonly searchable: readonly { drug: Drug; name: string; others: readonly string[]; words: readonly string[] }[];
}

/** Lower case, runs of anything but letters and digits as one space: "ACE-Inhibitors" → "ace inhibitors". */
function norm(text: string): string {
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

  const searchable = k.drugs.map((d) => {
    const name = norm(d.name);
    const others = [...d.brands, ...d.ingredients.map((i) => i.name)].map(norm);
    const words = [...new Set([name, ...others].flatMap((s) => s.split(' ')))];
    return { drug: d, name, others, words };
  });

  return { knowledge: k, byRxcui, ingredientByRxcui, ingredientClasses, interactionsByKey, terms, maxTermWords, groupsByCode, duplicateByClass, searchable };
}

// ---------------------------------------------------------------- allergies

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
function resolveAllergy(index: KnowledgeIndex, substance: string | null, code: string | null): ResolvedAllergy {
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

const SEVERITY_RANK: Readonly<Record<AlertSeverity, number>> = { contraindicated: 0, major: 1, moderate: 2 };

/** The one alert for an allergy against a drug: a direct ingredient match, else the most severe group. */
function allergyAlert(allergy: ResolvedAllergy, d: DrugFacts, drugLabel: string, withLabel: string): MedAlert | null {
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
const isActiveAllergy = (a: CheckAllergy): boolean =>
  a.kind === 'allergy' && a.status.toLowerCase() === 'active' && Boolean(a.substance?.trim() || a.substanceCode?.trim());

// ---------------------------------------------------------------- drug–drug and duplicates

/** Same medicine (possibly another strength): identical ingredient sets. */
function sameMedicine(a: DrugFacts, b: DrugFacts): boolean {
  return a.drug.rxcui === b.drug.rxcui || (a.ingredients.size === b.ingredients.size && [...a.ingredients].every((i) => b.ingredients.has(i)));
}

function interactionAlerts(index: KnowledgeIndex, n: DrugFacts, m: DrugFacts, mLabel: string): MedAlert[] {
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

function duplicateAlert(index: KnowledgeIndex, n: DrugFacts, m: DrugFacts, mLabel: string): MedAlert | null {
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

// ---------------------------------------------------------------- dose range

/** Whole months from birth to `today` (calendar arithmetic on ISO dates). */
function ageInMonths(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let months = (ty - by) * 12 + (tm - bm);
  if (td < bd) months -= 1;
  return months;
}

function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.slice(0, 10).split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000);
}

/** `amount unit` expressed in `target`, through mass conversion and the product's strength; null if impossible. */
function amountIn(amount: number, unit: DoseUnit, target: DoseUnit, strength: Drug['strength']): number | null {
  if (unit === target) return amount;
  const direct = convertMass(amount, unit, target);
  if (direct !== null) return direct;
  const asMass = doseInStrengthUnit(amount, unit, strength);
  if (asMass && asMass.unit !== unit) {
    const c = asMass.unit === target ? asMass.amount : convertMass(asMass.amount, asMass.unit, target);
    if (c !== null) return c;
  }
  // Limit in tablets (or mL), dose in mg: divide by what one tablet holds.
  const one = doseInStrengthUnit(1, target, strength);
  if (one && one.unit !== target) {
    const c = one.unit === unit ? amount : convertMass(amount, unit, one.unit);
    if (c !== null) return c / one.amount;
  }
  return null;
}

/** Rounds for messages: 1333.3333 → "1333.33"; no trailing zeros. */
const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** Over a limit, with room for floating-point noise (0.1 × 3 is not 0.3). */
const over = (value: number, limit: number): boolean => value > limit * (1 + 1e-9);

/** Days for a weight to count as current in a child: 30 days, as the pediatric schema says. */
const WEIGHT_MAX_AGE_DAYS = 30;

function doseAlert(severity: AlertSeverity, ruleId: string, message: string, d: Drug): MedAlert {
  return { kind: 'dose', severity, message, source: d.sources.join(', '), ruleId };
}

function adultDoseAlerts(d: Drug, dose: ProposedDose, who: 'adult' | 'child'): MedAlert[] {
  const a = d.adult;
  if (!a) return [];
  const single = amountIn(dose.amount, dose.unit, a.unit, d.strength);
  if (single === null) return [];
  const out: MedAlert[] = [];
  const label = who === 'adult' ? 'the adult maximum' : 'the adult maximum (no pediatric dosing on file)';
  if (a.maxSingle !== null && over(single, a.maxSingle)) {
    out.push(
      doseAlert(
        'major',
        'dose-adult-max-single',
        `${d.name}: ${formatAmount(single, a.unit)} per dose is over ${label} of ${formatAmount(a.maxSingle, a.unit)} per dose.`,
        d,
      ),
    );
  }
  if (a.maxDaily !== null && dose.perDay !== null && over(single * dose.perDay, a.maxDaily)) {
    out.push(
      doseAlert(
        'major',
        'dose-adult-max-daily',
        `${d.name}: ${formatAmount(single, a.unit)} × ${dose.perDay} a day = ${formatAmount(single * dose.perDay, a.unit)} a day is over ${label} of ${formatAmount(a.maxDaily, a.unit)} a day.`,
        d,
      ),
    );
  }
  return out;
}

function pediatricDoseAlerts(d: Drug, dose: ProposedDose | undefined, patient: CheckPatient, months: number): MedAlert[] {
  const p = d.pediatric;
  if (!p) return dose ? adultDoseAlerts(d, dose, 'child') : [];
  const out: MedAlert[] = [];
  if (p.minAgeMonths !== null && months < p.minAgeMonths) {
    out.push(doseAlert('major', 'dose-pediatric-min-age', `${d.name}: not for children under ${fmt(p.minAgeMonths)} months (patient is ${months} months).`, d));
  }
  if (!dose) return out;
  const mg = amountIn(dose.amount, dose.unit, 'mg', d.strength);
  if (mg === null) return out;

  let weight: number | null = null;
  if (p.mgPerKgDose !== null || p.mgPerKgDay !== null) {
    const age = patient.weightKg !== null && patient.weightDate ? daysBetween(patient.weightDate, patient.today) : null;
    if (age === null || patient.weightKg === null) {
      out.push(
        doseAlert(
          'major',
          'dose-weight-missing',
          `${d.name}: no weight in the last 30 days: weigh the child before dosing (no weight recorded; mg/kg limits not checked).`,
          d,
        ),
      );
    } else if (age > WEIGHT_MAX_AGE_DAYS) {
      out.push(
        doseAlert(
          'major',
          'dose-weight-stale',
          `${d.name}: no weight in the last 30 days: weigh the child before dosing (last weight ${age} days old; mg/kg limits not checked).`,
          d,
        ),
      );
    } else weight = patient.weightKg;
  }

  // The lower of the weight-based limit and the absolute cap; the message says which one applied.
  const limit = (perKg: number | null, cap: number | null, per: string): { max: number; why: string } | null => {
    if (perKg !== null && weight !== null && (cap === null || perKg * weight <= cap)) {
      return { max: perKg * weight, why: `${fmt(perKg)} mg/kg/${per} × ${fmt(weight)} kg` };
    }
    return cap === null ? null : { max: cap, why: 'absolute maximum for children' };
  };
  const single = limit(p.mgPerKgDose, p.maxSingleMg, 'dose');
  if (single && over(mg, single.max)) {
    out.push(
      doseAlert(
        'major',
        'dose-pediatric-max-single',
        `${d.name}: ${formatAmount(mg, 'mg')} per dose is over the maximum of ${formatAmount(single.max, 'mg')} per dose (${single.why}).`,
        d,
      ),
    );
  }
  const daily = dose.perDay === null ? null : limit(p.mgPerKgDay, p.maxDailyMg, 'day');
  if (daily && dose.perDay !== null && over(mg * dose.perDay, daily.max)) {
    out.push(
      doseAlert(
        'major',
        'dose-pediatric-max-daily',
        `${d.name}: ${formatAmount(mg, 'mg')} × ${dose.perDay} a day = ${formatAmount(mg * dose.perDay, 'mg')} a day is over the maximum of ${formatAmount(daily.max, 'mg')} a day (${daily.why}).`,
        d,
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------- entry points

const sortAlerts = (alerts: MedAlert[]): MedAlert[] => alerts.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity]);

/** Current medications split into those the checks know and the names of those they cannot check. */
function knownMedications(index: KnowledgeIndex, meds: CheckMedication[], unchecked: string[]): { facts: DrugFacts; label: string }[] {
  const known: { facts: DrugFacts; label: string }[] = [];
  for (const m of meds) {
    const facts = m.rxcui === null ? undefined : index.byRxcui.get(m.rxcui.trim());
    if (facts) known.push({ facts, label: m.name });
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

  for (const m of knownMedications(index, ctx.medications, unchecked)) {
    alerts.push(...interactionAlerts(index, n, m.facts, m.label));
    const dup = duplicateAlert(index, n, m.facts, m.label);
    if (dup) alerts.push(dup);
  }

  const months = ageInMonths(patient.birthDate, patient.today);
  if (months >= 18 * 12) {
    if (dose) alerts.push(...adultDoseAlerts(n.drug, dose, 'adult'));
  } else alerts.push(...pediatricDoseAlerts(n.drug, dose, patient, months));

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
