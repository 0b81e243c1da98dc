import { z } from 'zod';
import { role, ROLE_LABELS, type Role } from './user';

/**
 * The provisioning file: what an installer puts beside the installer (or in the system-wide
 * config folder) so a laptop enrolls with the clinic server on its first start without anyone
 * typing an address or a code. `cairn provision --make` writes it; the device removes the
 * enrollment code once it has used it.
 *
 * ```json
 * {
 *   "version": 1,
 *   "clinicName": "Hilltop Clinic",
 *   "serverUrl": "https://clinic-server.lan:8443",
 *   "serverCertificateSha256": "3A:1F:…:C9",
 *   "enrollmentCode": "7KQ2M-XW9PD",
 *   "codeExpiresAt": "2026-07-01T12:00:00.000Z",
 *   "updateChannel": "stable",
 *   "backupDir": "D:\\CairnBackups",
 *   "allowedRoles": ["physician", "nurse"]
 * }
 * ```
 */

/** The one name Cairn looks for. */
export const PROVISIONING_FILE_NAME = 'cairn-provisioning.json';
/** The format this version of Cairn reads and writes. */
export const PROVISIONING_VERSION = 1;

/** https://host[:port][/path]: a name, an IPv4 address or a bracketed IPv6 address; no query or fragment. (No URL in shared/.) */
const HTTPS_URL = /^https:\/\/([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:([1-9][0-9]{0,4}))?(\/[^\s?#]*)?$/;
const HEX_FINGERPRINT = /^[0-9a-f]{64}$/i;

/** "3a1f…" or "3A:1F:…" → "3A:1F:…" (the form `openssl x509 -fingerprint -sha256` and Node print). */
export function normaliseFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha256 fingerprint=/i, '')
    .replace(/[:\s]/g, '');
  if (!HEX_FINGERPRINT.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** A full path on the laptop, POSIX (/media/backup) or Windows (D:\Backups, \\server\share). */
const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || /^\\\\[^\\]+\\[^\\]+/.test(p);

const roleList = Object.keys(ROLE_LABELS).join(', ');

export const provisioningFile = z.strictObject(
  {
    version: z.literal(PROVISIONING_VERSION, {
      error: (i) =>
        i.input === undefined
          ? `version is missing: a provisioning file says "version": ${PROVISIONING_VERSION}`
          : `version ${JSON.stringify(i.input)} is not one this Cairn reads: make the file again with cairn provision --make from this version`,
    }),
    clinicName: z.string().trim().min(1, 'clinicName is empty: give the clinic name or leave the field out').max(200).optional(),
    serverUrl: z
      .string({ error: 'serverUrl is missing: give the clinic server address, such as https://clinic-server:8443' })
      .trim()
      .refine(
        (u) => HTTPS_URL.test(u),
        "serverUrl must be the clinic server's https:// address, such as https://clinic-server:8443 (its certificate is checked, so plain http cannot be used)",
      )
      .transform((u) => u.replace(/\/+$/, '')),
    serverCertificateSha256: z
      .string({ error: "serverCertificateSha256 is missing: give the SHA-256 fingerprint of the clinic server's certificate" })
      .transform((f, ctx) => {
        const n = normaliseFingerprint(f);
        if (n) return n;
        ctx.addIssue({
          code: 'custom',
          message:
            "serverCertificateSha256 must be the SHA-256 fingerprint of the clinic server's certificate: 64 hexadecimal digits, colons allowed (openssl x509 -noout -fingerprint -sha256 -in clinic.crt)",
        });
        return z.NEVER;
      }),
    enrollmentCode: z
      .string({ error: 'enrollmentCode must be the one-time code the clinic server printed, in quotes, such as "7KQ2M-XW9PD"' })
      .trim()
      .regex(/^[0-9A-Za-z-]{6,64}$/, 'enrollmentCode must be the one-time code the clinic server printed, such as 7KQ2M-XW9PD')
      .optional(),
    codeExpiresAt: z.iso.datetime({ offset: true, error: 'codeExpiresAt must be a date and time such as 2026-07-01T12:00:00Z' }).optional(),
    /** When this device used the code (written in place of the code). */
    codeUsedAt: z.iso.datetime({ offset: true, error: 'codeUsedAt must be a date and time such as 2026-07-01T12:00:00Z' }).optional(),
    updateChannel: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, 'updateChannel must be a channel name such as stable or beta (lower-case letters, digits and dashes)')
      .default('stable'),
    backupDir: z
      .string()
      .trim()
      .refine(isAbsolutePath, 'backupDir must be a full path to a folder on the laptop, such as D:\\CairnBackups or /media/backup/cairn')
      .optional(),
    allowedRoles: z
      .array(
        z.string({ error: `allowedRoles must list role names (${roleList})` }).transform((r, ctx): Role => {
          const parsed = role.safeParse(r);
          if (parsed.success) return parsed.data;
          ctx.addIssue({ code: 'custom', message: `allowedRoles: "${String(r)}" is not a role; use ${roleList}` });
          return z.NEVER;
        }),
        { error: `allowedRoles must be a list of roles, such as ["physician", "nurse"] (${roleList})` },
      )
      .min(1, 'allowedRoles is empty: list at least one role, or leave the field out to allow every role')
      .optional(),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (a typo? the README lists the fields)`
        : undefined,
  },
);

export type ProvisioningFile = z.infer<typeof provisioningFile>;

/**
 * Reads the text of a provisioning file. Problems are sentences a person can act on, each naming
 * the field ("serverUrl must be …"); a file that is not JSON says where it breaks.
 */
export function parseProvisioningFile(text: string): { ok: true; value: ProvisioningFile; raw: Record<string, unknown> } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { ok: false, problems: [`it is not valid JSON (${e instanceof Error ? e.message : String(e)}); compare it with the example in the README`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, problems: ['it must be one JSON object { … }, as cairn provision --make writes'] };
  const parsed = provisioningFile.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: [...new Set(parsed.error.issues.map(describeIssue))] };
  return { ok: true, value: parsed.data, raw: raw as Record<string, unknown> };
}

function describeIssue(i: z.core.$ZodIssue): string {
  const field = String(i.path[0] ?? '');
  // Our own messages already name their field; zod's defaults (a wrong type) get the field in front.
  if (field === '' || i.message.startsWith(field)) return i.message;
  if (i.code === 'invalid_type' && / received undefined$/.test(i.message)) return `${field} is missing`;
  return `${field}: ${i.message}`;
}

/** The file as it is written back once the code is used: everything else kept, the code gone. */
export function withoutCode(raw: Record<string, unknown>, usedAt: Date): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'enrollmentCode' && k !== 'codeExpiresAt'));
  return { ...rest, codeUsedAt: usedAt.toISOString() };
}

/** Why provisioning did not enroll the device. */
export type ProvisionFailure =
  | 'invalid-file'
  | 'code-expired'
  | 'code-refused'
  | 'unreachable'
  | 'fingerprint-mismatch'
  | 'wrong-address'
  | 'device-unavailable'
  | 'enrollment-failed'
  | 'save-failed';

/**
 * What a first start with a provisioning file came to. `failed` carries what a screen shows: a
 * title and one sentence of what to do; the same goes into the log.
 */
export type ProvisionOutcome =
  | { status: 'no-file'; looked: string[] }
  | { status: 'nothing-to-do'; file: string; why: 'code-used' | 'already-enrolled'; message: string }
  | { status: 'enrolled'; file: string; serverUrl: string; deviceId: string; clinicName: string | null; codeRemoved: boolean; message: string }
  | { status: 'failed'; file: string; reason: ProvisionFailure; title: string; action: string };
