import type { AllergyGroup, DoseUnit, Drug, DrugKnowledge, IngredientLimit, Interaction, MedAlert } from '../drugs';

// What the checks take and return, and the lookup index they run on.

/** A current medication. `rxcui` null = uncoded free text. Callers pass active medications only. */
export interface CheckMedication {
  rxcui: string | null;
  name: string;
  /**
   * The dose taken, when the medication has structured directions (its sig): lets the checks add
   * an ingredient up across products (acetaminophen in several). Absent or null: not counted, and
   * an ingredient total names the medication as not counted.
   */
  dose?: ProposedDose | null;
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
  /** Ingredient name (lower case) → its per-dose and daily maximum across products. */
  readonly ingredientLimits: ReadonlyMap<string, IngredientLimit>;
  /** Search haystacks, in catalogue order. */
  readonly searchable: readonly { drug: Drug; name: string; others: readonly string[]; words: readonly string[] }[];
}
