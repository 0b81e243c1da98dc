import { describe, expect, it } from 'vitest';
import { OID, readCcda } from '../../../shared/ccda';

/** Hostile and broken inputs: each refused with its own code and a message a person can act on; narratives made safe. */
const NS = 'xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const PATIENT = `<recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="123"/><patient><name><given>Ana</given><family>Test</family></name>
  <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19800214"/></patient></patientRole></recordTarget>`;

function cda(body: string, { patient = PATIENT, root = 'ClinicalDocument', ns = NS } = {}): string {
  return `<?xml version="1.0"?>
<${root} ${ns}><templateId root="2.16.840.1.113883.10.20.22.1.2"/><code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/><title>T</title>
${patient}<custodian><assignedCustodian><representedCustodianOrganization><name>Clinic</name></representedCustodianOrganization></assignedCustodian></custodian>
<component><structuredBody>${body}</structuredBody></component></${root}>`;
}

const section = (code: string, text: string, entries = ''): string =>
  `<component><section><code code="${code}" codeSystem="2.16.840.1.113883.6.1"/><title>S ${code}</title><text>${text}</text>${entries}</section></component>`;

function error(input: string | Uint8Array, opts?: { maxBytes?: number }): { code: string; message: string } {
  const r = readCcda(input, opts);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('readCcda refuses what it must', () => {
  it('malformed XML → not_xml with line and column', () => {
    const e = error('<ClinicalDocument xmlns="urn:hl7-org:v3">\n  <title>x</titel>\n</ClinicalDocument>');
    expect(e.code).toBe('not_xml');
    expect(e.message).toMatch(/not well-formed XML \(line 2, column \d+\)/);
    expect(error('').code).toBe('not_xml');
    expect(error('just some text').code).toBe('not_xml');
    // Mis-nested tags, a duplicate attribute, a second root and a truncated file: refused, never read as a partial document.
    for (const bad of [
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><title><b>x</title></b></ClinicalDocument>',
      '<ClinicalDocument xmlns="urn:hl7-org:v3" classCode="DOCCLIN" classCode="DOC"/>',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"/><ClinicalDocument xmlns="urn:hl7-org:v3"/>',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole>',
    ])
      expect(error(bad), bad).toMatchObject({ code: 'not_xml', message: expect.stringMatching(/line \d+, column \d+/) as unknown });
  });

  it('a billion-laughs entity bomb → unsafe_xml, quickly', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol9;</title></ClinicalDocument>`;
    const t0 = performance.now();
    const e = error(lol);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e.code).toBe('unsafe_xml');
    expect(e.message).toMatch(/declares XML entities/);
  });

  it('an external entity (XXE) reading /etc/passwd → unsafe_xml, and nothing of the file in any answer', () => {
    const xxe = cda(section('11450-4', '&xxe;')).replace(
      '<?xml version="1.0"?>',
      '<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    );
    const r = readCcda(xxe);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unsafe_xml');
    expect(JSON.stringify(r)).not.toMatch(/root:/);
  });

  it('an undeclared entity reference is kept as text, never expanded', () => {
    const r = readCcda(cda(section('11450-4', 'a &xxe; b')));
    expect(r.ok && r.value.sections[0]!.narrativeText).toBe('a &xxe; b');
    expect(r.ok && r.value.sections[0]!.narrativeHtml).toBe('a &amp;xxe; b');
  });

  it('XML that is not a CDA → not_cda naming the root', () => {
    const e = error('<?xml version="1.0"?><invoice xmlns="urn:example"><total>3</total></invoice>');
    expect(e).toEqual({
      code: 'not_cda',
      message: 'this file is not a C-CDA document: its root element is <invoice>, expected <ClinicalDocument> in the urn:hl7-org:v3 namespace',
    });
    const wrongNs = error(cda('', { ns: 'xmlns="urn:something-else"' }));
    expect(wrongNs.code).toBe('not_cda');
    expect(wrongNs.message).toMatch(/in the namespace urn:something-else/);
  });

  it('a CDA with no patient → no_patient', () => {
    const e = error(cda(section('11450-4', 'x'), { patient: '<recordTarget><patientRole><id root="1.2"/></patientRole></recordTarget>' }));
    expect(e.code).toBe('no_patient');
    expect(e.message).toMatch(/names no patient/);
    expect(error(cda('', { patient: '' })).code).toBe('no_patient');
  });

  it('a 25 MB input → too_large, with the default and a custom limit', () => {
    const big = cda(section('11450-4', 'x'.repeat(25 * 1024 * 1024)));
    const e = error(big);
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(/25\.0 MB, more than the 20\.0 MB/);
    expect(error(new Uint8Array(2_000_001), { maxBytes: 2_000_000 }).code).toBe('too_large');
  });

  it('reads a prefixed document (cda:, sdtc:, xsi:type)', () => {
    const doc = cda(section('11450-4', 'x'))
      .replace(/<(\/?)([A-Za-z])/g, '<$1cda:$2')
      .replace(NS, 'xmlns:cda="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc"')
      .replace('<?cda:xml', '<?xml');
    const r = readCcda(doc);
    expect(r.ok && r.value.header.patient?.family).toBe('Test');
    expect(r.ok && r.value.header.docType).toBe('CCD');
  });
});

describe('narrative HTML', () => {
  it('keeps only whitelisted tags and escapes injected markup', () => {
    const hostile = `<paragraph styleCode="Bold" onclick="alert(1)">Hi &lt;script&gt;alert(1)&lt;/script&gt;</paragraph>
      <script>alert(2)</script><linkHtml href="javascript:alert(3)">click</linkHtml>
      <table border="1" onmouseover="x()"><tbody><tr><td colspan="2" style="x">a"b'c</td><td rowspan="x">d</td></tr></tbody></table>
      <list listType="ordered"><caption>Cap</caption><item><content styleCode="Italics Underline">it</content></item></list>
      <renderMultiMedia referencedObject="x"/><iframe src="http://evil"/>`;
    const r = readCcda(cda(section('11450-4', hostile)));
    if (!r.ok) throw new Error(r.error.message);
    const html = r.value.sections[0]!.narrativeHtml;
    expect(html).toBe(
      '<p><b>Hi &lt;script&gt;alert(1)&lt;/script&gt;</b></p>\n      click\n      <table><tbody><tr><td colspan="2">a&quot;b&#39;c</td><td>d</td></tr></tbody></table>\n      <p>Cap</p><ol><li><span><i><u>it</u></i></span></li></ol>\n      ',
    );
    for (const m of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
      expect(['p', 'b', 'table', 'tbody', 'tr', 'td', 'ol', 'li', 'span', 'i', 'u']).toContain(m[1]);
      expect(m[2]).toMatch(/^( (colspan|rowspan)="\d+")*$/);
    }
    expect(html).not.toMatch(/javascript:|onclick|onmouseover|<script/i);
    expect(r.value.sections[0]!.narrativeText.split('\n')).toEqual(['Hi <script>alert(1)</script>', 'click', 'a"b\'c | d', 'Cap', 'it']);
  });
});

describe('messy entries', () => {
  const problem = (value: string): string =>
    `<entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/><statusCode code="active"/>
      <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
      <effectiveTime><low value="20190310"/></effectiveTime>${value}</observation></entryRelationship></act></entry>`;

  it('keeps codes in unknown systems by OID, resolves text references, and skips an entry it cannot read', () => {
    const text = '<content ID="p2">Chronic knee pain</content>';
    const entries = [
      problem('<value xsi:type="CD" code="K-77" codeSystem="1.2.3.4.5.6"/>'),
      problem('<value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#p2"/></originalText></value>'),
      problem('<value xsi:type="CD" nullFlavor="UNK"/>'),
      '<entry><act><code nullFlavor="NI"/></act></entry>',
      '<entry/>',
    ].join('');
    const r = readCcda(cda(section('11450-4', text, entries)));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.problems).toEqual([
      {
        code: { code: 'K-77', system: '1.2.3.4.5.6', systemName: null, display: null },
        translations: [],
        name: 'K-77',
        onset: '2019-03-10',
        resolved: null,
        status: 'active',
      },
      { code: null, translations: [], name: 'Chronic knee pain', onset: '2019-03-10', resolved: null, status: 'active' },
    ]);
    expect(r.value.skipped).toEqual([
      { section: 'problems', reason: 'S 11450-4, entry 3: a problem observation with no code and no name' },
      { section: 'problems', reason: 'S 11450-4, entry 4: a problem concern with no problem observation in it' },
      { section: 'problems', reason: 'S 11450-4, entry 5: the entry holds no clinical statement' },
    ]);
  });

  it('reads a refused immunization and a coded smoking status in the R1.1 way', () => {
    const imm = `<entry><substanceAdministration classCode="SBADM" moodCode="EVN" negationInd="true"><effectiveTime value="20200101"/>
      <consumable><manufacturedProduct><manufacturedMaterial><code code="141" codeSystem="${OID.cvx}" displayName="Influenza"/></manufacturedMaterial></manufacturedProduct></consumable>
      <entryRelationship typeCode="RSON"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.53"/><code code="PATOBJ" codeSystem="2.16.840.1.113883.5.8" displayName="patient objection"/></observation></entryRelationship>
      </substanceAdministration></entry>`;
    const smoke = `<entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.38"/><code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>
      <effectiveTime><low value="2015"/></effectiveTime><value xsi:type="CD" code="266919005" codeSystem="${OID.snomed}" displayName="Never smoker"/></observation></entry>
      <entry><observation classCode="OBS" moodCode="EVN"><code code="160573003" codeSystem="${OID.snomed}"/><value xsi:type="PQ" value="2" unit="/d"/></observation></entry>`;
    const r = readCcda(cda(section('11369-6', '', imm) + section('29762-2', '', smoke)));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.immunizations[0]).toMatchObject({ code: { code: '141' }, given: false, refusalReason: 'patient objection', date: '2020-01-01' });
    expect(r.value.smoking).toEqual([
      { code: { code: '266919005', system: OID.snomed, systemName: null, display: 'Never smoker' }, translations: [], name: 'Never smoker', date: '2015' },
    ]);
    expect(r.value.skipped).toEqual([]);
  });
});
