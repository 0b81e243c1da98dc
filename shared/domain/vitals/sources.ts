// Where the vital-sign thresholds in interpretation.ts come from, and whether each was checked against its source.

/**
 * One reference behind the vital-sign interpretation. `verified` is true only when the values Cairn uses were
 * compared with the published source (the `note` says how); the UI marks an unverified reference as such.
 */
export interface VitalReference {
  id: string;
  name: string;
  citation: string;
  verified: boolean;
  note: string;
}

/** The note every unverified reference carries, word for word. */
export const UNVERIFIED_NOTE = 'Values not verified against the published table';

/**
 * The references of shared/domain/vitals/interpretation.ts. test/unit/resources/published-values.test.ts checks the
 * verified ones through `normalBand` and `interpretVital`, so a verified value that changes fails there.
 */
export const VITAL_REFERENCES: Record<'fleming2011' | 'aap2017screen' | 'pals2020' | 'news2' | 'adultBp' | 'who-bmi', VitalReference> = {
  fleming2011: {
    id: 'fleming2011',
    name: 'Children’s heart and respiratory rate centiles (Fleming 2011)',
    citation:
      'Fleming S, Thompson M, Stevens R, et al. Normal ranges of heart rate and respiratory rate in children from birth to 18 years of age: a systematic review of observational studies. Lancet 2011;377:1011–18. doi:10.1016/S0140-6736(10)62226-X',
    // Only the abstract (medians: heart rate 127/min at birth, 145 at about 1 month, 113 at 2 years; respiratory rate
    // 44/min at birth, 26 at 2 years) could be read; the centile table itself was not available to compare with.
    verified: false,
    note: UNVERIFIED_NOTE,
  },
  aap2017screen: {
    id: 'aap2017screen',
    name: 'Children’s blood pressure screening values (AAP 2017, Table 6)',
    citation:
      'Flynn JT, Kaelber DC, Baker-Smith CM, et al. Clinical Practice Guideline for Screening and Management of High Blood Pressure in Children and Adolescents. Pediatrics 2017;140(3):e20171904, Table 6. doi:10.1542/peds.2017-1904',
    verified: true,
    note: 'Checked against the guideline’s own tables: every Table 6 value for ages 1–12 equals the 90th BP percentile at the 5th height percentile of Tables 4 and 5 (shared codesets flynn2017-bp-boys/girls.tsv), and matches a published reproduction of Table 6; Cairn uses the lower of the boys’ and girls’ values (the boys’ at every age) and 120/80 from 13 years.',
  },
  pals2020: {
    id: 'pals2020',
    name: 'Children’s hypotension limits (PALS)',
    citation:
      'American Heart Association. Pediatric Advanced Life Support Provider Manual (2020 guidelines): systolic hypotension < 60 mm Hg in term neonates (0–28 days), < 70 in infants (1–12 months), < 70 + 2 × age in years from 1 to 10 years, < 90 from 10 years.',
    verified: true,
    note: 'Checked against published reproductions of the PALS definition (< 60 term neonates, < 70 infants, < 70 + 2 × age from 1 to 10 years, < 90 from 10 years; the formula as cited in J Trauma Acute Care Surg 2019;86:448–453); the AHA manual itself was not read.',
  },
  news2: {
    id: 'news2',
    name: 'Adult heart rate, respiratory rate and SpO2 limits (NEWS2)',
    citation:
      'Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS. London: RCP, 2017, Chart 1.',
    verified: true,
    note: 'Checked against the RCP NEWS2 Chart 1 scoring bands: pulse ≤ 40 and ≥ 131, respiration ≤ 8 and ≥ 25 score 3 (Cairn’s critical flags), SpO2 scale 1 ≤ 91 % scores 3 (Cairn’s low flag below 92 %). The adult normal ranges (heart rate 60–100, respiration 12–20) are the usual clinical ranges, not NEWS2 bands.',
  },
  adultBp: {
    id: 'adultBp',
    name: 'Adult blood pressure limits',
    citation:
      'Whelton PK, Carey RM, et al. 2017 ACC/AHA guideline for the prevention, detection, evaluation, and management of high blood pressure in adults. Hypertension 2018;71:e13–e115 (stage 2 ≥ 140/90; hypertensive crisis > 180 and/or > 120). Hypotension below 90/60 is the usual clinical definition.',
    verified: true,
    note: 'Checked against the ACC/AHA 2017 BP categories: 140/90 match, and Cairn flags critical above 180 or above 120 (from 181/121), as the guideline defines a crisis; the 90/60 lower limit was checked only against secondary sources.',
  },
  'who-bmi': {
    id: 'who-bmi',
    name: 'Adult BMI classes (WHO)',
    citation:
      'World Health Organization. Obesity: preventing and managing the global epidemic. WHO Technical Report Series 894, 2000 (underweight < 18.5, obesity ≥ 30, obese class III ≥ 40 kg/m²).',
    verified: true,
    note: 'Checked against the WHO adult BMI classification as reproduced from WHO/FAO TRS 916 (Table 8): < 18.5 underweight, ≥ 30 obese, ≥ 40 obese class III.',
  },
};
