import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Makes directory entries (a rename, a new file) durable; a no-op where directories cannot be opened (Windows). */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    closeSync(fd);
  }
}
