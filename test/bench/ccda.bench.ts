/**
 * C-CDA figures for `npm run bench`:
 * - `ccda.import.docs_per_s` (target ≥ 50): migration-mode import (`cairn import ccda`'s service
 *   run: read on a reading thread, match or create the chart, write the history, attach the XML,
 *   record the import) of files made from the ~200 KB example CCDs, each a different patient, into
 *   an encrypted database; `ccda.import.dense_docs_per_s` beside it, of synthetic CCDs five times as dense;
 * - `ccda.export.p95_ms` (target ≤ 100): the CCD of one patient with ten years of history (1,500
 *   results, 400 vitals, 40 problems, 30 medications, 40 immunizations, 120 visits), built from the
 *   chart and written as XML.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OID, type CcdaExport, type Code, type ObservationEntry } from '../../shared/ccda/model';
import { writeCcda } from '../../shared/ccda/write';
import { patientInput } from '../../shared/domain/patient';
import { CcdaMigration } from '../../electron/services/ccda/ccda-migrate';
import { runMigration } from '../../electron/services/ccda/ccda-migrate-run';
import { CcdaReadPool } from '../../electron/services/ccda/ccda-read-pool';
import { exportCcd } from '../../electron/services/ccda/ccda.handlers';
import { chartToCcda } from '../../electron/services/ccda/chart-snapshot';
import { newId } from '../../electron/common/ids';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { Session } from '../../electron/services/session';
import type { LatencyRow, Row } from './report';
import { percentile } from './stats';

export interface CcdaBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  latencyRow: LatencyRow;
  progress: (m: string) => void;
  resourcesDir: string;
}

const DOCS = 100;
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const EXPORTS = 40;
const loinc = (c: string, d: string): Code => ({ code: c, system: OID.loinc, systemName: 'LOINC', display: d });
const LABS: [string, string, string, number][] = [
  ['2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 95],
  ['4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 6.1],
  ['2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.9],
  ['2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 190],
  ['718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 13.5],
  ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 6.4],
];
const VITALS: [string, string, string, number][] = [
  ['8480-6', 'Systolic blood pressure', 'mm[Hg]', 122],
  ['8462-4', 'Diastolic blood pressure', 'mm[Hg]', 78],
  ['8867-4', 'Heart rate', '/min', 72],
  ['29463-7', 'Body weight', 'kg', 70],
];

function observation(l: [string, string, string, number], i: number, date: string): ObservationEntry {
  return {
    code: loinc(l[0], l[1]),
    translations: [],
    name: l[1],
    panel: null,
    value: { kind: 'quantity', value: Math.round(l[3] * (0.9 + (i % 20) / 100) * 10) / 10, unit: l[2] },
    interpretation: 'N',
    referenceRange: null,
    date,
    status: 'completed',
  };
}

/** A synthetic CCD of about 200 KB for patient number `n` (its own name, birth date and document id). */
export function syntheticCcd(n: number, sizes?: ExportSizes): string {
  return writeCcda(syntheticExport(n, sizes));
}

export interface ExportSizes {
  problems: number;
  meds: number;
  immunizations: number;
  results: number;
  vitals: number;
  encounters: number;
}

/** The model behind `syntheticCcd` (for profiling the writer on its own). */
export function syntheticExport(
  n: number,
  sizes: ExportSizes = { problems: 12, meds: 10, immunizations: 8, results: 100, vitals: 28, encounters: 10 },
): CcdaExport {
  const day = (k: number): string => new Date(Date.parse('2014-01-01T00:00:00Z') + k * 9 * 86_400_000).toISOString().slice(0, 10);
  const doc: CcdaExport = {
    kind: 'ccd',
    documentId: newId(),
    effectiveTime: '2024-06-01T10:00:00Z',
    patient: {
      ids: [{ root: '2.16.840.1.113883.19.5', extension: `B${n}` }],
      given: [`Bench${n}`],
      family: `Synthetic${n}`,
      birthDate: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
      sex: n % 2 ? 'female' : 'male',
      phone: null,
      email: null,
      address: null,
      race: null,
      ethnicity: null,
      language: null,
      mrn: `B${n}`,
    },
    organization: { id: '2.16.840.1.113883.19.5', name: 'Old Practice EMR', phone: null, address: null },
    author: { name: 'Dr. Old Practice', npi: null },
    problems: Array.from({ length: sizes.problems }, (_, i) => ({
      code: { code: String(38341003 + i), system: OID.snomed, systemName: 'SNOMED CT', display: `Condition ${i}` },
      translations: [],
      name: `Condition ${i}`,
      onset: day(i),
      resolved: null,
      status: 'active' as const,
    })),
    medications: Array.from({ length: sizes.meds }, (_, i) => ({
      code: { code: String(197361 + i), system: OID.rxnorm, systemName: 'RxNorm', display: `Medication ${i} 10 MG Oral Tablet` },
      translations: [],
      name: `Medication ${i} 10 MG Oral Tablet`,
      dose: { value: 1, unit: '1' },
      route: null,
      frequency: null,
      instructions: 'one tablet daily',
      start: day(i * 3),
      end: null,
      status: 'active' as const,
    })),
    allergies: [],
    immunizations: Array.from({ length: sizes.immunizations }, (_, i) => ({
      code: { code: ['140', '141', '150', '158'][i % 4]!, system: OID.cvx, systemName: 'CVX', display: 'Influenza vaccine' },
      translations: [],
      name: 'Influenza vaccine',
      date: day(i * 40),
      given: true,
      refusalReason: null,
      lotNumber: `L${i}`,
      manufacturer: null,
      route: null,
      dose: null,
    })),
    results: Array.from({ length: sizes.results }, (_, i) => observation(LABS[i % LABS.length]!, i, `${day(Math.floor(i / 6))}T08:30:00Z`)),
    vitals: Array.from({ length: sizes.vitals }, (_, i) => observation(VITALS[i % VITALS.length]!, i, `${day(Math.floor(i / 4) * 5)}T09:00:00Z`)),
    encounters: Array.from({ length: sizes.encounters }, (_, i) => ({
      code: null,
      translations: [],
      name: 'Office visit',
      start: `${day(i * 10)}T09:00:00Z`,
      end: null,
      location: 'Old Practice',
      performer: null,
      diagnoses: [],
    })),
    procedures: [],
    smoking: [],
  };
  return doc;
}

export async function openDevice(c: CcdaBenchContext, dir: string): Promise<Session> {
  const session = new Session({ dbFile: join(dir, 'bench.cairn'), resourcesDir: c.resourcesDir });
  const handlers = createHandlers({ session });
  const r = await dispatch(handlers, 'session.setup', {
    clinicName: 'Bench Clinic',
    passphrase: 'ccda bench clinic passphrase',
    adminUsername: 'admin',
    adminDisplayName: 'Ada Admin',
    adminPassword: 'amber kestrel 41',
  });
  if (!r.ok) throw new Error(r.error.message);
  return session;
}

/** Ten years of one patient's history, written straight into the tables the export reads. */
export function seedHistory(session: Session, patientId: string, by: string): void {
  const db = session.repos.store.sqlite;
  const stamp = ['2015-01-01T00:00:00.000Z', by, '2015-01-01T00:00:00.000Z', by];
  const day = (k: number, span: number): string => new Date(Date.parse('2015-01-01T00:00:00Z') + Math.floor((k / span) * 3650) * 86_400_000).toISOString();
  db.transaction(() => {
    const obs = db.prepare(
      `INSERT INTO observations (id, patient_id, category, loinc, display, value_num, unit, interpretation, status, effective_at, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'N', 'final', ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 1500; i++) {
      const l = LABS[i % LABS.length]!;
      obs.run(newId(), patientId, 'laboratory', l[0], l[1], l[3], l[2], day(i, 1500), ...stamp);
    }
    for (let i = 0; i < 400; i++) {
      const v = VITALS[i % VITALS.length]!;
      obs.run(newId(), patientId, 'vital-signs', v[0], v[1], v[3], v[2], day(i, 400), ...stamp);
    }
    const cond = db.prepare(
      `INSERT INTO conditions (id, patient_id, icd10, snomed, display, clinical_status, onset_date, chronic, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, 'active', ?, 0, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 40; i++) cond.run(newId(), patientId, `E11.${i % 10}`, String(44054006 + i), `Problem ${i}`, day(i, 40).slice(0, 10), ...stamp);
    const med = db.prepare(
      `INSERT INTO medication_events (id, patient_id, course_id, event, rxcui, drug_name, dose, source, effective_at, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, 'start', ?, ?, '10 mg', 'recorded', ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 30; i++) med.run(newId(), patientId, newId(), String(197361 + i), `Medication ${i}`, day(i, 30), ...stamp);
    const imm = db.prepare(
      `INSERT INTO immunizations (id, patient_id, cvx, administered_on, status, source, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, 'completed', 'administered', ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 40; i++) imm.run(newId(), patientId, ['140', '141', '150', '158'][i % 4]!, day(i, 40).slice(0, 10), ...stamp);
    const enc = db.prepare(
      `INSERT INTO encounters (id, patient_id, visit_type, status, reason, start_at, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'office_visit', 'finished', 'Follow-up', ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 120; i++) enc.run(newId(), patientId, day(i, 120), ...stamp);
  })();
}

/**
 * The example documents of about 200 KB (test/fixtures/ccda: HL7's CCD and Transfer Summary and
 * ONC's NIST ambulatory CCD, 168–243 KB and 21–32 entries each), as real-shaped exports are: mostly
 * narrative and header, a few dozen coded entries.
 */
const REAL_200KB = [
  'test/fixtures/ccda/hl7-examples/CCD_CCD-1_CCD.XML',
  'test/fixtures/ccda/hl7-examples/Transfer-Summary_Transfer_Summary.xml',
  'test/fixtures/ccda/sample-ccdas/NIST-Samples_CCDA_CCD_b1_Ambulatory_v2.xml',
];

/** Example `text` as patient number `n`'s: its own document id and birth date (so a chart of its own is made). */
export function asPatient(text: string, n: number): string {
  const born = new Date(Date.UTC(1940, 0, 1) + n * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const withId = text.replace(/<id\b[^>]*>/, `<id root="2.16.840.1.113883.19.5.99999.1" extension="BENCH-${n}"/>`);
  const out = withId.replace(/<birthTime\s+value="\d+"/, `<birthTime value="${born}"`);
  if (out === withId || withId === text) throw new Error('ccda bench: an example document has no header id or patient birth time to vary');
  return out;
}

/** Writes `docs` as files (as `cairn import ccda DIR` reads them) and imports them; returns the rate. */
async function importRun(
  c: CcdaBenchContext,
  session: Session,
  migration: CcdaMigration,
  files: string[],
  label: string,
  readers: { pool: CcdaReadPool } | { readThreads: 0 },
): Promise<{ perS: number; cpu: number; threads: number }> {
  c.progress(`ccda: importing ${files.length} documents, ${label}`);
  const t0 = performance.now();
  // CPU time too (this process's threads, GC helpers included): on a shared, busy machine the wall-clock rate says more about the neighbours.
  const cpu0 = process.cpuUsage();
  const { lines, readThreads: threads } = await runMigration(session.repos.store, migration, files, readers);
  const seconds = (performance.now() - t0) / 1000;
  const bad = lines.find((l) => l.error !== undefined || l.patient !== 'created');
  if (bad || lines.length !== files.length) throw new Error(`ccda bench: ${bad?.file}: ${bad?.error ?? bad?.patient ?? 'lines missing'}`);
  return { perS: Math.round((files.length / seconds) * 10) / 10, cpu: cpuMs(process.cpuUsage(cpu0)) / files.length, threads };
}

function writeFiles(dir: string, prefix: string, docs: string[]): { files: string[]; kb: number } {
  const files = docs.map((d, i) => {
    const f = join(dir, `${prefix}-${String(i).padStart(4, '0')}.xml`);
    writeFileSync(f, d);
    return f;
  });
  return { files, kb: Math.round(docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / docs.length / 1024) };
}

async function benchImports(c: CcdaBenchContext, session: Session, dir: string, pool: CcdaReadPool): Promise<void> {
  const actor = { userId: (session.repos.store.sqlite.prepare(`SELECT id FROM users LIMIT 1`).get() as { id: string }).id };
  const examples = REAL_200KB.map((f) => readFileSync(f, 'utf8'));
  const real = writeFiles(
    dir,
    'real',
    Array.from({ length: 3 * DOCS }, (_, n) => asPatient(examples[n % examples.length]!, n + 1)),
  );
  c.progress(`ccda: making ${2 * DOCS} synthetic dense CCDs of about 200 KB`);
  const dense = writeFiles(
    dir,
    'dense',
    Array.from({ length: 2 * DOCS }, (_, n) => syntheticCcd(n + 1)),
  );
  const migration = new CcdaMigration(session.repos, actor);
  // One document of each kind first (code maps and statements warmed), not counted.
  for (const warm of [asPatient(examples[0]!, 9_000), syntheticCcd(9_000)]) {
    const w = migration.importFile('warm.xml', Buffer.from(warm));
    if (w.error) throw new Error(`ccda bench: ${w.error}`);
  }
  // What `cairn import ccda` does: a reading thread parses a batch ahead, checkpoints on a thread of their own.
  const piped = await importRun(c, session, migration, real.files.slice(0, 2 * DOCS), 'example-shaped, as the CLI does', { pool });
  // Everything on the one thread, for comparison (what a single core would give).
  const alone = await importRun(c, session, migration, real.files.slice(2 * DOCS), 'example-shaped, on one thread', { readThreads: 0 });
  const heavy = await importRun(c, session, migration, dense.files, 'dense synthetic, as the CLI does', { pool });
  const load = loadavg()[0]!.toFixed(1);
  c.json['ccda.import.cpu_ms_per_doc'] = Math.round(piped.cpu * 10) / 10;
  c.json['ccda.import.one_thread_docs_per_s'] = alone.perS;
  c.json['ccda.import.dense_docs_per_s'] = heavy.perS;
  c.json['ccda.import.dense_cpu_ms_per_doc'] = Math.round(heavy.cpu * 10) / 10;
  c.json['ccda.loadavg_1m'] = Number(load);
  c.rows.push({
    label: 'ccda.import.docs_per_s',
    median: piped.perS,
    p95: null,
    n: 2 * DOCS,
    unit: '/s',
    target: '≥ 50/s',
    pass: piped.perS >= 50,
    note: `migration mode as \`cairn import ccda DIR\` runs it (files parsed on ${piped.threads} reading thread(s) a batch ahead, 25 files per commit, checkpoints off the writing thread): the ~200 KB example CCDs (${real.kb} KB, 21–32 entries each), each a new patient, a new chart each, XML attached, encrypted database; ${piped.cpu.toFixed(1)} ms CPU a document; all on one thread ${alone.perS}/s (load average ${load})`,
  });
  c.json['ccda.import.docs_per_s'] = piped.perS;
  c.rows.push({
    label: 'ccda.import.dense_docs_per_s',
    median: heavy.perS,
    p95: null,
    n: 2 * DOCS,
    unit: '/s',
    target: '',
    pass: null,
    note: `the same, of synthetic ${dense.kb} KB CCDs five times as dense (~170 entries each: 100 results, 28 vitals, 12 problems, 10 medications, 8 immunizations, 10 visits); ${heavy.cpu.toFixed(1)} ms CPU a document`,
  });
}

export async function benchCcda(c: CcdaBenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-ccda-bench-'));
  try {
    const session = await openDevice(c, dir);
    try {
      const actor = { userId: (session.repos.store.sqlite.prepare(`SELECT id FROM users LIMIT 1`).get() as { id: string }).id };
      // The CLI starts its reading threads before it unlocks the database; here, before the warm-up.
      const pool = new CcdaReadPool();
      try {
        await benchImports(c, session, dir, pool);
      } finally {
        await pool.close();
      }

      c.progress('ccda: seeding ten years of one patient and exporting its CCD');
      const patient = session.repos.patients.create(
        patientInput.parse({ givenName: 'Decade', familyName: 'Ofhistory', birthDate: '1960-04-04', sex: 'female' }),
        actor,
      );
      seedHistory(session, patient.id, actor.userId);
      exportCcd(session.repos, patient.id, actor, new Date());
      const times: number[] = [];
      const cpus: number[] = [];
      const reads: number[] = [];
      let size = 0;
      for (let i = 0; i < EXPORTS; i++) {
        const s = performance.now();
        const c0 = process.cpuUsage();
        size = exportCcd(session.repos, patient.id, actor, new Date()).xml.length;
        cpus.push(cpuMs(process.cpuUsage(c0)));
        times.push(performance.now() - s);
        // The chart read alone (the rest is writing the XML), so a miss can be placed.
        const r0 = performance.now();
        chartToCcda(session.repos, patient.id, actor, new Date());
        reads.push(performance.now() - r0);
      }
      const chartRead = Math.round(percentile(reads, 50) * 10) / 10;
      c.json['ccda.export.chart_read_median_ms'] = chartRead;
      const exportCpu = Math.round(percentile(cpus, 50) * 10) / 10;
      c.json['ccda.export.cpu_median_ms'] = exportCpu;
      c.latencyRow(
        'ccda.export',
        times,
        `CCD of 10 years (1,500 results, 400 vitals, 40 problems, 30 meds, 40 immunizations, 120 visits): ${Math.round(size / 1024)} KB; reading the chart ${chartRead} ms of it; ${exportCpu} ms CPU (median, load average ${loadavg()[0]!.toFixed(1)})`,
        100,
      );
    } finally {
      session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
