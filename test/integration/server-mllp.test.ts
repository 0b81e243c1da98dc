import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, sendMllp } from '../helpers/mllp';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { get, parseMessageOrThrow } from '../../shared/hl7';
import { patientInput } from '../../shared/domain/patient';
import { cairn, cliServer } from '../helpers/cli';
import { CLINIC, openClinic } from '../helpers/clinic';
import { tempDir } from '../helpers/temp-db';
import { signInClinicUsers } from '../helpers/sync-server';

/** Sends one message and resolves with its ACK text. */
const sendOne = async (port: number, message: string): Promise<string> => (await sendMllp(port, [message]))[0]!;

describe('cairn server --mllp-port: lab results reach every device through sync', () => {
  const t = tempDir('cairn-server-mllp-');
  const srv = join(t.dir, 'srv');
  afterAll(() => t.cleanup());

  it('an ORU sent to the clinic server over MLLP is acknowledged and arrives on a device', async () => {
    // A device registers the patient and pushes it.
    // One fixed port for both runs: the device keeps the server's address it enrolled with.
    const port = await freePort();
    let server = await cliServer(['--data-dir', srv, '--port', String(port)]);
    const clinic = await openClinic(t.dir);
    const repos = clinic.session.repos;
    const docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    const code = (JSON.parse(cairn(['server', 'enroll', '--data-dir', srv, '--name', 'Exam room']).out) as { code: string }).code;
    await enrollThisDevice(repos.store, repos, { serverUrl: server.url, code, deviceName: 'Exam room' });
    await signInClinicUsers(repos.store.sqlite);
    const p = repos.patients.create(
      patientInput.parse({
        givenName: 'Donald',
        familyName: 'Duck',
        birthDate: '1924-10-10',
        sex: 'male',
        identifiers: [{ system: '1', value: '10006579', type: 'MR' }],
      }),
      { userId: docId },
    );
    expect((await clientFor(repos.store, repos, () => docId).syncOnce()).error).toBeNull();
    await server.stop();

    // The server again, now with its lab interface: it enrolls itself, pulls the charts, then listens.
    server = await cliServer(['--data-dir', srv, '--port', String(port), '--mllp-port', '0']);
    try {
      const mllp = Number(server.first['mllp']);
      expect(mllp).toBeGreaterThan(0);
      const ack = parseMessageOrThrow(await sendOne(mllp, readFileSync('test/fixtures/hl7v2/LAB-ORU-1.hl7', 'utf8')));
      expect(get(ack, 'MSA-1')).toBe('AA');
      expect(get(ack, 'MSA-3')).not.toMatch(/queued|held|review/i);
      const sent = parseMessageOrThrow(readFileSync('test/fixtures/hl7v2/LAB-ORU-1.hl7', 'utf8'));
      expect(get(ack, 'MSA-2')).toBe(get(sent, 'MSH-10'));
      // The device syncs and has the ten results on the chart.
      let count = 0;
      for (let i = 0; i < 40 && count < 10; i++) {
        await clientFor(repos.store, repos, () => docId).syncOnce();
        count = (
          repos.store.sqlite.prepare("SELECT count(*) AS n FROM observations WHERE patient_id = ? AND category = 'laboratory'").get(p.id) as { n: number }
        ).n;
        if (count < 10) await new Promise((r) => setTimeout(r, 250));
      }
      expect(count).toBe(10);
    } finally {
      await server.stop();
      clinic.session.close();
    }
  });

  it('an MLLP port already taken: one line naming it and an exit, nothing of the lab interface left running', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const mllp = (taken.address() as AddressInfo).port;
    try {
      const r = cairn(['server', '--data-dir', join(t.dir, 'srv2'), '--port', String(await freePort()), '--mllp-port', String(mllp)]);
      expect(r.code).not.toBe(0);
      // Before, the sync loop outlived the closed database and crashed with a stack trace.
      expect(r.err.trim()).toBe(`cairn: listen EADDRINUSE: address already in use 127.0.0.1:${mllp}`);
    } finally {
      taken.close();
    }
  }, 60_000);
});
