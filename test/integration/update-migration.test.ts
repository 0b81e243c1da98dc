import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CairnFailure } from '../../shared/api/result';
import { createDatabase, openRawWithKey, resolveKey, unlockDatabase } from '../../electron/services/db/open';
import { appliedMigration, migrateOrExplain } from '../../electron/services/updates/safe-migrate';
import { resourcesDir, TEST_KDF, tempDir } from '../helpers/temp-db';

const PASS = 'update migration test passphrase';

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

const shipped = JSON.parse(readFileSync(join(resourcesDir, 'migrations', 'client', 'meta', '_journal.json'), 'utf8')) as Journal;
const LAST = shipped.entries.at(-1)!.tag;

/**
 * The shipped resources plus one more client migration, `0099_broken`, as a newer Cairn would ship it:
 * two statements that work (a new table, a new column) and then one that fails.
 */
function resourcesWithBrokenMigration(dir: string): string {
  const out = join(dir, 'resources-next');
  mkdirSync(join(out, 'migrations'), { recursive: true });
  for (const entry of readdirSync(resourcesDir)) if (entry !== 'migrations') symlinkSync(join(resourcesDir, entry), join(out, entry));
  symlinkSync(join(resourcesDir, 'migrations', 'server'), join(out, 'migrations', 'server'));
  const client = join(out, 'migrations', 'client');
  cpSync(join(resourcesDir, 'migrations', 'client'), client, { recursive: true });
  writeFileSync(
    join(client, '0099_broken.sql'),
    [
      'CREATE TABLE `update_probe` (`id` integer PRIMARY KEY NOT NULL);',
      'ALTER TABLE `patients` ADD `update_probe_note` text;',
      "INSERT INTO `no_such_table` (`id`) VALUES ('x');",
    ].join('\n--> statement-breakpoint\n'),
  );
  const last = shipped.entries.at(-1)!;
  const journal: Journal = {
    ...shipped,
    entries: [...shipped.entries, { idx: last.idx + 1, version: last.version, when: last.when + 1000, tag: '0099_broken', breakpoints: true }],
  };
  writeFileSync(join(client, 'meta', '_journal.json'), JSON.stringify(journal, null, 2));
  return out;
}

/** What the previous version of Cairn needs of the database: the same version, nothing half-applied, the chart there. */
function expectUnchanged(file: string, key: Buffer, folder: string): void {
  const raw = openRawWithKey(file, key);
  try {
    expect(appliedMigration(raw, folder)).toBe(LAST);
    expect((raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(shipped.entries.length);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'update_probe'").get()).toBeUndefined();
    const columns = (raw.prepare('PRAGMA table_info(patients)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('update_probe_note');
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.prepare("SELECT family_name FROM patients WHERE id = 'p-upd'").get()).toEqual({ family_name: 'Updateson' });
  } finally {
    raw.close();
  }
}

describe('a new version whose database migration fails', () => {
  const t = tempDir('cairn-update-migration-');
  afterAll(() => t.cleanup());
  const file = join(t.dir, 'clinic.cairn');
  const next = resourcesWithBrokenMigration(t.dir);
  const nextMigrations = join(next, 'migrations', 'client');

  it('rolls every statement back: the database stays at the previous version, readable, and the previous version opens it', async () => {
    const { store } = await createDatabase(file, PASS, { resourcesDir, kdf: TEST_KDF });
    store.sqlite
      .prepare(
        `INSERT INTO patients (id, mrn, given_name, family_name, birth_date, sex, created_at, created_by, updated_at, updated_by)
         VALUES ('p-upd', 'UPD-1', 'Una', 'Updateson', '1970-01-02', 'female', '2026-03-01T08:00:00.000Z', 'test', '2026-03-01T08:00:00.000Z', 'test')`,
      )
      .run();
    store.close();

    // The new version opens the database as it does today (db/open.ts): the migration fails and nothing is kept.
    await expect(unlockDatabase(file, PASS, { resourcesDir: next })).rejects.toThrow(/no_such_table/);
    const { key } = await resolveKey(file, PASS);
    expectUnchanged(file, key, nextMigrations);

    // The previous version (the shipped migrations) opens it and finds the chart.
    const { store: again } = await unlockDatabase(file, PASS, { resourcesDir });
    expect(again.sqlite.prepare("SELECT given_name FROM patients WHERE id = 'p-upd'").get()).toEqual({ given_name: 'Una' });
    again.close();
  });

  it('migrateOrExplain says which step failed, that nothing changed, and the version the database is still at', async () => {
    const { key } = await resolveKey(file, PASS);
    const raw = openRawWithKey(file, key);
    let failure: unknown;
    try {
      migrateOrExplain(raw, nextMigrations, file);
    } catch (e) {
      failure = e;
    } finally {
      raw.close();
    }
    expect(failure).toBeInstanceOf(CairnFailure);
    const message = (failure as CairnFailure).message;
    expect(message).toContain('step 0099_broken failed');
    expect(message).toContain('no such table: no_such_table');
    expect(message).toContain(`Nothing was changed: the database is still at ${LAST}`);
    expect(message).toContain('the previous version of Cairn opens it');
    expectUnchanged(file, key, nextMigrations);
  });

  it('migrateOrExplain applies a good migration like drizzle does', async () => {
    const { key } = await resolveKey(file, PASS);
    const folder = join(t.dir, 'fixed');
    cpSync(nextMigrations, folder, { recursive: true });
    writeFileSync(join(folder, '0099_broken.sql'), 'CREATE TABLE `update_probe` (`id` integer PRIMARY KEY NOT NULL);');
    const raw = openRawWithKey(file, key);
    try {
      migrateOrExplain(raw, folder, file);
      expect(appliedMigration(raw, folder)).toBe('0099_broken');
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'update_probe'").get()).toEqual({ name: 'update_probe' });
    } finally {
      raw.close();
    }
  });
});
