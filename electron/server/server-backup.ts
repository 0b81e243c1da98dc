import { PGlite } from '@electric-sql/pglite';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fsyncDir } from '../common/fsync-dir';
import { createKeyHeader, deriveKey, parseKeyHeader, type KeyHeader } from '../common/key-header-format';
import { keepOwnerOnly, secureDataDir } from './data-dir';
import { runningInfo } from './server-info';

/**
 * A clinic server backup: the same file format as a device backup (electron/services/backup/format.ts):
 * one JSON manifest line that `head -1` shows without the passphrase, then the payload.
 *
 *   {"format":"cairn-backup","version":1,"kind":"clinic-server","createdAt":…,"payloadBytes":…,"payloadSha256":…,
 *    "keyHeader":{…salt, scrypt parameters, check value…},"cipher":"aes-256-gcm","iv":…,"tag":…}\n
 *   <payloadBytes bytes: the PGlite data directory as a gzipped tar, AES-256-GCM under the scrypt key>
 *
 * PGlite keeps the clinic's records in clear, so unlike a device backup (already SQLCipher pages) the
 * payload is encrypted here, with a key derived from the backup passphrase the same way a device key is.
 * The SHA-256 covers the encrypted payload (checked without the passphrase); GCM's tag proves every byte
 * with it.
 */
const manifestSchema = z.object({
  format: z.literal('cairn-backup'),
  version: z.literal(1),
  kind: z.literal('clinic-server'),
  createdAt: z.string(),
  payloadBytes: z.number().int().min(1),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyHeader: z.unknown(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string().min(16),
  tag: z.string().min(16),
});
type Manifest = z.infer<typeof manifestSchema> & { keyHeader: KeyHeader };

export class ServerBackupRefusal extends Error {}

function stopFirst(dataDir: string, what: string): void {
  if (runningInfo(dataDir))
    throw new ServerBackupRefusal(`a clinic server is running on ${dataDir}: stop it, then ${what} (PGlite lets one process at a time use its data)`);
}

/** Writes an encrypted backup of DIR to OUT (refused if OUT exists); OUT is complete or absent. */
export async function backupServer(o: {
  dataDir: string;
  out: string;
  passphrase: string;
  kdf?: Pick<KeyHeader, 'N' | 'r' | 'p'>;
  now?: () => Date;
}): Promise<{ file: string; createdAt: string; payloadBytes: number }> {
  if (!existsSync(o.dataDir) || readdirSync(o.dataDir).length === 0) throw new ServerBackupRefusal(`no clinic server data in ${o.dataDir}`);
  if (existsSync(o.out)) throw new ServerBackupRefusal(`refusing to overwrite ${o.out}`);
  stopFirst(o.dataDir, 'back it up');
  secureDataDir(o.dataDir);
  const lite = new PGlite(o.dataDir);
  const guard = keepOwnerOnly(o.dataDir);
  let tar: Buffer;
  try {
    await lite.waitReady;
    tar = Buffer.from(await (await lite.dumpDataDir('gzip')).arrayBuffer());
  } finally {
    await lite.close();
    guard.stop();
  }
  const { header, key } = await createKeyHeader(o.passphrase, o.kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const payload = Buffer.concat([cipher.update(tar), cipher.final()]);
  key.fill(0);
  const manifest: Manifest = {
    format: 'cairn-backup',
    version: 1,
    kind: 'clinic-server',
    createdAt: (o.now?.() ?? new Date()).toISOString(),
    payloadBytes: payload.length,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
    keyHeader: header,
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
  const tmp = `${o.out}.tmp`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(manifest) + '\n');
    writeSync(fd, payload);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, o.out);
  fsyncDir(dirname(o.out));
  return { file: o.out, createdAt: manifest.createdAt, payloadBytes: payload.length };
}

/** Reads and checks a server backup: manifest, checksum, then (with the passphrase) the decrypted tar. */
export async function openServerBackup(file: string, passphrase: string): Promise<{ manifest: Manifest; tar: Buffer }> {
  if (!existsSync(file)) throw new ServerBackupRefusal(`no such backup file: ${file}`);
  const bytes = readFileSync(file);
  const end = bytes.indexOf(0x0a);
  let json: unknown = null;
  try {
    json = end > 0 ? JSON.parse(bytes.subarray(0, end).toString('utf8')) : null;
  } catch {
    json = null;
  }
  const parsed = manifestSchema.safeParse(json);
  const keyHeader = parsed.success ? parseKeyHeader(parsed.data.keyHeader) : null;
  if (!parsed.success || !keyHeader) {
    const device = (json as { format?: string; kind?: string } | null)?.format === 'cairn-backup';
    throw new ServerBackupRefusal(
      device ? `${file} is a device backup, not a clinic server backup: restore it with cairn restore` : `${file} is not a clinic server backup`,
    );
  }
  const manifest = { ...parsed.data, keyHeader };
  const payload = bytes.subarray(end + 1);
  if (payload.length !== manifest.payloadBytes || createHash('sha256').update(payload).digest('hex') !== manifest.payloadSha256) {
    throw new ServerBackupRefusal(`backup ${file} is damaged: ${payload.length} bytes whose checksum does not match its manifest (truncated or changed)`);
  }
  const key = await deriveKey(passphrase, keyHeader).catch(() => {
    throw new ServerBackupRefusal(`wrong passphrase for backup ${file}: nothing was changed`);
  });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(manifest.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(manifest.tag, 'base64'));
    return { manifest, tar: Buffer.concat([decipher.update(payload), decipher.final()]) };
  } catch {
    throw new ServerBackupRefusal(`backup ${file} is damaged: it does not decrypt whole`);
  } finally {
    key.fill(0);
  }
}

/** Restores a server backup into DIR, which must not hold data yet; the database is opened and read before it counts. */
export async function restoreServer(o: {
  backup: string;
  dataDir: string;
  passphrase: string;
}): Promise<{ dataDir: string; createdAt: string; devices: number }> {
  if (existsSync(o.dataDir) && readdirSync(o.dataDir).length > 0)
    throw new ServerBackupRefusal(`${o.dataDir} already holds data: restore into a new folder (or move it away first)`);
  const { manifest, tar } = await openServerBackup(o.backup, o.passphrase);
  secureDataDir(o.dataDir);
  const guard = keepOwnerOnly(o.dataDir);
  const lite = new PGlite(o.dataDir, { loadDataDir: new Blob([new Uint8Array(tar)]) });
  let devices: number;
  try {
    await lite.waitReady;
    devices = Number((await lite.query<{ n: number }>('SELECT count(*)::int AS n FROM devices')).rows[0]?.n ?? 0);
  } catch (e) {
    await lite.close().catch(() => undefined);
    guard.stop();
    rmSync(o.dataDir, { recursive: true, force: true });
    throw new ServerBackupRefusal(
      `backup ${o.backup} did not restore to a working clinic server database (${e instanceof Error ? e.message : String(e)}); nothing was kept`,
    );
  }
  await lite.close();
  guard.stop();
  return { dataDir: o.dataDir, createdAt: manifest.createdAt, devices };
}
