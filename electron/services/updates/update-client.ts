import type { KeyObject } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { compareVersions, hashFile, type UpdateInfo } from '../../common/update-release';
import type { FeedFetch } from './feed-fetch';
import { checkFeed } from './update-check';
import type { UnsavedWorkProbe } from './unsaved-work';

/**
 * The part of electron-updater's `autoUpdater` (AppUpdater) the update client drives. The desktop
 * app passes electron-updater's own object; tests pass a stand-in of this surface.
 */
export interface AutoUpdaterSurface {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; useMultipleRangeRequest?: boolean }): void;
  checkForUpdates(): Promise<{ updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateClock {
  now(): number;
  /** Calls `fn` every `ms` until stopped (the app's timer is unref'd: it never keeps the app alive). */
  every(ms: number, fn: () => void): { stop(): void };
}

export const systemClock: UpdateClock = {
  now: () => Date.now(),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return { stop: () => clearInterval(t) };
  },
};

export interface UpdateClientDeps {
  /** The channel's address on the clinic server, `https://clinic-server:8443/updates/stable`. */
  feedUrl: string;
  /** This platform's metadata file (feedFileFor(process.platform, process.arch)). */
  feedFile: string;
  /** The running app's version (app.getVersion()). */
  currentVersion: string;
  fetch: FeedFetch;
  clock: UpdateClock;
  updater: AutoUpdaterSurface;
  unsavedWork: UnsavedWorkProbe;
  /** The clinic's publishing key, when it has one: unsigned metadata is then refused. */
  publicKey?: KeyObject | null;
  /** One line per event, no patient data (versions and file names only). */
  log?: (line: string) => void;
  /** How often a successful check is repeated (a day). */
  checkEveryMs?: number;
  /** How often the client wakes to see whether a check is due; also the retry after a failed check (an hour). */
  tickMs?: number;
}

export type UpdateState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'up-to-date'; version: string }
  | { state: 'downloading'; version: string }
  /** Downloaded and verified: installed when the app quits with no unsaved work. */
  | { state: 'ready'; version: string }
  | { state: 'refused'; version?: string; reason: string }
  | { state: 'failed'; reason: string }
  | { state: 'installing'; version: string };

export type QuitDecision = 'installing' | 'deferred' | 'none';

interface Verified {
  version: string;
  files: { path: string; sha512: string; size: number }[];
}

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/**
 * Keeps the desktop app current from the clinic's feed: checks at start and then daily, downloads in
 * the background through electron-updater, accepts a download only when every file's SHA-512 and size
 * match the metadata this client fetched itself (and whose signature it checked, when the clinic has a
 * publishing key), and installs only when the app quits with no unsaved work. The feed is the clinic's
 * word: an older version published with `--rollback` is installed too.
 */
export class UpdateClient {
  private current: UpdateState = { state: 'idle' };
  private verified: Verified | null = null;
  private inFlight: Promise<UpdateState> | null = null;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private lastOk = false;
  private readonly refused = new Set<string>();
  private timer: { stop(): void } | null = null;

  constructor(private readonly d: UpdateClientDeps) {
    // Important: nothing downloads or installs behind this client's back; electron-updater's own
    // quit handler would install whatever it downloaded, whoever had a draft open.
    d.updater.autoDownload = false;
    d.updater.autoInstallOnAppQuit = false;
    d.updater.allowDowngrade = false;
    // Single ranges only: the clinic server answers one range per request (a multi-range request
    // it answers whole, which electron-updater treats as a failed differential download).
    d.updater.setFeedURL({ provider: 'generic', url: d.feedUrl, useMultipleRangeRequest: false });
  }

  status(): UpdateState {
    return this.current;
  }

  /** Checks now, then whenever a check is due (daily; hourly after a failure). */
  start(): void {
    if (this.timer) return;
    void this.checkNow();
    this.timer = this.d.clock.every(this.d.tickMs ?? HOUR, () => {
      if (this.due()) void this.checkNow();
    });
  }

  stop(): void {
    this.timer?.stop();
    this.timer = null;
  }

  private due(): boolean {
    const wait = this.lastOk ? (this.d.checkEveryMs ?? DAY) : (this.d.tickMs ?? HOUR);
    return this.d.clock.now() - this.lastAttempt >= wait;
  }

  /** One check (and download when there is something new); a check already running is shared. */
  checkNow(): Promise<UpdateState> {
    this.inFlight ??= this.run().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Resolves when no check or download is running (for the administrator's page, and tests). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private set(s: UpdateState): UpdateState {
    this.current = s;
    const detail = 'reason' in s ? `: ${s.reason}` : 'version' in s ? ` ${s.version}` : '';
    this.d.log?.(`update ${s.state}${detail}`);
    return s;
  }

  private async run(): Promise<UpdateState> {
    this.lastAttempt = this.d.clock.now();
    const answer = await checkFeed({ feedUrl: this.d.feedUrl, feedFile: this.d.feedFile, fetch: this.d.fetch, publicKey: this.d.publicKey ?? null });
    this.lastOk = answer.kind !== 'failed';
    if (answer.kind === 'failed') return this.set({ state: 'failed', reason: answer.reason });
    if (answer.kind === 'refused') return this.set({ state: 'refused', reason: answer.reason });
    if (answer.kind === 'nothing-published' || compareVersions(answer.info.version, this.d.currentVersion) === 0) {
      // Also how a rollback before install ends: the feed is back at this version, so nothing is installed.
      this.verified = null;
      return this.set({ state: 'up-to-date', version: this.d.currentVersion });
    }
    const info = answer.info;
    if (this.verified?.version === info.version && this.matches(this.verified, info)) return this.set({ state: 'ready', version: info.version });
    const key = `${info.version}:${info.files.map((f) => f.sha512).join(',')}`;
    if (this.refused.has(key)) return this.set({ state: 'refused', version: info.version, reason: `${info.version} was refused before and has not changed` });
    this.verified = null;
    return this.download(info, key);
  }

  private matches(v: Verified, info: UpdateInfo): boolean {
    return v.files.every((f) => info.files.some((x) => x.sha512 === f.sha512 && x.size === f.size));
  }

  private async download(info: UpdateInfo, key: string): Promise<UpdateState> {
    this.set({ state: 'downloading', version: info.version });
    this.d.updater.allowDowngrade = compareVersions(info.version, this.d.currentVersion) < 0;
    let paths: string[];
    try {
      const seen = await this.d.updater.checkForUpdates();
      if (seen?.updateInfo.version !== info.version)
        return this.set({
          state: 'failed',
          reason: `the feed changed while checking (${seen?.updateInfo.version ?? 'nothing'} instead of ${info.version}); checked again later`,
        });
      paths = await this.d.updater.downloadUpdate();
    } catch (e) {
      return this.set({ state: 'failed', reason: `downloading ${info.version} failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    if (paths.length === 0) return this.set({ state: 'failed', reason: `downloading ${info.version} gave no file` });
    const files: Verified['files'] = [];
    for (const path of paths) {
      const got = await hashFile(path).catch(() => null);
      const listed = got && info.files.find((f) => f.sha512 === got.sha512 && f.size === got.size);
      if (!got || !listed) {
        // Important: the file is removed, so nothing can install it; the same release is not fetched again.
        for (const p of paths) rmSync(p, { force: true });
        this.refused.add(key);
        return this.set({
          state: 'refused',
          version: info.version,
          reason: `the downloaded ${basename(path)} does not match the clinic's metadata for ${info.version} (SHA-512 or size differs); it was deleted and will not be installed`,
        });
      }
      files.push({ path, sha512: got.sha512, size: got.size });
    }
    this.verified = { version: info.version, files };
    return this.set({ state: 'ready', version: info.version });
  }

  /**
   * Called by the app's quit sequence once its own work is done. Installs a verified update (silently,
   * without relaunching) unless someone signed in has unsaved work; then it waits for the next quit.
   */
  async onQuit(): Promise<QuitDecision> {
    const v = this.verified;
    if (!v || this.current.state !== 'ready') return 'none';
    const work = await this.d.unsavedWork.unsavedWork();
    if (work) {
      this.d.log?.(`update ${v.version} waits for the next quit: ${work.what}`);
      return 'deferred';
    }
    // The file may have sat in the cache for days: it must still be what was verified.
    for (const f of v.files) {
      const got = await hashFile(f.path).catch(() => null);
      if (got?.sha512 !== f.sha512 || got.size !== f.size) {
        this.verified = null;
        this.set({ state: 'refused', version: v.version, reason: `${basename(f.path)} changed after it was verified; it will be downloaded again` });
        return 'none';
      }
    }
    this.set({ state: 'installing', version: v.version });
    this.d.updater.quitAndInstall(true, false);
    return 'installing';
  }
}
