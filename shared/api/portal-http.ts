import { z } from 'zod';
import { attachmentType, portalLanguage, type IntakeForm, type PortalLanguage } from '../domain/portal';

/**
 * The patient portal's HTTP API, served by the clinic server under `/portal/api` and called by the
 * portal's own screens (renderer/src/portal). Inputs are zod schemas the server parses (a refusal
 * is `400 { error: { code, message } }`); outputs are the types the server answers.
 *
 * Realm: a portal session is a cookie (`cairn_portal`, HttpOnly, SameSite=Strict, Secure over TLS);
 * every state-changing request carries the session's CSRF token in the `x-csrf-token` header.
 * Staff credentials never work here and a portal session never works on staff routes. A chart the
 * account is not linked to answers 404, exactly like one that does not exist (and is audited).
 *
 * Routes (all JSON unless said):
 * - POST /portal/api/register            registerInput → SessionView (sets the cookie)
 * - POST /portal/api/signin              signInInput → SignInAnswer (sets the cookie; second factor pending if TOTP)
 * - POST /portal/api/signin/totp         totpInput → SessionView
 * - POST /portal/api/signout             {} → { ok } (this session)
 * - POST /portal/api/signout/everywhere  {} → { ok } (every session of the account)
 * - GET  /portal/api/session             → SessionView (401 when signed out)
 * - GET  /portal/api/clinic              → ClinicInfo (no session needed: the clinic's name, time zone and limits)
 * - POST /portal/api/account/language    languageInput → SessionView
 * - POST /portal/api/account/totp/setup  {} → TotpSetup ; POST /portal/api/account/totp/confirm totpInput → SessionView
 * - POST /portal/api/account/link        linkInput → SessionView (a child's chart, with a proxy code)
 * - GET  /portal/api/forms/:formId       → FormView (the form's definition, both languages)
 * Per chart (`:patientId` one of the session's charts):
 * - GET  …/charts/:patientId/summary     → ChartSummary
 * - GET  …/charts/:patientId/results     → ResultView[] (released only, newest first)
 * - GET  …/charts/:patientId/released    → ReleasedItem[] (everything released, with its release time)
 * - GET  …/charts/:patientId/immunizations.pdf   printable immunization record (application/pdf)
 * - GET  …/charts/:patientId/record.pdf           PDF summary ; …/record.fhir.json  FHIR R4 Bundle
 * - GET  …/charts/:patientId/appointments         → AppointmentsView
 * - GET  …/charts/:patientId/slots?type=&from=    → SlotsView
 * - POST …/charts/:patientId/appointments          bookInput → AppointmentView
 * - POST …/charts/:patientId/appointments/:id/cancel  cancelInput → AppointmentView
 * - POST …/charts/:patientId/visit-requests        visitRequestInput → ThreadView
 * - GET  …/charts/:patientId/threads               → ThreadSummary[]
 * - GET  …/charts/:patientId/threads/:threadId     → ThreadView
 * - POST …/charts/:patientId/threads               newThreadInput → ThreadView
 * - POST …/charts/:patientId/threads/:threadId/messages  messageInput → ThreadView
 * - GET  …/charts/:patientId/messages/:messageId/attachment   the file (Content-Disposition: attachment)
 * - GET  …/charts/:patientId/forms                 → FormDue[]
 * - POST …/charts/:patientId/forms/:formId         formAnswersInput → { submissionId, items }
 */
export const PORTAL_API = '/portal/api';
export const PORTAL_COOKIE = 'cairn_portal';
export const CSRF_HEADER = 'x-csrf-token';

const email = z.email('enter an email address like name@example.com').max(200);
const isoDay = z.iso.date('enter the date as YYYY-MM-DD');

export const registerInput = z
  .object({
    code: z.string().trim().min(8, 'enter the code from your invitation letter').max(20),
    birthDate: isoDay,
    email,
    displayName: z.string().trim().min(1, 'enter your name').max(120),
    password: z.string().min(1).max(200),
    language: portalLanguage.default('en'),
  })
  .strict();
export const signInInput = z.object({ username: email, password: z.string().min(1).max(200) }).strict();
export const totpInput = z.object({ code: z.string().regex(/^\d{6}$/, 'enter the 6-digit code from your authenticator app') }).strict();
export const languageInput = z.object({ language: portalLanguage }).strict();
export const linkInput = z.object({ code: z.string().trim().min(8).max(20), birthDate: isoDay }).strict();

export const bookInput = z
  .object({
    appointmentType: z.string().min(1).max(60),
    start: z.iso.datetime({ offset: true }),
    reason: z.string().trim().max(500).default(''),
  })
  .strict();
export const cancelInput = z.object({ reason: z.string().trim().max(500).default('') }).strict();
export const visitRequestInput = z
  .object({ reason: z.string().trim().min(1, 'say what the visit is for').max(1000), preferredTimes: z.string().trim().max(500).default('') })
  .strict();

export const attachmentInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(120)
      // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name may not hold
      .regex(/^[^/\\\u0000-\u001f]+$/, 'a file name may not hold slashes or control characters'),
    type: attachmentType,
    /** The file, base64. The server checks the size against the clinic's limit and the bytes against the type. */
    dataBase64: z.string().max(15 * 1024 * 1024),
  })
  .strict();
export const messageInput = z.object({ body: z.string().trim().min(1, 'write a message').max(20_000), attachment: attachmentInput.optional() }).strict();
export const newThreadInput = messageInput.extend({ subject: z.string().trim().min(1, 'give the message a subject').max(200) }).strict();

/**
 * Answers keyed by question id; each is checked against its question's type by the server. What the
 * portal's screens send, by type: text, longtext, phone, email, choice (the choice's value): a
 * string; date: YYYY-MM-DD; yesno: a boolean; address: `reportedAddress`; insurance:
 * `reportedInsurance`; medications: `reportedMedication[]`; allergies: `reportedAllergy[]`;
 * instrument: the item answers in item order, each 0–3 (`number[]`). Unanswered optional questions are left out.
 */
export const formAnswersInput = z
  .object({ appointmentId: z.string().max(100).nullable().default(null), answers: z.record(z.string().max(60), z.unknown()) })
  .strict();

// ---- Answers -----------------------------------------------------------------------------------

export interface ChartRef {
  patientId: string;
  name: string;
  birthDate: string;
  /** self: the account holder's own chart; proxy: a child's (confidential items may be hidden). */
  kind: 'self' | 'proxy';
}
export interface SessionView {
  account: { id: string; displayName: string; email: string; language: PortalLanguage; totp: boolean };
  csrfToken: string;
  charts: ChartRef[];
  expiresAt: string;
}
export type SignInAnswer = { needsTotp: true } | { needsTotp: false; session: SessionView };
export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export interface ProblemView {
  id: string;
  name: string;
  code: string | null;
  since: string | null;
  status: string;
}
export interface MedicationView {
  id: string;
  name: string;
  instructions: string | null;
  since: string | null;
}
export interface AllergyView {
  id: string;
  substance: string;
  reaction: string | null;
  severity: string | null;
}
export interface ImmunizationView {
  id: string;
  vaccine: string;
  date: string;
  lot: string | null;
}
export interface VitalTrend {
  kind: string;
  label: string;
  unit: string;
  points: { at: string; value: number }[];
}
export interface VisitSummaryView {
  noteId: string;
  date: string;
  title: string;
  clinician: string | null;
  /** The signed note's text as the patient may read it (addenda appended). */
  text: string;
}
export interface ChartSummary {
  patient: ChartRef;
  problems: ProblemView[];
  medications: MedicationView[];
  allergies: AllergyView[];
  immunizations: ImmunizationView[];
  vitals: VitalTrend[];
  visits: VisitSummaryView[];
  /** Items a proxy cannot see here (confidential for a 12–17-year-old): a count, never what they are. */
  hiddenFromProxy: number;
}
/** high | low | normal | abnormal | critical_high | critical_low | unknown: the screens say it in plain words. */
export type ResultFlag = 'high' | 'low' | 'normal' | 'abnormal' | 'critical_high' | 'critical_low' | 'unknown';
export interface ResultView {
  id: string;
  name: string;
  loinc: string | null;
  value: string;
  unit: string | null;
  referenceRange: string | null;
  flag: ResultFlag;
  effectiveAt: string;
  releasedAt: string;
  kind: string | null;
}
export interface ReleasedItem {
  kind: 'result' | 'visit_summary';
  id: string;
  title: string;
  releasedAt: string;
}
export interface AppointmentView {
  id: string;
  start: string;
  end: string;
  type: string;
  typeName: string;
  clinician: string | null;
  status: string;
  bookedOnline: boolean;
  /** The patient may still cancel it online (the clinic's notice period). */
  cancellable: boolean;
}
export interface AppointmentsView {
  upcoming: AppointmentView[];
  past: AppointmentView[];
  /** What may be booked online (empty: the clinic takes requests only). */
  bookableTypes: { id: string; name: string; minutes: number }[];
}
export interface SlotsView {
  type: string;
  slots: { start: string; end: string }[];
}
export interface ThreadSummary {
  id: string;
  subject: string;
  status: 'open' | 'closed';
  lastMessageAt: string;
  messages: number;
}
export interface MessageView {
  id: string;
  authorKind: 'patient' | 'proxy' | 'staff';
  authorName: string;
  body: string;
  sentAt: string;
  attachment: { name: string; type: string; bytes: number } | null;
}
export interface ThreadView extends ThreadSummary {
  messageList: MessageView[];
}
export interface FormDue {
  formId: string;
  title: { en: string; es: string };
  appointmentId: string | null;
  appointmentStart: string | null;
  submittedAt: string | null;
}
/**
 * What the portal's screens need before anyone signs in: the clinic's name and phone (portal
 * settings), its time zone (resources/schedule/clinic-hours.json: every date and time is shown in
 * it) and the message limits, so a too-large attachment is refused before it is uploaded.
 */
export interface ClinicInfo {
  name: string;
  phone: string;
  timeZone: string;
  maxAttachmentBytes: number;
  maxBodyChars: number;
}
/** GET /portal/api/forms/:formId: the form file as the clinic wrote it (both languages). */
export type FormView = IntakeForm;
export type PortalErrorBody = { error: { code: string; message: string } };
