import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { destination as pinoDestination, pino, type DestinationStream, type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { ServerError } from './server-error';

/**
 * The clinic server's structured log: one JSON line per request and per event, never PHI.
 *
 * What a line may hold is decided here, not at the call sites: a request is logged as its method,
 * its *route pattern* (`/fhir/R4/:type/:id`, never the path a client sent, which may carry a name,
 * nor the query string, which carries FHIR searches), the status, the time taken and the error's
 * code. Bodies, headers and parameters are never read. As a second guard, fields that could hold
 * PHI or secrets are censored wherever they appear.
 */

const CENSORED = ['body', 'query', 'params', 'headers', 'authorization', 'password', 'token', 'name', 'givenName', 'familyName', 'birthDate', 'phone', 'email'];

const silent: Logger = pino({ level: 'silent' });
let current: Logger = silent;

/** The logger the server's middleware and events write to (silent until `cairn server` sets one). */
export function serverLogger(): Logger {
  return current;
}

/** Makes `logger` the server's (and returns the previous one, for tests). */
export function setServerLogger(logger: Logger): Logger {
  const before = current;
  current = logger;
  return before;
}

export interface ServerLogOptions {
  /** A file to write to, rotated by size; without it, stderr (the journal under systemd, the container's log). */
  file?: string;
  /** Rotate when the file reaches this size: a number of bytes, or with k, m or g (`10m`). */
  maxSize?: string;
  /** How many rotated files to keep beside the current one. */
  keep?: number;
  /** pino's level: `info` by default (CAIRN_LOG_LEVEL). `silent` logs nothing. */
  level?: string;
  /** Test hook: write here instead. */
  destination?: DestinationStream;
}

export interface ServerLog {
  logger: Logger;
  /** Writes out what is buffered and closes the file. */
  close(): Promise<void>;
}

/** `10m`, `512k`, `1g` or a number of bytes, as pino-roll reads it (whose own parser takes a bare number as megabytes). */
export function parseLogSize(text: string): string | null {
  const m = /^(\d+)\s*([kmg]?)$/i.exec(text.trim());
  if (!m || Number(m[1]) <= 0) return null;
  return `${m[1]}${m[2] ? m[2].toLowerCase() : 'b'}`;
}

function logger(level: string, destination: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'cairn-clinic-server', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...CENSORED, ...CENSORED.map((f) => `*.${f}`)], censor: '[redacted]' },
    },
    destination,
  );
}

/**
 * Opens the server's log. With a file: owner-only (0600), rotated by size into `NAME.1.log`,
 * `NAME.2.log`… (pino-roll), keeping `keep` old files (older ones, also from earlier runs, removed),
 * with `current.log` a link to the file being written.
 */
export async function openServerLog(o: ServerLogOptions = {}): Promise<ServerLog> {
  const level = o.level ?? process.env['CAIRN_LOG_LEVEL'] ?? 'info';
  if (o.destination) return { logger: logger(level, o.destination), close: () => Promise.resolve() };
  if (!o.file) {
    const stderr = pinoDestination({ dest: 2, sync: true });
    return { logger: logger(level, stderr), close: () => Promise.resolve() };
  }
  const size = parseLogSize(o.maxSize ?? '10m');
  if (!size) throw new Error(`the log size "${o.maxSize}" is not a size; give bytes or a number with k, m or g (10m)`);
  const keep = o.keep ?? 7;
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`the number of log files to keep must be a whole number of at least 1, got ${keep}`);
  // Important: before pino-roll, which links current.log before its stream has made the folder.
  mkdirSync(dirname(o.file), { recursive: true, mode: 0o700 });
  const stream = await pinoRoll({ file: o.file, size, limit: { count: keep, removeOtherLogFiles: true }, mkdir: true, symlink: true, mode: 0o600 });
  const log = logger(level, stream);
  let closed: Promise<void> | null = null;
  return {
    logger: log,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
        stream.flush(() => stream.end());
      })),
  };
}

/**
 * One line per request. Important: the route pattern only (see above); `/health` and `/ready`
 * probes (every few seconds from a container runtime) at debug level.
 */
export function requestLog(): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const log = current;
    const probe = c.req.path === '/health' || c.req.path === '/ready';
    if (!log.isLevelEnabled(probe ? 'debug' : 'info')) return;
    const route = routePath(c);
    const error = c.error;
    const line = {
      method: c.req.method,
      route: route === '*' || route === '/*' ? '(no route)' : route,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(error && { error: error instanceof ServerError ? error.code : error.name }),
    };
    if (probe) log.debug(line, 'probe');
    else if (c.res.status >= 500) log.error(line, 'request failed');
    else log.info(line, 'request');
  };
}
