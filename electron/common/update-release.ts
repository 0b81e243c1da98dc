import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { JSON_SCHEMA, load } from 'js-yaml';
import semver from 'semver';
import { z } from 'zod';

/**
 * electron-builder's update metadata (`latest.yml`, `latest-mac.yml`, `latest-linux.yml`,
 * `latest-linux-arm64.yml`), as electron-updater's generic provider reads it: the version, and each
 * file with its base64 SHA-512 and size. Used by the clinic server's publisher and by the desktop
 * app's own check, so both refuse the same things.
 */

/** The metadata file names electron-updater asks a generic feed for (Windows has no suffix, for historical reasons). */
export const FEED_FILE = /^latest(?:-mac|-linux(?:-[a-z0-9]+)?)?\.yml$/;

/**
 * A name the feed may serve: one path segment, no leading dot, no `..`, nothing a file system or a
 * URL reads specially. electron-builder writes artifact names like `Cairn-Setup-1.2.3.exe` and
 * `cairn_1.2.3_amd64.deb`.
 */
export function isFeedName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9 ._+~@-]{0,199}$/.test(name) && !name.includes('..');
}

/** Which metadata file this platform's electron-updater reads (see electron-updater's Provider.getChannelFilePrefix). */
export function feedFileFor(platform: string, arch: string): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return arch === 'x64' ? 'latest-linux.yml' : `latest-linux-${arch}.yml`;
}

const SHA512_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

const feedFile = z
  .object({
    url: z.string().refine(isFeedName, 'must be a plain file name served beside the metadata (no folders, no other server)'),
    sha512: z.string().regex(SHA512_BASE64, 'must be a base64 SHA-512 as electron-builder writes it'),
    size: z.number().int().nonnegative(),
    blockMapSize: z.number().int().nonnegative().optional(),
  })
  .passthrough();

export const updateInfoSchema = z
  .object({
    version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version such as 1.4.0'),
    files: z.array(feedFile).min(1, 'lists no file'),
    path: z.string().optional(),
    sha512: z.string().optional(),
    releaseDate: z.string().optional(),
  })
  .passthrough()
  .superRefine((info, ctx) => {
    // The legacy top-level path/sha512 (older electron-updaters read them) must name a listed file.
    if (info.path === undefined) return;
    const f = info.files.find((x) => x.url === info.path);
    if (!f) ctx.addIssue({ code: 'custom', path: ['path'], message: `names ${info.path}, which files does not list` });
    else if (info.sha512 !== undefined && info.sha512 !== f.sha512) ctx.addIssue({ code: 'custom', path: ['sha512'], message: `differs from ${f.url}'s` });
  });

export type UpdateInfo = z.infer<typeof updateInfoSchema>;
export type UpdateFile = UpdateInfo['files'][number];

/** Reads one metadata file; the error names the file and what is wrong with it. */
export function parseUpdateInfo(text: string, name: string): { ok: true; info: UpdateInfo } | { ok: false; message: string } {
  let raw: unknown;
  try {
    // JSON_SCHEMA: no YAML timestamps or other tags, so releaseDate stays a string and nothing else is built.
    raw = load(text, { schema: JSON_SCHEMA, filename: name });
  } catch (e) {
    return { ok: false, message: `${name} is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  const parsed = updateInfoSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'file'} ${i.message}`)
      .join('; ');
    return { ok: false, message: `${name} is not electron-builder update metadata: ${issues}` };
  }
  return { ok: true, info: parsed.data };
}

/** -1, 0 or 1 as version a is older than, the same as, or newer than b (semantic versioning, pre-releases older). */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return semver.compare(a, b);
}

/** SHA-512 (base64, as electron-builder writes it) and size of a file, read as a stream (installers are large). */
export function hashFile(path: string): Promise<{ sha512: string; size: number }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha512');
    let size = 0;
    createReadStream(path)
      .on('data', (c) => {
        const b = c as Buffer;
        size += b.length;
        h.update(b);
      })
      .on('error', reject)
      .on('end', () => resolve({ sha512: h.digest('base64'), size }));
  });
}

/**
 * The clinic's update publishing key (an Ed25519 public key, PEM). Refuses another kind of key, so a
 * key that verifies nothing useful is never configured by mistake.
 */
export function publishingKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`${source} is not a PEM public key (make one with: openssl pkey -in publish.key -pubout -out publish.pub)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source} is a ${String(key.asymmetricKeyType)} key; the update publishing key must be Ed25519`);
  return key;
}

/**
 * Checks a detached Ed25519 signature over a metadata file's exact bytes (openssl pkeyutl -sign
 * -rawin). The signature file may hold the 64 raw bytes or their base64.
 */
export function signatureVerifies(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  const text = signature.toString('latin1').trim();
  const raw = signature.length === 64 ? signature : /^[A-Za-z0-9+/]{86}==$/.test(text) ? Buffer.from(text, 'base64') : null;
  if (!raw) return false;
  try {
    return verify(null, data, key, raw);
  } catch {
    return false;
  }
}
