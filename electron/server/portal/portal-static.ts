import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Hono } from 'hono';

/**
 * The portal's screens: the renderer build's second entry (out/renderer/portal.html) and its
 * assets, served under /portal. portal.html is answered for /portal/ and for any path under it that
 * names no file (the screens route on the client); /portal without the slash is redirected, so the
 * page's relative asset paths (./assets/…) resolve under /portal/. Nothing is inlined: the page's
 * Content-Security-Policy (portal-guard.ts) allows scripts only from this server.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Where the built screens are by default: out/renderer beside the resources folder (the repository, or the installed app). */
export function defaultPortalUiDir(resourcesDir: string): string {
  const candidates = [join(resourcesDir, '..', 'out', 'renderer'), join(resourcesDir, '..', 'app.asar', 'out', 'renderer')];
  return candidates.find((c) => existsSync(join(c, 'portal.html'))) ?? candidates[0]!;
}

const MISSING = (dir: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Patient portal unavailable</title></head>
<body><h1>The patient portal is not available yet</h1>
<p>This clinic server has no built portal screens (${dir.replace(/[<>&"]/g, '')}${sep}portal.html is missing).</p>
<p>If you run this server, build the screens with <code>npm run build</code> (or install a packaged Cairn) and restart it. If you are a patient, please call the clinic.</p>
</body></html>`;

function file(dir: string, rel: string): { body: Uint8Array<ArrayBuffer>; type: string } | null {
  const root = resolve(dir);
  const full = resolve(root, rel);
  // Important: nothing outside the build folder, and no dot files.
  if (!full.startsWith(root + sep) || rel.split('/').some((p) => p.startsWith('.') || p === '')) return null;
  const dot = full.lastIndexOf('.');
  const type = dot > full.lastIndexOf(sep) ? TYPES[full.slice(dot).toLowerCase()] : undefined;
  if (!type) return null;
  try {
    if (!statSync(full).isFile()) return null;
    return { body: new Uint8Array(readFileSync(full)), type };
  } catch {
    return null;
  }
}

/** Adds the screens' routes to the portal's Hono app (mounted at /portal). */
export function portalStaticRoutes(app: Hono, uiDir: string): void {
  const page = (): Response => {
    const html = file(uiDir, 'portal.html');
    if (!html) return new Response(MISSING(uiDir), { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '300' } });
    return new Response(html.body, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
  };
  app.get('/', (c) => (new URL(c.req.url).pathname.endsWith('/') ? page() : c.redirect('/portal/', 308)));
  app.get('/assets/*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname.replace(/^\/portal\//, ''));
    const f = file(uiDir, rel);
    if (!f) return c.text('not found', 404);
    // Built asset names carry a content hash: they never change, so they may be kept.
    return new Response(f.body, { headers: { 'content-type': f.type, 'cache-control': 'public, max-age=31536000, immutable' } });
  });
  app.get('/*', (c) => {
    const rel = decodeURIComponent(new URL(c.req.url).pathname.replace(/^\/portal\//, ''));
    if (rel === 'api' || rel.startsWith('api/'))
      return c.json({ error: { code: 'not_found', message: `no such endpoint: GET /portal/${rel.slice(0, 100)}` } }, 404);
    // A file at the top of the build (favicon, manifest) if there is one; otherwise a screen route.
    const f = rel.includes('/') ? null : file(uiDir, rel);
    if (f && rel !== 'index.html') return new Response(f.body, { headers: { 'content-type': f.type, 'cache-control': 'no-cache' } });
    return /\.[a-z0-9]+$/i.test(rel) ? c.text('not found', 404) : page();
  });
}
