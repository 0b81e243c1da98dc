import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { cairn, cliServer } from '../helpers/cli';
import { CLINIC, openClinic } from '../helpers/clinic';
import { signInClinicUsers } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';

/**
 * `cairn server --log-file FILE --log-max-size S --log-keep N`: the clinic server's request log is
 * JSON lines, rotated by size into NAME.1.log, NAME.2.log… with only N old files kept and
 * current.log pointing at the newest, owner-only; and a patient's name, birth date and phone that
 * travel in requests (a synced chart, a FHIR search, a mistyped URL, a device name) never appear in it.
 */

const PHI = ['Wilhelmina', 'Quackenbush', '1961-08-19', '617-555-0142', 'wq@example.org', 'QX-7781'];

describe('clinic server logs: rotated, and no PHI', () => {
  const t = tempDir('cairn-server-logs-');
  const logs = join(t.dir, 'logs');
  let server: Awaited<ReturnType<typeof cliServer>> | undefined;
  afterAll(async () => {
    await server?.stop();
    t.cleanup();
  });

  it('rotates by size, keeps the newest files, and never writes a name, birth date or phone that requests carried', async () => {
    server = await cliServer([
      '--data-dir',
      join(t.dir, 'data'),
      '--port',
      '0',
      '--log-file',
      join(logs, 'server.log'),
      '--log-max-size',
      '2k',
      '--log-keep',
      '3',
    ]);
    const url = server.url;
    // Enough requests to roll the 2 KiB file several times (each line is about 200 bytes).
    for (let i = 0; i < 80; i++) await fetch(`${url}/sync/pull?cursor=${i}`).then((r) => r.arrayBuffer());

    // Then requests that carry PHI, every way a client could send it.
    const enroll = cairn(['server', 'enroll', '--data-dir', join(t.dir, 'data'), '--name', 'Wilhelmina Quackenbush bedside tablet']);
    expect(enroll.code, enroll.err).toBe(0);
    const device = await openClinic(mkdtempSync(join(t.dir, 'device-')));
    const repos = device.session.repos;
    const { code } = JSON.parse(cairn(['server', 'enroll', '--data-dir', join(t.dir, 'data'), '--name', 'Exam room']).out) as { code: string };
    await enrollThisDevice(repos.store, repos, { serverUrl: url, code, deviceName: 'Exam room' });
    await signInClinicUsers(repos.store.sqlite);
    await device.ok('patients.create', {
      givenName: 'Wilhelmina',
      familyName: 'Quackenbush',
      birthDate: '1961-08-19',
      phone: '617-555-0142',
      email: 'wq@example.org',
      mrn: 'QX-7781',
    });
    const docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    const summary = await clientFor(repos.store, repos, () => docId).syncOnce();
    expect(summary.error).toBeNull();
    expect(summary.pushed).toBeGreaterThan(0);
    await fetch(`${url}/fhir/R4/Patient?name=Quackenbush&birthdate=1961-08-19`).then((r) => r.arrayBuffer());
    await fetch(`${url}/patients/Wilhelmina%20Quackenbush/617-555-0142`).then((r) => r.arrayBuffer());
    await fetch(`${url}/sync/push`, { method: 'POST', body: '{"changes":[{"givenName":"Wilhelmina","familyName":"Quackenbush"}]}' }).then((r) =>
      r.arrayBuffer(),
    );
    device.session.logout();
    await server.stop();
    server = undefined;

    const names = readdirSync(logs).sort();
    const numbered = names.filter((n) => /^server\.\d+\.log$/.test(n));
    const numbers = numbered.map((n) => Number(n.split('.')[1]));
    // Rolled past the limit: the oldest files were removed, at most 3 kept beside the current one.
    expect(Math.max(...numbers)).toBeGreaterThan(4);
    expect(numbered.length).toBeLessThanOrEqual(4);
    expect(numbered.length).toBeGreaterThanOrEqual(2);
    expect(numbers).not.toContain(1);
    expect(lstatSync(join(logs, 'current.log')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(logs, 'current.log'))).toBe(`server.${Math.max(...numbers)}.log`);
    for (const n of numbered) expect(statSync(join(logs, n)).mode & 0o777, n).toBe(0o600);

    const text = numbered.map((n) => readFileSync(join(logs, n), 'utf8')).join('');
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { route: string; status: number; method: string; msg: string });
    // The requests that carried PHI were logged (so the test can fail), by route pattern only.
    expect(lines.some((l) => l.method === 'POST' && l.route === '/sync/push' && l.status === 200)).toBe(true);
    expect(lines.some((l) => l.method === 'POST' && l.route === '/admin/enrollment-codes' && l.status === 200)).toBe(true);
    expect(lines.some((l) => l.route === '(no route)' && l.status === 404)).toBe(true);
    expect(lines.some((l) => l.route.startsWith('/fhir/R4') && l.status === 401)).toBe(true);
    expect(lines.some((l) => l.route === '/sync/pull' && l.status === 401)).toBe(true);
    for (const phi of PHI) expect(text, `"${phi}" leaked into the server log`).not.toContain(phi);
    expect(text).not.toContain('cursor=');
  });
});
