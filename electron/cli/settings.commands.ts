import { CliError, exitCodeOf, usageError } from './cli-error';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClinicInfo } from '../../shared/domain/prescriber';
import { dispatch } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { defaultResourcesDir } from '../services/paths';
import { Session } from '../services/session';
import { secretFrom } from './prompt';

export const SETTINGS_HELP = `  cairn settings clinic --db FILE [--name NAME] [--address LINE ...] [--phone P]
      Records the clinic's name, address (repeat --address for each line, up to 3) and phone,
      printed on prescriptions; kept on this device (set it on each device that prints).
      Without --name, --address or --phone, prints what is recorded as JSON.`;

interface ClinicFlags {
  db?: string | undefined;
  name?: string | undefined;
  address?: string[] | undefined;
  phone?: string | undefined;
}

function clinicFlags(args: string[]): ClinicFlags {
  try {
    return parseArgs({
      args,
      options: { db: { type: 'string' }, name: { type: 'string' }, address: { type: 'string', multiple: true }, phone: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw usageError(e);
  }
}

async function clinic(args: string[]): Promise<ClinicInfo> {
  const f = clinicFlags(args);
  if (!f.db) throw new CliError('missing --db (see cairn --help)', 2);
  const db = resolve(f.db);
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`, 1);
  const session = new Session({ dbFile: db, resourcesDir: defaultResourcesDir() });
  const handlers = createHandlers({ session });
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const r = await dispatch(handlers, channel, input);
    if (!r.ok) throw new CliError(r.error.message, 1);
    return r.value as T;
  };
  try {
    await call('session.unlock', { passphrase: await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase') });
    session.actAsOperator(`cli:${userInfo().username}`);
    const now = await call<ClinicInfo>('settings.clinic', {});
    if (f.name === undefined && f.address === undefined && f.phone === undefined) return now;
    // What is not given stays as recorded.
    return await call<ClinicInfo>('settings.setClinic', { name: f.name ?? now.name, addressLines: f.address ?? now.addressLines, phone: f.phone ?? now.phone });
  } finally {
    session.close();
  }
}

/** Runs `cairn settings clinic`: the clinic as JSON on stdout, or one line on stderr. Returns the exit code. */
export async function settingsCommand(sub: string | undefined, args: string[]): Promise<number> {
  try {
    if (sub !== 'clinic') throw new CliError(`unknown command "settings${sub ? ` ${sub}` : ''}" (see cairn --help)`, 2);
    process.stdout.write(`${JSON.stringify(await clinic(args), null, 2)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`cairn: ${e instanceof Error ? e.message : String(e)}\n`);
    return exitCodeOf(e);
  }
}
