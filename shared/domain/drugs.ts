import { z } from 'zod';

/**
 * Drug knowledge shipped in resources/drugs/ as data. Cairn checks prescriptions offline from
 * these files alone; every fact cites a public source in the file header (`sources`).
 */

const rxcui = z.string().regex(/^\d{1,8}$/, 'an RxNorm RXCUI is 1 to 8 digits');
const name = z.string().trim().min(1).max(200);
/** Lower-case kebab id of a therapeutic class, e.g. "nsaid", "ssri", "penicillin", "ace-inhibitor". */
const classId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'class ids are lower-case kebab-case');

export const doseUnit = z.enum(['mg', 'mcg', 'g', 'unit', 'mL', 'puff', 'drop', 'patch', 'tablet', 'capsule']);
export type DoseUnit = z.infer<typeof doseUnit>;

export const sourceRef = z.object({ id: z.string().min(1), title: z.string().min(1), url: z.string().optional() });

/** An amount of drug in one unit of a product: 500 mg (per tablet), or 250 mg per "5 mL". */
const amountPer = z.object({ value: z.number().positive(), unit: doseUnit, per: z.string().optional() });

export const ingredient = z.object({
  name,
  rxcui,
  /**
   * How much of this ingredient one unit of a combination product holds (per tablet, or per `per`
   * of a liquid), as its RxNorm name states: what the per-ingredient dose checks count.
   */
  strength: amountPer.optional(),
});

/** One clinical drug (ingredient + strength + dose form), as a clinic prescribes it. */
export const drug = z.object({
  /** RxNorm SCD (clinical drug) RXCUI where known, else the ingredient's RXCUI with tty 'IN'. */
  rxcui,
  tty: z.enum(['SCD', 'SBD', 'GPCK', 'IN', 'MIN']),
  /** The RxNorm name of `rxcui`: for a tty 'IN' entry the ingredient, never a product. */
  name,
  /**
   * For an ingredient-level entry (tty 'IN'): the product its strength, dose form and limits
   * describe ("meloxicam 15 MG Oral Tablet"). Its RxNorm product code is not in the catalogue, so
   * the entry is coded and named as the ingredient and the product is told here, for search and display.
   */
  description: z.string().trim().min(1).max(200).optional(),
  /** Brand names people say ("Coumadin"), for search only. */
  brands: z.array(name).default([]),
  ingredients: z.array(ingredient).min(1),
  /** Therapeutic classes used by interaction, allergy and duplicate rules. */
  classes: z.array(classId).min(1),
  strength: amountPer
    .extend({
      /**
       * For a combination product, the ingredient `strength` is an amount of; a dose in mg and the
       * adult and pediatric mg limits are amounts of it too ("trimethoprim" for sulfamethoxazole/
       * trimethoprim), and dose alerts say so.
       */
      ingredient: z.string().min(1).optional(),
    })
    .nullable(),
  doseForm: name,
  route: z.enum([
    'oral',
    'topical',
    'inhalation',
    'subcutaneous',
    'intramuscular',
    'intravenous',
    'ophthalmic',
    'otic',
    'nasal',
    'transdermal',
    'rectal',
    'vaginal',
    'sublingual',
  ]),
  adult: z
    .object({
      usualDose: z.string().min(1),
      /** Maximum single dose and maximum per 24 hours, in `unit`. */
      maxSingle: z.number().positive().nullable(),
      maxDaily: z.number().positive().nullable(),
      unit: doseUnit,
    })
    .nullable(),
  pediatric: z
    .object({
      /** mg per kg per dose and per day; the check uses the child's latest weight (≤ 30 days old). */
      mgPerKgDose: z.number().positive().nullable(),
      mgPerKgDay: z.number().positive().nullable(),
      /** Absolute caps: a child's dose never exceeds the adult maximum. */
      maxSingleMg: z.number().positive().nullable(),
      maxDailyMg: z.number().positive().nullable(),
      minAgeMonths: z.number().min(0).nullable(),
    })
    .nullable(),
  sources: z.array(z.string()).min(1),
});
export type Drug = z.infer<typeof drug>;

export const drugCatalogFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(sourceRef).min(1),
  drugs: z.array(drug).min(1),
});
export type DrugCatalogFile = z.infer<typeof drugCatalogFile>;

export const alertSeverity = z.enum(['contraindicated', 'major', 'moderate']);
export type AlertSeverity = z.infer<typeof alertSeverity>;

/** A side of an interaction: an ingredient (by name, lower case) or a whole class. */
export const interactant = z.union([z.object({ ingredient: z.string().min(1) }), z.object({ class: classId })]);
export type Interactant = z.infer<typeof interactant>;

export const interaction = z.object({
  id: z.string().min(1),
  a: interactant,
  b: interactant,
  severity: alertSeverity,
  /** One line a clinician reads in the alert. */
  message: z.string().min(10).max(300),
  /** True for the 15 ONC high-priority contraindicated pairs (Phansalkar et al., JAMIA 2012). */
  oncHighPriority: z.boolean().default(false),
  sources: z.array(z.string()).min(1),
});
export type Interaction = z.infer<typeof interaction>;

export const interactionsFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(sourceRef).min(1),
  interactions: z.array(interaction).min(1),
});

/**
 * Allergy cross-sensitivity: an allergy recorded to any member (ingredient name or drug class)
 * alerts on a drug of the listed classes, with the given severity.
 */
export const allergyGroup = z.object({
  id: z.string().min(1),
  /** What the allergy says, matched case-insensitively to an allergy's substance text or code. */
  allergyMatches: z.array(z.string().min(1)).min(1),
  /** Classes of the ordered drug that this allergy alerts on. */
  alertsOnClasses: z.array(classId).min(1),
  severity: alertSeverity,
  message: z.string().min(10).max(300),
  sources: z.array(z.string()).min(1),
});
export type AllergyGroup = z.infer<typeof allergyGroup>;

export const allergyGroupsFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(sourceRef).min(1),
  groups: z.array(allergyGroup).min(1),
});

/** Classes where two drugs of the same class at once is a duplicate therapy alert. */
export const duplicateClassesFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(sourceRef).min(1),
  classes: z.array(z.object({ class: classId, severity: alertSeverity, message: z.string().min(10) })),
});

/**
 * The most of one ingredient per dose and per day from every product that contains it
 * (resources/drugs/ingredient-limits.json): the checks add the ingredient up across the new order
 * and the current medications, so acetaminophen in a combination counts toward the same 4 g.
 */
export const ingredientLimit = z.object({
  /** Ingredient name as in drugs.json, lower case. */
  ingredient: z.string().regex(/^[a-z][a-z0-9 ,-]*$/, 'ingredient names are lower case'),
  maxSingleMg: z.number().positive().nullable(),
  maxDailyMg: z.number().positive(),
  /** Why the limit matters, in a few words, for the alert. */
  why: z.string().min(10).max(200),
  sources: z.array(z.string()).min(1),
});
export type IngredientLimit = z.infer<typeof ingredientLimit>;

export const ingredientLimitsFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(sourceRef).min(1),
  limits: z.array(ingredientLimit).min(1),
});

/** Everything the checks read, loaded once from resources/drugs. */
export interface DrugKnowledge {
  drugs: Drug[];
  interactions: Interaction[];
  allergyGroups: AllergyGroup[];
  duplicateClasses: z.infer<typeof duplicateClassesFile>['classes'];
  ingredientLimits: IngredientLimit[];
}

export const ALERT_KINDS = ['drug-drug', 'drug-allergy', 'duplicate', 'dose'] as const;
export const medAlert = z.object({
  kind: z.enum(ALERT_KINDS),
  severity: alertSeverity,
  message: z.string(),
  /** The medication or allergy the new drug collides with, when there is one. */
  with: z.string().optional(),
  source: z.string(),
  /** Stable id of the rule, recorded with an override. */
  ruleId: z.string(),
});
export type MedAlert = z.infer<typeof medAlert>;

/**
 * The unit a product is counted in, read from its RxNorm dose form ("Oral Tablet" → tablet, "Oral
 * Suspension" → mL), used to start a new prescription's dose and quantity units for that drug; null
 * when the form names no single unit (injections, kits), so the prescriber chooses.
 */
export function productUnit(doseForm: string): DoseUnit | null {
  const f = doseForm.toLowerCase();
  if (/\btablet\b/.test(f)) return 'tablet';
  if (/\bcapsule\b/.test(f)) return 'capsule';
  if (/^(oral )?(solution|suspension)$|^oral (solution|suspension)$/.test(f)) return 'mL';
  if (/\binhaler\b|inhalation powder/.test(f)) return 'puff';
  if (/transdermal/.test(f)) return 'patch';
  return null;
}

export const CONTROLLED_SCHEDULES = ['CII', 'CIII', 'CIV', 'CV'] as const;
export type ControlledSchedule = (typeof CONTROLLED_SCHEDULES)[number];

/** Federal controlled-substance schedules of ingredients, with product exceptions (resources/drugs/controlled-substances.json). */
export const controlledSubstancesFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(sourceRef).min(1),
  ingredients: z.array(z.object({ ingredient: z.string().trim().min(1), schedule: z.enum(CONTROLLED_SCHEDULES) })).min(1),
  products: z.array(z.object({ rxcui, schedule: z.enum(CONTROLLED_SCHEDULES), note: z.string().min(1) })).default([]),
});
export type ControlledSubstances = z.infer<typeof controlledSubstancesFile>;

/**
 * The schedule a prescription for `drug` falls under, or null when it is not controlled: a listed
 * product's own schedule, else the most restrictive schedule among its ingredients.
 */
export function controlledSchedule(drug: Pick<Drug, 'rxcui' | 'ingredients'>, table: ControlledSubstances): ControlledSchedule | null {
  const product = table.products.find((p) => p.rxcui === drug.rxcui);
  if (product) return product.schedule;
  const found = drug.ingredients
    .map((i) => table.ingredients.find((c) => c.ingredient === i.name.toLowerCase())?.schedule)
    .filter((s): s is ControlledSchedule => s !== undefined);
  if (found.length === 0) return null;
  return CONTROLLED_SCHEDULES.find((s) => found.includes(s)) ?? null;
}
