import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt for passwords; the parameters are stored with each hash so they can be raised later. */
export const PASSWORD_KDF = { N: 2 ** 16, r: 8, p: 1 } as const;

function run(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r }, (e, k) => (e ? reject(e) : resolve(k)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64 salt and hash). */
export async function hashPassword(password: string, params = PASSWORD_KDF): Promise<string> {
  const salt = randomBytes(16);
  const hash = await run(password, salt, params.N, params.r, params.p);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, N, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !N || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await run(password, Buffer.from(salt, 'base64'), Number(N), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
