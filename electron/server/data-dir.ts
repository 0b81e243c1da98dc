import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** Thrown when the data directory is open to other users; the message says the command that fixes it. */
export class DataDirRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirRefusal';
  }
}

const posix = process.platform !== 'win32';

/**
 * Everything this process creates from now on is owner-only (0700 folders, 0600 files), whatever
 * umask it was started with: PGlite writes the clinic's data (names, phones, password hashes, in
 * clear) into many files of its own making. Worker threads cannot change the umask; the server's
 * main thread does it.
 */
export function ownerOnlyUmask(): void {
  if (posix && isMainThread) process.umask(0o077);
}

/** The mode bits that give group or others any access, as an octal string ("755"), or null when there are none. */
function openBits(mode: number): string | null {
  return (mode & 0o077) === 0 ? null : (mode & 0o777).toString(8);
}

/** Takes group and other bits off every file and folder under `dir` (what an older version or a wide umask left). */
function restrictTree(dir: string): number {
  let fixed = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) fixed += restrictTree(path);
    if ((st.mode & 0o077) !== 0) {
      chmodSync(path, st.mode & 0o700);
      fixed++;
    }
  }
  return fixed;
}

/**
 * Prepares the clinic server's data directory: created 0700 when missing; refused when it exists and
 * other users can read, write or enter it (or it belongs to another user), with the command that
 * fixes it; then every file already in it is made owner-only. Called before the database opens.
 */
export function secureDataDir(dir: string): void {
  ownerOnlyUmask();
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (posix) chmodSync(dir, 0o700);
    return;
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new DataDirRefusal(`the clinic server's data directory ${dir} is not a directory`);
  if (!posix) return;
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && st.uid !== uid) {
    throw new DataDirRefusal(
      `the clinic server's data directory ${dir} belongs to another user (uid ${st.uid}): run the server as that user, or give it to this one (chown -R ${uid} ${dir})`,
    );
  }
  const open = openBits(st.mode);
  if (open) {
    throw new DataDirRefusal(
      `the clinic server's data directory ${dir} can be read or changed by other users (mode ${open}); it holds the clinic's records: run "chmod -R go-rwx ${dir}" as the user the server runs as, then start it again`,
    );
  }
  restrictTree(dir);
}

/** How often a running server takes group/other bits off new files in its data directory. */
export const SWEEP_INTERVAL_MS = 60_000;

/**
 * Keeps the data directory's files owner-only while the server runs. Important: PGlite (Emscripten's
 * file system) gives every file it creates mode 0666 whatever the umask, so the umask alone is not
 * enough. The 0700 directory keeps other users out in between; this sweeps now, every minute and at stop.
 */
export function keepOwnerOnly(dir: string, intervalMs = SWEEP_INTERVAL_MS): { stop(): void } {
  if (!posix) return { stop: () => undefined };
  const sweep = (): void => {
    try {
      restrictTree(dir);
    } catch {
      // A file PGlite removed while we walked; the next sweep sees the rest.
    }
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sweep();
    },
  };
}

/** What `cairn doctor` reports of a folder's modes: the folder's own and how many entries under it others can reach. */
export function dataDirModes(dir: string): { mode: string; ownerOnly: boolean; openEntries: string[] } {
  const st = statSync(dir);
  const openEntries: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const s = lstatSync(path);
      if (s.isSymbolicLink()) continue;
      if (openBits(s.mode)) openEntries.push(path);
      if (s.isDirectory()) walk(path);
    }
  };
  if (posix) walk(dir);
  return { mode: (st.mode & 0o777).toString(8).padStart(3, '0'), ownerOnly: !posix || openBits(st.mode) === null, openEntries };
}
