import { z } from 'zod';
import { isCommonPassword } from './common-passwords';

/** Clinic roles; the permission matrix that uses them arrives with the security work. */
export const role = z.enum(['physician', 'nurse', 'front_desk', 'billing', 'admin']);
export type Role = z.infer<typeof role>;

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,40}$/, 'user name: 2 to 40 letters, digits, dots, dashes or underscores');

/**
 * Password policy: at least 10 characters and not a common password (the "not the user name"
 * rule is checked where both are known). The same schema guards the forms and the backend.
 */
export const password = z
  .string()
  .min(10, 'password must be at least 10 characters')
  .max(200)
  .refine((p) => !isCommonPassword(p), { message: 'this password is too common: choose one that is not on lists of leaked passwords' });

/** A clinic passphrase protects every chart on the device: longer than a password. */
export const passphrase = z.string().min(12, 'passphrase must be at least 12 characters').max(500);

export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
});
export type User = z.infer<typeof user>;
