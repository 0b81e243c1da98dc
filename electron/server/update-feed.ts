import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isFeedName } from '../common/update-release';
import type { ServerDbTarget } from './db/open';
import { ServerError } from './server-error';

/**
 * The clinic's update feed: what `cairn server publish-update` put in `<data dir>/updates/<channel>/`,
 * served at `/updates/<channel>/<file>` in electron-updater's generic-provider layout (the metadata
 * `latest*.yml` beside the installers and their `.blockmap`s), so laptops that only reach the clinic's
 * network update from it.
 *
 * On disk, each publication is a complete folder `releases/<id>/` with a `release.json` listing every
 * file it serves; `current.json` names the release being served and is replaced in one rename, so a
 * new version appears only once all of it is in place. Only listed files of the current release are
 * served (and a kept older release's `.blockmap`, which electron-updater fetches to download only what
 * changed); a request for anything else is answered 404 before any path is built from it.
 */

export const UPDATES_PATH = '/updates';

/** A channel's name: a folder name and a URL segment (`stable`, `beta`, `clinic-test`). */
export const CHANNEL = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** A release folder's name: when it was published (sorts in time order) and a random part. */
export const RELEASE_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/**
 * Where the feed lives: CAIRN_UPDATES_DIR when set (a clinic server on PostgreSQL has no data
 * directory), else `<data dir>/updates`; null (no feed) for an in-memory server.
 */
export function updatesDirFor(target: ServerDbTarget, env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env['CAIRN_UPDATES_DIR'];
  if (fromEnv) return fromEnv;
  return 'dataDir' in target ? join(target.dataDir, 'updates') : null;
}

const fileFacts = z.object({ sha512: z.string(), size: z.number().int().nonnegative() });

export const releaseManifest = z.object({
  format: z.literal('cairn-update-release'),
  channel: z.string().regex(CHANNEL),
  publishedAt: z.string(),
  /** Each metadata file of the release: the version it offers and whether its signature was checked. */
  feeds: z.record(z.string(), z.object({ version: z.string(), signed: z.boolean() })),
  /** Every file the release serves, with what the publisher checked it against. */
  files: z.record(z.string(), fileFacts),
});
export type ReleaseManifest = z.infer<typeof releaseManifest>;

const currentPointer = z.object({ release: z.string().regex(RELEASE_ID) });

export interface PublishedRelease {
  id: string;
  dir: string;
  manifest: ReleaseManifest;
}

/** The release folders of a channel, oldest first. */
export function releaseIds(root: string, channel: string): string[] {
  const dir = join(root, channel, 'releases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => RELEASE_ID.test(n))
    .sort();
}

export function readRelease(root: string, channel: string, id: string): PublishedRelease | null {
  const dir = join(root, channel, 'releases', id);
  try {
    const parsed = releaseManifest.safeParse(JSON.parse(readFileSync(join(dir, 'release.json'), 'utf8')));
    return parsed.success ? { id, dir, manifest: parsed.data } : null;
  } catch {
    return null;
  }
}

/** The release a channel serves now, or null when nothing was published (or its pointer is damaged). */
export function currentRelease(root: string, channel: string): PublishedRelease | null {
  let id: string;
  try {
    const parsed = currentPointer.safeParse(JSON.parse(readFileSync(join(root, channel, 'current.json'), 'utf8')));
    if (!parsed.success) return null;
    id = parsed.data.release;
  } catch {
    return null;
  }
  return readRelease(root, channel, id);
}

/** Which file of which release answers `name`: the current release's, or a kept older release's block map. */
function locate(root: string, channel: string, name: string): string | null {
  const current = currentRelease(root, channel);
  if (!current) return null;
  if (current.manifest.files[name]) return join(current.dir, name);
  if (!name.endsWith('.blockmap')) return null;
  for (const id of releaseIds(root, channel).reverse()) {
    const r = readRelease(root, channel, id);
    if (r?.manifest.files[name]) return join(r.dir, name);
  }
  return null;
}

/** One `bytes=a-b` range (RFC 9110 §14.1.2); null to send the whole file (no range, or several). */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges (multipart answers) are not offered; the whole file is a valid answer to them.
  if (!m) return header.includes(',') ? null : 'unsatisfiable';
  const [, a, b] = m;
  if (a === '' && b === '') return 'unsatisfiable';
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function contentType(name: string): string {
  if (name.endsWith('.yml')) return 'text/yaml; charset=utf-8';
  return 'application/octet-stream';
}

function serveFile(c: Context, file: string, name: string): Response {
  const size = statSync(file).size;
  const range = byteRange(c.req.header('range'), size);
  const headers: Record<string, string> = {
    'content-type': contentType(name),
    'accept-ranges': 'bytes',
    // The metadata changes at each publication; an installer never changes under its name, but a
    // cache in between has no business keeping either.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  // Important: a HEAD opens no file (a stream nobody reads would hold a descriptor until collected).
  if (c.req.method === 'HEAD' || size === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

/** The feed's routes, mounted at UPDATES_PATH; `root` is where `cairn server publish-update` writes. */
export function updateFeedRoutes(root: string): Hono {
  const app = new Hono();
  app.get('/:channel/:name', (c) => {
    const channel = c.req.param('channel');
    const name = c.req.param('name');
    // Important: checked before any path is made from them (`..%2F`, absolute paths, hidden files).
    if (!CHANNEL.test(channel) || !isFeedName(name) || name === 'release.json' || name === 'current.json')
      throw new ServerError(404, 'not_found', 'no such update file');
    const file = locate(root, channel, name);
    if (!file || !existsSync(file)) throw new ServerError(404, 'not_found', `no such update file on channel ${channel}: ${name}`);
    return serveFile(c, file, name);
  });
  return app;
}
