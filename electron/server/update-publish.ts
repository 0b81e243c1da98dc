import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { fsyncDir } from '../common/fsync-dir';
import { compareVersions, FEED_FILE, hashFile, isFeedName, parseUpdateInfo, publishingKey, signatureVerifies, type UpdateInfo } from '../common/update-release';
import { CHANNEL, currentRelease, releaseIds, type PublishedRelease, type ReleaseManifest } from './update-feed';

/** Thrown when a release is not published; the message names the file and what to do. Nothing was changed. */
export class PublishRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishRefusal';
  }
}

/** Where a configured clinic publishing key lives: once it is there, every publication must be signed with it. */
export const PUBLISHING_KEY_FILE = 'publishing-key.pub';

export interface PublishOptions {
  /** The folder electron-builder wrote (`dist/`): its latest*.yml and the files they list. */
  from: string;
  /** The feed's root (`<data dir>/updates`). */
  root: string;
  channel: string;
  /** A detached signature of the (single) metadata file; otherwise `<name>.sig` beside each one is used if present. */
  signature?: string;
  /** A public key to check signatures with when the clinic has not configured one. */
  publicKey?: string;
  /** Allows offering an older version than the one published (rolling laptops back). */
  rollback?: boolean;
  /** How many releases to keep (the current one and older ones, whose block maps make downloads smaller). */
  keep?: number;
  now?: () => Date;
}

export interface PublishResult {
  channel: string;
  release: string;
  feeds: Record<string, { version: string; signed: boolean }>;
  files: string[];
  carried: string[];
}

interface Source {
  name: string;
  path: string;
  sha512?: string;
  size?: number;
}

/** DIR's file for a URL name: the same name, or electron-builder's spelling with spaces (`Cairn Setup 1.2.3.exe` for `Cairn-Setup-1.2.3.exe`). */
function sourceFor(from: string, name: string): string | null {
  if (existsSync(join(from, name))) return join(from, name);
  const spaced = readdirSync(from).find((n) => n !== name && n.replace(/ /g, '-') === name);
  return spaced ? join(from, spaced) : null;
}

function readFeeds(from: string): { name: string; bytes: Buffer; info: UpdateInfo }[] {
  const names = readdirSync(from).filter((n) => FEED_FILE.test(n));
  if (names.length === 0)
    throw new PublishRefusal(
      `${from} holds no latest.yml, latest-mac.yml or latest-linux.yml: give the folder electron-builder wrote (dist/), with a publish setting`,
    );
  return names.sort().map((name) => {
    const bytes = readFileSync(join(from, name));
    const parsed = parseUpdateInfo(bytes.toString('utf8'), name);
    if (!parsed.ok) throw new PublishRefusal(`${parsed.message}; nothing was published`);
    return { name, bytes, info: parsed.info };
  });
}

function loadKey(o: PublishOptions): ReturnType<typeof publishingKey> | null {
  const configured = join(o.root, PUBLISHING_KEY_FILE);
  try {
    if (existsSync(configured)) {
      const key = publishingKey(readFileSync(configured), configured);
      if (o.publicKey && !publishingKey(readFileSync(o.publicKey), o.publicKey).equals(key))
        throw new PublishRefusal(
          `--public-key ${o.publicKey} is not the clinic's publishing key (${configured}); releases must be signed with the configured one`,
        );
      return key;
    }
    return o.publicKey ? publishingKey(readFileSync(o.publicKey), o.publicKey) : null;
  } catch (e) {
    if (e instanceof PublishRefusal) throw e;
    throw new PublishRefusal(e instanceof Error ? e.message : String(e));
  }
}

/** Which feeds are signed; refuses a missing or wrong signature when a key is in force. */
function checkSignatures(o: PublishOptions, feeds: ReturnType<typeof readFeeds>): Map<string, string> {
  const key = loadKey(o);
  const sigs = new Map<string, string>();
  if (o.signature && feeds.length !== 1)
    throw new PublishRefusal(
      `--signature names one file's signature, but ${o.from} holds ${feeds.length} metadata files: put latest….yml.sig beside each instead`,
    );
  if (o.signature && !key) throw new PublishRefusal('--signature needs the key to check it with: give --public-key FILE (or configure the clinic key)');
  for (const f of feeds) {
    const sig = o.signature ?? (existsSync(join(o.from, `${f.name}.sig`)) ? join(o.from, `${f.name}.sig`) : null);
    if (!key) continue;
    if (!sig) throw new PublishRefusal(`${f.name} is not signed: the clinic requires the publishing key's signature (${f.name}.sig); nothing was published`);
    if (!signatureVerifies(f.bytes, readFileSync(sig), key))
      throw new PublishRefusal(
        `${f.name}: the signature ${basename(sig)} does not verify with the clinic's publishing key (signed with another key, or the file changed after signing); nothing was published`,
      );
    sigs.set(f.name, sig);
  }
  return sigs;
}

function checkVersions(o: PublishOptions, feeds: ReturnType<typeof readFeeds>, current: PublishedRelease | null): void {
  for (const f of feeds) {
    const was = current?.manifest.feeds[f.name];
    if (!was || !current) continue;
    const order = compareVersions(f.info.version, was.version);
    if (order < 0 && !o.rollback)
      throw new PublishRefusal(
        `${f.name} offers ${f.info.version}, older than the published ${was.version}: to move laptops back to it, give --rollback (see the README on what a rollback does to the database)`,
      );
    if (order === 0 && !readFileSync(join(current.dir, f.name)).equals(f.bytes))
      throw new PublishRefusal(
        `${f.info.version} is already published on ${o.channel} with other files (${f.name}); laptops compare versions, not files: give the new build a new version`,
      );
  }
}

/** Copies (or links, for a kept file) into the staging folder and makes the copy durable. */
function place(src: string, dest: string, link: boolean): void {
  if (link) {
    try {
      linkSync(src, dest);
      return;
    } catch {
      // Another file system, or links refused: a copy does the same.
    }
  }
  copyFileSync(src, dest);
  const fd = openSync(dest, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The files a metadata file brings: those it lists, their block maps, and its signature. */
function filesOf(info: UpdateInfo, feedName: string, exists: (name: string) => string | null): Source[] {
  const out: Source[] = [];
  for (const f of info.files) {
    const path = exists(f.url);
    if (!path) throw new PublishRefusal(`${feedName} lists ${f.url}, which is not in the folder; nothing was published`);
    out.push({ name: f.url, path, sha512: f.sha512, size: f.size });
    const map = exists(`${f.url}.blockmap`);
    if (map) out.push({ name: `${f.url}.blockmap`, path: map, ...(f.blockMapSize !== undefined && { size: f.blockMapSize }) });
  }
  return out;
}

function takeLock(dir: string): () => void {
  const lock = join(dir, '.publish.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8'));
      let alive = false;
      try {
        alive = Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new PublishRefusal(`another cairn server publish-update (process ${pid}) is publishing to this channel; wait for it`);
      rmSync(lock, { force: true });
    }
  }
  throw new PublishRefusal(`could not take ${lock}`);
}

/** Run as root for a server that runs as its own user: what is written becomes that user's, as the rest of its data. */
function ownLike(ref: string, paths: string[]): void {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(ref);
  if (uid === 0) return;
  const walk = (p: string): void => {
    chownSync(p, uid, gid);
    if (lstatSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  for (const p of paths) if (existsSync(p)) walk(p);
}

function releaseId(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Publishes the release in `o.from` on a channel: checks every metadata file, every file it lists
 * (present, size and SHA-512 as written, checked again on the copy), and the signatures when a
 * publishing key is in force; then stages a complete release folder and switches the channel to it
 * in one rename. Platforms not in `o.from` keep what they had. Any refusal leaves the feed unchanged.
 */
export async function publishUpdate(o: PublishOptions): Promise<PublishResult> {
  if (!CHANNEL.test(o.channel)) throw new PublishRefusal(`"${o.channel}" is not a channel name (lowercase letters, digits and dashes, like stable or beta)`);
  if (!existsSync(o.from) || !statSync(o.from).isDirectory()) throw new PublishRefusal(`no such folder: ${o.from}`);
  const feeds = readFeeds(o.from);
  const sigs = checkSignatures(o, feeds);
  const ownerRef = existsSync(o.root) ? o.root : join(o.root, '..');
  const channelDir = join(o.root, o.channel);
  mkdirSync(join(channelDir, 'releases'), { recursive: true, mode: 0o700 });
  const unlock = takeLock(channelDir);
  const now = (o.now ?? ((): Date => new Date()))();
  const id = releaseId(now);
  const staging = join(channelDir, `.staging-${id}`);
  try {
    const current = currentRelease(o.root, o.channel);
    checkVersions(o, feeds, current);
    const sources: Source[] = [];
    const manifest: ReleaseManifest = { format: 'cairn-update-release', channel: o.channel, publishedAt: now.toISOString(), feeds: {}, files: {} };
    for (const f of feeds) {
      sources.push({ name: f.name, path: join(o.from, f.name) }, ...filesOf(f.info, f.name, (n) => sourceFor(o.from, n)));
      const sig = sigs.get(f.name);
      if (sig) sources.push({ name: `${f.name}.sig`, path: sig });
      manifest.feeds[f.name] = { version: f.info.version, signed: sigs.has(f.name) };
    }
    const carried: string[] = [];
    for (const [name, was] of Object.entries(current?.manifest.feeds ?? {})) {
      if (!current || manifest.feeds[name]) continue;
      const parsed = parseUpdateInfo(readFileSync(join(current.dir, name), 'utf8'), name);
      if (!parsed.ok) throw new PublishRefusal(`the published ${name} cannot be read (${parsed.message}); publish that platform again too`);
      const inCurrent = (n: string): string | null => (current.manifest.files[n] ? join(current.dir, n) : null);
      const kept = [{ name, path: join(current.dir, name) }, ...filesOf(parsed.info, name, inCurrent)];
      if (was.signed) kept.push({ name: `${name}.sig`, path: join(current.dir, `${name}.sig`) });
      for (const k of kept) sources.push({ ...k, ...current.manifest.files[k.name] });
      manifest.feeds[name] = was;
      carried.push(name);
    }
    mkdirSync(staging, { mode: 0o700 });
    for (const s of sources) {
      if (s.name === 'release.json' || s.name === 'current.json' || !isFeedName(s.name)) throw new PublishRefusal(`${s.name} cannot be served under that name`);
      const dest = join(staging, s.name);
      if (!existsSync(dest)) place(s.path, dest, s.path.startsWith(channelDir));
      const got = await hashFile(dest);
      const prior = manifest.files[s.name];
      if ((s.size !== undefined && got.size !== s.size) || (s.sha512 !== undefined && got.sha512 !== s.sha512) || (prior && prior.sha512 !== got.sha512))
        throw new PublishRefusal(
          `${s.name} does not match its metadata (${got.size} bytes, expected ${s.size ?? prior?.size ?? '?'}; SHA-512 ${got.sha512 === s.sha512 ? 'matches' : 'differs'}): the file was changed after the build or is not the one built; nothing was published`,
        );
      manifest.files[s.name] = got;
    }
    writeFileSync(join(staging, 'release.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    fsyncDir(staging);
    renameSync(staging, join(channelDir, 'releases', id));
    fsyncDir(join(channelDir, 'releases'));
    // Important: the one switch. Before this rename laptops see the old release whole; after it, the new one whole.
    const tmp = join(channelDir, `.current-${id}.json`);
    writeFileSync(tmp, JSON.stringify({ release: id }) + '\n', { mode: 0o600 });
    renameSync(tmp, join(channelDir, 'current.json'));
    fsyncDir(channelDir);
    const older = releaseIds(o.root, o.channel).filter((r) => r !== id);
    for (const old of older.slice(0, Math.max(0, older.length - Math.max(1, o.keep ?? 3) + 1)))
      rmSync(join(channelDir, 'releases', old), { recursive: true, force: true });
    ownLike(ownerRef, [o.root]);
    return { channel: o.channel, release: id, feeds: manifest.feeds, files: Object.keys(manifest.files), carried };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}
