import { CliError, exitCodeOf } from './cli-error';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dispatch } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { defaultResourcesDir } from '../services/paths';
import { Session } from '../services/session';
import { secretFrom } from './prompt';

/** `cairn users …` subcommands that live here (`users add` stays in main.ts). */
export const USERS_COMMANDS = ['disable', 'enable', 'reset-password', 'update'] as const;
type UsersCommand = (typeof USERS_COMMANDS)[number];

export const USERS_HELP = `  cairn users disable --db FILE --username U
  cairn users enable --db FILE --username U
      Disables (or enables again) an account: a disabled user cannot sign in, and an open session
      of theirs ends on its next action. The last active administrator cannot be disabled.
  cairn users reset-password --db FILE --username U
      Sets a new password (from CAIRN_NEW_PASSWORD, else asked twice on a TTY; the password policy
      applies), clears any lockout and ends the user's open sessions.
  cairn users update --db FILE --username U [--npi N] [--dea D]
      Records a physician's NPI (10 digits, check digit verified) and DEA number (2 letters and
      7 digits, check digit verified), printed on prescriptions; an empty value ("") clears it.`;

export function isUsersCommand(sub: string | undefined): sub is UsersCommand {
  return (USERS_COMMANDS as readonly (string | undefined)[]).includes(sub);
}

function options(args: string[], sub: UsersCommand): { db: string; username: string; npi?: string | undefined; dea?: string | undefined } {
  let values: { db?: string | undefined; username?: string | undefined; npi?: string | undefined; dea?: string | undefined };
  // --npi and --dea belong to `update` only: elsewhere they are unknown options.
  const ids: NonNullable<ParseArgsConfig['options']> = sub === 'update' ? { npi: { type: 'string' }, dea: { type: 'string' } } : {};
  try {
    ({ values } = parseArgs({ args, options: { db: { type: 'string' }, username: { type: 'string' }, ...ids }, strict: true, allowPositionals: false }) as {
      values: typeof values;
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    throw new CliError(unknown ? `unknown option ${unknown[1]} (see cairn --help)` : `${msg.split('\n')[0]} (see cairn --help)`, 2);
  }
  if (!values.db) throw new CliError('missing --db (see cairn --help)', 2);
  if (!values.username) throw new CliError('missing --username (see cairn --help)', 2);
  if (sub === 'update' && values.npi === undefined && values.dea === undefined) throw new CliError('give --npi and/or --dea (see cairn --help)', 2);
  return { db: resolve(values.db), username: values.username, npi: values.npi, dea: values.dea };
}

/** Unlocks the database as the command-line operator (audited as `cli:<os user>`), runs `fn`, closes it. */
async function asOperator<T>(db: string, fn: (call: (channel: string, input: unknown) => Promise<unknown>) => Promise<T>): Promise<T> {
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`, 1);
  const session = new Session({ dbFile: db, resourcesDir: defaultResourcesDir() });
  const handlers = createHandlers({ session });
  const call = async (channel: string, input: unknown): Promise<unknown> => {
    const r = await dispatch(handlers, channel, input);
    if (!r.ok) throw new CliError(r.error.message, 1);
    return r.value;
  };
  try {
    await call('session.unlock', { passphrase: await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase') });
    session.actAsOperator(`cli:${userInfo().username}`);
    return await fn(call);
  } finally {
    session.close();
  }
}

async function run(sub: UsersCommand, args: string[]): Promise<string> {
  const { db, username, npi, dea } = options(args, sub);
  if (sub === 'update') {
    return asOperator(db, async (call) => {
      const u = (await call('users.update', { username, ...(npi !== undefined && { npi }), ...(dea !== undefined && { dea }) })) as {
        npi: string | null;
        dea: string | null;
      };
      return `${username}: NPI ${u.npi ?? 'not recorded'}, DEA ${u.dea ?? 'not recorded'}`;
    });
  }
  if (sub === 'reset-password') {
    return asOperator(db, async (call) => {
      // Ask for the new password only for an account that exists.
      const known = (await call('users.list', {})) as { username: string }[];
      if (!known.some((u) => u.username === username.toLowerCase())) throw new CliError(`no user named "${username}"`, 1);
      await call('users.resetPassword', { username, password: await secretFrom('CAIRN_NEW_PASSWORD', `new password for ${username}`, true) });
      return `password of ${username} reset (any lockout cleared); their open sessions end on their next action`;
    });
  }
  return asOperator(db, async (call) => {
    await call(sub === 'disable' ? 'users.disable' : 'users.enable', { username });
    return `${username} ${sub === 'disable' ? 'disabled: cannot sign in' : 'enabled: can sign in again'}`;
  });
}

/**
 * Runs `cairn users disable|enable|reset-password|update`: one line on stdout when done, one line on
 * stderr and a non-zero exit code otherwise. Returns the exit code.
 */
export async function usersCommand(sub: UsersCommand, args: string[]): Promise<number> {
  try {
    process.stdout.write(`${await run(sub, args)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`cairn: ${e instanceof Error ? e.message : String(e)}\n`);
    return exitCodeOf(e);
  }
}
