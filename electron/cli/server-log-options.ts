import { resolve } from 'node:path';
import { openServerLog, parseLogSize, setServerLogger, type ServerLog } from '../server/logging';

/** `cairn server`'s log flags (parseArgs types). */
export const SERVER_LOG_OPTIONS = { 'log-file': 'string', 'log-max-size': 'string', 'log-keep': 'string' } as const;

export const SERVER_LOG_HELP = `      Logs: one JSON line per request (method, route pattern, status, time; never a path, query or
      body, so no PHI). --log-file FILE [--log-max-size 10m] [--log-keep 7] writes them to FILE,
      rotated by size (FILE's name.1.log, .2.log…, current.log links to the newest); without it
      they go to stderr when CAIRN_LOG_LEVEL is set (info, debug…; the systemd unit sets it).`;

type Values = Record<string, string | boolean | undefined>;

/**
 * Opens the server's log from `cairn server`'s flags and makes it the server's logger. Without
 * --log-file and without CAIRN_LOG_LEVEL the server stays quiet, as before (stdout carries the
 * "listening" line scripts read, stderr one-line problems).
 */
export async function startServerLog(v: Values, fail: (message: string, code?: number) => Error): Promise<ServerLog> {
  const usage = (m: string): Error => fail(m, 2);
  const file = typeof v['log-file'] === 'string' ? v['log-file'] : undefined;
  if (!file && (v['log-max-size'] !== undefined || v['log-keep'] !== undefined)) throw usage('--log-max-size and --log-keep need --log-file FILE');
  const maxSize = typeof v['log-max-size'] === 'string' ? v['log-max-size'] : '10m';
  if (!parseLogSize(maxSize)) throw usage(`invalid --log-max-size "${maxSize}": give bytes or a number with k, m or g (10m)`);
  const keep = Number(v['log-keep'] ?? 7);
  if (!Number.isInteger(keep) || keep < 1 || keep > 1000) throw usage(`invalid --log-keep "${String(v['log-keep'])}": a whole number from 1 to 1000`);
  const level = process.env['CAIRN_LOG_LEVEL'] ?? (file ? 'info' : 'silent');
  let log: ServerLog;
  try {
    log = await openServerLog(file ? { file: resolve(file), maxSize, keep, level } : { level });
  } catch (e) {
    throw fail(`cannot open the log file ${file ?? ''}: ${e instanceof Error ? e.message : String(e)}`);
  }
  setServerLogger(log.logger);
  return log;
}
