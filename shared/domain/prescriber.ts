import { z } from 'zod';
import { luhnCheckDigit } from './luhn';
import { phone } from './patient';

/**
 * What a printed prescription needs beyond the drug: the prescriber's NPI and DEA registration,
 * and the clinic's name, address and phone. Pure rules, checked in the forms and by the backend.
 */

/**
 * The NPI check digit: Luhn over the card issuer prefix 80840 followed by the first nine digits
 * (CMS, "Requirements for NPI check digit"). Returns the digit the tenth position must hold.
 */
export function npiCheckDigit(firstNine: string): number {
  return luhnCheckDigit(`80840${firstNine}`);
}

/** Why `v` is not an NPI, or null when it is one. */
export function npiProblem(v: string): string | null {
  if (!/^\d{10}$/.test(v)) return `NPI "${v}" must be exactly 10 digits`;
  if (!/^[12]/.test(v)) return `NPI "${v}" must begin with 1 or 2`;
  if (Number(v[9]) !== npiCheckDigit(v.slice(0, 9))) return `NPI "${v}" fails its check digit, so a digit is mistyped: copy it again from the NPPES registry`;
  return null;
}

/**
 * The DEA check digit: (d1 + d3 + d5) + 2 × (d2 + d4 + d6); its last digit is d7.
 * `digits` are the seven digits after the two letters.
 */
export function deaCheckDigit(digits: string): number {
  const d = [...digits].map(Number);
  return (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10;
}

/** Why `v` (upper case, no spaces) is not a DEA registration number, or null when it is one. */
export function deaProblem(v: string): string | null {
  if (!/^[A-Z]{2}\d{7}$/.test(v)) return `DEA number "${v}" must be 2 letters then 7 digits (e.g. AB1234563)`;
  if (Number(v[8]) !== deaCheckDigit(v.slice(2)))
    return `DEA number "${v}" fails its check digit, so a digit is mistyped: copy it again from the DEA registration certificate`;
  return null;
}

/** A National Provider Identifier: 10 digits, spaces and dashes as typed are dropped. */
export const npi = z
  .string()
  .max(20, 'an NPI is 10 digits')
  .transform((v) => v.replace(/[\s-]/g, ''))
  .superRefine((v, ctx) => {
    const why = npiProblem(v);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

/** A DEA registration number: 2 letters and 7 digits, stored upper case. */
export const dea = z
  .string()
  .max(20, 'a DEA number is 2 letters then 7 digits')
  .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .superRefine((v, ctx) => {
    const why = deaProblem(v);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

/** An NPI or DEA field as a form sends it: empty (or null) means "not recorded". */
function orNone<T extends z.ZodType<string, string>>(
  schema: T,
): z.ZodPipe<z.ZodPipe<z.ZodNullable<z.ZodString>, z.ZodTransform<string | null, string | null>>, z.ZodNullable<T>> {
  return z
    .string()
    .nullable()
    .transform((v) => (v === null || v.trim() === '' ? null : v))
    .pipe(schema.nullable());
}
export const npiOrNone = orNone(npi);
export const deaOrNone = orNone(dea);

/** The clinic's identity as printed on prescriptions and documents. */
export const clinicSettings = z
  .object({
    name: z.string().trim().min(1, 'clinic name is required').max(100, 'clinic name: at most 100 characters'),
    /** One to three address lines (street, suite, city state ZIP). */
    addressLines: z
      .array(z.string().trim().max(100, 'each address line: at most 100 characters'))
      .max(3, 'at most 3 address lines')
      .transform((lines) => lines.filter((l) => l !== ''))
      .refine((lines) => lines.length > 0, 'give the clinic address (street, then city, state and ZIP): pharmacies need it on a prescription'),
    phone: phone
      .nullable()
      .optional()
      .or(z.literal('').transform(() => null))
      .transform((v) => v ?? null),
  })
  .strict();
export type ClinicSettings = z.output<typeof clinicSettings>;

/** The clinic as stored: the address may not have been recorded yet. */
export const clinicInfo = z.object({ name: z.string(), addressLines: z.array(z.string()), phone: z.string().nullable() });
export type ClinicInfo = z.infer<typeof clinicInfo>;

/** One line for a printed header: "12 Main St, Springfield, IL 62701 · Tel 217-555-0100"; null when no address. */
export function clinicAddressLine(c: ClinicInfo): string | null {
  if (c.addressLines.length === 0) return null;
  return [c.addressLines.join(', '), c.phone && `Tel ${c.phone}`].filter(Boolean).join(' \u00B7 ');
}

/** Who prescribes (and so has an NPI and DEA number recorded): only physicians sign prescriptions. */
export const PRESCRIBER_ROLES: readonly string[] = ['physician'];

/** An object-level check: NPI and DEA are recorded for prescribers only, said on the field. */
export function idsOnlyForPrescribers(v: { role: string; npi?: string | null | undefined; dea?: string | null | undefined }, ctx: z.RefinementCtx): void {
  if (PRESCRIBER_ROLES.includes(v.role)) return;
  for (const field of ['npi', 'dea'] as const) {
    if (v[field])
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `${field === 'npi' ? 'an NPI' : 'a DEA number'} is recorded for physicians (who prescribe) only`,
      });
  }
}
