import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allergyGroupsFile,
  drugCatalogFile,
  duplicateClassesFile,
  interactionsFile,
  type Interactant,
} from '../../../shared/domain/drugs';
import { adultLimitsInMg } from '../../../shared/domain/med-checks/dose-checks';

const DIR = join(process.cwd(), 'resources', 'drugs');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

const catalog = drugCatalogFile.parse(readJson('drugs.json'));
const interactions = interactionsFile.parse(readJson('interactions.json'));
const allergies = allergyGroupsFile.parse(readJson('allergy-groups.json'));
const duplicates = duplicateClassesFile.parse(readJson('duplicate-classes.json'));

const drugs = catalog.drugs;
const classIds = new Set(drugs.flatMap((d) => d.classes));
const ingredientNames = new Set(drugs.flatMap((d) => d.ingredients.map((i) => i.name)));

/**
 * The 123 RXCUIs of the Synthea starter list, in its order (shared/codesets/rxnorm-synthea.tsv). Kept here so the
 * test runs without shared/; when shared/ sits beside the checkout, the list is also compared with the file.
 */
const SYNTHEA_RXCUIS = [
  '316672', '313782', '1736854', '316049', '562251', '583214', '849574', '310965', '1049221', '1043400', '1870230', '1310197',
  '757594', '748962', '751905', '866414', '315971', '309362', '282464', '389221', '1860154', '198405', '1734340', '705129',
  '834102', '1719286', '834061', '748856', '1000126', '831533', '2001499', '904419', '197604', '855332', '312961', '897718',
  '749762', '197361', '807283', '308182', '310325', '861467', '895994', '745679', '860975', '1367439', '1049630', '748879',
  '311989', '1094107', '1804799', '310436', '896209', '997488', '665078', '978950', '106258', '198014', '197319', '243670',
  '1803932', '1736776', '308971', '1534809', '309097', '1000156', '316052', '857005', '1860480', '752899', '477045', '563026',
  '1153378', '198031', '996740', '106892', '833036', '312617', '308192', '1660014', '834357', '1190795', '259255', '1605257',
  '1599803', '311995', '858069', '1856546', '749785', '197378', '328670', '998582', '1091392', '235389', '1014676', '1359133',
  '856980', '311372', '105586', '966222', '997223', '749882', '789980', '406022', '141918', '1740467', '309043', '835900',
  '608139', '314659', '313002', '1732136', '1659149', '311700', '1808217', '1234995', '542347', '73032', '313185', '1652673',
  '1363309', '309045', '997501',
];

function syntheaTsvRxcuis(): string[] | null {
  const file = join(process.cwd(), '..', 'shared', 'codesets', 'rxnorm-synthea.tsv');
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t')[0] ?? '');
}

const drugsWith = (side: Interactant): number =>
  drugs.filter((d) => ('class' in side ? d.classes.includes(side.class) : d.ingredients.some((i) => i.name === side.ingredient)))
    .length;

describe('drug catalog (resources/drugs/drugs.json)', () => {
  it('holds at least 300 drugs with unique RXCUIs', () => {
    expect(drugs.length).toBeGreaterThanOrEqual(300);
    const rxcuis = drugs.map((d) => d.rxcui);
    expect(new Set(rxcuis).size).toBe(rxcuis.length);
  });

  it('includes every RXCUI of the Synthea starter list', () => {
    expect(SYNTHEA_RXCUIS).toHaveLength(123);
    const fromTsv = syntheaTsvRxcuis();
    if (fromTsv !== null) expect(fromTsv).toEqual(SYNTHEA_RXCUIS);
    const have = new Set(drugs.map((d) => d.rxcui));
    expect(SYNTHEA_RXCUIS.filter((rxcui) => !have.has(rxcui))).toEqual([]);
  });

  it('uses lower-case ingredient names and ingredient RXCUIs only once as an IN entry', () => {
    for (const d of drugs) for (const i of d.ingredients) expect(i.name).toBe(i.name.toLowerCase());
    const inCodes = drugs.filter((d) => d.tty === 'IN').map((d) => d.rxcui);
    expect(new Set(inCodes).size).toBe(inCodes.length);
  });

  it('has pediatric dosing for at least 20 drugs, with adult caps and sane values', () => {
    const pediatric = drugs.filter((d) => d.pediatric !== null);
    expect(pediatric.length).toBeGreaterThanOrEqual(20);
    for (const d of pediatric) {
      const p = d.pediatric;
      if (p === null) continue;
      expect(p.mgPerKgDose ?? p.maxSingleMg ?? p.maxDailyMg, d.name).not.toBeNull();
      if (p.mgPerKgDose !== null && p.mgPerKgDay !== null) expect(p.mgPerKgDose, d.name).toBeLessThanOrEqual(p.mgPerKgDay);
      if (p.maxSingleMg !== null && p.maxDailyMg !== null) expect(p.maxSingleMg, d.name).toBeLessThanOrEqual(p.maxDailyMg);
    }
    for (const name of ['amoxicillin', 'azithromycin', 'cephalexin', 'cefdinir', 'ibuprofen', 'acetaminophen', 'ondansetron', 'oseltamivir']) {
      expect(pediatric.some((d) => d.ingredients.some((i) => i.name === name)), name).toBe(true);
    }
  });

  it('never lets a child\'s cap exceed the adult maximum, and caps every mg/kg limit the adult rule caps', () => {
    for (const d of drugs) {
      const p = d.pediatric;
      if (p === null) continue;
      const adult = adultLimitsInMg(d);
      if (adult.single !== null) {
        if (p.mgPerKgDose !== null) expect(p.maxSingleMg, `${d.name}: mg/kg/dose without a cap`).not.toBeNull();
        if (p.maxSingleMg !== null) expect(p.maxSingleMg, d.name).toBeLessThanOrEqual(adult.single);
      }
      if (adult.daily !== null) {
        if (p.mgPerKgDay !== null) expect(p.maxDailyMg, `${d.name}: mg/kg/day without a cap`).not.toBeNull();
        if (p.maxDailyMg !== null) expect(p.maxDailyMg, d.name).toBeLessThanOrEqual(adult.daily);
      }
    }
  });

  it('keeps adult single doses within daily maxima', () => {
    for (const d of drugs) {
      const a = d.adult;
      if (a?.maxSingle != null && a.maxDaily !== null) expect(a.maxSingle, d.name).toBeLessThanOrEqual(a.maxDaily);
    }
  });

  it('cites only sources declared in its header', () => {
    const ids = new Set(catalog.sources.map((s) => s.id));
    for (const d of drugs) for (const s of d.sources) expect(ids.has(s), `${d.name}: ${s}`).toBe(true);
  });
});

describe('interactions (resources/drugs/interactions.json)', () => {
  const rules = interactions.interactions;

  it('marks exactly the 15 ONC high-priority pairs, all contraindicated', () => {
    const onc = rules.filter((r) => r.oncHighPriority);
    expect(onc).toHaveLength(15);
    for (const r of onc) expect(r.severity, r.id).toBe('contraindicated');
  });

  it('has at least 55 rules with unique ids', () => {
    expect(rules.length).toBeGreaterThanOrEqual(55);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('references only ingredients and classes that exist in the catalog', () => {
    for (const r of rules) {
      for (const side of [r.a, r.b]) {
        if ('class' in side) expect(classIds.has(side.class), `${r.id}: class ${side.class}`).toBe(true);
        else expect(ingredientNames.has(side.ingredient), `${r.id}: ingredient ${side.ingredient}`).toBe(true);
        expect(drugsWith(side), r.id).toBeGreaterThan(0);
      }
    }
  });

  it('covers the pairs clinicians expect', () => {
    const has = (a: Interactant, b: Interactant): boolean =>
      rules.some((r) => JSON.stringify([r.a, r.b]) === JSON.stringify([a, b]) || JSON.stringify([r.b, r.a]) === JSON.stringify([a, b]));
    expect(has({ class: 'vka-anticoagulant' }, { class: 'nsaid' })).toBe(true);
    expect(has({ class: 'nitrate' }, { class: 'pde5-inhibitor' })).toBe(true);
    expect(has({ class: 'ssri' }, { class: 'maoi' })).toBe(true);
    expect(has({ class: 'opioid' }, { class: 'benzodiazepine' })).toBe(true);
    expect(has({ class: 'qt-prolonging' }, { class: 'qt-prolonging' })).toBe(true);
    expect(has({ ingredient: 'methotrexate' }, { ingredient: 'trimethoprim' })).toBe(true);
  });

  it('cites only sources declared in its header', () => {
    const ids = new Set(interactions.sources.map((s) => s.id));
    for (const r of rules) for (const s of r.sources) expect(ids.has(s), `${r.id}: ${s}`).toBe(true);
  });
});

describe('allergy groups (resources/drugs/allergy-groups.json)', () => {
  it('alerts only on classes that exist in the catalog', () => {
    for (const g of allergies.groups) for (const c of g.alertsOnClasses) expect(classIds.has(c), `${g.id}: ${c}`).toBe(true);
  });

  it('covers penicillin allergy for penicillins and cephalosporins', () => {
    const penicillin = allergies.groups.filter((g) => g.allergyMatches.includes('penicillin'));
    expect(penicillin.find((g) => g.alertsOnClasses.includes('penicillin'))?.severity).toBe('contraindicated');
    expect(penicillin.find((g) => g.alertsOnClasses.includes('cephalosporin'))?.severity).toBe('moderate');
  });

  it('keeps sulfonamide antibiotic allergy away from thiazide and loop diuretics', () => {
    const sulfa = allergies.groups.filter((g) => g.allergyMatches.includes('sulfa'));
    expect(sulfa.length).toBeGreaterThan(0);
    for (const g of sulfa) expect(g.alertsOnClasses).not.toContain('thiazide-diuretic');
    for (const g of sulfa) expect(g.alertsOnClasses).not.toContain('loop-diuretic');
  });

  it('has unique ids and cites only declared sources', () => {
    expect(new Set(allergies.groups.map((g) => g.id)).size).toBe(allergies.groups.length);
    const ids = new Set(allergies.sources.map((s) => s.id));
    for (const g of allergies.groups) for (const s of g.sources) expect(ids.has(s), `${g.id}: ${s}`).toBe(true);
  });
});

describe('duplicate classes (resources/drugs/duplicate-classes.json)', () => {
  it('lists each class once, and only classes that exist in the catalog', () => {
    const classes = duplicates.classes.map((c) => c.class);
    expect(new Set(classes).size).toBe(classes.length);
    for (const c of classes) expect(classIds.has(c), c).toBe(true);
    for (const c of ['ssri', 'nsaid', 'ace-inhibitor', 'statin', 'ppi', 'benzodiazepine', 'opioid', 'doac-anticoagulant']) {
      expect(classes, c).toContain(c);
    }
  });
});
