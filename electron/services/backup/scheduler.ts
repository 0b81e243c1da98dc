import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';
import { checkWritableFolder } from './destination';
import { ensureDir } from './files';
import { verifyBackupChecksum } from './format';
import { retained, type BackupEntry } from './retention';

export type { BackupEntry } from './retention';

/** Time and timers, injectable so a test drives the schedule with a fake clock. */
export interface SchedulerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    // Node caps a timeout at 2^31-1 ms (24.8 days); unref'd so a pending backup never keeps the process alive.
    const t = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

export type SchedulerEvent =
  { kind: 'backup'; file: string; verified: boolean } | { kind: 'failed'; error: string; retryInMs: number } | { kind: 'pruned'; files: string[] };

/** Where backups go and how many are kept; read again before every backup, so a changed setting applies to the next one. */
export interface SchedulePlan {
  dir: string;
  /** An external folder that must exist and be writable (checked before each backup); null when `dir` may be created. */
  root: string | null;
  keep: number;
  keepWeekly: number;
}

export interface BackupSchedulerOptions {
  dbFile: string;
  /**
   * Writes one backup to `out` (the app passes `out => createBackup({ dbFile, key, out })` with the
   * key of the unlocked database); it must verify what it wrote, as createBackup does.
   */
  takeBackup: (out: string) => Promise<unknown>;
  /** Default: `backups/` beside the database. */
  dir?: string;
  /** Default: daily. */
  intervalMs?: number;
  /** After a failed backup, try again this much later. Default: one hour. */
  retryMs?: number;
  /** How many backups to keep. Default: 14. */
  keep?: number;
  /** Besides those, the newest backup of each of this many weeks (see retention.ts). Default: 0. */
  keepWeekly?: number;
  /** Folder and retention from the device's settings, read before each backup (overrides dir, keep, keepWeekly). */
  plan?: () => SchedulePlan;
  /**
   * Re-opens the file just written and checks it (verifyBackupFile: checksum, decryption,
   * quick_check). A copy that does not verify is deleted and the backup counts as failed.
   */
  verify?: (file: string) => Promise<unknown>;
  clock?: SchedulerClock;
  /** Whether a backup file is sound; default: its manifest and SHA-256 check. */
  isGood?: (file: string) => Promise<boolean>;
  onEvent?: (e: SchedulerEvent) => void;
}

const DAY = 86_400_000;

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function parseStamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}

/** The backups of the database whose file name starts `prefix` in `dir`, newest first (none when `dir` is missing). */
export function listBackups(dir: string, prefix: string): BackupEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.cairnbak'))
    .map((f) => ({ file: join(dir, f), at: parseStamp(f.slice(prefix.length, -'.cairnbak'.length)) }))
    .filter((e) => Number.isFinite(e.at))
    .sort((a, b) => b.at - a.at || b.file.localeCompare(a.file));
}

/**
 * Takes automatic backups into `backups/` beside the database (or the folder the plan names): one
 * when the newest is older than the interval (so restarting the app does not take one each time),
 * then one per interval. Each one is read back and verified when `verify` is given. After each good
 * backup it keeps what the retention says (retention.ts) and deletes the rest, but never the newest
 * one that checks: if the last few backups were somehow damaged, the last good one stays.
 * Files are named `<db file name>-<UTC time>.cairnbak`; nothing else in the folder is touched.
 */
export class BackupScheduler {
  private readonly prefix: string;
  private readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly fixed: SchedulePlan;
  private readonly clock: SchedulerClock;
  private readonly isGood: (file: string) => Promise<boolean>;
  private timer: { cancel(): void } | null = null;
  private stopped = true;
  private running: Promise<string> | null = null;
  /** Backups this scheduler wrote and the writer verified: no need to hash them again. */
  private readonly knownGood = new Set<string>();

  constructor(private readonly opts: BackupSchedulerOptions) {
    this.prefix = `${basename(opts.dbFile)}-`;
    this.intervalMs = opts.intervalMs ?? DAY;
    this.retryMs = opts.retryMs ?? 3_600_000;
    this.fixed = { dir: opts.dir ?? join(dirname(opts.dbFile), 'backups'), root: null, keep: opts.keep ?? 14, keepWeekly: opts.keepWeekly ?? 0 };
    this.clock = opts.clock ?? systemClock;
    this.isGood =
      opts.isGood ??
      ((file) =>
        verifyBackupChecksum(file).then(
          () => true,
          () => false,
        ));
  }

  /** The folder and retention in force now. */
  plan(): SchedulePlan {
    const p = this.opts.plan?.() ?? this.fixed;
    return { ...p, keep: Math.max(1, p.keep), keepWeekly: Math.max(0, p.keepWeekly) };
  }

  /** The folder backups go to now. */
  get dir(): string {
    return this.plan().dir;
  }

  /** This database's backups, newest first. */
  list(dir = this.dir): BackupEntry[] {
    return listBackups(dir, this.prefix);
  }

  /** Starts the schedule (idempotent). Temp files a killed backup left behind are removed first. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const dir = this.dir;
    if (existsSync(dir)) {
      for (const f of readdirSync(dir))
        if (f.startsWith(this.prefix) && /\.cairnbak\.(payload\.)?tmp(-journal)?$/.test(f)) rmSync(join(dir, f), { force: true });
    }
    const newest = this.list(dir)[0];
    this.schedule(newest ? Math.max(0, newest.at + this.intervalMs - this.clock.now()) : 0);
  }

  /** Stops the schedule; a backup already running finishes, and nothing is scheduled after it. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.stopped) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.runNow().then(
        () => this.schedule(this.intervalMs),
        (e: unknown) => {
          this.opts.onEvent?.({ kind: 'failed', error: e instanceof Error ? e.message : String(e), retryInMs: this.retryMs });
          this.schedule(this.retryMs);
        },
      );
    }, ms);
  }

  /** Resolves once no backup is running (at once when none is). */
  whenIdle(): Promise<void> {
    return this.running
      ? this.running.then(
          () => undefined,
          () => undefined,
        )
      : Promise.resolve();
  }

  /** Takes a backup now (joining one already running), then prunes. Resolves to the new file. */
  runNow(): Promise<string> {
    this.running ??= this.backupAndPrune().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async backupAndPrune(): Promise<string> {
    const plan = this.plan();
    if (plan.root !== null) checkWritableFolder(plan.root);
    ensureDir(plan.dir, 'the scheduled backups');
    let out = join(plan.dir, `${this.prefix}${stamp(this.clock.now())}.cairnbak`);
    // Two in the same second (runNow twice): the second takes the next free name.
    for (let at = this.clock.now() + 1000; existsSync(out); at += 1000) out = join(plan.dir, `${this.prefix}${stamp(at)}.cairnbak`);
    await this.opts.takeBackup(out);
    if (this.opts.verify) {
      try {
        await this.opts.verify(out);
      } catch (e) {
        // Important: a copy that does not read back whole is not a backup; it must not count as the newest one.
        rmSync(out, { force: true });
        const why = e instanceof Error ? e.message : String(e);
        throw new CairnFailure(
          'database_error',
          `the backup written to ${out} did not verify when read back (${why}): it was deleted and no older backup was removed`,
        );
      }
    }
    this.knownGood.add(out);
    this.opts.onEvent?.({ kind: 'backup', file: out, verified: this.opts.verify !== undefined });
    const pruned = await this.prune(plan);
    if (pruned.length > 0) this.opts.onEvent?.({ kind: 'pruned', files: pruned });
    return out;
  }

  /** Deletes the backups the retention does not keep, always sparing the newest one that checks. Returns what it deleted. */
  async prune(plan = this.plan()): Promise<string[]> {
    const all = this.list(plan.dir);
    const spare = retained(all, plan);
    if (spare.size >= all.length) return [];
    for (const e of all) {
      if (this.knownGood.has(e.file) || (await this.isGood(e.file))) {
        spare.add(e.file);
        break;
      }
    }
    const gone = all.filter((e) => !spare.has(e.file)).map((e) => e.file);
    for (const f of gone) {
      rmSync(f, { force: true });
      this.knownGood.delete(f);
    }
    return gone;
  }
}
