import { CHANNELS, type Channel } from '../../shared/api/channels';
import { contract } from '../../shared/api/contract';
import { CairnFailure, err, ok, type Result } from '../../shared/api/result';
import { summarize, zodIssues } from './dispatch-errors';
import type { Handlers } from './handlers';

function isChannel(c: string): c is Channel {
  return (CHANNELS as readonly string[]).includes(c);
}


/**
 * The one dispatcher: checks the channel, validates the input with the contract's schema, runs the
 * handler and returns a Result. Electron IPC, the CLI, the web transport and the e2e bridge all
 * call this; none re-implements validation.
 */
export async function dispatch(handlers: Handlers, channel: string, raw: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return err('unknown_channel', `unknown channel "${channel}"`);
  const spec = contract[channel];
  const parsed = spec.input.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    return err('invalid_input', summarize(issues), issues);
  }
  try {
    const handler = handlers[channel] as (i: unknown) => unknown;
    const value = await handler(parsed.data);
    return ok(value);
  } catch (e) {
    if (e instanceof CairnFailure) return err(e.code, e.message, e.issues);
    const message = e instanceof Error ? e.message : String(e);
    if (/SQLITE_/.test((e as { code?: string }).code ?? '')) return err('database_error', `database error: ${message}`);
    return err('internal', `unexpected error: ${message}`);
  }
}
