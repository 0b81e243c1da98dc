import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILED_ON_IMPORT_NOTE, IMPORTED_RESULT_REVIEW_DAYS, type InboxPage, type LabResultView } from '../../shared/domain/lab-review';
import type { ImportSummary } from '../../shared/fhir/import-summary';
import type { Patient } from '../../shared/domain/patient';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';

const SYNTHEA = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'synthea-r4');
const DAY = 86_400_000;
const WILSON = { username: 'drwilson', password: 'oncology cabbage lantern' };

/** An ORU^R01 answering the order with this placer number (OBR-2), one OBX per result. */
function oru(controlId: string, pid: string, placer: string, ...obx: string[]): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    `OBR|1|${placer}|F-${controlId}^ACME|2345-7^Glucose^LN`,
    ...obx,
  ].join('\r');
}
/** A glucose result; `n` is its OBX set id and sub-id (results of one message with the same sub-id would be versions of one). */
const glucose = (value: number, flag: string, n = 1): string => `OBX|${n}|NM|2345-7^Glucose^LN|${n}|${value}|mg/dL|70-99|${flag}|||F|||20260301080000+0000`;

/** A FHIR bundle of one patient with two glucose results: one collected years ago, one days ago. */
function historyBundle(now: Date): unknown {
  const lab = (id: string, at: string, value: number): unknown => ({
    fullUrl: `urn:uuid:${id}`,
    resource: {
      resourceType: 'Observation',
      id,
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
      subject: { reference: 'urn:uuid:p-hist' },
      effectiveDateTime: at,
      valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    },
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:p-hist',
        resource: { resourceType: 'Patient', id: 'p-hist', name: [{ family: 'Imported', given: ['Hattie'] }], gender: 'female', birthDate: '1950-02-03' },
      },
      lab('o-old', new Date(now.getTime() - 5 * 365 * DAY).toISOString(), 101.23456),
      lab('o-edge', new Date(now.getTime() - (IMPORTED_RESULT_REVIEW_DAYS + 1) * DAY).toISOString(), 98),
      lab('o-new', new Date(now.getTime() - 3 * DAY).toISOString(), 187.6543),
    ],
  };
}

describe('the results inbox: imported history filed, routing to the ordering provider, bulk acknowledgement, the true count', () => {
  const t = tempDir('cairn-inbox-routing-');
  let c: Clinic;
  let ingest: Hl7Ingest;
  let ann: Patient;
  let ben: Patient;
  let house: string;
  let wilson: string;
  const sqlite = (): Clinic['session']['repos']['store']['sqlite'] => c.session.repos.store.sqlite;
  const count = (sql: string, ...p: unknown[]): number =>
    (
      sqlite()
        .prepare(sql)
        .get(...p) as { n: number }
    ).n;
  const inbox = (input: Record<string, unknown> = {}): Promise<InboxPage> => c.ok<InboxPage>('labs.inbox', input);
  const as = async (username: string, password: string): Promise<void> => {
    await c.ok('session.logout');
    await c.ok('session.login', { username, password });
  };

  beforeAll(async () => {
    c = await openClinic(t.dir, () => new Date());
    ingest = new Hl7Ingest(c.session.repos);
    house = c.session.requireUser().id;
    await as(CLINIC.admin.username, CLINIC.admin.password);
    wilson = (
      await c.ok<{ id: string }>('users.create', { username: WILSON.username, displayName: 'Dr. James Wilson', role: 'physician', password: WILSON.password })
    ).id;
    await as(CLINIC.doc.username, CLINIC.doc.password);
    ann = await c.ok<Patient>('patients.create', { givenName: 'Ann', familyName: 'Alder', birthDate: '1961-01-01', sex: 'female' });
    ben = await c.ok<Patient>('patients.create', { givenName: 'Ben', familyName: 'Birch', birthDate: '1962-02-02', sex: 'male' });
  });
  afterAll(() => {
    c.session.close();
    t.cleanup();
  });

  it(`files imported results collected more than ${IMPORTED_RESULT_REVIEW_DAYS} days before the import as reviewed; a recent one waits`, async () => {
    const synthea = readFileSync(join(SYNTHEA, 'Clarence_Mills_0753ad6c-5935-4faa-9cfe-b7269e963d77.json'), 'utf8');
    const before = (await inbox({ scope: 'all' })).total;
    const s1 = await c.ok<ImportSummary>('fhir.importBundle', { fileName: 'mills.json', text: synthea });
    expect(s1.errors).toEqual([]);
    // A Synthea history of years: dozens of lab results, none of them "to review".
    const mills = (sqlite().prepare(`SELECT id FROM patients WHERE family_name LIKE 'Mills%'`).get() as { id: string }).id;
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ? AND category = 'laboratory'`, mills)).toBeGreaterThan(20);
    expect((await inbox({ scope: 'all' })).total).toBe(before);

    const s2 = await c.ok<ImportSummary>('fhir.importBundle', { fileName: 'hattie.json', text: JSON.stringify(historyBundle(new Date())) });
    expect(s2.errors).toEqual([]);
    const page = await inbox({ scope: 'all' });
    expect(page.total).toBe(before + 1);
    const waiting = page.items.find((i) => i.patientName === 'Imported, Hattie')!;
    // The recent one, in the shared queue (no order here), its imported float shown rounded.
    expect(waiting).toMatchObject({ value: '188', valueNum: 187.6543, orderedById: null, orderedBy: null });
    const hattie = waiting.patientId;
    const results = await c.ok<LabResultView[]>('labs.patientResults', { patientId: hattie });
    const filed = results.filter((r) => r.acknowledgedAt !== null);
    expect(filed.map((r) => r.value).sort()).toEqual(['101', '98']);
    expect(filed.every((r) => r.acknowledgedNote === FILED_ON_IMPORT_NOTE && r.acknowledgedBy === 'Dr. Gregory House')).toBe(true);
    // Synced like any acknowledgement, and audited once for the patient with how many were filed.
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'result_ack' AND patient_id = ?`, hattie)).toBe(2);
    expect(sqlite().prepare(`SELECT detail FROM audit_log WHERE action = 'labs.file_imported' AND patient_id = ?`).all(hattie)).toEqual([
      { detail: `2 imported results filed as reviewed: ${FILED_ON_IMPORT_NOTE}` },
    ]);
  });

  it("routes a result to the ordering provider's inbox; a result with no order here goes to the shared queue every physician sees", async () => {
    await c.ok('labs.order', { patientId: ann.id, loincCodes: ['2345-7'], placerNumber: 'PL-HOUSE-1' });
    await as(WILSON.username, WILSON.password);
    await c.ok('labs.order', { patientId: ben.id, loincCodes: ['2345-7'], placerNumber: 'PL-WILSON-1' });
    const pidA = `PID|1||${ann.mrn}^^^^MR||Alder^Ann||19610101|F`;
    const pidB = `PID|1||${ben.mrn}^^^^MR||Birch^Ben||19620202|M`;
    expect(ingest.receive(oru('RH1', pidA, 'PL-HOUSE-1', glucose(180, 'H')), 'rh1')).toMatchObject({ results: 1 });
    expect(ingest.receive(oru('RW1', pidB, 'PL-WILSON-1', glucose(60, 'L')), 'rw1')).toMatchObject({ results: 1 });
    expect(ingest.receive(oru('RS1', pidB, 'PL-ELSEWHERE-9', glucose(130, 'H')), 'rs1')).toMatchObject({ results: 1 });

    const routed = (p: InboxPage): string[] =>
      p.items
        .filter((i) => i.patientId === ann.id || i.patientId === ben.id)
        .map((i) => `${i.value} ${i.orderedBy ?? 'shared'}`)
        .sort();
    // Wilson: his own order's result and the shared queue, not House's.
    const wilsonsMine = await inbox();
    expect(wilsonsMine.scope).toBe('mine');
    expect(routed(wilsonsMine)).toEqual(['130 shared', '60 Dr. James Wilson']);
    expect(wilsonsMine.items.find((i) => i.value === '60')).toMatchObject({ orderedById: wilson });
    expect(routed(await inbox({ scope: 'all' }))).toEqual(['130 shared', '180 Dr. Gregory House', '60 Dr. James Wilson']);
    await as(CLINIC.doc.username, CLINIC.doc.password);
    const housesMine = await inbox({ scope: 'mine' });
    expect(routed(housesMine)).toEqual(['130 shared', '180 Dr. Gregory House']);
    expect(housesMine.items.find((i) => i.value === '180')).toMatchObject({ orderedById: house });
    // The count is the scope's: everyone's minus Wilson's one result.
    expect(housesMine.total).toBe((await inbox({ scope: 'all' })).total - 1);

    // An ordering provider who has left (account disabled): their results go to the shared queue.
    await as(CLINIC.admin.username, CLINIC.admin.password);
    await c.ok('users.disable', { username: WILSON.username });
    await as(CLINIC.doc.username, CLINIC.doc.password);
    expect(routed(await inbox({ scope: 'mine' }))).toEqual(['130 shared', '180 Dr. Gregory House', '60 shared']);
    expect(await c.call('labs.inbox', { scope: 'everyone' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('counts every result waiting, not the page, and acknowledges a whole page in one action, each audited', async () => {
    const pidA = `PID|1||${ann.mrn}^^^^MR||Alder^Ann||19610101|F`;
    // 260 results in one message (an analyzer's batch), all in the shared queue.
    const obx = Array.from({ length: 260 }, (_, k) => glucose(100 + (k % 50), 'H', k + 1));
    expect(ingest.receive(oru('BULK1', pidA, 'PL-BATCH-1', ...obx), 'bulk1')).toMatchObject({ results: 260 });
    const before = await inbox({ scope: 'all' });
    expect(before.items).toHaveLength(200);
    expect(before.total).toBeGreaterThanOrEqual(260 + 4);
    const audits = count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.acknowledge'`);

    const ids = before.items.map((i) => i.id);
    expect(await c.ok<{ acknowledged: string[] }>('labs.acknowledge', { observationIds: ids, note: 'batch reviewed' })).toEqual({ acknowledged: ids });
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.acknowledge'`)).toBe(audits + 200);
    expect(count(`SELECT count(*) AS n FROM result_acknowledgements WHERE note = 'batch reviewed'`)).toBe(200);
    const after = await inbox({ scope: 'all' });
    expect(after.total).toBe(before.total - 200);
    expect(after.items.map((i) => i.id).filter((id) => ids.includes(id))).toEqual([]);
    // More than the channel allows at once is refused with the reason, nothing acknowledged.
    const tooMany = Array.from({ length: 501 }, () => after.items[0]!.id);
    expect(await c.call('labs.acknowledge', { observationIds: tooMany })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
