import { CairnFailure } from '../../../shared/api/result';
import { passwordProblem, type PasswordContext } from '../../../shared/domain/password-policy';
import { ResourceError, type Resources } from '../resources/resources';

const LIST = 'security/common-passwords.txt';

/** The shipped breached/common password list (see resources/security/README.md for its source and licence). */
export function commonPasswordsFile(resources: Resources): string {
  return resources.path(LIST);
}

/** The list, loaded once per session (about 49,000 entries, a few MB in memory). */
export function commonPasswords(resources: Resources): ReadonlySet<string> {
  return resources.derived('common-passwords', () => {
    let text: string;
    try {
      text = resources.text(LIST);
    } catch (e) {
      // Important: never fall back to "no list": a password must not pass because a file went missing.
      const why = e instanceof ResourceError ? e.problem.message : String(e);
      throw new CairnFailure('internal', `the common-password list ${commonPasswordsFile(resources)} ${why}: reinstall Cairn`);
    }
    return new Set(
      text
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== ''),
    );
  });
}

/** Why `password` is refused under the full policy (the list included), or null. */
export function checkPassword(password: string, ctx: PasswordContext, resources: Resources): string | null {
  const list = commonPasswords(resources);
  return passwordProblem(password, ctx, (c) => list.has(c));
}

/**
 * Applies the full policy where a password is set (a new user, a reset, the first administrator);
 * a refusal is `invalid_input` naming the form's field, so the screen shows it under that field.
 */
export function assertPasswordAllowed(password: string, ctx: PasswordContext, resources: Resources, field = 'password'): void {
  const why = checkPassword(password, ctx, resources);
  if (why) throw new CairnFailure('invalid_input', why, [{ path: field, message: why }]);
}
