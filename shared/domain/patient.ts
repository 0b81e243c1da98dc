import { z } from 'zod';
import { formatAge, isIsoDate, isoToday, parseTypedDate } from './dates';

/** Administrative sex as recorded for billing and lab reference ranges (FHIR AdministrativeGender). */
export const administrativeSex = z.enum(['female', 'male', 'other', 'unknown']);
export type AdministrativeSex = z.infer<typeof administrativeSex>;

const trimmed = (max: number): z.ZodString => z.string().trim().max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/**
 * A calendar date as a person types it: ISO `1972-03-14` or US `03/14/1972` (and `3/14/1972`),
 * read as search reads it, and kept as ISO. Text that is no date is left for the check after it.
 */
const typedDate = z
  .string()
  .trim()
  .transform((v) => parseTypedDate(v) ?? v);

/**
 * The latest date that is already today somewhere (UTC+14): a date after it is in the future for
 * every clinic. A schema has no clinic zone, and a newborn registered in the morning in Auckland
 * is born on a date that is still tomorrow in UTC.
 */
const latestToday = (): string => isoToday(new Date(Date.now() + 14 * 3_600_000));

/** A birth date: ISO calendar date that exists, not in the future, not before 1880. */
export const birthDate = typedDate.superRefine((v, ctx) => {
  if (!isIsoDate(v)) ctx.addIssue({ code: 'custom', message: `invalid date "${v}": use a real calendar date as YYYY-MM-DD` });
  else if (v > latestToday()) ctx.addIssue({ code: 'custom', message: `birth date ${v} is in the future` });
  else if (v < '1880-01-01') ctx.addIssue({ code: 'custom', message: `birth date ${v} is before 1880` });
});

/** The day the patient died (recorded or imported): a real date, not in the future. */
export const deathDate = typedDate.superRefine((v, ctx) => {
  if (!isIsoDate(v)) ctx.addIssue({ code: 'custom', message: `invalid date "${v}": use a real calendar date as YYYY-MM-DD` });
  else if (v > latestToday()) ctx.addIssue({ code: 'custom', message: `date of death ${v} is in the future` });
});

/** Phone as typed; must hold 7 to 15 digits (E.164 allows at most 15). */
export const phone = z
  .string()
  .trim()
  .max(40)
  .refine((v) => {
    const n = v.replace(/\D/g, '').length;
    return n >= 7 && n <= 15;
  }, 'phone must have 7 to 15 digits');

export const identifier = z.object({
  system: trimmed(200).min(1, 'identifier system is required'),
  value: trimmed(100).min(1, 'identifier value is required'),
  type: optionalText(40),
});
export type Identifier = z.infer<typeof identifier>;

export const address = z.object({
  line1: optionalText(200),
  line2: optionalText(200),
  city: optionalText(100),
  state: optionalText(100),
  postalCode: optionalText(20),
  country: optionalText(100),
});
export type Address = z.infer<typeof address>;

export const insurance = z.object({
  payer: optionalText(200),
  memberId: optionalText(100),
  groupNumber: optionalText(100),
});
export type Insurance = z.infer<typeof insurance>;

/** Whom to call when the patient cannot speak for themselves (the check-in checklist confirms it). */
export const emergencyContact = z.object({
  name: optionalText(200),
  relationship: optionalText(60),
  phone: phone.optional().or(z.literal('').transform(() => undefined)),
});
export type EmergencyContact = z.infer<typeof emergencyContact>;

/**
 * Who is responsible for the bill: the patient (`relationship: 'self'`, nothing else needed) or
 * another person (a parent, a spouse…) with a name and a way to reach them.
 */
export const guarantor = z.object({
  // A cleared choice arrives as null from a select.
  relationship: z
    .string()
    .trim()
    .max(60, 'must be at most 60 characters')
    .nullish()
    .transform((v) => v || undefined),
  name: optionalText(200),
  phone: phone.optional().or(z.literal('').transform(() => undefined)),
  address: optionalText(300),
});
export type Guarantor = z.infer<typeof guarantor>;

/** MRN as a person may type it: letters, digits and dashes. */
export const mrn = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,30}$/, 'MRN may contain only letters, digits and dashes (at most 30)');

/** The demographic fields, without defaults (an update must never default a field it did not send). */
const patientFields = z.object({
  givenName: trimmed(100).min(1, 'given name is required'),
  middleName: optionalText(100),
  familyName: trimmed(100).min(1, 'family name is required'),
  preferredName: optionalText(100),
  birthDate,
  sex: administrativeSex,
  genderIdentity: optionalText(100),
  phone: phone.optional().or(z.literal('').transform(() => undefined)),
  email: z
    .email('email is not valid')
    .max(200)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  address: address.optional(),
  mrn: mrn.optional().or(z.literal('').transform(() => undefined)),
  identifiers: z.array(identifier).max(20),
  preferredLanguage: optionalText(50),
  insurance: insurance.optional(),
  emergencyContact: emergencyContact.optional(),
  guarantor: guarantor.optional(),
  /** Recorded by a person (or imported); empty to clear a mistaken entry. */
  deceasedOn: deathDate.optional().or(z.literal('').transform(() => undefined)),
});

/** The checks that span fields: who a contact is needs their name and number; death after birth. */
function checkPeople(
  p: { emergencyContact?: EmergencyContact | undefined; guarantor?: Guarantor | undefined; birthDate?: string | undefined; deceasedOn?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  const e = p.emergencyContact;
  if (e && (e.name || e.relationship || e.phone)) {
    if (!e.name) ctx.addIssue({ code: 'custom', path: ['emergencyContact', 'name'], message: 'give the emergency contact’s name' });
    if (!e.phone) ctx.addIssue({ code: 'custom', path: ['emergencyContact', 'phone'], message: 'give a phone number to reach the emergency contact' });
  }
  const g = p.guarantor;
  if (g && g.relationship && g.relationship.toLowerCase() !== 'self' && !g.name) {
    ctx.addIssue({ code: 'custom', path: ['guarantor', 'name'], message: 'give the guarantor’s name (or choose Self)' });
  }
  if (g && !g.relationship && (g.name || g.phone || g.address)) {
    ctx.addIssue({ code: 'custom', path: ['guarantor', 'relationship'], message: 'say who the guarantor is to the patient (Self, parent, spouse…)' });
  }
  if (p.deceasedOn && p.birthDate && p.deceasedOn < p.birthDate) {
    ctx.addIssue({ code: 'custom', path: ['deceasedOn'], message: `date of death ${p.deceasedOn} is before the birth date ${p.birthDate}` });
  }
}

/** What a registration form or the CLI sends to create a patient. */
export const patientInput = patientFields
  .extend({
    sex: administrativeSex.default('unknown'),
    identifiers: z.array(identifier).max(20).default([]),
    /**
     * The person saw the charts with the same name, birth date and sex and registers a new one
     * anyway (twins with one name are rare; a second MRN for one person is a safety problem).
     */
    confirmDuplicate: z.boolean().default(false),
  })
  .superRefine(checkPeople);
/** The validated, normalised input. */
export type PatientInput = z.infer<typeof patientInput>;
/** What a caller may send (before defaults). */
export type PatientInputRaw = z.input<typeof patientInput>;

// Important: built from the fields without defaults, so an edit of the phone cannot reset sex or identifiers.
export const patientUpdate = patientFields
  .partial()
  .extend({
    id: z.uuid(),
    /** Optimistic concurrency: the version the editor saw. */
    expectedVersion: z.number().int().positive(),
  })
  .superRefine(checkPeople);
export type PatientUpdate = z.infer<typeof patientUpdate>;

export const patient = z.object({
  id: z.string(),
  mrn: z.string(),
  givenName: z.string(),
  middleName: z.string().nullable(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  birthDate: z.string(),
  sex: administrativeSex,
  genderIdentity: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: address,
  identifiers: z.array(identifier),
  preferredLanguage: z.string().nullable(),
  insurance: insurance,
  emergencyContact: emergencyContact,
  guarantor: guarantor,
  /** YYYY-MM-DD when the patient died; null while alive (as far as the chart knows). */
  deceasedOn: z.string().nullable(),
  restricted: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Patient = z.infer<typeof patient>;

/** One search hit: enough for a result list and a banner. */
export const patientSummary = patient.pick({
  id: true,
  mrn: true,
  givenName: true,
  middleName: true,
  familyName: true,
  preferredName: true,
  birthDate: true,
  sex: true,
  phone: true,
  deceasedOn: true,
});
export type PatientSummary = z.infer<typeof patientSummary>;

/** How long breaking the glass opens a restricted chart; signing out or locking ends it sooner. */
export const BREAK_GLASS_MINUTES = 30;

/**
 * One row of a search result. A restricted chart is still found (so the front desk can tell the
 * patient is known here) but shows only the name and the flag: opening it needs break-glass.
 */
export const searchHit = z.discriminatedUnion('restricted', [
  patientSummary.extend({ restricted: z.literal(false) }),
  patient.pick({ id: true, givenName: true, middleName: true, familyName: true }).extend({ restricted: z.literal(true) }),
]);
export type SearchHit = z.infer<typeof searchHit>;

/** Allergy status for the banner: a chart with no recorded allergy review must not look like "no allergies". */
export const allergyStatus = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unknown') }),
  z.object({ kind: z.literal('nka') }),
  z.object({ kind: z.literal('allergies'), substances: z.array(z.string()) }),
]);
export type AllergyStatus = z.infer<typeof allergyStatus>;

/** "Family, Given Middle" as clinicians read it. */
export function displayName(p: Pick<Patient, 'givenName' | 'middleName' | 'familyName'>): string {
  return `${p.familyName}, ${p.givenName}${p.middleName ? ` ${p.middleName}` : ''}`;
}

/** The identity a registration is checked against: the same one is a likely duplicate chart. */
export const identityKey = z
  .object({
    givenName: trimmed(100).min(1, 'given name is required'),
    familyName: trimmed(100).min(1, 'family name is required'),
    birthDate,
    sex: administrativeSex,
  })
  .strict();
export type IdentityKey = z.infer<typeof identityKey>;

/**
 * How old the patient is, as the banner and the search list show it: "42 y" while alive; for a
 * patient who died, the date and the age at death ("Deceased 2006-05-08 · aged 66 y"), never an
 * age they did not live to.
 */
export function ageLabel(p: { birthDate: string; deceasedOn: string | null }, today: string): string {
  if (p.deceasedOn) return `Deceased ${p.deceasedOn} · aged ${formatAge(p.birthDate, p.deceasedOn)}`;
  return formatAge(p.birthDate, today);
}

/** The refusal for acts that need a living patient (a visit, a booking, a prescription). */
export function deceasedRefusal(p: { deceasedOn: string | null }, act: string): string | null {
  return p.deceasedOn
    ? `this patient died on ${p.deceasedOn}: ${act} is not possible. If the date of death is a mistake, correct it in the demographics first.`
    : null;
}
