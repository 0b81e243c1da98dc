import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openServerDb } from '../../electron/server/db/open';
import { startServer } from '../../electron/server/server';
import { backupServer, openServerBackup, restoreServer } from '../../electron/server/server-backup';
import { writeRunningInfo, clearRunningInfo } from '../../electron/server/server-info';
import { cairn, CLI_ENV } from '../helpers/cli';
import { resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

describe('cairn server backup / restore: encrypted like a device backup', () => {
  const t = tempDir('cairn-server-backup-');
  afterAll(() => t.cleanup());
  const dataDir = join(t.dir, 'srv');
  const file = join(t.dir, 'server.cairnbak');

  it('backs up the embedded database encrypted, and restores it into a new folder', async () => {
    const server = await startServer({ target: { dataDir }, resourcesDir, port: 0 });
    await server.sync.createEnrollmentCode('Front desk PC');
    await server.close();

    const made = cairn(['server', 'backup', '--data-dir', dataDir, '--out', file]);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ file });
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const bytes = readFileSync(file);
    const nl = bytes.indexOf(0x0a);
    const manifest = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 'cairn-backup', version: 1, kind: 'clinic-server', cipher: 'aes-256-gcm', keyHeader: { kdf: 'scrypt' } });
    expect(JSON.stringify(manifest)).not.toContain(CLI_ENV.CAIRN_PASSPHRASE);
    // The payload is ciphertext: not the gzip PGlite made, nothing of the data readable.
    const payload = bytes.subarray(nl + 1);
    expect(() => gunzipSync(payload)).toThrow();
    expect(payload.includes(Buffer.from('PG_VERSION'))).toBe(false);
    // With the passphrase it is the data directory's tar.
    expect(gunzipSync((await openServerBackup(file, CLI_ENV.CAIRN_PASSPHRASE)).tar).includes(Buffer.from('PG_VERSION'))).toBe(true);

    const restored = join(t.dir, 'restored');
    const r = cairn(['server', 'restore', '--backup', file, '--data-dir', restored]);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ dataDir: restored, devices: 0 });
    expect((statSync(restored).mode & 0o777).toString(8)).toBe('700');
    const db = await openServerDb({ dataDir: restored }, resourcesDir);
    expect(await db.query('SELECT name FROM enrollment_codes')).toEqual([{ name: 'Front desk PC' }]);
    await db.close();
    // Three PGlite starts and two CLI processes: slow on a busy machine, so a longer limit than the default.
  }, 300_000);

  it('refuses a wrong passphrase, a damaged file, a device backup, a folder with data and a running server', async () => {
    await expect(openServerBackup(file, 'not the backup passphrase')).rejects.toThrow(`wrong passphrase for backup ${file}: nothing was changed`);
    const damaged = join(t.dir, 'damaged.cairnbak');
    const bytes = readFileSync(file);
    bytes[bytes.length - 10]! ^= 0xff;
    writeFileSync(damaged, bytes);
    await expect(openServerBackup(damaged, CLI_ENV.CAIRN_PASSPHRASE)).rejects.toThrow(/is damaged: .* checksum does not match/);
    const device = join(t.dir, 'device.cairnbak');
    writeFileSync(device, '{"format":"cairn-backup","version":1,"deviceId":"d","schemaMigrations":3}\nxx');
    await expect(openServerBackup(device, CLI_ENV.CAIRN_PASSPHRASE)).rejects.toThrow(
      'is a device backup, not a clinic server backup: restore it with cairn restore',
    );
    await expect(restoreServer({ backup: file, dataDir, passphrase: CLI_ENV.CAIRN_PASSPHRASE })).rejects.toThrow(`${dataDir} already holds data`);
    await expect(backupServer({ dataDir, out: file, passphrase: CLI_ENV.CAIRN_PASSPHRASE, kdf: TEST_KDF })).rejects.toThrow(`refusing to overwrite ${file}`);
    writeRunningInfo(dataDir, { pid: process.pid, url: 'http://127.0.0.1:1', adminToken: 'x' });
    await expect(backupServer({ dataDir, out: join(t.dir, 'other.cairnbak'), passphrase: CLI_ENV.CAIRN_PASSPHRASE, kdf: TEST_KDF })).rejects.toThrow(
      /a clinic server is running on .*: stop it, then back it up/,
    );
    clearRunningInfo(dataDir);
  });
});
