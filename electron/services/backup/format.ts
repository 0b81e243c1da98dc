import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { z } from 'zod';
import { CairnFailure, type ErrorCode } from '../../../shared/api/result';
import { parseKeyHeader, type KeyHeader } from '../../common/key-header-format';
import { copyHashed } from './files';

/**
 * A Cairn backup is one file: a single JSON manifest line, then the encrypted SQLite database
 * (the payload, exactly as `VACUUM INTO` wrote it under the database's own key).
 *
 *   {"format":"cairn-backup","version":1,"createdAt":…,"deviceId":…,"payloadBytes":…,"payloadSha256":…,"keyHeader":{…}}\n
 *   <payloadBytes bytes of SQLCipher pages>
 *
 * `head -1 FILE` shows what a backup is without the passphrase. The manifest carries the key
 * header (salt, scrypt parameters, check value: no key) so the backup opens with the passphrase
 * the clinic used when it was made, and the database's device id, so a restore can recognise a
 * backup of another database. The SHA-256 covers the payload; every page also carries
 * SQLCipher's HMAC, which a restore checks by reading every page.
 */
const manifestSchema = z.object({
  format: z.literal('cairn-backup'),
  version: z.literal(1),
  createdAt: z.string().min(1),
  deviceId: z.string().min(1),
  schemaMigrations: z.number().int().min(0),
  payloadBytes: z.number().int().min(1),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyHeader: z.unknown(),
});
export type BackupManifest = Omit<z.infer<typeof manifestSchema>, 'keyHeader'> & { keyHeader: KeyHeader };

/** Why a backup, restore or rekey said no. The message is one line for a person. */
export type RefusalReason = 'not_a_backup' | 'damaged' | 'wrong_passphrase' | 'foreign' | 'unconfirmed' | 'newer_schema' | 'in_use' | 'exists';

const CODES: Record<RefusalReason, ErrorCode> = {
  not_a_backup: 'invalid_input',
  damaged: 'database_error',
  wrong_passphrase: 'wrong_passphrase',
  foreign: 'conflict',
  unconfirmed: 'conflict',
  newer_schema: 'conflict',
  in_use: 'conflict',
  exists: 'conflict',
};

export class BackupRefusal extends CairnFailure {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(CODES[reason], message);
    this.name = 'BackupRefusal';
  }
}

/** The longest manifest line accepted (a real one is under 1 KiB). */
const MAX_MANIFEST = 64 * 1024;

export function manifestLine(m: BackupManifest): Buffer {
  return Buffer.from(JSON.stringify(m) + '\n', 'utf8');
}

/** Reads and checks the manifest line; `payloadOffset` is where the database bytes start. */
export function readBackupManifest(file: string): { manifest: BackupManifest; payloadOffset: number } {
  if (!existsSync(file)) throw new BackupRefusal('not_a_backup', `no such backup file: ${file}`);
  const buf = Buffer.alloc(Math.min(MAX_MANIFEST, statSync(file).size));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const end = buf.indexOf(0x0a);
  if (!buf.subarray(0, 32).toString('latin1').startsWith('{"format":"cairn-backup"') || end < 0) {
    throw new BackupRefusal('not_a_backup', `${file} is not a Cairn backup`);
  }
  let json: unknown;
  try {
    json = JSON.parse(buf.subarray(0, end).toString('utf8'));
  } catch {
    throw new BackupRefusal('damaged', `backup ${file} is damaged: its manifest line is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  const keyHeader = parsed.success ? parseKeyHeader(parsed.data.keyHeader) : null;
  if (!parsed.success || !keyHeader) throw new BackupRefusal('damaged', `backup ${file} is damaged or of an unknown version: its manifest does not check`);
  return { manifest: { ...parsed.data, keyHeader }, payloadOffset: end + 1 };
}

/** Throws `damaged` unless the payload has the size and SHA-256 its manifest records. */
export function checkPayload(file: string, manifest: BackupManifest, got: { bytes: number; sha256: string }): void {
  if (got.bytes !== manifest.payloadBytes) {
    throw new BackupRefusal(
      'damaged',
      `backup ${file} is damaged: ${got.bytes} bytes of database where its manifest records ${manifest.payloadBytes} (truncated or appended to)`,
    );
  }
  if (got.sha256 !== manifest.payloadSha256) {
    throw new BackupRefusal(
      'damaged',
      `backup ${file} is damaged: its checksum does not match (SHA-256 ${got.sha256.slice(0, 12)}…, expected ${manifest.payloadSha256.slice(0, 12)}…)`,
    );
  }
}

/** Checks a backup's manifest and checksum without the passphrase; returns the manifest or throws. */
export async function verifyBackupChecksum(file: string): Promise<BackupManifest> {
  const { manifest, payloadOffset } = readBackupManifest(file);
  checkPayload(file, manifest, await copyHashed({ from: file, offset: payloadOffset }));
  return manifest;
}
