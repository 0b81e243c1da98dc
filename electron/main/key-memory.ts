import { safeStorage } from 'electron';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { KeyMemory } from '../services/session';

/**
 * Remembers the database key per device with Electron's safeStorage (Keychain, DPAPI, libsecret).
 * Refuses to remember anything when the OS offers no real encryption (Linux "basic_text"), so
 * the key is never stored in plaintext.
 */
export function safeStorageKeyMemory(dir: string): KeyMemory {
  const fileFor = (db: string): string => join(dir, `${createHash('sha256').update(db).digest('hex').slice(0, 16)}.key.enc`);
  const usable = (): boolean =>
    safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  return {
    save(db, key) {
      if (!usable()) return;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(fileFor(db), safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
    },
    load(db) {
      const f = fileFor(db);
      if (!usable() || !existsSync(f)) return null;
      return Buffer.from(safeStorage.decryptString(readFileSync(f)), 'base64');
    },
    forget(db) {
      rmSync(fileFor(db), { force: true });
    },
  };
}
