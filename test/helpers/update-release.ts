import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FakeRelease {
  dir: string;
  version: string;
  feedFile: string;
  /** The name the metadata gives (and the feed serves). */
  url: string;
  /** The file's path in `dir` (electron-builder's spelling, with spaces for the Windows installer). */
  artifact: string;
  bytes: Buffer;
  sha512: string;
}

const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('base64');

/**
 * A release folder as electron-builder writes it (`dist/`): an installer of random bytes, its block
 * map, and the metadata listing it with its base64 SHA-512 and size. Synthetic: nothing in it runs.
 */
export function fakeRelease(dir: string, o: { version: string; platform: 'linux' | 'win'; size?: number }): FakeRelease {
  mkdirSync(dir, { recursive: true });
  const bytes = randomBytes(o.size ?? 3 * 1024 * 1024);
  const onDisk = o.platform === 'win' ? `Cairn Setup ${o.version}.exe` : `Cairn-${o.version}.AppImage`;
  const url = onDisk.replace(/ /g, '-');
  const feedFile = o.platform === 'win' ? 'latest.yml' : 'latest-linux.yml';
  const blockmap = gzipSync(JSON.stringify({ version: '2', files: [{ name: 'file', offset: 0, checksums: [], sizes: [] }] }));
  writeFileSync(join(dir, onDisk), bytes);
  writeFileSync(join(dir, `${onDisk}.blockmap`), blockmap);
  const hash = sha512(bytes);
  writeFileSync(
    join(dir, feedFile),
    [
      `version: ${o.version}`,
      'files:',
      `  - url: ${url}`,
      `    sha512: ${hash}`,
      `    size: ${bytes.length}`,
      `    blockMapSize: ${blockmap.length}`,
      `path: ${url}`,
      `sha512: ${hash}`,
      "releaseDate: '2026-03-01T10:00:00.000Z'",
      '',
    ].join('\n'),
  );
  return { dir, version: o.version, feedFile, url, artifact: join(dir, onDisk), bytes, sha512: hash };
}

/** A detached Ed25519 signature of the metadata, beside it as `<name>.sig` (what `openssl pkeyutl -sign -rawin` writes). */
export function signFeed(r: FakeRelease, key: KeyObject): void {
  writeFileSync(join(r.dir, `${r.feedFile}.sig`), sign(null, readFileSync(join(r.dir, r.feedFile)), key));
}

/** A GET with the path sent exactly as given (fetch would normalise `..` away before sending). */
export function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
