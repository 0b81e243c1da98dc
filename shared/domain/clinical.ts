import { z } from 'zod';
import { isIsoDate } from './dates';

/** Optional ISO calendar date that must exist. */
export const isoDate = z.string().refine(isIsoDate, { message: 'use a real calendar date as YYYY-MM-DD' });
const id = z.uuid();
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

// ---------------------------------------------------------------- encounters
export const VISIT_TYPES = ['office_visit', 'follow_up', 'telehealth', 'phone', 'well_child', 'procedure'] as const;
export const visitType = z.enum(VISIT_TYPES);
export type VisitType = (typeof VISIT_TYPES)[number];
/** A visit type as the screens name it (lists, the visit header, the new-visit form). */
export const VISIT_TYPE_LABELS: Readonly<Record<VisitType, string>> = {
  office_visit: 'Office visit',
  follow_up: 'Follow-up',
  telehealth: 'Telehealth',
  phone: 'Phone',
  well_child: 'Well-child visit',
  procedure: 'Procedure',
};
/**
 * A visit type as a printed visit summary names it: on paper, standing alone in a header line,
 * "Telehealth" and "Phone" read as the visit's medium, so the document says what kind of visit it was.
 */
export const VISIT_TYPE_DOCUMENT_LABELS: Readonly<Record<VisitType, string>> = {
  office_visit: 'Office visit',
  follow_up: 'Follow-up',
  telehealth: 'Telehealth visit',
  phone: 'Phone encounter',
  well_child: 'Well-child visit',
  procedure: 'Procedure visit',
};
export const ENCOUNTER_STATUSES = ['planned', 'checked_in', 'in_progress', 'finished'] as const;
export const encounterStatus = z.enum(ENCOUNTER_STATUSES);

export const encounterCreate = z.object({
  patientId: id,
  visitType,
  reason: text(500).optional(),
  providerId: id.optional(),
  status: encounterStatus.default('in_progress'),
  /** A visit recorded afterwards (its date of service); otherwise it starts now. */
  startAt: z.iso.datetime({ offset: true, error: 'start time: an ISO date-time such as 2026-03-04T09:00:00Z' }).optional(),
});
export const encounter = z.object({
  id: z.string(),
  patientId: z.string(),
  visitType,
  status: encounterStatus,
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  reason: z.string().nullable(),
  startAt: z.string().nullable(),
  endAt: z.string().nullable(),
  version: z.number(),
});
export type Encounter = z.infer<typeof encounter>;

// ---------------------------------------------------------------- notes
export const NOTE_STATUSES = ['draft', 'signed', 'entered_in_error'] as const;
export const noteStatus = z.enum(NOTE_STATUSES);
export const note = z.object({
  id: z.string(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  kind: z.enum(['note', 'addendum']),
  status: noteStatus,
  templateId: z.string().nullable(),
  title: z.string(),
  content: z.record(z.string(), z.unknown()),
  authorId: z.string(),
  authorName: z.string().nullable(),
  signedAt: z.string().nullable(),
  signedBy: z.string().nullable(),
  contentHash: z.string().nullable(),
  amendsNoteId: z.string().nullable(),
  errorReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Note = z.infer<typeof note>;

export const noteDraft = z.object({
  /** Absent for a new draft. */
  id: id.optional(),
  expectedVersion: z.number().int().positive().optional(),
  patientId: id,
  encounterId: id.optional(),
  templateId: z.string().min(1).max(100),
  title: text(200).min(1, 'title is required'),
  content: z.record(z.string(), z.unknown()),
});

// ---------------------------------------------------------------- problems (ICD-10-CM)
export const icd10Code = z.object({
  code: z.string(),
  billable: z.boolean(),
  shortDescription: z.string(),
  description: z.string(),
});
export type Icd10Code = z.infer<typeof icd10Code>;

export const PROBLEM_STATUSES = ['active', 'inactive', 'resolved'] as const;
export const problemStatus = z.enum(PROBLEM_STATUSES);
export const problemAdd = z.object({
  patientId: id,
  icd10: z
    .string()
    .trim()
    .regex(/^[A-Za-z]\d[0-9A-Za-z](\.[0-9A-Za-z]{1,4})?$/, 'not an ICD-10-CM code'),
  status: problemStatus.default('active'),
  onsetDate: isoDate.optional(),
  chronic: z.boolean().default(false),
  note: text(2000).optional(),
});
export const problemUpdate = z.object({
  id,
  expectedVersion: z.number().int().positive(),
  status: problemStatus.optional(),
  onsetDate: isoDate.optional(),
  abatementDate: isoDate.optional(),
  chronic: z.boolean().optional(),
  note: text(2000).optional(),
});
export const problem = z.object({
  id: z.string(),
  patientId: z.string(),
  icd10: z.string().nullable(),
  snomed: z.string().nullable(),
  display: z.string(),
  status: problemStatus,
  onsetDate: z.string().nullable(),
  abatementDate: z.string().nullable(),
  chronic: z.boolean(),
  note: z.string().nullable(),
  version: z.number(),
  updatedAt: z.string(),
});
export type Problem = z.infer<typeof problem>;

// ---------------------------------------------------------------- allergies
export const SUBSTANCE_TYPES = ['drug', 'food', 'environment', 'other'] as const;
export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const ALLERGY_CRITICALITIES = ['low', 'high', 'unable_to_assess'] as const;
export const ALLERGY_STATUSES = ['active', 'inactive', 'resolved'] as const;
export const allergyAdd = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nka'), patientId: id }),
  z.object({
    kind: z.literal('allergy'),
    patientId: id,
    substance: text(200).min(1, 'substance is required'),
    /** RxNorm or other code when the substance was picked from a list; absent = uncoded free text. */
    substanceCode: text(50).optional(),
    substanceType: z.enum(SUBSTANCE_TYPES),
    reactions: z.array(text(200).min(1)).max(20).default([]),
    severity: z.enum(ALLERGY_SEVERITIES).optional(),
    criticality: z.enum(ALLERGY_CRITICALITIES).default('unable_to_assess'),
    onsetDate: isoDate.optional(),
    note: text(2000).optional(),
  }),
]);
export const allergyStatusChange = z.object({
  id,
  expectedVersion: z.number().int().positive(),
  status: z.enum(ALLERGY_STATUSES),
  note: text(2000).optional(),
});
export const allergy = z.object({
  id: z.string(),
  patientId: z.string(),
  kind: z.enum(['allergy', 'nka']),
  substance: z.string().nullable(),
  substanceCode: z.string().nullable(),
  substanceType: z.string().nullable(),
  reactions: z.array(z.string()),
  severity: z.string().nullable(),
  criticality: z.string().nullable(),
  status: z.string(),
  onsetDate: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  version: z.number(),
});
export type Allergy = z.infer<typeof allergy>;

// ---------------------------------------------------------------- immunizations
export const immunizationAdd = z.object({
  patientId: id,
  cvx: z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, 'CVX codes are 1 to 3 digits'),
  mvx: z
    .string()
    .trim()
    .regex(/^[A-Z]{2,3}$/, 'MVX codes are 2 or 3 capital letters')
    .optional(),
  lot: text(50).optional(),
  expirationDate: isoDate.optional(),
  site: text(50).optional(),
  route: text(50).optional(),
  doseNumber: z.number().int().min(1).max(20).optional(),
  administeredOn: isoDate,
  source: z.enum(['administered', 'historical']),
  note: text(2000).optional(),
});
export const immunization = z.object({
  id: z.string(),
  patientId: z.string(),
  cvx: z.string(),
  vaccine: z.string(),
  mvx: z.string().nullable(),
  lot: z.string().nullable(),
  expirationDate: z.string().nullable(),
  site: z.string().nullable(),
  route: z.string().nullable(),
  doseNumber: z.number().nullable(),
  administeredOn: z.string(),
  source: z.string(),
  status: z.string(),
});
export type Immunization = z.infer<typeof immunization>;
export const vaccine = z.object({ cvx: z.string(), name: z.string(), fullName: z.string(), groups: z.array(z.string()) });
export type Vaccine = z.infer<typeof vaccine>;
