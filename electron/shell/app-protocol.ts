import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { PrivilegedScheme } from './electron-surface';

/**
 * The packaged window loads the renderer from cairn://app/, served by this handler, rather than from
 * file://. A page of its own origin shares nothing with other local files, and the handler can send
 * what only a response header can say: `frame-ancestors 'none'`, which a <meta> CSP ignores and which
 * Chromium sends no header events for on file:// (webRequest.onHeadersReceived never fires there).
 */
export const APP_SCHEME = 'cairn';
export const APP_HOST = 'app';
export const APP_RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const FRAME_ANCESTORS = "frame-ancestors 'none'";

/** Registered before the app is ready: standard (an origin, relative URLs), secure (like https), and fetch from its own pages. */
export const APP_SCHEME_PRIVILEGES: PrivilegedScheme = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = { 'Content-Security-Policy': FRAME_ANCESTORS, 'X-Content-Type-Options': 'nosniff' };

const refuse = (status: number): Response => new Response(null, { status, headers: SECURITY_HEADERS });

/** The file under `root` a cairn://app/ URL names, or an HTTP status when there is none it may serve. */
export function resolveAppPath(root: string, url: string): string | number {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 400;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return 404;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return 400;
  }
  if (path.includes('\0')) return 400;
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(join(base, path));
  // Important: an encoded "..", "/" or "\" must not reach outside the renderer's folder.
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return 403;
  return file;
}

/**
 * The cairn:// handler (protocol.handle): the built renderer's files under `root`, GET and HEAD only,
 * with their content type, nosniff and frame-ancestors 'none'.
 */
export function appProtocolHandler(root: string, read: (file: string) => Promise<Buffer> = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = resolveAppPath(root, request.url);
    if (typeof file === 'number') return refuse(file);
    let body: Buffer;
    try {
      body = await read(file);
    } catch {
      return refuse(404);
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
