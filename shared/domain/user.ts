import { z } from 'zod';

/** Clinic roles; the permission matrix that uses them arrives with the security work. */
export const role = z.enum(['physician', 'nurse', 'front_desk', 'billing', 'admin']);
export type Role = z.infer<typeof role>;

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,40}$/, 'user name: 2 to 40 letters, digits, dots, dashes or underscores');

/** Minimum password rule for now: length, and not the user name. */
export const password = z.string().min(10, 'password must be at least 10 characters').max(200);

/** A clinic passphrase protects every chart on the device: longer than a password. */
export const passphrase = z.string().min(12, 'passphrase must be at least 12 characters').max(500);

export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
});
export type User = z.infer<typeof user>;
