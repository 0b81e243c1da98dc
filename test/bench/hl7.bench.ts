/**
 * HL7 v2 figures for `npm run bench` (`--only hl7`):
 * - hl7.ingest.msgs_per_s: ORU^R01 messages (10 OBX each, one patient matched by MRN, distinct
 *   control ids) sent over MLLP on loopback to the production listener over an encrypted
 *   database; each one parsed, matched, stored with its results, committed and ACKed. Measured
 *   strictly one at a time on one connection and with 8 connections in parallel, each still
 *   waiting for its ACK before the next message (what HL7 senders do). Target ≥ 2,000/s.
 * - hl7.ingest.storage_floor: the rows one such message leaves (its hl7_messages row, 1 audit entry
 *   naming the receipt, the match and each result, 10 observations, 10 outbox entries) written by bare
 *   prepared statements into the same kind of database (real schema, encryption, synchronous=FULL,
 *   checkpoint thread), every value bound as a parameter, 8 messages a commit like the listener's
 *   group commit: no parsing, matching, ACK or application code. What today's storage allows at most on this machine, measured beside
 *   the figure (info). The bench fails if the two databases do not hold the same rows per message in
 *   hl7_messages, audit_log, observations and sync_outbox: the ratio would compare different work.
 * - hl7.ingest.floor_ratio: hl7.ingest.msgs_per_s / hl7.ingest.storage_floor, same run. Target ≥ 0.8:
 *   what parsing, matching, the audit chain, the ACK and MLLP add to the bare writes.
 * - hl7.ingest.pure_work (key hl7.ingest.pure_work_us): what every ingest of such a message must
 *   compute besides storing it, with no database and no socket: decode the bytes, parse, map the
 *   results, read the patient's identifiers, build and write the ACK, encode and frame it (µs a
 *   message, median of rounds; info).
 * - hl7.ingest.listener_idle (key hl7.ingest.listener_idle_us): in the headline run, how long per
 *   message the listener's thread sat idle waiting for the senders (each waits for its ACK before
 *   sending the next, so after a group is acknowledged nothing is left to do until the next arrives; info).
 * - hl7.ingest.ceiling_ratio: storage floor time / (floor time + pure work + listener idle), same run:
 *   the highest floor_ratio any ingest that parses, maps and acknowledges its messages reaches with
 *   these senders on this machine, with matching, the audit chain, the duplicate check and the
 *   sockets' own work all free (info).
 * - hl7.parse.ratio_vs_peer: our parse-only throughput divided by hl7-standard's (a popular
 *   pure-JS parser) on the same messages, interleaved rounds (info, or ≥ 1).
 * The senders run in a worker thread (a lab's interface engine is another machine); the listener's
 * thread does the ingest alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolve_ } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import HL7 from 'hl7-standard';
import { startCheckpointer } from '../../electron/services/db/checkpointer';
import { newId } from '../../electron/common/ids';
import { createDatabase } from '../../electron/services/db/open';
import { Hl7Ingest, type IngestOutcome } from '../../electron/services/labs/ingest';
import { startMllpListener } from '../../electron/services/labs/mllp.listener';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { mapOru, patientParts } from '../../shared/domain/lab-results';
import { readPatientFacts } from '../../shared/domain/hl7-patient';
import { buildAck, decodeHl7, encodeHl7, frameMllpBytes, get, hl7Timestamp, parseMessage, parseMessageOrThrow, writeMessage } from '../../shared/hl7';
import { encodeHlc } from '../../shared/sync/hlc';
import { BENCH_MRN, benchOru } from './hl7-messages';
import type { Row } from './report';

export interface Hl7BenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  progress: (msg: string) => void;
  resourcesDir: string;
}

const KDF = { N: 2 ** 14, r: 8, p: 1 };
const SERIAL_MESSAGES = 3000;
const PARALLEL_MESSAGES = 4000;
const CONNECTIONS = 8;
const WARMUP = 200;
const PARSE_MESSAGES = 500;
const PARSE_ROUNDS = 20;

/** Sends `count` messages over `connections` MLLP connections from a worker thread; each waits for its ACK. */
function sendFromWorker(port: number, connections: number, prefix: string, count: number): Promise<{ ms: number; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(resolve_('test/helpers/ts-worker.mjs'), {
      workerData: { port, connections, prefix, count, tsEntry: pathToFileURL(resolve_('test/bench/hl7-senders.worker.ts')).href },
    });
    worker.once('message', (m: { ms: number; latencies: number[] } | { error: string }) => {
      void worker.terminate();
      if ('error' in m) reject(new Error(`hl7 bench sender: ${m.error}`));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

/** The tables an ingested ORU writes to, whose rows per message the floor must reproduce. */
const COUNTED = ['hl7_messages', 'audit_log', 'observations', 'sync_outbox'] as const;
type Counts = Record<(typeof COUNTED)[number], number>;

function countRows(sqlite: Database.Database): Counts {
  return Object.fromEntries(COUNTED.map((t) => [t, (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n])) as Counts;
}

/** Rows each message added, per table, from the counts before and after `messages` messages. */
function perMessage(before: Counts, after: Counts, messages: number): Counts {
  return Object.fromEntries(COUNTED.map((t) => [t, (after[t] - before[t]) / messages])) as Counts;
}

/** What one side of the comparison measured: its rate and the rows it left per message. */
interface Side {
  rate: number;
  rows: Counts;
  /** Ingest only: µs a message the listener's thread sat idle waiting for the senders. */
  idleUs?: number;
}

/**
 * The listener thread's event-loop idle time over one run: from its first outcome to its last
 * (`count` outcomes), so neither the sender thread's start nor its end is counted.
 */
class IdleWindow {
  private seenCount = 0;
  private start: EventLoopUtilization | null = null;
  private idleMs = NaN;

  constructor(private readonly count: number) {}

  seen(): void {
    this.seenCount++;
    if (this.seenCount === 1) this.start = performance.eventLoopUtilization();
    else if (this.seenCount === this.count && this.start) this.idleMs = performance.eventLoopUtilization(this.start).idle;
  }

  idleUsPerMessage(): number {
    if (Number.isNaN(this.idleMs)) throw new Error(`hl7 bench void: ${this.seenCount} of ${this.count} outcomes seen`);
    return (this.idleMs * 1000) / (this.count - 1);
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

async function benchIngest(c: Hl7BenchContext, dir: string): Promise<Side> {
  const { store } = await createDatabase(join(dir, 'hl7.cairn'), 'bench hl7 passphrase', { resourcesDir: c.resourcesDir, kdf: KDF });
  const repos = createRepos(store);
  const patient = repos.patients.create(
    patientInput.parse({ givenName: 'Patient', familyName: 'Bench', birthDate: '1970-01-01', sex: 'female', mrn: BENCH_MRN }),
    { userId: 'bench' },
  );
  const outcomes: IngestOutcome[] = [];
  // The listener thread's idle time from the first outcome of a run to its last (see IdleWindow).
  let window: IdleWindow | null = null;
  // As `cairn hl7 listen` and the clinic server's lab interface run it: checkpoints on the other core.
  const checkpointer = startCheckpointer(store);
  const listener = await startMllpListener(new Hl7Ingest(repos), {
    port: 0,
    onMessage: (o) => {
      outcomes.push(o);
      window?.seen();
    },
  });
  const before = countRows(store.sqlite);
  try {
    await sendFromWorker(listener.port, 1, 'W', WARMUP);
    c.progress(`hl7: ${SERIAL_MESSAGES} ORU messages, one connection, one at a time (senders in their own thread)`);
    const serialIdle = (window = new IdleWindow(SERIAL_MESSAGES));
    const serial = await sendFromWorker(listener.port, 1, 'S', SERIAL_MESSAGES);
    c.progress(`hl7: ${PARALLEL_MESSAGES} ORU messages, ${CONNECTIONS} connections, each one at a time`);
    const parallelIdle = (window = new IdleWindow(PARALLEL_MESSAGES));
    const parallel = await sendFromWorker(listener.port, CONNECTIONS, 'P', PARALLEL_MESSAGES);
    window = null;
    // Every message applied to the chart, once: otherwise the speed would describe something else.
    const total = WARMUP + SERIAL_MESSAGES + PARALLEL_MESSAGES;
    const bad = outcomes.filter((o) => o.ack !== 'AA' || o.patientId !== patient.id || o.results !== 10 || o.duplicate);
    const obs = (store.sqlite.prepare('SELECT count(*) AS n FROM observations WHERE patient_id = ?').get(patient.id) as { n: number }).n;
    if (outcomes.length !== total || bad.length > 0 || obs !== total * 10)
      throw new Error(`hl7 bench void: ${outcomes.length}/${total} outcomes, ${bad.length} not applied, ${obs} observations`);
    const ck = checkpointer.stats();
    if (ck.errors > 0 || ck.maxCheckpointed === 0) throw new Error(`hl7 bench void: the checkpoint thread did not work (${JSON.stringify(ck)})`);

    const serialRate = (SERIAL_MESSAGES / serial.ms) * 1000;
    const parallelRate = (PARALLEL_MESSAGES / parallel.ms) * 1000;
    const best = parallelRate > serialRate ? 'parallel' : 'serial';
    const headline = Math.max(serialRate, parallelRate);
    const lat = (l: number[]): string => `ACK latency median ${percentile(l, 50).toFixed(2)} ms, p95 ${percentile(l, 95).toFixed(2)} ms`;
    c.rows.push({
      label: 'hl7.ingest.msgs_per_s',
      median: headline,
      p95: null,
      n: best === 'parallel' ? PARALLEL_MESSAGES : SERIAL_MESSAGES,
      unit: '/s',
      target: '≥ 2,000/s',
      pass: headline >= 2000,
      note: `headline = ${best === 'parallel' ? `${CONNECTIONS} connections` : 'one connection'}; ORU 10 OBX, MLLP loopback, parse+match+store+commit+ACK, encrypted db, checkpoints on a second thread`,
    });
    c.rows.push({
      label: 'hl7.ingest.serial',
      median: serialRate,
      p95: null,
      n: SERIAL_MESSAGES,
      unit: '/s',
      target: '',
      pass: null,
      note: `one connection, next message after its ACK; ${lat(serial.latencies)} (info)`,
    });
    c.rows.push({
      label: `hl7.ingest.parallel_${CONNECTIONS}`,
      median: parallelRate,
      p95: null,
      n: PARALLEL_MESSAGES,
      unit: '/s',
      target: '',
      pass: null,
      note: `${CONNECTIONS} connections, each waits for its ACK; ${lat(parallel.latencies)} (info)`,
    });
    c.json['hl7.ingest.msgs_per_s'] = Math.round(headline);
    c.json['hl7.ingest.mode'] = best;
    c.json['hl7.ingest.serial_msgs_per_s'] = Math.round(serialRate);
    c.json['hl7.ingest.parallel_msgs_per_s'] = Math.round(parallelRate);
    const idleUs = (best === 'parallel' ? parallelIdle : serialIdle).idleUsPerMessage();
    c.rows.push({
      label: 'hl7.ingest.listener_idle',
      median: idleUs / 1000,
      p95: null,
      n: best === 'parallel' ? PARALLEL_MESSAGES : SERIAL_MESSAGES,
      unit: 'ms',
      target: '',
      pass: null,
      note: `a message, headline run: the listener's thread waiting for the senders (event-loop idle from the first ACK to the last), as each sender waits for its ACK before the next message (info)`,
    });
    c.json['hl7.ingest.listener_idle_us'] = Math.round(idleUs * 10) / 10;
    return { rate: headline, rows: perMessage(before, countRows(store.sqlite), total), idleUs };
  } finally {
    await listener.close();
    await checkpointer.stop();
    store.close();
  }
}

const FLOOR_MESSAGES = 4000;

/**
 * The storage floor (see the header): the same rows as an ingested ORU with 10 results, written
 * with nothing else. Values have the sizes ingest writes; audit hashes are stand-ins of the same length.
 */
async function benchStorageFloor(c: Hl7BenchContext, dir: string): Promise<Side> {
  const { store } = await createDatabase(join(dir, 'floor.cairn'), 'bench hl7 passphrase', { resourcesDir: c.resourcesDir, kdf: KDF });
  const repos = createRepos(store);
  const patient = repos.patients.create(
    patientInput.parse({ givenName: 'Patient', familyName: 'Floor', birthDate: '1970-01-01', sex: 'female', mrn: BENCH_MRN }),
    { userId: 'bench' },
  );
  const checkpointer = startCheckpointer(store);
  const { sqlite, deviceId } = store;
  const message = sqlite.prepare(
    `INSERT INTO hl7_messages (id, control_id, sending_facility, sending_application, message_type, raw, source, received_at, status, ack_code, error, patient_id, results)
     VALUES (?, ?, 'ACME LAB', 'LAB', 'ORU^R01', ?, 'mllp:127.0.0.1:40000', ?, 'processed', 'AA', NULL, ?, 10)`,
  );
  const audit = sqlite.prepare(
    `INSERT INTO audit_log (at, user_id, device_id, action, patient_id, record_type, record_id, detail, prev_hash, hash) VALUES (?, 'cli:hl7', ?, ?, ?, 'hl7_message', ?, ?, ?, ?)`,
  );
  const observation = sqlite.prepare(
    `INSERT INTO observations (id, patient_id, category, loinc, display, value_num, unit, ref_low, ref_high, ref_text, interpretation, status, effective_at,
       created_at, created_by, updated_at, updated_by, lab_message_id, lab_result_key, lab_placer_number, lab_filler_number, lab_order_code, lab_order_display, lab_value_type, lab_notes, lab_order_notes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const outbox = sqlite.prepare(
    `INSERT INTO sync_outbox (device_id, seq, entity, entity_id, op, payload, created_at, hlc, user_id, patient_id, base) VALUES (?, ?, 'observation', ?, 'insert', '', ?, ?, 'cli:hl7', ?, '{}')`,
  );
  const loinc = ['2345-7', '2951-2', '2823-3', '2075-0', '2028-9', '3094-0', '2160-0', '17861-6', '2777-1', '1742-6'];
  const hash = 'f'.repeat(64);
  let n = 0;
  let seq = (sqlite.prepare('SELECT coalesce(max(seq), 0) AS n FROM sync_outbox').get() as { n: number }).n;
  const commit = sqlite.transaction((count: number) => {
    for (let k = 0; k < count; k++, n++) {
      const at = new Date().toISOString();
      const id = newId();
      message.run(id, `F${n}`, benchOru(n, 'F'), at, patient.id);
      const ids: string[] = [];
      for (const [i, code] of loinc.entries()) {
        const obs = newId();
        ids.push(obs);
        // Every value bound, as any program storing a result must pass it (constants in the SQL would
        // make a floor no writer can reach).
        observation.run(
          obs,
          patient.id,
          'laboratory',
          code,
          `Test ${i + 1}`,
          (n % 97) + i + 0.5,
          'mg/dL',
          1,
          200,
          '1.0-200.0',
          'N',
          'final',
          '2026-03-01T10:10:00.000Z',
          at,
          'cli:hl7',
          at,
          'cli:hl7',
          id,
          `FI-F${n}^ACME|LN|${code}|`,
          `PL-F${n}^CAIRN`,
          `FI-F${n}^ACME`,
          '24323-8',
          'Comprehensive metabolic panel',
          'NM',
          '[]',
          '[]',
        );
      }
      for (const [i, obs] of ids.entries()) outbox.run(deviceId, ++seq, obs, at, encodeHlc({ wall: Date.now(), counter: i, node: deviceId }), patient.id);
      // The one entry ingest writes for a message stored on one chart, the same length (see storeResults).
      const detail = `10 results stored: ${loinc.map((l) => `${l} F`).join(', ')}; received ORU^R01 F${n} from mllp:127.0.0.1:40000; matched by mrn: MRN ${BENCH_MRN}; result ids ${ids.join(', ')}`;
      audit.run(at, deviceId, 'labs.results', patient.id, id, detail, hash, hash);
    }
  });
  const before = countRows(sqlite);
  try {
    await checkpointer.ready;
    for (let i = 0; i < WARMUP / 8; i++) commit.immediate(8);
    c.progress(`hl7: storage floor, the rows of ${FLOOR_MESSAGES} messages by bare statements, 8 a commit`);
    const t0 = performance.now();
    for (let i = 0; i < FLOOR_MESSAGES / 8; i++) {
      commit.immediate(8);
      // Let the checkpoint thread's messages in, as the listener's event loop does between commits.
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    const rate = (FLOOR_MESSAGES / (performance.now() - t0)) * 1000;
    const obs = (sqlite.prepare('SELECT count(*) AS n FROM observations WHERE patient_id = ?').get(patient.id) as { n: number }).n;
    if (obs !== (WARMUP + FLOOR_MESSAGES) * 10) throw new Error(`hl7 storage floor void: ${obs} observations`);
    c.rows.push({
      label: 'hl7.ingest.storage_floor',
      median: rate,
      p95: null,
      n: FLOOR_MESSAGES,
      unit: '/s',
      target: '',
      pass: null,
      note: 'the rows of one ORU (message, 1 audit entry, 10 observations, 10 outbox) by bare statements, 8 a commit, same encrypted db and checkpoint thread: the most this storage allows (info)',
    });
    c.json['hl7.ingest.storage_floor_msgs_per_s'] = Math.round(rate);
    return { rate, rows: perMessage(before, countRows(sqlite), WARMUP + FLOOR_MESSAGES) };
  } finally {
    await checkpointer.stop();
    store.close();
  }
}

/**
 * The pure work of one ingested ORU (see the header): everything the listener and the ingest compute
 * for a message that no database or socket is needed for. µs a message, median of rounds.
 */
function benchPureWork(c: Hl7BenchContext): number {
  const payloads = Array.from({ length: PARSE_MESSAGES }, (_, i) => new TextEncoder().encode(benchOru(i, 'U')));
  let sink = 0;
  const once = (bytes: Uint8Array, i: number): void => {
    const d = decodeHl7(bytes);
    if (!d.ok) throw new Error(`hl7 pure-work bench: ${d.reason}`);
    const message = parseMessageOrThrow(d.text);
    for (const { message: part, obxBefore } of patientParts(message)) {
      const mapped = mapOru(part, { obxBefore, timeZone: 'UTC' });
      if (!mapped.ok) throw new Error(`hl7 pure-work bench: ${mapped.error.reason}`);
      sink += mapped.value.results.length + (readPatientFacts(part)?.identifiers.length ?? 0);
    }
    const ack = buildAck(message, { code: 'AA', controlId: `ACK${i}`, timestamp: hl7Timestamp(Date.now()) });
    sink += frameMllpBytes(encodeHl7(writeMessage(ack), d.charset)).length;
  };
  const round = (): number => {
    const t0 = performance.now();
    payloads.forEach(once);
    return performance.now() - t0;
  };
  c.progress(`hl7: pure work of ${PARSE_MESSAGES} messages (decode, parse, map, ACK), ${PARSE_ROUNDS} rounds`);
  for (let i = 0; i < 3; i++) round();
  const times = Array.from({ length: PARSE_ROUNDS }, round);
  // Each message is 10 results and one patient: anything else means the work measured is not ingest's.
  if (sink < PARSE_MESSAGES * (PARSE_ROUNDS + 3) * 11) throw new Error('hl7 pure-work bench: the messages were not mapped');
  const us = (percentile(times, 50) / PARSE_MESSAGES) * 1000;
  c.rows.push({
    label: 'hl7.ingest.pure_work',
    median: us / 1000,
    p95: null,
    n: PARSE_ROUNDS,
    unit: 'ms',
    target: '',
    pass: null,
    note: 'per ORU (10 OBX), no database, no socket: decode, parse, map results, patient identifiers, ACK built, written, encoded, framed (info)',
  });
  c.json['hl7.ingest.pure_work_us'] = Math.round(us * 10) / 10;
  return us;
}

/** Parse-only, ours vs hl7-standard, same messages, ABBA-interleaved rounds. */
function benchParse(c: Hl7BenchContext): void {
  const messages = Array.from({ length: PARSE_MESSAGES }, (_, i) => benchOru(i, 'R'));
  // Both must actually read the messages: check one field each way before timing anything.
  const sample = benchOru(7, 'R');
  const ours = parseMessageOrThrow(sample);
  const theirs = new HL7(sample);
  theirs.transform();
  if (get(ours, 'MSH-10') !== 'R7' || theirs.get('MSH.10') !== 'R7' || theirs.getSegments('OBX').length !== 10)
    throw new Error('hl7 parse bench: a parser did not read the message');

  let sink = 0;
  const runOurs = (): number => {
    const t0 = performance.now();
    for (const m of messages) {
      const r = parseMessage(m);
      if (r.ok) sink += r.value.segments.length;
    }
    return performance.now() - t0;
  };
  const runPeer = (): number => {
    const t0 = performance.now();
    for (const m of messages) {
      const h = new HL7(m);
      h.transform();
      sink += h.getSegments('OBX').length;
    }
    return performance.now() - t0;
  };
  c.progress(`hl7: parse-only, ${PARSE_ROUNDS} interleaved rounds of ${PARSE_MESSAGES} messages each side`);
  for (let i = 0; i < 3; i++) {
    runOurs();
    runPeer();
  }
  const oursT: number[] = [];
  const peerT: number[] = [];
  for (let i = 0; i < PARSE_ROUNDS; i++) {
    // ABBA: whichever runs second in a round gets the warmer caches, so alternate.
    if (i % 2 === 0) {
      oursT.push(runOurs());
      peerT.push(runPeer());
    } else {
      peerT.push(runPeer());
      oursT.push(runOurs());
    }
  }
  if (sink === 0) throw new Error('unreachable');
  const med = (xs: number[]): number => percentile(xs, 50);
  const oursRate = (PARSE_MESSAGES / med(oursT)) * 1000;
  const peerRate = (PARSE_MESSAGES / med(peerT)) * 1000;
  const ratio = oursRate / peerRate;
  c.rows.push({
    label: 'hl7.parse.ratio_vs_peer',
    median: ratio,
    p95: null,
    n: PARSE_ROUNDS,
    unit: 'x',
    target: 'info, or ≥ 1×',
    pass: ratio >= 1,
    note: `ours ${Math.round(oursRate).toLocaleString('en-US')} msgs/s vs hl7-standard ${Math.round(peerRate).toLocaleString('en-US')} msgs/s (new HL7(text).transform()); ORU 10 OBX, median round`,
  });
  c.json['hl7.parse.ratio_vs_peer'] = Math.round(ratio * 1000) / 1000;
  c.json['hl7.parse.ours_msgs_per_s'] = Math.round(oursRate);
  c.json['hl7.parse.peer_msgs_per_s'] = Math.round(peerRate);
}

export async function benchHl7(c: Hl7BenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-hl7-'));
  try {
    benchParse(c);
    const pureUs = benchPureWork(c);
    const ingest = await benchIngest(c, dir);
    const floor = await benchStorageFloor(c, dir);
    // Same rows per message on both sides, or the ratio compares different work.
    if (COUNTED.some((t) => ingest.rows[t] !== floor.rows[t]))
      throw new Error(`hl7 bench void: rows per message differ, ingest ${JSON.stringify(ingest.rows)} vs floor ${JSON.stringify(floor.rows)}`);
    const ratio = ingest.rate / floor.rate;
    c.rows.push({
      label: 'hl7.ingest.floor_ratio',
      median: ratio,
      p95: null,
      n: 1,
      unit: 'x',
      target: '≥ 0.8',
      pass: ratio >= 0.8,
      note: `hl7.ingest.msgs_per_s / hl7.ingest.storage_floor, same run; both leave per message ${COUNTED.map((t) => `${ingest.rows[t]} ${t}`).join(', ')}`,
    });
    c.json['hl7.ingest.floor_ratio'] = Math.round(ratio * 1000) / 1000;
    // What the ratio could reach if storing cost what the floor's does and all else were free but the
    // pure work and the listener's wait for its senders.
    const floorUs = 1e6 / floor.rate;
    const idleUs = ingest.idleUs ?? 0;
    const ceiling = floorUs / (floorUs + pureUs + idleUs);
    c.rows.push({
      label: 'hl7.ingest.ceiling_ratio',
      median: ceiling,
      p95: null,
      n: 1,
      unit: 'x',
      target: '',
      pass: null,
      note: `storage floor ${floorUs.toFixed(0)} µs a message / (floor + pure work ${pureUs.toFixed(0)} µs + listener idle ${idleUs.toFixed(0)} µs), same run: the most floor_ratio can be with these senders on this machine (info)`,
    });
    c.json['hl7.ingest.ceiling_ratio'] = Math.round(ceiling * 1000) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
