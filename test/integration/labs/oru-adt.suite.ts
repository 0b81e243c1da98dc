import { beforeAll, expect, it } from 'vitest';
import { patientInput } from '../../../shared/domain/patient';
import { get, parseMessageOrThrow } from '../../../shared/hl7';
import { ADMIN, fixture, oru, type LabsSuite } from './labs.helpers';

/** ORU results (matching, corrections, versions), unmatched and ambiguous patients, broken and unprocessed messages, ADT. */
export function oruAndAdtTests(suite: () => LabsSuite): void {
  let store: LabsSuite['store'];
  let repos: LabsSuite['repos'];
  let ingest: LabsSuite['ingest'];
  const count = (sql: string, ...p: unknown[]): number => (store.sqlite.prepare(sql).get(...p) as { n: number }).n;
  beforeAll(() => {
    ({ store, repos, ingest } = suite());
  });

  it('LAB-ORU-1: matched by identifier with its authority; ten results land on the chart, once', () => {
    const p = repos.patients.create(
      patientInput.parse({
        givenName: 'Donald',
        familyName: 'Duck',
        birthDate: '1924-10-10',
        sex: 'male',
        identifiers: [{ system: '1', value: '10006579', type: 'MR' }],
      }),
      ADMIN,
    );
    const first = ingest.receive(fixture('LAB-ORU-1.hl7'), 'LAB-ORU-1.hl7');
    expect(first).toMatchObject({ controlId: '182', type: 'ORU^R01', ack: 'AA', patientId: p.id, queued: false, results: 10, duplicate: false });
    const ack = parseMessageOrThrow(first.ackMessage);
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2'), get(ack, 'MSH-9.1')]).toEqual(['AA', '182', 'ACK']);
    const rows = store.sqlite
      .prepare(
        `SELECT loinc, value_num AS v, unit, interpretation AS flag, status, category, created_by AS by FROM observations WHERE patient_id = ? ORDER BY loinc`,
      )
      .all(p.id) as Record<string, unknown>[];
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r['loinc'] === '11273-0')).toEqual({
      loinc: '11273-0',
      v: 4.06,
      unit: 'tera.l-1',
      flag: 'N',
      status: 'preliminary',
      category: 'laboratory',
      by: 'cli:hl7',
    });
    expect(rows.find((r) => r['loinc'] === '11125-2')).toMatchObject({ v: 221, status: 'final' });
    // Synced: one outbox entry per observation. Audited in one entry: the receipt, the match decision and every result by id.
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'observation' AND patient_id = ?`, p.id)).toBe(10);
    const entries = store.sqlite.prepare(`SELECT action, patient_id AS patientId, detail FROM audit_log WHERE record_id = ?`).all(first.messageId) as {
      action: string;
      patientId: string;
      detail: string;
    }[];
    expect(entries.map((e) => [e.action, e.patientId])).toEqual([['labs.results', p.id]]);
    expect(entries[0]!.detail).toMatch(
      /^10 results stored: .*; received ORU\^R01 182 from LAB-ORU-1\.hl7; matched by identifier: identifier 10006579 \(.+\); result ids /,
    );
    for (const { id } of store.sqlite.prepare('SELECT id FROM observations WHERE patient_id = ?').all(p.id) as { id: string }[])
      expect(entries[0]!.detail).toContain(id);

    const again = ingest.receive(fixture('LAB-ORU-1.hl7'), 'LAB-ORU-1.hl7');
    expect(again).toMatchObject({ ack: 'AA', duplicate: true, results: 0, patientId: p.id });
    expect(get(parseMessageOrThrow(again.ackMessage), 'MSA-3')).toMatch(/duplicate .* not applied twice/);
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, p.id)).toBe(10);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = '182'`)).toBe(1);
  });

  it('ORU-R01-01: compound order numbers kept whole, notes kept, linked to the lab order by placer number', () => {
    const p = repos.patients.create(
      patientInput.parse({
        givenName: 'Huckleberry',
        familyName: 'Finn',
        birthDate: '1963-08-15',
        sex: 'male',
        identifiers: [{ system: 'IA PHIMS Stage', value: '14', type: 'PI' }],
      }),
      ADMIN,
    );
    const orderId = '01900000-0000-7000-8000-000000000001';
    store.sqlite
      .prepare(
        `INSERT INTO lab_orders (id, patient_id, placer_number, tests, status, ordered_at, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, '[]', 'active', ?, ?, 'x', ?, 'x')`,
      )
      .run(orderId, p.id, '845439^GHH OE', '2026-01-01', '2026-01-01', '2026-01-01');
    const o = ingest.receive(fixture('ORU-R01-01.hl7'), 'ORU-R01-01.hl7');
    expect(o).toMatchObject({ ack: 'AA', patientId: p.id, results: 2 });
    const rows = store.sqlite
      .prepare(
        `SELECT o.value_text AS text, o.order_id AS orderId, o.interpretation AS flag, o.ref_low AS low, o.ref_high AS high, o.lab_placer_number AS placer, o.lab_filler_number AS filler, o.lab_notes AS notes, o.lab_order_notes AS orderNotes, o.lab_value_code AS code
         FROM observations o WHERE o.patient_id = ? ORDER BY o.loinc DESC`,
      )
      .all(p.id) as Record<string, string>[];
    expect(rows[0]).toMatchObject({
      text: 'Salmonella',
      code: 'SCT|27268008',
      flag: 'A',
      low: 70,
      high: 80,
      orderId,
      placer: '845439^GHH OE',
      filler: '986^IA PHIMS Stage^2.16.840.1.114222.4.3.3.5.1.2^ISO',
    });
    expect(JSON.parse(rows[0]!['notes']!)).toEqual(['Submission of serum', 'No Antibodies Detected']);
    expect(JSON.parse(rows[0]!['orderNotes']!)).toHaveLength(2);
  });

  it('a corrected result is a new row superseding the earlier one, which stays', () => {
    const p = repos.patients.create(
      patientInput.parse({ givenName: 'Ada', familyName: 'Lovelace', birthDate: '1980-12-10', sex: 'female', mrn: 'LAB-100' }),
      ADMIN,
    );
    const pid = 'PID|1||LAB-100^^^^MR||Lovelace^Ada||19801210|F';
    expect(ingest.receive(oru('C1', pid, 'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|70_105|N|||F'), 'x')).toMatchObject({ ack: 'AA', patientId: p.id, results: 1 });
    expect(ingest.receive(oru('C2', pid, 'OBX|1|NM|2345-7^Glucose^LN||190|mg/dL|70_105|H|||C'), 'x')).toMatchObject({ ack: 'AA', results: 1 });
    const rows = store.sqlite
      .prepare(`SELECT id, value_num AS v, status, supersedes_id AS sup FROM observations WHERE patient_id = ? ORDER BY created_at, id`)
      .all(p.id) as { id: string; v: number; status: string; sup: string | null }[];
    expect(rows.map((r) => [r.v, r.status])).toEqual([
      [90, 'final'],
      [190, 'corrected'],
    ]);
    expect(rows[1]!.sup).toBe(rows[0]!.id);
    expect(rows[0]!.sup).toBeNull();
  });

  it('finds earlier versions only where they can be: the same order, on an earlier message or earlier in the same one', () => {
    const p = repos.patients.create(
      patientInput.parse({ givenName: 'Grace', familyName: 'Hopper', birthDate: '1906-12-09', sex: 'female', mrn: 'LAB-101' }),
      ADMIN,
    );
    const pid = 'PID|1||LAB-101^^^^MR||Hopper^Grace||19061209|F';
    const withOrder = (id: string, filler: string, ...obx: string[]): string => oru(id, pid, ...obx).replace('FI-9^ACME', `${filler}^ACME`);
    // FI-1 and FI-10: one order number is the start of the other's, and neither is a version of the other.
    expect(ingest.receive(withOrder('V1', 'FI-1', 'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|70_105|N|||F'), 'x')).toMatchObject({ results: 1 });
    expect(ingest.receive(withOrder('V2', 'FI-10', 'OBX|1|NM|2345-7^Glucose^LN||91|mg/dL|70_105|N|||F'), 'x')).toMatchObject({ results: 1 });
    // The same test twice in one message: the second replaces the first, as from separate messages.
    expect(
      ingest.receive(withOrder('V3', 'FI-2', 'OBX|1|NM|2345-7^Glucose^LN||92|mg/dL|70_105|N|||P', 'OBX|2|NM|2345-7^Glucose^LN||93|mg/dL|70_105|N|||F'), 'x'),
    ).toMatchObject({ results: 2 });
    // A correction of FI-1 supersedes FI-1's result, not FI-10's.
    expect(ingest.receive(withOrder('V4', 'FI-1', 'OBX|1|NM|2345-7^Glucose^LN||190|mg/dL|70_105|H|||C'), 'x')).toMatchObject({ results: 1 });
    const rows = store.sqlite.prepare(`SELECT id, value_num AS v, supersedes_id AS sup FROM observations WHERE patient_id = ?`).all(p.id) as {
      id: string;
      v: number;
      sup: string | null;
    }[];
    expect(Object.fromEntries(rows.map((r) => [r.v, r.sup === null ? null : rows.find((x) => x.id === r.sup)!.v]))).toEqual({
      90: null,
      91: null,
      92: null,
      93: 92,
      190: 90,
    });

    // Orders with no number at all (no placer, no filler): each result is its own, never a version of another.
    const numberless = (id: string, value: number): string =>
      oru(id, pid, `OBX|1|NM|2345-7^Glucose^LN||${value}|mg/dL|70_105|N|||F`).replace('|PL-1^CAIRN|FI-9^ACME|', '|||');
    expect(ingest.receive(numberless('V5', 95), 'x')).toMatchObject({ ack: 'AA', results: 1 });
    expect(ingest.receive(numberless('V6', 96), 'x')).toMatchObject({ ack: 'AA', results: 1 });
    expect(
      store.sqlite
        .prepare(`SELECT value_num AS v, supersedes_id AS sup, lab_result_key AS k FROM observations WHERE patient_id = ? AND value_num IN (95, 96) ORDER BY v`)
        .all(p.id),
    ).toEqual([
      { v: 95, sup: null, k: null },
      { v: 96, sup: null, k: null },
    ]);
  });

  it('an unknown patient: AA, queued, nothing attached', () => {
    const before = count(`SELECT count(*) AS n FROM observations`);
    const o = ingest.receive(oru('U1', 'PID|1||999^^^ELSEWHERE^MR||Nobody^Known||19700101|M', 'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F'), 'x');
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null, results: 0 });
    expect(get(parseMessageOrThrow(o.ackMessage), 'MSA-3')).toMatch(/held for review/);
    expect(count(`SELECT count(*) AS n FROM observations`)).toBe(before);
    expect(
      count(
        `SELECT count(*) AS n FROM hl7_reviews r JOIN hl7_messages m ON m.id = r.message_id WHERE m.control_id = 'U1' AND r.kind = 'unmatched' AND m.status = 'queued'`,
      ),
    ).toBe(1);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'hl7.match' AND detail LIKE 'unmatched:%'`)).toBe(1);
  });

  it('two charts with the same name and birth date: queued, not guessed', () => {
    for (let k = 0; k < 2; k++)
      repos.patients.create(patientInput.parse({ givenName: 'Sam', familyName: 'Twin', birthDate: '1990-05-05', sex: 'male' }), ADMIN);
    const o = ingest.receive(oru('A1', 'PID|1||||Twin^Sam||19900505|M', 'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F'), 'x');
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null, results: 0 });
    const r = store.sqlite.prepare(`SELECT r.kind, r.detail FROM hl7_reviews r JOIN hl7_messages m ON m.id = r.message_id WHERE m.control_id = 'A1'`).get() as {
      kind: string;
      detail: string;
    };
    expect(r.kind).toBe('ambiguous');
    expect((JSON.parse(r.detail) as { candidates: string[] }).candidates).toHaveLength(2);
  });

  it('a name and birth date matching one chart is a match (accents and case ignored)', () => {
    const p = repos.patients.create(patientInput.parse({ givenName: 'José', familyName: 'Núñez', birthDate: '1975-03-03', sex: 'male' }), ADMIN);
    expect(ingest.receive(oru('N1', 'PID|1||||NUNEZ^JOSE||19750303|M', 'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F'), 'x')).toMatchObject({
      ack: 'AA',
      patientId: p.id,
      results: 1,
    });
  });

  it('a broken message: AE naming the segment and field; stored, nothing applied', () => {
    const o = ingest.receive(oru('B1', 'PID|1||LAB-100^^^^MR||Lovelace^Ada||19801210|F', 'OBX|1|NM|2345-7^Glucose^LN||ninety|mg/dL|||||F'), 'x');
    expect(o).toMatchObject({ ack: 'AE', results: 0, error: 'OBX #1 field 5: NM value "ninety" is not a number' });
    const ack = parseMessageOrThrow(o.ackMessage);
    expect(get(ack, 'MSA-1')).toBe('AE');
    expect([get(ack, 'ERR-2.1'), get(ack, 'ERR-2.2'), get(ack, 'ERR-2.3'), get(ack, 'ERR-3.1')]).toEqual(['OBX', '1', '5', '102']);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'B1' AND status = 'error'`)).toBe(1);
    const unparseable = ingest.receive('MSH|^~\\&|LAB|ACME|C|D|20260101||ORU^R01|B2|P|2.5\rOBX|1|ST|1^x^LN||bad \\X4 escape||||||F', 'x');
    expect(unparseable.ack).toBe('AE');
    expect(unparseable.error).toMatch(/^OBX #1 field 5: /);
    expect(ingest.receive('hello', 'x')).toMatchObject({ ack: 'AR', controlId: null });
  });

  it('other message types are stored and acknowledged AR as not processed, with the reason', () => {
    // A transfer (A02): an ADT event Cairn does not process (A01 admissions are processed: see inbound-*.test.ts).
    const o = ingest.receive(fixture('ADT-A01-01.hl7').replace('ADT^A01^ADT_A01', 'ADT^A02^ADT_A02'), 'x');
    expect(o).toMatchObject({ ack: 'AR', type: 'ADT^A02', results: 0 });
    expect(o.error).toMatch(/ADT\^A02 is not processed/);
    expect(get(parseMessageOrThrow(o.ackMessage), 'ERR-3.1')).toBe('201');
  });

  it('ADT A04 registers; an A08 applies nothing: each changed field is offered for review', () => {
    // The ADT fixtures share control id MSG00001 (and the A02 made of A01 came first, above): a resend would be a duplicate.
    expect(ingest.receive(fixture('ADT-A04-01.hl7'), 'x')).toMatchObject({ ack: 'AR', duplicate: true });
    const a04 = ingest.receive(fixture('ADT-A04-01.hl7').replace('MSG00001', 'MSG-A04'), 'x');
    expect(a04).toMatchObject({ ack: 'AA', type: 'ADT^A04', queued: false });
    const p = repos.patients.peek(a04.patientId!);
    expect(p).toMatchObject({ familyName: 'EVERYMAN', givenName: 'ADAM', birthDate: '1988-08-18', sex: 'male', address: { city: 'Ann Arbor', state: 'MI' } });
    expect(p.identifiers).toContainEqual({ system: 'test1', value: 'PATID1234', type: 'MR' });

    // Same person (by identifier), a new city from the sender and a phone edited here.
    repos.patients.update({ id: p.id, expectedVersion: p.version, phone: '555-000-1111' }, ADMIN);
    const a08 = fixture('ADT-A08-01.hl7').replace('MSG00001', 'MSG00002').replace('^Ann Arbor ^', '^Ypsilanti^').replace('78788788^^CP', '5559998888^^CP');
    const o = ingest.receive(a08, 'x');
    expect(o).toMatchObject({ ack: 'AA', patientId: p.id, queued: true });
    const after = repos.patients.peek(p.id);
    expect(after.address.city).toBe('Ann Arbor');
    expect(after.phone).toBe('555-000-1111');
    expect(after.version).toBe(p.version + 1);
    const review = store.sqlite.prepare(`SELECT detail FROM hl7_reviews WHERE kind = 'field_difference' AND patient_id = ?`).all(p.id) as { detail: string }[];
    expect(review.map((r) => JSON.parse(r.detail) as unknown)).toEqual([
      { field: 'phone', local: '555-000-1111', incoming: '5559998888' },
      { field: 'address.city', local: 'Ann Arbor', incoming: 'Ypsilanti' },
    ]);
  });

  it('ADT A40 goes to review', () => {
    const o = ingest.receive(fixture('ADT-A40-01.hl7'), 'x');
    expect(o).toMatchObject({ ack: 'AA', queued: true });
    expect(count(`SELECT count(*) AS n FROM hl7_reviews WHERE kind = 'merge'`)).toBe(1);
  });
}
