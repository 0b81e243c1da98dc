import { CliError } from './cli-error';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDoctor, type CheckResult } from '../services/doctor/checks';

export const DOCTOR_HELP = `  cairn doctor [--data-dir DIR] [--db FILE] [--json]
      Checks how Cairn is installed: the clinic server's data directory and a device database are
      owner-only and sit on an encrypted volume (LUKS/dm-crypt, FileVault, BitLocker; "unknown" when
      it cannot tell). Human text, or --json; exits 1 when a check fails.`;

const MARK: Record<CheckResult['status'], string> = { pass: 'ok     ', warn: 'warn   ', fail: 'FAIL   ', unknown: 'unknown' };

/** `cairn doctor`: one line per check (or JSON); exit 1 when any check fails, 0 otherwise (warnings and unknowns included). */
export function doctorCommand(args: string[]): number {
  let values: { 'data-dir'?: string; db?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { 'data-dir': { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    throw new CliError(unknown ? `unknown option ${unknown[1]} (see cairn --help)` : `${msg} (see cairn --help)`, 2);
  }
  if (!values['data-dir'] && !values.db)
    throw new CliError('give --data-dir DIR (the clinic server) and/or --db FILE (a device database) (see cairn --help)', 2);
  const results = runDoctor({ ...(values['data-dir'] && { dataDir: resolve(values['data-dir']) }), ...(values.db && { db: resolve(values.db) }) });
  const failed = results.filter((r) => r.status === 'fail').length;
  if (values.json) process.stdout.write(JSON.stringify({ ok: failed === 0, checks: results }, null, 2) + '\n');
  else {
    for (const r of results) process.stdout.write(`${MARK[r.status]}  ${r.title}: ${r.message}\n`);
    process.stdout.write(failed === 0 ? 'No check failed.\n' : `${failed} check${failed === 1 ? '' : 's'} failed.\n`);
  }
  return failed === 0 ? 0 : 1;
}
