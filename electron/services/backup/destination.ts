import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';

function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied for ${whoAmI()}`;
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case undefined:
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

function whoAmI(): string {
  try {
    return `the user ${userInfo().username}`;
  } catch {
    return 'this user';
  }
}

/**
 * Checks that backups can be written into `dir`, an external or network folder that must exist
 * already: a missing folder usually means a share that is not mounted or a drive not plugged in,
 * and creating it would put the backups on the local disk instead. Writes, fsyncs and removes a
 * small probe file. Throws `invalid_input` with one sentence a person can act on.
 */
export function checkWritableFolder(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CairnFailure('invalid_input', `the backup folder ${dir} does not exist: mount the network share or plug in the drive, or create the folder`);
    throw new CairnFailure('invalid_input', `the backup folder ${dir} cannot be read (${why(e)})`);
  }
  if (!st.isDirectory()) throw new CairnFailure('invalid_input', `the backup folder ${dir} is a file, not a folder: give a folder`);
  const probe = join(dir, `.cairn-write-test-${randomBytes(6).toString('hex')}`);
  let fd: number | null = null;
  try {
    fd = openSync(probe, 'wx', 0o600);
    writeSync(fd, 'cairn\n');
    fsyncSync(fd);
  } catch (e) {
    throw new CairnFailure(
      'invalid_input',
      `the backup folder ${dir} is not writable (${why(e)}): give ${whoAmI().replace(/^the /, '')} write access, or choose another folder`,
    );
  } finally {
    if (fd !== null) closeSync(fd);
    rmSync(probe, { force: true });
  }
}
