/** One backup file and when it was taken (epoch ms, from its name). */
export interface BackupEntry {
  file: string;
  at: number;
}

/** How many backups to keep: the `keep` most recent, and the newest of each of the last `keepWeekly` weeks. */
export interface Retention {
  keep: number;
  keepWeekly: number;
}

const DAY = 86_400_000;

/** The Monday 00:00 UTC starting the week that holds `ms`. */
export function weekOf(ms: number): number {
  const d = new Date(ms);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
}

/**
 * The files a retention policy keeps, of `entries` sorted newest first: the `keep` most recent,
 * plus, for each of the `keepWeekly` most recent weeks (Monday to Sunday, UTC) that have a backup,
 * the newest backup of that week. Weeks are counted among the backups there are, as restic's
 * `--keep-weekly` does, so a device that was off for a month does not lose its weekly backups.
 */
export function retained(entries: readonly BackupEntry[], r: Retention): Set<string> {
  const keep = new Set(entries.slice(0, Math.max(1, r.keep)).map((e) => e.file));
  const weeks = new Set<number>();
  for (const e of entries) {
    if (weeks.size >= r.keepWeekly) break;
    const w = weekOf(e.at);
    if (weeks.has(w)) continue;
    weeks.add(w);
    keep.add(e.file);
  }
  return keep;
}
