/**
 * Clinical quality measures (eCQM logic, CMS numbering) as pure functions over chart facts and a
 * reporting period. Each measure sorts every patient into: not in the denominator, excluded (a
 * denominator exclusion), in the numerator, or a gap (in the denominator, not excluded, not in the
 * numerator). For an inverse measure (CMS122: poor control) the numerator is the bad outcome.
 *
 * Value sets are represented by the codes Cairn records; where the published logic needs data
 * Cairn does not keep, the measure says so in `approximations` (shown with every report).
 */
import { addDays, addYears } from './dates';
import { ageOn, birthdayAt, compileCodes, conditionMatches, conditionOverlaps, type CodeMatch, type CodeSet, type PatientFacts } from './population';

/** A reporting period, both ends included (YYYY-MM-DD). */
export interface Period {
  start: string;
  end: string;
}

export type Outcome = 'not_in_denominator' | 'excluded' | 'numerator' | 'gap';

export interface PopulationSpec {
  id: string;
  label: string;
  /** The numerator is the outcome to avoid (lower is better). */
  inverse: boolean;
}

export interface MeasureContext {
  /** CVX code → vaccine group names (resources/codesets/cvx-vaccine-groups.tsv). */
  cvxGroups: ReadonlyMap<string, readonly string[]>;
}

export interface MeasureDefinition {
  id: string;
  title: string;
  /** The published version the logic follows. */
  version: string;
  populations: readonly PopulationSpec[];
  approximations: readonly string[];
  /** One outcome per population, in `populations` order. */
  evaluate(p: PatientFacts, period: Period, ctx: MeasureContext): Outcome[];
}

const codes = (m: CodeMatch): CodeSet => compileCodes(m);

const HOSPICE_OR_PALLIATIVE = codes({ icd10: ['Z51.5'], snomed: ['385763009', '103735009', '305284002'] });
const HYPERTENSION = codes({ icd10: ['I10'], snomed: ['38341003', '59621000'] });
const DIABETES = codes({ icd10: ['E10', 'E11', 'E13'], snomed: ['44054006', '46635009', '73211009'] });
const ESRD_DIALYSIS_TRANSPLANT = codes({ icd10: ['N18.6', 'Z99.2', 'Z94.0'], snomed: ['46177005', '433146000', '265764009', '70536003'] });
const PREGNANCY = codes({ icd10: ['O', 'Z33.1', 'Z34'], snomed: ['72892002', '77386006'] });
const BILATERAL_MASTECTOMY = codes({ icd10: ['Z90.13'], snomed: ['27865001', '456903003'] });
const COLORECTAL_CANCER = codes({ icd10: ['C18', 'C19', 'C20', 'C21.2', 'C21.8'], snomed: ['93761005', '363406005', '363351006'] });
const TOTAL_COLECTOMY = codes({ snomed: ['26390003'], cpt: ['44150', '44155', '44156', '44157', '44158', '44210', '44211', '44212'] });

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
const HBA1C = new Set(['4548-4', '17856-6']);
const MAMMOGRAM = codes({
  loinc: [
    '24604-1',
    '24605-8',
    '24606-6',
    '24610-8',
    '26346-7',
    '26347-5',
    '26348-3',
    '26349-1',
    '26350-9',
    '26351-7',
    '36319-2',
    '36625-2',
    '36626-0',
    '36627-8',
  ],
  snomed: ['71651007', '24623002', '43204002', '241055006', '241057003'],
  cpt: ['77065', '77066', '77067'],
});
const FOBT = codes({
  loinc: ['2335-8', '27396-1', '29771-3', '56490-6', '56491-4', '57905-2', '12503-9', '12504-7', '14563-1', '14564-9', '14565-6'],
  snomed: ['1015401000000102', '104435004', '441579003'],
});
const FIT_DNA = codes({ loinc: ['77353-1', '77354-9'] });
const CT_COLONOGRAPHY = codes({ loinc: ['60515-4', '72531-7'], cpt: ['74261', '74262', '74263'] });
const FLEX_SIG = codes({ snomed: ['44441009', '425634007'], cpt: ['45330', '45331', '45333', '45338'] });
const COLONOSCOPY = codes({ snomed: ['73761001', '310634005', '446521004'], cpt: ['45378', '45380', '45381', '45384', '45385', '45388'] });
const TOBACCO_SCREEN = new Set(['72166-2', '68535-4', '11366-2', '39240-7']);
/** Answers that say the patient uses tobacco (SNOMED CT). */
const TOBACCO_USER = new Set(['449868002', '428041000124106', '77176002', '65568007', '428071000124103', '428061000124105', '81703003', '713914004']);
const CESSATION_COUNSELING = codes({ snomed: ['225323000', '710081004', '185795007', '171055003', '384742004'] });
const CESSATION_DRUG = /nicotine|varenicline|bupropion/i;

function inPeriod(on: string, period: Period): boolean {
  return on >= period.start && on <= period.end;
}

function hadVisit(p: PatientFacts, period: Period): boolean {
  return p.encounters.some((e) => inPeriod(e.on, period));
}

function hasConditionDuring(p: PatientFacts, set: CodeSet, from: string, to: string): boolean {
  return p.conditions.some((c) => conditionMatches(c, set) && conditionOverlaps(c, from, to));
}

function hasProcedureOrObservation(p: PatientFacts, set: CodeSet, from: string, to: string): boolean {
  return (
    p.procedures.some((x) => set.procedure.has(x.code) && x.on >= from && x.on <= to) ||
    p.observations.some((o) => set.loinc.has(o.loinc) && o.on >= from && o.on <= to)
  );
}

function hospiceOrPalliative(p: PatientFacts, period: Period): boolean {
  return (
    hasConditionDuring(p, HOSPICE_OR_PALLIATIVE, period.start, period.end) || hasProcedureOrObservation(p, HOSPICE_OR_PALLIATIVE, period.start, period.end)
  );
}

const OUT: Outcome[] = ['not_in_denominator'];

/** The most recent blood pressure in the period: on its day, the lowest systolic and the lowest diastolic. */
export function representativeBp(p: PatientFacts, period: Period): { on: string; systolic: number; diastolic: number } | null {
  let day: string | null = null;
  for (const o of p.observations) {
    if ((o.loinc === SYSTOLIC || o.loinc === DIASTOLIC) && o.value !== null && inPeriod(o.on, period) && (day === null || o.on > day)) day = o.on;
  }
  if (day === null) return null;
  let systolic = Infinity;
  let diastolic = Infinity;
  for (const o of p.observations) {
    if (o.on !== day || o.value === null) continue;
    if (o.loinc === SYSTOLIC) systolic = Math.min(systolic, o.value);
    if (o.loinc === DIASTOLIC) diastolic = Math.min(diastolic, o.value);
  }
  return systolic === Infinity || diastolic === Infinity ? null : { on: day, systolic, diastolic };
}

const cms165: MeasureDefinition = {
  id: 'CMS165',
  title: 'Controlling High Blood Pressure',
  version: 'CMS165v13 logic',
  populations: [{ id: 'main', label: 'Blood pressure below 140/90', inverse: false }],
  approximations: [
    'Hypertension is read from ICD-10-CM I10 (or SNOMED 38341003) present during the first six months of the period.',
    'The frailty and advanced-illness exclusion for ages 66 and over is not applied (Cairn does not record frailty devices or claims).',
    'Only blood pressures recorded in Cairn (vitals, imports) count; patient-reported readings are not told apart.',
  ],
  evaluate(p, period) {
    const age = ageOn(p.birthDate, period.end);
    const sixMonths = addDays(addYears(period.start, 0), 180);
    if (age < 18 || age > 85 || !hadVisit(p, period) || !hasConditionDuring(p, HYPERTENSION, '0000-01-01', sixMonths)) return OUT;
    const onsetOk = p.conditions.some(
      (c) => conditionMatches(c, HYPERTENSION) && (c.onset === null || c.onset <= sixMonths) && (c.abatement === null || c.abatement >= period.start),
    );
    if (!onsetOk) return OUT;
    if (
      hospiceOrPalliative(p, period) ||
      hasConditionDuring(p, ESRD_DIALYSIS_TRANSPLANT, '0000-01-01', period.end) ||
      hasConditionDuring(p, PREGNANCY, period.start, period.end)
    )
      return ['excluded'];
    const bp = representativeBp(p, period);
    // Important: "controlled" is strictly below both: 140/90 exactly is not controlled.
    return [bp !== null && bp.systolic < 140 && bp.diastolic < 90 ? 'numerator' : 'gap'];
  },
};

/** The most recent HbA1c in the period, or null. */
export function latestHba1c(p: PatientFacts, period: Period): { on: string; value: number | null } | null {
  let best: { on: string; value: number | null } | null = null;
  for (const o of p.observations) if (HBA1C.has(o.loinc) && inPeriod(o.on, period) && (best === null || o.on > best.on)) best = { on: o.on, value: o.value };
  return best;
}

const cms122: MeasureDefinition = {
  id: 'CMS122',
  title: 'Diabetes: Hemoglobin A1c (HbA1c) Poor Control (> 9%)',
  version: 'CMS122v13 logic',
  populations: [{ id: 'main', label: 'HbA1c above 9% or not tested (lower is better)', inverse: true }],
  approximations: [
    'Diabetes is read from ICD-10-CM E10, E11, E13 (or SNOMED) present during the period.',
    'The frailty and advanced-illness exclusion for ages 66 and over is not applied.',
  ],
  evaluate(p, period) {
    const age = ageOn(p.birthDate, period.end);
    if (age < 18 || age > 75 || !hadVisit(p, period) || !hasConditionDuring(p, DIABETES, period.start, period.end)) return OUT;
    if (hospiceOrPalliative(p, period)) return ['excluded'];
    const a1c = latestHba1c(p, period);
    // Inverse: poor control is above 9.0 % (exactly 9.0 is not), or no result at all.
    return [a1c === null || a1c.value === null || a1c.value > 9 ? 'numerator' : 'gap'];
  },
};

const cms125: MeasureDefinition = {
  id: 'CMS125',
  title: 'Breast Cancer Screening',
  version: 'CMS125v13 logic',
  populations: [{ id: 'main', label: 'Mammogram in the 27 months before the period ends', inverse: false }],
  approximations: [
    'Age band 52–74 at the end of the period, as CMS125v13; the preventive due list follows USPSTF 2024 (from 40).',
    'Sex is the recorded sex (the measure asks for sex assigned at birth).',
    'Unilateral mastectomies on both sides (Z90.11 with Z90.12) are not combined; bilateral mastectomy (Z90.13) excludes.',
  ],
  evaluate(p, period) {
    const age = ageOn(p.birthDate, period.end);
    if (p.sex !== 'female' || age < 52 || age > 74 || !hadVisit(p, period)) return OUT;
    if (
      hospiceOrPalliative(p, period) ||
      hasConditionDuring(p, BILATERAL_MASTECTOMY, '0000-01-01', period.end) ||
      hasProcedureOrObservation(p, BILATERAL_MASTECTOMY, '0000-01-01', period.end)
    )
      return ['excluded'];
    const from = `${Number(period.start.slice(0, 4)) - 2}-10-01`;
    return [hasProcedureOrObservation(p, MAMMOGRAM, from, period.end) ? 'numerator' : 'gap'];
  },
};

const cms130: MeasureDefinition = {
  id: 'CMS130',
  title: 'Colorectal Cancer Screening',
  version: 'CMS130v13 logic',
  populations: [{ id: 'main', label: 'Appropriate colorectal cancer screening', inverse: false }],
  approximations: ['Screening tests are read from the LOINC, SNOMED CT and CPT codes Cairn records (labs, procedures, imports).'],
  evaluate(p, period) {
    const age = ageOn(p.birthDate, period.end);
    if (age < 46 || age > 75 || !hadVisit(p, period)) return OUT;
    if (
      hospiceOrPalliative(p, period) ||
      hasConditionDuring(p, COLORECTAL_CANCER, '0000-01-01', period.end) ||
      hasProcedureOrObservation(p, TOTAL_COLECTOMY, '0000-01-01', period.end)
    )
      return ['excluded'];
    const yearsBack = (n: number): string => addYears(period.start, -n);
    const screened =
      hasProcedureOrObservation(p, FOBT, period.start, period.end) ||
      hasProcedureOrObservation(p, FIT_DNA, yearsBack(2), period.end) ||
      hasProcedureOrObservation(p, FLEX_SIG, yearsBack(4), period.end) ||
      hasProcedureOrObservation(p, CT_COLONOGRAPHY, yearsBack(4), period.end) ||
      hasProcedureOrObservation(p, COLONOSCOPY, yearsBack(9), period.end);
    return [screened ? 'numerator' : 'gap'];
  },
};

const cms138: MeasureDefinition = {
  id: 'CMS138',
  title: 'Preventive Care and Screening: Tobacco Use: Screening and Cessation Intervention',
  version: 'CMS138v13 logic',
  populations: [
    { id: 'screening', label: 'Screened for tobacco use', inverse: false },
    { id: 'intervention', label: 'Tobacco users given a cessation intervention', inverse: false },
    { id: 'overall', label: 'Screened, and given an intervention if a user', inverse: false },
  ],
  approximations: [
    'A visit is any encounter in the period (the measure counts two outpatient visits or one preventive visit).',
    'Cessation pharmacotherapy is recognised by drug name (nicotine, varenicline, bupropion), counseling by SNOMED CT procedure codes.',
  ],
  evaluate(p, period) {
    if (ageOn(p.birthDate, period.start) < 12 || !hadVisit(p, period)) return ['not_in_denominator', 'not_in_denominator', 'not_in_denominator'];
    if (hospiceOrPalliative(p, period)) return ['excluded', 'excluded', 'excluded'];
    const screens = p.observations.filter((o) => TOBACCO_SCREEN.has(o.loinc) && inPeriod(o.on, period)).sort((a, b) => b.on.localeCompare(a.on));
    const screened = screens.length > 0;
    const user = screened && screens[0]!.code !== null && TOBACCO_USER.has(screens[0]!.code);
    const intervention =
      hasProcedureOrObservation(p, CESSATION_COUNSELING, period.start, period.end) ||
      p.medications.some((m) => CESSATION_DRUG.test(m.name) && m.start <= period.end && (m.stop === null || m.stop >= period.start));
    return [
      screened ? 'numerator' : 'gap',
      !user ? 'not_in_denominator' : intervention ? 'numerator' : 'gap',
      screened && (!user || intervention) ? 'numerator' : 'gap',
    ];
  },
};

/** CMS117: doses needed by the second birthday, per vaccine group, with the youngest age a dose counts. */
const CHILD_SERIES: readonly { group: string; label: string; doses: number; fromDays?: number; fromFirstBirthday?: boolean }[] = [
  { group: 'DTAP', label: 'DTaP', doses: 4, fromDays: 42 },
  { group: 'POLIO', label: 'IPV', doses: 3, fromDays: 42 },
  { group: 'MMR', label: 'MMR', doses: 1, fromFirstBirthday: true },
  { group: 'HIB', label: 'HiB', doses: 3, fromDays: 42 },
  { group: 'HepB', label: 'hepatitis B', doses: 3 },
  { group: 'VARICELLA', label: 'varicella', doses: 1, fromFirstBirthday: true },
  { group: 'PneumoPCV', label: 'pneumococcal conjugate', doses: 4, fromDays: 42 },
  { group: 'HepA', label: 'hepatitis A', doses: 1, fromFirstBirthday: true },
  { group: 'ROTAVIRUS', label: 'rotavirus', doses: 2, fromDays: 42 },
  { group: 'FLU', label: 'influenza', doses: 2, fromDays: 180 },
];
const ROTARIX = '119';

/** Which childhood series are incomplete at the second birthday (empty when all are done). */
export function childhoodGaps(p: PatientFacts, ctx: MeasureContext): string[] {
  const second = birthdayAt(p.birthDate, 2);
  const first = birthdayAt(p.birthDate, 1);
  const gaps: string[] = [];
  for (const s of CHILD_SERIES) {
    const from = s.fromFirstBirthday ? first : addDays(p.birthDate, s.fromDays ?? 0);
    const given = p.immunizations.filter((i) => i.on >= from && i.on <= second && (ctx.cvxGroups.get(i.cvx) ?? []).includes(s.group));
    // Rotavirus: two doses of the 2-dose vaccine (Rotarix), else three.
    const needed = s.group === 'ROTAVIRUS' && !given.every((g) => g.cvx === ROTARIX) ? 3 : s.doses;
    const days = new Set(given.map((g) => g.on));
    if (days.size < needed) gaps.push(`${s.label} ${days.size}/${needed}`);
  }
  return gaps;
}

const cms117: MeasureDefinition = {
  id: 'CMS117',
  title: 'Childhood Immunization Status',
  version: 'CMS117v13 logic',
  populations: [{ id: 'main', label: 'All recommended vaccines by the second birthday', inverse: false }],
  approximations: [
    'Vaccines count by CVX vaccine group (CDC table); documented immunity or anaphylaxis in place of a dose is not read.',
    'Rotavirus needs 2 doses when every dose was Rotarix (CVX 119), else 3.',
  ],
  evaluate(p, period, ctx) {
    const second = birthdayAt(p.birthDate, 2);
    if (!inPeriod(second, period) || !hadVisit(p, period)) return OUT;
    if (hospiceOrPalliative(p, period)) return ['excluded'];
    return [childhoodGaps(p, ctx).length === 0 ? 'numerator' : 'gap'];
  },
};

/** The LOINC codes the measures read (the facts loader reads only these observations). */
export const MEASURE_LOINCS: ReadonlySet<string> = new Set([
  SYSTOLIC,
  DIASTOLIC,
  ...HBA1C,
  ...TOBACCO_SCREEN,
  ...MAMMOGRAM.loinc,
  ...FOBT.loinc,
  ...FIT_DNA.loinc,
  ...CT_COLONOGRAPHY.loinc,
]);

/** Every measure Cairn reports, in report order. */
export const MEASURES: readonly MeasureDefinition[] = [cms165, cms122, cms125, cms130, cms138, cms117];

export interface PopulationReport extends PopulationSpec {
  denominator: number;
  exclusions: number;
  numerator: number;
  /** numerator / (denominator − exclusions), or null when nobody is eligible. */
  rate: number | null;
  patients: { denominator: string[]; excluded: string[]; numerator: string[]; gaps: string[] };
}

export interface MeasureReport {
  id: string;
  title: string;
  version: string;
  period: Period;
  approximations: readonly string[];
  populations: PopulationReport[];
}

/** All measures over a set of charts. Denominator counts include the excluded, as eCQM reports do. */
export function computeMeasures(
  patients: Iterable<PatientFacts>,
  period: Period,
  ctx: MeasureContext,
  measures: readonly MeasureDefinition[] = MEASURES,
): MeasureReport[] {
  const acc = measures.map((m) =>
    m.populations.map(() => ({ denominator: [] as string[], excluded: [] as string[], numerator: [] as string[], gaps: [] as string[] })),
  );
  for (const p of patients) {
    // Someone who died before the period began has no care in it to measure.
    if (p.deceasedOn !== null && p.deceasedOn < period.start) continue;
    measures.forEach((m, mi) => {
      m.evaluate(p, period, ctx).forEach((o, pi) => {
        if (o === 'not_in_denominator') return;
        const a = acc[mi]![pi]!;
        a.denominator.push(p.id);
        if (o === 'excluded') a.excluded.push(p.id);
        else if (o === 'numerator') a.numerator.push(p.id);
        else a.gaps.push(p.id);
      });
    });
  }
  return measures.map((m, mi) => ({
    id: m.id,
    title: m.title,
    version: m.version,
    period,
    approximations: m.approximations,
    populations: m.populations.map((spec, pi) => {
      const a = acc[mi]![pi]!;
      const eligible = a.denominator.length - a.excluded.length;
      return {
        ...spec,
        denominator: a.denominator.length,
        exclusions: a.excluded.length,
        numerator: a.numerator.length,
        rate: eligible > 0 ? a.numerator.length / eligible : null,
        patients: a,
      };
    }),
  }));
}

/** The calendar year as a period ("2026" → 2026-01-01 … 2026-12-31). */
export function yearPeriod(year: number): Period {
  return { start: `${year}-01-01`, end: `${year}-12-31` };
}
