import { PortalError } from '../api/client';
import { isKey, type Translate } from './i18n';

/**
 * What a refusal means, in the patient's language: a known server code has its own text (which may
 * quote the server's message, e.g. the password policy's reason); an unknown code shows the
 * server's message as it came.
 */
export function errorText(t: Translate, e: unknown): string {
  if (e instanceof PortalError) {
    const key = `error.${e.code}`;
    if (isKey(key)) return t(key, { message: e.message });
    return t('error.generic', { message: e.message });
  }
  return t('error.generic', { message: e instanceof Error ? e.message : String(e) });
}

/** True for refusals that mean "signed out" (the screens go back to sign-in). */
export function isSignedOut(e: unknown): boolean {
  return e instanceof PortalError && e.status === 401;
}
