import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerPathFor } from '../../electron/services/db/key-header';
import { createDatabase, openWithKey, unlockDatabase, verifyStore } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { patientInput } from '../../shared/domain/patient';
import { newStore, resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

const PASS = 'correct horse battery staple';
const actor = { userId: 'test-user' };

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    out[f] = `${statSync(p).mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
  }
  return out;
}

describe('encrypted chart store', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t.cleanup());

  it('keeps no plaintext: not a SQLite header, no patient name in the database, WAL or journal', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    const repos = createRepos(store);
    repos.patients.create(patientInput.parse({ givenName: 'Zebulon', familyName: 'Quartermaine', birthDate: '1971-05-06', phone: '617-555-0199' }), actor);
    // Read the files while the WAL still holds the write, then again after a checkpoint.
    const check = (): void => {
      for (const f of readdirSync(t.dir).filter((f) => !f.endsWith('.key.json'))) {
        const bytes = readFileSync(join(t.dir, f));
        expect(bytes.includes(Buffer.from('Quartermaine')), `${f} holds a plaintext name`).toBe(false);
        expect(bytes.includes(Buffer.from('6175550199')), `${f} holds a plaintext phone`).toBe(false);
      }
    };
    expect(existsSync(`${file}-wal`)).toBe(true);
    check();
    store.close();
    check();
    expect(readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    const header = JSON.parse(readFileSync(headerPathFor(file), 'utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({ kdf: 'scrypt', cipher: 'sqlcipher', legacy: 4 });
    expect(JSON.stringify(header)).not.toContain(PASS);
  });

  it('refuses a wrong passphrase with a clear error and changes no file', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    createRepos(store).patients.create(patientInput.parse({ givenName: 'Ana', familyName: 'Lima', birthDate: '1990-01-02' }), actor);
    store.close();
    const before = snapshot(t.dir);
    const refused = unlockDatabase(file, 'not the passphrase', { resourcesDir });
    await expect(refused).rejects.toMatchObject({ code: 'wrong_passphrase' });
    await expect(refused).rejects.toThrow(/^wrong passphrase: the database was not opened and nothing was changed$/);
    // A raw key that is wrong (header bypassed) is refused by SQLCipher itself, again without writing.
    expect(() => openWithKey(file, Buffer.alloc(32, 7), { resourcesDir })).toThrow(/could not be decrypted/);
    expect(snapshot(t.dir)).toEqual(before);
  });

  it('reopens with the right passphrase and returns the data, sound and migrated', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    const created = createRepos(store).patients.create(
      patientInput.parse({ givenName: 'José', familyName: 'Núñez', birthDate: '1980-03-04', mrn: 'A-77' }),
      actor,
    );
    store.close();
    const { store: again } = await unlockDatabase(file, PASS, { resourcesDir });
    const repos = createRepos(again);
    expect(repos.patients.get(created.id, actor)).toMatchObject({ givenName: 'José', familyName: 'Núñez', mrn: 'A-77', version: 1 });
    const v = verifyStore(again, { resourcesDir });
    expect(v.integrity).toEqual(['ok']);
    expect(v.pending).toBe(0);
    expect(v.schemaVersion).toMatch(/^0\d{3}_/);
    expect(again.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(again.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    // Temporary files are not encrypted: 2 = MEMORY, never the build's default of a file on disk.
    expect(again.sqlite.pragma('temp_store', { simple: true })).toBe(2);
    again.close();
  });

  it('refuses to overwrite an existing database', async () => {
    const { store, file } = await newStore(t.dir, PASS);
    store.close();
    await expect(createDatabase(file, PASS, { resourcesDir, kdf: TEST_KDF })).rejects.toMatchObject({ code: 'already_initialized' });
  });

  it('writes the row, its audit entry and its outbox entry together, or none of them', async () => {
    const { store } = await newStore(t.dir, PASS);
    const repos = createRepos(store);
    const count = (table: string): number => (store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const p = repos.patients.create(patientInput.parse({ givenName: 'Ada', familyName: 'Byron', birthDate: '1985-12-10' }), actor);
    expect([count('patients'), count('audit_log'), count('sync_outbox')]).toEqual([1, 1, 1]);
    // A duplicate MRN fails inside the transaction: nothing of it may remain.
    expect(() => repos.patients.create(patientInput.parse({ givenName: 'Other', familyName: 'Person', birthDate: '1985-12-10', mrn: p.mrn }), actor)).toThrow(
      /already belongs/,
    );
    expect([count('patients'), count('audit_log'), count('sync_outbox')]).toEqual([1, 1, 1]);
    expect(repos.audit.firstBroken()).toBeNull();
    store.close();
  });

  it('refuses to change an audit entry, and the hash chain names one edited behind its back', async () => {
    const { store } = await newStore(t.dir, PASS);
    const repos = createRepos(store);
    for (const n of ['Ann', 'Ben', 'Cal']) repos.patients.create(patientInput.parse({ givenName: n, familyName: 'Chain', birthDate: '2000-01-01' }), actor);
    expect(() => store.sqlite.prepare(`UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => store.sqlite.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(repos.audit.firstBroken()).toBeNull();
    // Someone with the key drops the guard and edits entry 2: the chain breaks exactly there.
    store.sqlite.exec('DROP TRIGGER audit_log_no_update');
    store.sqlite.prepare(`UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 2`).run();
    expect(repos.audit.firstBroken()).toBe(2);
    store.close();
  });

  it('refuses, in the database itself, to change or delete a signed note', async () => {
    const { store } = await newStore(t.dir, PASS);
    const repos = createRepos(store);
    const p = repos.patients.create(patientInput.parse({ givenName: 'Sig', familyName: 'Ned', birthDate: '1980-01-01' }), actor);
    store.sqlite
      .prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, created_at, created_by, updated_at, updated_by) VALUES ('test-user', 'test', 'Test', 'physician', 'x', 'now', 'x', 'now', 'x')`,
      )
      .run();
    const draft = repos.notes.saveDraft(
      { patientId: p.id, templateId: 'review-of-systems', title: 'ROS', content: { ros: { allOthersNegative: true, systems: {} } } },
      actor,
    );
    repos.notes.sign(draft.id, draft.version, actor);
    expect(() => store.sqlite.prepare(`UPDATE clinical_notes SET content = '{"x":1}' WHERE id = ?`).run(draft.id)).toThrow(/signed note cannot be changed/);
    expect(() => store.sqlite.prepare(`UPDATE clinical_notes SET status = 'draft' WHERE id = ?`).run(draft.id)).toThrow(/signed note cannot be changed/);
    expect(() => store.sqlite.prepare('DELETE FROM clinical_notes WHERE id = ?').run(draft.id)).toThrow(/never deleted/);
    store.close();
  });
});
