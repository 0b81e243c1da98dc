import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CumulativeView, InboxItem, InboxPage, LabResultView, LabTrend, UnmatchedItem } from '../../shared/domain/lab-review';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');

/** An ORU^R01 with one OBR (its own filler number, so results of different messages are not versions of each other). */
function oru(controlId: string, pid: string, filler: string, ...obx: string[]): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    `OBR|1|PL-${controlId}^CAIRN|${filler}^ACME|24323-8^Metabolic panel^LN`,
    ...obx,
  ].join('\r');
}

describe('the results inbox, cumulative view, trends and the unmatched queue, through the dispatcher', () => {
  const t = tempDir('cairn-results-');
  let c: Clinic;
  let ingest: Hl7Ingest;
  let donald: Patient;
  const count = (sql: string, ...p: unknown[]): number => (c.session.repos.store.sqlite.prepare(sql).get(...p) as { n: number }).n;
  /** The inbox's results (everyone's: none of these results answers an order here, so all are in the shared queue). */
  const inbox = async (): Promise<InboxItem[]> => (await c.ok<InboxPage>('labs.inbox', {})).items;

  beforeAll(async () => {
    c = await openClinic(t.dir, () => new Date());
    ingest = new Hl7Ingest(c.session.repos);
    donald = await c.ok<Patient>('patients.create', {
      givenName: 'Donald',
      familyName: 'Duck',
      birthDate: '1924-10-10',
      sex: 'male',
      identifiers: [{ system: '1', value: '10006579', type: 'MR' }],
    });
    expect(ingest.receive(readFileSync(join(FIXTURES, 'LAB-ORU-1.hl7'), 'utf8'), 'LAB-ORU-1.hl7')).toMatchObject({
      ack: 'AA',
      patientId: donald.id,
      results: 10,
    });
    const pid = `PID|1||${donald.mrn}^^^^MR||Duck^Donald||19241010|M`;
    const first = ingest.receive(
      oru(
        'G1',
        pid,
        'F-1',
        'OBX|1|NM|2345-7^Glucose^LN||250|mg/dL|70-99|HH|||F|||20260301080000+0000',
        'OBX|2|NM|2823-3^Potassium^LN||5.4|mmol/L|3.5-5.1|H|||F|||20260301080000+0000',
      ),
      'g1',
    );
    expect(first).toMatchObject({ ack: 'AA', patientId: donald.id, results: 2 });
    expect(ingest.receive(oru('G2', pid, 'F-2', 'OBX|1|NM|2345-7^Glucose^LN||110|mg/dL|70-99|H|||F|||20260302080000+0000'), 'g2')).toMatchObject({
      results: 1,
    });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it('lists unacknowledged results across patients: critical first, then abnormal, then normal, with name and MRN', async () => {
    const items = await inbox();
    // LAB-ORU-1's two results still "registered" (no value yet) are not for review.
    expect(items).toHaveLength(8 + 3);
    expect(items[0]).toMatchObject({
      loinc: '2345-7',
      value: '250',
      flag: 'HH',
      severity: 'critical',
      patientName: 'Duck, Donald',
      mrn: donald.mrn,
      restricted: false,
      refLow: 70,
      refHigh: 99,
    });
    expect(
      items
        .slice(1, 3)
        .map((i) => [i.loinc, i.severity])
        .sort(),
    ).toEqual([
      ['2345-7', 'abnormal'],
      ['2823-3', 'abnormal'],
    ]);
    expect(items.slice(3).every((i) => i.severity === 'normal')).toBe(true);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.inbox'`)).toBe(1);
  });

  it('acknowledges a result: gone from the inbox, audited, synced; acknowledging again changes nothing', async () => {
    const [critical] = await inbox();
    expect(await c.ok('labs.acknowledge', { observationIds: [critical!.id], note: 'called the patient' })).toEqual({ acknowledged: [critical!.id] });
    const items = await inbox();
    expect(items.map((i) => i.id)).not.toContain(critical!.id);
    expect(items[0]!.severity).toBe('abnormal');
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.acknowledge' AND patient_id = ? AND detail = ?`, donald.id, critical!.id)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'result_ack' AND patient_id = ?`, donald.id)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM result_acknowledgements WHERE observation_id = ? AND note = 'called the patient'`, critical!.id)).toBe(1);
    expect(await c.ok('labs.acknowledge', { observationIds: [critical!.id] })).toEqual({ acknowledged: [] });
    const results = await c.ok<LabResultView[]>('labs.patientResults', { patientId: donald.id });
    expect(results.find((r) => r.id === critical!.id)).toMatchObject({ acknowledgedBy: 'Dr. Gregory House', severity: 'critical' });
    expect(await c.call('labs.acknowledge', { observationIds: [donald.id] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('builds the cumulative table (rows = tests, columns = times, newest first) and a trend with its reference band', async () => {
    const cum = await c.ok<CumulativeView>('labs.cumulative', { patientId: donald.id });
    expect(cum.columns.slice(0, 2)).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-01T08:00:00.000Z']);
    const glucose = cum.rows.find((r) => r.loinc === '2345-7')!;
    expect(glucose).toMatchObject({ display: 'Glucose', unit: 'mg/dL', refLow: 70, refHigh: 99 });
    expect(glucose.cells.slice(0, 2)).toMatchObject([
      { value: '110', flag: 'H', severity: 'abnormal' },
      { value: '250', flag: 'HH', severity: 'critical' },
    ]);
    expect(glucose.cells.slice(2).every((x) => x === null)).toBe(true);
    expect(cum.rows.every((r) => r.cells.length === cum.columns.length)).toBe(true);
    expect(cum.rows.map((r) => r.loinc)).toContain('11125-2');

    const trend = await c.ok<LabTrend>('labs.trend', { patientId: donald.id, loinc: '2345-7' });
    expect(trend).toMatchObject({ loinc: '2345-7', display: 'Glucose', unit: 'mg/dL', refLow: 70, refHigh: 99 });
    expect(trend.points.map((p) => [p.value, p.flag])).toEqual([
      [250, 'HH'],
      [110, 'H'],
    ]);
    expect(await c.call('labs.trend', { patientId: donald.id, loinc: '9999-9' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('queues an unmatched ORU, then attaches its results to the chosen chart and resolves the review', async () => {
    const o = ingest.receive(
      oru('U1', 'PID|1||999^^^ELSEWHERE^MR||Nobody^Known||19700101|M', 'F-U', 'OBX|1|NM|2345-7^Glucose^LN||45|mg/dL|70-99|LL|||F|||20260303080000+0000'),
      'u1',
    );
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null });
    const queue = await c.ok<UnmatchedItem[]>('labs.unmatched');
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({
      kind: 'unmatched',
      controlId: 'U1',
      familyName: 'Nobody',
      givenName: 'Known',
      birthDate: '1970-01-01',
      sex: 'male',
      results: 1,
      identifiers: ['999 (MR, ELSEWHERE)'],
    });

    expect(await c.ok('labs.matchToPatient', { reviewId: queue[0]!.reviewId, patientId: donald.id })).toEqual({
      reviewId: queue[0]!.reviewId,
      patientId: donald.id,
      results: 1,
    });
    expect(await c.ok<UnmatchedItem[]>('labs.unmatched')).toEqual([]);
    const trend = await c.ok<LabTrend>('labs.trend', { patientId: donald.id, loinc: '2345-7' });
    expect(trend.points.map((p) => p.value)).toEqual([250, 110, 45]);
    const items = await inbox();
    expect(items[0]).toMatchObject({ value: '45', flag: 'LL', severity: 'critical', patientId: donald.id });
    const sqlite = c.session.repos.store.sqlite;
    expect(sqlite.prepare(`SELECT status, resolved_by AS by, patient_id AS pid FROM hl7_reviews WHERE id = ?`).get(queue[0]!.reviewId)).toMatchObject({
      status: 'resolved',
      pid: donald.id,
    });
    expect(sqlite.prepare(`SELECT status, patient_id AS pid, results FROM hl7_messages WHERE control_id = 'U1'`).get()).toEqual({
      status: 'processed',
      pid: donald.id,
      results: 1,
    });
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.match_to_patient' AND patient_id = ?`, donald.id)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'hl7.match' AND patient_id = ? AND detail LIKE 'matched by hand%'`, donald.id)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'observation' AND patient_id = ?`, donald.id)).toBe(14);
    // Once resolved, the review cannot be attached twice.
    expect(await c.call('labs.matchToPatient', { reviewId: queue[0]!.reviewId, patientId: donald.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it("lists a restricted chart's results by the patient's name only", async () => {
    const vip = await c.ok<Patient>('patients.create', { givenName: 'Vera', familyName: 'Famous', birthDate: '1975-06-01', sex: 'female' });
    ingest.receive(
      oru(
        'V1',
        `PID|1||${vip.mrn}^^^^MR||Famous^Vera||19750601|F`,
        'F-V',
        'OBX|1|NM|2345-7^Glucose^LN||300|mg/dL|70-99|HH|||F|||20260303090000+0000',
        'NTE|1|L|Repeat requested',
      ),
      'v1',
    );
    await c.ok('patients.setRestricted', { id: vip.id, restricted: true });
    const item = (await inbox()).find((i) => i.patientId === vip.id);
    expect(item).toMatchObject({ patientName: 'Famous, Vera', restricted: true, value: '', loinc: '', mrn: null, notes: [], orderNotes: [] });
    expect(await c.call('labs.patientResults', { patientId: vip.id })).toMatchObject({ ok: false, error: { code: 'break_glass_required' } });
  });

  it("shows the lab's comments with the result they qualify: in the inbox, the chart's list and the cumulative table", async () => {
    const pid = `PID|1||${donald.mrn}^^^^MR||Duck^Donald||19241010|M`;
    const msg = [
      `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260304101500+0000||ORU^R01^ORU_R01|N1|P|2.5.1`,
      pid,
      `OBR|1|PL-N1^CAIRN|F-N1^ACME|24323-8^Metabolic panel^LN`,
      'NTE|1|L|Received 6 hours after collection',
      'OBX|1|NM|2823-3^Potassium^LN||6.1|mmol/L|3.5-5.1|H|||F|||20260304080000+0000',
      'NTE|1|L|Specimen hemolyzed: potassium may be falsely raised',
      'NTE|2|L|Please repeat',
      'OBX|2|NM|2951-2^Sodium^LN||140|mmol/L|135-145|N|||F|||20260304080000+0000',
    ].join('\r');
    expect(ingest.receive(msg, 'n1')).toMatchObject({ ack: 'AA', patientId: donald.id, results: 2 });
    const potassium = (await inbox()).find((i) => i.loinc === '2823-3' && i.value === '6.1');
    expect(potassium).toMatchObject({
      notes: ['Specimen hemolyzed: potassium may be falsely raised', 'Please repeat'],
      orderNotes: ['Received 6 hours after collection'],
    });
    const results = await c.ok<LabResultView[]>('labs.patientResults', { patientId: donald.id });
    expect(results.find((r) => r.loinc === '2951-2' && r.value === '140')).toMatchObject({ notes: [], orderNotes: ['Received 6 hours after collection'] });
    // A result that came without comments has none (not the neighbouring result's).
    expect(results.find((r) => r.loinc === '2345-7' && r.value === '110')).toMatchObject({ notes: [], orderNotes: [] });
    const cumulative = await c.ok<CumulativeView>('labs.cumulative', { patientId: donald.id });
    const k = cumulative.rows.find((r) => r.loinc === '2823-3')!;
    const col = cumulative.columns.indexOf('2026-03-04T08:00:00.000Z');
    expect(k.cells[col]).toMatchObject({
      value: '6.1',
      notes: ['Specimen hemolyzed: potassium may be falsely raised', 'Please repeat', 'Received 6 hours after collection'],
    });
  });

  it('shows what a corrected result replaces, and brings it back to the inbox', async () => {
    const pid = `PID|1||${donald.mrn}^^^^MR||Duck^Donald||19241010|M`;
    const msg = (id: string, obx: string): string =>
      [
        `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260305101500+0000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
        pid,
        'OBR|1|PL-C9^CAIRN|F-C9^ACME|24323-8^Metabolic panel^LN',
        obx,
      ].join('\r');
    expect(ingest.receive(msg('C9a', 'OBX|1|NM|2160-0^Creatinine^LN||1.1|mg/dL|0.6-1.3|N|||F|||20260305080000+0000'), 'c9a')).toMatchObject({ results: 1 });
    const first = (await c.ok<LabResultView[]>('labs.patientResults', { patientId: donald.id })).find((r) => r.loinc === '2160-0')!;
    expect(first).toMatchObject({ value: '1.1', corrected: false, previous: null });
    await c.ok('labs.acknowledge', { observationIds: [first.id] });
    expect(ingest.receive(msg('C9b', 'OBX|1|NM|2160-0^Creatinine^LN||2.4|mg/dL|0.6-1.3|H|||C|||20260305080000+0000'), 'c9b')).toMatchObject({ results: 1 });
    const now = (await c.ok<LabResultView[]>('labs.patientResults', { patientId: donald.id })).filter((r) => r.loinc === '2160-0');
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({
      value: '2.4',
      status: 'corrected',
      corrected: true,
      previous: { value: '1.1', unit: 'mg/dL', flag: 'N', status: 'final', receivedAt: first.receivedAt },
    });
    // The correction is a new result to review, though the earlier value was acknowledged.
    expect((await inbox()).find((i) => i.id === now[0]!.id)).toMatchObject({ previous: { value: '1.1' } });
  });
});
