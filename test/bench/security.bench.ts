/**
 * Security figures for `npm run bench`: appending one audit entry (its own fsync'd transaction)
 * on the big encrypted database, verifying a 1,000,000-entry audit chain with the production
 * AuditRepo.firstBroken, and an online backup of the big database with createBackup.
 */
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBackup } from '../../electron/services/backup/backup';
import { auditChainOf, createDatabase, type Store } from '../../electron/services/db/open';
import { createRepos, type Repos } from '../../electron/services/repos';
import { auditHash, auditHmac } from '../../electron/services/repos/audit.repo';
import type { LatencyRow, Row } from './report';

/** The shape of a row of run.ts's table (a plain ms figure here). */

export interface SecurityBenchContext {
  rows: { push(row: Row): unknown };
  json: Record<string, number | string>;
  latencyRow: LatencyRow;
  progress: (msg: string) => void;
  resourcesDir: string;
  patients: number;
}

const APPENDS = 1000;
const CHAIN = 1_000_000;
const VERIFY_RUNS = 3;
const BACKUP_RUNS = 2;
/** The chain copy does not test the KDF. */
const CHEAP_KDF = { N: 2 ** 14, r: 8, p: 1 };

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function benchAppend(store: Store, repos: Repos, c: SecurityBenchContext): void {
  c.progress(`audit: ${APPENDS} single appends`);
  const append = (i: number): void =>
    store.sqlite.transaction(() =>
      repos.audit.append(
        { action: 'chart.open', userId: 'bench-user', patientId: `bench-${i}`, recordType: 'patient', recordId: `bench-${i}` },
        new Date().toISOString(),
      ),
    )();
  for (let i = 0; i < 50; i++) append(i);
  const times: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    const t0 = performance.now();
    append(i);
    times.push(performance.now() - t0);
  }
  // What auditing adds to a write: every write appends its entry inside its own transaction, whose
  // commit (and fsync) it pays once for row + audit + outbox (see write.patient, disk.commit_floor).
  const inTxn: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    store.sqlite.transaction(() => {
      const t0 = performance.now();
      repos.audit.append(
        { action: 'patient.update', userId: 'bench-user', patientId: `bench-${i}`, recordType: 'patient', recordId: `bench-${i}` },
        new Date().toISOString(),
      );
      inTxn.push(performance.now() - t0);
    })();
  }
  c.latencyRow(
    'audit.append',
    inTxn,
    "AuditRepo.append inside the write's transaction (hash chain + insert; the commit belongs to the write) on the big encrypted db",
    0.5,
  );
  c.latencyRow(
    'audit.append.own_txn',
    times,
    "an append as its own fsync'd transaction (a chart-open audit entry; synchronous=FULL), so mostly the disk (info)",
  );
  // The same appends without the fsync, to show what is Cairn's (hash, insert, page encryption)
  // and what is the disk's (compare disk.commit_floor). FULL is restored at once.
  const noSync: number[] = [];
  store.sqlite.pragma('synchronous = NORMAL');
  try {
    for (let i = 0; i < APPENDS; i++) {
      const t0 = performance.now();
      append(i);
      noSync.push(performance.now() - t0);
    }
  } finally {
    store.sqlite.pragma('synchronous = FULL');
  }
  c.latencyRow('audit.append.no_fsync', noSync, 'the same appends with synchronous=NORMAL: the CPU part of audit.append (info)');
}

/** A separate encrypted database holding a valid chain of CHAIN entries, written straight in batches. */
async function buildChain(dir: string, c: SecurityBenchContext): Promise<Store> {
  const { store } = await createDatabase(join(dir, 'audit-1m.cairn'), 'bench: audit chain passphrase', { resourcesDir: c.resourcesDir, kdf: CHEAP_KDF });
  const insert = store.sqlite.prepare(
    `INSERT INTO audit_log (at, user_id, device_id, action, patient_id, record_type, record_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const actions = ['chart.open', 'patients.search', 'patient.update', 'note.sign', 'vitals.record'];
  const head = store.sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  let prev = head?.hash ?? '0'.repeat(64);
  const firstSeq = (head?.seq ?? 0) + 1;
  // The database keys its chain (HMAC) from `keyedFrom` on, as AuditRepo.append does: so does the bench.
  const chain = auditChainOf(store);
  const base = Date.parse('2020-01-01T00:00:00Z');
  for (let done = 0; done < CHAIN;) {
    store.sqlite.transaction(() => {
      for (const end = Math.min(CHAIN, done + 50_000); done < end; done++) {
        const patient = `0190a0b1-0000-7000-8000-${String(done % 100_000).padStart(12, '0')}`;
        const fields = [
          new Date(base + done * 60_000).toISOString(),
          `user-${done % 12}`,
          store.deviceId,
          actions[done % actions.length]!,
          patient,
          'patient',
          patient,
          done % 7 === 0 ? 'query "smi"' : null,
        ];
        const hash = chain && firstSeq + done >= chain.keyedFrom ? auditHmac(chain.key, prev, fields) : auditHash(prev, fields);
        insert.run(...fields, prev, hash);
        prev = hash;
      }
    })();
    if (done % 250_000 === 0) c.progress(`audit: chain built to ${done.toLocaleString('en-US')} entries`);
    await new Promise((r) => setImmediate(r));
  }
  return store;
}

async function benchVerify(dir: string, c: SecurityBenchContext): Promise<void> {
  const store = await buildChain(dir, c);
  try {
    const audit = createRepos(store).audit;
    const times: number[] = [];
    for (let i = 0; i < VERIFY_RUNS; i++) {
      c.progress(`audit: verifying ${CHAIN.toLocaleString('en-US')} entries (${i + 1}/${VERIFY_RUNS})`);
      const t0 = performance.now();
      const broken = audit.firstBroken();
      times.push(performance.now() - t0);
      if (broken !== null) throw new Error(`the benchmark chain is broken at ${broken}: the figure would be void`);
    }
    const med = median(times);
    c.rows.push({
      label: 'audit.verify_1m',
      median: med,
      p95: null,
      n: times.length,
      unit: 'ms',
      target: '≤ 10 s',
      pass: med <= 10_000,
      note: `AuditRepo.firstBroken over ${CHAIN.toLocaleString('en-US')} entries (encrypted db, HMAC-SHA-256 per entry)`,
    });
    c.json['audit.verify_1m.s'] = Math.round(med) / 1000;
  } finally {
    store.close();
    rmSync(join(dir, 'audit-1m.cairn'), { force: true });
    for (const s of ['-wal', '-shm', '.key.json']) rmSync(join(dir, `audit-1m.cairn${s}`), { force: true });
  }
}

async function benchBackup(b: { file: string; key: Buffer }, c: SecurityBenchContext): Promise<void> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < BACKUP_RUNS; i++) {
    c.progress(`backup: ${c.patients.toLocaleString('en-US')}-patient database (${i + 1}/${BACKUP_RUNS})`);
    const out = join(dirname(b.file), `bench-${i}.cairnbak`);
    const t0 = performance.now();
    await createBackup({ dbFile: b.file, key: b.key, out });
    times.push(performance.now() - t0);
    bytes = statSync(out).size;
    rmSync(out, { force: true });
  }
  const med = median(times);
  c.rows.push({
    label: 'backup.100k_patients',
    median: med,
    p95: null,
    n: times.length,
    unit: 'ms',
    target: '',
    pass: null,
    note: `createBackup of ${c.patients.toLocaleString('en-US')} patients: VACUUM INTO + quick_check + SHA-256 + fsync; ${(bytes / 2 ** 20).toFixed(0)} MiB (info)`,
  });
  c.json['backup.100k_patients.s'] = Math.round(med) / 1000;
  c.json['backup.bytes'] = bytes;
}

export async function benchSecurity(b: { store: Store; repos: Repos; file: string; key: Buffer }, c: SecurityBenchContext): Promise<void> {
  benchAppend(b.store, b.repos, c);
  await benchBackup(b, c);
  await benchVerify(dirname(b.file), c);
}
