import { describe, expect, it } from 'vitest';
import type { CcdaExport } from '../../../shared/ccda/model';
import { writeCcda } from '../../../shared/ccda/write';
import { validateCda } from '../../helpers/xmllint';
import { emptyPatient, richPatient } from './write-patients';
import { findAll, idIndex, kid, kids, parseXml, sectionsByCode, textOf, type Node } from './write-tree';

const CASES: [string, CcdaExport][] = [
  ['a CCD of a full chart', richPatient('ccd')],
  ['a Referral Note of a full chart', richPatient('referral')],
  ['a CCD of an empty chart', emptyPatient('ccd')],
  ['a Referral Note of an empty chart', emptyPatient('referral')],
];

/** Section LOINC code → the model list it is written from. */
const SECTION_OF = {
  '48765-2': 'allergies',
  '10160-0': 'medications',
  '11450-4': 'problems',
  '11369-6': 'immunizations',
  '30954-2': 'results',
  '8716-3': 'vitals',
  '46240-8': 'encounters',
  '47519-4': 'procedures',
  '29762-2': 'smoking',
} as const;

/** The clinical statements a section's narrative rows stand for (organizers and concerns stand for what they hold). */
function statements(section: Node): Node[] {
  return kids(section, 'entry').flatMap((e) => {
    const top = e.children[0]!;
    if (top.name === 'organizer') return kids(top, 'component').map((c) => c.children[0]!);
    if (top.name === 'act' && kid(top, 'code').attrs['code'] === 'CONC') return [kid(kid(top, 'entryRelationship'), 'observation')];
    return [top];
  });
}

describe('writeCcda: schema', () => {
  it.each(CASES)('%s validates against the CDA R2 schema with SDTC extensions', (_, input) => {
    const result = validateCda(writeCcda(input));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('the validator refuses a document with elements out of order, naming the element', () => {
    const xml = writeCcda(richPatient('ccd'))
      .replace('<title>Continuity of Care Document</title>', '')
      .replace('<languageCode code="en-US"/>', '<languageCode code="en-US"/><title>late</title>');
    const result = validateCda(xml);
    expect(result.ok).toBe(false);
    expect(result.errors.join('\n')).toMatch(/title/);
  });

  it('stays valid when the chart holds things the schema cannot carry as given', () => {
    const x = richPatient('ccd');
    x.documentId = 'not a uuid';
    x.patient.ids.push({ root: 'http://example.org/mrn', extension: '1' });
    x.problems[0]!.code = { code: 'has spaces', system: 'http://snomed.info/sct', systemName: null, display: null };
    x.medications[0]!.dose = { value: Number.NaN, unit: 'mg' };
    x.results[0]!.value = { kind: 'quantity', value: 1e-7, unit: 'mm Hg' };
    x.results[1]!.interpretation = 'very high';
    x.vitals[0]!.date = 'yesterday';
    x.patient.given = ['A\u0001da'];
    expect(validateCda(writeCcda(x)).errors).toEqual([]);
  });
});

describe('writeCcda: header', () => {
  const doc = parseXml(writeCcda(richPatient('ccd')));

  it('is a C-CDA R2.1 CCD (with the R1.1 template roots) of the given id and time', () => {
    const templates = kids(doc, 'templateId').map((t) => `${t.attrs['root']}|${t.attrs['extension'] ?? ''}`);
    expect(templates).toEqual([
      '2.16.840.1.113883.10.20.22.1.1|',
      '2.16.840.1.113883.10.20.22.1.1|2015-08-01',
      '2.16.840.1.113883.10.20.22.1.2|',
      '2.16.840.1.113883.10.20.22.1.2|2015-08-01',
    ]);
    expect(kid(doc, 'realmCode').attrs['code']).toBe('US');
    expect(kid(doc, 'id').attrs['root']).toBe('0190f3a2-0000-7000-8000-00000000d0c1');
    expect(kid(doc, 'code').attrs).toMatchObject({ code: '34133-9', codeSystem: '2.16.840.1.113883.6.1' });
    expect(kid(doc, 'effectiveTime').attrs['value']).toBe('20261120140500+0000');
    expect(kid(doc, 'confidentialityCode').attrs['code']).toBe('N');
    expect(kid(doc, 'languageCode').attrs['code']).toBe('en-US');
  });

  it('names the patient by MRN in the clinic UUID space, with demographics', () => {
    const role = kid(kid(doc, 'recordTarget'), 'patientRole');
    expect(kids(role, 'id')[0]!.attrs).toEqual({ root: '0190f3a2-7b1c-7d3e-9a4b-5c6d7e8f9a0b', extension: 'CR-000123' });
    const patient = kid(role, 'patient');
    expect(textOf(kid(kid(patient, 'name'), 'family'))).toBe('O\'Brien & <Sons> "Test"');
    expect(kid(patient, 'administrativeGenderCode').attrs['code']).toBe('F');
    expect(kid(patient, 'birthTime').attrs['value']).toBe('19580314');
    expect(kid(patient, 'raceCode').attrs['code']).toBe('2106-3');
    expect(kid(patient, 'ethnicGroupCode').attrs['code']).toBe('2186-5');
    expect(kid(kid(patient, 'languageCommunication'), 'languageCode').attrs['code']).toBe('en');
    expect(kids(role, 'telecom').map((t) => t.attrs['value'])).toEqual(['tel:+15552014455', 'mailto:ada.obrien@example.org']);
  });

  it('has the author with an NPI, the custodian, and the span of care', () => {
    const author = kid(kid(doc, 'author'), 'assignedAuthor');
    expect(kid(author, 'id').attrs).toEqual({ root: '2.16.840.1.113883.4.6', extension: '1234567893' });
    expect(textOf(findAll(doc, 'representedCustodianOrganization')[0]!)).toContain('Cedar Ridge Family Medicine');
    const span = kid(kid(kid(doc, 'documentationOf'), 'serviceEvent'), 'effectiveTime');
    expect(kid(span, 'low').attrs['value']).toBe('1990');
    expect(kid(span, 'high').attrs['value']).toBe('20261120140500+0000');
  });

  it('derives a stable UUID for a clinic id that is not one', () => {
    const a = parseXml(writeCcda(emptyPatient('ccd')));
    const b = parseXml(writeCcda(emptyPatient('ccd')));
    const root = (d: Node): string => kid(kid(kid(d, 'recordTarget'), 'patientRole'), 'id').attrs['root']!;
    expect(root(a)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(root(a)).toBe(root(b));
  });
});

describe('writeCcda: narrative and entries agree', () => {
  it.each(CASES)('%s: every reference resolves, one row per entry, each row referenced by its entry', (_, input) => {
    const doc = parseXml(writeCcda(input));
    const ids = idIndex(doc);
    for (const ref of findAll(doc, 'reference')) {
      const target = ref.attrs['value']!;
      expect(target.startsWith('#'), target).toBe(true);
      expect(ids.has(target.slice(1)), `reference ${target} has no target`).toBe(true);
    }
    const sections = sectionsByCode(doc);
    for (const [loinc, key] of Object.entries(SECTION_OF)) {
      const section = sections.get(loinc);
      expect(section, `section ${loinc}`).toBeDefined();
      const rows = findAll(section!, 'tbody').flatMap((b) => kids(b, 'tr'));
      const stmts = statements(section!);
      expect(stmts.length, key).toBe(input[key].length);
      expect(rows.length, key).toBe(input[key].length);
      stmts.forEach((s, i) => {
        expect(kid(kid(s, 'text'), 'reference').attrs['value']).toBe(`#${rows[i]!.attrs['ID']}`);
        // The entry's code (or value, for problems and smoking) names the row's first cell.
        const named = findAll(s, 'originalText').map((o) => ids.get(kid(o, 'reference').attrs['value']!.slice(1))!);
        expect(named.map(textOf)).toContain(input[key][i]!.name);
      });
      if (input[key].length === 0) {
        expect(section!.attrs['nullFlavor']).toBe('NI');
        expect(textOf(kid(section!, 'text'))).toMatch(/^No information/);
      } else {
        expect(section!.attrs['nullFlavor']).toBeUndefined();
      }
    }
  });
});
