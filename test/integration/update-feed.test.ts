import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../electron/server/server';
import { currentRelease } from '../../electron/server/update-feed';
import { PUBLISHING_KEY_FILE, PublishRefusal, publishUpdate } from '../../electron/server/update-publish';
import { cairn } from '../helpers/cli';
import { resourcesDir, tempDir } from '../helpers/temp-db';
import { fakeRelease, rawGet, signFeed } from '../helpers/update-release';

const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('base64');

describe('the clinic server update feed and cairn server publish-update', () => {
  const t = tempDir('cairn-update-feed-');
  const dataDir = join(t.dir, 'server');
  const root = join(dataDir, 'updates');
  let server: RunningServer;
  const get = (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> =>
    rawGet(server.url, path, headers);

  beforeAll(async () => {
    // The real wiring: a server on a data directory serves <data dir>/updates.
    server = await startServer({ target: { dataDir }, resourcesDir, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  const v120 = fakeRelease(join(t.dir, 'dist-1.2.0'), { version: '1.2.0', platform: 'linux' });

  it('serves nothing before a release is published', async () => {
    expect((await get('/updates/stable/latest-linux.yml')).status).toBe(404);
  });

  it('publishes a release with the CLI and serves its metadata, installer and block map, byte for byte', async () => {
    const r = cairn(['server', 'publish-update', v120.dir, '--data-dir', dataDir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { published: Record<string, { version: string; signed: boolean }>; channel: string };
    expect(out).toMatchObject({ channel: 'stable', published: { 'latest-linux.yml': { version: '1.2.0', signed: false } } });

    const meta = await get('/updates/stable/latest-linux.yml');
    expect(meta.status).toBe(200);
    expect(meta.headers['content-type']).toContain('text/yaml');
    expect(meta.body.equals(readFileSync(join(v120.dir, 'latest-linux.yml')))).toBe(true);

    const art = await get(`/updates/stable/${v120.url}`);
    expect(art.status).toBe(200);
    expect(art.body.length).toBe(v120.bytes.length);
    expect(sha512(art.body)).toBe(v120.sha512);
    const map = await get(`/updates/stable/${v120.url}.blockmap`);
    expect(map.body.equals(readFileSync(`${v120.artifact}.blockmap`))).toBe(true);
  });

  it('answers single byte ranges (for differential downloads) and the whole file for several', async () => {
    const part = await get(`/updates/stable/${v120.url}`, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${v120.bytes.length}`);
    expect(part.body.equals(v120.bytes.subarray(1000, 2000))).toBe(true);
    const tail = await get(`/updates/stable/${v120.url}`, { range: 'bytes=-10' });
    expect(tail.body.equals(v120.bytes.subarray(v120.bytes.length - 10))).toBe(true);
    expect((await get(`/updates/stable/${v120.url}`, { range: `bytes=${v120.bytes.length}-` })).status).toBe(416);
    const several = await get(`/updates/stable/${v120.url}`, { range: 'bytes=0-1,5-6' });
    expect(several.status).toBe(200);
    expect(several.body.length).toBe(v120.bytes.length);
  });

  it('refuses path traversal, its own bookkeeping and files that were never published', async () => {
    // A file put in the feed's folders by hand is not published: it is never served.
    const id = currentRelease(root, 'stable')!.id;
    writeFileSync(join(root, 'stable', 'releases', id, 'notes.txt'), 'not published');
    writeFileSync(join(root, 'stable', 'stray.yml'), 'version: 9.9.9');
    const secret = readFileSync(join(dataDir, 'PG_VERSION'));
    for (const path of [
      '/updates/stable/../../PG_VERSION',
      '/updates/stable/..%2F..%2FPG_VERSION',
      '/updates/stable/%2e%2e%2f%2e%2e%2fPG_VERSION',
      '/updates/..%2F..%2F/PG_VERSION',
      '/updates/stable/..%5C..%5CPG_VERSION',
      '/updates/stable/release.json',
      '/updates/stable/current.json',
      '/updates/stable/.publish.lock',
      `/updates/stable/releases%2F${id}%2Frelease.json`,
      '/updates/stable/notes.txt',
      '/updates/stable/stray.yml',
      '/updates/Stable/latest-linux.yml',
      '/updates/stable/%E0%A4%A',
    ]) {
      const r = await get(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body.includes(secret), path).toBe(false);
    }
  });

  it('refuses a tampered installer, names it, and keeps serving the published release', async () => {
    const v130 = fakeRelease(join(t.dir, 'dist-1.3.0'), { version: '1.3.0', platform: 'linux' });
    const bytes = readFileSync(v130.artifact);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(v130.artifact, bytes);
    const before = readdirSync(join(root, 'stable', 'releases'));
    const r = cairn(['server', 'publish-update', v130.dir, '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(v130.url);
    expect(r.err).toContain('does not match its metadata');
    expect(r.err).toContain('nothing was published');
    expect(readdirSync(join(root, 'stable', 'releases'))).toEqual(before);
    expect(readdirSync(join(root, 'stable')).filter((n) => n.startsWith('.staging'))).toEqual([]);
    expect((await get('/updates/stable/latest-linux.yml')).body.toString()).toContain('version: 1.2.0');
    expect((await get(`/updates/stable/${v130.url}`)).status).toBe(404);

    // A size that differs, and a listed file that is missing, are refused the same way.
    const short = fakeRelease(join(t.dir, 'dist-1.3.1'), { version: '1.3.1', platform: 'linux' });
    writeFileSync(short.artifact, short.bytes.subarray(1));
    await expect(publishUpdate({ from: short.dir, root, channel: 'stable' })).rejects.toThrow(new RegExp(`${short.url} does not match`));
    rmSync(short.artifact);
    await expect(publishUpdate({ from: short.dir, root, channel: 'stable' })).rejects.toThrow(
      `latest-linux.yml lists ${short.url}, which is not in the folder`,
    );
  });

  it('refuses metadata that is not electron-builder update metadata', async () => {
    const bad = join(t.dir, 'dist-bad');
    cpSync(v120.dir, bad, { recursive: true });
    writeFileSync(join(bad, 'latest-linux.yml'), readFileSync(join(bad, 'latest-linux.yml'), 'utf8').replace(`url: ${v120.url}`, 'url: ../../etc/passwd'));
    await expect(publishUpdate({ from: bad, root, channel: 'stable' })).rejects.toThrow(
      /latest-linux.yml is not electron-builder update metadata: files.0.url/,
    );
    await expect(publishUpdate({ from: join(t.dir, 'nowhere'), root, channel: 'stable' })).rejects.toThrow(PublishRefusal);
    await expect(publishUpdate({ from: v120.dir, root, channel: '../x' })).rejects.toThrow('is not a channel name');
  });

  it('keeps other platforms, serves the Windows installer under its metadata name, and keeps the old block map', async () => {
    const win = fakeRelease(join(t.dir, 'dist-win-1.2.0'), { version: '1.2.0', platform: 'win', size: 1024 * 1024 });
    expect(win.artifact).toContain('Cairn Setup 1.2.0.exe');
    const first = await publishUpdate({ from: win.dir, root, channel: 'stable' });
    expect(first.carried).toEqual(['latest-linux.yml']);
    expect(sha512((await get('/updates/stable/Cairn-Setup-1.2.0.exe')).body)).toBe(win.sha512);
    expect((await get('/updates/stable/latest-linux.yml')).body.toString()).toContain('version: 1.2.0');

    const v140 = fakeRelease(join(t.dir, 'dist-1.4.0'), { version: '1.4.0', platform: 'linux' });
    await publishUpdate({ from: v140.dir, root, channel: 'stable' });
    expect((await get('/updates/stable/latest-linux.yml')).body.toString()).toContain('version: 1.4.0');
    expect((await get('/updates/stable/latest.yml')).body.toString()).toContain('version: 1.2.0');
    // electron-updater downloads only the changed blocks: it needs the installed version's block map too.
    expect((await get(`/updates/stable/${v120.url}.blockmap`)).status).toBe(200);
    expect((await get(`/updates/stable/${v120.url}`)).status).toBe(404);
  });

  it('refuses an older version unless it is a rollback, and the same version with other files', async () => {
    await expect(publishUpdate({ from: v120.dir, root, channel: 'stable' })).rejects.toThrow(
      'offers 1.2.0, older than the published 1.4.0: to move laptops back to it, give --rollback',
    );
    const other = fakeRelease(join(t.dir, 'dist-1.4.0-again'), { version: '1.4.0', platform: 'linux' });
    await expect(publishUpdate({ from: other.dir, root, channel: 'stable' })).rejects.toThrow('1.4.0 is already published on stable with other files');
    const r = cairn(['server', 'publish-update', v120.dir, '--data-dir', dataDir, '--rollback']);
    expect(r.code).toBe(0);
    expect((await get('/updates/stable/latest-linux.yml')).body.toString()).toContain('version: 1.2.0');
  });

  it('with a clinic publishing key, publishes only metadata signed with it and serves the signature', async () => {
    const clinic = generateKeyPairSync('ed25519');
    const stranger = generateKeyPairSync('ed25519');
    writeFileSync(join(root, PUBLISHING_KEY_FILE), clinic.publicKey.export({ type: 'spki', format: 'pem' }));
    const v150 = fakeRelease(join(t.dir, 'dist-1.5.0'), { version: '1.5.0', platform: 'linux' });
    await expect(publishUpdate({ from: v150.dir, root, channel: 'stable' })).rejects.toThrow('latest-linux.yml is not signed');
    signFeed(v150, stranger.privateKey);
    const wrong = cairn(['server', 'publish-update', v150.dir, '--data-dir', dataDir]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("latest-linux.yml: the signature latest-linux.yml.sig does not verify with the clinic's publishing key");
    signFeed(v150, clinic.privateKey);
    // A signature over the metadata covers the installer through its SHA-512: a changed installer is still refused.
    const bytes = readFileSync(v150.artifact);
    writeFileSync(v150.artifact, Buffer.concat([bytes.subarray(0, 10), Buffer.from('x'), bytes.subarray(11)]));
    await expect(publishUpdate({ from: v150.dir, root, channel: 'stable' })).rejects.toThrow(`${v150.url} does not match its metadata`);
    writeFileSync(v150.artifact, v150.bytes);
    const ok = await publishUpdate({ from: v150.dir, root, channel: 'stable' });
    expect(ok.feeds['latest-linux.yml']).toEqual({ version: '1.5.0', signed: true });
    const sig = await get('/updates/stable/latest-linux.yml.sig');
    expect(sig.status).toBe(200);
    expect(sig.body.equals(readFileSync(join(v150.dir, 'latest-linux.yml.sig')))).toBe(true);
    rmSync(join(root, PUBLISHING_KEY_FILE));
  });

  it('keeps three releases and no staging folders', () => {
    expect(readdirSync(join(root, 'stable', 'releases'))).toHaveLength(3);
    expect(readdirSync(join(root, 'stable')).sort()).toEqual(['current.json', 'releases', 'stray.yml']);
    expect(existsSync(join(root, 'stable', '.publish.lock'))).toBe(false);
  });
});
