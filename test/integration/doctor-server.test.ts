import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../electron/services/db/open';
import { doctorReport, type DoctorOptions } from '../../electron/services/doctor/doctor.service';
import { cairn } from '../helpers/cli';
import {
  cairnAsync,
  check,
  closedPortUrl,
  datedCertificate,
  expectCheck,
  lyingClockServer,
  silentServer,
  tlsServer,
  type Report,
  type TestServer,
} from '../helpers/doctor';
import { HL7_FIXTURES } from '../helpers/hl7-fixtures';
import { newStore, resourcesDir, TEST_KDF, tempDir } from '../helpers/temp-db';

const PASSPHRASE = 'doctor server passphrase';
const DAY = 86_400_000;
const MIN = 60_000;

/** The checks that ask the clinic server, against real sockets: nothing listening, a silent port, lying clocks, expired certificates; and the lab interface. */
describe('cairn doctor: the clinic server, clocks, certificates and the lab interface', () => {
  const t = tempDir('cairn-doctor-srv-');
  const servers: TestServer[] = [];
  let db = '';
  beforeAll(async () => {
    const made = await newStore(t.dir, PASSPHRASE);
    made.store.close();
    db = made.file;
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    t.cleanup();
  });
  const serve = async (s: Promise<TestServer>): Promise<TestServer> => {
    const started = await s;
    servers.push(started);
    return started;
  };
  const run = (extra: Partial<DoctorOptions>): Promise<Report> => doctorReport({ db, passphrase: PASSPHRASE, resourcesDir, ...extra });

  it('fails a server nothing listens on, and skips the checks that need it with a warning', async () => {
    const url = await closedPortUrl();
    const out = cairn(['doctor', '--db', db, '--server', url, '--json'], { CAIRN_PASSPHRASE: PASSPHRASE });
    expect(out.code).toBe(1);
    const r = JSON.parse(out.out) as Report;
    expectCheck(r, 'sync.server', 'fail', `the clinic server at ${url}/health did not answer (ECONNREFUSED): check the network and that the server is running`);
    expectCheck(
      r,
      'sync.clock_skew',
      'warn',
      `the clock not checked: the clinic server at ${url}/health did not answer (ECONNREFUSED); run cairn doctor again once it answers`,
    );
    expectCheck(r, 'certificate.server', 'warn', 'the certificate not checked');
  });

  it('gives up on a server that accepts the connection and never answers, after the timeout', async () => {
    const silent = await serve(silentServer());
    const started = Date.now();
    const r = await run({ serverUrl: silent.url, timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expectCheck(r, 'sync.server', 'fail', 'did not answer (no answer in time)');
    expectCheck(r, 'sync.clock_skew', 'warn', 'not checked');
  });

  it('judges the clock against /health and, failing that, the Date header', async () => {
    const honest = await serve(lyingClockServer(0));
    expectCheck(await run({ serverUrl: honest.url }), 'sync.clock_skew', 'pass', /^the clocks agree to within \d+ s$/);
    expectCheck(await run({ serverUrl: honest.url }), 'sync.server', 'pass', `${honest.url}/health answered HTTP 200 in`);

    const ahead = await serve(lyingClockServer(10 * MIN));
    const r = await run({ serverUrl: ahead.url });
    expectCheck(r, 'sync.clock_skew', 'fail', "this device's clock is 10 min behind the clinic server's (from /health): the server refuses changes");
    expect(r.ok).toBe(false);
    expectCheck(await run({ serverUrl: (await serve(lyingClockServer(-10 * MIN))).url }), 'sync.clock_skew', 'fail', 'is 10 min ahead of the clinic server');
    expectCheck(await run({ serverUrl: (await serve(lyingClockServer(2 * MIN))).url }), 'sync.clock_skew', 'warn', 'turn on automatic time (NTP)');
    // A server with no /health time: its Date header, to the second.
    const dateOnly = await serve(lyingClockServer(-20 * MIN, { dateOnly: true }));
    expectCheck(await run({ serverUrl: dateOnly.url }), 'sync.clock_skew', 'fail', /clock is 20 min ahead of the clinic server's \(from its Date header\)/);

    // The same through the command line: exit 1.
    const cli = await cairnAsync(['doctor', '--db', db, '--server', ahead.url], { CAIRN_PASSPHRASE: PASSPHRASE });
    expect(cli.code).toBe(1);
    expect(cli.out).toContain("FAIL     This computer's clock agrees with the clinic server's: this device's clock is 10 min behind");
  });

  it('fails an expired certificate, a file or what the server presents, and warns before one expires', async () => {
    const now = Date.now();
    const expired = datedCertificate(t.dir, 'expired', new Date('2024-01-01T00:00:00Z'), new Date('2024-02-01T00:00:00Z'));
    const soon = datedCertificate(t.dir, 'soon', new Date(now - DAY), new Date(now + 10 * DAY));
    const future = datedCertificate(t.dir, 'future', new Date(now + 5 * DAY), new Date(now + 400 * DAY));
    const good = datedCertificate(t.dir, 'good', new Date(now - DAY), new Date(now + 365 * DAY));

    const files = await run({ certFiles: [expired.cert] });
    expectCheck(files, 'certificate.files', 'fail', `${expired.cert} (expired) expired on 2024-02-01`);
    expect(files.ok).toBe(false);
    expectCheck(
      await run({ certFiles: [soon.cert] }),
      'certificate.files',
      'warn',
      /\(soon\) expires on \d{4}-\d\d-\d\d, in (9|10) days: issue a new certificate/,
    );
    expectCheck(await run({ certFiles: [future.cert] }), 'certificate.files', 'fail', 'is not valid until');
    expectCheck(await run({ certFiles: [good.cert, join(t.dir, 'missing.pem')] }), 'certificate.files', 'fail', `${join(t.dir, 'missing.pem')} does not exist`);
    expectCheck(await run({ certFiles: [good.cert] }), 'certificate.files', 'pass', `${good.cert} (good) is valid until`);

    const presenting = await serve(tlsServer(expired, (f) => readFileSync(f)));
    const r = await run({ serverUrl: presenting.url });
    expectCheck(r, 'certificate.server', 'fail', 'its certificate (expired) expired on 2024-02-01');
    expectCheck(r, 'sync.server', 'pass', 'answered HTTP 200');

    const trusted = await serve(tlsServer(good, (f) => readFileSync(f)));
    expectCheck(await run({ serverUrl: trusted.url }), 'certificate.server', 'warn', 'but this computer does not trust it');
    expectCheck(await run({ serverUrl: trusted.url, ca: readFileSync(good.cert) }), 'certificate.server', 'pass', 'its certificate (good) is valid until');

    const cli = cairn(['doctor', '--db', db, '--cert', expired.cert, '--json'], { CAIRN_PASSPHRASE: PASSPHRASE });
    expect(cli.code).toBe(1);
    expect(check(JSON.parse(cli.out) as Report, 'certificate.files').status).toBe('fail');
  });

  it('fails a lab interface that never received a message, and passes once one arrived', async () => {
    const dir = join(t.dir, 'server-data');
    mkdirSync(dir, { mode: 0o700 });
    const lab = join(dir, 'lab-interface.cairn');
    const labPassphrase = 'lab interface passphrase 1';
    writeFileSync(join(dir, 'lab-interface.passphrase'), `${labPassphrase}\n`, { mode: 0o600 });
    (await createDatabase(lab, labPassphrase, { resourcesDir, kdf: TEST_KDF })).store.close();

    const none = await doctorReport({ dataDir: dir, passphrase: null, resourcesDir, runningServerUrl: null });
    expectCheck(
      none,
      'labs.last_message',
      'fail',
      `the lab interface (${lab}) has never received a message: check that the lab's system sends to this server's MLLP port`,
    );
    expectCheck(none, 'sync.server', 'fail', `no clinic server is running on ${dir}`);

    const imported = cairn(['hl7', 'import', '--db', lab, join(HL7_FIXTURES, 'ORU-R01-01.hl7')], { CAIRN_PASSPHRASE: labPassphrase });
    expect(imported.code, imported.err).toBe(0);
    const one = await doctorReport({ dataDir: dir, passphrase: null, resourcesDir, runningServerUrl: null });
    expectCheck(
      one,
      'labs.last_message',
      'pass',
      /^the last message to the lab interface \(.+\) \(ORU\^R01 from .+\) arrived \d+ s ago \((processed|queued|not_processed)\)$/,
    );

    // A device that only imported a file of results has no lab interface to judge.
    expect(cairn(['hl7', 'import', '--db', db, join(HL7_FIXTURES, 'ORU-R01-01.hl7')], { CAIRN_PASSPHRASE: PASSPHRASE }).code).toBe(0);
    expect((await run({})).checks.map((c) => c.id)).not.toContain('labs.last_message');
  });
});
