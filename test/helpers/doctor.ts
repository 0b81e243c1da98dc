import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createBackup } from '../../electron/services/backup/backup';

/** What `cairn doctor --json` prints and `doctor.run` returns. */
export interface Report {
  ok: boolean;
  at: string;
  checks: { id: string; title: string; status: 'pass' | 'warn' | 'fail' | 'unknown'; message: string }[];
}

export { cairnAsync } from './cli';

export function check(r: Report, id: string): Report['checks'][number] {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in the report (${r.checks.map((x) => x.id).join(', ')})`);
  return c;
}

/** Asserts one check's status and that its sentence contains (or matches) `says`; returns the check. */
export function expectCheck(r: Report, id: string, status: Report['checks'][number]['status'], says: string | RegExp): Report['checks'][number] {
  const c = check(r, id);
  expect(c.status, `${id}: ${c.message}`).toBe(status);
  if (typeof says === 'string') expect(c.message).toContain(says);
  else expect(c.message).toMatch(says);
  return c;
}

const opensslDate = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

/**
 * A self-signed certificate (P-256) valid exactly from `start` to `end`, made with `openssl ca`
 * (OpenSSL 3.0's `req -x509` cannot back-date one, so an expired certificate needs the CA tool).
 */
export function datedCertificate(dir: string, name: string, start: Date, end: Date): { cert: string; key: string } {
  const d = join(dir, `ca-${name}`);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'serial'), '01\n');
  writeFileSync(
    join(d, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = d',
      '[ d ]',
      'database = index.txt',
      'serial = serial',
      'new_certs_dir = .',
      'default_md = sha256',
      'policy = p',
      'unique_subject = no',
      'x509_extensions = server',
      '[ p ]',
      'commonName = supplied',
      // The address the test servers listen on, so a client given the certificate as its CA trusts it.
      '[ server ]',
      'subjectAltName = IP:127.0.0.1,DNS:localhost',
      'basicConstraints = critical,CA:TRUE',
      '',
    ].join('\n'),
  );
  const key = join(dir, `${name}.key.pem`);
  const cert = join(dir, `${name}.pem`);
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: d, stdio: ['ignore', 'ignore', 'pipe'] });
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', join(d, 'req.csr'), '-subj', `/CN=${name}`]);
  run([
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-selfsign',
    '-keyfile',
    key,
    '-in',
    'req.csr',
    '-out',
    cert,
    '-notext',
    '-startdate',
    opensslDate(start),
    '-enddate',
    opensslDate(end),
  ]);
  return { cert, key };
}

export interface TestServer {
  url: string;
  close: () => Promise<void>;
}

function listening(server: Server, scheme: 'http' | 'https'): Promise<TestServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `${scheme}://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/**
 * An HTTP server whose clock is `offsetMs` off: its /health answers `time` (as the clinic server's
 * does) unless `dateOnly`, and every answer carries a Date header that is off by as much.
 */
export function lyingClockServer(offsetMs: number, o: { dateOnly?: boolean } = {}): Promise<TestServer> {
  const server = createHttpServer((req, res) => {
    const t = Date.now() + offsetMs;
    res.setHeader('date', new Date(t).toUTCString());
    if (o.dateOnly || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, service: 'cairn-clinic-server', time: t }));
  });
  return listening(server, 'http');
}

/** An HTTPS server presenting the given certificate, answering /health honestly. */
export function tlsServer(files: { cert: string; key: string }, readFile: (f: string) => Buffer): Promise<TestServer> {
  const server = createHttpsServer({ cert: readFile(files.cert), key: readFile(files.key) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, time: Date.now() }));
  });
  return listening(server, 'https');
}

/** A TCP port that accepts connections and never answers: only a timeout gets a client out. */
export function silentServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** A port nothing listens on (taken from the OS, then released). */
export async function closedPortUrl(): Promise<string> {
  const s = await silentServer();
  await s.close();
  return s.url;
}

const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

/** A real backup of `dbFile` into `dir`, named and dated as if taken at `at`. */
export async function backupTakenAt(dbFile: string, key: Buffer, dir: string, at: Date): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const name = dbFile.split(/[\\/]/).at(-1)!;
  return (await createBackup({ dbFile, key, out: join(dir, `${name}-${stamp(at)}.cairnbak`), now: () => at })).file;
}
