import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { patientInput } from '../../shared/domain/patient';
import { headerPathFor, readAuditAnchor, writeAuditAnchor } from '../../electron/services/db/key-header';
import { openRawWithKey, openWithKey, unlockDatabase, type Store } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { AuditRepo, auditHash, auditHmac } from '../../electron/services/repos/audit.repo';
import { rekeyDatabase } from '../../electron/services/backup/rekey';
import { newStore, resourcesDir, tempDir, TEST_KDF } from '../helpers/temp-db';

const PASS = 'audit chain test passphrase';
const actor = { userId: 'test-user' };

interface Row {
  seq: number;
  at: string;
  userId: string | null;
  deviceId: string;
  action: string;
  patientId: string | null;
  recordType: string | null;
  recordId: string | null;
  detail: string | null;
  prevHash: string;
  hash: string;
}

const rows = (store: Store): Row[] =>
  store.sqlite
    .prepare(
      'SELECT seq, at, user_id AS userId, device_id AS deviceId, action, patient_id AS patientId, record_type AS recordType, record_id AS recordId, detail, prev_hash AS prevHash, hash FROM audit_log ORDER BY seq',
    )
    .all() as Row[];
const fieldsOf = (r: Row): (string | null)[] => [r.at, r.userId, r.deviceId, r.action, r.patientId, r.recordType, r.recordId, r.detail];

function addPatients(store: Store, n: number): void {
  const repos = createRepos(store);
  for (let i = 0; i < n; i++)
    repos.patients.create(patientInput.parse({ givenName: `Pat${String.fromCharCode(65 + i)}`, familyName: 'Chain', birthDate: '2000-01-01' }), actor);
}

/** Rewrites every entry from `from` on, as an attacker with the file and key but not the chain's key would: with `hash`. */
function recompute(store: Store, hash: (prev: string, fields: (string | null)[]) => string): void {
  store.sqlite.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
  let prev = '0'.repeat(64);
  const set = store.sqlite.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows(store)) {
    const h = hash(prev, fieldsOf(r));
    set.run(prev, h, r.seq);
    prev = h;
  }
}

describe('the audit chain: keyed, and anchored outside the file', () => {
  const t = tempDir('cairn-audit-');
  afterAll(() => t.cleanup());
  let n = 0;
  const fresh = async (): Promise<{ store: Store; file: string; key: Buffer }> => {
    const dir = `${t.dir}/${++n}`;
    mkdirSync(dir);
    const { store, file } = await newStore(dir, PASS);
    const { key } = await unlockDatabase(file, PASS, { resourcesDir }).then((o) => (o.store.close(), o));
    return { store, file, key };
  };

  it('hashes new entries with an HMAC that plain SHA-256 cannot reproduce', async () => {
    const { store } = await fresh();
    addPatients(store, 3);
    const all = rows(store);
    expect(all.length).toBe(3);
    for (const r of all) expect(r.hash).not.toBe(auditHash(r.prevHash, fieldsOf(r)));
    expect(createRepos(store).audit.verify()).toMatchObject({ problems: [], firstBroken: null, keyedFrom: 1, entries: 3 });
    store.close();
  });

  it('writes the head to the key header after commits (not inside them), and on close', async () => {
    const { store, file, key } = await fresh();
    const repos = createRepos(store);
    store.sqlite.transaction(() => {
      repos.patients.create(patientInput.parse({ givenName: 'Inside', familyName: 'Tx', birthDate: '2000-01-01' }), actor);
      // Not committed yet: the anchor must not name it.
      expect(readAuditAnchor(file)).toBeNull();
    })();
    addPatients(store, 2);
    store.close();
    const raw = openRawWithKey(file, key);
    const last = raw.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    raw.close();
    expect(readAuditAnchor(file)).toMatchObject({ ...(last as object), keyedFrom: 1 });
    expect(last).toMatchObject({ seq: 3 });
    // The header still unlocks the database (every other field kept).
    (await unlockDatabase(file, PASS, { resourcesDir })).store.close();
  });

  it('reports "3 entries missing after seq 5" when the last three entries are cut off', async () => {
    const { store, file, key } = await fresh();
    addPatients(store, 8);
    store.close();
    // An attacker with the file and the key drops the guard and deletes the tail.
    const raw = openRawWithKey(file, key);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq > 5').run();
    raw.close();
    const again = openWithKey(file, key, { resourcesDir });
    const v = createRepos(again).audit.verify();
    expect(v.problems).toEqual(['3 entries missing after seq 5 (the key header records the chain up to seq 8)']);
    expect(v.firstBroken).toBe(6);
    again.close();
  });

  it('tolerates an anchor that lags behind the file, never one ahead of it or with another hash', async () => {
    const { store, file } = await fresh();
    addPatients(store, 4);
    const all = rows(store);
    // A crash after two commits: the anchor still names entry 2.
    writeAuditAnchor(file, { seq: 2, hash: all[1]!.hash, keyedFrom: 1, at: new Date().toISOString() });
    expect(createRepos(store).audit.verify().problems).toEqual([]);
    writeAuditAnchor(file, { seq: 2, hash: all[2]!.hash, keyedFrom: 1, at: new Date().toISOString() });
    expect(createRepos(store).audit.verify().problems).toEqual(['entry 2 was changed (its hash differs from the one the key header recorded)']);
    writeAuditAnchor(file, { seq: 2, hash: all[1]!.hash, keyedFrom: 3, at: new Date().toISOString() });
    expect(createRepos(store).audit.verify().problems).toEqual(['the start of keyed hashing was moved: the key header records seq 3, the database seq 1']);
    // A damaged anchor is reported, and never stops the database from opening.
    const h = JSON.parse(readFileSync(headerPathFor(file), 'utf8')) as Record<string, unknown>;
    writeFileSync(headerPathFor(file), JSON.stringify({ ...h, audit: { seq: 'x' } }));
    expect(createRepos(store).audit.verify().problems).toEqual(['the audit anchor in the key header is damaged: it was edited by hand or by another program']);
    store.close();
    (await unlockDatabase(file, PASS, { resourcesDir })).store.close();
  });

  it('fails a chain recomputed the old unkeyed way, or under another key, after an edit', async () => {
    const { store, file, key } = await fresh();
    addPatients(store, 5);
    store.close();
    for (const rewrite of [(p: string, f: (string | null)[]) => auditHash(p, f), (p: string, f: (string | null)[]) => auditHmac(Buffer.alloc(32, 7), p, f)]) {
      const s = openWithKey(file, key, { resourcesDir });
      s.sqlite.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
      s.sqlite.prepare(`UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 3`).run();
      recompute(s, rewrite);
      // The chain links up again, but its hashes are not the chain's HMAC: entry 1 is the first that fails.
      const v = createRepos(s).audit.verify();
      expect(v.firstBroken).toBe(1);
      expect(v.problems[0]).toBe('audit entry 1 was changed, removed or reordered: the chain is broken from there');
      s.close();
    }
  });

  it('keeps entries written before keying began verifiable as they are, and keys from the marker on', async () => {
    const { store, file, key } = await fresh();
    store.close();
    // A database from before keyed hashing: no marker, three plain SHA-256 entries.
    const raw = openRawWithKey(file, key);
    raw.prepare(`DELETE FROM meta WHERE key IN ('audit.hmac_key', 'audit.keyed_from')`).run();
    const legacy = new AuditRepo(raw, 'legacy-device');
    for (const action of ['a.one', 'a.two', 'a.three']) legacy.append({ action, userId: 'u' }, new Date().toISOString());
    const before = raw.prepare('SELECT seq, hash FROM audit_log ORDER BY seq').all();
    raw.close();
    const upgraded = openWithKey(file, key, { resourcesDir });
    addPatients(upgraded, 2);
    const all = rows(upgraded);
    expect(all.slice(0, 3).map((r) => ({ seq: r.seq, hash: r.hash }))).toEqual(before);
    expect(all[3]!.hash).not.toBe(auditHash(all[3]!.prevHash, fieldsOf(all[3]!)));
    expect(createRepos(upgraded).audit.verify()).toMatchObject({ keyedFrom: 4, problems: [], entries: 5 });
    upgraded.close();
  });

  it('still verifies after the passphrase changes (the database key changes, the chain key does not)', async () => {
    const { store, file } = await fresh();
    addPatients(store, 3);
    store.close();
    await rekeyDatabase({ dbFile: file, passphrase: PASS, newPassphrase: 'a brand new clinic passphrase', kdf: TEST_KDF });
    const { store: after } = await unlockDatabase(file, 'a brand new clinic passphrase', { resourcesDir });
    expect(readAuditAnchor(file)).toMatchObject({ seq: 3 });
    expect(createRepos(after).audit.verify().problems).toEqual([]);
    after.close();
  });
});
