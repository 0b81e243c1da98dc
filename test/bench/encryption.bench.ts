import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deriveKey } from '../../electron/common/key-header-format';
import { readKeyHeader } from '../../electron/services/db/key-header';
import { auditChainOf, createDatabase, openPlainForBenchmark, type Store } from '../../electron/services/db/open';
import { startsLikePlainSqlite } from '../../electron/services/backup/backup';
import { createRepos, type Repos } from '../../electron/services/repos';
import type { PatientInput } from '../../shared/domain/patient';
import type { Args } from './args';
import { ACTOR, CHEAP_KDF, insertBatch, KDF_RUNS, LIMIT, makeQuery, PAIR_ROUNDS, PASSPHRASE, type Known, type Query, type QueryKind } from './core-data';
import { createPatientGenerator, createRng } from './generate';
import { breathe, median, progress, timeIt } from './stats';
import { json, latencyRow, round, rows } from './table';

// The key derivation, and encrypted vs plain on two copies of the same rows.

export async function benchKdf(file: string): Promise<void> {
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

/** Rows per timed bulk-insert transaction; small enough for many interleaved samples, large enough to amortise the commit. */
const BULK_CHUNK = 1000;

/** Connection settings that change what a write or a read costs; the cipher is the only difference allowed. */
const COMPARED_PRAGMAS = [
  'journal_mode',
  'synchronous',
  'foreign_keys',
  'busy_timeout',
  'cache_size',
  'temp_store',
  'page_size',
  'auto_vacuum',
  'wal_autocheckpoint',
  'locking_mode',
  'mmap_size',
  'cache_spill',
  'secure_delete',
] as const;

/**
 * Throws unless both stores do the same work apart from encryption: the same pragma values and a
 * keyed audit chain on each. A ratio between unlike setups would be printed as if it were the cost of
 * encryption (it once came out 0.80, "encrypted faster than plain").
 */
function assertSameWork(enc: Store, plain: Store): void {
  const read = (s: Store, name: string): unknown => s.sqlite.pragma(name, { simple: true });
  const differ = COMPARED_PRAGMAS.filter((name) => read(enc, name) !== read(plain, name)).map(
    (name) => `${name}: encrypted ${String(read(enc, name))}, plain ${String(read(plain, name))}`,
  );
  if (!auditChainOf(enc) || !auditChainOf(plain)) differ.push('audit chain: both stores must chain audit entries with an HMAC');
  if (differ.length > 0) throw new Error(`encryption comparison is void, the two stores are set up differently (${differ.join('; ')})`);
}

/**
 * Encrypted vs plain, side by side on two fresh databases holding the same rows. Everything is
 * interleaved (batch by batch, round by round, in ABBA order) so drift in CPU clock, page cache
 * or disk state lands on both sides equally instead of on whichever ran second.
 */
export async function benchEncryption(dir: string, args: Args, resourcesDir: string): Promise<void> {
  const n = args.pairPatients;
  const nLabel = `${n.toLocaleString('en-US')} pts each`;
  progress(`encryption: building encrypted and plain copies of ${n.toLocaleString('en-US')} patients`);
  const enc = (await createDatabase(join(dir, 'pair-enc.cairn'), PASSPHRASE, { resourcesDir, kdf: CHEAP_KDF })).store;
  // Its own chain key, so its audit entries cost an HMAC as the encrypted side's do.
  const plain = openPlainForBenchmark(join(dir, 'pair-plain.sqlite'), { resourcesDir, auditChainKey: randomBytes(32) });
  try {
    assertSameWork(enc, plain);
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
    // Chunks of BULK_CHUNK (one transaction each), ABBA; the figure is the median of the chunks'
    // enc/plain ratios, so a burst of load from elsewhere on a shared machine spoils a chunk, not the total.
    const gen = createPatientGenerator(args.seed);
    const chunkRatios: number[] = [];
    for (let done = 0, b = 0; done < n; b++) {
      const rowsIn = gen.take(Math.min(BULK_CHUNK, n - done));
      const order = b % 2 === 0 ? [encSide, plainSide] : [plainSide, encSide];
      const ms = new Map<Side, number>();
      for (const s of order)
        ms.set(
          s,
          timeIt(() => insertBatch(s.store, s.repos, rowsIn, s.list)),
        );
      for (const [s, t] of ms) s.ms += t;
      chunkRatios.push((ms.get(encSide) as number) / (ms.get(plainSide) as number));
      done += rowsIn.length;
      await breathe();
    }
    // A ratio is only meaningful if one side really is encrypted and the other really is not.
    if (startsLikePlainSqlite(enc.file) || !startsLikePlainSqlite(plain.file)) throw new Error('encryption comparison is void: check which copy is encrypted');
    const bulkRatio = median(chunkRatios);
    rows.push({
      label: 'encryption.bulk_write',
      median: bulkRatio,
      p95: null,
      n: chunkRatios.length,
      unit: 'x',
      target: '',
      pass: null,
      note: `bulk insert ${nLabel}, median of ${chunkRatios.length} interleaved ${BULK_CHUNK}-row chunks; totals enc ${(encSide.ms / 1000).toFixed(2)} s / plain ${(plainSide.ms / 1000).toFixed(2)} s (info)`,
    });
    json['encryption.bulk_write_ratio'] = round(bulkRatio);
    json['encryption.bulk_write.total_ratio'] = round(encSide.ms / plainSide.ms);
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
