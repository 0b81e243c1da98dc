import { timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { err, type Result } from '../../shared/api/result';
import { dispatch } from '../services/dispatch';
import type { Handlers } from '../services/handlers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
/** As large as the largest channel input (a FHIR bundle, 64 MiB); every other input is far smaller. */
const MAX_BODY = 64 * 1024 * 1024;

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: Result<unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body over 64 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A URL path with its percent-escapes decoded, or null when they are not valid UTF-8 (`/%E0`). */
function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * The dev:web transport: the built renderer and the contract over HTTP, on loopback only.
 * Every API call must carry the session token and come with our own Host and Origin, so a
 * web page elsewhere in the browser (DNS rebinding, CSRF) cannot reach the charts.
 */
export async function startWebServer(opts: { handlers: Handlers; rendererDir: string; token: string; port?: number; host?: '127.0.0.1' }): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  let allowedHosts: string[] = [];
  const server = createServer((req, res) => {
    // Important: any page the browser has open can send requests here, so no request may take the
    // process down: whatever a handler throws is answered (500, no details) and the server goes on.
    handle(req, res).catch((e: unknown) => {
      process.stderr.write(`cairn dev:web: request failed: ${e instanceof Error ? e.name : 'error'}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('the request could not be completed');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong Host header: use the address Cairn printed');
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const decoded = decodePath(path);
    if (decoded === null) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed URL: a percent-escape is not valid UTF-8');
      return;
    }
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, err('invalid_input', 'use POST for API calls'));
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
        return send(res, 403, err('forbidden', `requests from ${origin} are not allowed`));
      }
      const token = req.headers['x-cairn-token'];
      if (typeof token !== 'string' || !sameToken(token, opts.token)) {
        return send(res, 401, err('unauthenticated', 'missing or wrong session token: open the address Cairn printed'));
      }
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body === '' ? {} : JSON.parse(body);
      } catch (e) {
        return send(res, 400, err('invalid_input', `the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`));
      }
      const result = await dispatch(opts.handlers, decoded.slice('/api/'.length), input);
      return send(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = normalize(join(opts.rendererDir, path === '/' ? 'index.html' : decoded));
    if (!file.startsWith(opts.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Only a header can forbid framing: a <meta> CSP ignores frame-ancestors (renderer/index.html).
      'content-security-policy': "frame-ancestors 'none'",
      'x-frame-options': 'DENY',
    });
    // A file that goes away between the check and the read ends the answer, not the process.
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
