import { X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepos } from '../../electron/services/repos';
import { provisionOnFirstStart, type ProvisionDeps } from '../../electron/services/provision';
import { enrolledServer } from '../../electron/services/sync/user-sessions';
import { parseProvisioningFile, PROVISIONING_FILE_NAME } from '../../shared/domain/provisioning';
import { cairn, cliServer } from '../helpers/cli';
import { newStore, tempDir } from '../helpers/temp-db';
import { selfSignedCertificate } from '../helpers/tls';

const t = tempDir('cairn-provision-cli-');
const dataDir = join(t.dir, 'srv');
const out = join(t.dir, 'files');
let cert: string;
let key: string;
let fingerprint: string;
let server: Awaited<ReturnType<typeof cliServer>>;

const certificate = (name: string): { cert: string; key: string } => selfSignedCertificate(t.dir, name);

beforeAll(async () => {
  ({ cert, key } = certificate('clinic'));
  fingerprint = new X509Certificate(readFileSync(cert)).fingerprint256;
  server = await cliServer(['--data-dir', dataDir, '--port', '0', '--tls-cert', cert, '--tls-key', key]);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  t.cleanup();
});

/** A laptop: its own folder with a copy of one provisioning file, and an empty device database. */
async function laptop(name: string, file: string): Promise<{ deps: ProvisionDeps; repos: ReturnType<typeof createRepos>; file: string }> {
  const dir = join(t.dir, name);
  mkdirSync(dir);
  const placed = join(dir, PROVISIONING_FILE_NAME);
  copyFileSync(file, placed);
  const repos = createRepos((await newStore(dir)).store);
  const deps: ProvisionDeps = {
    candidates: [placed],
    device: () => repos,
    deviceName: name,
    now: () => new Date(),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return { deps, repos, file: placed };
}

describe('cairn provision --make against a running clinic server (HTTPS)', () => {
  const args = (o: { ca?: string; out?: string } = {}): string[] => [
    'provision',
    '--make',
    '--server',
    server.url,
    '--ca',
    o.ca ?? cert,
    '--count',
    '3',
    '--out',
    o.out ?? out,
    '--data-dir',
    dataDir,
    '--clinic',
    'Hilltop Clinic',
    '--update-channel',
    'beta',
    '--backup-dir',
    'D:\\CairnBackups',
    '--roles',
    'physician,nurse',
  ];

  it('makes 3 single-use files; one enrolls a laptop, a copy of it is then refused, the others stay usable', async () => {
    const r = cairn(args());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { files: string[]; certificateSha256: string; count: number };
    expect(summary.count).toBe(3);
    expect(summary.certificateSha256).toBe(fingerprint);
    expect(summary.files).toEqual(['01', '02', '03'].map((d) => join(out, `device-${d}`, PROVISIONING_FILE_NAME)));
    const files = summary.files.map((f) => {
      expect(statSync(f).mode & 0o777).toBe(0o600);
      const parsed = parseProvisioningFile(readFileSync(f, 'utf8'));
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      return parsed.value;
    });
    for (const f of files)
      expect(f).toMatchObject({
        version: 1,
        clinicName: 'Hilltop Clinic',
        serverUrl: server.url,
        serverCertificateSha256: fingerprint,
        updateChannel: 'beta',
        backupDir: 'D:\\CairnBackups',
        allowedRoles: ['physician', 'nurse'],
      });
    expect(new Set(files.map((f) => f.enrollmentCode)).size).toBe(3);
    // The codes carry the server's expiry: 72 hours by default.
    const hours = (Date.parse(files[0]!.codeExpiresAt!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71);
    expect(hours).toBeLessThanOrEqual(72);
    // No code is printed: they are in the owner-only files only.
    for (const f of files) expect(r.out).not.toContain(f.enrollmentCode!);

    const a = await laptop('laptop-a', summary.files[0]!);
    const b = await laptop('laptop-b', summary.files[0]!);
    const c = await laptop('laptop-c', summary.files[1]!);
    try {
      expect(await provisionOnFirstStart(a.deps)).toMatchObject({ status: 'enrolled', serverUrl: server.url, codeRemoved: true });
      expect(enrolledServer(a.repos.store.sqlite)?.serverUrl).toBe(server.url);
      expect(JSON.parse(readFileSync(a.file, 'utf8'))).not.toHaveProperty('enrollmentCode');
      // The same code again (a copy of the file): single use.
      expect(await provisionOnFirstStart(b.deps)).toMatchObject({ status: 'failed', reason: 'code-refused' });
      expect(enrolledServer(b.repos.store.sqlite)).toBeNull();
      // Another file's code is its own.
      expect(await provisionOnFirstStart(c.deps)).toMatchObject({ status: 'enrolled' });
    } finally {
      for (const l of [a, b, c]) l.repos.store.close();
    }
  });

  it('refuses a certificate the server does not present, a private key as --ca, a bad role, a missing flag and an existing file', () => {
    const other = certificate('other');
    const wrong = cairn(args({ ca: other.cert, out: join(t.dir, 'other-files') }));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^cairn: https:\/\/127\.0\.0\.1:\d+ would be refused by the laptops: the certificate of .* has SHA-256 fingerprint/);
    expect(existsSync(join(t.dir, 'other-files'))).toBe(false);
    const privateKey = cairn(['provision', '--make', '--server', server.url, '--ca', key, '--count', '1', '--out', join(t.dir, 'x'), '--data-dir', dataDir]);
    expect(privateKey).toMatchObject({
      code: 2,
      err: `cairn: --ca ${key} holds a private key: give the certificate (the .crt), and keep the key on the server\n`,
    });
    const role = cairn([
      'provision',
      '--make',
      '--server',
      server.url,
      '--ca',
      cert,
      '--count',
      '1',
      '--out',
      join(t.dir, 'x'),
      '--data-dir',
      dataDir,
      '--roles',
      'doctor',
    ]);
    expect(role).toMatchObject({ code: 2, err: 'cairn: --roles: allowedRoles: "doctor" is not a role; use physician, nurse, front_desk, billing, admin\n' });
    const noCount = cairn(['provision', '--make', '--server', server.url, '--ca', cert, '--out', join(t.dir, 'x'), '--data-dir', dataDir]);
    expect(noCount).toMatchObject({ code: 2, err: 'cairn: missing --count (see cairn --help)\n' });
    const noMake = cairn(['provision', '--server', server.url]);
    expect(noMake).toMatchObject({ code: 2, err: 'cairn: cairn provision needs --make (see cairn --help)\n' });
    const again = cairn(args());
    expect(again.code).toBe(1);
    expect(again.err).toBe(`cairn: refusing to overwrite ${join(out, 'device-01', PROVISIONING_FILE_NAME)}: give an empty --out folder\n`);
  });

  it('asks the running HTTPS server over loopback for its devices and an enrollment code (cairn server devices | enroll)', () => {
    const devices = cairn(['server', 'devices', '--data-dir', dataDir]);
    expect(devices.err).toBe('');
    expect(devices.code).toBe(0);
    expect((JSON.parse(devices.out) as { devices: { name: string }[] }).devices.map((d) => d.name)).toContain('laptop-a');
    const code = cairn(['server', 'enroll', '--data-dir', dataDir, '--name', 'laptop-d']);
    expect(code.err).toBe('');
    expect(code.code).toBe(0);
  });

  it('with the server stopped, makes the codes in its database directly (as cairn server enroll does), and the server lists the enrolled laptops', async () => {
    await server.stop();
    const r = cairn(args({ out: join(t.dir, 'offline-files') }));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^cairn: note: https:\/\/127\.0\.0\.1:\d+ could not be reached from here to check its certificate/);
    const made = JSON.parse(r.out) as { files: string[] };
    expect(made.files).toHaveLength(3);
    const devices = cairn(['server', 'devices', '--data-dir', dataDir]);
    expect(devices.code).toBe(0);
    expect((JSON.parse(devices.out) as { devices: { name: string }[] }).devices.map((d) => d.name).sort()).toEqual(['laptop-a', 'laptop-c']);
  });
});
