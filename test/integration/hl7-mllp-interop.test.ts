/**
 * Interoperability: an MLLP client that is not our code (node-hl7-client, from npm) sends
 * messages to our listener and must accept our ACKs. Our own `frameMllp`/`MllpDeframer` are
 * deliberately not used on the sending side, so a framing or ACK-format mistake shared by both
 * halves of our code cannot hide here.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type Connection, type InboundResponse, Message } from 'node-hl7-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/services/db/open';
import { Hl7Ingest, type IngestOutcome } from '../../electron/services/labs/ingest';
import { startMllpListener, type MllpListener } from '../../electron/services/labs/mllp.listener';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { newStore, tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');
const ADMIN = { userId: 'test-admin' };

function oru(controlId: string, pid: string, obx: string): string {
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    pid,
    'OBR|1|PL-1^CAIRN|FI-9^ACME|2345-7^Glucose^LN',
    obx,
  ].join('\r');
}

interface PeerAck {
  msa1: string;
  msa2: string;
  msa3: string;
  type: string;
  raw: string;
}

/**
 * One node-hl7-client connection used the way an HL7 sender uses it: one message, wait for its
 * ACK, then the next. (Its queue is not used: sending before the ACK arrives makes it open a
 * second socket.)
 */
class PeerSender {
  private pending: ((ack: PeerAck) => void) | null = null;
  private constructor(
    private readonly client: Client,
    private readonly conn: Connection,
  ) {}

  static async open(port: number): Promise<PeerSender> {
    const client = new Client({ host: '127.0.0.1' });
    let self: PeerSender | null = null;
    const conn = client.createConnection({ port, waitAck: true }, (res: InboundResponse) => {
      const m = res.getMessage();
      const ack: PeerAck = {
        msa1: m.get('MSA.1').toString(),
        msa2: m.get('MSA.2').toString(),
        msa3: m.get('MSA.3').toString(),
        type: m.get('MSH.9.1').toString(),
        raw: m.toString(),
      };
      const resolve = self?.pending;
      if (self) self.pending = null;
      resolve?.(ack);
    });
    await once(conn, 'connect');
    self = new PeerSender(client, conn);
    return self;
  }

  async send(text: string): Promise<PeerAck> {
    if (this.pending) throw new Error('one message at a time');
    const message = new Message({ text });
    const acked = new Promise<PeerAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ACK within 5 s')), 5000);
      this.pending = (ack) => {
        clearTimeout(timer);
        resolve(ack);
      };
    });
    await this.conn.sendMessage(message);
    return acked;
  }

  async close(): Promise<void> {
    await this.conn.close();
    this.client.closeAll();
  }
}

describe('MLLP interop: node-hl7-client → Cairn listener', () => {
  const t = tempDir('cairn-mllp-interop-');
  let store: Store;
  let listener: MllpListener;
  let sender: PeerSender;
  let patientId: string;
  let ingest: Hl7Ingest;
  const outcomes: IngestOutcome[] = [];
  const problems: string[] = [];
  const count = (sql: string, ...p: unknown[]): number => (store.sqlite.prepare(sql).get(...p) as { n: number }).n;

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    const repos = createRepos(store);
    // The chart LAB-ORU-1 is for: MRN 10006579 issued by authority "1".
    patientId = repos.patients.create(
      patientInput.parse({
        givenName: 'Donald',
        familyName: 'Duck',
        birthDate: '1924-10-10',
        sex: 'male',
        identifiers: [{ system: '1', value: '10006579', type: 'MR' }],
      }),
      ADMIN,
    ).id;
    ingest = new Hl7Ingest(repos);
    listener = await startMllpListener(ingest, { port: 0, onMessage: (o) => outcomes.push(o), onProblem: (p) => problems.push(p) });
    sender = await PeerSender.open(listener.port);
  });
  afterAll(async () => {
    await sender.close();
    await listener.close();
    store.close();
    t.cleanup();
  });

  it('LAB-ORU-1: AA for control id 182, and its ten results are on the chart', async () => {
    // The fixture starts with a UTF-8 BOM, which node-hl7-client refuses ("text must begin with
    // the MSH segment"); a sender would not put one on the wire, so it is dropped here.
    const ack = await sender.send(readFileSync(join(FIXTURES, 'LAB-ORU-1.hl7'), 'utf8').replace(/^\uFEFF/, ''));
    expect(ack).toMatchObject({ type: 'ACK', msa1: 'AA', msa2: '182' });
    expect(outcomes.at(-1)).toMatchObject({ controlId: '182', ack: 'AA', patientId, results: 10, queued: false });
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId)).toBe(10);
  });

  it('an unknown patient: AA (held for review, so the sender must not resend), queued', async () => {
    const ack = await sender.send(oru('IOP-U1', 'PID|1||999^^^ELSEWHERE^MR||Nobody^Known||19700101|M', 'OBX|1|NM|2345-7^Glucose^LN||90|mg/dL|||||F'));
    expect(ack).toMatchObject({ type: 'ACK', msa1: 'AA', msa2: 'IOP-U1' });
    expect(ack.msa3).toMatch(/held for review/);
    expect(outcomes.at(-1)).toMatchObject({ controlId: 'IOP-U1', ack: 'AA', queued: true, patientId: null });
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'IOP-U1' AND status = 'queued'`)).toBe(1);
  });

  it('a broken message: AE for its control id, naming the segment and field; nothing applied', async () => {
    const before = count(`SELECT count(*) AS n FROM observations`);
    const ack = await sender.send(oru('IOP-B1', 'PID|1||10006579^^^1^MR||DUCK^DONALD||19241010|M', 'OBX|1|NM|2345-7^Glucose^LN||ninety|mg/dL|||||F'));
    expect(ack).toMatchObject({ type: 'ACK', msa1: 'AE', msa2: 'IOP-B1' });
    expect(ack.raw).toMatch(/\rERR\|/);
    expect(outcomes.at(-1)).toMatchObject({ controlId: 'IOP-B1', ack: 'AE', error: 'OBX #1 field 5: NM value "ninety" is not a number' });
    expect(count(`SELECT count(*) AS n FROM observations`)).toBe(before);
  });

  it('the three went over one connection with no framing problems', () => {
    expect(outcomes.map((o) => o.controlId)).toEqual(['182', 'IOP-U1', 'IOP-B1']);
    expect(new Set(outcomes.map((o) => o.messageId)).size).toBe(3);
    expect(problems).toEqual([]);
  });

  it('several connections at once (group commit): each gets its own ACK; a refused message rolls back alone', async () => {
    const pid = 'PID|1||10006579^^^1^MR||DUCK^DONALD||19241010|M';
    const others = await Promise.all([PeerSender.open(listener.port), PeerSender.open(listener.port)]);
    try {
      const before = count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId);
      const acks = await Promise.all([
        sender.send(oru('IOP-G1', pid, 'OBX|1|NM|2951-2^Sodium^LN||140|mmol/L|||||F')),
        others[0].send(oru('IOP-G2', pid, 'OBX|1|NM|2951-2^Sodium^LN||bad|mmol/L|||||F')),
        others[1].send(oru('IOP-G3', pid, 'OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|||||F')),
      ]);
      expect(acks.map((a) => [a.msa1, a.msa2])).toEqual([
        ['AA', 'IOP-G1'],
        ['AE', 'IOP-G2'],
        ['AA', 'IOP-G3'],
      ]);
      expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId)).toBe(before + 2);
      expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'IOP-G2' AND status = 'error'`)).toBe(1);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('receiveMany, the group commit itself: one transaction, a savepoint per message', () => {
    const pid = 'PID|1||10006579^^^1^MR||DUCK^DONALD||19241010|M';
    const before = count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId);
    const out = ingest.receiveMany([
      { raw: oru('RM-1', pid, 'OBX|1|NM|2075-0^Chloride^LN||101|mmol/L|||||F'), source: 't' },
      { raw: oru('RM-2', pid, 'OBX|1|NM|2075-0^Chloride^LN||x|mmol/L|||||F'), source: 't' },
      { raw: oru('RM-1', pid, 'OBX|1|NM|2075-0^Chloride^LN||101|mmol/L|||||F'), source: 't' },
    ]);
    expect(out.map((o) => [o.controlId, o.ack, o.results, o.duplicate])).toEqual([
      ['RM-1', 'AA', 1, false],
      ['RM-2', 'AE', 0, false],
      ['RM-1', 'AA', 0, true],
    ]);
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId)).toBe(before + 1);
    // The refused message had written its row before it was refused (the first pass keeps no savepoint
    // per message): the group was received again, so it is stored once, as refused, and nothing half-applied is left.
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'RM-2'`)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'RM-2' AND status = 'error' AND ack_code = 'AE'`)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'RM-1'`)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE status = 'processing'`)).toBe(0);
    expect(store.sqlite.inTransaction).toBe(false);
  });

  it('receiveMany when the shared transaction fails as a whole (a read failing in it): each message is received on its own, applied once', () => {
    const pid = 'PID|1||10006579^^^1^MR||DUCK^DONALD||19241010|M';
    const before = count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId);
    // The duplicate check's read fails once, in the group's transaction (a fault no message causes).
    const faulty = ingest as unknown as { earlier: (...a: unknown[]) => unknown };
    const earlier = faulty.earlier.bind(ingest);
    let reads = 0;
    faulty.earlier = (...a: unknown[]): unknown => {
      if (++reads === 2) throw new Error('disk I/O error');
      return earlier(...a);
    };
    let out: IngestOutcome[];
    try {
      out = ingest.receiveMany(['RW-1', 'RW-2'].map((id) => ({ raw: oru(id, pid, 'OBX|1|NM|2075-0^Chloride^LN||99|mmol/L|||||F'), source: 't' })));
    } finally {
      delete (faulty as { earlier?: unknown }).earlier;
    }
    expect(reads).toBe(4);
    expect(out.map((o) => [o.controlId, o.ack, o.results, o.duplicate])).toEqual([
      ['RW-1', 'AA', 1, false],
      ['RW-2', 'AA', 1, false],
    ]);
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId)).toBe(before + 2);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id IN ('RW-1', 'RW-2')`)).toBe(2);
    expect(store.sqlite.inTransaction).toBe(false);
  });

  it('receiveMany of messages that are all applied: the same outcomes and rows as one receive each, committed together', () => {
    const pid = 'PID|1||10006579^^^1^MR||DUCK^DONALD||19241010|M';
    const before = count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId);
    const auditBefore = count(`SELECT count(*) AS n FROM audit_log`);
    const ra = (id: string, value: number): { raw: string; source: string } => ({
      raw: oru(id, pid, `OBX|1|NM|2075-0^Chloride^LN||${value}|mmol/L|||||F`),
      source: 't',
    });
    // Unreadable text and a message sent twice in the same group are answered as receive answers them,
    // without undoing the group: neither is a message refused after it was written.
    const out = ingest.receiveMany([ra('RA-1', 100), ra('RA-2', 101), { raw: 'not an HL7 message', source: 't' }, ra('RA-1', 100), ra('RA-3', 102)]);
    expect(out.map((o) => [o.controlId, o.ack, o.results, o.duplicate, o.patientId])).toEqual([
      ['RA-1', 'AA', 1, false, patientId],
      ['RA-2', 'AA', 1, false, patientId],
      [null, 'AR', 0, false, null],
      ['RA-1', 'AA', 0, true, patientId],
      ['RA-3', 'AA', 1, false, patientId],
    ]);
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, patientId)).toBe(before + 3);
    // One entry for each message applied, as receive writes for a results message stored on one chart,
    // and one for the unreadable one; none for the duplicate.
    expect(count(`SELECT count(*) AS n FROM audit_log`)).toBe(auditBefore + 4);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'RA-1'`)).toBe(1);
    expect(count(`SELECT count(*) AS n FROM hl7_messages WHERE control_id LIKE 'RA-%' AND status = 'processed'`)).toBe(3);
    expect(() => createRepos(store).writer.writeInOpen(() => 1)).toThrow(/no transaction is open/);
    expect(store.sqlite.inTransaction).toBe(false);
  });
});
