import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drugCatalogFile } from '../../../shared/domain/drugs';

// Catalogue names against codes: an ingredient code carries the ingredient's name, and a product
// code carries the product's RxNorm name wherever a source on hand states that name.

const catalog = drugCatalogFile.parse(JSON.parse(readFileSync(join(process.cwd(), 'resources', 'drugs', 'drugs.json'), 'utf8')));
const drugs = catalog.drugs;

/** A strength, a unit or a dose form: what makes a name a product's name. */
const PRODUCT_NAME =
  /\d|\b(mg|mcg|ml|gm|meq|unt|actuat|hr|tablet|capsule|solution|suspension|injection|injectable|spray|inhaler|inhalation|powder|cream|ointment|patch|system|syringe|film|chewable|extended|delayed|oral|nasal|topical)\b/i;

/** RXCUI → display, from the Synthea FHIR bundles shipped under test/fixtures (RxNorm codings of MedicationRequest). */
function fixtureNames(): Map<string, string> {
  const dir = join(process.cwd(), 'test', 'fixtures', 'synthea-r4');
  const names = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { entry?: { resource: Record<string, unknown> }[] };
    for (const { resource } of bundle.entry ?? []) {
      const concept = resource.medicationCodeableConcept as { coding?: { system?: string; code?: string; display?: string }[] } | undefined;
      for (const c of concept?.coding ?? []) if (c.system?.includes('rxnorm') && c.code && c.display) names.set(c.code, c.display);
    }
  }
  return names;
}

/** RXCUI → name from shared/codesets/rxnorm-synthea.tsv when the shared folder sits beside the checkout. */
function tsvNames(): Map<string, string> {
  const file = join(process.cwd(), '..', 'shared', 'codesets', 'rxnorm-synthea.tsv');
  if (!existsSync(file)) return new Map();
  const rows = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean);
  return new Map(rows.map((r) => r.split('\t') as [string, string]));
}

/** Spelling-insensitive form: case, spacing, "40mg" = "40 MG", "Carbamazepine[Tegretol]" = "Carbamazepine [Tegretol]". */
const fold = (s: string): string =>
  s
    .toLowerCase()
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/\[/g, ' [')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Where the source's display is not RxNorm's name, so the catalogue's name differs on purpose. Each
 * reason says what was done; an entry that stops differing fails the test, so the list stays true.
 */
const SOURCE_DISPLAY_DEFECTS: Readonly<Record<string, string>> = {
  '316672': 'Synthea misspells simvastatin ("Simvistatin")',
  '834357': 'Synthea misspells hydrochloride ("hydrocholoride")',
  '856980':
    'Synthea shortens it to "Acetaminophen/Hydrocodone"; the strengths are those of openFDA NDC 72162-1289 (hydrocodone bitartrate 10 mg, acetaminophen 300 mg tablet), whose only RxCUI is 856980',
  '198031': 'Synthea shortens it to "24hr nicotine transdermal patch"; the strength in the catalogue name is not confirmed by a source on hand',
};

describe('drug names (resources/drugs/drugs.json)', () => {
  it('names every ingredient-level (IN) entry as its ingredient, never as a product', () => {
    const inEntries = drugs.filter((d) => d.tty === 'IN');
    expect(inEntries.length).toBeGreaterThan(0);
    for (const d of inEntries) {
      expect(d.name, `${d.rxcui} is an ingredient code`).not.toMatch(PRODUCT_NAME);
      const [only] = d.ingredients;
      if (d.ingredients.length === 1 && only?.rxcui === d.rxcui) expect(d.name.toLowerCase(), d.rxcui).toBe(only.name);
    }
  });

  it('keeps the product an ingredient-level entry describes, and only on such entries', () => {
    for (const d of drugs) {
      if (d.tty !== 'IN') expect(d.description, `${d.rxcui} ${d.name}`).toBeUndefined();
      else if (d.strength !== null) expect(d.description, `${d.rxcui} ${d.name} has a strength, so says which product`).toMatch(PRODUCT_NAME);
    }
    expect(drugs.find((d) => d.rxcui === '41493')).toMatchObject({ tty: 'IN', name: 'meloxicam', description: 'meloxicam 15 MG Oral Tablet' });
  });

  it('names each product code as the shipped and shared sources name it', () => {
    const sources = new Map([...fixtureNames(), ...tsvNames()]);
    expect(sources.size).toBeGreaterThanOrEqual(37);
    let compared = 0;
    for (const d of drugs) {
      const source = sources.get(d.rxcui);
      if (source === undefined || d.tty === 'IN') continue;
      compared++;
      if (d.rxcui in SOURCE_DISPLAY_DEFECTS) expect(fold(d.name), `${d.rxcui}: listed as a source defect but matches`).not.toBe(fold(source));
      else expect(fold(d.name), `${d.rxcui} is "${source}" in the source`).toBe(fold(source));
    }
    expect(compared).toBeGreaterThanOrEqual(36);
    for (const rxcui of Object.keys(SOURCE_DISPLAY_DEFECTS)) expect(drugs.some((d) => d.rxcui === rxcui)).toBe(true);
  });
});
