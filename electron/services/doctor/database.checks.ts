import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startsLikePlainSqlite } from '../backup/backup';
import { appliedMigrations, integrityProblems } from '../backup/facts';
import { fail, pass, type DoctorCheck, type DoctorContext, type Outcome } from './context';

const RESTORE_ADVICE = 'copy the file aside, then restore the latest backup (cairn restore --backup FILE --db FILE) and report it';

/** SQLCipher 4 as Cairn opens every database: the settings this connection decrypted the file with. */
const CIPHER: Record<string, string> = { cipher: 'sqlcipher', legacy: '4', hmac_use: '1', plaintext_header_size: '0' };

function pragmaValue(sqlite: Database.Database, name: string): string {
  const row = (sqlite.pragma(name) as Record<string, unknown>[])[0];
  return row ? String(Object.values(row)[0]) : '';
}

function journal(resourcesDir: string): { when: number; tag: string }[] {
  const file = join(resourcesDir, 'migrations', 'client', 'meta', '_journal.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { entries: { when: number; tag: string }[] }).entries;
}

/** The device database: encrypted as Cairn encrypts it, whole, and at this version's schema. */
export const DATABASE_CHECKS: readonly DoctorCheck[] = [
  {
    id: 'device.database.integrity',
    title: 'Device database is encrypted and whole',
    run({ db, device, deviceProblem }: DoctorContext): Outcome | null {
      if (!db) return null;
      if (!device) return deviceProblem ?? null;
      if (startsLikePlainSqlite(device.dbFile))
        return fail(`${device.dbFile} is a plain, unencrypted SQLite file: it is not a Cairn database; ${RESTORE_ADVICE}`);
      // The connection's settings are the ones the file decrypted with; quick_check then reads every page, checking its HMAC.
      const off = Object.entries(CIPHER).filter(([k, v]) => pragmaValue(device.sqlite, k) !== v);
      if (off.length > 0)
        return fail(
          `the database opened with cipher settings ${off.map(([k]) => `${k}=${pragmaValue(device.sqlite, k)}`).join(', ')} instead of SQLCipher 4's: ${RESTORE_ADVICE}`,
        );
      let problems: string[];
      try {
        problems = integrityProblems(device.sqlite, true);
      } catch (e) {
        problems = [e instanceof Error ? e.message : String(e)];
      }
      if (problems.length > 0) {
        // quick_check's first answer can run to hundreds of lines (one per page): the first few say enough.
        const lines = problems.flatMap((p) => p.split('\n')).filter((l) => l.trim() && !l.startsWith('***'));
        return fail(
          `the database is damaged (quick_check: ${lines.slice(0, 3).join('; ')}${lines.length > 3 ? `; ${lines.length - 3} more` : ''}): ${RESTORE_ADVICE}`,
        );
      }
      return pass('SQLCipher 4 (AES-256, an HMAC-SHA512 on every page, no plaintext header); quick_check read every page and found them whole');
    },
  },
  {
    id: 'device.database.schema',
    title: 'Device database is at this version of Cairn',
    run({ device }: DoctorContext): Outcome | null {
      if (!device) return null;
      const shipped = journal(device.resourcesDir);
      const applied = new Set(appliedMigrations(device.sqlite).map((m) => Number(m.createdAt)));
      const known = new Set(shipped.map((m) => m.when));
      const missing = shipped.filter((m) => !applied.has(m.when));
      const newer = [...applied].filter((w) => !known.has(w)).length;
      const latest = shipped[shipped.length - 1]?.tag ?? 'none';
      if (newer > 0)
        return fail(`the database has ${newer} migration(s) this version of Cairn does not know: a newer Cairn wrote it; update Cairn on this device`);
      if (missing.length > 0)
        return fail(
          `${missing.length} migration(s) of this version are not applied (first missing: ${missing[0]!.tag}; latest: ${latest}): open the database in Cairn to apply them; if that fails, restore the latest backup and report it`,
        );
      return pass(`all ${shipped.length} migrations applied (latest: ${latest})`);
    },
  },
];
