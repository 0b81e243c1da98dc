/**
 * Cairn performance benchmark: `npm run bench [-- --patients N] [--json FILE] [--seed S] [--only GROUPS]`.
 * GROUPS (comma-separated): core (the main database below), hl7, sync, fhir, measures, schedule.
 *
 * Builds an encrypted database of N synthetic patients (default 100,000) in a temp dir with the
 * production open/repo code, then measures search, single-patient writes, cold open, the KDF, and
 * the cost of encryption against an unencrypted copy. Prints a table with targets to stdout,
 * progress to stderr. It always exits 0 unless something crashes: a MISS is information, not a
 * failure (the figures depend on the machine).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { deriveKey, readKeyHeader } from '../../electron/services/db/key-header';
import { createDatabase, openPlainForBenchmark, openWithKey, type Store } from '../../electron/services/db/open';
import { defaultResourcesDir } from '../../electron/services/paths';
import { createRepos, type Repos } from '../../electron/services/repos';
import type { Actor } from '../../electron/services/repos/patients.repo';
import type { Patient, PatientInput, PatientSummary } from '../../shared/domain/patient';
import { benchCharting } from './charting.bench';
import { benchHl7 } from './hl7.bench';
import { benchFhir } from './fhir.bench';
import { benchFhirImport } from './fhir-import.bench';
import { benchMeasures } from './measures.bench';
import { benchMeds } from './meds.bench';
import { benchSchedule } from './schedule.bench';
import { benchSecurity } from './security.bench';
import { benchSync } from './sync.bench';
import type { Row } from './report';
import { startsLikePlainSqlite } from '../../electron/services/backup/backup';
import { createPatientGenerator, createRng, type PatientGenerator, type Rng } from './generate';

const PASSPHRASE = 'bench: correct horse battery staple';
const ACTOR: Actor = { userId: 'bench-user' };
/** What the patients.search contract defaults to, so queries do the same sorting work the UI asks for. */
const LIMIT = 25;
const BATCH = 5000;
const QUERIES = 500;
const WARMUP = 50;
const WRITES = 200;
const COLD_OPENS = 5;
const KDF_RUNS = 3;
const PAIR_ROUNDS = 30;
/** The encrypted/plain comparison copies do not test the KDF, so they use a cheap one to save time. */
const CHEAP_KDF = { N: 2 ** 14, r: 8, p: 1 };

// ---------- arguments ----------

interface Args {
  patients: number;
  pairPatients: number;
  seed: number;
  json: string | null;
  syncRows: number;
  /** Only these groups (comma-separated: core, sync, hl7, fhir); everything by default. */
  only: Set<string> | null;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      'pair-patients': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      'sync-rows': { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const int = (v: string | undefined, fallback: number, name: string): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
    return n;
  };
  const patients = int(values.patients, 100_000, 'patients');
  return {
    patients,
    pairPatients: Math.min(patients, int(values['pair-patients'], 20_000, 'pair-patients')),
    // A fixed default so runs on different commits measure the same data; --seed to vary it.
    seed: int(values.seed, 20_240_304, 'seed'),
    json: values.json ?? null,
    syncRows: int(values['sync-rows'], 1_000_000, 'sync-rows'),
    only: values.only ? new Set(values.only.split(',')) : null,
  };
}

// ---------- small helpers ----------

const started = performance.now();
function progress(msg: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Nearest-rank percentile: an actually observed latency, never an interpolated one. */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/**
 * Lets pending signal handlers run. The measurements are synchronous, so without this a Ctrl-C
 * would wait for the next await (minutes away during the bulk load) before cleaning up.
 */
function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** What the benchmark remembers of each inserted chart, to draw realistic queries from. */
interface Known {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  /** Ten-digit US number as a person reads it off a card, whatever form was typed at registration. */
  phone10: string | null;
}

function known(p: Patient): Known {
  const digits = p.phone ? p.phone.replace(/\D/g, '') : '';
  const ten = digits.length >= 10 ? digits.slice(-10) : null;
  return {
    id: p.id,
    mrn: p.mrn,
    givenName: p.givenName,
    familyName: p.familyName,
    birthDate: p.birthDate,
    phone10: ten ? `${ten.slice(0, 3)}-${ten.slice(3, 6)}-${ten.slice(6)}` : null,
  };
}

/**
 * Inserts rows through the real PatientsRepo.create, BATCH at a time inside one outer
 * transaction: create's own transaction then becomes a savepoint, so a batch costs one fsync
 * instead of BATCH of them (as an import would do), while every row still gets its audit and outbox entries.
 */
function insertBatch(store: Store, repos: Repos, rows: readonly PatientInput[], into: Known[]): void {
  store.sqlite.transaction(() => {
    for (const r of rows) into.push(known(repos.patients.create(r, ACTOR)));
  })();
}

// ---------- query mixes ----------

type QueryKind = 'family3' | 'givenFamily3' | 'mrn' | 'birthIso' | 'birthUs' | 'phone';

interface Query {
  kind: QueryKind;
  text: string;
  /** Index into the Known list, to check the intended chart came back. */
  target: number;
}

function makeQuery(kind: QueryKind, rng: Rng, list: readonly Known[]): Query {
  for (let tries = 0; ; tries++) {
    // Only a phone query can be redrawn; with a tiny --patients nobody may have one.
    if (tries === 10_000) throw new Error(`no chart to draw a ${kind} query from`);
    const target = rng.int(0, list.length - 1);
    const k = list[target] as Known;
    switch (kind) {
      case 'family3':
        return { kind, target, text: k.familyName.slice(0, 3) };
      case 'givenFamily3':
        return { kind, target, text: `${k.givenName} ${k.familyName.slice(0, 3)}` };
      case 'mrn':
        return { kind, target, text: k.mrn };
      case 'birthIso':
        return { kind, target, text: k.birthDate };
      case 'birthUs': {
        const [y, m, d] = k.birthDate.split('-');
        return { kind, target, text: `${m}/${d}/${y}` };
      }
      case 'phone':
        if (k.phone10) return { kind, target, text: k.phone10 };
        continue; // this chart has no phone: draw another
    }
  }
}

interface Sampled {
  times: number[];
  found: number;
  checked: number;
  slowest: { ms: number; text: string }[];
}

/**
 * Runs a warm-up, then `n` timed calls of `run` over queries from `kinds` in rotation.
 * `checkFound` says whether the intended chart must be among the results (true for MRN, date, phone).
 */
function sampleSearch(
  kinds: readonly QueryKind[],
  n: number,
  rng: Rng,
  list: readonly Known[],
  run: (q: string) => readonly Pick<PatientSummary, 'id'>[],
  checkFound: boolean,
): Sampled {
  for (let i = 0; i < WARMUP; i++) run(makeQuery(kinds[i % kinds.length] as QueryKind, rng, list).text);
  const out: Sampled = { times: [], found: 0, checked: 0, slowest: [] };
  for (let i = 0; i < n; i++) {
    const q = makeQuery(kinds[i % kinds.length] as QueryKind, rng, list);
    let res: readonly Pick<PatientSummary, 'id'>[] = [];
    const ms = timeIt(() => {
      res = run(q.text);
    });
    out.times.push(ms);
    out.slowest.push({ ms, text: q.text });
    if (checkFound) {
      out.checked++;
      const id = (list[q.target] as Known).id;
      if (res.some((r) => r.id === id)) out.found++;
    }
  }
  out.slowest = out.slowest.sort((a, b) => b.ms - a.ms).slice(0, 3);
  return out;
}

// ---------- the report ----------

const rows: Row[] = [];
const json: Record<string, number | string> = {};

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function latencyRow(key: string, times: readonly number[], note: string, targetP95?: number): void {
  const p95 = percentile(times, 95);
  const med = median(times);
  rows.push({
    label: key,
    median: med,
    p95,
    n: times.length,
    unit: 'ms',
    target: targetP95 === undefined ? '' : `p95 ≤ ${targetP95} ms`,
    pass: targetP95 === undefined ? null : p95 <= targetP95,
    note,
  });
  json[`${key}.p95_ms`] = round(p95);
  json[`${key}.median_ms`] = round(med);
  json[`${key}.n`] = times.length;
}

function fmt(x: number, unit: Row['unit']): string {
  if (!Number.isFinite(x)) return '-';
  if (unit === '/s') return `${Math.round(x).toLocaleString('en-US')}/s`;
  if (unit === 'x') return `${x.toFixed(2)}×`;
  return x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
}

function printTable(header: string[]): void {
  const cells = rows.map((r) => [
    r.label,
    fmt(r.median, r.unit),
    r.p95 === null ? '' : fmt(r.p95, r.unit),
    String(r.n),
    r.target,
    r.pass === null ? '' : r.pass ? 'PASS' : 'MISS',
    r.note,
  ]);
  const head = ['metric', 'median', 'p95', 'n', 'target', 'result', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]): string =>
    c
      .map((s, i) => (i === 1 || i === 2 || i === 3 ? s.padStart(widths[i] as number) : s.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [...header, '', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  process.stdout.write(out.join('\n') + '\n');
}

// ---------- phases ----------

interface Built {
  store: Store;
  repos: Repos;
  key: Buffer;
  file: string;
  list: Known[];
}

async function buildMain(dir: string, args: Args, gen: PatientGenerator, resourcesDir: string): Promise<Built> {
  const file = join(dir, 'clinic.cairn');
  // Production KDF here, so the key header is the one kdf.ms is measured against.
  const { store, key } = await createDatabase(file, PASSPHRASE, { resourcesDir });
  const repos = createRepos(store);
  const list: Known[] = [];
  const t0 = performance.now();
  let genMs = 0;
  for (let done = 0; done < args.patients;) {
    const count = Math.min(BATCH, args.patients - done);
    const g0 = performance.now();
    const batch = gen.take(count);
    genMs += performance.now() - g0;
    insertBatch(store, repos, batch, list);
    done += count;
    await breathe();
    if (done % 20_000 === 0 || done === args.patients) progress(`built ${done.toLocaleString('en-US')} / ${args.patients.toLocaleString('en-US')} patients`);
  }
  const insertMs = performance.now() - t0 - genMs;
  json['build.insert_rows_per_s'] = Math.round(args.patients / (insertMs / 1000));
  json['build.generate_ms'] = Math.round(genMs);
  return { store, repos, key, file, list };
}

function fileSetBytes(dir: string, base: string): number {
  return readdirSync(dir)
    .filter((f) => f === base || f.startsWith(`${base}-`))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

function benchSearches(b: Built, rng: Rng, n: number): void {
  const find = (q: string): PatientSummary[] => b.repos.patients.find(q, LIMIT);
  const label = `${n.toLocaleString('en-US')} pts, find(), limit ${LIMIT}`;

  progress('search: name prefix');
  const names = sampleSearch(['family3', 'givenFamily3'], QUERIES, rng, b.list, find, false);
  latencyRow('search.name_prefix', names.times, `${label}; "Smi" / "Maria Gar" alternating`, 5);
  json['search.name_prefix.slowest'] = names.slowest.map((s) => `${JSON.stringify(s.text)} ${s.ms.toFixed(1)} ms`).join('; ');
  // The two shapes separately, because a bare 3-letter prefix matches far more rows.
  const fam = names.times.filter((_, i) => i % 2 === 0);
  const gf = names.times.filter((_, i) => i % 2 === 1);
  json['search.name_prefix.family3.p95_ms'] = round(percentile(fam, 95));
  json['search.name_prefix.given_family3.p95_ms'] = round(percentile(gf, 95));

  progress('search: MRN');
  const mrn = sampleSearch(['mrn'], QUERIES, rng, b.list, find, true);
  latencyRow('search.mrn', mrn.times, `${label}; found ${mrn.found}/${mrn.checked}`, 5);
  json['search.mrn.found_rate'] = round(mrn.found / mrn.checked, 4);

  progress('search: birth date');
  const bd = sampleSearch(['birthIso', 'birthUs'], QUERIES, rng, b.list, find, true);
  latencyRow('search.birth_date', bd.times, `${label}; ISO and US forms alternating; found ${bd.found}/${bd.checked}`, 5);
  json['search.birth_date.found_rate'] = round(bd.found / bd.checked, 4);

  progress('search: phone (extra)');
  const ph = sampleSearch(['phone'], QUERIES, rng, b.list, find, true);
  latencyRow('search.phone', ph.times, `${label}; "617-555-0123" form; found ${ph.found}/${ph.checked}`);
  json['search.phone.found_rate'] = round(ph.found / ph.checked, 4);

  progress('search: audited (repos.patients.search)');
  const audited = sampleSearch(['family3', 'givenFamily3', 'mrn', 'birthIso'], QUERIES, rng, b.list, (q) => b.repos.patients.search(q, LIMIT, ACTOR), false);
  latencyRow('search.audited', audited.times, "search(): find + audit entry, one fsync'd commit each; mixed kinds");
}

function benchWrites(b: Built, gen: PatientGenerator): void {
  progress(`write: ${WRITES} single-patient creates`);
  const sync = b.store.sqlite.pragma('synchronous', { simple: true }) as number;
  const inputs = gen.take(WRITES + 10);
  for (const p of inputs.slice(0, 10)) b.list.push(known(b.repos.patients.create(p, ACTOR)));
  const times: number[] = [];
  for (const p of inputs.slice(10)) {
    let created: Patient | undefined;
    times.push(timeIt(() => (created = b.repos.patients.create(p, ACTOR))));
    if (created) b.list.push(known(created));
  }
  latencyRow('write.patient', times, `create(): row + audit + outbox, own txn, synchronous=${sync === 2 ? 'FULL' : String(sync)}`, 5);
}

function benchColdOpen(b: Built, rng: Rng, resourcesDir: string): void {
  progress(`open: ${COLD_OPENS} cold reopens`);
  b.store.close(); // checkpoints the WAL, so each reopen starts from a quiet file as after a restart
  const times: number[] = [];
  for (let i = 0; i < COLD_OPENS; i++) {
    const q = makeQuery('family3', rng, b.list).text;
    let store: Store | undefined;
    times.push(
      timeIt(() => {
        store = openWithKey(b.file, b.key, { resourcesDir });
        // The repos are built as the app does after unlocking (they prepare their statements).
        createRepos(store).patients.find(q, LIMIT);
      }),
    );
    store?.close();
  }
  const med = median(times);
  rows.push({
    label: 'open.cold',
    median: med,
    p95: null,
    n: times.length,
    unit: 'ms',
    target: '≤ 300 ms',
    pass: med <= 300,
    note: 'openWithKey (derived key) + migrate check + first name search; OS file cache warm',
  });
  json['open.cold_ms'] = round(med);
  json['open.cold.max_ms'] = round(Math.max(...times));
}

async function benchKdf(file: string): Promise<void> {
  progress(`kdf: ${KDF_RUNS} derivations`);
  const header = readKeyHeader(file);
  const times: number[] = [];
  for (let i = 0; i < KDF_RUNS; i++) {
    const t0 = performance.now();
    const key = await deriveKey(PASSPHRASE, header);
    times.push(performance.now() - t0);
    key.fill(0);
  }
  const med = median(times);
  rows.push({
    label: 'kdf',
    median: med,
    p95: null,
    n: times.length,
    unit: 'ms',
    target: '250–1000 ms',
    pass: med >= 250 && med <= 1000,
    note: `deriveKey, scrypt N=2^${Math.log2(header.N)} r=${header.r} p=${header.p} (production DEFAULT_KDF)`,
  });
  json['kdf.ms'] = round(med);
}

/**
 * Encrypted vs plain, side by side on two fresh databases holding the same rows. Everything is
 * interleaved (batch by batch, round by round, in ABBA order) so drift in CPU clock, page cache
 * or disk state lands on both sides equally instead of on whichever ran second.
 */
async function benchEncryption(dir: string, args: Args, resourcesDir: string): Promise<void> {
  const n = args.pairPatients;
  const nLabel = `${n.toLocaleString('en-US')} pts each`;
  progress(`encryption: building encrypted and plain copies of ${n.toLocaleString('en-US')} patients`);
  const enc = (await createDatabase(join(dir, 'pair-enc.cairn'), PASSPHRASE, { resourcesDir, kdf: CHEAP_KDF })).store;
  const plain = openPlainForBenchmark(join(dir, 'pair-plain.sqlite'), { resourcesDir });
  try {
    interface Side {
      store: Store;
      repos: Repos;
      list: Known[];
      /** Total bulk-insert time. */
      ms: number;
    }
    const encSide: Side = { store: enc, repos: createRepos(enc), list: [], ms: 0 };
    const plainSide: Side = { store: plain, repos: createRepos(plain), list: [], ms: 0 };
    const sides = [encSide, plainSide];
    // Same seed as the main database, so both copies get the same rows (and the same auto MRNs).
    const gen = createPatientGenerator(args.seed);
    for (let done = 0, b = 0; done < n; b++) {
      const rowsIn = gen.take(Math.min(BATCH, n - done));
      const order = b % 2 === 0 ? [encSide, plainSide] : [plainSide, encSide];
      for (const s of order) s.ms += timeIt(() => insertBatch(s.store, s.repos, rowsIn, s.list));
      done += rowsIn.length;
      await breathe();
    }
    // A ratio is only meaningful if one side really is encrypted and the other really is not.
    if (startsLikePlainSqlite(enc.file) || !startsLikePlainSqlite(plain.file)) throw new Error('encryption comparison is void: check which copy is encrypted');
    const bulkRatio = encSide.ms / plainSide.ms;
    rows.push({
      label: 'encryption.bulk_write',
      median: bulkRatio,
      p95: null,
      n,
      unit: 'x',
      target: '',
      pass: null,
      note: `bulk insert ${nLabel}: enc ${(encSide.ms / 1000).toFixed(2)} s / plain ${(plainSide.ms / 1000).toFixed(2)} s (info)`,
    });
    json['encryption.bulk_write_ratio'] = round(bulkRatio);
    json['encryption.bulk_write.enc_ms'] = Math.round(encSide.ms);
    json['encryption.bulk_write.plain_ms'] = Math.round(plainSide.ms);

    /*
     * One "clinic round", read-heavy like a morning at the front desk and in two exam rooms:
     *   20 searches through repos.patients.search (what the patients.search handler calls, so each
     *      one also appends an audit entry and commits): 8 family-name prefixes, 4 "given family-prefix",
     *      4 MRNs, 4 birth dates;
     *    5 chart opens through repos.patients.get (each audited, so each commits too);
     *    1 new patient registration through repos.patients.create.
     * The same queries (same chart index) are run on both sides; ids differ, so each side uses its own list.
     */
    const mix: QueryKind[] = ['family3', 'family3', 'givenFamily3', 'mrn', 'birthIso', 'family3', 'givenFamily3', 'mrn', 'birthUs', 'family3'];
    const planRng = createRng(args.seed ^ 0x5eed);
    const extra = gen.take(PAIR_ROUNDS + 2);
    interface Round {
      queries: Query[];
      charts: number[];
      write: PatientInput;
    }
    const plan: Round[] = Array.from({ length: PAIR_ROUNDS + 2 }, (_, r) => ({
      queries: Array.from({ length: 20 }, (_, i) => makeQuery(mix[i % mix.length] as QueryKind, planRng, encSide.list)),
      charts: Array.from({ length: 5 }, () => planRng.int(0, n - 1)),
      write: extra[r] as PatientInput,
    }));
    const runRound = (s: Side, round: Round): number =>
      timeIt(() => {
        for (const q of round.queries) s.repos.patients.search(q.text, LIMIT, ACTOR);
        for (const c of round.charts) s.repos.patients.get((s.list[c] as Known).id, ACTOR);
        s.repos.patients.create(round.write, ACTOR);
      });
    const readOnly = (s: Side, round: Round): number =>
      timeIt(() => {
        for (const q of round.queries) s.repos.patients.find(q.text, LIMIT);
      });

    progress(`encryption: ${PAIR_ROUNDS} interleaved clinic rounds per side`);
    // Two warm-up rounds per side, then ABBA.
    for (const round of plan.slice(0, 2)) for (const s of sides) runRound(s, round);
    const encT: number[] = [];
    const plainT: number[] = [];
    plan.slice(2).forEach((round, i) => {
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      for (const j of order) (j === 0 ? encT : plainT).push(runRound(j === 0 ? encSide : plainSide, round));
    });
    const ratio = median(encT) / median(plainT);
    rows.push({
      label: 'encryption.overhead',
      median: ratio,
      p95: null,
      n: PAIR_ROUNDS,
      unit: 'x',
      target: '≤ 1.3×',
      pass: ratio <= 1.3,
      note: `${nLabel}; round = 20 audited searches + 5 chart reads + 1 write; median round enc ${median(encT).toFixed(1)} ms / plain ${median(plainT).toFixed(1)} ms`,
    });
    json['encryption.overhead_ratio'] = round(ratio);
    json['encryption.round.enc_median_ms'] = round(median(encT));
    json['encryption.round.plain_median_ms'] = round(median(plainT));

    // The same 20 searches without the audit commit: isolates the CPU cost of decrypting pages,
    // which the fsyncs in the clinic round partly hide.
    progress('encryption: read-only rounds (find only)');
    const encR: number[] = [];
    const plainR: number[] = [];
    for (const round of plan.slice(0, 2)) for (const s of sides) readOnly(s, round);
    for (let rep = 0; rep < 3; rep++) {
      plan.slice(2).forEach((round, i) => {
        const order = (i + rep) % 2 === 0 ? [0, 1] : [1, 0];
        for (const j of order) (j === 0 ? encR : plainR).push(readOnly(j === 0 ? encSide : plainSide, round));
      });
    }
    const readRatio = median(encR) / median(plainR);
    rows.push({
      label: 'encryption.read_only',
      median: readRatio,
      p95: null,
      n: encR.length,
      unit: 'x',
      target: '',
      pass: null,
      note: `${nLabel}; the 20 searches via find(), no commits (info): enc ${median(encR).toFixed(2)} ms / plain ${median(plainR).toFixed(2)} ms`,
    });
    json['encryption.read_ratio'] = round(readRatio);

    // Lower bound for any single write on this disk: one tiny fsync'd commit, no Cairn code.
    // Done on the throwaway plain copy, in a table of its own.
    plain.sqlite.exec('CREATE TABLE bench_probe (x INTEGER)');
    const ins = plain.sqlite.prepare('INSERT INTO bench_probe (x) VALUES (?)');
    const floor: number[] = [];
    for (let i = 0; i < 100; i++) floor.push(timeIt(() => ins.run(i)));
    latencyRow('disk.commit_floor', floor, 'one-row autocommit on the plain copy, WAL + synchronous=FULL (info)');
  } finally {
    enc.close();
    plain.close();
  }
}

// ---------- main ----------

async function main(): Promise<void> {
  const args = parseCli();
  const resourcesDir = defaultResourcesDir();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  progress(`seed ${args.seed}, ${args.patients.toLocaleString('en-US')} patients, temp dir ${dir}`);
  let built: Built | undefined;
  try {
    // The groups that build their own databases; `--only core` is the 100,000-patient main database.
    const groups: Record<string, { title: string; run: () => Promise<void> }> = {
      hl7: { title: 'HL7', run: () => benchHl7({ rows, json, progress, resourcesDir }) },
      sync: { title: 'sync', run: () => benchSync({ rows, json, latencyRow, progress, resourcesDir, initialRows: args.syncRows }) },
      fhir: {
        title: 'FHIR',
        run: async () => {
          await benchFhir({ rows, json, latencyRow, progress, resourcesDir });
          await benchFhirImport({ rows, json, progress, resourcesDir });
        },
      },
      measures: { title: 'population health', run: () => benchMeasures({ rows, json, progress, resourcesDir, patients: args.patients }) },
      schedule: { title: 'scheduling', run: () => benchSchedule({ rows, json, progress, resourcesDir }) },
    };
    const unknown = [...(args.only ?? [])].filter((g) => g !== 'core' && !Object.hasOwn(groups, g));
    if (unknown.length > 0) throw new Error(`unknown --only group ${unknown.join(', ')} (core, ${Object.keys(groups).join(', ')})`);
    if (args.only && !args.only.has('core')) {
      for (const [name, g] of Object.entries(groups)) if (args.only.has(name)) await g.run();
      printTable([
        `Cairn ${Object.entries(groups)
          .filter(([n]) => args.only!.has(n))
          .map(([, g]) => g.title)
          .join(', ')} benchmark — Node ${process.version}`,
      ]);
      if (args.json) writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
      return;
    }
    const gen = createPatientGenerator(args.seed);
    const rng = createRng(args.seed ^ 0x9e3779b9);
    built = await buildMain(dir, args, gen, resourcesDir);
    if (startsLikePlainSqlite(built.file)) throw new Error(`${built.file} is not encrypted: the figures would not describe Cairn`);
    const versions = built.store.sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    json['sqlite_version'] = versions.v;
    await breathe();
    benchSearches(built, rng, args.patients);
    await breathe();
    benchWrites(built, gen);
    await breathe();
    await benchCharting(built.repos, latencyRow, progress);
    benchMeds(built.repos, latencyRow);
    await benchSecurity(built, { rows, json, latencyRow, progress, resourcesDir, patients: args.patients });
    await breathe();
    benchColdOpen(built, rng, resourcesDir);
    json['db.bytes'] = fileSetBytes(dir, 'clinic.cairn');
    await benchKdf(built.file);
    await benchEncryption(dir, args, resourcesDir);
    for (const [name, g] of Object.entries(groups)) if (!args.only || args.only.has(name)) await g.run();

    json['seed'] = args.seed;
    json['patients'] = args.patients;
    json['pair_patients'] = args.pairPatients;
    json['node'] = process.version;
    printTable([
      `Cairn benchmark — seed ${args.seed}, ${args.patients.toLocaleString('en-US')} synthetic patients ` +
        `(${(Number(json['db.bytes']) / 2 ** 20).toFixed(0)} MiB encrypted), SQLite ${versions.v}, Node ${process.version}`,
      `Encryption rows compare two ${args.pairPatients.toLocaleString('en-US')}-patient copies (encrypted vs plain), interleaved.`,
      `Slowest name searches: ${String(json['search.name_prefix.slowest'])}`,
    ]);
    if (args.json) {
      writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
      progress(`wrote ${args.json}`);
    }
  } finally {
    built?.store.close();
    cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
