import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CcdaMigration, type MigrationLine } from '../../../electron/services/ccda/ccda-migrate';
import { runMigration } from '../../../electron/services/ccda/ccda-migrate-run';
import { CcdaReadPool, readFileHere } from '../../../electron/services/ccda/ccda-read-pool';
import { readDocument } from '../../../electron/services/ccda/ccda-read';
import { createRepos } from '../../../electron/services/repos';
import { newStore, tempDir } from '../../helpers/temp-db';
import { fixtureFiles } from './fixture-files';

// Migration mode parses on reading threads (CcdaReadPool): what a thread reads must be exactly what
// the writing thread would have read, refusals included, and a run must write what a one-thread run writes.

const actor = { userId: 'cli:test' };

describe('C-CDA reading threads (cairn import ccda)', () => {
  const t = tempDir('cairn-ccda-pool-');
  const pool = new CcdaReadPool(2);
  const broken = join(t.dir, 'broken.xml');
  const bomb = join(t.dir, 'entities.xml');

  beforeAll(() => {
    writeFileSync(broken, '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>cut off');
    writeFileSync(
      bomb,
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><ClinicalDocument xmlns="urn:hl7-org:v3">&b;</ClinicalDocument>',
    );
  });
  afterAll(async () => {
    await pool.close();
    t.cleanup();
  });

  it('reads every example document on a thread exactly as the writing thread reads it', async () => {
    expect(await pool.loaded()).toBeGreaterThan(0);
    const files = fixtureFiles();
    expect(files.length).toBeGreaterThan(10);
    const reads = await Promise.all(files.map((f) => pool.read(f)));
    for (const [i, r] of reads.entries()) {
      const here = readDocument(readFileSync(files[i]!));
      expect(r.file).toBe(files[i]);
      expect(r.error).toBeUndefined();
      expect(r.read!.key).toBe(here.key);
      expect(r.read!.counts).toEqual(here.counts);
      expect(r.read!.doc).toEqual(here.doc);
      expect(Buffer.from(r.read!.bytes).equals(Buffer.from(here.bytes))).toBe(true);
    }
  });

  it('a file that lies (not well-formed, entity declarations, missing) comes back with the message the writing thread would give', async () => {
    for (const f of [broken, bomb, join(t.dir, 'no-such-file.xml')]) {
      const r = await pool.read(f);
      expect(r.read).toBeNull();
      expect(r.error).toBe(readFileHere(f).error);
    }
    expect((await pool.read(broken)).error).toMatch(/cannot be read: this file is not well-formed XML \(line 1, column \d+\)/);
    expect((await pool.read(bomb)).error).toMatch(/declares XML entities/);
    expect((await pool.read(join(t.dir, 'no-such-file.xml'))).error).toMatch(/ENOENT/);
  });

  it('a reading thread that dies mid-read: the files it had in hand, and the ones after, are read on this thread; nothing is lost', async () => {
    const dying = new CcdaReadPool(1);
    try {
      expect(await dying.loaded()).toBe(1);
      const files = fixtureFiles().slice(0, 6);
      const inFlight = files.map((f) => dying.read(f));
      // As if the thread were killed (out of memory on a huge file).
      await (dying as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0]!.terminate();
      const after = await dying.read(files[0]!);
      const reads = [...(await Promise.all(inFlight)), after];
      for (const [i, r] of reads.entries()) expect(r.read?.counts).toEqual(readDocument(readFileSync(files[i % files.length]!)).counts);
    } finally {
      await dying.close();
    }
  });

  it('a run on reading threads writes what a run on one thread writes, line for line and in order', async () => {
    const files = [...fixtureFiles(), broken];
    // The same file twice in one run: the second is "already imported".
    const again = join(t.dir, 'again.xml');
    copyFileSync(files[0]!, again);
    files.push(again);
    const run = async (name: string, readThreads: number): Promise<{ lines: MigrationLine[]; threads: number; rows: number }> => {
      const d = tempDir(`cairn-ccda-pool-${name}-`);
      const { store } = await newStore(d.dir);
      try {
        const r = await runMigration(store, new CcdaMigration(createRepos(store), actor), files, { readThreads, batchFiles: 4 });
        const rows = (
          store.sqlite
            .prepare('SELECT (SELECT count(*) FROM observations) + (SELECT count(*) FROM conditions) + (SELECT count(*) FROM documents) AS n')
            .get() as { n: number }
        ).n;
        return { lines: r.lines, threads: r.readThreads, rows };
      } finally {
        store.close();
        d.cleanup();
      }
    };
    const threaded = await run('threads', 1);
    const alone = await run('alone', 0);
    expect(threaded.threads).toBe(1);
    expect(alone.threads).toBe(0);
    const shape = (l: MigrationLine): unknown => ({
      ...l,
      patientId: l.patientId === null ? null : 'id',
    });
    expect(threaded.lines.map((l) => l.file)).toEqual(files);
    expect(threaded.lines.map(shape)).toEqual(alone.lines.map(shape));
    expect(threaded.lines.at(-1)!.alreadyImported).toBe(true);
    expect(threaded.lines.find((l) => l.file === broken)!.error).toMatch(/cannot be read/);
    expect(threaded.rows).toBe(alone.rows);
    expect(threaded.rows).toBeGreaterThan(100);
  }, 120_000);
});
