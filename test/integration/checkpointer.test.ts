import { spawn } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointedByThread, leavingCheckpointToThread, replayableWrite, startCheckpointer } from '../../electron/services/db/checkpointer';
import { openPlainForBenchmark, unlockDatabase } from '../../electron/services/db/open';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { frameMllp, MllpDeframer } from '../../shared/hl7';
import { cairn, CLI_ENV } from '../helpers/cli';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

/** An ORU^R01 with 10 numeric results for the chart with this MRN. */
function oru(n: number, mrn: string): string {
  const obx = Array.from({ length: 10 }, (_, i) => `OBX|${i + 1}|NM|${2345 + i}-7^Test ${i}^LN||${n + i}|mg/dL|1-999|N|||F|||20260301101000+0000`);
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|K${n}|P|2.5.1`,
    `PID|1||${mrn}^^^^MR||Doe^Jane||19700101|F`,
    `OBR|1|PL-K${n}^CAIRN|FI-K${n}^ACME|24323-8^Panel^LN`,
    ...obx,
  ].join('\r');
}

const until = async (ok: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A new database in `dir`, its WAL empty, with a checkpoint thread that waits a minute between checkpoints. */
async function storeWithIdleThread(dir: string): Promise<Awaited<ReturnType<typeof newStore>> & { checkpointer: ReturnType<typeof startCheckpointer> }> {
  mkdirSync(dir);
  const made = await newStore(dir);
  made.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const checkpointer = startCheckpointer(made.store, { intervalMs: 60_000 });
  await checkpointer.ready;
  return { ...made, checkpointer };
}

describe('the checkpoint thread', () => {
  const t = tempDir('cairn-checkpointer-');
  afterAll(() => t.cleanup());

  it('copies committed pages into the database file from its own thread; the writer takes over again when it stops', async () => {
    mkdirSync(join(t.dir, 'a'));
    const { store, file } = await newStore(join(t.dir, 'a'));
    const repos = createRepos(store);
    const p = repos.patients.create(patientInput.parse({ givenName: 'Jane', familyName: 'Doe', birthDate: '1970-01-01', sex: 'female', mrn: 'CK-1' }), {
      userId: 'test',
    });
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    const checkpointer = startCheckpointer(store, { intervalMs: 5 });
    await checkpointer.ready;
    // The writer now leaves checkpoints to the thread until its WAL passes 4,000 pages (the valve).
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    const ingest = new Hl7Ingest(repos);
    for (let i = 0; i < 60; i++) {
      expect(ingest.receive(oru(i, 'CK-1'), 'test').ack).toBe('AA');
      await new Promise((r) => setImmediate(r));
    }
    // About 3,000 WAL pages in all, under the valve: only the thread can have grown the database file.
    await until(() => statSync(file).size > before + 300_000, 'the database file to grow');
    const stats = checkpointer.stats();
    expect(stats.errors).toBe(0);
    expect(stats.maxCheckpointed).toBeGreaterThan(0);
    await checkpointer.stop();
    await checkpointer.stop();
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    store.close();

    const { store: again } = await unlockDatabase(file, 'correct horse battery staple', { resourcesDir });
    expect(again.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.sqlite.prepare('SELECT count(*) AS n FROM observations WHERE patient_id = ?').get(p.id)).toEqual({ n: 600 });
    again.close();
  });

  it('leaves the checkpoint of a large write (an 835 of thousands of claims) to the thread; other writes keep the valve, and without a thread the writer checkpoints', async () => {
    mkdirSync(join(t.dir, 'l'));
    const { store, file } = await newStore(join(t.dir, 'l'));
    const repos = createRepos(store);
    const park = store.sqlite.prepare(`INSERT INTO sync_parked (server_seq, change, reason, parked_at) VALUES (?, ?, 'test', '2026-12-07')`);
    // 5,000 rows of 4,000 characters: more WAL pages than the valve's 4,000 in one transaction.
    const fill = (from: number) => (): void => {
      for (let i = from; i < from + 5000; i++) park.run(i, `${i}`.padEnd(4000, 'x'));
    };
    const fileSize = (): number => statSync(file).size;
    const walPages = (): number => Math.floor(statSync(`${file}-wal`).size / 4096);

    // No thread: a large write checkpoints in the writer, as any write does.
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    let before = fileSize();
    repos.writer.writeLarge(fill(1));
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(fileSize()).toBeGreaterThan(before + 5000 * 4000);

    // A thread that checkpoints once on start, then not for a minute: until it stops, only the writer can copy pages.
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointer = startCheckpointer(store, { intervalMs: 60_000 });
    await checkpointer.ready;
    before = fileSize();
    repos.writer.writeLarge(fill(10_001));
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    expect(fileSize()).toBe(before);
    expect(walPages()).toBeGreaterThan(5000);
    // Inside another write the commit is that write's: the valve holds, and past it the writer checkpoints.
    repos.writer.write(() => repos.writer.writeLarge(fill(20_001)));
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    expect(fileSize()).toBeGreaterThan(before + 2 * 5000 * 4000);
    // A large write that fails changes nothing and puts the valve back.
    expect(() =>
      repos.writer.writeLarge(() => {
        fill(30_001)();
        throw new Error('a segment in error');
      }),
    ).toThrow('a segment in error');
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    await checkpointer.stop();
    expect(checkpointer.stats().errors).toBe(0);
    store.close();

    const { store: again } = await unlockDatabase(file, 'correct horse battery staple', { resourcesDir });
    expect(again.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.sqlite.prepare('SELECT count(*) AS n, max(server_seq) AS last FROM sync_parked').get()).toEqual({ n: 15_000, last: 25_000 });
    again.close();
  });

  it('lets a second connection (the sync worker’s) leave its large writes’ checkpoints to the thread another connection started', async () => {
    const { store, file, checkpointer } = await storeWithIdleThread(join(t.dir, 'w'));
    const { store: worker } = await unlockDatabase(file, 'correct horse battery staple', { resourcesDir });
    expect(worker.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const undo = checkpointedByThread(worker.sqlite);
    expect(worker.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    const park = worker.sqlite.prepare(`INSERT INTO sync_parked (server_seq, change, reason, parked_at) VALUES (?, ?, 'test', '2026-12-07')`);
    const page = worker.sqlite.transaction((from: number) => {
      for (let i = from; i < from + 5000; i++) park.run(i, `${i}`.padEnd(4000, 'x'));
    });
    const before = statSync(file).size;
    leavingCheckpointToThread(worker.sqlite, () => page(1));
    expect(statSync(file).size).toBe(before);
    expect(worker.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    // Once undone (the worker stops before the thread does), a large write checkpoints in its own connection again.
    undo();
    expect(worker.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    leavingCheckpointToThread(worker.sqlite, () => page(10_001));
    expect(statSync(file).size).toBeGreaterThan(before + 2 * 5000 * 4000);
    worker.close();
    await checkpointer.stop();
    store.close();
  });

  it('commits a replayable write (a pulled page, a push answer) without an fsync of its own, its checkpoint left to the thread; FULL again after it, also when it fails', async () => {
    const { store, file, checkpointer } = await storeWithIdleThread(join(t.dir, 'replayable'));
    const FULL = 2;
    const NORMAL = 1;
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(FULL);
    const park = store.sqlite.prepare(`INSERT INTO sync_parked (server_seq, change, reason, parked_at) VALUES (?, ?, 'test', '2026-12-07')`);
    const page = store.sqlite.transaction((from: number) => {
      for (let i = from; i < from + 5000; i++) park.run(i, `${i}`.padEnd(4000, 'x'));
      return store.sqlite.pragma('synchronous', { simple: true });
    });
    const before = statSync(file).size;
    expect(replayableWrite(store.sqlite, () => page(1))).toBe(NORMAL);
    expect(statSync(file).size).toBe(before);
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(() =>
      replayableWrite(store.sqlite, () => {
        throw new Error('the answer could not be recorded');
      }),
    ).toThrow('the answer could not be recorded');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(FULL);
    // Inside a local write's transaction the commit is that write's: it keeps FULL.
    store.sqlite.transaction(() => {
      expect(replayableWrite(store.sqlite, () => store.sqlite.pragma('synchronous', { simple: true }))).toBe(FULL);
    })();
    expect((store.sqlite.prepare('SELECT count(*) AS n FROM sync_parked').get() as { n: number }).n).toBe(5000);
    await checkpointer.stop();
    store.close();
  });

  it('keeps a script that only awaits `ready` waiting until the thread has checkpointed, instead of letting it exit', async () => {
    mkdirSync(join(t.dir, 'r'));
    const { store, file } = await newStore(join(t.dir, 'r'));
    store.close();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/helpers/await-checkpointer.ts'), file, 'correct horse battery staple'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    // Exit code 13 is Node's "unsettled top-level await": the worker let the event loop empty.
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const stats = JSON.parse(out) as { checkpoints: number; errors: number };
    expect(stats.errors).toBe(0);
    expect(stats.checkpoints).toBeGreaterThanOrEqual(1);
  });

  it('refuses a store it cannot unlock on its own thread, clearly', () => {
    const plain = openPlainForBenchmark(join(t.dir, 'plain.db'), { resourcesDir });
    expect(() => startCheckpointer(plain)).toThrow(/not an encrypted store opened by this process/);
    plain.close();
  });

  it('`cairn hl7 listen` killed with SIGKILL mid-stream: every ACKed message is stored with its results, the database sound', async () => {
    const db = join(t.dir, 'listen.cairn');
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    expect(
      cairn(['patients', 'add', '--db', db, '--given', 'Jane', '--family', 'Doe', '--birth-date', '1970-01-01', '--sex', 'female', '--mrn', 'CK-2']).code,
    ).toBe(0);
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), 'hl7', 'listen', '--db', db, '--port', '0'], {
      env: { ...process.env, ...CLI_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const lines = createInterface({ input: child.stdout });
    const port = await new Promise<number>((res, rej) => {
      lines.once('line', (l) => res((JSON.parse(l) as { listening: number }).listening));
      child.once('exit', (code) => rej(new Error(`cairn hl7 listen exited (${code}): ${err}`)));
    });
    const before = statSync(db).size;
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const deframer = new MllpDeframer({ maxMessageBytes: 1 << 20 });
    const acked: string[] = [];
    let waiting: ((ack: string) => void) | null = null;
    socket.on('data', (chunk: Buffer) => {
      for (const ev of deframer.push(chunk)) if (ev.type === 'message') waiting?.(new TextDecoder().decode(ev.payload));
    });
    socket.on('error', () => undefined);
    const send = (n: number): Promise<string> =>
      new Promise((res) => {
        waiting = res;
        socket.write(frameMllp(oru(n, 'CK-2')));
      });
    for (let n = 0; n < 60; n++) {
      const ack = await send(n);
      expect(ack).toContain('MSA|AA|K' + n);
      acked.push(`K${n}`);
    }
    // About 3,000 WAL pages, and the listener's own thread checkpoints only past 4,000: a bigger
    // database file is the checkpoint thread's work.
    await until(() => statSync(db).size > before + 300_000, 'the checkpoint thread to write the database file');
    // Three more in flight, and the process killed at once: no chance to finish anything.
    for (let n = 60; n < 63; n++) socket.write(frameMllp(oru(n, 'CK-2')));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    socket.destroy();

    const { store } = await unlockDatabase(db, CLI_ENV.CAIRN_PASSPHRASE, { resourcesDir });
    try {
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = store.sqlite
        .prepare(`SELECT control_id AS id, (SELECT count(*) FROM observations o WHERE o.lab_message_id = m.id) AS results FROM hl7_messages m`)
        .all() as { id: string; results: number }[];
      const byId = new Map(stored.map((s) => [s.id, s.results]));
      for (const id of acked) expect(byId.get(id), `ACKed message ${id}`).toBe(10);
      // Whatever of the last three was committed is whole: all ten results or none of it.
      expect(stored.every((s) => s.results === 10)).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);
});
