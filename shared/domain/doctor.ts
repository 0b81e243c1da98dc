import { z } from 'zod';

/**
 * `cairn doctor` and the Health screen: what each check says, and the clinic's backup settings
 * the checks and the scheduled backups follow.
 */

/** pass: nothing to do; warn: look soon; fail: act now (the command exits 1); unknown: Cairn could not tell. */
export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'unknown'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Words for each status: a screen never shows a status by colour alone. */
export const CHECK_STATUS_LABELS: Record<CheckStatus, string> = { pass: 'OK', warn: 'Warning', fail: 'Failed', unknown: 'Cannot tell' };

/** One check's verdict: a stable id for monitoring, a title, and one sentence of what was found and what to do. */
export const checkResult = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(CHECK_STATUSES),
  message: z.string(),
});
export type CheckResult = z.infer<typeof checkResult>;

/** What `cairn doctor --json` prints and `doctor.run` returns; `ok` is false when any check failed. */
export const doctorReport = z.object({
  ok: z.boolean(),
  at: z.string(),
  checks: z.array(checkResult),
});
export type DoctorReport = z.infer<typeof doctorReport>;

/** A report of these checks: ok unless one failed (warnings and unknowns leave it ok). */
export function reportOf(checks: CheckResult[], at: Date): DoctorReport {
  return { ok: !checks.some((c) => c.status === 'fail'), at: at.toISOString(), checks };
}

/** An absolute path on Linux/macOS (`/mnt/nas`), Windows (`D:\Backups`) or a Windows share (`\\nas\cairn`). */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\[^\\]+\\)/;

/**
 * Where and how this device's automatic backups are kept (in the device's `meta`, not synced: each
 * device has its own database and its own backups). Retention keeps the `keep` most recent backups
 * and, besides them, the newest backup of each of the last `keepWeekly` weeks (Monday to Sunday, UTC).
 */
export const backupSettings = z
  .object({
    /** An external or network folder; null: `backups/` beside the database. */
    folder: z.string().trim().max(1024).regex(ABSOLUTE_PATH, { error: 'folder: give a full path (/mnt/backups, D:\\Backups or \\\\server\\share)' }).nullable(),
    keep: z.number({ error: 'keep: a whole number of backups, 1 to 365' }).int().min(1).max(365),
    keepWeekly: z.number({ error: 'weekly backups: a whole number of weeks, 0 to 520' }).int().min(0).max(520),
    /** `cairn doctor` warns when the newest backup that verifies is older than this. */
    warnAfterHours: z.number({ error: 'warn after: a whole number of hours, 1 to 2160' }).int().min(1).max(2160),
  })
  .strict();
export type BackupSettings = z.infer<typeof backupSettings>;

/** A day's backups for two weeks, no weekly ones, and a warning once the newest is a day and a half old. */
export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { folder: null, keep: 14, keepWeekly: 0, warnAfterHours: 36 };
