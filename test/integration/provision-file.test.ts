import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProvisioningFile, provisioningCandidates, systemConfigDir } from '../../electron/services/provision';
import { removeCodeFromFile } from '../../electron/services/provision/provision-file';
import { normaliseFingerprint, parseProvisioningFile, withoutCode } from '../../shared/domain/provisioning';
import { tempDir } from '../helpers/temp-db';

const FP = 'ab'.repeat(32);
const base = { version: 1, serverUrl: 'https://clinic-server:8443', serverCertificateSha256: FP, enrollmentCode: '7KQ2M-XW9PD' };
const problems = (o: unknown): string[] => {
  const r = parseProvisioningFile(typeof o === 'string' ? o : JSON.stringify(o));
  return r.ok ? [] : r.problems;
};

describe('where Cairn looks for cairn-provisioning.json', () => {
  it('Linux: beside the AppImage, beside the executable, then /etc/cairn', () => {
    expect(provisioningCandidates({ platform: 'linux', exeDir: '/tmp/.mount_CairnX/usr', appImage: '/home/ann/Downloads/Cairn-1.0.AppImage' })).toEqual([
      '/home/ann/Downloads/cairn-provisioning.json',
      '/tmp/.mount_CairnX/usr/cairn-provisioning.json',
      '/etc/cairn/cairn-provisioning.json',
    ]);
    expect(provisioningCandidates({ platform: 'linux', exeDir: '/opt/Cairn' })).toEqual([
      '/opt/Cairn/cairn-provisioning.json',
      '/etc/cairn/cairn-provisioning.json',
    ]);
  });

  it('Windows: the install folder, then %ProgramData%\\Cairn (C:\\ProgramData when unset)', () => {
    expect(provisioningCandidates({ platform: 'win32', exeDir: 'C:\\Program Files\\Cairn', programData: 'D:\\ProgramData' })).toEqual([
      'C:\\Program Files\\Cairn\\cairn-provisioning.json',
      'D:\\ProgramData\\Cairn\\cairn-provisioning.json',
    ]);
    expect(systemConfigDir({ platform: 'win32' })).toBe('C:\\ProgramData\\Cairn');
  });

  it('macOS: inside the bundle, beside Cairn.app, then /Library/Application Support/Cairn', () => {
    expect(provisioningCandidates({ platform: 'darwin', exeDir: '/Applications/Cairn.app/Contents/MacOS' })).toEqual([
      '/Applications/Cairn.app/Contents/MacOS/cairn-provisioning.json',
      '/Applications/cairn-provisioning.json',
      '/Library/Application Support/Cairn/cairn-provisioning.json',
    ]);
  });

  it('the first that exists wins', () => {
    const seen = new Set(['/b', '/c']);
    expect(findProvisioningFile(['/a', '/b', '/c'], (f) => seen.has(f))).toBe('/b');
    expect(findProvisioningFile(['/a'], () => false)).toBeNull();
  });
});

describe('the provisioning file schema', () => {
  it('reads a minimal file with defaults, and fingerprints as openssl or Node print them', () => {
    const r = parseProvisioningFile(JSON.stringify({ ...base, serverUrl: 'https://clinic-server:8443/' }));
    expect(r.ok && r.value).toMatchObject({
      serverUrl: 'https://clinic-server:8443',
      updateChannel: 'stable',
      serverCertificateSha256: 'AB:'.repeat(31) + 'AB',
    });
    expect(normaliseFingerprint(`sha256 Fingerprint=${'AB:'.repeat(31)}AB`)).toBe('AB:'.repeat(31) + 'AB');
    expect(normaliseFingerprint('ab'.repeat(31))).toBeNull();
    // A byte-order mark (Notepad) is not an error.
    expect(problems('\uFEFF' + JSON.stringify(base))).toEqual([]);
  });

  it('takes Windows, UNC and POSIX backup folders and refuses a relative one', () => {
    for (const backupDir of ['D:\\CairnBackups', 'E:/backups', '\\\\nas\\cairn', '/media/backup/cairn']) expect(problems({ ...base, backupDir })).toEqual([]);
    expect(problems({ ...base, backupDir: 'backups' })).toEqual([
      'backupDir must be a full path to a folder on the laptop, such as D:\\CairnBackups or /media/backup/cairn',
    ]);
  });

  it('names each problem and what to do', () => {
    expect(problems({ ...base, serverUrl: 'http://clinic-server:8443' })[0]).toMatch(/^serverUrl must be the clinic server's https:\/\/ address/);
    expect(problems({ ...base, serverUrl: 'https://clinic-server:8443/?x=1' })[0]).toMatch(/^serverUrl must be/);
    expect(problems({ ...base, version: 2 })).toEqual([
      'version 2 is not one this Cairn reads: make the file again with cairn provision --make from this version',
    ]);
    expect(problems({ ...base, allowedRole: ['nurse'] })).toEqual(['unknown field "allowedRole" (a typo? the README lists the fields)']);
    expect(problems({ ...base, enrollmentCode: 12345678 })).toEqual([
      'enrollmentCode must be the one-time code the clinic server printed, in quotes, such as "7KQ2M-XW9PD"',
    ]);
    expect(problems({ ...base, allowedRoles: [] })).toEqual(['allowedRoles is empty: list at least one role, or leave the field out to allow every role']);
    expect(problems('[1]')).toEqual(['it must be one JSON object { … }, as cairn provision --make writes']);
  });

  it('without its code the file keeps every other field and says when the code was used', () => {
    const raw = { ...base, codeExpiresAt: '2026-07-01T00:00:00Z', note: 'kept' };
    expect(withoutCode(raw, new Date('2026-06-01T00:00:00Z'))).toEqual({
      version: 1,
      serverUrl: base.serverUrl,
      serverCertificateSha256: FP,
      note: 'kept',
      codeUsedAt: '2026-06-01T00:00:00.000Z',
    });
  });
});

describe('removing the code from the file', () => {
  const t = tempDir('cairn-provision-file-');
  afterAll(() => t.cleanup());

  it('rewrites the file in place and leaves no temporary file behind', () => {
    const file = join(t.dir, 'cairn-provisioning.json');
    writeFileSync(file, JSON.stringify(base), { mode: 0o600 });
    expect(removeCodeFromFile(file, base, new Date('2026-06-01T00:00:00Z'))).toEqual({ removed: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('enrollmentCode');
    expect(readdirSync(t.dir)).toEqual(['cairn-provisioning.json']);
  });

  it('a missing file is reported, not thrown', () => {
    expect(removeCodeFromFile(join(t.dir, 'gone.json'), base, new Date())).toEqual({ removed: false, why: 'it cannot be read (ENOENT)' });
  });
});
