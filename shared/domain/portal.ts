import { z } from 'zod';

/**
 * The patient portal's shared rules and data-file shapes: the clinic's portal settings
 * (resources/portal/portal-settings.json), intake forms (resources/portal/forms/*.json), what a
 * patient-reported item holds, and the invitation code's form. Used by the clinic server (which
 * serves the portal), the desktop (which reviews what patients send) and the portal's own screens.
 */

/** Invitation codes: 10 characters from an alphabet with no 0/O or 1/I, shown as "7KQ2M-XW9PD". */
export const INVITE_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const INVITE_DAYS = 14;
/** What is hashed and compared: upper case, separators dropped. */
export const normaliseInviteCode = (code: string): string => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

export const portalLanguage = z.enum(['en', 'es']);
export type PortalLanguage = z.infer<typeof portalLanguage>;

/** Proxies do not see items marked confidential while the patient is this old (inclusive). */
export const CONFIDENTIAL_AGES = { from: 12, to: 17 } as const;

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** True when a proxy must not see items the clinic marked confidential for this patient on `day`. */
export function hidesConfidentialFromProxy(birthDate: string, day: string): boolean {
  const age = ageOn(birthDate, day);
  return age >= CONFIDENTIAL_AGES.from && age <= CONFIDENTIAL_AGES.to;
}

const dayCount = z.number().int().min(0).max(60);

/** One kind of result and how long it waits before the portal shows it (the clinician sees it first). */
export const releaseRule = z.object({
  kind: z.string().min(1).max(40),
  label: z.string().min(1).max(80),
  days: dayCount,
  /** LOINC codes of the results of this kind. */
  loinc: z.array(z.string().regex(/^\d{1,7}-\d$/, 'a LOINC code looks like 2345-7')).default([]),
  /** Or the lab's order codes (OBR-4) whose results are of this kind. */
  orderCodes: z.array(z.string().min(1).max(40)).default([]),
});
export type ReleaseRule = z.infer<typeof releaseRule>;

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const attachmentType = z.enum(ATTACHMENT_TYPES);

export const portalSettingsFile = z
  .object({
    /** The address patients use (printed on the invitation letter and its QR code). */
    portalUrl: z.url().default('https://portal.example.clinic/portal/'),
    clinicName: z.string().min(1).max(120).default('Our clinic'),
    clinicPhone: z.string().max(40).default(''),
    /** Results without a rule are released as soon as they are final. */
    release: z.object({ defaultDays: dayCount.default(0), rules: z.array(releaseRule).default([]) }).default({ defaultDays: 0, rules: [] }),
    booking: z
      .object({
        /** Appointment type ids (resources/schedule/appointment-types.json) patients may book online. */
        appointmentTypes: z.array(z.string().min(1)).default([]),
        /** How soon a patient may book: not within this many hours. */
        minNoticeHours: z
          .number()
          .int()
          .min(0)
          .max(24 * 14)
          .default(24),
        horizonDays: z.number().int().min(1).max(180).default(30),
        /** A patient may cancel online up to this many hours before the visit. */
        cancelNoticeHours: z
          .number()
          .int()
          .min(0)
          .max(24 * 14)
          .default(24),
        /**
         * Staff user ids whose calendars online bookings fill (a slot is open while one of them is
         * free; the first free one is booked). Empty: the clinic's calendar as one lane, booked
         * without a provider (any visit at that time makes the slot taken).
         */
        providerIds: z.array(z.string().min(1)).default([]),
      })
      .default({ appointmentTypes: [], minNoticeHours: 24, horizonDays: 30, cancelNoticeHours: 24, providerIds: [] }),
    messages: z
      .object({
        maxAttachmentBytes: z
          .number()
          .int()
          .min(1024)
          .max(10 * 1024 * 1024)
          .default(2 * 1024 * 1024),
        maxBodyChars: z.number().int().min(100).max(20_000).default(5000),
      })
      .default({ maxAttachmentBytes: 2 * 1024 * 1024, maxBodyChars: 5000 }),
    /** Intake forms asked before a visit, by appointment type id ("*": every type). */
    intake: z.record(z.string(), z.array(z.string().min(1))).default({}),
    sessions: z
      .object({ idleMinutes: z.number().int().min(5).max(240).default(30), maxHours: z.number().int().min(1).max(24).default(12) })
      .default({ idleMinutes: 30, maxHours: 12 }),
  })
  .strict();
export type PortalSettings = z.infer<typeof portalSettingsFile>;

/** When a final result becomes visible on the portal: the first rule whose codes match, else the default. */
export function releaseDelayDays(s: PortalSettings, r: { loinc: string | null; orderCode: string | null }): { days: number; kind: string | null } {
  const rule = s.release.rules.find((x) => (r.loinc !== null && x.loinc.includes(r.loinc)) || (r.orderCode !== null && x.orderCodes.includes(r.orderCode)));
  return rule ? { days: rule.days, kind: rule.kind } : { days: s.release.defaultDays, kind: null };
}

/** Release time (UTC ISO) of a final result reported at `reportedAt`. */
export function releaseAt(reportedAt: string, days: number): string {
  return new Date(Date.parse(reportedAt) + days * 86_400_000).toISOString();
}

// ---- Intake forms ----------------------------------------------------------------------------

/** What a reported item becomes if staff accept it (see the desktop's intake review). */
export const REPORTED_KINDS = ['demographics', 'insurance', 'medication', 'allergy', 'score', 'answer'] as const;
export const reportedKind = z.enum(REPORTED_KINDS);
export type ReportedKind = z.infer<typeof reportedKind>;

/** Bilingual text: every string a patient reads exists in both languages. */
export const localText = z.object({ en: z.string().min(1).max(500), es: z.string().min(1).max(500) }).strict();
export type LocalText = z.infer<typeof localText>;

const choice = z.object({ value: z.string().min(1).max(60), label: localText }).strict();

export const formQuestion = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/),
    /**
     * text/longtext/date/yesno/choice: an answer kept as said. Demographic fields (phone, address…)
     * and insurance fields name the chart field they would update; `medications` and `allergies` are
     * lists; `instrument` embeds PHQ-9 or GAD-7 (scored as the note templates do).
     */
    type: z.enum(['text', 'longtext', 'date', 'yesno', 'choice', 'phone', 'email', 'address', 'insurance', 'medications', 'allergies', 'instrument']),
    label: localText,
    required: z.boolean().default(false),
    choices: z.array(choice).optional(),
    instrument: z.enum(['phq9', 'gad7']).optional(),
    /**
     * For `instrument`: the items' text in both languages, in the instrument's order (the answer is
     * one 0–3 per item, the `choices` being the four answer options "0"…"3").
     */
    items: z.array(localText).max(20).optional(),
    /** For demographics: the chart field it updates if accepted (patients.* column). */
    chartField: z.enum(['phone', 'email', 'address']).optional(),
  })
  .strict();
export type FormQuestion = z.infer<typeof formQuestion>;

export const intakeFormFile = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/),
    title: localText,
    description: localText.optional(),
    questions: z.array(formQuestion).min(1).max(80),
    source: z.string().max(400).optional(),
  })
  .strict();
export type IntakeForm = z.infer<typeof intakeFormFile>;

/** A reported medication, as the patient says they take it. */
export const reportedMedication = z.object({
  name: z.string().trim().min(1).max(200),
  dose: z.string().trim().max(100).default(''),
  howOften: z.string().trim().max(100).default(''),
  stopped: z.boolean().default(false),
});
/** A reported allergy. */
export const reportedAllergy = z.object({ substance: z.string().trim().min(1).max(200), reaction: z.string().trim().max(200).default('') });
export const reportedAddress = z.object({
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).default(''),
  city: z.string().trim().min(1).max(100),
  state: z.string().trim().min(2).max(40),
  postalCode: z.string().trim().min(3).max(20),
});
export const reportedInsurance = z.object({
  payerName: z.string().trim().min(1).max(200),
  memberId: z.string().trim().min(1).max(80),
  groupNumber: z.string().trim().max(80).default(''),
  subscriberName: z.string().trim().max(200).default(''),
});
/** A reported demographic change: the chart field it would update and the new value. */
export const reportedDemographic = z.object({
  field: z.enum(['phone', 'email', 'address']),
  value: z.union([z.string().trim().min(1).max(200), reportedAddress]),
});
export const reportedScore = z.object({
  instrument: z.enum(['phq9', 'gad7']),
  answers: z.array(z.number().int().min(0).max(3)),
  total: z.number().int().min(0).max(27),
  severity: z.string().max(60),
  /** Safety flags raised by the answers (PHQ-9 item 9 above 0: assess suicide risk today). */
  flags: z.array(z.string().max(200)).default([]),
});
