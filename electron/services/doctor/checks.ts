import { BACKUP_CHECKS } from './backup.check';
import { DATABASE_CHECKS } from './database.checks';
import { FILE_CHECKS } from './files.checks';
import { INSTALL_CHECKS } from './install.checks';
import { SYNC_CHECKS } from './sync.checks';
import type { CheckResult, DoctorCheck, DoctorContext, Outcome } from './context';

export type { CheckResult, CheckStatus, DoctorCheck, DoctorContext, Outcome } from './context';

/**
 * `cairn doctor` and the Health screen: small checks of how Cairn is installed and running. Each
 * says pass, warn, fail or unknown with one sentence of what was found and what to do. Add a check
 * by adding an entry to one of these lists; a check returns null where it does not apply (no server
 * data directory given, a device not enrolled), and is then left out of the report.
 */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [...INSTALL_CHECKS, ...DATABASE_CHECKS, ...BACKUP_CHECKS, ...SYNC_CHECKS, ...FILE_CHECKS];

/** Runs every check in order (one at a time: they share the database connection); a check that throws says so as unknown. */
export async function runDoctor(ctx: DoctorContext, checks: readonly DoctorCheck[] = DOCTOR_CHECKS): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const c of checks) {
    let r: Outcome | null;
    try {
      r = await c.run(ctx);
    } catch (e) {
      r = {
        status: 'unknown',
        message: `the check itself failed (${e instanceof Error ? e.message : String(e)}): run cairn doctor again, and report it if it repeats`,
      };
    }
    // One sentence on one line, whatever a library's message held.
    if (r) out.push({ id: c.id, title: c.title, status: r.status, message: r.message.replace(/\s*\n\s*/g, '; ') });
  }
  return out;
}
