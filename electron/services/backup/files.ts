import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';

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

export { fsyncDir } from '../db/key-header';

/**
 * Copies `length` bytes of `from` starting at `offset` (to the end when null) into `to` after
 * `prefix`, hashing the copied bytes (not the prefix) with SHA-256 on the way, then fsyncs `to`.
 * With no `to` it only hashes. `to` is created with mode 0600: it holds encrypted charts.
 */
export async function copyHashed(opts: {
  from: string;
  offset?: number;
  to?: string;
  prefix?: Buffer;
}): Promise<{ bytes: number; sha256: string }> {
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
