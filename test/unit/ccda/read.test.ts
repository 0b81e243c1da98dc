import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CcdaDocument, countEntries, type DocType, OID, readCcda } from '../../../shared/ccda';

/**
 * Every C-CDA fixture reads with the right kind and patient; three documents (NIST ambulatory CCD,
 * HL7 CCD-1, HL7 Referral Note) are checked entry by entry against values read off their XML by hand.
 */
const DIR = join(__dirname, '../../fixtures/ccda');
const file = (rel: string): Buffer => readFileSync(join(DIR, rel));

function read(rel: string): CcdaDocument {
  const r = readCcda(file(rel));
  if (!r.ok) throw new Error(`${rel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

type Who = [given: string, family: string, birthDate: string, sex: 'female' | 'male'];
const EVE: Who = ['Eve', 'Betterhalf', '1975-05-01', 'female'];
const ADAM: Who = ['Adam', 'Everyman', '1954-11-25', 'male'];
const ISABELLA_2005: Who = ['Isabella', 'Jones', '2005-05-01', 'female'];

const FIXTURES: [string, DocType, Who][] = [
  ['hl7-examples/CCD_CCD-1_CCD.XML', 'CCD', EVE],
  ['hl7-examples/CCD_CCD-2_CCD.xml', 'CCD', ['Isabella', 'Jones', '1950-12-19', 'female']],
  ['hl7-examples/Care-Plan_Care_Plan.xml', 'Care Plan', EVE],
  ['hl7-examples/Consultation-Note_Consultation_Note.xml', 'Consultation Note', EVE],
  ['hl7-examples/Diagnostic-Imaging-Report_Diagnostic_Imaging_Report.xml', 'Diagnostic Imaging Report', ADAM],
  ['hl7-examples/Discharge-Summary_Discharge_Summary.xml', 'Discharge Summary', ISABELLA_2005],
  ['hl7-examples/History-and-Physical_History_and_Physical.xml', 'History and Physical', ISABELLA_2005],
  ['hl7-examples/Operative-Note_Operative_Note.xml', 'Operative Note', ISABELLA_2005],
  ['hl7-examples/Procedure-Note_Procedure_Note.xml', 'Procedure Note', ISABELLA_2005],
  ['hl7-examples/Progress-Note_Progress_Note.xml', 'Progress Note', ADAM],
  ['hl7-examples/Referral-Note_Referral_Note.xml', 'Referral Note', EVE],
  ['hl7-examples/Transfer-Summary_Transfer_Summary.xml', 'Transfer Summary', ['Eve', 'Betterhalf', '1945-05-01', 'female']],
  ['sample-ccdas/HL7-Samples_CCD.sample.xml', 'CCD', ADAM],
  ['sample-ccdas/HL7-Samples_Consults.sample.xml', 'Consultation Note', ADAM],
  ['sample-ccdas/HL7-Samples_DIR.sample.xml', 'Diagnostic Imaging Report', ADAM],
  ['sample-ccdas/HL7-Samples_DS.sample.xml', 'Discharge Summary', ADAM],
  ['sample-ccdas/HL7-Samples_HandP.sample.xml', 'History and Physical', ADAM],
  ['sample-ccdas/HL7-Samples_OpNote.sample.xml', 'Operative Note', ADAM],
  ['sample-ccdas/HL7-Samples_Procedure_Note.sample.xml', 'Procedure Note', ADAM],
  ['sample-ccdas/HL7-Samples_Progress_Note.sample.xml', 'Progress Note', ADAM],
  ['sample-ccdas/HL7-Samples_UD.sample.xml', 'Unstructured Document', ADAM],
  ['sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml', 'CCD', ['Myra', 'Jones', '1947-05-01', 'female']],
  ['sample-ccdas/NIST-Samples_CCDA_CCD_b1_InPatient_v2.xml', 'CCD', ['Isabella', 'Jones', '1947-05-01', 'female']],
];

const ALLOWED_TAGS = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'ul', 'ol', 'li', 'p', 'br', 'span', 'b', 'i', 'u', 'sub', 'sup']);

describe('readCcda on the C-CDA fixtures', () => {
  it.each(FIXTURES)('%s reads as a %s about the right patient', (rel, docType, [given, family, birthDate, sex]) => {
    const doc = read(rel);
    expect(doc.header.docType).toBe(docType);
    const p = doc.header.patient!;
    expect(p.given[0]).toBe(given);
    expect(p.family).toBe(family);
    expect(p.birthDate).toBe(birthDate);
    expect(p.sex).toBe(sex);
    expect(doc.header.sourceName).not.toBe('unknown sender');
    expect(doc.sections.length).toBeGreaterThan(0);
    const outside = doc.sections.flatMap((s) => [...s.narrativeHtml.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!).filter((t) => !ALLOWED_TAGS.has(t)));
    expect(outside).toEqual([]);
  });

  it('covers every XML fixture in the folder', () => {
    const listed = new Set(FIXTURES.map(([f]) => f));
    for (const sub of ['hl7-examples', 'sample-ccdas'])
      for (const f of readdirSync(join(DIR, sub)).filter((n) => /\.xml$/i.test(n))) expect(listed, f).toContain(`${sub}/${f}`);
  });

  it('reads a Uint8Array and a string alike', () => {
    const bytes = new Uint8Array(file('hl7-examples/CCD_CCD-2_CCD.xml'));
    const a = readCcda(bytes);
    const b = readCcda(new TextDecoder().decode(bytes));
    expect(a).toEqual(b);
  });
});

describe('NIST ambulatory CCD, entry by entry', () => {
  const doc = read('sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml');

  it('has the counts the XML has', () => {
    expect(countEntries(doc)).toEqual({
      problems: 2,
      medications: 2,
      allergies: 3,
      immunizations: 2,
      results: 3,
      vitals: 6,
      encounters: 1,
      procedures: 1,
      smoking: 1,
    });
    expect(doc.skipped).toEqual([]);
    expect(doc.header.sourceName).toBe('Community Health and Hospitals');
    expect(doc.header.patient).toMatchObject({ phone: '(816)276-6909', address: { city: 'Beaverton', state: 'OR', postalCode: '97006' }, language: 'eng' });
  });

  it('reads the problems with onset and status', () => {
    expect(doc.problems[0]).toMatchObject({
      code: { code: '233604007', system: OID.snomed },
      name: 'Pneumonia',
      onset: '2012-08-06',
      status: 'resolved',
      resolved: '2012-08-06',
    });
    expect(doc.problems[1]).toMatchObject({ code: { code: '195967001' }, name: 'Asthma', onset: '2007-01-03', status: 'active', resolved: null });
  });

  it('reads medications from the medication list and the discharge medications', () => {
    expect(doc.medications[0]).toMatchObject({
      code: { code: '573621', system: OID.rxnorm },
      dose: { value: 0.09, unit: 'mg/actuat' },
      route: { code: 'C38216' },
      frequency: 'twice a day',
      start: '2012-08-06',
      end: '2012-08-13',
    });
    expect(doc.medications[1]).toMatchObject({ code: { code: '896001' }, frequency: 'once a day', instructions: '0.11 MG/ACTUAT Metered Dose Once Daily' });
  });

  it('reads allergies with substance, reaction and severity', () => {
    expect(doc.allergies.map((a) => [a.code?.code, a.name, a.category, a.reactions.map((r) => r.reaction.name), a.severity, a.status])).toEqual([
      ['7982', 'Penicillin G benzathine', 'drug', ['Hives'], 'severe', 'inactive'],
      ['2670', 'Codeine', 'drug', ['Shortness of Breath'], 'moderate', 'active'],
      ['1191', 'Aspirin', 'drug', ['Hives'], 'moderate', 'active'],
    ]);
  });

  it('reads immunizations, results, vitals, encounter, procedure and smoking status', () => {
    expect(doc.immunizations[0]).toMatchObject({
      code: { code: '88', systemName: 'CVX' },
      date: '2012-05-10',
      given: true,
      manufacturer: 'Health LS - Immuno Inc.',
    });
    expect(doc.results[1]).toMatchObject({
      code: { code: '33765-9', system: OID.loinc },
      value: { kind: 'quantity', value: 12.3, unit: '10+3/ul' },
      interpretation: 'N',
      referenceRange: '4.3–10.8 10+3/ul',
      date: '2012-08-10',
      panel: { name: 'CBC WO DIFFERENTIAL' },
    });
    expect(doc.results[2]).toMatchObject({ code: { code: '26515-7' }, value: { value: 123 }, interpretation: 'L' });
    expect(doc.vitals[5]).toMatchObject({ code: { code: '8480-6' }, value: { kind: 'quantity', value: 145, unit: 'mm[Hg]' }, date: '2012-08-06' });
    expect(doc.encounters[0]).toMatchObject({ code: { code: '99222', system: OID.cpt }, start: '2012-08-06', location: 'Community Health and Hospitals' });
    expect(doc.encounters[0]!.diagnoses.map((d) => d.code?.code)).toEqual(['233604007']);
    expect(doc.procedures[0]).toMatchObject({ code: { code: '168731009' }, name: 'Chest X-Ray', date: '2012-08-07' });
    expect(doc.smoking).toEqual([
      {
        code: { code: '8517006', system: OID.snomed, systemName: null, display: 'Former smoker' },
        translations: [],
        name: 'Former smoker',
        date: '2005-05-01',
      },
    ]);
  });
});

describe('HL7 CCD-1, entry by entry', () => {
  const doc = read('hl7-examples/CCD_CCD-1_CCD.XML');

  it('has the counts the XML has', () => {
    expect(countEntries(doc)).toEqual({
      problems: 4,
      medications: 2,
      allergies: 2,
      immunizations: 5,
      results: 6,
      vitals: 8,
      encounters: 1,
      procedures: 3,
      smoking: 1,
    });
    expect(doc.skipped).toEqual([]);
    expect(doc.header).toMatchObject({ title: 'Patient Chart Summary', effectiveTime: '2013-08-15T10:30:00-08:00', sourceName: 'Good Health HIE' });
  });

  it('reads entries as sent', () => {
    expect(doc.problems[1]).toMatchObject({ code: { code: '29857009' }, name: 'Chest pain', onset: '2007-04-14', status: 'active' });
    expect(doc.problems[3]).toMatchObject({ code: { code: '233604007' }, onset: '1998-03-10', resolved: '1998-03-16', status: 'resolved' });
    expect(doc.medications[1]).toMatchObject({
      code: { code: '197380', system: OID.rxnorm },
      dose: { value: 1, unit: '1' },
      frequency: 'twice a day',
      start: '2012-03-18',
      status: 'active',
    });
    // The concern carries a severity of its own (Moderate to severe): it is the allergy's, not a third allergy.
    expect(doc.allergies[0]).toMatchObject({
      code: { code: '70618' },
      name: 'Penicillin',
      reactions: [{ reaction: { name: 'Nausea' }, severity: 'mild' }],
      severity: 'severe',
      onset: '1998-05-01',
    });
    expect(doc.allergies[1]).toMatchObject({
      name: 'codeine',
      reactions: [{ reaction: { code: { code: '56018004' } }, severity: 'moderate' }],
      severity: 'mild',
    });
    expect(doc.immunizations[0]).toMatchObject({ code: { code: '88', system: OID.cvx }, date: '1999-11', lotNumber: '1', given: true });
    expect(doc.results[0]).toMatchObject({
      code: { code: '718-7' },
      value: { kind: 'quantity', value: 13.2, unit: 'g/dL' },
      referenceRange: '12.0–15.5 g/dL',
      date: '2008-03-19T08:30:00-08:00',
    });
    // Pending: the value has a nullFlavor, so there is none.
    expect(doc.results[5]).toMatchObject({ code: { code: '3094-0' }, value: null, status: 'active' });
    expect(doc.vitals[0]).toMatchObject({ code: { code: '8302-2' }, value: { value: 177, unit: 'cm' }, date: '2012-09-10' });
    expect(doc.procedures.map((p) => p.status)).toEqual(['completed', 'aborted', 'completed']);
    expect(doc.smoking[0]).toMatchObject({ code: { code: '8517006' }, date: '2012-09-10' });
  });
});

describe('HL7 Referral Note, entry by entry', () => {
  const doc = read('hl7-examples/Referral-Note_Referral_Note.xml');

  it('has the counts the XML has and keeps every section', () => {
    expect(countEntries(doc)).toEqual({
      problems: 4,
      medications: 2,
      allergies: 2,
      immunizations: 0,
      results: 6,
      vitals: 8,
      encounters: 0,
      procedures: 3,
      smoking: 0,
    });
    expect(doc.sections.find((s) => s.code === '42349-1')).toMatchObject({ key: 'other', title: 'REASON FOR REFERRAL' });
    expect(doc.sections.filter((s) => s.key === 'other').length).toBe(13);
  });

  it('reads entries as sent', () => {
    expect(doc.problems[0]).toMatchObject({
      code: { code: '190389009' },
      name: 'Type II diabetes mellitus with ulcer (disorder)',
      onset: '2000-07-03',
      status: 'active',
    });
    expect(doc.medications[0]).toMatchObject({ code: { code: '573621' }, dose: { value: 2, unit: '1' }, route: { code: 'C38216' } });
    expect(doc.allergies[1]).toMatchObject({ code: { code: '2670' }, reactions: [{ reaction: { name: 'Wheezing' }, severity: 'moderate' }] });
    expect(doc.procedures[0]).toMatchObject({ code: { code: '274025005' }, date: '2011-02-15', performer: 'Good Health Clinic' });
  });
});
