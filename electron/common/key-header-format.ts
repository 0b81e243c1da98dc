import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CairnFailure } from '../../shared/api/result';

/**
 * The key header: a small JSON file beside the database holding the KDF salt and parameters,
 * and a check value (HMAC of a constant under the key) so a wrong passphrase is refused before
 * the database file is even opened. The key itself is never written anywhere.
 */
const header = z.object({
  format: z.literal('cairn-key-header'),
  version: z.literal(1),
  kdf: z.literal('scrypt'),
  // Bounded so a tampered header cannot make unlock allocate gigabytes.
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().min(16),
  check: z.string().min(16),
  cipher: z.literal('sqlcipher'),
  legacy: z.literal(4),
  /**
   * The audit chain's head, anchored outside the database file (see writeAuditAnchor). Important:
   * checked only where it is used (readAuditAnchor), so a damaged anchor never stops an unlock.
   */
  audit: z.unknown().optional(),
});
export type KeyHeader = z.infer<typeof header>;

/** scrypt N=2^17, r=8, p=1 (OWASP's recommendation): about 0.6 s and 128 MiB here, on purpose. */
export const DEFAULT_KDF = { N: 2 ** 17, r: 8, p: 1 } as const;
const CHECK_LABEL = 'cairn key check v1';

function deriveRaw(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes plus slack.
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }, (e, key) =>
      e ? reject(e) : resolve(key),
    );
  });
}

function checkValue(key: Buffer): Buffer {
  return createHmac('sha256', key).update(CHECK_LABEL).digest();
}

/** Makes a new header for a new database and returns it with the derived key. */
export async function createKeyHeader(
  passphrase: string,
  params: { N: number; r: number; p: number } = DEFAULT_KDF,
): Promise<{ header: KeyHeader; key: Buffer }> {
  const salt = randomBytes(32);
  const key = await deriveRaw(passphrase, salt, params);
  return {
    key,
    header: {
      format: 'cairn-key-header',
      version: 1,
      kdf: 'scrypt',
      ...params,
      salt: salt.toString('base64'),
      check: checkValue(key).toString('base64'),
      cipher: 'sqlcipher',
      legacy: 4,
    },
  };
}

/** A header's fields checked, or null when `json` is not a header of a known version. */
export function parseKeyHeader(json: unknown): KeyHeader | null {
  const parsed = header.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Whether `key` is the key this header describes (its check value), without the passphrase. */
export function headerFitsKey(h: KeyHeader, key: Buffer): boolean {
  const expected = Buffer.from(h.check, 'base64');
  const actual = checkValue(key);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Derives the key and proves it against the header's check value; a wrong passphrase throws `wrong_passphrase`. */
export async function deriveKey(passphrase: string, h: KeyHeader): Promise<Buffer> {
  const key = await deriveRaw(passphrase, Buffer.from(h.salt, 'base64'), h);
  const expected = Buffer.from(h.check, 'base64');
  const actual = checkValue(key);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    key.fill(0);
    throw new CairnFailure('wrong_passphrase', 'wrong passphrase: the database was not opened and nothing was changed');
  }
  return key;
}
