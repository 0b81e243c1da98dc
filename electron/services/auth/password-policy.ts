import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';
import { passwordProblem, type PasswordContext } from '../../../shared/domain/password-policy';

/** The shipped breached/common password list (see resources/security/README.md for its source and licence). */
export function commonPasswordsFile(resourcesDir: string): string {
  return join(resourcesDir, 'security', 'common-passwords.txt');
}

let cached: { file: string; list: ReadonlySet<string> } | null = null;

/** The list, loaded once per process (about 49,000 entries, a few MB in memory). */
export function commonPasswords(resourcesDir: string): ReadonlySet<string> {
  const file = commonPasswordsFile(resourcesDir);
  if (cached?.file === file) return cached.list;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // Important: never fall back to "no list": a password must not pass because a file went missing.
    throw new CairnFailure('internal', `the common-password list ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}): reinstall Cairn`);
  }
  const list = new Set(
    text
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l !== ''),
  );
  cached = { file, list };
  return list;
}

/** Why `password` is refused under the full policy (the list included), or null. */
export function checkPassword(password: string, ctx: PasswordContext, resourcesDir: string): string | null {
  const list = commonPasswords(resourcesDir);
  return passwordProblem(password, ctx, (c) => list.has(c));
}

/**
 * Applies the full policy where a password is set (a new user, a reset, the first administrator);
 * a refusal is `invalid_input` naming the form's field, so the screen shows it under that field.
 */
export function assertPasswordAllowed(password: string, ctx: PasswordContext, resourcesDir: string, field = 'password'): void {
  const why = checkPassword(password, ctx, resourcesDir);
  if (why) throw new CairnFailure('invalid_input', why, [{ path: field, message: why }]);
}
