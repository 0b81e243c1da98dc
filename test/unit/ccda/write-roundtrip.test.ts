import { describe, expect, it } from 'vitest';
import { countEntries, readCcda, type CcdaDocument, type CcdaExport } from '../../../shared/ccda';
import { writeCcda } from '../../../shared/ccda/write';
import { richPatient, tenYearPatient } from './write-patients';

function reread(x: CcdaExport): CcdaDocument {
  const r = readCcda(writeCcda(x));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe.each(['ccd', 'referral'] as const)('readCcda(writeCcda(x)) for a %s', (kind) => {
  const x = richPatient(kind);
  const doc = reread(x);

  it('reads back the same number of entries in every section, skipping nothing', () => {
    expect(countEntries(doc)).toEqual(countEntries(x));
    expect(doc.skipped).toEqual([]);
  });

  it('reads back each sig as written, and no sig where the chart had none (not the whole narrative row)', () => {
    expect(doc.medications.map((m) => m.instructions)).toEqual(x.medications.map((m) => m.instructions));
    expect(x.medications.some((m) => m.instructions === null)).toBe(true);
  });

  it('reads back the header and the patient', () => {
    expect(doc.header.docType).toBe(kind === 'ccd' ? 'CCD' : 'Referral Note');
    expect(doc.header.effectiveTime).toBe('2026-11-20T14:05:00+00:00');
    const p = doc.header.patient!;
    expect(p).toMatchObject({ given: x.patient.given, family: x.patient.family, birthDate: '1958-03-14', sex: 'female', language: 'en' });
    expect(p.ids).toContainEqual({ root: '0190f3a2-7b1c-7d3e-9a4b-5c6d7e8f9a0b', extension: 'CR-000123' });
    expect(p.race?.code).toBe('2106-3');
  });

  it('reads back every entry with the same code, dates and values', () => {
    const codes = (list: { code: { code: string; system: string } | null }[]): (string | null)[] =>
      list.map((e) => (e.code ? `${e.code.system}|${e.code.code}` : null));
    for (const key of ['problems', 'medications', 'allergies', 'immunizations', 'results', 'vitals', 'encounters', 'procedures', 'smoking'] as const) {
      expect(codes(doc[key]), key).toEqual(codes(x[key]));
    }
    expect(doc.problems.map((p) => [p.onset, p.resolved])).toEqual(x.problems.map((p) => [p.onset, p.resolved]));
    expect(doc.problems[1]!.translations).toEqual(x.problems[1]!.translations);
    expect(doc.problems.slice(0, 3).map((p) => p.status)).toEqual(['active', 'active', 'resolved']);
    expect(doc.medications.map((m) => [m.start, m.end, m.dose, m.route?.code ?? null, m.status])).toEqual(
      x.medications.map((m) => [m.start, m.end, m.dose, m.route?.code ?? null, m.status]),
    );
    expect(doc.medications.map((m) => m.frequency)).toEqual(['once a day', 'every 12 hours', null]);
    expect(doc.medications[0]!.instructions).toBe(x.medications[0]!.instructions);
    expect(doc.allergies.map((a) => [a.category, a.severity, a.status, a.onset])).toEqual(x.allergies.map((a) => [a.category, a.severity, a.status, a.onset]));
    expect(doc.allergies[0]!.reactions.map((r) => [r.reaction.code?.code, r.severity])).toEqual([
      ['247472004', 'moderate'],
      ['39579001', 'severe'],
    ]);
    expect(doc.allergies[1]!.reactions[0]!.reaction.name).toBe('Itchy mouth');
    expect(doc.immunizations.map((i) => [i.date, i.given, i.lotNumber, i.manufacturer, i.dose])).toEqual(
      x.immunizations.map((i) => [i.date, i.given, i.lotNumber, i.manufacturer, i.dose]),
    );
    expect(doc.immunizations[2]!.refusalReason).toBe('wants to think about it');
    expect(doc.results.map((r) => [r.date, r.value, r.interpretation, r.status, r.panel?.code?.code ?? null])).toEqual(
      x.results.map((r) => [r.date, r.value, r.interpretation, r.status, r.panel?.code?.code ?? null]),
    );
    expect(doc.results[0]!.referenceRange).toMatch(/^4\.0.10\.5 10\*3\/uL$/);
    expect(doc.vitals.map((v) => [v.date, v.value])).toEqual(x.vitals.map((v) => [v.date, v.value]));
    expect(doc.encounters.map((e) => [e.start, e.end, e.location, e.performer, e.diagnoses.map((d) => d.code?.code)])).toEqual(
      x.encounters.map((e) => [e.start, e.end, e.location, e.performer, e.diagnoses.map((d) => d.code?.code)]),
    );
    expect(doc.procedures.map((p) => [p.date, p.status, p.performer])).toEqual(x.procedures.map((p) => [p.date, p.status, p.performer]));
    expect(doc.smoking.map((s) => s.date)).toEqual(x.smoking.map((s) => s.date));
  });
});

describe('readCcda(writeCcda(x)) for ten years of history', () => {
  it('reads back the same counts', () => {
    const x = tenYearPatient();
    const doc = reread(x);
    expect(countEntries(doc)).toEqual(countEntries(x));
    expect(doc.skipped).toEqual([]);
  });
});
