import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPatientFacts } from '../../../../shared/domain/hl7-patient';
import {
  arrivesLate,
  hl7TimeToIso,
  type LabResultDraft,
  mapOru,
  type OruDrafts,
  parseReferenceRange,
  parseStructuredNumeric,
  patientParts,
} from '../../../../shared/domain/lab-results';
import { parseMessageOrThrow } from '../../../../shared/hl7';

const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

function drafts(text: string): OruDrafts {
  const r = mapOru(parseMessageOrThrow(text));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
}

/** A one-result ORU with the OBX given (fields 1…). */
function oru(...obx: string[]): string {
  return [
    'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|M1|P|2.5.1',
    'PID|1||123^^^^MR||Doe^Jane||19800101|F',
    'OBR|1|PL-1^CAIRN|FI-9^ACME|2345-7^Glucose^LN',
    ...obx,
  ].join('\r');
}

const one = (obx: string): LabResultDraft => drafts(oru(obx)).results[0]!;

describe('mapOru on LAB-ORU-1.hl7 (two OBR groups)', () => {
  const d = drafts(fixture('LAB-ORU-1.hl7'));

  it('keeps both orders with their numbers, codes and statuses', () => {
    expect(d.orders.map((o) => [o.setId, o.placerNumber, o.fillerNumber, o.code, o.display, o.resultStatus])).toEqual([
      ['2', '88502218', '82503246', '24317-0', 'Hemogram and platelet count, automated', 'F'],
      // This OBR has one field fewer before its status, so OBR-25 is empty as sent.
      ['1', '855238581', '890775544', '26464-8', 'Differential WBC Count, buffy coat', ''],
    ]);
    expect(d.orders.every((o) => o.notes.length === 0)).toBe(true);
  });

  it('maps the ten results: values, UCUM units, flags, statuses and groups', () => {
    expect(d.results).toHaveLength(10);
    expect(d.skipped).toEqual([]);
    expect(d.results.map((r) => [r.orderIndex, r.loinc, r.valueNum, r.unit, r.interpretation, r.statusCode, r.status])).toEqual([
      [0, '11156-7', null, null, null, 'I', 'registered'],
      [0, '11273-0', 4.06, 'tera.l-1', 'N', 'P', 'preliminary'],
      [0, '20509-6', null, null, null, 'I', 'registered'],
      [0, '20570-8', 40.1, '%', 'N', 'P', 'preliminary'],
      [0, '11125-2', 221, 'giga.l-1', 'N', 'F', 'final'],
      [1, '23761-0', 72, '%', 'N', 'P', 'preliminary'],
      [1, '26450-7', 2, '%', 'N', 'P', 'preliminary'],
      [1, '26478-8', 20, '%', 'N', 'P', 'preliminary'],
      [1, '26485-3', 6, '%', 'N', 'P', 'preliminary'],
      [1, '30180-4', 0, '%', 'N', 'P', 'preliminary'],
    ]);
    // OBX-14 with its +0700 offset, as UTC.
    expect(d.results[1]!.effectiveAt).toBe('2014-10-05T23:27:00.000Z');
    // No OBX-14 and the OBR-7 is empty too: the specimen's collection time (SPM-17), not MSH-7 (23:45Z).
    expect(d.results[0]!.effectiveAt).toBe('2014-10-05T22:35:00.000Z');
    expect(d.orders[0]!.observedAt).toBe('2014-10-05T22:35:00.000Z');
    expect(d.results[5]!.occurrence).toBe(6);
  });
});

describe('mapOru on ORU-R01-01.hl7 (public-health lab)', () => {
  const d = drafts(fixture('ORU-R01-01.hl7'));

  it('keeps compound order numbers whole and the order notes', () => {
    expect(d.orders).toHaveLength(1);
    const o = d.orders[0]!;
    expect(o.placerNumber).toBe('845439^GHH OE');
    expect(o.fillerNumber).toBe('986^IA PHIMS Stage^2.16.840.1.114222.4.3.3.5.1.2^ISO');
    expect(o.notes).toEqual([
      'Enteric culture includes testing for Salmonella, Shigella, Campylobacter, Yersinia, E.coli O157:H7 & other STECs, and Aeromonas',
      'Allergy to peanuts observed.',
    ]);
  });

  it('maps the coded culture result with its range, flag and notes, and the repeated NM', () => {
    expect(d.results).toHaveLength(2);
    const [cwe, nm] = d.results as [LabResultDraft, LabResultDraft];
    expect(cwe).toMatchObject({
      valueType: 'CWE',
      loinc: 'XYZ:625-4',
      valueText: 'Salmonella',
      valueCode: 'SCT|27268008',
      unit: 'beats/min',
      refLow: 70,
      refHigh: 80,
      refText: '70-80',
      interpretation: 'A',
      statusCode: 'P',
      status: 'preliminary',
      effectiveAt: '2012-03-01T00:00:00.000Z',
      notes: ['Submission of serum', 'No Antibodies Detected'],
    });
    expect(cwe.rawValue).toBe('27268008^Salmonella^SCT^^^^^^Salmonella species');
    expect(nm).toMatchObject({ valueType: 'NM', loinc: '8867-4', valueNum: null, valueText: '27, 25', statusCode: 'I', status: 'registered' });
  });

  it('skips the OBX before any OBR and the order-detail OBX, saying why', () => {
    expect(d.skipped.map((s) => s.occurrence)).toEqual([1, 2, 4]);
    expect(d.skipped[0]!.reason).toMatch(/not inside an OBR group/);
    expect(d.skipped[2]!.reason).toMatch(/OBX-11 = O/);
  });

  it('reads the patient identity with its assigning authority', () => {
    const f = readPatientFacts(parseMessageOrThrow(fixture('ORU-R01-01.hl7')))!;
    expect(f.identifiers).toEqual([{ value: '14', typeCode: 'PI', namespace: 'IA PHIMS Stage', universalId: '2.16.840.1.114222.4.3.3.5.1.2' }]);
    expect(f.demographics).toMatchObject({ familyName: 'Finn', givenName: 'Huckleberry', birthDate: '1963-08-15', sex: 'male' });
  });
});

/**
 * An OUL^R22 (v2.5.1, specimen first): two specimens, each with its own OBX and container (SAC);
 * the first specimen has two orders (ORC after OBR, as OUL_R22 has it), the results followed by
 * TCD and SID; a third specimen has no order at all.
 */
const OUL = [
  'MSH|^~\\&|ANALYZER|ACME LAB|CAIRN|CLINIC|20260301101500+0000||OUL^R22^OUL_R22|OUL1|P|2.5.1',
  'PID|1||OUL-7^^^ACME^MR||Doe^Jane||19800101|F',
  'SPM|1|SP-1^ACME||SER^Serum^HL70487|||||||P||||||20260301081500+0000',
  'OBX|1|NM|3167-4^Volume of Specimen^LN||5|mL|||||F',
  'SAC|||TUBE-1',
  'OBR|1|PL-7^CAIRN|FI-7^ACME|24323-8^Comprehensive metabolic panel^LN',
  'ORC|RE|PL-7^CAIRN|FI-7^ACME',
  'NTE|1||Drawn fasting',
  'OBX|2|NM|2345-7^Glucose^LN||182|mg/dL|70_105|H|||F',
  'TCD|2345-7^Glucose^LN|1',
  'SID|REAGENT-LOT-9',
  'NTE|1||Repeated to confirm',
  'OBX|3|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.1|N|||F|||20260301084000+0000',
  'OBR|2|PL-8^CAIRN|FI-8^ACME|4548-4^Hemoglobin A1c^LN|||20260301080000+0000',
  'ORC|RE|PL-8^CAIRN|FI-8^ACME',
  'OBX|4|NM|4548-4^Hemoglobin A1c^LN||7.9|%|4.0-5.6|H|||F',
  'SPM|2|SP-2^ACME||UR^Urine^HL70487|||||||P||||||20260301090000+0000',
  'OBX|5|CWE|5778-6^Color of Urine^LN||YEL^Yellow^L||||||F',
  'OBR|3|PL-9^CAIRN|FI-9^ACME|5811-5^Specific gravity of Urine^LN',
  'OBX|6|NM|5811-5^Specific gravity of Urine^LN||1.020||1.005-1.030|N|||F',
  'SPM|3|SP-3^ACME||BLD^Whole blood^HL70487',
  'OBX|7|ST|8251-1^Service comment^LN||Specimen held||||||F',
].join('\r');

describe('mapOru on an OUL^R22 (specimen first)', () => {
  const d = drafts(OUL);

  it('keeps each order with its own results, which end at the next specimen', () => {
    expect(d.orders.map((o) => [o.placerNumber, o.fillerNumber, o.code, o.notes])).toEqual([
      ['PL-7^CAIRN', 'FI-7^ACME', '24323-8', ['Drawn fasting']],
      ['PL-8^CAIRN', 'FI-8^ACME', '4548-4', []],
      ['PL-9^CAIRN', 'FI-9^ACME', '5811-5', []],
    ]);
    expect(d.results.map((r) => [r.occurrence, r.orderIndex, r.loinc, r.valueNum ?? r.valueText, r.unit, r.interpretation])).toEqual([
      // The specimen's own OBX goes with its first order; the second order is made on the same specimen.
      [1, 0, '3167-4', 5, 'mL', null],
      [2, 0, '2345-7', 182, 'mg/dL', 'H'],
      [3, 0, '2823-3', 4.1, 'mmol/L', 'N'],
      [4, 1, '4548-4', 7.9, '%', 'H'],
      // The urine's colour is the urine order's, never the A1c's (the order just before it in the message).
      [5, 2, '5778-6', 'Yellow', null, null],
      [6, 2, '5811-5', 1.02, null, 'N'],
    ]);
  });

  it('reads the notes of a result across its TCD and SID segments', () => {
    expect(d.results[1]!.notes).toEqual(['Repeated to confirm']);
    expect(d.results[2]!.notes).toEqual([]);
  });

  it('times each result by OBX-14, else the order (OBR-7), else its specimen (SPM-17)', () => {
    expect(d.results.map((r) => r.effectiveAt)).toEqual([
      '2026-03-01T08:15:00.000Z',
      '2026-03-01T08:15:00.000Z',
      '2026-03-01T08:40:00.000Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
    ]);
  });

  it('skips the OBX of a specimen no order was made on, saying why', () => {
    expect(d.skipped).toEqual([{ occurrence: 7, reason: 'a specimen observation with no order (OBR) after its SPM' }]);
  });

  it('an ORU^R01 is order first: the OBX after its SPM stay results of that order', () => {
    const oruWithSpecimen = [
      'MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|M2|P|2.5.1',
      'PID|1||123^^^^MR||Doe^Jane||19800101|F',
      'OBR|1|PL-1^CAIRN|FI-1^ACME|2345-7^Glucose^LN',
      'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F',
      'SPM|1|SP-1||SER|||||||P||||||20260301070000+0000',
      'OBX|2|NM|3167-4^Volume of Specimen^LN||5|mL|||||F',
      'OBR|2|PL-2^CAIRN|FI-2^ACME|2823-3^Potassium^LN',
      'OBX|3|NM|2823-3^Potassium^LN||4.0|mmol/L|||||F',
    ].join('\r');
    const o = drafts(oruWithSpecimen);
    expect(o.results.map((r) => [r.orderIndex, r.loinc, r.effectiveAt])).toEqual([
      [0, '2345-7', '2026-03-01T07:00:00.000Z'],
      [0, '3167-4', '2026-03-01T07:00:00.000Z'],
      // The second order has no specimen of its own: the message's time, not the first order's specimen.
      [1, '2823-3', '2026-03-01T10:15:00.000Z'],
    ]);
  });

  it('an OUL^R22 with no PID is refused (there is no chart to put it on)', () => {
    const r = mapOru(parseMessageOrThrow(OUL.replace(/\rPID\|[^\r]*/, '')));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ segment: 'PID', condition: '100' });
  });
});

describe('patientParts', () => {
  it('splits a message with several PIDs into one message per patient, each with the header', () => {
    const two = parseMessageOrThrow(
      [
        'MSH|^~\\&|LAB|ACME|CAIRN|CLINIC|20260301||ORU^R01|P2|P|2.5.1',
        'PID|1||A^^^^MR',
        'OBR|1|PL-A',
        'OBX|1|NM|1-8^x^LN||1||||||F',
        'PID|2||B^^^^MR',
        'PV1|1|O',
        'OBR|1|PL-B',
        'OBX|1|NM|1-8^x^LN||2||||||F',
      ].join('\r'),
    );
    const parts = patientParts(two);
    expect(parts.map((p) => p.message.segments.map((s) => s.name))).toEqual([
      ['MSH', 'PID', 'OBR', 'OBX'],
      ['MSH', 'PID', 'PV1', 'OBR', 'OBX'],
    ]);
    expect(parts.map((p) => p.obxBefore)).toEqual([0, 1]);
    const one = parseMessageOrThrow(oru('OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F'));
    expect(patientParts(one)).toEqual([{ message: one, obxBefore: 0 }]);
  });
});

describe('hand-built OBX', () => {
  it('SN: plain, with a comparator, as a range and as a ratio', () => {
    expect(one('OBX|1|SN|2345-7^Glucose^LN||^182|mg/dL^^UCUM|70_105|H|||F')).toMatchObject({
      valueNum: 182,
      valueText: null,
      comparator: null,
      unit: 'mg/dL',
      refLow: 70,
      refHigh: 105,
      interpretation: 'H',
    });
    expect(one('OBX|1|SN|2345-7^Glucose^LN||<^5|mg/dL|||||F')).toMatchObject({ valueNum: 5, valueText: '<5', comparator: '<' });
    expect(one('OBX|1|SN|2345-7^Glucose^LN||^10^-^20|mg/dL|||||F')).toMatchObject({ valueNum: null, valueText: '10-20' });
    expect(one('OBX|1|SN|5370-2^Titer^LN||^1^:^128||||||F')).toMatchObject({ valueNum: null, valueText: '1:128' });
    expect(parseStructuredNumeric(['~', '5'])).toMatch(/comparator "~"/);
  });

  it('NM with a comparator (a value beyond a measuring limit, as analyzers send it) reads as the SN it means', () => {
    expect(one('OBX|1|NM|6598-7^Troponin T^LN||<0.01|ng/mL|0-0.03|N|||F')).toMatchObject({
      valueNum: 0.01,
      valueText: '<0.01',
      comparator: '<',
      unit: 'ng/mL',
    });
    expect(one('OBX|1|NM|2345-7^Glucose^LN||>= 600|mg/dL|||||F')).toMatchObject({ valueNum: 600, valueText: '>=600', comparator: '>=' });
    // Anything else that is not a number is still refused, naming the field.
    expect(mapOru(parseMessageOrThrow(oru('OBX|1|NM|2345-7^Glucose^LN||<<5|mg/dL|||||F')))).toMatchObject({
      ok: false,
      error: { reason: 'OBX #1 field 5: NM value "<<5" is not a number' },
    });
  });

  it('reference ranges in their usual spellings', () => {
    expect(parseReferenceRange('70_105')).toEqual({ low: 70, high: 105, text: '70_105' });
    expect(parseReferenceRange('4.3 to 6.2')).toEqual({ low: 4.3, high: 6.2, text: '4.3 to 6.2' });
    expect(parseReferenceRange('<200')).toEqual({ low: null, high: 200, text: '<200' });
    expect(parseReferenceRange('>=5')).toEqual({ low: 5, high: null, text: '>=5' });
    expect(parseReferenceRange('negative')).toEqual({ low: null, high: null, text: 'negative' });
    expect(parseReferenceRange('')).toEqual({ low: null, high: null, text: null });
  });

  it('abnormal flags are kept as table 0078 codes', () => {
    for (const flag of ['N', 'L', 'H', 'LL', 'HH', 'A', 'AA']) expect(one(`OBX|1|NM|2345-7^Glucose^LN||90|mg/dL||${flag}|||F`).interpretation).toBe(flag);
  });

  it('ST, TX, DT, TS, CE and ED values', () => {
    expect(one('OBX|1|ST|2345-7^Glucose^LN||see note||||||F').valueText).toBe('see note');
    expect(one('OBX|1|TX|2345-7^Glucose^LN||line one~line two||||||F').valueText).toBe('line one\nline two');
    expect(one('OBX|1|DT|2345-7^Glucose^LN||20260214||||||F').valueText).toBe('2026-02-14');
    expect(one('OBX|1|TS|2345-7^Glucose^LN||202602141030-0500||||||F').valueText).toBe('2026-02-14T15:30:00.000Z');
    expect(one('OBX|1|CE|2345-7^Glucose^LN||260385009^Negative^SCT||||||F')).toMatchObject({ valueText: 'Negative', valueCode: 'SCT|260385009' });
    const ed = one('OBX|1|ED|18748-4^Report^LN||LAB^application^pdf^Base64^JVBERi0xLjQK||||||F');
    expect(ed.attachment).toEqual({ sourceApplication: 'LAB', type: 'application', subtype: 'pdf', encoding: 'Base64', data: 'JVBERi0xLjQK' });
    expect(ed.valueNum).toBeNull();
  });

  it('statuses P, F, C and X, and the notes after an OBX', () => {
    const d = drafts(
      oru(
        'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||P',
        'NTE|1||first note',
        'OBX|2|NM|2345-7^Glucose^LN||95|mg/dL|||||C',
        'NTE|1||recalibrated',
        'OBX|3|NM|2951-2^Sodium^LN|||mmol/L|||||X',
      ),
    );
    expect(d.results.map((r) => [r.status, r.valueNum, r.notes])).toEqual([
      ['preliminary', 90, ['first note']],
      ['corrected', 95, ['recalibrated']],
      ['cancelled', null, []],
    ]);
    expect(one('OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F').status).toBe('final');
  });

  it('a broken OBX is refused, naming the segment, its occurrence and the field', () => {
    const cases: [string, RegExp, number][] = [
      ['OBX|1|NM|2345-7^Glucose^LN||ninety|mg/dL|||||F', /^OBX #1 field 5: NM value "ninety" is not a number$/, 5],
      ['OBX|1|NM|||90|mg/dL|||||F', /^OBX #1 field 3: the observation identifier/, 3],
      ['OBX|1|NM|2345-7^Glucose^LN||90|mg/dL||||', /^OBX #1 field 11: the result status/, 11],
      ['OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||Q', /^OBX #1 field 11: result status "Q"/, 11],
    ];
    for (const [obx, reason, fieldNo] of cases) {
      const r = mapOru(parseMessageOrThrow(oru(obx)));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.reason).toMatch(reason);
        expect(r.error).toMatchObject({ segment: 'OBX', occurrence: 1, field: fieldNo });
      }
    }
    const noPid = mapOru(parseMessageOrThrow('MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rOBR|1|X'));
    expect(noPid.ok ? null : noPid.error.reason).toBe('PID #1: the message has no PID segment');
  });

  it("reads a time without an offset in the clinic's zone, across daylight-saving changes", () => {
    expect(hl7TimeToIso('20260301080000', 'America/New_York')).toBe('2026-03-01T13:00:00.000Z');
    expect(hl7TimeToIso('20260715080000', 'America/New_York')).toBe('2026-07-15T12:00:00.000Z');
    expect(hl7TimeToIso('20260301080000.5', 'Asia/Kolkata')).toBe('2026-03-01T02:30:00.500Z');
    // 02:30 does not exist on the spring-forward night (read as 03:30, as the scheduler reads it);
    // 01:30 happens twice on the fall-back one (the first is taken).
    expect(hl7TimeToIso('20260308023000', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(hl7TimeToIso('20261101013000', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    // An offset in the message wins over the zone.
    expect(hl7TimeToIso('20260301080000+0100', 'America/New_York')).toBe('2026-03-01T07:00:00.000Z');
    expect(hl7TimeToIso('20260301080000')).toBe('2026-03-01T08:00:00.000Z');
    const d = mapOru(parseMessageOrThrow(oru('OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F|||20260301080000')), { timeZone: 'America/Chicago' });
    expect(d.ok && d.value.results[0]!.effectiveAt).toBe('2026-03-01T14:00:00.000Z');
  });

  it('reads HL7 times with and without offsets', () => {
    expect(hl7TimeToIso('20141006064500+0700')).toBe('2014-10-05T23:45:00.000Z');
    expect(hl7TimeToIso('201203141259-0215')).toBe('2012-03-14T15:14:00.000Z');
    expect(hl7TimeToIso('20120301')).toBe('2012-03-01T00:00:00.000Z');
    expect(hl7TimeToIso('not a time')).toBeNull();
  });
});

describe('arrivesLate: which version of a result may replace the current one', () => {
  it('a lower status after a higher one is late (registered < preliminary < final < corrected)', () => {
    const order = ['registered', 'preliminary', 'final', 'corrected'];
    for (const [i, current] of order.entries())
      for (const [j, incoming] of order.entries()) expect([incoming, current, arrivesLate(incoming, current)]).toEqual([incoming, current, j < i]);
  });

  it('cancelled and entered in error are never late, and never make what follows late', () => {
    for (const other of ['registered', 'preliminary', 'final', 'corrected', 'cancelled', 'entered-in-error']) {
      expect(arrivesLate('cancelled', other)).toBe(false);
      expect(arrivesLate('entered-in-error', other)).toBe(false);
      expect(arrivesLate(other, 'cancelled')).toBe(false);
      expect(arrivesLate(other, 'entered-in-error')).toBe(false);
    }
  });
});
