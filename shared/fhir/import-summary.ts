import { z } from 'zod';

/** The largest bundle the desktop import takes in one call (Synthea's are 0.3–3 MB; a 20-year chart rarely passes 30 MB). */
export const MAX_BUNDLE_CHARS = 64 * 1024 * 1024;

/** `fhir.importBundle` input: one bundle file's text, named for the error list. */
export const importBundleInput = z
  .object({
    fileName: z.string().trim().min(1).max(255),
    text: z
      .string()
      .min(2, 'the file is empty')
      .max(MAX_BUNDLE_CHARS, `the file is larger than ${MAX_BUNDLE_CHARS / 1024 / 1024} MB: import it with \`cairn import fhir\``),
  })
  .strict();

/** What happened to the resources of one type. */
export const typeTally = z.object({
  imported: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  skipped: z.number(),
  errors: z.number(),
  /** Resources not applied because another resource of the same patient had an error. */
  notApplied: z.number(),
  /** Skip reasons and how often each was given. */
  reasons: z.record(z.string(), z.number()),
});
export type TypeTally = z.infer<typeof typeTally>;

/** A problem with one entry (or the bundle), where it is (`entry[12].resource.birthDate`) and what it is. */
export const importError = z.object({
  source: z.string(),
  index: z.number().nullable(),
  path: z.string(),
  resourceType: z.string().nullable(),
  message: z.string(),
});

/** The summary of an import: per resource type, per patient, the uncoded conditions and every error. */
export const importSummary = z.object({
  bundles: z.number(),
  resources: z.number(),
  patients: z.object({ imported: z.number(), updated: z.number(), unchanged: z.number(), failed: z.number() }),
  byType: z.record(z.string(), typeTally),
  /** Conditions kept with their SNOMED code only (no known ICD-10-CM map), by code and name. */
  uncodedToIcd10: z.record(z.string(), z.number()),
  errors: z.array(importError),
  elapsedMs: z.number(),
});
export type ImportSummary = z.infer<typeof importSummary>;
