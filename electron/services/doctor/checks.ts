import { existsSync, statSync } from 'node:fs';
import { volumeEncryption, type VolumeProbeOptions } from './encrypted-volume';

/**
 * `cairn doctor`: a list of small checks of how Cairn is installed. Each says pass, warn, fail or
 * unknown with one line of why and what to do. Add a check by adding an entry to DOCTOR_CHECKS:
 * it names what it needs (a server data directory, a device database) and is skipped without it.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
}

export interface DoctorTargets {
  /** The clinic server's data directory (`cairn server --data-dir`). */
  dataDir?: string;
  /** A device database file. */
  db?: string;
  /** For tests: where /proc and /sys are, the platform, a command runner. */
  probe?: VolumeProbeOptions;
}

/** What a check says: its status and one line. */
export type Outcome = Omit<CheckResult, 'id' | 'title'>;

export interface DoctorCheck {
  id: string;
  title: string;
  needs: keyof Pick<DoctorTargets, 'dataDir' | 'db'>;
  run(target: string, t: DoctorTargets): Outcome;
}

const ENCRYPT_ADVICE = 'put it on an encrypted volume (LUKS/dm-crypt, FileVault or BitLocker; see the README, "What the installer provides")';

/** Group/other bits of a path as octal, or null when owner-only (always null where modes do not exist). */
function openMode(path: string): string | null {
  if (process.platform === 'win32') return null;
  const m = statSync(path).mode & 0o777;
  return (m & 0o077) === 0 ? null : m.toString(8);
}

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  {
    id: 'server.data_dir.modes',
    title: 'Clinic server data directory is owner-only',
    needs: 'dataDir',
    run(dir: string): Outcome {
      if (!existsSync(dir)) return { status: 'fail', message: `${dir} does not exist` };
      const open = openMode(dir);
      if (open) return { status: 'fail', message: `${dir} has mode ${open}: other users can read the clinic's records; run "chmod -R go-rwx ${dir}"` };
      return { status: 'pass', message: `${dir} is 700 (the server keeps the files in it 600)` };
    },
  },
  {
    id: 'server.data_dir.encrypted_volume',
    title: 'Clinic server data directory is on an encrypted volume',
    needs: 'dataDir',
    run(dir: string, t: DoctorTargets): Outcome {
      const v = volumeEncryption(dir, t.probe);
      if (v.state === 'encrypted') return { status: 'pass', message: v.detail };
      // Important: PGlite keeps names, phones and password hashes in clear in these files.
      if (v.state === 'not_encrypted')
        return { status: 'fail', message: `${v.detail}. The server's database files are not encrypted by Cairn: ${ENCRYPT_ADVICE}` };
      return { status: 'unknown', message: `${v.detail}. Make sure it is encrypted: ${ENCRYPT_ADVICE}` };
    },
  },
  {
    id: 'device.database.modes',
    title: 'Device database files are owner-only',
    needs: 'db',
    run(db: string): Outcome {
      if (!existsSync(db)) return { status: 'fail', message: `no such database file: ${db}` };
      const open = [db, `${db}-wal`, `${db}-shm`, `${db}.key.json`]
        .filter(existsSync)
        .map((f) => [f, openMode(f)] as const)
        .filter(([, m]) => m !== null);
      if (open.length > 0)
        return {
          status: 'fail',
          message: `${open.map(([f, m]) => `${f} is ${m}`).join(', ')}: run "chmod 600 ${db}*" (Cairn also does it when it opens the database)`,
        };
      return { status: 'pass', message: `${db}, its -wal/-shm and key header are 600` };
    },
  },
  {
    id: 'device.database.encrypted_volume',
    title: 'Device database is on an encrypted volume',
    needs: 'db',
    run(db: string, t: DoctorTargets): Outcome {
      const v = volumeEncryption(db, t.probe);
      if (v.state === 'encrypted') return { status: 'pass', message: v.detail };
      // The database itself is SQLCipher-encrypted; the volume adds the rest (exports, printed PDFs, swap).
      if (v.state === 'not_encrypted')
        return {
          status: 'warn',
          message: `${v.detail}. The database is encrypted by Cairn itself; for exports, PDFs and swap, full-disk encryption is still advised`,
        };
      return { status: 'unknown', message: `${v.detail}. The database is encrypted by Cairn itself; full-disk encryption is still advised` };
    },
  },
];

/** Runs every check whose target was given, in order. */
export function runDoctor(t: DoctorTargets, checks: readonly DoctorCheck[] = DOCTOR_CHECKS): CheckResult[] {
  const out: CheckResult[] = [];
  for (const c of checks) {
    const target = t[c.needs];
    if (target === undefined) continue;
    let r: Outcome;
    try {
      r = c.run(target, t);
    } catch (e) {
      r = { status: 'unknown', message: `the check itself failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    out.push({ id: c.id, title: c.title, ...r });
  }
  return out;
}
