import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Result } from '../../shared/api/result';
import { dispatch } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { defaultResourcesDir } from '../services/paths';
import { Session } from '../services/session';
import { CliError } from './cli-error';
import { secretFrom } from './prompt';

// What every database command shares: strict flags, required values, an unlocked session signed in
// as an audited operator, and JSON on stdout.

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the values' type is inferred from `options`, as parseArgs does
export function parse<T extends ParseArgsConfig['options']>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    if (unknown) throw new CliError(`unknown option ${unknown[1]} (see cairn --help)`, 2);
    throw new CliError(`${msg.split('\n')[0]} (see cairn --help)`, 2);
  }
}

export function need(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new CliError(`missing ${flag} (see cairn --help)`, 2);
  return value;
}

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CliError(r.error.message);
  return r.value;
}

/** Unlocks FILE and signs the command line in as an operator recorded in the audit log. */
export async function openSession(dbFlag: string | boolean | undefined): Promise<{ session: Session; call: (c: string, i: unknown) => Promise<unknown> }> {
  const db = resolve(need(dbFlag, '--db'));
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  const session = new Session({ dbFile: db, resourcesDir: defaultResourcesDir() });
  const handlers = createHandlers({ session });
  const call = async (c: string, i: unknown): Promise<unknown> => unwrap(await dispatch(handlers, c, i));
  await call('session.unlock', { passphrase: await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase') });
  session.actAsOperator(`cli:${userInfo().username}`);
  return { session, call };
}

/** Runs `fn` with an unlocked session and always closes it. */
export async function withSession<T>(
  dbFlag: string | boolean | undefined,
  fn: (s: { session: Session; call: (c: string, i: unknown) => Promise<unknown> }) => Promise<T>,
): Promise<T> {
  const opened = await openSession(dbFlag);
  try {
    return await fn(opened);
  } finally {
    opened.session.close();
  }
}

export function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
