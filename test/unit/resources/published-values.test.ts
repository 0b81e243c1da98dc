import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpretVital, normalBand } from '../../../shared/domain/vitals';
import { UNVERIFIED_NOTE, VITAL_REFERENCES } from '../../../shared/domain/vitals/sources';

/*
 * Issue #23 item 5: a handful of values from each shipped reference table, checked against what its publisher
 * publishes. Every expected value below was read from the source named in the comment above it, not from our files;
 * the provenance of each file is in its folder's README.md or SOURCES.md. Cairn's own configuration (schedule hours,
 * appointment types, note templates) has no publisher and is not checked here.
 */

const RES = join(process.cwd(), 'resources');
const text = (...path: string[]): string => readFileSync(join(RES, ...path), 'utf8');
const json = <T>(...path: string[]): T => JSON.parse(text(...path)) as T;

/** A TSV as rows keyed by its first column (the first row with that key wins; `#` lines skipped). */
function tsv(...path: string[]): Map<string, string[]> {
  const rows = text(...path)
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split('\t'));
  const byKey = new Map<string, string[]>();
  for (const row of rows) if (!byKey.has(row[0]!)) byKey.set(row[0]!, row);
  return byKey;
}

describe('codesets/icd10cm.tsv (CMS/NCHS ICD-10-CM FY2026, code descriptions in tabular order)', () => {
  const icd = tsv('codesets', 'icd10cm.tsv');
  it('has the published titles and billable flags', () => {
    // CMS FY2026 tabular order file: I10 is a valid (billable) code titled "Essential (primary) hypertension".
    expect(icd.get('I10')).toEqual(['I10', '1', 'Essential (primary) hypertension', 'Essential (primary) hypertension']);
    // E11.9 "Type 2 diabetes mellitus without complications" is billable; its category E11 is a header, not billable.
    expect(icd.get('E11.9')?.slice(1, 3)).toEqual(['1', 'Type 2 diabetes mellitus without complications']);
    expect(icd.get('E11')?.[1]).toBe('0');
    // J45.909 "Unspecified asthma, uncomplicated", billable.
    expect(icd.get('J45.909')?.slice(1, 4)).toEqual(['1', 'Unspecified asthma, uncomplicated', 'Unspecified asthma, uncomplicated']);
    // Z00.00 long title "Encounter for general adult medical examination without abnormal findings".
    expect(icd.get('Z00.00')?.[3]).toBe('Encounter for general adult medical examination without abnormal findings');
  });

  it('maps the Cairn abbreviations and the Synthea SNOMED starter map onto those published codes', () => {
    const synonyms = json<{ synonyms: { term: string; codes: string[] }[] }>('codesets', 'icd10cm-synonyms.json').synonyms;
    expect(synonyms.find((s) => s.term === 'htn')?.codes[0]).toBe('I10');
    expect(synonyms.find((s) => s.term === 'dm2')?.codes[0]).toBe('E11.9');
    // SNOMED CT International: 38341003 "Hypertensive disorder, systemic arterial", 44054006 "Diabetes mellitus type 2",
    // 195967001 "Asthma"; each mapped to the ICD-10-CM code above.
    const snomed = tsv('codesets', 'snomed-icd10-synthea.tsv');
    expect(['38341003', '44054006', '195967001'].map((c) => snomed.get(c)?.[1])).toEqual(['I10', 'E11.9', 'J45.909']);
  });
});

describe('codesets/cvx.tsv, mvx.tsv, cvx-vaccine-groups.tsv (CDC IIS code sets, 2025-12-09)', () => {
  const cvx = tsv('codesets', 'cvx.tsv');
  const mvx = tsv('codesets', 'mvx.tsv');
  const groups = tsv('codesets', 'cvx-vaccine-groups.tsv');
  const groupsOf = (code: string): string[] =>
    text('codesets', 'cvx-vaccine-groups.tsv')
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((r) => r[0] === code)
      .map((r) => r[3]!)
      .sort();

  it('has the CDC CVX short descriptions and statuses', () => {
    // CDC CVX table (and US Core's CVX value set): 08 "Hep B, adolescent or pediatric", 20 "DTaP", 03 "MMR".
    expect(cvx.get('08')?.[1]).toBe('Hep B, adolescent or pediatric');
    expect(cvx.get('08')?.[2]).toBe('hepatitis B vaccine, pediatric or pediatric/adolescent dosage');
    expect(cvx.get('20')?.slice(1, 4)).toEqual(['DTaP', 'diphtheria, tetanus toxoids and acellular pertussis vaccine', 'Active']);
    expect(cvx.get('03')?.[1]).toBe('MMR');
    // CVX 140, reactivated as trivalent for 2024/2025: "Influenza, split virus, trivalent, PF".
    expect(cvx.get('140')?.[1]).toBe('Influenza, split virus, trivalent, PF');
    // CVX 208, Pfizer's original 30 mcg monovalent COVID-19 vaccine, inactive since FDA rescinded it (2023-04-18).
    expect(cvx.get('208')?.slice(1, 2)).toEqual(['COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose']);
    expect(cvx.get('208')?.[3]).toBe('Inactive');
  });

  it('has the CDC MVX manufacturer names', () => {
    // CDC MVX table: PFR "Pfizer, Inc", MSD "Merck and Co., Inc.", SKB "GlaxoSmithKline", PMC "Sanofi Pasteur".
    expect(mvx.get('PFR')?.[1]).toBe('Pfizer, Inc');
    expect(mvx.get('MSD')?.[1]).toBe('Merck and Co., Inc.');
    expect(mvx.get('SKB')?.[1]).toBe('GlaxoSmithKline');
    expect(mvx.get('PMC')?.[1]).toBe('Sanofi Pasteur');
  });

  it('puts combination vaccines in each of their CDC vaccine groups', () => {
    // CDC vax2vg: MMRV (94) is in MMR and VARICELLA; DTaP-HepB-IPV (110) in DTAP, HepB and POLIO; 08 in HepB (group CVX 45).
    expect(groupsOf('94')).toEqual(['MMR', 'VARICELLA']);
    expect(groupsOf('110')).toEqual(['DTAP', 'HepB', 'POLIO']);
    expect(groups.get('08')?.slice(3)).toEqual(['HepB', '45']);
    expect(groups.get('208')?.[3]).toBe('COVID-19');
  });
});

describe('codesets/loinc-common.tsv and labs/order-sets.json (Regenstrief LOINC)', () => {
  const loinc = tsv('codesets', 'loinc-common.tsv');
  it('has the LOINC long common names', () => {
    // loinc.org/2345-7, /4548-4, /2160-0, /718-7.
    expect(loinc.get('2345-7')?.[1]).toBe('Glucose [Mass/volume] in Serum or Plasma');
    expect(loinc.get('4548-4')?.[1]).toBe('Hemoglobin A1c/Hemoglobin.total in Blood');
    expect(loinc.get('2160-0')?.[1]).toBe('Creatinine [Mass/volume] in Serum or Plasma');
    expect(loinc.get('718-7')?.[1]).toBe('Hemoglobin [Mass/volume] in Blood');
  });

  it('orders the published LOINC panels with the analytes of their CPT panel definitions', () => {
    type OrderSet = { id: string; orderable: { loinc: string; display: string }; components: { loinc: string }[] };
    const sets = new Map(json<{ orderSets: OrderSet[] }>('labs', 'order-sets.json').orderSets.map((s) => [s.id, s]));
    // loinc.org/24323-8 "Comprehensive metabolic 2000 panel - Serum or Plasma": the 14 analytes of CPT 80053 (albumin,
    // total bilirubin, calcium, CO2, chloride, creatinine, glucose, alkaline phosphatase, potassium, total protein,
    // sodium, ALT, AST, urea nitrogen).
    expect(sets.get('cmp')?.orderable).toEqual({ loinc: '24323-8', display: 'Comprehensive metabolic 2000 panel - Serum or Plasma' });
    const cmp = ['1751-7', '1975-2', '17861-6', '2028-9', '2075-0', '2160-0', '2345-7', '6768-6', '2823-3', '2885-2', '2951-2', '1742-6', '1920-8', '3094-0'];
    expect(sets.get('cmp')?.components.map((c) => c.loinc).sort()).toEqual(cmp.sort());
    // loinc.org/24321-2 basic metabolic 2000 panel: the 8 analytes of CPT 80048.
    const bmp = ['17861-6', '2028-9', '2075-0', '2160-0', '2345-7', '2823-3', '2951-2', '3094-0'];
    expect(sets.get('bmp')?.orderable.loinc).toBe('24321-2');
    expect(sets.get('bmp')?.components.map((c) => c.loinc).sort()).toEqual(bmp.sort());
    // loinc.org/24331-1 "Lipid 1996 panel": cholesterol, triglyceride, HDL and LDL (CPT 80061); CBC is 58410-2.
    expect(sets.get('lipid')?.orderable.loinc).toBe('24331-1');
    expect(sets.get('lipid')?.components.map((c) => c.loinc).sort()).toEqual(['13457-7', '2085-9', '2093-3', '2571-8']);
    expect(sets.get('cbc')?.orderable.loinc).toBe('58410-2');
  });
});

type Interval = { fromDose: number | 'previous'; min: string; recommended?: string };
type Dose = { dose: number; window?: string; recommendedAge?: string; minAge: string; maxAge?: string; intervals?: Interval[] };
type Series = { id: string; cvx: string[]; doses?: Dose[]; variants?: { id: string; when?: unknown; doses: Dose[] }[]; minAge?: string };

describe('immunizations/schedule.json (CDC child/adolescent and adult schedules, United States, 2025)', () => {
  const file = json<{ gracePeriodDays: number; series: Series[] }>('immunizations', 'schedule.json');
  const series = (id: string): Series => file.series.find((s) => s.id === id)!;
  const dose = (id: string, n: number, variant?: string): Dose =>
    (variant ? series(id).variants!.find((v) => v.id === variant)!.doses : series(id).doses!).find((d) => d.dose === n)!;

  it('encodes the table 1 ages', () => {
    // Table 1: HepB dose 1 at birth, dose 2 at 1–2 months, dose 3 at 6–18 months.
    expect(dose('hepb', 1).recommendedAge).toBe('0 days');
    expect([dose('hepb', 2).window, dose('hepb', 3).window]).toEqual(['1-2 months', '6-18 months']);
    // Table 1: MMR dose 1 at 12–15 months, dose 2 at 4–6 years; notes: minimum age 12 months.
    expect(dose('mmr', 1)).toMatchObject({ window: '12-15 months', recommendedAge: '12 months', minAge: '12 months' });
    expect(dose('mmr', 2)).toMatchObject({ window: '4-6 years', recommendedAge: '4 years' });
    // Table 1: DTaP at 2, 4, 6 months; notes: minimum age 6 weeks. Tdap at 11–12 years.
    expect(dose('dtap', 1)).toMatchObject({ recommendedAge: '2 months', minAge: '6 weeks' });
    expect(dose('tdap-td', 1)).toMatchObject({ window: '11-12 years', recommendedAge: '11 years' });
    // Influenza: annual from age 6 months. Adult schedule: RZV from age 50, 2 doses 2–6 months apart.
    expect(series('influenza').minAge).toBe('6 months');
    expect(dose('zoster', 1).minAge).toBe('50 years');
    expect(dose('zoster', 2).window).toBe('2-6 months after dose 1');
  });

  it('encodes the catch-up table minimums and the notes', () => {
    // Catch-up table 2: HepB dose 3 minimum age 24 weeks, 8 weeks after dose 2 and 16 weeks after dose 1.
    expect(dose('hepb', 3).minAge).toBe('24 weeks');
    expect(dose('hepb', 3).intervals).toEqual([
      { fromDose: 'previous', min: '8 weeks' },
      { fromDose: 1, min: '16 weeks' },
    ]);
    // Rotavirus notes: maximum age 14 weeks 6 days for dose 1 and 8 months 0 days for the last dose.
    expect(dose('rotavirus', 1, 'rv5-3-dose').maxAge).toBe('14 weeks 6 days');
    expect(dose('rotavirus', 3, 'rv5-3-dose').maxAge).toBe('8 months 0 days');
    // HPV notes: 2 doses when started before the 15th birthday, minimum interval 5 months.
    const twoDose = series('hpv').variants!.find((v) => v.id === '2-dose')!;
    expect(twoDose.when).toEqual({ firstDoseBeforeAge: '15 years' });
    expect(twoDose.doses[1]!.intervals![0]).toMatchObject({ fromDose: 1, min: '5 months' });
    // General notes: doses given ≤ 4 days before the minimum age or interval are valid.
    expect(file.gracePeriodDays).toBe(4);
  });

  it('counts MMRV toward MMR, as the CDC vaccine-group table does', () => {
    expect(series('mmr').cvx).toEqual(expect.arrayContaining(['03', '94']));
  });
});

describe('preventive/rules.json (USPSTF final recommendation statements)', () => {
  type Rule = { id: string; minAge: number; maxAge: number; sex?: string; citation: { grade: string; published: string }; satisfiedBy: { every: string }[] };
  const rules = new Map(json<{ rules: Rule[] }>('preventive', 'rules.json').rules.map((r) => [r.id, r]));
  it('applies each recommendation to its published ages', () => {
    // USPSTF 2021-05-18: screen for colorectal cancer at 45 to 75 (A for 50–75, B for 45–49); colonoscopy every 10 years.
    expect(rules.get('colorectal-cancer-screening')).toMatchObject({ minAge: 45, maxAge: 75, citation: { published: '2021-05' } });
    expect(rules.get('colorectal-cancer-screening')?.satisfiedBy[0]?.every).toBe('10 years');
    // USPSTF 2024-04: biennial screening mammography for women 40 to 74 (B).
    expect(rules.get('breast-cancer-screening')).toMatchObject({ minAge: 40, maxAge: 74, sex: 'female', citation: { grade: 'B' } });
    expect(rules.get('breast-cancer-screening')?.satisfiedBy[0]?.every).toBe('2 years');
    // USPSTF 2018: cervical cancer screening 21 to 65 (A). 2020: hepatitis C 18 to 79 (B). 2019: HIV 15 to 65 (A).
    expect(rules.get('cervical-cancer-screening')).toMatchObject({ minAge: 21, maxAge: 65, sex: 'female' });
    expect(rules.get('hepatitis-c-screening')).toMatchObject({ minAge: 18, maxAge: 79 });
    expect(rules.get('hiv-screening')).toMatchObject({ minAge: 15, maxAge: 65 });
    // USPSTF 2021: prediabetes and type 2 diabetes 35 to 70 (B); 2022: statins, 40 to 75 (B).
    expect(rules.get('diabetes-screening')).toMatchObject({ minAge: 35, maxAge: 70 });
    expect(rules.get('lipid-screening')).toMatchObject({ minAge: 40, maxAge: 75 });
  });
});

type Drug = {
  rxcui: string;
  tty: string;
  name: string;
  ingredients: { name: string; rxcui: string }[];
  adult: { maxSingle: number | null; maxDaily: number | null; unit: string } | null;
};

describe('drugs/*.json (RxNorm, FDA labels, ONC, DEA, FDA food allergens, AAAAI/ACAAI 2022)', () => {
  const drugs = json<{ drugs: Drug[] }>('drugs', 'drugs.json').drugs;
  const single = (ingredient: string, test: RegExp): Drug[] =>
    drugs.filter((d) => d.ingredients.length === 1 && d.ingredients[0]!.name === ingredient && test.test(d.name));

  it('uses the RxNorm ingredient codes', () => {
    // NLM RxNorm ingredient (IN) RXCUIs: acetaminophen 161, ibuprofen 5640, metformin 6809, lisinopril 29046,
    // atorvastatin 83367; SCD 313782 is "Acetaminophen 325 MG Oral Tablet".
    const rxcui = (name: string): string[] => [...new Set(drugs.flatMap((d) => d.ingredients.filter((i) => i.name === name).map((i) => i.rxcui)))];
    expect(['acetaminophen', 'ibuprofen', 'metformin', 'lisinopril', 'atorvastatin'].map(rxcui)).toEqual([['161'], ['5640'], ['6809'], ['29046'], ['83367']]);
    expect(drugs.find((d) => d.rxcui === '313782')?.name).toBe('Acetaminophen 325 MG Oral Tablet');
  });

  it('holds the well-known label maxima', () => {
    // Acetaminophen (FDA OTC labeling, liver warning): no more than 4,000 mg in 24 hours, 1,000 mg a dose.
    const apap = single('acetaminophen', /./);
    expect(apap.length).toBeGreaterThan(0);
    for (const d of apap) expect(d.adult, d.name).toMatchObject({ maxSingle: 1000, maxDaily: 4000, unit: 'mg' });
    // Prescription ibuprofen label (400/600/800 mg tablets): "Do not exceed 3200 mg total daily dose", 800 mg a dose.
    // The ingredient entry carries it; the OTC 200 mg label's 1,200 mg/day is not modelled (see drugs/SOURCES.md).
    expect(drugs.find((d) => d.rxcui === '5640' && d.tty === 'IN')?.adult).toMatchObject({ maxSingle: 800, maxDaily: 3200, unit: 'mg' });
    // Metformin labels: immediate release up to 2,550 mg a day; extended release up to 2,000 mg once daily.
    for (const d of single('metformin', /^(?!.*Extended Release)/)) expect(d.adult?.maxDaily, d.name).toBe(2550);
    for (const d of single('metformin', /Extended Release/)) expect(d.adult?.maxDaily, d.name).toBe(2000);
  });

  it('marks the 15 ONC high-priority interactions (Phansalkar et al., JAMIA 2012, Table 2)', () => {
    type Side = { ingredient?: string; class?: string };
    const rules = json<{ interactions: { a: Side; b: Side; severity: string; oncHighPriority?: boolean }[] }>('drugs', 'interactions.json').interactions;
    const name = (s: Side): string => s.ingredient ?? s.class ?? '';
    const onc = rules.filter((r) => r.oncHighPriority === true);
    // The 15 pairs as listed there (and in Am J Health Syst Pharm 2022;79:1086, Table 4), in Cairn's class names.
    expect(onc.map((r) => [name(r.a), name(r.b)].sort().join(' + ')).sort()).toEqual(
      [
        'maoi + stimulant',
        'atazanavir + ppi',
        'febuxostat + thiopurine',
        'maoi + ssri',
        'irinotecan + strong-cyp3a4-inhibitor',
        'maoi + serotonergic-opioid',
        'maoi + tricyclic',
        'qt-high-risk + qt-prolonging',
        'ramelteon + strong-cyp1a2-inhibitor',
        'hiv-protease-inhibitor + strong-cyp3a4-inducer',
        'cyp3a4-sensitive-statin + strong-cyp3a4-inhibitor',
        'ergot-alkaloid + strong-cyp3a4-inhibitor',
        'strong-cyp1a2-inhibitor + tizanidine',
        'procarbazine + tranylcypromine',
        'maoi + triptan',
      ].sort(),
    );
    expect(onc.every((r) => r.severity === 'contraindicated')).toBe(true);
  });

  it('holds the DEA schedules of 21 CFR 1308', () => {
    const file = json<{ ingredients: { ingredient: string; schedule: string }[]; products: { rxcui: string; schedule: string }[] }>('drugs', 'controlled-substances.json');
    const schedule = new Map(file.ingredients.map((i) => [i.ingredient, i.schedule]));
    // §1308.12 (II): oxycodone, hydrocodone (since 2014), fentanyl, methylphenidate; §1308.13 (III): buprenorphine;
    // §1308.14 (IV): alprazolam, tramadol (since 2014), zolpidem; §1308.15 (V): pregabalin.
    const expected = { oxycodone: 'CII', hydrocodone: 'CII', fentanyl: 'CII', methylphenidate: 'CII', buprenorphine: 'CIII', alprazolam: 'CIV', tramadol: 'CIV', zolpidem: 'CIV', pregabalin: 'CV' };
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, schedule.get(k)]))).toEqual(expected);
    // §1308.13(e): codeine combinations of not more than 90 mg per dosage unit are Schedule III (Tylenol with Codeine #3).
    expect(file.products.find((p) => p.rxcui === '993781')?.schedule).toBe('CIII');
  });

  it('offers the nine FDA major food allergens and follows the 2022 drug allergy practice parameter', () => {
    const allergens = json<{ allergens: { id: string; type: string }[] }>('drugs', 'allergens.json').allergens;
    // FDA: milk, eggs, fish, crustacean shellfish, tree nuts, peanuts, wheat, soybeans, sesame (FASTER Act 2021).
    expect(allergens.filter((a) => a.type === 'food').map((a) => a.id).sort()).toEqual(['eggs', 'fish', 'milk', 'peanut', 'sesame', 'shellfish', 'soy', 'tree-nuts', 'wheat']);
    const groups = new Map(json<{ groups: { id: string; alertsOnClasses: string[]; severity: string }[] }>('drugs', 'allergy-groups.json').groups.map((g) => [g.id, g]));
    // Khan DA et al., J Allergy Clin Immunol 2022: no cross-reactivity between sulfonamide antibiotics and non-antibiotic
    // sulfonamides (diuretics, sulfonylureas); penicillin allergy does not forbid cephalosporins (low cross-reactivity).
    expect(groups.get('sulfonamide-antibiotic')?.alertsOnClasses).not.toEqual(expect.arrayContaining(['loop-diuretic']));
    expect(groups.get('sulfonamide-antibiotic')?.alertsOnClasses.some((c) => /diuretic|sulfonylurea/.test(c))).toBe(false);
    expect(groups.get('penicillin-cephalosporins')?.severity).not.toBe('contraindicated');
    // NSAID labels (DailyMed): avoid use with other NSAIDs, so two NSAIDs are a major duplicate.
    const duplicates = json<{ classes: { class: string; severity: string }[] }>('drugs', 'duplicate-classes.json').classes;
    expect(duplicates.find((c) => c.class === 'nsaid')?.severity).toBe('major');
  });
});

describe('security/common-passwords.txt (@zxcvbn-ts/language-common 4.1.3, src/passwords.json)', () => {
  it('is that list, in its order', () => {
    const list = text('security', 'common-passwords.txt').trim().split('\n');
    // Read from the published package on 2026-12-05: 49,233 entries, first five below, last "xpcrew".
    expect(list.length).toBe(49_233);
    expect(list.slice(0, 5)).toEqual(['123456', 'password', '12345678', 'qwerty', '123456789']);
    expect(list[list.length - 1]).toBe('xpcrew');
  });
});

/*
 * The vital-sign thresholds of shared/domain/vitals/interpretation.ts are not files in resources/, but they are
 * reference values typed into code; shared/domain/vitals/sources.ts says which were checked. These tests hold the
 * checked ones to their published values.
 */

/** Days from birth to 100 days past the given birthday. */
const daysAt = (years: number): number => Math.floor(years * 365.25) + 100;
const ADULT = daysAt(40);

/** AAP 2017 Table 6, "Screening BP values requiring further evaluation", ages 1 to 12 (index 0 = 1 year). */
const TABLE6 = {
  boys: { sbp: [98, 100, 101, 102, 103, 105, 106, 107, 107, 108, 110, 113], dbp: [52, 55, 58, 60, 63, 66, 68, 69, 70, 72, 74, 75] },
  girls: { sbp: [98, 101, 102, 103, 104, 105, 106, 107, 108, 109, 111, 114], dbp: [54, 58, 60, 62, 64, 67, 68, 69, 71, 72, 74, 75] },
};

/** Flynn 2017 tables 4 and 5 as shipped in shared/codesets/growth (or resources/growth): age, BP percentile, SBP ×7, DBP ×7. */
function flynnRows(sex: 'boys' | 'girls'): number[][] {
  const name = `flynn2017-bp-${sex}.tsv`;
  const candidates = [join(process.cwd(), '..', 'shared', 'codesets', 'growth', name), join(RES, 'growth', name)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`${name} not found in ${candidates.join(' or ')}: the AAP Table 6 check needs the guideline's tables 4 and 5`);
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/).map(Number));
}

describe('vital-sign references (shared/domain/vitals)', () => {
  it('AAP 2017 Table 6 is the 90th BP percentile at the 5th height percentile of tables 4 and 5', () => {
    for (const sex of ['boys', 'girls'] as const) {
      // Columns: age, BP percentile, SBP at height percentiles 5…95, DBP at height percentiles 5…95.
      const at90 = flynnRows(sex).filter((r) => r[1] === 90 && r[0]! >= 1 && r[0]! <= 12);
      expect(at90.map((r) => r[2]), sex).toEqual(TABLE6[sex].sbp);
      expect(at90.map((r) => r[9]), sex).toEqual(TABLE6[sex].dbp);
    }
  });

  it('flags a child’s blood pressure from the lower of the boys’ and girls’ Table 6 values, and 120/80 from 13', () => {
    for (let age = 1; age <= 12; age += 1) {
      const i = age - 1;
      expect(normalBand('systolic', daysAt(age))?.high, `${age} y`).toBe(Math.min(TABLE6.boys.sbp[i]!, TABLE6.girls.sbp[i]!));
      expect(normalBand('diastolic', daysAt(age))?.high, `${age} y`).toBe(Math.min(TABLE6.boys.dbp[i]!, TABLE6.girls.dbp[i]!));
    }
    // Table 6: "≥ 13: 120/80" for both sexes.
    expect([normalBand('systolic', daysAt(13))?.high, normalBand('diastolic', daysAt(13))?.high]).toEqual([120, 80]);
  });

  it('uses the PALS hypotension limits', () => {
    // PALS: < 60 term neonate (0–28 days), < 70 infant, < 70 + 2 × age (1–10 years), < 90 from 10 years.
    expect(normalBand('systolic', 10)?.low).toBe(60);
    expect(normalBand('systolic', 180)?.low).toBe(70);
    expect(normalBand('systolic', daysAt(5))?.low).toBe(80);
    expect(normalBand('systolic', daysAt(10))?.low).toBe(90);
    expect(normalBand('systolic', daysAt(15))?.low).toBe(90);
  });

  it('puts the adult critical flags at the NEWS2 3-point bands', () => {
    const flag = (kind: Parameters<typeof interpretVital>[0], value: number): string => interpretVital(kind, value, ADULT).flag;
    // RCP NEWS2 Chart 1: pulse ≤ 40 and ≥ 131 score 3; respiration ≤ 8 and ≥ 25 score 3; SpO2 (scale 1) ≤ 91 % scores 3.
    expect([flag('heartRate', 40), flag('heartRate', 41), flag('heartRate', 130), flag('heartRate', 131)]).toEqual(['LL', 'L', 'H', 'HH']);
    expect([flag('respiratoryRate', 8), flag('respiratoryRate', 9), flag('respiratoryRate', 24), flag('respiratoryRate', 25)]).toEqual(['LL', 'L', 'H', 'HH']);
    expect([flag('spo2', 91), flag('spo2', 92)]).toEqual(['L', 'N']);
  });

  it('uses the ACC/AHA 2017 adult blood pressure categories and the WHO adult BMI classes', () => {
    const flag = (kind: Parameters<typeof interpretVital>[0], value: number): string => interpretVital(kind, value, ADULT).flag;
    // ACC/AHA 2017: stage 2 from 140 systolic or 90 diastolic; hypertensive crisis above 180 and/or above 120.
    expect([flag('systolic', 139), flag('systolic', 140), flag('systolic', 181)]).toEqual(['N', 'H', 'HH']);
    expect([flag('diastolic', 89), flag('diastolic', 90), flag('diastolic', 121)]).toEqual(['N', 'H', 'HH']);
    // Hypotension: below 90/60.
    expect([flag('systolic', 89), flag('diastolic', 59)]).toEqual(['L', 'L']);
    // WHO: underweight < 18.5, obese ≥ 30, obese class III ≥ 40 kg/m².
    expect([flag('bmi', 18.4), flag('bmi', 18.5), flag('bmi', 29.9), flag('bmi', 30), flag('bmi', 40)]).toEqual(['L', 'N', 'N', 'H', 'HH']);
  });

  it('puts Fleming 2011’s published medians inside the normal bands (the centile table itself is unverified)', () => {
    // Fleming S et al., Lancet 2011 (abstract): median heart rate 127/min at birth, 145 at about 1 month, 113 at 2 years;
    // median respiratory rate 44/min at birth, 26 at 2 years.
    const inside = (kind: 'heartRate' | 'respiratoryRate', value: number, ageDays: number): boolean => {
      const band = normalBand(kind, ageDays);
      return band !== null && (band.low ?? -Infinity) <= value && value < (band.high ?? Infinity);
    };
    expect([inside('heartRate', 127, 1), inside('heartRate', 145, 31), inside('heartRate', 113, 731)]).toEqual([true, true, true]);
    expect([inside('respiratoryRate', 44, 1), inside('respiratoryRate', 26, 731)]).toEqual([true, true]);
  });

  it('says for each reference whether it was checked', () => {
    for (const [key, ref] of Object.entries(VITAL_REFERENCES)) {
      expect(ref.id).toBe(key);
      expect(ref.citation.length, key).toBeGreaterThan(20);
      if (ref.verified) expect(ref.note, key).toMatch(/^Checked against /);
      else expect(ref.note, key).toBe(UNVERIFIED_NOTE);
    }
    expect(VITAL_REFERENCES.fleming2011.verified).toBe(false);
  });
});
