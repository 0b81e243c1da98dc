import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, sendMllp } from '../helpers/mllp';
import { startClinicServer, type RunningClinicServer } from '../../electron/launch/clinic-server';
import { embeddedClinicServerOptions } from '../../electron/launch/embedded-clinic-server';
import { runningInfo } from '../../electron/server/server-info';
import { createDatabase } from '../../electron/services/db/open';
import { get, parseMessageOrThrow } from '../../shared/hl7';
import { resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

const ORU = readFileSync('test/fixtures/hl7v2/LAB-ORU-1.hl7', 'utf8');

/** Whether something accepts TCP connections on the port (a closed listener refuses them). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function expectBothServe(clinic: RunningClinicServer): Promise<void> {
  const health = (await (await fetch(`${clinic.server.url}/health`)).json()) as { ok: boolean };
  expect(health.ok).toBe(true);
  const ack = parseMessageOrThrow(await sendOne(clinic.mllpPort!, ORU));
  expect(get(ack, 'MSA-1')).toBe('AA');
  expect(get(ack, 'MSA-2')).toBe(get(parseMessageOrThrow(ORU), 'MSH-10'));
}

async function expectBothClosed(clinic: RunningClinicServer, dataDir: string): Promise<void> {
  expect(await accepts(clinic.server.port)).toBe(false);
  expect(await accepts(clinic.mllpPort!)).toBe(false);
  expect(runningInfo(dataDir)).toBeNull();
}

/** Sends one message and resolves with its ACK text. */
const sendOne = async (port: number, message: string): Promise<string> => (await sendMllp(port, [message]))[0]!;

describe('startClinicServer: the clinic server and its lab interface start and stop together', () => {
  const t = tempDir('cairn-clinic-launch-');
  afterAll(() => t.cleanup());

  it('with MLLP settings it serves HTTP and MLLP on real sockets, and close() stops both', async () => {
    const dataDir = join(t.dir, 'srv');
    const labDb = join(t.dir, 'lab.cairn');
    const clinic = await startClinicServer({
      target: { dataDir },
      resourcesDir,
      port: 0,
      lab: {
        port: 0,
        mllp: { host: '127.0.0.1', maxConnections: 4, idleTimeoutMs: 30_000, maxMessageBytes: 1 << 20 },
        openStore: async () => (await createDatabase(labDb, 'lab interface passphrase', { resourcesDir, kdf: TEST_KDF })).store,
      },
    });
    try {
      expect(clinic.mllpPort).toBeGreaterThan(0);
      // `cairn server enroll --data-dir` finds the running server through this file.
      expect(runningInfo(dataDir)?.url).toBe(clinic.server.url);
      await expectBothServe(clinic);
    } finally {
      await clinic.close();
    }
    await expectBothClosed(clinic, dataDir);
  }, 60_000);

  it("the desktop's clinic-server.json with mllp settings: a generated passphrase kept 0600, the same one opens the lab database again", async () => {
    const userData = join(t.dir, 'desktop');
    const dataDir = join(userData, 'clinic-server');
    mkdirSync(userData, { mode: 0o700 });
    writeFileSync(join(userData, 'clinic-server.json'), JSON.stringify({ port: await freePort(), mllp: { port: 0, maxConnections: 4, idleTimeout: 30 } }));
    const options = embeddedClinicServerOptions(userData, resourcesDir)!;
    expect(options.lab?.mllp).toEqual({ maxConnections: 4, idleTimeoutMs: 30_000 });
    // Twice on the configured port: the lab interface keeps the address it enrolled with.
    for (let run = 0; run < 2; run++) {
      const clinic = await startClinicServer(options);
      try {
        await expectBothServe(clinic);
      } finally {
        await clinic.close();
      }
      await expectBothClosed(clinic, dataDir);
      expect(existsSync(join(dataDir, 'lab-interface.cairn'))).toBe(true);
      expect(statSync(join(dataDir, 'lab-interface.passphrase')).mode & 0o777).toBe(0o600);
    }
  }, 120_000);

  it('clinic-server.json: a bad mllp setting is refused before anything starts', () => {
    const userData = join(t.dir, 'bad');
    const write = (c: unknown): void => writeFileSync(join(userData, 'clinic-server.json'), JSON.stringify(c));
    mkdirSync(userData);
    write({ port: 8443, mllp: { port: 0, tlsCert: 'cert.pem' } });
    expect(() => embeddedClinicServerOptions(userData, resourcesDir)).toThrow(/mllp: give both tlsCert and tlsKey/);
    write({ port: 8443, mllp: { port: 0, host: '0.0.0.0' } });
    expect(() => embeddedClinicServerOptions(userData, resourcesDir)).toThrow(/0\.0\.0\.0/);
  });
});
