import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { patientInput } from '../../shared/domain/patient';
import { auditChainOf, openPlainForBenchmark, type Store } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { auditHash, auditHmac } from '../../electron/services/repos/audit.repo';
import { newStore, resourcesDir, tempDir } from '../helpers/temp-db';

// The benchmark's plain store must do the same work as an encrypted one, the cipher aside
// (encryption.bulk_write_ratio once came out 0.80 because it did not).

const PRAGMAS = ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout', 'cache_size', 'temp_store', 'secure_delete', 'page_size'];
const pragmas = (s: Store): Record<string, unknown> => Object.fromEntries(PRAGMAS.map((p) => [p, s.sqlite.pragma(p, { simple: true })]));
const lastEntry = (s: Store): { prevHash: string; hash: string; fields: (string | null)[] } => {
  const r = s.sqlite
    .prepare('SELECT at, user_id, device_id, action, patient_id, record_type, record_id, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
    .raw()
    .get() as (string | null)[];
  return { fields: r.slice(0, 8), prevHash: r[8] as string, hash: r[9] as string };
};
const addPatient = (s: Store): void => {
  createRepos(s).patients.create(patientInput.parse({ givenName: 'Plain', familyName: 'Bench', birthDate: '1990-02-03' }), { userId: 'u' });
};

describe('openPlainForBenchmark', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('sets the same connection pragmas as an encrypted store, and is not encrypted', async () => {
    const { store: enc } = await newStore(t.dir);
    const plain = openPlainForBenchmark(join(t.dir, 'plain.sqlite'), { resourcesDir });
    try {
      expect(pragmas(plain)).toEqual(pragmas(enc));
      expect(pragmas(plain)).toMatchObject({ journal_mode: 'wal', synchronous: 2, cache_size: -65536, temp_store: 2, busy_timeout: 5000 });
      addPatient(plain);
    } finally {
      enc.close();
      plain.close();
    }
    expect(readFileSync(join(t.dir, 'plain.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('chains audit entries with an HMAC under the given key, as an encrypted store does', () => {
    const plain = openPlainForBenchmark(join(t.dir, 'chained.sqlite'), { resourcesDir, auditChainKey: randomBytes(32) });
    try {
      const chain = auditChainOf(plain);
      expect(chain).not.toBeNull();
      addPatient(plain);
      const e = lastEntry(plain);
      expect(e.hash).toBe(auditHmac(chain!.key, e.prevHash, e.fields));
      expect(e.hash).not.toBe(auditHash(e.prevHash, e.fields));
      expect(createRepos(plain).audit.verify().problems).toEqual([]);
    } finally {
      plain.close();
    }
  });

  it('without a chain key, keeps plain SHA-256 entries and no chain', () => {
    const plain = openPlainForBenchmark(':memory:', { resourcesDir });
    try {
      expect(auditChainOf(plain)).toBeNull();
      addPatient(plain);
      const e = lastEntry(plain);
      expect(e.hash).toBe(auditHash(e.prevHash, e.fields));
    } finally {
      plain.close();
    }
  });
});
