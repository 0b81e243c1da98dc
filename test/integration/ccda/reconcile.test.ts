import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CcdaImportResult, ReconcileSectionView } from '../../../shared/api/ccda.contract';
import { readCcda } from '../../../shared/ccda';
import type { CcdaDocument } from '../../../shared/ccda/model';
import type { Patient } from '../../../shared/domain/patient';
import { openClinic, type Clinic } from '../../helpers/clinic';
import { tempDir } from '../../helpers/temp-db';
import { fixtureFiles } from './fixture-files';

// C-CDA received for a chart (reconcile mode), through the real dispatcher over a real encrypted
// database: every fixture imports into a chart made for its patient; nothing reaches the chart
// before a clinician accepts; accepting lands each entry where a clinician looks for it.

const FIXTURES = 'test/fixtures/ccda';
function read(file: string): CcdaDocument {
  const r = readCcda(readFileSync(file));
  if (!r.ok) throw new Error(`${file}: ${r.error.message}`);
  return r.value;
}

const CHART_TABLES = ['conditions', 'allergies', 'medication_events', 'immunizations', 'observations', 'encounters', 'procedures'];

describe('C-CDA import for a chart, then reconciliation', () => {
  const t = tempDir('cairn-ccda-');
  let c: Clinic;
  const count = (table: string, where = '1 = 1', ...args: unknown[]): number =>
    (c.session.repos.store.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number }).n;
  const chartRows = (patientId: string): number => CHART_TABLES.reduce((n, tb) => n + count(tb, 'patient_id = ?', patientId), 0);
  const stored = (): Record<string, number> =>
    Object.fromEntries(['documents', 'ccda_imports', 'reconcile_items', 'audit_log', ...CHART_TABLES].map((tb) => [tb, count(tb)]));

  async function chartFor(doc: CcdaDocument, suffix = ''): Promise<Patient> {
    const p = doc.header.patient!;
    return c.ok<Patient>('patients.create', {
      givenName: p.given[0] ?? 'Unknown',
      familyName: p.family + suffix,
      birthDate: p.birthDate ?? '1970-01-01',
      sex: p.sex,
      confirmDuplicate: true,
    });
  }
  const importFile = (patientId: string, file: string, extra: Record<string, unknown> = {}): Promise<CcdaImportResult> =>
    c.ok<CcdaImportResult>('ccda.import', { patientId, fileName: file.split('/').pop(), dataBase64: readFileSync(file).toString('base64'), ...extra });
  const items = (patientId: string, status = 'pending'): Promise<ReconcileSectionView[]> => c.ok('ccda.items', { patientId, status });

  beforeAll(async () => {
    c = await openClinic(t.dir);
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  const files = fixtureFiles();
  it('has the fixtures', () => expect(files.length).toBeGreaterThanOrEqual(20));

  for (const file of files) {
    it(`imports ${file.split('/').pop()}: items pending, nothing in the chart until accepted, then each entry in its place`, async () => {
      const doc = read(file);
      const p = await chartFor(doc);
      const r = await importFile(p.id, file, doc.header.patient!.birthDate ? {} : { confirmPatient: true });
      const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
      expect(
        r.matches.new + r.matches.same + r.matches.different + r.skipped.filter((s) => s.section !== 'header' && s.section !== 'other').length,
      ).toBeGreaterThanOrEqual(total);
      expect(chartRows(p.id)).toBe(0);
      const sections = await items(p.id);
      const ids = sections.flatMap((s) => s.items.map((i) => i.id));
      expect(ids.length).toBe(r.matches.new + r.matches.same + r.matches.different);
      if (ids.length > 0) {
        const decided = await c.ok<{ status: string }[]>('ccda.decide', { itemIds: ids, decision: 'accept' });
        expect(decided.every((d) => d.status === 'accepted')).toBe(true);
      }
      const probs = await c.ok<{ icd10: string | null; snomed: string | null }[]>('problems.list', { patientId: p.id });
      const accepted = (s: string): number => sections.find((x) => x.section === s)?.items.filter((i) => i.match !== 'same').length ?? 0;
      expect(probs.length).toBe(accepted('problems'));
      expect(count('allergies', 'patient_id = ?', p.id)).toBe(accepted('allergies'));
      expect(count('immunizations', 'patient_id = ?', p.id)).toBe(accepted('immunizations'));
      expect(count('medication_events', "patient_id = ? AND event = 'start'", p.id)).toBe(accepted('medications'));
      expect(count('observations', "patient_id = ? AND category = 'laboratory'", p.id)).toBe(accepted('results'));
      expect(count('observations', "patient_id = ? AND category = 'vital-signs'", p.id)).toBe(accepted('vitals'));
      // The XML is kept in the chart.
      expect(count('documents', "patient_id = ? AND origin = 'ccda' AND mime_type = 'application/xml'", p.id)).toBe(1);
      const view = await c.ok<{ sections: { narrativeHtml: string }[] }>('ccda.view', { importId: r.importId });
      expect(view.sections.length).toBe(doc.sections.length);
    });
  }

  it('the NIST ambulatory CCD lands as a clinician expects: ICD-10 with SNOMED kept, meds, allergies with reactions, immunizations, results, vitals', async () => {
    const file = `${FIXTURES}/sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml`;
    const doc = read(file);
    const p = await chartFor(doc, '');
    const r = await importFile(p.id, file, { confirmPatient: true });
    expect(r.matches.new).toBeGreaterThan(0);
    const sections = await items(p.id);
    await c.ok('ccda.decide', { itemIds: sections.flatMap((s) => s.items.map((i) => i.id)), decision: 'accept' });
    const probs = c.session.repos.store.sqlite.prepare('SELECT icd10, snomed, note FROM conditions WHERE patient_id = ?').all(p.id) as {
      icd10: string | null;
      snomed: string | null;
      note: string;
    }[];
    expect(probs.length).toBeGreaterThan(0);
    expect(probs.some((x) => x.snomed !== null)).toBe(true);
    expect(probs.every((x) => x.note.includes('imported from'))).toBe(true);
    const allergies = c.session.repos.store.sqlite.prepare('SELECT reactions FROM allergies WHERE patient_id = ?').all(p.id) as { reactions: string }[];
    if (doc.allergies.some((a) => a.reactions.length > 0)) expect(allergies.some((a) => (JSON.parse(a.reactions) as string[]).length > 0)).toBe(true);

    // The same document again: every item is `same`; accepting them writes nothing.
    const before = chartRows(p.id);
    const again = await importFile(p.id, file, { confirmPatient: true });
    expect(again.matches.new).toBe(0);
    expect(again.matches.different).toBe(0);
    expect(again.matches.same).toBeGreaterThan(0);
    const second = await c.ok<ReconcileSectionView[]>('ccda.items', { patientId: p.id, status: 'pending', importId: again.importId });
    await c.ok('ccda.decide', { itemIds: second.flatMap((s) => s.items.map((i) => i.id)), decision: 'accept' });
    expect(chartRows(p.id)).toBe(before);
  });

  it('a changed value is `different` and says what differs; ignore by one item and by section writes nothing', async () => {
    const file = `${FIXTURES}/sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml`;
    const xml = readFileSync(file, 'utf8');
    const doc = read(file);
    const p = await chartFor(doc, 'x');
    const first = await importFile(p.id, file, { confirmPatient: true });
    const sections = await items(p.id);
    await c.ok('ccda.decide', { itemIds: sections.flatMap((s) => s.items.map((i) => i.id)), decision: 'accept' });
    expect(first.matches.new).toBeGreaterThan(0);
    // One result's value changed in the document.
    const v = doc.results.find((o) => o.value?.kind === 'quantity');
    expect(v).toBeDefined();
    const val = (v!.value as { value: number }).value;
    const changed = xml.replace(new RegExp(`value="${val}"`), `value="${val + 1}"`);
    const r2 = await c.ok<CcdaImportResult>('ccda.import', {
      patientId: p.id,
      fileName: 'changed.xml',
      dataBase64: Buffer.from(changed).toString('base64'),
      confirmPatient: true,
    });
    expect(r2.matches.different).toBeGreaterThanOrEqual(1);
    const pending = await c.ok<ReconcileSectionView[]>('ccda.items', { patientId: p.id, importId: r2.importId });
    const diff = pending.flatMap((s) => s.items).find((i) => i.match === 'different')!;
    expect(diff.summary).toMatch(/differs from the chart: value/);
    const before = chartRows(p.id);
    const [one] = await c.ok<{ status: string }[]>('ccda.decide', { itemIds: [diff.id], decision: 'ignore' });
    expect(one!.status).toBe('ignored');
    const results = pending
      .find((s) => s.section === 'results')!
      .items.filter((i) => i.id !== diff.id)
      .map((i) => i.id);
    if (results.length) await c.ok('ccda.decide', { itemIds: results, decision: 'ignore' });
    expect(chartRows(p.id)).toBe(before);
    // Decided twice: refused.
    const again = await c.call('ccda.decide', { itemIds: [diff.id], decision: 'accept' });
    expect(again.ok).toBe(false);
  });

  it("refuses another patient's document (storing nothing) unless the clinician confirms", async () => {
    const file = `${FIXTURES}/hl7-examples/CCD_CCD-1_CCD.XML`;
    const other = await c.ok<Patient>('patients.create', { givenName: 'Zed', familyName: 'Nobody', birthDate: '1999-09-09', sex: 'male' });
    const before = stored();
    const r = await c.call('ccda.import', { patientId: other.id, fileName: 'x.xml', dataBase64: readFileSync(file).toString('base64') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/not this chart's patient.*birth date/);
    const after = stored();
    delete before['audit_log'];
    delete after['audit_log'];
    expect(after).toEqual(before);
  });

  const BAD: [string, string, RegExp][] = [
    ['malformed XML', '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>x</titl></ClinicalDocument>', /cannot be read/],
    [
      'an entity bomb',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ClinicalDocument xmlns="urn:hl7-org:v3">&lol2;</ClinicalDocument>',
      /cannot be read/,
    ],
    ['not a CDA', '<html><body>hello</body></html>', /cannot be read/],
    [
      'no patient',
      '<ClinicalDocument xmlns="urn:hl7-org:v3"><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/><id root="1.2.3"/><code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/><title>No one</title><effectiveTime value="20200101"/><component><structuredBody/></component></ClinicalDocument>',
      /patient/,
    ],
  ];
  for (const [what, xml, message] of BAD) {
    it(`${what}: one clear message, nothing stored`, async () => {
      const p = await c.ok<Patient>('patients.create', {
        givenName: 'Bad',
        familyName: 'Input',
        birthDate: '1990-01-01',
        sex: 'female',
        confirmDuplicate: true,
      });
      const before = stored();
      const r = await c.call('ccda.import', { patientId: p.id, fileName: 'bad.xml', dataBase64: Buffer.from(xml).toString('base64'), confirmPatient: true });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(message);
      const after = stored();
      delete before['audit_log'];
      delete after['audit_log'];
      expect(after).toEqual(before);
    });
  }
});
