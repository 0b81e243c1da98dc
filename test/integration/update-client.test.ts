import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { JSON_SCHEMA, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../electron/server/server';
import { currentRelease } from '../../electron/server/update-feed';
import { publishUpdate } from '../../electron/server/update-publish';
import { feedFetch, type FeedFetch } from '../../electron/services/updates/feed-fetch';
import { answeringWithin, UnsavedWorkRegister, type UnsavedWorkProbe } from '../../electron/services/updates/unsaved-work';
import { UpdateClient, type AutoUpdaterSurface, type UpdateClock } from '../../electron/services/updates/update-client';
import { resourcesDir, tempDir } from '../helpers/temp-db';
import { fakeRelease } from '../helpers/update-release';

// Compile-time: electron-updater's own autoUpdater has every member the client drives.
const fits: AppUpdater extends AutoUpdaterSurface ? true : never = true;

const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('base64');
const HOUR = 60 * 60 * 1000;

/**
 * A stand-in of electron-updater's autoUpdater with the generic provider: it reads the platform's
 * metadata from the feed URL, and downloads the file it lists into its cache. Unlike the real one it
 * does not check the SHA-512 itself, so these tests see the client's own check.
 */
class ElectronUpdaterStandIn implements AutoUpdaterSurface {
  // electron-updater's defaults, which the client must turn off.
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = false;
  feed: Parameters<AutoUpdaterSurface['setFeedURL']>[0] | null = null;
  downloads = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  private info: { version: string; files: { url: string }[] } | null = null;

  constructor(private readonly cacheDir: string) {}

  setFeedURL(options: Parameters<AutoUpdaterSurface['setFeedURL']>[0]): void {
    this.feed = options;
  }
  async checkForUpdates(): Promise<{ updateInfo: { version: string } }> {
    const res = await fetch(`${this.feed!.url}/latest-linux.yml`);
    if (!res.ok) throw new Error(`HttpError: ${res.status}`);
    this.info = load(await res.text(), { schema: JSON_SCHEMA }) as { version: string; files: { url: string }[] };
    return { updateInfo: this.info };
  }
  async downloadUpdate(): Promise<string[]> {
    if (!this.info) throw new Error('Please check update first');
    const name = this.info.files[0]!.url;
    const res = await fetch(`${this.feed!.url}/${encodeURIComponent(name)}`);
    if (!res.ok) throw new Error(`HttpError: ${res.status}`);
    mkdirSync(join(this.cacheDir, 'pending'), { recursive: true });
    const file = join(this.cacheDir, 'pending', name);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    this.downloads++;
    return [file];
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

/** A clock the test moves: each tick advances the time and wakes the client as its hourly timer would. */
class TestClock implements UpdateClock {
  t = Date.parse('2026-03-02T08:00:00.000Z');
  private readonly timers = new Set<() => void>();
  now(): number {
    return this.t;
  }
  every(_ms: number, fn: () => void): { stop(): void } {
    this.timers.add(fn);
    return { stop: () => this.timers.delete(fn) };
  }
  tick(ms: number): void {
    this.t += ms;
    for (const fn of this.timers) fn();
  }
}

describe('the desktop update client against a real clinic server feed', () => {
  const t = tempDir('cairn-update-client-');
  const root = join(t.dir, 'updates');
  let server: RunningServer;
  let n = 0;

  beforeAll(async () => {
    server = await startServer({ target: { memory: true }, resourcesDir, port: 0, app: { updatesDir: root } });
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  function client(o: {
    channel: string;
    current: string;
    probe?: UnsavedWorkProbe;
    publicKey?: ReturnType<typeof generateKeyPairSync>['publicKey'];
    feedUrl?: string;
  }) {
    const updater = new ElectronUpdaterStandIn(join(t.dir, `cache-${++n}`));
    const clock = new TestClock();
    const fetched: string[] = [];
    const real = feedFetch({ timeoutMs: 5000 });
    const fetch: FeedFetch = (url) => (fetched.push(url), real(url));
    const log: string[] = [];
    const register = new UnsavedWorkRegister(() => true);
    const c = new UpdateClient({
      feedUrl: o.feedUrl ?? `${server.url}/updates/${o.channel}`,
      feedFile: 'latest-linux.yml',
      currentVersion: o.current,
      fetch,
      clock,
      updater,
      unsavedWork: o.probe ?? register,
      ...(o.publicKey && { publicKey: o.publicKey }),
      log: (l) => log.push(l),
    });
    return { c, updater, clock, fetched, log, register };
  }

  const v120 = fakeRelease(join(t.dir, 'dist-1.2.0'), { version: '1.2.0', platform: 'linux' });

  it('checks on start, downloads in the background, verifies, and installs when the app quits', async () => {
    expect(fits).toBe(true);
    await publishUpdate({ from: v120.dir, root, channel: 'stable' });
    const { c, updater } = client({ channel: 'stable', current: '1.1.0' });
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: false, allowDowngrade: false });
    expect(updater.feed).toEqual({ provider: 'generic', url: `${server.url}/updates/stable`, useMultipleRangeRequest: false });
    c.start();
    await c.settled();
    c.stop();
    expect(c.status()).toEqual({ state: 'ready', version: '1.2.0' });
    expect(updater.downloads).toBe(1);
    expect(sha512(readFileSync(join(t.dir, `cache-${n}`, 'pending', v120.url)))).toBe(v120.sha512);
    expect(updater.installs).toEqual([]);
    expect(await c.onQuit()).toBe('installing');
    expect(updater.installs).toEqual([[true, false]]);
  });

  it('waits while someone signed in has unsaved work, and installs at a later quit', async () => {
    const { c, updater, register, log } = client({ channel: 'stable', current: '1.1.0' });
    await c.checkNow();
    register.report(1, 'a note draft has unsaved changes');
    expect(await c.onQuit()).toBe('deferred');
    expect(updater.installs).toEqual([]);
    expect(c.status()).toEqual({ state: 'ready', version: '1.2.0' });
    expect(log).toContain('update 1.2.0 waits for the next quit: a note draft has unsaved changes');
    register.report(1, null);
    expect(await c.onQuit()).toBe('installing');
    expect(updater.installs).toHaveLength(1);
  });

  it('counts a window that does not answer as unsaved work; a signed-out session has none', async () => {
    const silent = client({ channel: 'stable', current: '1.1.0', probe: answeringWithin({ unsavedWork: () => new Promise(() => undefined) }, 50) });
    await silent.c.checkNow();
    expect(await silent.c.onQuit()).toBe('deferred');
    expect(silent.updater.installs).toEqual([]);
    const stale = new UnsavedWorkRegister(() => false);
    stale.report(2, 'a vitals form is filled in');
    const signedOut = client({ channel: 'stable', current: '1.1.0', probe: stale });
    await signedOut.c.checkNow();
    expect(await signedOut.c.onQuit()).toBe('installing');
  });

  it('refuses a tampered installer the server serves anyway: deleted, never installed, not downloaded again', async () => {
    const v130 = fakeRelease(join(t.dir, 'dist-1.3.0'), { version: '1.3.0', platform: 'linux' });
    await publishUpdate({ from: v130.dir, root, channel: 'stable' });
    const served = join(currentRelease(root, 'stable')!.dir, v130.url);
    const bytes = readFileSync(served);
    bytes[12345]! ^= 0x01;
    writeFileSync(served, bytes);
    const { c, updater } = client({ channel: 'stable', current: '1.2.0' });
    const s = await c.checkNow();
    expect(s.state).toBe('refused');
    expect(s).toMatchObject({
      version: '1.3.0',
      reason: expect.stringContaining(`the downloaded ${v130.url} does not match the clinic's metadata for 1.3.0`) as unknown,
    });
    expect(existsSync(join(t.dir, `cache-${n}`, 'pending', v130.url))).toBe(false);
    expect(await c.onQuit()).toBe('none');
    expect(updater.installs).toEqual([]);
    expect((await c.checkNow()).state).toBe('refused');
    expect(updater.downloads).toBe(1);
  });

  it('is up to date when nothing is published or the feed offers this version; a rollback before install installs nothing', async () => {
    expect(await client({ channel: 'empty', current: '1.2.0' }).c.checkNow()).toEqual({ state: 'up-to-date', version: '1.2.0' });
    await publishUpdate({ from: v120.dir, root, channel: 'back' });
    expect((await client({ channel: 'back', current: '1.2.0' }).c.checkNow()).state).toBe('up-to-date');
    const v121 = fakeRelease(join(t.dir, 'dist-1.2.1'), { version: '1.2.1', platform: 'linux', size: 64 * 1024 });
    await publishUpdate({ from: v121.dir, root, channel: 'back' });
    const { c } = client({ channel: 'back', current: '1.2.0' });
    expect(await c.checkNow()).toEqual({ state: 'ready', version: '1.2.1' });
    await publishUpdate({ from: v120.dir, root, channel: 'back', rollback: true });
    expect(await c.checkNow()).toEqual({ state: 'up-to-date', version: '1.2.0' });
    expect(await c.onQuit()).toBe('none');
  });

  it('follows a rollback the clinic published: the older version is downloaded with downgrades allowed', async () => {
    const { c, updater } = client({ channel: 'back', current: '1.2.1' });
    expect(await c.checkNow()).toEqual({ state: 'ready', version: '1.2.0' });
    expect(updater.allowDowngrade).toBe(true);
  });

  it('checks daily, and an hour after a failed check', async () => {
    const { c, clock, fetched } = client({ channel: 'empty', current: '1.2.0' });
    c.start();
    await c.settled();
    expect(fetched).toHaveLength(1);
    clock.tick(HOUR);
    await c.settled();
    expect(fetched).toHaveLength(1);
    clock.tick(23 * HOUR);
    await c.settled();
    expect(fetched).toHaveLength(2);
    c.stop();

    const down = client({ channel: 'stable', current: '1.2.0', feedUrl: 'http://127.0.0.1:9/updates/stable' });
    down.c.start();
    await down.c.settled();
    expect(down.c.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('the update feed could not be reached') as unknown });
    down.clock.tick(HOUR);
    await down.c.settled();
    expect(down.fetched).toHaveLength(2);
    down.c.stop();
  });

  it("with the clinic's publishing key: unsigned metadata is refused, signed metadata accepted", async () => {
    const key = generateKeyPairSync('ed25519');
    await publishUpdate({ from: v120.dir, root, channel: 'signed' });
    const unsigned = client({ channel: 'signed', current: '1.1.0', publicKey: key.publicKey });
    expect(await unsigned.c.checkNow()).toMatchObject({ state: 'refused', reason: expect.stringContaining('is not signed') as unknown });
    expect(unsigned.updater.downloads).toBe(0);
    const v122 = fakeRelease(join(t.dir, 'dist-1.2.2'), { version: '1.2.2', platform: 'linux', size: 64 * 1024 });
    const { sign } = await import('node:crypto');
    writeFileSync(join(v122.dir, 'latest-linux.yml.sig'), sign(null, readFileSync(join(v122.dir, 'latest-linux.yml')), key.privateKey));
    const pub = join(t.dir, 'publish.pub');
    writeFileSync(pub, key.publicKey.export({ type: 'spki', format: 'pem' }));
    await publishUpdate({ from: v122.dir, root, channel: 'signed', publicKey: pub });
    expect(await unsigned.c.checkNow()).toEqual({ state: 'ready', version: '1.2.2' });
    const other = client({ channel: 'signed', current: '1.1.0', publicKey: generateKeyPairSync('ed25519').publicKey });
    expect(await other.c.checkNow()).toMatchObject({ state: 'refused', reason: expect.stringContaining('does not verify') as unknown });
  });

  it('does not install a download that changed after it was verified', async () => {
    const { c, updater } = client({ channel: 'signed', current: '1.1.0' });
    expect((await c.checkNow()).state).toBe('ready');
    const file = join(t.dir, `cache-${n}`, 'pending', 'Cairn-1.2.2.AppImage');
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('!')]));
    expect(await c.onQuit()).toBe('none');
    expect(c.status()).toMatchObject({ state: 'refused', reason: 'Cairn-1.2.2.AppImage changed after it was verified; it will be downloaded again' });
    expect(updater.installs).toEqual([]);
  });
});
