import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Store } from '../../electron/services/db/open';
import { defaultResourcesDir } from '../../electron/services/paths';

export const resourcesDir = defaultResourcesDir();

/** Cheaper scrypt for tests that are not about the KDF; the header records whatever is used. */
export const TEST_KDF = { N: 2 ** 14, r: 8, p: 1 };

export function tempDir(prefix = 'cairn-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function newStore(dir: string, passphrase = 'correct horse battery staple'): Promise<{ store: Store; file: string }> {
  const file = join(dir, 'clinic.cairn');
  const { store } = await createDatabase(file, passphrase, { resourcesDir, kdf: TEST_KDF });
  return { store, file };
}
