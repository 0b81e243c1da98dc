import { beforeAll, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { Hl7Ingest } from '../../../electron/services/labs/ingest';
import { startMllpListener } from '../../../electron/services/labs/mllp.listener';
import { patientInput } from '../../../shared/domain/patient';
import { frameMllp, frameMllpBytes, get, MllpDeframer, parseMessageOrThrow } from '../../../shared/hl7';
import { ADMIN, exchange, oru, type LabsSuite } from './labs.helpers';

/** The MLLP listener on a real socket: framing, ACK order, character sets, grouped commits. */
export function mllpListenerTests(suite: () => LabsSuite): void {
  let store: LabsSuite['store'];
  let repos: LabsSuite['repos'];
  let ingest: LabsSuite['ingest'];
  const count = (sql: string, ...p: unknown[]): number => (store.sqlite.prepare(sql).get(...p) as { n: number }).n;
  beforeAll(() => {
    ({ store, repos, ingest } = suite());
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
}
