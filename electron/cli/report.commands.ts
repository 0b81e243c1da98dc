import { CliError, usageError } from './cli-error';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clinicDate, isIsoDate } from '../../shared/domain/dates';
import { clinicZoneOf } from '../services/schedule/schedule-config';
import { immunizationsDueFor } from '../services/chart-summary';
import { unlockDatabase, type Store } from '../services/db/open';
import { defaultResourcesDir } from '../services/paths';
import { PopulationService } from '../services/population/population.service';
import { createRepos } from '../services/repos';
import { secretFrom } from './prompt';

export const REPORT_HELP = `  cairn report measures --db FILE --period YYYY [--provider USER_ID]
      Computes the quality measures (CMS165, CMS122, CMS125, CMS130, CMS138, CMS117) for the
      calendar year and prints them as JSON: denominator, exclusions, numerator, gaps, rate.
  cairn report due --db FILE [--on YYYY-MM-DD] [--rule ID ...] [--provider USER_ID] [--csv]
      Prints the patients due or overdue for preventive care (JSON, or CSV for outreach).`;

function options(args: string[]): Record<string, string | boolean | string[] | undefined> {
  try {
    return parseArgs({
      args,
      options: {
        db: { type: 'string' },
        period: { type: 'string' },
        provider: { type: 'string' },
        on: { type: 'string' },
        rule: { type: 'string', multiple: true },
        csv: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw usageError(e);
  }
}

async function open(dbFlag: unknown): Promise<Store> {
  if (typeof dbFlag !== 'string' || dbFlag === '') throw new CliError('missing --db (see cairn --help)', 2);
  const db = resolve(dbFlag);
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  return (await unlockDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'), { resourcesDir: defaultResourcesDir() })).store;
}

/** `cairn report measures|due`: the same figures as the dashboard, for scripts and submissions. */
export async function reportCommand(sub: string | undefined, args: string[]): Promise<number> {
  if (sub !== 'measures' && sub !== 'due') throw new CliError(`unknown command "report${sub ? ` ${sub}` : ''}" (see cairn --help)`, 2);
  const v = options(args);
  const provider = typeof v['provider'] === 'string' ? v['provider'] : undefined;
  let year = 0;
  if (sub === 'measures') {
    const period = v['period'];
    if (typeof period !== 'string' || !/^\d{4}$/.test(period) || Number(period) < 2000 || Number(period) > 2100)
      throw new CliError(`--period must be a year such as 2026 (got "${String(period ?? '')}")`, 2);
    year = Number(period);
  }
  const given = typeof v['on'] === 'string' ? v['on'] : null;
  if (given !== null && !isIsoDate(given)) throw new CliError(`invalid date "${given}": use YYYY-MM-DD`, 2);
  const store = await open(v['db']);
  try {
    const repos = createRepos(store);
    // Without --on: today in the clinic's zone (clinic-hours.json), as the app's due list reads it.
    const on = given ?? clinicDate(new Date(), clinicZoneOf(repos.resources));
    const service = new PopulationService(store.sqlite, repos.resources, (pid, day) => immunizationsDueFor(repos, pid, day));
    const actor = { userId: `cli:${userInfo().username}` };
    if (sub === 'measures') {
      repos.writer.read('population.measures', actor, null, 'measure_report', String(year));
      process.stdout.write(JSON.stringify({ period: year, provider: provider ?? null, measures: service.measures(year, provider) }, null, 2) + '\n');
      return 0;
    }
    const rule = v['rule'];
    const rules = Array.isArray(rule) ? rule : undefined;
    const input = {
      on,
      statuses: ['due' as const, 'overdue' as const],
      limit: 100_000,
      ...(rules && { ruleIds: rules }),
      ...(provider && { providerId: provider }),
    };
    repos.writer.read('population.due_list', actor, null, 'due_list', rules?.join(',') ?? 'all');
    process.stdout.write(v['csv'] === true ? service.dueListCsv(input, on) : JSON.stringify(service.dueList(input, on), null, 2) + '\n');
    return 0;
  } finally {
    store.close();
  }
}
