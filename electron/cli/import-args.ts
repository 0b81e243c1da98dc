import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { unlockDatabase, type Store } from '../services/db/open';
import { defaultResourcesDir } from '../services/paths';
import { CliError, usageError } from './cli-error';
import { secretFrom } from './prompt';

// What the import and export commands (fhir, ccda) share: string flags plus file arguments, and the clinic database opened with its passphrase.

/** Parses `--name value` flags and positional file arguments against a zod schema (a usage error names what is wrong). */
export function options<T extends z.ZodType>(args: string[], names: string[], schema: T): z.infer<T> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true, allowPositionals: true });
  } catch (e) {
    throw usageError(e);
  }
  const r = schema.safeParse({ ...parsed.values, files: parsed.positionals });
  if (!r.success) throw new CliError(`${r.error.issues[0]!.message} (see cairn --help)`, 2);
  return r.data;
}

/** Opens the clinic database named by --db, asking for (or reading) the passphrase; a clear error otherwise. */
export async function open(dbFlag: string): Promise<Store> {
  const db = resolve(dbFlag);
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  try {
    return (await unlockDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'), { resourcesDir: defaultResourcesDir() })).store;
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
}
