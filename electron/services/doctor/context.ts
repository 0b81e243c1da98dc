import type Database from 'better-sqlite3';
import type { CheckResult, CheckStatus } from '../../../shared/domain/doctor';
import type { ReadCopy } from '../backup/verify';
import type { VolumeProbeOptions } from './encrypted-volume';
import type { ServerAnswer } from './server-probe';

export type { CheckResult, CheckStatus } from '../../../shared/domain/doctor';

/** What a check says: its status and one sentence of what was found and what to do. */
export type Outcome = Omit<CheckResult, 'id' | 'title'>;

/** The device database, open with its key (read only by the checks). */
export interface DeviceAccess {
  dbFile: string;
  sqlite: Database.Database;
  resourcesDir: string;
  /** Reads a backup's database with this database's key; the key itself stays out of the checks. */
  readBackupCopy: ReadCopy;
  /** What the app's sync loop last saw (only in the app; the command line reads what the database records). */
  liveSync?: { lastSyncedAt: string | null } | undefined;
}

/** A lab interface's own database (the clinic server's `lab-interface.cairn`), open, or why it could not be. */
export type LabAccess = { label: string; sqlite: Database.Database } | { label: string; problem: Outcome };

/** Thresholds; the defaults are in DEFAULT_LIMITS and the README. */
export interface DoctorLimits {
  /** Fail below this much free space (or below twice the database's size, whichever is more). */
  failFreeBytes: number;
  warnFreeBytes: number;
  /** Changes waiting to reach the server longer than this: warn, then fail. */
  lagWarnMs: number;
  lagFailMs: number;
  /** Clock difference with the server: warn, then fail (the server refuses changes from a clock 5 minutes ahead). */
  skewWarnMs: number;
  skewFailMs: number;
  /** Warn this many days before a certificate expires. */
  certWarnDays: number;
  /** Warn when the lab interface's last message is older than this. */
  labWarnMs: number;
}

const HOUR = 3_600_000;
const GIB = 2 ** 30;

export const DEFAULT_LIMITS: DoctorLimits = {
  failFreeBytes: 1 * GIB,
  warnFreeBytes: 5 * GIB,
  lagWarnMs: 1 * HOUR,
  lagFailMs: 24 * HOUR,
  skewWarnMs: 60_000,
  // MAX_CLOCK_AHEAD_MS in shared/sync/hlc.ts: past it the clinic server refuses this device's changes.
  skewFailMs: 5 * 60_000,
  certWarnDays: 30,
  labWarnMs: 7 * 24 * HOUR,
};

/** Everything the checks look at. A check whose target is absent is left out of the report. */
export interface DoctorContext {
  /** The clinic server's data directory (`cairn server --data-dir`). */
  dataDir?: string | undefined;
  /** A device database file. */
  db?: string | undefined;
  device?: DeviceAccess | undefined;
  /** Why the device database could not be opened (no or wrong passphrase): reported once, by the integrity check. */
  deviceProblem?: Outcome | undefined;
  /** The clinic server's answer (asked once, with a short timeout); null when there is no server to ask. */
  serverAnswer: () => Promise<ServerAnswer | null>;
  /** Why there is no server to ask although there should be one (a data directory with no server running). */
  serverProblem?: Outcome | undefined;
  /** Certificate files to check (the server's, the MLLP listener's, the clinic CA a device trusts). */
  certFiles: string[];
  /** More folders to look for this database's backups in. */
  backupDirs: string[];
  lab?: LabAccess | undefined;
  now: () => Date;
  probe?: VolumeProbeOptions | undefined;
  limits: DoctorLimits;
}

/** One check: what it is called, and how it judges the context (null: it does not apply here). */
export interface DoctorCheck {
  id: string;
  title: string;
  run(ctx: DoctorContext): Outcome | null | Promise<Outcome | null>;
}

export const pass = (message: string): Outcome => ({ status: 'pass', message });
export const warn = (message: string): Outcome => ({ status: 'warn', message });
export const fail = (message: string): Outcome => ({ status: 'fail', message });
export const unknown = (message: string): Outcome => ({ status: 'unknown', message });

/** The worst of several statuses (fail > warn > unknown > pass). */
export function worst(statuses: CheckStatus[]): CheckStatus {
  const rank: Record<CheckStatus, number> = { pass: 0, unknown: 1, warn: 2, fail: 3 };
  return statuses.reduce<CheckStatus>((a, b) => (rank[b] > rank[a] ? b : a), 'pass');
}

/** "3 h", "2 days", "45 s": how long ago, for a sentence. */
export function ago(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
