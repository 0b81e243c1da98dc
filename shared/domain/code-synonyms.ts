import { z } from 'zod';

/**
 * Clinical abbreviations for the ICD-10-CM problem search, shipped as data
 * (resources/codesets/icd10cm-synonyms.json): "htn" means hypertension, and I10 first.
 */
export const codeSynonym = z.object({
  /** What a clinician types, lower case: "htn", "t2dm", "vit d deficiency". */
  term: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9 ]+$/, 'terms are lower-case letters, digits and spaces'),
  /** The words the term stands for, searched in the code descriptions. */
  expansion: z.string().trim().min(2).max(120),
  /** The codes meant by the term on its own, most usual first (listed before the text search). */
  codes: z.array(z.string().regex(/^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'an ICD-10-CM code such as I10 or E11.9')).default([]),
});
export type CodeSynonym = z.infer<typeof codeSynonym>;

export const codeSynonymsFile = z.object({
  version: z.string(),
  description: z.string(),
  sources: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), url: z.string().optional() })).min(1),
  synonyms: z.array(codeSynonym).min(1),
});

/** Folds a query as the synonym terms are written: lower case, words separated by one space. */
export function synonymKey(query: string): string {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}
