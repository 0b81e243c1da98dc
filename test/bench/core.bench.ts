import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCheckpointer } from '../../electron/services/db/checkpointer';
import { createDatabase, openWithKey, type Store } from '../../electron/services/db/open';
import { createRepos, type Repos } from '../../electron/services/repos';
import type { Patient, PatientSummary } from '../../shared/domain/patient';
import type { Args } from './args';
import { ACTOR, BATCH, COLD_OPENS, insertBatch, known, LIMIT, makeQuery, PASSPHRASE, QUERIES, sampleSearch, WRITES, type Known } from './core-data';
import type { PatientGenerator, Rng } from './generate';
import { breathe, median, percentile, progress, timeIt } from './stats';
import { json, latencyRow, round, rows } from './table';
import { copyForFloor, readWritten, rowMarks, rowsSince, totalChanges, writeFloor } from './write-floor';

// The core benchmark on the main database: build, search, single-patient writes, cold open.

export interface Built {
  store: Store;
  repos: Repos;
  key: Buffer;
  file: string;
  list: Known[];
}

export async function buildMain(dir: string, args: Args, gen: PatientGenerator, resourcesDir: string): Promise<Built> {
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

export function fileSetBytes(dir: string, base: string): number {
  return readdirSync(dir)
    .filter((f) => f === base || f.startsWith(`${base}-`))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

export function benchSearches(b: Built, rng: Rng, n: number): void {
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

export async function benchWrites(b: Built, gen: PatientGenerator, resourcesDir: string): Promise<void> {
  progress(`write: ${WRITES} single-patient creates`);
  const sqlite = b.store.sqlite;
  // The storage floor's copy, as the creates find the database.
  const copy = await copyForFloor(b.store, b.file);
  const auditAfter = (sqlite.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
  // As the app's session runs (backgroundCheckpoints): WAL checkpoints on a thread of their own.
  const checkpointer = startCheckpointer(b.store);
  await checkpointer.ready;
  const sync = sqlite.pragma('synchronous', { simple: true }) as number;
  const inputs = gen.take(WRITES + 10);
  const made: { id: string; allotted: boolean }[] = [];
  for (const p of inputs.slice(0, 10)) {
    const created = b.repos.patients.create(p, ACTOR);
    b.list.push(known(created));
    made.push({ id: created.id, allotted: p.mrn === undefined });
  }
  const marks = rowMarks(sqlite);
  const changes0 = totalChanges(sqlite);
  const times: number[] = [];
  for (const p of inputs.slice(10)) {
    let created: Patient | undefined;
    times.push(timeIt(() => (created = b.repos.patients.create(p, ACTOR))));
    if (created) {
      b.list.push(known(created));
      made.push({ id: created.id, allotted: p.mrn === undefined });
    }
  }
  const changes = totalChanges(sqlite) - changes0;
  const added = rowsSince(sqlite, marks);
  await checkpointer.stop();
  const ck = checkpointer.stats();
  if (ck.errors > 0) throw new Error(`write bench void: the checkpoint thread failed (${JSON.stringify(ck)})`);
  latencyRow(
    'write.patient',
    times,
    `create(): row + audit + outbox, own txn, synchronous=${sync === 2 ? 'FULL' : String(sync)}; checkpoints on their own thread as the app runs them`,
    1.5,
  );

  progress(`write: storage floor, the rows of ${WRITES} creates by bare statements`);
  const written = readWritten(sqlite, made, auditAfter);
  const floor = await writeFloor(copy, b.key, resourcesDir, written.slice(0, 10), written.slice(10));
  const rowsDiffer = Object.keys(floor.rows).filter((t) => floor.rows[t] !== added[t]);
  if (rowsDiffer.length > 0 || floor.changes !== changes)
    throw new Error(
      `write floor void: it wrote other rows than the creates (${rowsDiffer.map((t) => `${t} ${floor.rows[t]} vs ${added[t]}`).join(', ')}; changes ${floor.changes} vs ${changes})`,
    );
  latencyRow(
    'write.patient.storage_floor',
    floor.times,
    `the same rows (patient + search index, sync state, outbox, audit, meta counters; ${(changes / WRITES).toFixed(1)} changes a write) by bare statements, own txn each, into a copy with its own checkpoint thread: the least these rows cost on this disk (info)`,
  );
  json['write.patient.floor_ratio_p95'] = round(percentile(floor.times, 95) / percentile(times, 95));
}

export function benchColdOpen(b: Built, rng: Rng, resourcesDir: string): void {
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
