import { z } from 'zod';
import { medAlert } from './drugs';
import { sig } from './sig';

const id = z.uuid();
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** A clinician's reason for going ahead despite an alert, tied to the alert's rule. */
export const alertOverride = z.object({
  ruleId: z.string().min(1),
  reason: z.string().trim().min(3, 'give a reason for overriding this alert').max(500),
});
export type AlertOverride = z.infer<typeof alertOverride>;

export const MED_SOURCES = ['prescribed', 'patient-reported', 'imported'] as const;

/** A medication added to the list (reported by the patient or imported): coded by RXCUI, or free text (uncoded). */
const medicationAddBase = z.object({
  patientId: id,
  rxcui: z
    .string()
    .regex(/^\d{1,8}$/, 'an RXCUI is 1 to 8 digits')
    .optional(),
  name: text(200).optional(),
  dose: text(200).optional(),
  route: text(50).optional(),
  frequency: text(100).optional(),
  source: z.enum(MED_SOURCES).default('patient-reported'),
  encounterId: id.optional(),
  overrides: z.array(alertOverride).default([]),
});
const namedOrCoded = (v: { rxcui?: string; name?: string }): boolean => v.rxcui !== undefined || (v.name !== undefined && v.name !== '');
const NAME_OR_CODE = { message: 'choose a drug from the list or type its name', path: ['name'] };
export const medicationAdd = medicationAddBase.refine(namedOrCoded, NAME_OR_CODE);

export const prescribe = z.object({
  patientId: id,
  encounterId: id.optional(),
  rxcui: z.string().regex(/^\d{1,8}$/, 'an RXCUI is 1 to 8 digits'),
  sig,
  overrides: z.array(alertOverride).default([]),
  /** Re-authentication: a prescription is signed like a note. */
  password: z.string().min(1, 'enter your password to sign the prescription'),
});

export const medicationChange = z.object({
  courseId: id,
  dose: text(200).optional(),
  sig: sig.optional(),
  reason: text(500).min(3, 'say why the dose changed'),
  overrides: z.array(alertOverride).default([]),
});

export const medicationStop = z.object({ courseId: id, reason: text(500).min(3, 'say why it was stopped') });

export const reconcileItem = z.discriminatedUnion('action', [
  z.object({ courseId: id, action: z.literal('continue') }),
  z.object({ courseId: id, action: z.literal('change'), dose: text(200).min(1), reason: text(500).min(3) }),
  z.object({ courseId: id, action: z.literal('stop'), reason: text(500).min(3) }),
]);
export const reconcile = z.object({
  patientId: id,
  encounterId: id.optional(),
  items: z.array(reconcileItem),
  additions: z.array(medicationAddBase.omit({ patientId: true, encounterId: true, overrides: true }).refine(namedOrCoded, NAME_OR_CODE)).default([]),
  overrides: z.array(alertOverride).default([]),
});

export const medicationEvent = z.object({
  id: z.string(),
  event: z.enum(['start', 'change', 'stop']),
  dose: z.string().nullable(),
  route: z.string().nullable(),
  frequency: z.string().nullable(),
  source: z.string(),
  reason: z.string().nullable(),
  at: z.string(),
  by: z.string().nullable(),
});

export const medicationCourse = z.object({
  courseId: z.string(),
  patientId: z.string(),
  rxcui: z.string().nullable(),
  drugName: z.string(),
  /** Free text with no RXCUI: no safety checks ran on it. */
  uncoded: z.boolean(),
  status: z.enum(['active', 'stopped']),
  dose: z.string().nullable(),
  route: z.string().nullable(),
  frequency: z.string().nullable(),
  since: z.string(),
  events: z.array(medicationEvent),
});
export type MedicationCourse = z.infer<typeof medicationCourse>;

export const checkResult = z.object({
  drug: z.object({ rxcui: z.string(), name: z.string() }).nullable(),
  alerts: z.array(medAlert),
  uncodedNotChecked: z.array(z.string()),
});

export const prescription = z.object({
  id: z.string(),
  patientId: z.string(),
  courseId: z.string(),
  rxcui: z.string(),
  drugName: z.string(),
  sigText: z.string(),
  status: z.string(),
  signedAt: z.string(),
  prescriber: z.string().nullable(),
  medicationRequest: z.record(z.string(), z.unknown()),
});
export type Prescription = z.infer<typeof prescription>;

export const reconciliation = z.object({
  id: z.string(),
  reconciledBy: z.string(),
  reconciledAt: z.string(),
  items: z.array(z.object({ courseId: z.string(), drugName: z.string(), action: z.string(), detail: z.string().nullable() })),
});
