import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CCDA_SECTIONS } from '../../shared/ccda/model';
import { CcdaMigration } from '../services/ccda/ccda-migrate';
import { runMigration } from '../services/ccda/ccda-migrate-run';
import { CcdaReadPool } from '../services/ccda/ccda-read-pool';
import { exportCcd } from '../services/ccda/ccda.handlers';
import { createRepos } from '../services/repos';
import { CliError } from './cli-error';
import { open, options } from './import-args';

export const CCDA_HELP = `  cairn import ccda --db FILE DIR|FILE...
      Migration mode: imports C-CDA documents (.xml, folders searched recursively) as history. Each
      document's patient is matched to a chart by name, birth date and sex, or a chart is made; an
      uncertain match goes to the duplicate review and its history is skipped. Prints one JSON line
      per file ({file, patientId, patient: created|matched|review, counts, skipped}, or an error),
      a summary on stderr; a file imported before is not imported again. Exits 1 if any file failed.
  cairn export ccda --db FILE --patient ID --out FILE.xml
      Writes the patient's chart as a C-CDA R2.1 CCD (audited as a disclosure).`;

const importArgs = z.object({ db: z.string().min(1, 'missing --db'), files: z.array(z.string()).min(1, 'missing the C-CDA files or folders to import') });
const exportArgs = z.object({
  db: z.string().min(1, 'missing --db'),
  patient: z.uuid('--patient must be a patient id'),
  out: z.string().min(1, 'missing --out'),
  files: z.array(z.string()).max(0, 'export ccda takes no other arguments'),
});

const operator = (): { userId: string } => ({ userId: `cli:${userInfo().username}` });

/** The files named, folders expanded to the .xml files under them (sorted, so a batch runs the same way twice). */
function expand(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.xml$/i.test(name)) out.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new CliError(`no such file or folder: ${p}`, 2);
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

async function importCcda(args: string[]): Promise<number> {
  const a = options(args, ['db'], importArgs);
  const files = expand(a.files);
  // The reading threads load while the database's key is derived (a second or so of scrypt).
  const pool = new CcdaReadPool();
  const store = await open(a.db).catch(async (e: unknown) => {
    await pool.close();
    throw e;
  });
  const tally = { files: files.length, created: 0, matched: 0, review: 0, alreadyImported: 0, errors: 0, entries: 0, skipped: 0 };
  try {
    const migration = new CcdaMigration(createRepos(store), operator());
    // Lines are printed after their batch commits, so a printed line is a kept import.
    await runMigration(store, migration, files, {
      pool,
      onCheckpointError: (m) => void process.stderr.write(`cairn: checkpoint: ${m}\n`),
      onLines: (batch) => {
        for (const line of batch) {
          process.stdout.write(`${JSON.stringify(line)}\n`);
          if (line.error !== undefined) tally.errors++;
          else if (line.alreadyImported) tally.alreadyImported++;
          else if (line.patient) tally[line.patient]++;
          tally.entries += line.counts ? CCDA_SECTIONS.reduce((n, s) => n + line.counts![s], 0) : 0;
          tally.skipped += line.skipped.length;
        }
      },
    });
  } finally {
    await pool.close();
    store.close();
  }
  process.stderr.write(
    `cairn import ccda: ${tally.files} files: ${tally.created} charts created, ${tally.matched} matched, ${tally.review} sent to duplicate review, ${tally.alreadyImported} already imported, ${tally.errors} failed; ${tally.entries} entries written, ${tally.skipped} skipped\n`,
  );
  return tally.errors > 0 ? 1 : 0;
}

async function exportCcda(args: string[]): Promise<number> {
  const a = options(args, ['db', 'patient', 'out'], exportArgs);
  const store = await open(a.db);
  try {
    const repos = createRepos(store);
    const { xml } = exportCcd(repos, a.patient, operator(), new Date());
    writeFileSync(resolve(a.out), xml);
    process.stdout.write(`${JSON.stringify({ patientId: a.patient, out: resolve(a.out), bytes: Buffer.byteLength(xml) })}\n`);
  } catch (e) {
    throw e instanceof CliError ? e : new CliError(e instanceof Error ? e.message : String(e));
  } finally {
    store.close();
  }
  return 0;
}

/** `cairn import ccda` and `cairn export ccda`. */
export async function ccdaCommand(cmd: 'import' | 'export', args: string[]): Promise<number> {
  return cmd === 'import' ? importCcda(args) : exportCcda(args);
}
