/**
 * The scale profile, `npm run bench -- --scale clinic [--scale-patients N]`: a five-provider
 * clinic after ten years (50,000 charts by default, ~7.4 M synced rows plus ~2.6 M audit entries),
 * as one new laptop would hold it.
 *
 * 1. The clinic server (PostgreSQL on 127.0.0.1:5432, else PGlite) gets the clinic's users through
 *    a real enrollment and push, then the decade's history written into its change log in SQL
 *    (scale-seed.ts).
 * 2. A new device, in a child process of its own (scale-device.ts), enrolls, signs in and pulls it
 *    all: scale.initial_sync.rows_per_s and the device's peak RSS during it.
 * 3. The device's audit history (52 entries per chart, chained through the real AuditRepo) is
 *    added, then measured on that database through the app's own code: patient search, opening a
 *    chart and a results trend through the dispatcher (as the renderer calls them), the face sheet,
 *    every quality measure for 2026, the production encrypted backup, the file's size.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer, type RunningServer } from '../../electron/server/server';
import { createBackup } from '../../electron/services/backup/backup';
import { buildChartSummary, immunizationsDueFor } from '../../electron/services/chart-summary';
import { createDatabase, resolveKey } from '../../electron/services/db/open';
import { dispatch } from '../../electron/services/dispatch';
import { createHandlers } from '../../electron/services/handlers';
import { PopulationService } from '../../electron/services/population/population.service';
import { createRepos } from '../../electron/services/repos';
import { Session } from '../../electron/services/session';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { yearPeriod } from '../../shared/domain/measures';
import type { Patient } from '../../shared/domain/patient';
import type { Role } from '../../shared/domain/user';
import { fileSetBytes } from './core.bench';
import { known, LIMIT, sampleSearch, type Known } from './core-data';
import { createPatientGenerator, createRng } from './generate';
import type { LatencyRow, Row } from './report';
import type { DeviceJob, DeviceReport } from './scale-device';
import { patientId, seedClinic, TREND_LOINC } from './scale-seed';
import { serverDb, signIn } from './server-db';
import { breathe, median } from './stats';

export interface ScaleBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  latencyRow: LatencyRow;
  progress: (msg: string) => void;
  resourcesDir: string;
  patients: number;
  seed: number;
}

const KDF = { N: 2 ** 14, r: 8, p: 1 };
const PASSPHRASE = 'bench scale device passphrase';
const TODAY = '2026-12-01';
/** Audit entries per chart on the device: ~5 per visit (open, vitals, note, sign, results) over the decade. */
const AUDIT_PER_PATIENT = 52;
const SAMPLES = 300;
const ADMIN = { username: 'scaleadmin', password: 'scale orchid meadow 1' };
const DOC_PASSWORD = 'scale cobalt fern 1';

/** The clinic's staff, made by an administrator on a first device and pushed: five physicians, two nurses, a front desk. */
async function staffTheClinic(dir: string, server: RunningServer, resourcesDir: string): Promise<{ physicians: string[]; nurses: string[]; doctor: string }> {
  const { store } = await createDatabase(join(dir, 'front-office.cairn'), 'bench front office passphrase', { resourcesDir, kdf: KDF });
  try {
    const repos = createRepos(store);
    const admin = await repos.users.create({ username: ADMIN.username, displayName: 'Scale Admin', role: 'admin', password: ADMIN.password }, null);
    const { code } = await server.sync.createEnrollmentCode('front-office');
    await enrollThisDevice(store, repos, { serverUrl: server.url, code, deviceName: 'front-office' });
    const staff = async (username: string, role: Role): Promise<string> =>
      (await repos.users.create({ username, displayName: `Scale ${username}`, role, password: DOC_PASSWORD }, admin.id)).id;
    const physicians: string[] = [];
    for (let i = 1; i <= 5; i++) physicians.push(await staff(`scaledoc${i}`, 'physician'));
    const nurses = [await staff('scalenurse1', 'nurse'), await staff('scalenurse2', 'nurse')];
    await staff('scalefront', 'front_desk');
    await signIn(store, ADMIN.username, ADMIN.password);
    const s = await clientFor(store, repos, () => admin.id).syncOnce();
    if (s.error || s.pushed < 8) throw new Error(`pushing the clinic's staff failed: ${s.error?.message ?? `${s.pushed} pushed`}`);
    return { physicians, nurses, doctor: 'scaledoc1' };
  } finally {
    store.close();
  }
}

/** Runs the new device in its own process; its report is its last stdout line. */
function runDevice(job: DeviceJob): Promise<DeviceReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/bench/scale-device.ts'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) rej(new Error(`the scale device exited with ${code}: ${err.trim().slice(-2000)}`));
      else res(JSON.parse(last) as DeviceReport);
    });
  });
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export async function benchScale(c: ScaleBenchContext): Promise<void> {
  const n = c.patients;
  const dir = mkdtempSync(join(tmpdir(), 'cairn-scale-bench-'));
  const db = await serverDb('scale');
  const server = await startServer({ target: db.target, resourcesDir: c.resourcesDir, port: 0 });
  let serverOpen = true;
  const session = new Session({ dbFile: join(dir, 'device.cairn'), resourcesDir: c.resourcesDir });
  try {
    c.progress(`scale: clinic server on ${db.label}; staffing the clinic`);
    const staff = await staffTheClinic(dir, server, c.resourcesDir);

    // 1. The decade in the change log.
    const list: Known[] = [];
    const tSeed = performance.now();
    const seeded = await seedClinic(
      server,
      n,
      staff,
      createPatientGenerator(c.seed),
      // The input plus the id and MRN the chart got: what known() reads of a stored patient.
      (g, p, mrn) => list.push(known({ ...p, id: patientId(g), mrn } as unknown as Patient)),
      c.progress,
    );
    const seedS = (performance.now() - tSeed) / 1000;
    c.progress(`scale: ${seeded.total.toLocaleString('en-US')} changes seeded in ${seedS.toFixed(0)} s (${JSON.stringify(seeded.rows)})`);

    // 2. A new device takes it all, in its own process.
    c.progress('scale: initial sync of the whole clinic into a new device (child process)');
    const { code } = await server.sync.createEnrollmentCode('scale-device');
    const dev = await runDevice({
      file: session.dbFile,
      passphrase: PASSPHRASE,
      resourcesDir: c.resourcesDir,
      serverUrl: server.url,
      code,
      username: staff.doctor,
      password: DOC_PASSWORD,
      pullPage: 5000,
    });
    const expected: Record<string, number> = {
      patients: seeded.rows['patient'] ?? 0,
      encounters: seeded.rows['encounter'] ?? 0,
      appointments: seeded.rows['appointment'] ?? 0,
      clinical_notes: seeded.rows['note'] ?? 0,
      observations: seeded.rows['observation'] ?? 0,
      medication_events: seeded.rows['medication_event'] ?? 0,
      conditions: seeded.rows['condition'] ?? 0,
      allergies: seeded.rows['allergy'] ?? 0,
      immunizations: seeded.rows['immunization'] ?? 0,
    };
    const short = Object.entries(expected).filter(([t, want]) => dev.counts[t] !== want);
    if (dev.parked > 0 || short.length > 0)
      throw new Error(`the initial sync is void: ${dev.parked} changes parked; ${short.map(([t, w]) => `${t} ${dev.counts[t]} of ${w}`).join(', ')}`);
    const rate = dev.pulled / dev.seconds;
    c.rows.push({
      label: 'scale.initial_sync.rows_per_s',
      median: rate,
      p95: null,
      n: dev.pulled,
      unit: '/s',
      target: '≥ 20,000/s',
      pass: rate >= 20_000,
      note: `${dev.pulled.toLocaleString('en-US')} rows in ${dev.seconds.toFixed(0)} s into a new encrypted device, pages of 5,000, server on ${db.label}`,
    });
    c.json['scale.initial_sync.rows_per_s'] = Math.round(rate);
    c.json['scale.initial_sync.s'] = Math.round(dev.seconds * 10) / 10;
    c.json['scale.initial_sync.rows'] = dev.pulled;
    const peak = dev.vmHwmMb;
    c.rows.push({
      label: 'scale.initial_sync.peak_rss',
      median: NaN,
      p95: null,
      n: 1,
      unit: 'ms',
      target: '≤ 600 MB',
      pass: peak <= 600,
      note: `${peak.toFixed(0)} MiB peak RSS of the device process (VmHWM); ${dev.rssBeforeMb.toFixed(0)} MiB before the pull, ${dev.vmHwmPagesMb.toFixed(0)} MiB peak until the last page (then the deferred indexes are built)`,
    });
    c.json['scale.initial_sync.peak_rss_mb'] = Math.round(peak);
    c.json['scale.initial_sync.rss_before_mb'] = Math.round(dev.rssBeforeMb);
    c.json['scale.initial_sync.peak_rss_pages_mb'] = Math.round(dev.vmHwmPagesMb);

    // 3. The device, as the app opens it: unlock, a physician signs in (checked by the server).
    await session.unlock(PASSPHRASE);
    await session.login(staff.doctor, DOC_PASSWORD);
    await server.close();
    serverOpen = false;
    await db.drop();
    const repos = session.repos;
    const handlers = createHandlers({ session, now: () => new Date(`${TODAY}T15:00:00Z`) });
    const call = async (channel: string, input: unknown): Promise<unknown> => {
      const r = await dispatch(handlers, channel, input);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    };

    // The device's own audit history over the decade, through the real chain (HMAC, anchored).
    const auditTotal = n * AUDIT_PER_PATIENT;
    c.progress(`scale: ${auditTotal.toLocaleString('en-US')} audit entries of the device's decade`);
    const actions = ['chart.open', 'vitals.record', 'note.create', 'note.sign', 'labs.results', 'chart.open', 'medication.start', 'patients.search'];
    const users = [...staff.physicians, ...staff.nurses];
    const t0 = Date.parse('2016-12-01T08:00:00Z');
    const step = (Date.parse(`${TODAY}T00:00:00Z`) - t0) / auditTotal;
    const tAudit = performance.now();
    for (let done = 0; done < auditTotal;) {
      const count = Math.min(50_000, auditTotal - done);
      session.repos.store.sqlite.transaction(() => {
        for (let i = done; i < done + count; i++) {
          const action = actions[i % actions.length]!;
          const pid = action === 'patients.search' ? null : patientId(1 + ((i * 7919) % n));
          repos.audit.append(
            { action, userId: users[i % users.length]!, patientId: pid, recordType: pid ? 'patient' : null, recordId: pid },
            new Date(t0 + i * step).toISOString(),
          );
        }
      })();
      done += count;
      await breathe();
    }
    c.json['scale.audit.entries'] = (repos.store.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    c.json['scale.audit.append_s'] = Math.round((performance.now() - tAudit) / 100) / 10;
    repos.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const totalRows = dev.pulled + Number(c.json['scale.audit.entries']);
    c.json['scale.rows'] = totalRows;

    // Search, as the core benchmark does (find(), limit 25), over the clinic's charts.
    const rng = createRng(c.seed ^ 0x5ca1e);
    c.progress('scale: patient search');
    const search = sampleSearch(['family3', 'givenFamily3', 'mrn', 'birthIso'], SAMPLES * 2, rng, list, (q) => repos.patients.find(q, LIMIT), false);
    c.latencyRow(
      'scale.search',
      search.times,
      `find(), limit ${LIMIT}, over ${n.toLocaleString('en-US')} charts; family prefix, given + family prefix, MRN, birth date`,
      5,
    );

    // Heavy charts: 50 visits, 350 vital signs, 240 results, 50 signed notes each.
    const heavy = Array.from({ length: Math.floor(n / 10) }, (_, i) => patientId(10 * (i + 1)));
    const pick = (i: number): string => heavy[(i * 7919) % heavy.length]!;
    c.progress('scale: chart open, face sheet, results trend');
    for (let i = 0; i < 20; i++) await call('chart.summary', { patientId: pick(i) });
    const open: number[] = [];
    for (let i = 0; i < SAMPLES; i++) open.push(await timeAsync(() => call('chart.summary', { patientId: pick(1000 + i) })));
    c.latencyRow(
      'scale.chart_open',
      open,
      'chart.summary through the dispatcher (role check, audited read, face sheet) for charts of 50 visits, 350 vitals, 240 results',
      50,
    );
    const face: number[] = [];
    for (let i = 0; i < SAMPLES; i++) face.push(time(() => buildChartSummary(repos, pick(2000 + i), TODAY)));
    c.latencyRow('scale.face_sheet', face, 'buildChartSummary alone (read only) for the same heavy charts');
    for (let i = 0; i < 20; i++) await call('labs.trend', { patientId: pick(i), loinc: TREND_LOINC });
    const trend: number[] = [];
    for (let i = 0; i < SAMPLES; i++) trend.push(await timeAsync(() => call('labs.trend', { patientId: pick(3000 + i), loinc: TREND_LOINC })));
    c.latencyRow('scale.results_trend', trend, `labs.trend through the dispatcher, HbA1c (${TREND_LOINC}) over ten years (30 results of 240 on the chart)`);

    // Every quality measure for 2026 over the whole clinic, cold (a new service each run).
    c.progress('scale: quality measures over the whole clinic');
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const service = new PopulationService(repos.store.sqlite, repos.resources, (pid, on) => immunizationsDueFor(repos, pid, on));
      let denominator = 0;
      runs.push(
        time(() => {
          denominator = service.reports(yearPeriod(2026)).find((m) => m.id === 'CMS165')!.populations[0]!.denominator;
        }),
      );
      if (denominator < n * 0.05) throw new Error(`measures void: CMS165 denominator ${denominator} of ${n} charts`);
      if (runs[0]! > 20_000) break; // one cold run is enough when it is this slow
      await breathe();
    }
    const measuresS = median(runs) / 1000;
    c.rows.push({
      label: 'scale.measures',
      median: measuresS * 1000,
      p95: null,
      n: runs.length,
      unit: 'ms',
      target: '≤ 30 s',
      pass: measuresS <= 30,
      note: `every measure for 2026 over ${n.toLocaleString('en-US')} charts, cold; median of ${runs.length}`,
    });
    c.json['scale.measures.s'] = Math.round(measuresS * 100) / 100;

    // The production encrypted backup of the whole file, and its size.
    const bytes = fileSetBytes(dir, 'device.cairn');
    c.json['scale.db_bytes'] = bytes;
    c.progress(`scale: encrypted backup of ${mb(bytes)}`);
    const { key } = await resolveKey(session.dbFile, PASSPHRASE);
    const out = join(dir, 'backup', 'device.cairn-backup');
    const backupMs = await timeAsync(() => createBackup({ dbFile: session.dbFile, key, out }));
    key.fill(0);
    rmSync(join(dir, 'backup'), { recursive: true, force: true });
    c.rows.push({
      label: 'scale.backup',
      median: backupMs,
      p95: null,
      n: 1,
      unit: 'ms',
      target: '',
      pass: null,
      note: `createBackup of the whole ${mb(bytes)} device file (VACUUM INTO, read back, hashed, written) (info)`,
    });
    c.json['scale.backup.s'] = Math.round(backupMs / 100) / 10;
    c.rows.push({
      label: 'scale.db_bytes',
      median: NaN,
      p95: null,
      n: totalRows,
      unit: 'ms',
      target: '',
      pass: null,
      note: `${mb(bytes)} encrypted for ${n.toLocaleString('en-US')} charts, ${totalRows.toLocaleString('en-US')} rows (${dev.pulled.toLocaleString('en-US')} synced + audit) (info)`,
    });
    c.json['scale.patients'] = n;
    c.json['scale.seed_s'] = Math.round(seedS);
  } finally {
    session.close();
    if (serverOpen) {
      await server.close();
      await db.drop();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
