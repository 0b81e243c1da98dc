import { CliError } from './cli-error';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { csvMapping, importPatientsCsv } from '../services/fhir/csv-import';
import { exportNdjson, exportPatientBundle } from '../services/fhir/export';
import { FhirImporter, type ImportProgress } from '../services/fhir/import';
import { decodeJsonBytes } from '../services/fhir/json-bytes';
import { createRepos } from '../services/repos';
import { open, options } from './import-args';

export const FHIR_HELP = `  cairn import fhir --db FILE BUNDLE...
      Imports FHIR R4 transaction or collection Bundles (e.g. Synthea's; .ndjson files of Bulk Data
      resources too). Each patient's resources are applied in one transaction; importing the same
      bundle again changes nothing. Progress on stderr (TTY); a JSON summary per resource type on
      stdout; exits 1 if any resource had an error.
  cairn import csv --db FILE --mapping MAP.json FILE.csv
      Registers patients from a legacy CSV export; MAP.json maps columns to fields, e.g.
      {"columns": {"givenName": "First", "familyName": "Last", "birthDate": {"column": "DOB", "format": "MM/DD/YYYY"},
       "sex": {"column": "Sex", "values": {"F": "female", "M": "male"}}}, "identifiers": [{"column": "Chart", "system": "urn:legacy"}]}
      Prints { rows, accepted, rejected: [{ line, reason }] }; exits 1 if any row was rejected.
  cairn export fhir --db FILE --out DIR [--patient ID]
      Writes FHIR R4 Bulk Data NDJSON (Patient.ndjson, Observation.ndjson…) into DIR; with --patient,
      only that patient's record, and also DIR/Patient-ID.bundle.json (a collection Bundle).`;

const importArgs = z.object({ db: z.string().min(1, 'missing --db'), files: z.array(z.string()).min(1, 'missing the bundle files to import') });
const csvArgs = z.object({
  db: z.string().min(1, 'missing --db'),
  mapping: z.string().min(1, 'missing --mapping'),
  files: z.array(z.string()).length(1, 'give exactly one CSV file'),
});
const exportArgs = z.object({
  db: z.string().min(1, 'missing --db'),
  out: z.string().min(1, 'missing --out'),
  patient: z.uuid('--patient must be a patient id').optional(),
});

/** About this much bundle text is imported per commit (an encrypted commit costs milliseconds). */
const BATCH_BYTES = 32 * 1024 * 1024;

const operator = (): { userId: string } => ({ userId: `cli:${userInfo().username}` });

/** A one-line progress bar on stderr, redrawn in place (only on a TTY). */
function progressBar(): { update: (p: ImportProgress, fileNo: number, files: number) => void; end: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, end: () => undefined };
  let drawn = false;
  return {
    update: (p, fileNo, files) => {
      const width = 30;
      // Over all the files: those done, plus this one's share of its resources.
      const share = (fileNo - 1 + (p.total === 0 ? 1 : p.done / p.total)) / files;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}%  file ${fileNo}/${files} ${basename(p.source).slice(0, 40)} (${p.done}/${p.total} resources)\x1b[K`,
      );
      drawn = true;
    },
    end: () => {
      if (drawn) process.stderr.write('\n');
    },
  };
}

/** A Bulk Data NDJSON file as a collection bundle (one resource per line). */
function ndjsonAsBundle(text: string, file: string): unknown {
  const entry = text
    .split(/\r?\n/)
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.trim() !== '')
    .map(([l, i]) => {
      try {
        return { resource: JSON.parse(l) as unknown };
      } catch {
        throw new CliError(`${file}: line ${i + 1} is not JSON`);
      }
    });
  return { resourceType: 'Bundle', type: 'collection', entry };
}

/** A bundle file's text in the encoding it declares (RFC 8259); bytes that are not are refused. */
function jsonText(file: string): string {
  const d = decodeJsonBytes(readFileSync(file), file);
  if (!d.ok) throw new CliError(d.error);
  return d.text;
}

async function importFhir(args: string[]): Promise<number> {
  const a = options(args, ['db'], importArgs);
  for (const f of a.files) if (!existsSync(f)) throw new CliError(`no such file: ${f}`, 2);
  // Every file is checked before anything is imported: a refused one leaves the database as it was.
  for (const f of a.files) jsonText(f);
  const store = await open(a.db);
  try {
    const importer = new FhirImporter(createRepos(store), operator());
    const bar = progressBar();
    // Files in batches of about BATCH_BYTES per commit (each patient still a savepoint of its own).
    for (let i = 0; i < a.files.length;) {
      let bytes = 0;
      const start = i;
      while (i < a.files.length && (i === start || bytes < BATCH_BYTES)) bytes += statSync(a.files[i++]!).size;
      importer.batch(() =>
        a.files.slice(start, i).forEach((file, k) => {
          const text = jsonText(file);
          const progress = (p: ImportProgress): void => bar.update(p, start + k + 1, a.files.length);
          if (file.endsWith('.ndjson')) importer.importJson(ndjsonAsBundle(text, file), file, progress);
          else importer.importText(text, file, progress);
        }),
      );
    }
    bar.end();
    process.stdout.write(JSON.stringify(importer.summary, null, 2) + '\n');
    return importer.summary.errors.length === 0 ? 0 : 1;
  } finally {
    store.close();
  }
}

async function importCsv(args: string[]): Promise<number> {
  const a = options(args, ['db', 'mapping'], csvArgs);
  const file = a.files[0]!;
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`, 2);
  if (!existsSync(a.mapping)) throw new CliError(`no such mapping file: ${a.mapping}`, 2);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(a.mapping, 'utf8'));
  } catch (e) {
    throw new CliError(`${a.mapping} is not JSON: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  const mapping = csvMapping.safeParse(raw);
  if (!mapping.success) {
    const i = mapping.error.issues[0]!;
    throw new CliError(`${a.mapping}: ${i.path.join('.') || 'mapping'}: ${i.message}`, 2);
  }
  const store = await open(a.db);
  try {
    const r = importPatientsCsv(createRepos(store), operator(), readFileSync(file, 'utf8'), mapping.data);
    process.stdout.write(JSON.stringify({ file, rows: r.rows, accepted: r.accepted, rejected: r.rejected }, null, 2) + '\n');
    return r.rejected.length === 0 ? 0 : 1;
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  } finally {
    store.close();
  }
}

async function exportFhir(args: string[]): Promise<number> {
  const a = options(args, ['db', 'out', 'patient'], exportArgs);
  const store = await open(a.db);
  try {
    if (a.patient !== undefined && !store.sqlite.prepare('SELECT 1 FROM patients WHERE id = ? AND deleted_at IS NULL').get(a.patient))
      throw new CliError(`no patient with id ${a.patient}`);
    const out = resolve(a.out);
    const files = exportNdjson(store.sqlite, out, a.patient);
    let bundle: string | undefined;
    if (a.patient !== undefined) {
      bundle = join(out, `Patient-${a.patient}.bundle.json`);
      writeFileSync(bundle, JSON.stringify(exportPatientBundle(store.sqlite, a.patient), null, 1));
    }
    // Audited: an export is a disclosure of every chart in it.
    createRepos(store).writer.read('fhir.export', operator(), a.patient ?? null);
    process.stdout.write(JSON.stringify({ out, files, ...(bundle !== undefined && { bundle }) }, null, 2) + '\n');
    return 0;
  } finally {
    store.close();
  }
}

/** `cairn import fhir|csv` and `cairn export fhir`. */
export async function fhirCommand(cmd: string, sub: string | undefined, args: string[]): Promise<number> {
  if (cmd === 'import' && sub === 'fhir') return importFhir(args);
  if (cmd === 'import' && sub === 'csv') return importCsv(args);
  if (cmd === 'export' && sub === 'fhir') return exportFhir(args);
  throw new CliError(`unknown command "${[cmd, sub].filter(Boolean).join(' ')}" (see cairn --help)`, 2);
}
