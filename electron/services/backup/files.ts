import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';

const CHUNK = 4 * 2 ** 20;

/** Flushes a file's data to the disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export { fsyncDir } from '../../common/fsync-dir';

/**
 * Creates a folder and its missing parents, one level at a time, and says which one could not be
 * made and why. Important: not `mkdirSync(dir, { recursive: true })`, which Node 20 retries
 * forever at 100 % CPU where a parent cannot hold folders (`/proc/nope/x`).
 */
export function ensureDir(dir: string, what: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  if (existsSync(at) && !statSync(at).isDirectory()) throw new CairnFailure('invalid_input', `cannot write ${what}: ${at} is a file, not a folder`);
  for (const d of missing) {
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(d).isDirectory()) continue;
      const why =
        code === 'ENOENT'
          ? 'this location cannot hold folders'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'EROFS'
              ? 'read-only file system'
              : (code ?? 'error');
      throw new CairnFailure('invalid_input', `cannot write ${what}: the folder ${d} cannot be created (${why})`);
    }
  }
}

/**
 * Copies `length` bytes of `from` starting at `offset` (to the end when null) into `to` after
 * `prefix`, hashing the copied bytes (not the prefix) with SHA-256 on the way, then fsyncs `to`.
 * With no `to` it only hashes. `to` is created with mode 0600: it holds encrypted charts.
 */
export async function copyHashed(opts: { from: string; offset?: number; to?: string; prefix?: Buffer }): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const src = await open(opts.from, 'r');
  const dst = opts.to === undefined ? null : await open(opts.to, 'wx', 0o600);
  try {
    if (dst && opts.prefix) await dst.write(opts.prefix);
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = opts.offset ?? 0;
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await src.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      if (dst) await dst.write(chunk);
      pos += bytesRead;
      bytes += bytesRead;
    }
    if (dst) await dst.sync();
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await src.close();
    await dst?.close();
  }
}
