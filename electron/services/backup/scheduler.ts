import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensureDir } from './files';
import { verifyBackupChecksum } from './format';

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

export type SchedulerEvent = { kind: 'backup'; file: string } | { kind: 'failed'; error: string; retryInMs: number } | { kind: 'pruned'; files: string[] };

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
  clock?: SchedulerClock;
  /** Whether a backup file is sound; default: its manifest and SHA-256 check. */
  isGood?: (file: string) => Promise<boolean>;
  onEvent?: (e: SchedulerEvent) => void;
}

export interface BackupEntry {
  file: string;
  /** When it was taken (epoch ms, from its name). */
  at: number;
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

/**
 * Takes automatic backups into `backups/` beside the database: one when the newest is older than
 * the interval (so restarting the app does not take one each time), then one per interval. After
 * each good backup it keeps the newest `keep` and deletes older ones, but never the newest one
 * that checks: if the last few backups were somehow damaged, the last good one stays.
 * Files are named `<db file name>-<UTC time>.cairnbak`; nothing else in the folder is touched.
 */
export class BackupScheduler {
  readonly dir: string;
  private readonly prefix: string;
  private readonly intervalMs: number;
  private readonly retryMs: number;
  private readonly keep: number;
  private readonly clock: SchedulerClock;
  private readonly isGood: (file: string) => Promise<boolean>;
  private timer: { cancel(): void } | null = null;
  private stopped = true;
  private running: Promise<string> | null = null;
  /** Backups this scheduler wrote and the writer verified: no need to hash them again. */
  private readonly knownGood = new Set<string>();

  constructor(private readonly opts: BackupSchedulerOptions) {
    this.dir = opts.dir ?? join(dirname(opts.dbFile), 'backups');
    this.prefix = `${basename(opts.dbFile)}-`;
    this.intervalMs = opts.intervalMs ?? DAY;
    this.retryMs = opts.retryMs ?? 3_600_000;
    this.keep = Math.max(1, opts.keep ?? 14);
    this.clock = opts.clock ?? systemClock;
    this.isGood =
      opts.isGood ??
      ((file) =>
        verifyBackupChecksum(file).then(
          () => true,
          () => false,
        ));
  }

  /** This database's backups, newest first. */
  list(): BackupEntry[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.startsWith(this.prefix) && f.endsWith('.cairnbak'))
      .map((f) => ({ file: join(this.dir, f), at: parseStamp(f.slice(this.prefix.length, -'.cairnbak'.length)) }))
      .filter((e) => Number.isFinite(e.at))
      .sort((a, b) => b.at - a.at || b.file.localeCompare(a.file));
  }

  /** Starts the schedule (idempotent). Temp files a killed backup left behind are removed first. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (existsSync(this.dir)) {
      for (const f of readdirSync(this.dir))
        if (f.startsWith(this.prefix) && /\.cairnbak\.(payload\.)?tmp(-journal)?$/.test(f)) rmSync(join(this.dir, f), { force: true });
    }
    const newest = this.list()[0];
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
    ensureDir(this.dir, 'the scheduled backups');
    let out = join(this.dir, `${this.prefix}${stamp(this.clock.now())}.cairnbak`);
    // Two in the same second (runNow twice): the second takes the next free name.
    for (let at = this.clock.now() + 1000; existsSync(out); at += 1000) out = join(this.dir, `${this.prefix}${stamp(at)}.cairnbak`);
    await this.opts.takeBackup(out);
    this.knownGood.add(out);
    this.opts.onEvent?.({ kind: 'backup', file: out });
    const pruned = await this.prune();
    if (pruned.length > 0) this.opts.onEvent?.({ kind: 'pruned', files: pruned });
    return out;
  }

  /** Deletes all but the newest `keep` backups, always sparing the newest one that checks. Returns what it deleted. */
  async prune(): Promise<string[]> {
    const all = this.list();
    if (all.length <= this.keep) return [];
    const spare = new Set(all.slice(0, this.keep).map((e) => e.file));
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
