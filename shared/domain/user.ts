import { z } from 'zod';
import { passwordProblem, PASSWORD_MAX, type PasswordContext } from './password-policy';

/** Clinic roles; the permission matrix that uses them arrives with the security work. */
export const role = z.enum(['physician', 'nurse', 'front_desk', 'billing', 'admin']);
export type Role = z.infer<typeof role>;
/** A role as people read it (the Users screen lists and offers them in this order). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  physician: 'Physician',
  nurse: 'Nurse / medical assistant',
  front_desk: 'Front desk',
  billing: 'Billing',
  admin: 'Administrator',
};

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,40}$/, 'user name: 2 to 40 letters, digits, dots, dashes or underscores');

/**
 * A staff password (see password-policy.ts): at least 12 characters, not a repeat or a keyboard run.
 * The names (user, person, clinic) are checked where the input carries them (passwordAgainstNames),
 * and the breached-password list by the backend. The same schema guards the forms and the backend.
 */
export const password = z
  .string()
  .max(PASSWORD_MAX * 4)
  .superRefine((p, ctx) => {
    const why = passwordProblem(p);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

/** An object-level check of `field` against the names the same input carries (user name, person's and clinic's name). */
export function passwordAgainstNames<T extends Record<string, unknown>>(
  field: keyof T & string,
  names: (v: T) => PasswordContext,
): (v: T, ctx: z.RefinementCtx) => void {
  return (v, ctx) => {
    const p = String(v[field]);
    // What the field's own check found is reported there once; this adds only what the names show.
    if (passwordProblem(p) !== null) return;
    const why = passwordProblem(p, names(v));
    if (why) ctx.addIssue({ code: 'custom', path: [field], message: why });
  };
}

/** A clinic passphrase protects every chart on the device: longer than a password. */
export const passphrase = z.string().min(12, 'passphrase must be at least 12 characters').max(500);

export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
});
export type User = z.infer<typeof user>;
