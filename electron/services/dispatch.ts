import { CHANNELS, type Channel } from '../../shared/api/channels';
import { contract } from '../../shared/api/contract';
import { CairnFailure, err, ok, type Result } from '../../shared/api/result';
import { summarize, zodIssues } from './dispatch-errors';
import type { Logger } from 'pino';
import { silentLogger } from './log';

let sharedLog: Logger = silentLogger;
/** The process's logger for dispatch (Electron main and dev:web set one; the CLI stays quiet). */
export function setDispatchLogger(log: Logger): void {
  sharedLog = log;
}
const defaultLog = (): Logger => sharedLog;
import { AUTHORIZE, CHART_GUARD, type Handlers, type SignedIn } from './handlers';

function isChannel(c: string): c is Channel {
  return (CHANNELS as readonly string[]).includes(c);
}

/**
 * The one dispatcher: checks the channel, validates the input with the contract's schema, runs the
 * handler and returns a Result. Electron IPC, the CLI, the web transport and the e2e bridge all
 * call this; none re-implements validation.
 */
export async function dispatch(handlers: Handlers, channel: string, raw: unknown, log: Logger = defaultLog()): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    log.warn({ channel: channel.slice(0, 64), code: 'unknown_channel' }, 'refused call');
    return err('unknown_channel', `unknown channel "${channel}"`);
  }
  let caller: SignedIn | null | undefined;
  try {
    // The permission matrix first: a refused role learns nothing, not even what input is valid.
    // Who is calling is resolved here once and handed to the handler.
    caller = handlers[AUTHORIZE]?.(channel);
  } catch (e) {
    if (e instanceof CairnFailure) {
      log.info({ channel, code: e.code }, 'call refused');
      return err(e.code, e.message);
    }
    throw e;
  }
  const spec = contract[channel];
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    // Field paths only: the messages may quote what was typed.
    log.info({ channel, code: 'invalid_input', fields: issues.map((i) => i.path) }, 'invalid input');
    return err('invalid_input', summarize(issues), issues);
  }
  try {
    // Restricted charts: after validation, because the guard reads the patient ids from the input.
    handlers[CHART_GUARD]?.(channel, parsed.data);
    const handler = handlers[channel] as (i: unknown, me: SignedIn | null | undefined) => unknown;
    const value = await handler(parsed.data, caller);
    return ok(value);
  } catch (e) {
    if (e instanceof CairnFailure) {
      log.info({ channel, code: e.code }, 'call refused');
      return err(e.code, e.message, e.issues);
    }
    const message = e instanceof Error ? e.message : String(e);
    const sqliteCode = (e as { code?: string }).code ?? '';
    // Important: an unexpected error is logged by kind and stack position, never with its input.
    log.error(
      {
        channel,
        code: /SQLITE_/.test(sqliteCode) ? sqliteCode : 'internal',
        errorName: e instanceof Error ? e.name : typeof e,
        stack: e instanceof Error ? e.stack?.split('\n').slice(1, 4).join(' | ') : undefined,
      },
      'call failed',
    );
    if (/SQLITE_/.test(sqliteCode)) return err('database_error', `database error: ${message}`);
    return err('internal', `unexpected error: ${message}`);
  }
}
