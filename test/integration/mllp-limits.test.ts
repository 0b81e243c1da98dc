import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/services/db/open';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { startMllpListener } from '../../electron/services/labs/mllp.listener';
import { createRepos } from '../../electron/services/repos';
import { frameMllp, get, MllpDeframer, parseMessageOrThrow } from '../../shared/hl7';
import { cairn, CLI_ENV } from '../helpers/cli';
import { newStore, tempDir } from '../helpers/temp-db';
import { selfSignedCertificate } from '../helpers/tls';

const oru = (controlId: string): string =>
  [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    'PID|1||LIM-1^^^^MR||Lovelace^Ada||19801210|F',
    'OBR|1|PL-1^CAIRN|FI-9^ACME|2345-7^Glucose^LN',
    'OBX|1|NM|2345-7^Glucose^LN||98|mg/dL|||||F',
  ].join('\r');

/** A client connection that records what it is sent and when the server closes it. */
interface Conn {
  socket: Socket;
  acks: string[];
  closed: Promise<void>;
}
function open(port: number, make: (port: number) => Socket = (p) => connect(p, '127.0.0.1')): Conn {
  const socket = make(port);
  const deframer = new MllpDeframer();
  const acks: string[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const ev of deframer.push(chunk)) if (ev.type === 'message') acks.push(Buffer.from(ev.payload).toString('utf8'));
  });
  // A reset by the server is a close too.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  return { socket, acks, closed };
}
const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('MLLP listener limits: connection cap, idle timeout, oversize frame answered AR', () => {
  const t = tempDir('cairn-mllp-limits-');
  let store: Store;
  let ingest: Hl7Ingest;
  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    ingest = new Hl7Ingest(createRepos(store));
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it('a flood of half frames: connections over the cap are closed at once, the held ones when they go idle, and the listener still serves', async () => {
    const problems: string[] = [];
    const listener = await startMllpListener(ingest, { port: 0, maxConnections: 4, idleTimeoutMs: 1500, onProblem: (p) => problems.push(p) });
    try {
      const conns: Conn[] = [];
      for (let i = 0; i < 7; i++) {
        const c = open(listener.port);
        await new Promise<void>((done) => c.socket.once('connect', () => done()));
        // Each holds a frame open: a start byte and 200 KB, never its end.
        c.socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(`MSH|^~\\&|${'x'.repeat(200_000)}`)]));
        conns.push(c);
      }
      let closed = 0;
      conns.forEach((c) => void c.closed.then(() => closed++));
      // The three over the cap go first, refused as they arrived; none of the four held ones yet.
      await until(() => problems.filter((p) => /connection refused: 4 connections already open/.test(p)).length === 3, 'the refusals');
      await until(() => closed >= 3, 'the refused connections to close');
      expect(problems.some((p) => /no data for/.test(p))).toBe(false);
      // Then the held ones are closed for their silence.
      await Promise.all(conns.map((c) => c.closed));
      expect(problems.filter((p) => /no data for 1.5 s: connection closed/.test(p))).toHaveLength(4);
      expect(conns.every((c) => c.acks.length === 0)).toBe(true);
      // The listener takes a message as before.
      const ok = open(listener.port);
      ok.socket.write(frameMllp(oru('AFTER-FLOOD')));
      await until(() => ok.acks.length === 1, 'the ACK');
      expect(get(parseMessageOrThrow(ok.acks[0]!), 'MSA-2')).toBe('AFTER-FLOOD');
      ok.socket.end();
    } finally {
      await listener.close();
    }
  });

  it('a frame over the size limit is answered AR naming the limit, then its connection is closed', async () => {
    const problems: string[] = [];
    const listener = await startMllpListener(ingest, { port: 0, maxMessageBytes: 64 * 1024, onProblem: (p) => problems.push(p) });
    try {
      const c = open(listener.port);
      const big = `${oru('BIG-1')}\rNTE|1||${'x'.repeat(300_000)}`;
      c.socket.write(frameMllp(big));
      await c.closed;
      expect(c.acks).toHaveLength(1);
      const ack = parseMessageOrThrow(c.acks[0]!);
      expect([get(ack, 'MSA-1'), get(ack, 'MSA-2')]).toEqual(['AR', 'BIG-1']);
      expect(get(ack, 'MSA-3') + get(ack, 'ERR-8')).toMatch(/larger than 65536 bytes/);
      expect(problems.some((p) => /frame larger than 65536 bytes: answered AR, connection closed/.test(p))).toBe(true);
      // Nothing of it was stored.
      expect(store.sqlite.prepare(`SELECT count(*) AS n FROM hl7_messages WHERE control_id = 'BIG-1'`).get()).toEqual({ n: 0 });
    } finally {
      await listener.close();
    }
  });

  it('refuses a non-loopback address without TLS', async () => {
    await expect(startMllpListener(ingest, { port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /refusing to receive HL7 over plain MLLP on 0\.0\.0\.0.*--mllp-tls-cert/,
    );
    await expect(startMllpListener(ingest, { port: 0, maxConnections: 0 })).rejects.toThrow(/maxConnections must be a positive whole number/);
  });
});

describe('cairn hl7 listen / cairn server --mllp-host: TLS or loopback', () => {
  const t = tempDir('cairn-mllp-tls-');
  const db = join(t.dir, 'clinic.cairn');
  let cert = '';
  let key = '';
  beforeAll(() => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    // A self-signed certificate for this test only.
    ({ cert, key } = selfSignedCertificate(t.dir, 'localhost', { days: 1 }));
  }, 120_000);
  afterAll(() => t.cleanup());

  it('refuses --host 0.0.0.0 without a certificate, with a clear message, before opening anything', () => {
    const r = cairn(['hl7', 'listen', '--db', db, '--port', '0', '--host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toMatch(/^cairn: refusing to receive HL7 over plain MLLP on 0\.0\.0\.0: .*--tls-cert FILE --tls-key FILE/);
    const half = cairn(['hl7', 'listen', '--db', db, '--port', '0', '--host', '0.0.0.0', '--tls-cert', cert]);
    expect([half.code, half.err.trim()]).toEqual([2, 'cairn: give both --tls-cert and --tls-key']);
    const srv = cairn(['server', '--data-dir', join(t.dir, 'srv'), '--port', '0', '--mllp-port', '0', '--mllp-host', '0.0.0.0']);
    expect(srv.code).toBe(2);
    expect(srv.err).toMatch(/refusing to receive HL7 over plain MLLP on 0\.0\.0\.0.*--mllp-tls-cert FILE --mllp-tls-key FILE/);
    expect(cairn(['hl7', 'listen', '--db', db, '--port', '0', '--idle-timeout', '0']).err).toMatch(/invalid --idle-timeout "0"/);
  }, 300_000);

  it('accepts --host 0.0.0.0 with --tls-cert/--tls-key and answers MLLP over TLS', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(process.cwd(), 'electron/cli/main.ts'),
        'hl7',
        'listen',
        '--db',
        db,
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--tls-cert',
        cert,
        '--tls-key',
        key,
      ],
      { env: { ...process.env, ...CLI_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    try {
      const first = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout }).once('line', done);
        void exited.then(() => fail(new Error(`cairn hl7 listen exited: ${stderr}`)));
      });
      const port = (JSON.parse(first) as { listening: number }).listening;
      const c = open(port, (p) => tlsConnect({ port: p, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(cert) }));
      c.socket.write(frameMllp(oru('TLS-1')));
      await until(() => c.acks.length === 1, 'the ACK over TLS');
      expect(get(parseMessageOrThrow(c.acks[0]!), 'MSA-2')).toBe('TLS-1');
      c.socket.end();
      // Plain MLLP to the TLS port gets no ACK.
      const plain = open(port);
      plain.socket.write(frameMllp(oru('PLAIN-1')));
      await plain.closed;
      expect(plain.acks).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 180_000);
});
