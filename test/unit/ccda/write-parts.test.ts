import { describe, expect, it } from 'vitest';
import { writeCcda } from '../../../shared/ccda/write';
import { refusalCode } from '../../../shared/ccda/write-immunizations';
import { frequencyPeriod } from '../../../shared/ccda/write-medications';
import { attr, el, hl7Ts, text } from '../../../shared/ccda/write-xml';
import { richPatient } from './write-patients';
import { findAll, kid, kids, parseXml, sectionsByCode, textOf } from './write-tree';

describe('hl7Ts', () => {
  it('keeps the precision it was given and the offset', () => {
    expect(hl7Ts('2012')).toBe('2012');
    expect(hl7Ts('2012-09')).toBe('201209');
    expect(hl7Ts('2012-09-12')).toBe('20120912');
    expect(hl7Ts('2012-09-12T09:30:00-05:00')).toBe('20120912093000-0500');
    expect(hl7Ts('2012-09-12T09:30:00.123Z')).toBe('20120912093000+0000');
    expect(hl7Ts('2012-09-12T09:30')).toBe('201209120930');
    expect(hl7Ts('20120912093000-0500')).toBe('20120912093000-0500');
  });
  it('gives null for what is not a date, never a guess', () => {
    for (const bad of ['', 'yesterday', '2012-13', '2012-02-40', '2012-09-12T25:00:00Z', null, undefined]) expect(hl7Ts(bad)).toBeNull();
  });
});

describe('escaping', () => {
  it('escapes markup in text and attributes and drops characters XML cannot carry', () => {
    expect(text('a < b & c > d "q"')).toBe('a &lt; b &amp; c &gt; d "q"');
    expect(attr('x"y&z\n')).toBe('x&quot;y&amp;z&#10;');
    expect(text('bell\u0007 ok \uD800 lone')).toBe('bell ok  lone');
    expect(text('emoji 😀 kept')).toBe('emoji 😀 kept');
    expect(el('a', { b: '1<2', c: null, d: 3 }, text('<x>'))).toBe('<a b="1&lt;2" d="3">&lt;x&gt;</a>');
    expect(el('a', null, null, '')).toBe('<a/>');
  });
  it('a name full of markup comes back as the same words, not as elements', () => {
    const x = richPatient('ccd');
    x.problems[0]!.name = '</td></tr><script>alert(1)</script> & "x"';
    const doc = parseXml(writeCcda(x));
    expect(findAll(doc, 'script')).toEqual([]);
    expect(textOf(findAll(doc, 'td').find((t) => t.attrs['ID'] === 'prob1n')!)).toBe(x.problems[0]!.name);
  });
});

describe('frequencyPeriod', () => {
  it('reads plain repeats', () => {
    expect(frequencyPeriod('every 12 hours')).toEqual({ value: 12, unit: 'h', institutionSpecified: false });
    expect(frequencyPeriod('q8h')).toEqual({ value: 8, unit: 'h', institutionSpecified: false });
    expect(frequencyPeriod('BID')).toEqual({ value: 12, unit: 'h', institutionSpecified: true });
    expect(frequencyPeriod('twice a day')).toEqual({ value: 12, unit: 'h', institutionSpecified: true });
    expect(frequencyPeriod('once daily')).toEqual({ value: 1, unit: 'd', institutionSpecified: true });
    expect(frequencyPeriod('every week')).toEqual({ value: 1, unit: 'wk', institutionSpecified: false });
  });
  it('leaves what is not a repeat to the narrative', () => {
    expect(frequencyPeriod('as needed for pain')).toBeNull();
    expect(frequencyPeriod(null)).toBeNull();
  });
});

describe('entries', () => {
  const doc = parseXml(writeCcda(richPatient('ccd')));
  const sections = sectionsByCode(doc);

  it('an ICD-10-CM problem is the value in its own system, its SNOMED translation kept', () => {
    const values = findAll(sections.get('11450-4')!, 'value').filter((v) => v.attrs['codeSystem'] === '2.16.840.1.113883.6.90');
    expect(values).toHaveLength(1);
    expect(values[0]!.attrs['code']).toBe('E11.9');
    expect(kids(values[0]!, 'translation').map((t) => t.attrs['code'])).toEqual(['44054006']);
  });

  it('a vaccine not given is negationInd="true" with its refusal reason coded', () => {
    const acts = findAll(sections.get('11369-6')!, 'substanceAdministration');
    expect(acts.map((a) => a.attrs['negationInd'])).toEqual(['false', 'true', 'true']);
    const reason = kid(findAll(acts[1]!, 'observation')[0]!, 'code');
    expect(reason.attrs).toMatchObject({ code: 'PATOBJ', codeSystem: '2.16.840.1.113883.5.8' });
    expect(kid(findAll(acts[2]!, 'observation')[0]!, 'code').attrs['nullFlavor']).toBe('OTH');
    expect(textOf(findAll(acts[0]!, 'lotNumberText')[0]!)).toBe('FLU-2025-A1');
  });

  it('results keep their panels, values, interpretation and reference range', () => {
    const organizers = findAll(sections.get('30954-2')!, 'organizer');
    expect(organizers.map((o) => kid(o, 'code').attrs['code'] ?? kid(o, 'code').attrs['nullFlavor'])).toEqual(['58410-2', 'NA', '24356-8', '58410-2']);
    const wbc = findAll(organizers[0]!, 'observation')[0]!;
    expect(kid(wbc, 'value').attrs).toMatchObject({ 'xsi:type': 'PQ', value: '11.2', unit: '10*3/uL' });
    expect(kid(wbc, 'interpretationCode').attrs['code']).toBe('H');
    const range = kid(kid(wbc, 'referenceRange'), 'observationRange');
    expect(kid(kid(range, 'value'), 'low').attrs).toEqual({ value: '4.0', unit: '10*3/uL' });
    expect(textOf(kid(range, 'text'))).toBe('4.0-10.5 10*3/uL');
  });

  it('smoking status is the Meaningful Use template in Social History', () => {
    const obs = findAll(sections.get('29762-2')!, 'observation');
    expect(kids(obs[0]!, 'templateId').map((t) => t.attrs['root'])).toContain('2.16.840.1.113883.10.20.22.4.78');
    expect(kid(obs[0]!, 'value').attrs['code']).toBe('8517006');
  });
});

describe('refusalCode', () => {
  it('maps words and codes to NoImmunizationReason', () => {
    expect(refusalCode('RELIG')).toBe('RELIG');
    expect(refusalCode('religious beliefs')).toBe('RELIG');
    expect(refusalCode('Patient refused')).toBe('PATOBJ');
    expect(refusalCode('he was busy')).toBeNull();
  });
});

describe('the Referral Note', () => {
  const doc = parseXml(writeCcda(richPatient('referral')));

  it('is typed 57133-1 with the Referral Note template, and names the recipient', () => {
    expect(kid(doc, 'code').attrs['code']).toBe('57133-1');
    expect(kids(doc, 'templateId').map((t) => t.attrs['root'])).toContain('2.16.840.1.113883.10.20.22.1.14');
    expect(textOf(findAll(kid(doc, 'informationRecipient'), 'name')[0]!)).toContain('Raman');
    expect(findAll(doc, 'documentationOf')).toEqual([]);
  });

  it('has a Reason for Referral with the reason, urgency and diagnoses, and an Assessment and Plan', () => {
    const sections = sectionsByCode(doc);
    const reason = sections.get('42349-1')!;
    expect(textOf(kid(reason, 'text'))).toContain('Evaluate resistant hypertension & <possible> renal artery stenosis');
    const act = findAll(reason, 'act')[0]!;
    expect(kid(act, 'priorityCode').attrs['code']).toBe('UR');
    expect(findAll(act, 'value')[0]!.attrs['code']).toBe('I10');
    expect(textOf(kid(sections.get('51847-2')!, 'text'))).toContain('Nephrology');
    for (const required of ['48765-2', '10160-0', '11450-4']) expect(sections.has(required)).toBe(true);
  });
});
