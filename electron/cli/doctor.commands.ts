import { CliError, exitCodeOf, usageError } from './cli-error';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CheckResult } from '../../shared/domain/doctor';
import { runningInfo } from '../server/server-info';
import { DEFAULT_SERVER_TIMEOUT_MS, doctorReport } from '../services/doctor/doctor.service';
import { defaultResourcesDir } from '../services/paths';
import { promptHidden } from './prompt';

export const DOCTOR_HELP = `  cairn doctor [--data-dir DIR] [--db FILE] [--server URL] [--ca FILE] [--cert FILE ...] [--backups DIR ...]
               [--timeout-ms N] [--json]
      Checks how Cairn is installed and running, each check pass / warn / fail with what to do:
      owner-only files on an encrypted volume and free disk space (DIR, FILE); the database's cipher,
      integrity (quick_check) and schema; its newest backup (verified, and not older than the clinic's
      setting); the clinic server (answers, clock skew, certificate expiry), changes waiting and changes
      it refused; certificate files (--cert, and clinic-server.json's); the lab interface's last message.
      FILE is opened with CAIRN_PASSPHRASE (asked on a terminal). Server checks give up after
      --timeout-ms (default ${DEFAULT_SERVER_TIMEOUT_MS}) and are skipped with a warning when it does not answer.
      Exit 1 when any check fails; warnings alone exit 0.`;

const MARK: Record<CheckResult['status'], string> = { pass: 'ok     ', warn: 'warn   ', fail: 'FAIL   ', unknown: 'unknown' };

interface Flags {
  'data-dir'?: string;
  db?: string;
  server?: string;
  ca?: string;
  cert?: string[];
  backups?: string[];
  'timeout-ms'?: string;
  json?: boolean;
}

function flags(args: string[]): Flags {
  try {
    return parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        db: { type: 'string' },
        server: { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string', multiple: true },
        backups: { type: 'string', multiple: true },
        'timeout-ms': { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw usageError(e);
  }
}

/** The clinic passphrase from CAIRN_PASSPHRASE, else asked on a terminal; without either the database's own checks say so. */
async function passphrase(): Promise<{ passphrase: string | null; noPassphrase?: string }> {
  const env = process.env['CAIRN_PASSPHRASE'];
  if (env) return { passphrase: env };
  if (process.stdin.isTTY) return { passphrase: await promptHidden('clinic passphrase: ') };
  return { passphrase: null, noPassphrase: 'set CAIRN_PASSPHRASE to check it' };
}

function running(dir: string): string | null {
  try {
    return runningInfo(dir)?.url ?? null;
  } catch {
    return null;
  }
}

async function doctor(args: string[]): Promise<number> {
  const f = flags(args);
  if (!f['data-dir'] && !f.db) throw new CliError('give --data-dir DIR (the clinic server) and/or --db FILE (a device database) (see cairn --help)', 2);
  const timeoutMs = f['timeout-ms'] === undefined ? DEFAULT_SERVER_TIMEOUT_MS : Number(f['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    throw new CliError('--timeout-ms must be a whole number of milliseconds, 100 to 60000', 2);
  if (f.ca && !existsSync(f.ca)) throw new CliError(`no such CA file: ${f.ca}`, 2);
  const dataDir = f['data-dir'] ? resolve(f['data-dir']) : undefined;
  const db = f.db ? resolve(f.db) : undefined;
  const report = await doctorReport({
    dataDir,
    db,
    ...(db || dataDir ? await passphrase() : { passphrase: null }),
    serverUrl: f.server,
    runningServerUrl: dataDir ? running(dataDir) : undefined,
    ca: f.ca ? readFileSync(f.ca) : undefined,
    certFiles: (f.cert ?? []).map((c) => resolve(c)),
    backupDirs: (f.backups ?? []).map((b) => resolve(b)),
    timeoutMs,
    resourcesDir: defaultResourcesDir(),
  });
  const failed = report.checks.filter((r) => r.status === 'fail').length;
  if (f.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    for (const r of report.checks) process.stdout.write(`${MARK[r.status]}  ${r.title}: ${r.message}\n`);
    process.stdout.write(failed === 0 ? 'No check failed.\n' : `${failed} check${failed === 1 ? '' : 's'} failed.\n`);
  }
  return failed === 0 ? 0 : 1;
}

/**
 * `cairn doctor`: one line per check (or the report as JSON). Exit 1 when any check fails, 0
 * otherwise (warnings and unknowns included), 2 for a usage mistake. Never rejects.
 */
export async function doctorCommand(args: string[]): Promise<number> {
  try {
    return await doctor(args);
  } catch (e) {
    process.stderr.write(`cairn: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    return exitCodeOf(e);
  }
}
