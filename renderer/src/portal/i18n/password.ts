import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem, type PasswordContext } from '../../../../shared/domain/password-policy';
import type { Translate } from './i18n';

/**
 * The staff password policy's verdict (shared/domain/password-policy.ts, the same rules the server
 * applies, less the breached-password list it alone holds), in the patient's language: null when
 * acceptable. The policy words its refusals in English; each kind is recognised by its opening.
 */
export function passwordAdvice(password: string, ctx: PasswordContext, t: Translate): string | null {
  const problem = passwordProblem(password, ctx);
  if (problem === null) return null;
  const length = [...password.normalize('NFC')].length;
  const advice = t('password.advice');
  if (problem.includes('at least')) return `${t('password.short', { min: PASSWORD_MIN, length })} ${advice}`;
  if (problem.includes('at most')) return t('password.long', { max: PASSWORD_MAX });
  if (problem.includes('repeats')) return `${t('password.repeats')} ${advice}`;
  if (problem.includes('keyboard or counting')) return `${t('password.sequence')} ${advice}`;
  if (problem.includes('built from')) return `${t('password.name')} ${advice}`;
  if (problem.includes('breached or common')) return `${t('password.common')} ${advice}`;
  return problem;
}
