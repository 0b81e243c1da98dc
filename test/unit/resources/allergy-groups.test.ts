import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allergyGroupsFile, drugCatalogFile, duplicateClassesFile, ingredientLimitsFile, interactionsFile, type DrugKnowledge } from '../../../shared/domain/drugs';
import { checkNewDrug, indexKnowledge } from '../../../shared/domain/med-checks';

// Allergy groups are complete: every catalogue drug of a class whose members cross-react is named
// in the class's group, so an allergy to any member alerts on every other.

const DIR = join(process.cwd(), 'resources', 'drugs');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), 'utf8'));
const knowledge: DrugKnowledge = {
  drugs: drugCatalogFile.parse(readJson('drugs.json')).drugs,
  interactions: interactionsFile.parse(readJson('interactions.json')).interactions,
  allergyGroups: allergyGroupsFile.parse(readJson('allergy-groups.json')).groups,
  duplicateClasses: duplicateClassesFile.parse(readJson('duplicate-classes.json')).classes,
  ingredientLimits: ingredientLimitsFile.parse(readJson('ingredient-limits.json')).limits,
};
const index = indexKnowledge(knowledge);
const groups = new Map(knowledge.allergyGroups.map((g) => [g.id, g]));

/** Each class whose members cross-react, with the groups that name its members. */
const CLASS_GROUPS: Readonly<Record<string, readonly string[]>> = {
  penicillin: ['penicillin-penicillins'],
  cephalosporin: ['cephalosporin-cephalosporins'],
  carbapenem: ['carbapenem-carbapenems'],
  'sulfonamide-antibiotic': ['sulfonamide-antibiotic'],
  'arylamine-sulfonamide': ['sulfonamide-antibiotic'],
  nsaid: ['nsaid-aspirin'],
  salicylate: ['nsaid-aspirin'],
  // Phenanthrenes (codeine, morphine, oxycodone …) have their own, named group; the rest the opioid one.
  opioid: ['opioid-opioids', 'phenanthrene-opioids'],
  macrolide: ['macrolide-macrolides'],
  fluoroquinolone: ['fluoroquinolone-fluoroquinolones'],
  tetracycline: ['tetracycline-tetracyclines'],
  lincosamide: ['lincosamide-clindamycin'],
  'ace-inhibitor': ['ace-inhibitor-ace-inhibitors'],
  statin: ['statin-statins'],
  'aromatic-anticonvulsant': ['aromatic-anticonvulsants'],
  benzodiazepine: ['benzodiazepine-benzodiazepines'],
  triptan: ['triptan-triptans'],
  'heparin-anticoagulant': ['heparin-heparins'],
  ppi: ['ppi-ppis'],
  'azole-antifungal': ['azole-antifungals'],
  phenothiazine: ['phenothiazine-phenothiazines'],
};
/** Partners in a combination that do not make it a member of its class: an allergy to them is not an allergy to the class. */
const ADJUNCTS = new Set(['clavulanate', 'tazobactam', 'trimethoprim', 'naloxone', 'acetaminophen']);

const members = (cls: string): DrugKnowledge['drugs'] => knowledge.drugs.filter((d) => d.classes.includes(cls));
const named = (cls: string): Set<string> => new Set((CLASS_GROUPS[cls] ?? []).flatMap((id) => groups.get(id)?.allergyMatches ?? []).map((m) => m.toLowerCase()));

describe('allergy groups are complete (resources/drugs/allergy-groups.json)', () => {
  it('every class a group alerts on as major or contraindicated is listed here, with groups that exist and alert on it', () => {
    const serious = knowledge.allergyGroups.filter((g) => g.severity !== 'moderate').flatMap((g) => g.alertsOnClasses);
    expect([...new Set(serious)].filter((c) => !(c in CLASS_GROUPS))).toEqual([]);
    for (const [cls, ids] of Object.entries(CLASS_GROUPS)) {
      expect(members(cls).length, cls).toBeGreaterThan(0);
      for (const id of ids) expect(groups.get(id)?.alertsOnClasses, `${cls}: ${id}`).toContain(cls);
    }
  });

  it('names every catalogue ingredient of such a class in its group, and never a combination\u2019s adjunct', () => {
    const missing: string[] = [];
    for (const cls of Object.keys(CLASS_GROUPS)) {
      const words = named(cls);
      for (const d of members(cls)) for (const i of d.ingredients) if (!ADJUNCTS.has(i.name) && !words.has(i.name)) missing.push(`${cls}: ${i.name} (${d.name})`);
    }
    expect(missing).toEqual([]);
    const adjunctsNamed = knowledge.allergyGroups.flatMap((g) => g.allergyMatches.filter((m) => ADJUNCTS.has(m.toLowerCase())).map((m) => `${g.id}: ${m}`));
    expect(adjunctsNamed).toEqual([]);
  });

  it('an allergy recorded as any member ingredient alerts on every other drug of its class', () => {
    const patient = { birthDate: '1970-01-01', today: '2026-01-01', weightKg: null, weightDate: null };
    const silent: string[] = [];
    for (const cls of Object.keys(CLASS_GROUPS)) {
      const drugs = members(cls);
      const ingredients = new Set(drugs.flatMap((d) => d.ingredients.map((i) => i.name)).filter((i) => !ADJUNCTS.has(i)));
      for (const ing of ingredients) {
        for (const d of drugs) {
          const allergies = [{ substance: ing, substanceCode: null, kind: 'allergy' as const, status: 'active' }];
          const alerts = checkNewDrug({ knowledge, index, medications: [], allergies, patient }, d.rxcui).alerts;
          if (!alerts.some((a) => a.kind === 'drug-allergy')) silent.push(`${ing} → ${d.name}`);
        }
      }
    }
    expect(silent).toEqual([]);
  });

  it('beta-lactam allergy text reads as penicillin allergy; HIT as heparin; trimethoprim alone is not sulfa', () => {
    const alertOn = (substance: string, rxcui: string): string[] =>
      checkNewDrug(
        {
          knowledge,
          index,
          medications: [],
          allergies: [{ substance, substanceCode: null, kind: 'allergy', status: 'active' }],
          patient: { birthDate: '1970-01-01', today: '2026-01-01', weightKg: null, weightDate: null },
        },
        rxcui,
      ).alerts.map((a) => a.ruleId);
    expect(alertOn('Beta-lactam antibiotics', '308191')).toEqual(['penicillin-penicillins']);
    expect(alertOn('beta lactam', '309114')).toEqual(['penicillin-cephalosporins']);
    expect(alertOn('HIT 2019', '854235')).toEqual(['heparin-heparins']);
    expect(alertOn('trimethoprim', '9524')).toEqual([]);
  });
});
