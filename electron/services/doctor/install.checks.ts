import { existsSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, pass, unknown, warn, type DoctorCheck, type DoctorContext, type Outcome } from './context';
import { volumeEncryption } from './encrypted-volume';

const ENCRYPT_ADVICE = 'put it on an encrypted volume (LUKS/dm-crypt, FileVault or BitLocker; see the README, "What the installer provides")';

/** Group/other bits of a path as octal, or null when owner-only (always null where modes do not exist). */
function openMode(path: string): string | null {
  if (process.platform === 'win32') return null;
  const m = statSync(path).mode & 0o777;
  return (m & 0o077) === 0 ? null : m.toString(8);
}

const GIB = 2 ** 30;
const gib = (n: number): string => `${(n / GIB).toFixed(1)} GiB`;

/** Free space where `dir` lives, judged against the limits and (for a database) twice its size: a backup and the WAL need room. */
function freeSpace(dir: string, ctx: DoctorContext, dbBytes: number): Outcome {
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const total = fs.blocks * fs.bsize;
  const failBelow = Math.max(ctx.limits.failFreeBytes, 2 * dbBytes);
  const warnBelow = Math.max(ctx.limits.warnFreeBytes, 4 * dbBytes);
  const where = `${gib(free)} free of ${gib(total)} at ${dir}`;
  if (free < failBelow)
    return fail(`${where}, less than the ${gib(failBelow)} Cairn needs to keep writing and taking backups: free space or move the data now`);
  if (free < warnBelow) return warn(`${where}, less than ${gib(warnBelow)}: free some space soon`);
  return pass(where);
}

/** How the files are installed: owner-only modes, an encrypted volume, room on the disk. */
export const INSTALL_CHECKS: readonly DoctorCheck[] = [
  {
    id: 'server.data_dir.modes',
    title: 'Clinic server data directory is owner-only',
    run({ dataDir: dir }: DoctorContext): Outcome | null {
      if (!dir) return null;
      if (!existsSync(dir)) return fail(`${dir} does not exist: check the --data-dir path`);
      const open = openMode(dir);
      if (open) return fail(`${dir} has mode ${open}: other users can read the clinic's records; run "chmod -R go-rwx ${dir}"`);
      return pass(`${dir} is 700 (the server keeps the files in it 600)`);
    },
  },
  {
    id: 'server.data_dir.encrypted_volume',
    title: 'Clinic server data directory is on an encrypted volume',
    run({ dataDir: dir, probe }: DoctorContext): Outcome | null {
      if (!dir) return null;
      const v = volumeEncryption(dir, probe);
      if (v.state === 'encrypted') return pass(v.detail);
      // Important: PGlite keeps names, phones and password hashes in clear in these files.
      if (v.state === 'not_encrypted') return fail(`${v.detail}. The server's database files are not encrypted by Cairn: ${ENCRYPT_ADVICE}`);
      return unknown(`${v.detail}. Make sure it is encrypted: ${ENCRYPT_ADVICE}`);
    },
  },
  {
    id: 'server.data_dir.free_space',
    title: 'Clinic server data directory has free space',
    run(ctx: DoctorContext): Outcome | null {
      if (!ctx.dataDir || !existsSync(ctx.dataDir)) return null;
      return freeSpace(ctx.dataDir, ctx, 0);
    },
  },
  {
    id: 'device.database.modes',
    title: 'Device database files are owner-only',
    run({ db }: DoctorContext): Outcome | null {
      if (!db) return null;
      if (!existsSync(db)) return fail(`no such database file: ${db}`);
      const open = [db, `${db}-wal`, `${db}-shm`, `${db}.key.json`]
        .filter(existsSync)
        .map((f) => [f, openMode(f)] as const)
        .filter(([, m]) => m !== null);
      if (open.length > 0)
        return fail(`${open.map(([f, m]) => `${f} is ${m}`).join(', ')}: run "chmod 600 ${db}*" (Cairn also does it when it opens the database)`);
      return pass(`${db}, its -wal/-shm and key header are 600`);
    },
  },
  {
    id: 'device.database.encrypted_volume',
    title: 'Device database is on an encrypted volume',
    run({ db, probe }: DoctorContext): Outcome | null {
      if (!db) return null;
      const v = volumeEncryption(db, probe);
      if (v.state === 'encrypted') return pass(v.detail);
      // The database itself is SQLCipher-encrypted; the volume adds the rest (exports, printed PDFs, swap).
      if (v.state === 'not_encrypted')
        return warn(`${v.detail}. The database is encrypted by Cairn itself; for exports, PDFs and swap, full-disk encryption is still advised`);
      return unknown(`${v.detail}. The database is encrypted by Cairn itself; full-disk encryption is still advised`);
    },
  },
  {
    id: 'device.database.free_space',
    title: 'Device database folder has free space',
    run(ctx: DoctorContext): Outcome | null {
      if (!ctx.db || !existsSync(ctx.db)) return null;
      return freeSpace(dirname(ctx.db), ctx, statSync(ctx.db).size);
    },
  },
];
