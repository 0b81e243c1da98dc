import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, unlockDatabase } from '../../electron/services/db/open';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { createRepos } from '../../electron/services/repos';
import { resourcesDir, TEST_KDF, tempDir } from '../helpers/temp-db';

const PASS = 'migration test passphrase';
const BEFORE = '0014_lab_result_columns';

/** The shipped resources with the client migrations cut off before `tag`: an older Cairn. */
function resourcesBefore(dir: string, tag: string): string {
  const out = join(dir, 'resources-old');
  mkdirSync(join(out, 'migrations'), { recursive: true });
  for (const entry of readdirSync(resourcesDir)) if (entry !== 'migrations') symlinkSync(join(resourcesDir, entry), join(out, entry));
  symlinkSync(join(resourcesDir, 'migrations', 'server'), join(out, 'migrations', 'server'));
  const client = join(out, 'migrations', 'client');
  cpSync(join(resourcesDir, 'migrations', 'client'), client, { recursive: true });
  const journalFile = join(client, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  for (const e of journal.entries.slice(cut)) rmSync(join(client, `${e.tag}.sql`));
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return out;
}

describe('upgrading a database whose lab results kept their details in lab_result_details', () => {
  const t = tempDir('cairn-lab-migration-');
  afterAll(() => t.cleanup());

  it('moves every detail onto its observation, drops the old table, and the upgraded ingest finds the earlier version', async () => {
    const file = join(t.dir, 'old.cairn');
    const { store: old } = await createDatabase(file, PASS, { resourcesDir: resourcesBefore(t.dir, BEFORE), kdf: TEST_KDF });
    // Written as the older Cairn's schema holds it (today's repository writes columns it did not have yet).
    const p = { id: 'p-ada' };
    old.sqlite
      .prepare(
        `INSERT INTO patients (id, mrn, given_name, family_name, birth_date, sex, created_at, created_by, updated_at, updated_by) VALUES (?, 'LAB-9', 'Ada', 'Lovelace', '1980-12-10', 'female', '2026-03-01T08:00:00.000Z', 'test', '2026-03-01T08:00:00.000Z', 'test')`,
      )
      .run(p.id);
    // What the older Cairn wrote for one result of message M1: the observation and its details row.
    old.sqlite
      .prepare(
        `INSERT INTO hl7_messages (id, control_id, sending_facility, sending_application, message_type, raw, source, received_at, status, ack_code) VALUES ('m1', 'M1', 'LAB', 'LIS', 'ORU^R01', 'MSH|…', 'file', '2026-03-01T10:00:00.000Z', 'processed', 'AA')`,
      )
      .run();
    old.sqlite
      .prepare(
        `INSERT INTO observations (id, patient_id, category, loinc, display, value_num, unit, status, effective_at, created_at, created_by, updated_at, updated_by)
         VALUES ('o1', ?, 'laboratory', '2823-3', 'Potassium', 6.1, 'mmol/L', 'preliminary', '2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z', 'cli:hl7', '2026-03-01T10:00:00.000Z', 'cli:hl7')`,
      )
      .run(p.id);
    old.sqlite
      .prepare(
        `INSERT INTO lab_result_details (observation_id, message_id, patient_id, result_key, placer_number, filler_number, order_code, order_display, value_type, value_code, notes, order_notes, attachment)
         VALUES ('o1', 'm1', ?, 'F-1^LAB|LN|2823-3|', 'P-1^CAIRN', 'F-1^LAB', '24323-8', 'Metabolic panel', 'NM', NULL, '["hemolysed"]', '["fasting"]', NULL)`,
      )
      .run(p.id);
    old.close();

    const { store } = await unlockDatabase(file, PASS, { resourcesDir });
    try {
      expect(store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE name = 'lab_result_details'`).get()).toBeUndefined();
      expect(
        store.sqlite
          .prepare(
            `SELECT lab_message_id AS m, lab_result_key AS k, lab_placer_number AS placer, lab_filler_number AS filler, lab_order_code AS code, lab_order_display AS display, lab_value_type AS type, lab_notes AS notes, lab_order_notes AS orderNotes FROM observations WHERE id = 'o1'`,
          )
          .get(),
      ).toEqual({
        m: 'm1',
        k: 'F-1^LAB|LN|2823-3|',
        placer: 'P-1^CAIRN',
        filler: 'F-1^LAB',
        code: '24323-8',
        display: 'Metabolic panel',
        type: 'NM',
        notes: '["hemolysed"]',
        orderNotes: '["fasting"]',
      });
      // A corrected result for the same filler number and test supersedes the migrated one.
      const corrected = [
        'MSH|^~\\&|LIS|LAB|CAIRN|CLINIC|20260301120000||ORU^R01|M2|P|2.5.1',
        'PID|1||LAB-9^^^^MR||Lovelace^Ada||19801210|F',
        'OBR|1|P-1^CAIRN|F-1^LAB|24323-8^Metabolic panel^LN|||20260301090000||||||||||||||||CH|C',
        'OBX|1|NM|2823-3^Potassium^LN||4.2|mmol/L|3.5-5.1|N|||C',
      ].join('\r');
      expect(new Hl7Ingest(createRepos(store)).receive(corrected, 'test')).toMatchObject({ ack: 'AA', results: 1 });
      expect(store.sqlite.prepare(`SELECT value_num AS v, supersedes_id AS s FROM observations WHERE lab_message_id <> 'm1'`).get()).toEqual({
        v: 4.2,
        s: 'o1',
      });
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });
});
