/**
 * Population health figures for `npm run bench` (`--only measures`):
 * - measures.all.s: every quality measure (CMS165, 122, 125, 130, 138, 117) for a calendar year
 *   over 100,000 synthetic patients in an encrypted database, from cold (facts loaded from the
 *   database, nothing cached). Target ≤ 10 s.
 * - measures.due_list.s: the practice's preventive due list over the same patients (info).
 * The clinical rows are written with plain INSERTs (no audit/outbox: this is not a write test):
 * hypertension in 30 %, diabetes in 10 %, two visits a year with blood pressures, HbA1c for the
 * diabetic, tobacco screening for half, screening procedures, childhood vaccines for the under-3s,
 * and 1,000,000 other observations the measures must skip.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newId } from '../../electron/common/ids';
import { immunizationsDueFor } from '../../electron/services/chart-summary';
import { createDatabase } from '../../electron/services/db/open';
import { PopulationService } from '../../electron/services/population/population.service';
import { createRepos } from '../../electron/services/repos';
import { yearPeriod } from '../../shared/domain/measures';
import { createRng } from './generate';
import type { Row } from './report';

export interface MeasuresBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  progress: (msg: string) => void;
  resourcesDir: string;
  patients?: number;
}

const KDF = { N: 2 ** 14, r: 8, p: 1 };
const AT = '2026-01-02T00:00:00.000Z';
const BY = 'bench';
const NOISE_LOINCS = ['2345-7', '2160-0', '718-7', '6690-2', '789-8', '777-3', '2951-2', '2823-3', '17861-6', '1742-6'];

function seed(sqlite: Database.Database, n: number, progress: (m: string) => void): { observations: number } {
  const rng = createRng(20_261_125);
  const ins = {
    patient: sqlite.prepare(
      `INSERT INTO patients (id, mrn, given_name, family_name, birth_date, sex, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, '${AT}', '${BY}', '${AT}', '${BY}')`,
    ),
    condition: sqlite.prepare(
      `INSERT INTO conditions (id, patient_id, icd10, display, clinical_status, onset_date, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, 'active', ?, '${AT}', '${BY}', '${AT}', '${BY}')`,
    ),
    obs: sqlite.prepare(
      `INSERT INTO observations (id, patient_id, category, loinc, value_num, value_code, status, effective_at, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, 'final', ?, '${AT}', '${BY}', '${AT}', '${BY}')`,
    ),
    proc: sqlite.prepare(
      `INSERT INTO procedures (id, patient_id, code_system, code, display, status, performed_start, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'http://snomed.info/sct', ?, ?, 'completed', ?, '${AT}', '${BY}', '${AT}', '${BY}')`,
    ),
    visit: sqlite.prepare(
      `INSERT INTO encounters (id, patient_id, visit_type, status, provider_id, start_at, created_at, created_by, updated_at, updated_by) VALUES (?, ?, 'office_visit', 'finished', NULL, ?, '${AT}', '${BY}', '${AT}', '${BY}')`,
    ),
    shot: sqlite.prepare(
      `INSERT INTO immunizations (id, patient_id, cvx, administered_on, source, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, 'administered', '${AT}', '${BY}', '${AT}', '${BY}')`,
    ),
  };
  let observations = 0;
  const date = (y: number): string => `${y}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const obs = (pid: string, category: string, loinc: string, value: number | null, on: string, code: string | null = null): void => {
    ins.obs.run(newId(), pid, category, loinc, value, code, `${on}T10:00:00Z`);
    observations++;
  };
  const BATCH = 5000;
  for (let start = 0; start < n; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(n, start + BATCH); i++) {
        const pid = newId();
        const child = rng.chance(0.03);
        const birth = child ? date(2024) : date(rng.int(1930, 2008));
        ins.patient.run(pid, `B${i}`, `Given${i % 997}`, `Family${i % 4999}`, birth, rng.chance(0.5) ? 'female' : 'male');
        for (let v = 0; v < 2; v++) {
          const on = date(2026);
          ins.visit.run(newId(), pid, `${on}T09:00:00Z`);
          if (!child) {
            obs(pid, 'vital-signs', '8480-6', rng.int(100, 170), on);
            obs(pid, 'vital-signs', '8462-4', rng.int(60, 105), on);
          }
        }
        if (child) {
          for (const [cvx, doses] of [
            ['20', 4],
            ['10', 3],
            ['03', 1],
            ['49', 3],
            ['08', 3],
            ['21', 1],
            ['133', 4],
            ['83', 1],
            ['119', 2],
            ['140', 2],
          ] as const) {
            for (let d = 0; d < doses; d++) if (rng.chance(0.95)) ins.shot.run(newId(), pid, cvx, date(2025));
          }
          continue;
        }
        if (rng.chance(0.3)) ins.condition.run(newId(), pid, 'I10', 'Essential (primary) hypertension', date(rng.int(2010, 2025)));
        if (rng.chance(0.1)) {
          ins.condition.run(newId(), pid, 'E11.9', 'Type 2 diabetes mellitus without complications', date(rng.int(2010, 2025)));
          obs(pid, 'laboratory', '4548-4', rng.int(55, 120) / 10, date(2026));
        }
        if (rng.chance(0.5)) obs(pid, 'social-history', '72166-2', null, date(2026), rng.chance(0.15) ? '449868002' : '266919005');
        if (rng.chance(0.2)) ins.proc.run(newId(), pid, '73761001', 'Colonoscopy', `${date(rng.int(2014, 2026))}T08:00:00Z`);
        if (rng.chance(0.25)) ins.proc.run(newId(), pid, '71651007', 'Mammography', `${date(rng.int(2023, 2026))}T08:00:00Z`);
        for (let k = 0; k < 10; k++) obs(pid, 'laboratory', NOISE_LOINCS[k]!, rng.int(1, 300), date(rng.int(2020, 2026)));
      }
    })();
    if ((start / BATCH) % 4 === 0) progress(`measures: ${Math.min(n, start + BATCH).toLocaleString('en-US')} of ${n.toLocaleString('en-US')} patients seeded`);
  }
  return { observations };
}

export async function benchMeasures(c: MeasuresBenchContext): Promise<void> {
  const n = c.patients ?? 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-measures-'));
  try {
    const { store } = await createDatabase(join(dir, 'measures.cairn'), 'bench measures passphrase', { resourcesDir: c.resourcesDir, kdf: KDF });
    const repos = createRepos(store);
    const { observations } = seed(store.sqlite, n, c.progress);
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    c.progress(`measures: computing every measure for 2026 over ${n.toLocaleString('en-US')} patients (${observations.toLocaleString('en-US')} observations)`);
    const runs: number[] = [];
    let denominators = 0;
    for (let r = 0; r < 3; r++) {
      // A new service each run: nothing cached, the facts are read from the encrypted database.
      const service = new PopulationService(store.sqlite, repos.resources, (pid, on) => immunizationsDueFor(repos, pid, on));
      const t0 = performance.now();
      const reports = service.reports(yearPeriod(2026));
      runs.push(performance.now() - t0);
      denominators = reports.reduce((s, m) => s + (m.populations[0]?.denominator ?? 0), 0);
      if (reports.find((m) => m.id === 'CMS165')!.populations[0]!.denominator < n * 0.2)
        throw new Error('measures bench void: CMS165 denominator implausibly small');
    }
    const service = new PopulationService(store.sqlite, repos.resources, (pid, on) => immunizationsDueFor(repos, pid, on));
    const t0 = performance.now();
    const due = service.dueList({ statuses: ['due', 'overdue'], limit: 1000 }, '2026-06-15');
    const dueMs = performance.now() - t0;
    runs.sort((a, b) => a - b);
    const median = runs[1]! / 1000;
    c.rows.push({
      label: 'measures.all',
      median: median * 1000,
      p95: null,
      n: runs.length,
      unit: 'ms',
      target: '≤ 10 s',
      pass: median <= 10,
      note: `6 measures, ${n.toLocaleString('en-US')} patients, ${observations.toLocaleString('en-US')} observations, encrypted; cold load each run; median of 3; ${denominators.toLocaleString('en-US')} denominator places`,
    });
    c.rows.push({
      label: 'measures.due_list',
      median: dueMs,
      p95: null,
      n: 1,
      unit: 'ms',
      target: '',
      pass: null,
      note: `9 preventive rules over ${n.toLocaleString('en-US')} patients, ${due.total.toLocaleString('en-US')} items due (info)`,
    });
    c.json['measures.all.s'] = +median.toFixed(2);
    c.json['measures.due_list.s'] = +(dueMs / 1000).toFixed(2);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
