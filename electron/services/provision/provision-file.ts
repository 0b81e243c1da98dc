import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir } from '../../common/fsync-dir';
import { parseProvisioningFile, withoutCode, type ProvisioningFile } from '../../../shared/domain/provisioning';

export type ReadProvisioning = { ok: true; value: ProvisioningFile; raw: Record<string, unknown> } | { ok: false; problems: string[] };

/** Reads and validates the file; an unreadable file is a problem like any other. */
export function readProvisioningFile(file: string): ReadProvisioning {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, problems: [`it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`] };
  }
  return parseProvisioningFile(text);
}

/**
 * Rewrites the file without its enrollment code, keeping everything else, atomically (a temporary
 * file beside it, flushed, renamed over it), so a crash leaves either the old file or the new one.
 * A file marked read-only (no write permission bits; the Windows read-only attribute) is left as the
 * installer made it, whoever runs Cairn: the caller has recorded the code's use on the device.
 */
export function removeCodeFromFile(file: string, raw: Record<string, unknown>, usedAt: Date): { removed: true } | { removed: false; why: string } {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (e) {
    return { removed: false, why: `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  if ((mode & 0o222) === 0) return { removed: false, why: 'the file is read-only' };
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, JSON.stringify(withoutCode(raw, usedAt), null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    fsyncDir(dirname(file));
    return { removed: true };
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return {
      removed: false,
      why: code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `its folder cannot be written (${code})` : `it could not be rewritten (${code})`,
    };
  }
}
