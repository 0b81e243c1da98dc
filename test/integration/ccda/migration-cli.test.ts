import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCcda } from '../../../shared/ccda';
import { CCDA_SECTIONS, countEntries, type CcdaDocument } from '../../../shared/ccda/model';
import { dispatch } from '../../../electron/services/dispatch';
import { createHandlers } from '../../../electron/services/handlers';
import { Session } from '../../../electron/services/session';
import { CLI_ENV, cairn } from '../../helpers/cli';
import { resourcesDir, tempDir } from '../../helpers/temp-db';
import { validateCda } from '../../helpers/xmllint';
import { fixtureFiles } from './fixture-files';

// `cairn import ccda` (migration mode) and `cairn export ccda` through the real command line.

interface Line {
  file: string;
  patientId: string | null;
  patient: 'created' | 'matched' | 'review' | null;
  counts: Record<string, number> | null;
  skipped: { section: string; reason: string }[];
  alreadyImported?: true;
  error?: string;
}

const NIST = 'test/fixtures/ccda/sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml';
const lines = (out: string): Line[] =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

function read(file: string): CcdaDocument {
  const r = readCcda(readFileSync(file));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Rows of the database, read through a real session. */
async function query<T>(db: string, sql: string, ...args: unknown[]): Promise<T[]> {
  const session = new Session({ dbFile: db, resourcesDir });
  try {
    const r = await dispatch(createHandlers({ session }), 'session.unlock', { passphrase: CLI_ENV.CAIRN_PASSPHRASE });
    expect(r.ok).toBe(true);
    return session.repos.store.sqlite.prepare(sql).all(...args) as T[];
  } finally {
    session.close();
  }
}

describe('cairn import ccda (migration) and cairn export ccda', () => {
  const t = tempDir('cairn-ccda-cli-');
  const db = join(t.dir, 'clinic.cairn');
  const folder = join(t.dir, 'incoming');
  let first: Line[];

  beforeAll(() => {
    expect(cairn(['init', '--db', db, '--admin', 'alice', '--clinic', 'Hilltop Family Medicine']).code).toBe(0);
    cpSync('test/fixtures/ccda', folder, { recursive: true });
    writeFileSync(join(folder, 'zz-broken.xml'), '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>cut off');
  }, 300_000);
  afterAll(() => t.cleanup());

  it('prints one line per file; charts are created or matched; the broken file is an error line and the rest import', () => {
    const r = cairn(['import', 'ccda', '--db', db, folder]);
    first = lines(r.out);
    const files = fixtureFiles().length + 1;
    expect(first).toHaveLength(files);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cairn import ccda: \d+ files: \d+ charts created, \d+ matched/);
    const broken = first.find((l) => l.file.endsWith('zz-broken.xml'))!;
    expect(broken.error).toMatch(/cannot be read/);
    const good = first.filter((l) => l.error === undefined);
    expect(good.length).toBeGreaterThanOrEqual(files - 3);
    expect(good.some((l) => l.patient === 'created')).toBe(true);
    // Several example documents share one synthetic patient: the later ones match the chart the first made.
    expect(good.some((l) => l.patient === 'matched')).toBe(true);
    for (const l of good) if (l.patient !== 'review' && !l.alreadyImported) for (const s of CCDA_SECTIONS) expect(typeof l.counts![s]).toBe('number');
  }, 300_000);

  it('writes history as "imported from <source>", with the XML attached', async () => {
    const nist = first.find((l) => l.file.endsWith('NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml'))!;
    expect(nist.error).toBeUndefined();
    const conditions = await query<{ note: string }>(db, 'SELECT note FROM conditions WHERE patient_id = ?', nist.patientId);
    expect(conditions.length).toBeGreaterThan(0);
    expect(conditions.every((c) => /imported from /.test(c.note))).toBe(true);
    const docs = await query<{ n: number }>(db, `SELECT count(*) AS n FROM documents WHERE patient_id = ? AND origin = 'ccda'`, nist.patientId);
    expect(docs[0]!.n).toBeGreaterThan(0);
  });

  it('running the same files again writes nothing twice: each says already imported', async () => {
    const before = await query<{ n: number }>(
      db,
      'SELECT (SELECT count(*) FROM conditions) + (SELECT count(*) FROM observations) + (SELECT count(*) FROM patients) AS n',
    );
    const r = cairn(['import', 'ccda', '--db', db, NIST]);
    const [l] = lines(r.out);
    expect(l!.alreadyImported).toBe(true);
    expect(l!.skipped[0]!.reason).toMatch(/already imported/);
    const after = await query<{ n: number }>(
      db,
      'SELECT (SELECT count(*) FROM conditions) + (SELECT count(*) FROM observations) + (SELECT count(*) FROM patients) AS n',
    );
    expect(after[0]!.n).toBe(before[0]!.n);
  }, 300_000);

  it('exports a CCD that validates against the CDA schema and re-imports with the same counts', async () => {
    const nist = first.find((l) => l.file.endsWith('NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml'))!;
    const out = join(t.dir, 'export.xml');
    const r = cairn(['export', 'ccda', '--db', db, '--patient', nist.patientId!, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const xml = readFileSync(out, 'utf8');
    const v = validateCda(xml);
    expect(v.errors).toEqual([]);
    const exported = read(out);
    const counts = countEntries(exported);
    // What the chart holds, section by section, is what the document carries.
    const rows = await query<{ n: number }>(db, `SELECT count(*) AS n FROM conditions WHERE patient_id = ? AND deleted_at IS NULL`, nist.patientId);
    expect(counts.problems).toBe(rows[0]!.n);
    // Into a fresh database: a chart is made and every entry lands again.
    const fresh = join(t.dir, 'fresh.cairn');
    expect(cairn(['init', '--db', fresh, '--admin', 'alice']).code).toBe(0);
    const [again] = lines(cairn(['import', 'ccda', '--db', fresh, out]).out);
    expect(again!.patient).toBe('created');
    expect(again!.counts).toEqual(counts);
  }, 300_000);

  it('an uncertain match (same name and birth date, another sex) goes to the duplicate review and its history is skipped', async () => {
    const d = join(t.dir, 'review.cairn');
    expect(cairn(['init', '--db', d, '--admin', 'alice']).code).toBe(0);
    const p = read(NIST).header.patient!;
    const other = p.sex === 'male' ? 'female' : 'male';
    const made = cairn(['patients', 'add', '--db', d, '--given', p.given[0]!, '--family', p.family, '--birth-date', p.birthDate!, '--sex', other]);
    expect(made.code).toBe(0);
    const [l] = lines(cairn(['import', 'ccda', '--db', d, NIST]).out);
    expect(l!.patient).toBe('review');
    expect(l!.skipped.length).toBeGreaterThan(0);
    expect(l!.skipped[0]!.reason).toMatch(/duplicate review/);
    const conflicts = await query<{ kind: string; status: string }>(d, 'SELECT kind, status FROM sync_conflicts');
    expect(conflicts).toEqual([{ kind: 'duplicate_patient', status: 'open' }]);
    const history = await query<{ n: number }>(d, 'SELECT count(*) AS n FROM conditions');
    expect(history[0]!.n).toBe(0);
  }, 300_000);
});
