import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/services/db/open';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { listUnmatched, matchToPatient } from '../../electron/services/labs/unmatched';
import { startMllpListener } from '../../electron/services/labs/mllp.listener';
import { createRepos, type Repos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { frameMllp, frameMllpBytes, get, MllpDeframer, parseMessageOrThrow } from '../../shared/hl7';
import { newStore, tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const ADMIN = { userId: 'test-admin' };

function oru(controlId: string, pid: string, ...obx: string[]): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    'OBR|1|PL-1^CAIRN|FI-9^ACME|2345-7^Glucose^LN',
    ...obx,
  ].join('\r');
}

/** Connects to an MLLP port, lets `send` write, and resolves with the first `count` ACKs as bytes. */
function exchange(port: number, count: number, send: (socket: Socket) => void): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const deframer = new MllpDeframer();
    const got: Buffer[] = [];
    socket.on('data', (chunk) => {
      for (const ev of deframer.push(chunk)) if (ev.type === 'message') got.push(Buffer.from(ev.payload));
      if (got.length === count) {
        socket.end();
        resolve(got);
      }
    });
    socket.on('error', reject);
    send(socket);
  });
}

describe('HL7 ingestion into an encrypted database', () => {
  const t = tempDir('cairn-labs-');
  let store: Store;
  let repos: Repos;
  let ingest: Hl7Ingest;
  const count = (sql: string, ...p: unknown[]): number => (store.sqlite.prepare(sql).get(...p) as { n: number }).n;

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    ingest = new Hl7Ingest(repos);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
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
    // Synced: one outbox entry per observation; the match decision audited.
    expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'observation' AND patient_id = ?`, p.id)).toBe(10);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'hl7.match' AND patient_id = ? AND detail LIKE 'matched by identifier%'`, p.id)).toBe(1);

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
    const o = ingest.receive(fixture('ADT-A01-01.hl7'), 'x');
    expect(o).toMatchObject({ ack: 'AR', type: 'ADT^A01', results: 0 });
    expect(o.error).toMatch(/ADT\^A01 is not processed/);
    expect(get(parseMessageOrThrow(o.ackMessage), 'ERR-3.1')).toBe('201');
  });

  it('ADT A04 registers, A08 updates, and a locally edited field goes to review instead', () => {
    // The ADT fixtures share control id MSG00001 (and A01 came first, above): a resend would be a duplicate.
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
    expect(after.address.city).toBe('Ypsilanti');
    expect(after.phone).toBe('555-000-1111');
    const review = store.sqlite.prepare(`SELECT detail FROM hl7_reviews WHERE kind = 'field_difference' AND patient_id = ?`).all(p.id) as { detail: string }[];
    expect(review.map((r) => JSON.parse(r.detail) as unknown)).toEqual([{ field: 'phone', local: '555-000-1111', incoming: '5559998888' }]);
  });

  it('ADT A40 goes to review', () => {
    const o = ingest.receive(fixture('ADT-A40-01.hl7'), 'x');
    expect(o).toMatchObject({ ack: 'AA', queued: true });
    expect(count(`SELECT count(*) AS n FROM hl7_reviews WHERE kind = 'merge'`)).toBe(1);
  });

  it('the MLLP listener: framed messages on a real socket, ACKs back in order', async () => {
    const listener = await startMllpListener(ingest, { port: 0 });
    try {
      const pid = 'PID|1||LAB-100^^^^MR||Lovelace^Ada||19801210|F';
      const acks = (
        await exchange(listener.port, 3, (socket) => {
          // Two messages in one write, the third split across two writes.
          socket.write(
            frameMllp(oru('L1', pid, 'OBX|1|NM|2951-2^Sodium^LN||140|mmol/L|||||F')) + frameMllp(oru('L1', pid, 'OBX|1|NM|2951-2^Sodium^LN||140|mmol/L|||||F')),
          );
          const third = frameMllp(oru('L2', pid, 'OBX|1|NM|2951-2^Sodium^LN||abc|mmol/L|||||F'));
          socket.write(third.slice(0, 20));
          setTimeout(() => socket.write(third.slice(20)), 20);
        })
      ).map((b) => b.toString('utf8'));
      const msa = acks.map((a) => parseMessageOrThrow(a)).map((m) => [get(m, 'MSA-1'), get(m, 'MSA-2')]);
      expect(msa).toEqual([
        ['AA', 'L1'],
        ['AA', 'L1'],
        ['AE', 'L2'],
      ]);
      expect(get(parseMessageOrThrow(acks[1]!), 'MSA-3')).toMatch(/duplicate/);
      expect(count(`SELECT count(*) AS n FROM observations WHERE loinc = '2951-2'`)).toBe(1);
    } finally {
      await listener.close();
    }
  });

  it('the MLLP listener reads ISO 8859-1 as MSH-18 declares it and answers in it; an undecodable set is AR, the message kept', async () => {
    const p = repos.patients.create(
      patientInput.parse({ givenName: 'Jürgen', familyName: 'Müller', birthDate: '1961-04-04', sex: 'male', mrn: 'LATIN-1' }),
      ADMIN,
    );
    const header = (id: string, charset: string): string =>
      `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${id}|P|2.5.1||||||${charset}`;
    const body = [
      'PID|1||LATIN-1^^^^MR||Müller^Jürgen||19610404|M',
      'OBR|1|PL-LAT^CAIRN|FI-LAT^ACME|2823-3^Kalium^LN',
      'OBX|1|NM|2823-3^Kalium^LN||5.9|mmol/L|3.5-5.1|H|||F',
      'NTE|1||Probe hämolysiert',
    ];
    const latin1 = Buffer.from([header('LAT1', '8859/1'), ...body].join('\r'), 'latin1');
    const utf16 = Buffer.from([header('LAT2', 'UNICODE UTF-16'), ...body].join('\r'), 'latin1');
    const listener = await startMllpListener(ingest, { port: 0 });
    try {
      const acks = await exchange(listener.port, 2, (socket) => socket.write(Buffer.concat([frameMllpBytes(latin1), frameMllpBytes(utf16)])));
      const ack1 = parseMessageOrThrow(acks[0]!.toString('latin1'));
      expect([get(ack1, 'MSA-1'), get(ack1, 'MSA-2'), get(ack1, 'MSH-18')]).toEqual(['AA', 'LAT1', '8859/1']);
      expect(
        store.sqlite.prepare(`SELECT patient_id AS pid, lab_notes AS notes, display FROM observations WHERE lab_placer_number = 'PL-LAT^CAIRN'`).all(),
      ).toEqual([{ pid: p.id, notes: '["Probe hämolysiert"]', display: 'Kalium' }]);
      expect((store.sqlite.prepare(`SELECT raw FROM hl7_messages WHERE control_id = 'LAT1'`).get() as { raw: string }).raw).toContain('Müller^Jürgen');

      const ack2 = parseMessageOrThrow(acks[1]!.toString('latin1'));
      expect([get(ack2, 'MSA-1'), get(ack2, 'ERR-2.1'), get(ack2, 'ERR-2.3'), get(ack2, 'ERR-3.1')]).toEqual(['AR', 'MSH', '18', '103']);
      expect(get(ack2, 'ERR-8')).toMatch(/character set "UNICODE UTF-16" is not supported/);
      // Kept as it came (every byte as a character), applied to nobody.
      const kept = store.sqlite.prepare(`SELECT status, raw FROM hl7_messages WHERE control_id = 'LAT2'`).get() as { status: string; raw: string };
      expect(kept.status).toBe('error');
      expect(Buffer.from(kept.raw, 'latin1').equals(utf16)).toBe(true);
      expect(count(`SELECT count(*) AS n FROM observations WHERE lab_placer_number = 'PL-LAT^CAIRN'`)).toBe(1);
    } finally {
      await listener.close();
    }
  });

  it('the MLLP listener commits the messages of senders waiting together as one group; a lone sender or an idle connection holds nobody back', async () => {
    // The real ingest, its groups counted on the way through.
    const groups: number[] = [];
    const counting = Object.create(ingest) as Hl7Ingest;
    counting.receiveMany = (items) => (groups.push(items.length), ingest.receiveMany(items));
    // Wide windows, so the groups do not depend on how fast this machine is.
    const listener = await startMllpListener(counting, { port: 0, activeMs: 400, groupWaitMs: 250 });
    const open = (): Promise<{ send: (text: string) => Promise<string>; end: () => void }> =>
      new Promise((resolve, reject) => {
        const socket = connect(listener.port, '127.0.0.1', () => resolve({ send, end: () => socket.end() }));
        const deframer = new MllpDeframer();
        let waiting: ((ack: string) => void) | null = null;
        socket.on('data', (chunk) => {
          for (const ev of deframer.push(chunk)) if (ev.type === 'message') waiting?.(new TextDecoder().decode(ev.payload));
        });
        socket.once('error', reject);
        const send = (text: string): Promise<string> =>
          new Promise((r) => {
            waiting = r;
            socket.write(frameMllp(text));
          });
      });
    const pid = 'PID|1||LAB-100^^^^MR||Lovelace^Ada||19801210|F';
    const msg = (id: string): string => oru(id, pid, 'OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|||||F');
    try {
      const senders = await Promise.all([open(), open(), open()]);
      // Each has sent once (so all three are active), then all three send together.
      for (const [i, s] of senders.entries()) await s.send(msg(`G0-${i}`));
      groups.length = 0;
      const acks = await Promise.all(senders.map((s, i) => s.send(msg(`G1-${i}`))));
      expect(acks.map((a) => get(parseMessageOrThrow(a), 'MSA-1'))).toEqual(['AA', 'AA', 'AA']);
      expect(groups).toEqual([3]);
      // Two of them fall silent: the third's messages still go, each as soon as the group wait ends.
      senders[0].end();
      groups.length = 0;
      for (let i = 0; i < 3; i++) expect(get(parseMessageOrThrow(await senders[2].send(msg(`G2-${i}`))), 'MSA-1')).toBe('AA');
      expect(groups).toEqual([1, 1, 1]);
      senders.slice(1).forEach((s) => s.end());
      expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id LIKE 'G%' AND ack_code = 'AA'`)).toBe(9);
    } finally {
      await listener.close();
    }
  });

  it('OUL^R22 (specimen first): AA, each result on its own order; held when unmatched, then attached by hand', () => {
    const p = repos.patients.create(
      patientInput.parse({ givenName: 'Olive', familyName: 'Specimen', birthDate: '1982-02-02', sex: 'female', mrn: 'OUL-1' }),
      ADMIN,
    );
    const oul = (controlId: string, pid: string): string =>
      [
        `MSH|^~\\&|ANALYZER|ACME LAB|CAIRN|CLINIC|20260301101500+0000||OUL^R22^OUL_R22|${controlId}|P|2.5.1`,
        pid,
        'SPM|1|SP-1^ACME||SER^Serum^HL70487|||||||P||||||20260301081500+0000',
        'OBX|1|NM|3167-4^Volume of Specimen^LN||5|mL|||||F',
        'SAC|||TUBE-1',
        `OBR|1|PL-${controlId}^CAIRN|FI-${controlId}^ACME|2345-7^Glucose^LN`,
        `ORC|RE|PL-${controlId}^CAIRN|FI-${controlId}^ACME`,
        'OBX|2|NM|2345-7^Glucose^LN||182|mg/dL|70_105|H|||F',
        'TCD|2345-7^Glucose^LN|1',
        'NTE|1||Repeated to confirm',
        'SPM|2|SP-2^ACME||UR^Urine^HL70487|||||||P||||||20260301090000+0000',
        `OBR|2|PL-${controlId}U^CAIRN|FI-${controlId}U^ACME|5811-5^Specific gravity of Urine^LN`,
        'OBX|3|NM|5811-5^Specific gravity of Urine^LN||1.020||1.005-1.030|N|||F',
      ].join('\r');
    const o = ingest.receive(oul('OUL-A', 'PID|1||OUL-1^^^^MR||Specimen^Olive||19820202|F'), 'oul');
    expect(o).toMatchObject({ type: 'OUL^R22', ack: 'AA', patientId: p.id, queued: false, results: 3 });
    const ack = parseMessageOrThrow(o.ackMessage);
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2'), get(ack, 'MSH-9.1'), get(ack, 'MSH-9.2')]).toEqual(['AA', 'OUL-A', 'ACK', 'R22']);
    const rows = store.sqlite
      .prepare(
        `SELECT loinc, value_num AS v, lab_placer_number AS placer, lab_notes AS notes, effective_at AS at FROM observations WHERE patient_id = ? ORDER BY loinc`,
      )
      .all(p.id);
    expect(rows).toEqual([
      { loinc: '2345-7', v: 182, placer: 'PL-OUL-A^CAIRN', notes: '["Repeated to confirm"]', at: '2026-03-01T08:15:00.000Z' },
      { loinc: '3167-4', v: 5, placer: 'PL-OUL-A^CAIRN', notes: '[]', at: '2026-03-01T08:15:00.000Z' },
      { loinc: '5811-5', v: 1.02, placer: 'PL-OUL-AU^CAIRN', notes: '[]', at: '2026-03-01T09:00:00.000Z' },
    ]);

    const held = ingest.receive(oul('OUL-B', 'PID|1||777^^^ELSEWHERE^MR||Unknown^Olive||19820202|F'), 'oul');
    expect(held).toMatchObject({ type: 'OUL^R22', ack: 'AA', queued: true, patientId: null, results: 0 });
    const item = listUnmatched(repos).find((i) => i.controlId === 'OUL-B');
    expect(item).toMatchObject({ messageType: 'OUL^R22', familyName: 'Unknown', results: 3 });
    expect(matchToPatient(repos, item!.reviewId, p.id, ADMIN)).toEqual({ reviewId: item!.reviewId, patientId: p.id, results: 3 });
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ? AND lab_placer_number LIKE 'PL-OUL-B%'`, p.id)).toBe(3);
  });

  it('an ORU with several patients: each matched on its own, results only on their own chart; one held, then attached by hand', () => {
    const a = repos.patients.create(
      patientInput.parse({ givenName: 'Ann', familyName: 'First', birthDate: '1971-01-01', sex: 'female', mrn: 'MULTI-A' }),
      ADMIN,
    );
    const b = repos.patients.create(
      patientInput.parse({ givenName: 'Bob', familyName: 'Second', birthDate: '1972-02-02', sex: 'male', mrn: 'MULTI-B' }),
      ADMIN,
    );
    const d = repos.patients.create(
      patientInput.parse({ givenName: 'Cleo', familyName: 'Registered', birthDate: '1973-03-03', sex: 'female', mrn: 'MULTI-D' }),
      ADMIN,
    );
    const patientResult = (pid: string, n: number, value: string): string[] => [
      pid,
      `OBR|1|PL-M${n}^CAIRN|FI-M${n}^ACME|2345-7^Glucose^LN`,
      `OBX|1|NM|2345-7^Glucose^LN||${value}|mg/dL|70-99||||F`,
    ];
    const message = (id: string, third: string): string =>
      [
        `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
        ...patientResult('PID|1||MULTI-A^^^^MR||First^Ann||19710101|F', 1, '101'),
        ...patientResult('PID|2||MULTI-B^^^^MR||Second^Bob||19720202|M', 2, '202'),
        ...patientResult('PID|3||C-ELSEWHERE^^^OTHER^MR||Unknown^Cleo||19730303|F', 3, third),
      ].join('\r');
    const values = (patientId: string): number[] =>
      (
        store.sqlite.prepare(`SELECT value_num AS v FROM observations WHERE patient_id = ? AND lab_placer_number LIKE 'PL-M%'`).all(patientId) as {
          v: number;
        }[]
      ).map((r) => r.v);

    // One unreadable patient refuses the whole message: nothing applied to anyone, the OBX numbered as in the message.
    const bad = ingest.receive(message('MULTI-0', 'lots'), 'multi');
    expect(bad).toMatchObject({ ack: 'AE', results: 0, error: 'OBX #3 field 5: NM value "lots" is not a number' });
    expect([values(a.id), values(b.id)]).toEqual([[], []]);

    const o = ingest.receive(message('MULTI-1', '303'), 'multi');
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null, results: 2 });
    expect(get(parseMessageOrThrow(o.ackMessage), 'MSA-3')).toMatch(/^results for 3 patients: 2 stored on their charts, 1 held for review/);
    expect([values(a.id), values(b.id), values(d.id)]).toEqual([[101], [202], []]);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'hl7.match' AND detail LIKE 'patient 3 of 3: unmatched:%'`)).toBe(1);

    const item = listUnmatched(repos).find((i) => i.controlId === 'MULTI-1')!;
    expect(item).toMatchObject({ familyName: 'Unknown', givenName: 'Cleo', results: 1, identifiers: ['C-ELSEWHERE (MR, OTHER)'] });
    expect(matchToPatient(repos, item.reviewId, d.id, ADMIN)).toMatchObject({ patientId: d.id, results: 1 });
    expect([values(a.id), values(b.id), values(d.id)]).toEqual([[101], [202], [303]]);
    expect(store.sqlite.prepare(`SELECT status, patient_id AS pid, results FROM hl7_messages WHERE control_id = 'MULTI-1'`).get()).toEqual({
      status: 'processed',
      pid: null,
      results: 3,
    });
  });

  it('reads times without an offset in the zone it is given, and refuses a zone that does not exist', () => {
    const p = repos.patients.create(patientInput.parse({ givenName: 'Cal', familyName: 'Zone', birthDate: '1980-09-09', sex: 'male', mrn: 'TZ-CHI' }), ADMIN);
    const chicago = new Hl7Ingest(repos, { timeZone: 'America/Chicago' });
    const o = chicago.receive(oru('TZ-1', 'PID|1||TZ-CHI^^^^MR||Zone^Cal||19800909|M', 'OBX|1|NM|2345-7^Glucose^LN||88|mg/dL|||||F|||20260715073000'), 'tz');
    expect(o).toMatchObject({ ack: 'AA', patientId: p.id, results: 1 });
    // 07:30 in Chicago in July (CDT, UTC-5).
    expect(store.sqlite.prepare(`SELECT effective_at AS at FROM observations WHERE patient_id = ?`).get(p.id)).toEqual({ at: '2026-07-15T12:30:00.000Z' });
    expect(() => new Hl7Ingest(repos, { timeZone: 'Mars/Olympus' })).toThrow('"Mars/Olympus" is not a time zone (an IANA name such as America/Chicago)');
  });
});
