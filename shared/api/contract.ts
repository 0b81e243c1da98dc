import {
  dueList,
  dueListInput,
  measurePatient,
  measurePatientsInput,
  measureSummary,
  measuresInput,
  measureTrendPoint,
  preventiveInput,
  preventiveItemView,
} from '../domain/population-report';
import { z } from 'zod';
import { allergyStatus, identityKey, patient, patientInput, patientUpdate, searchHit } from '../domain/patient';
import { passphrase, password, passwordAgainstNames, role, user, username } from '../domain/user';
import { clinicInfo, clinicSettings, deaOrNone, idsOnlyForPrescribers, npiOrNone } from '../domain/prescriber';
import {
  allergy,
  allergyAdd,
  allergyStatusChange,
  encounter,
  encounterCreate,
  encounterStatus,
  icd10Code,
  immunization,
  immunizationAdd,
  isoDate,
  note,
  noteDraft,
  problem,
  problemAdd,
  problemUpdate,
  vaccine,
} from '../domain/clinical';
import { chartSummary, dueItem, vitalObservation, vitalTrend } from '../domain/chart';
import { noteTemplate } from '../domain/templates';
import { medAlert } from '../domain/drugs';
import { allergenHit } from '../domain/drugs-allergens';
import { checkResult, medicationAdd, medicationChange, medicationCourse, medicationStop, prescribe, reconcile, reconciliation } from '../domain/medications';
import { doseUnit } from '../domain/drugs';
import { vitalsInput } from '../domain/vitals';
import { chartLinks, conflictView, quarantineItem, syncStatus } from '../domain/sync-review';
import {
  cumulativeView,
  dismissUnmatchedInput,
  hl7Review,
  inboxInput,
  inboxPage,
  labResultView,
  labReviewsInput,
  labTrend,
  resolveFieldDifferenceInput,
  resolveMergeInput,
  unmatchedItem,
} from '../domain/lab-review';
import { labOrder, labOrderInput, labOrderStatusInput, orderSet } from '../domain/lab-orders';
import { advanceInput, appointment, bookInput, bookResult, cancelInput, freeSlotInput, listInput, rescheduleInput, scheduleConfig } from '../domain/schedule';
import { importBundleInput, importSummary } from '../fhir/import-summary';
import type { Channel } from './channels';
import type { Result } from './result';

const none = z.object({}).strict();

export const sessionState = z.object({
  /** uninitialized: no database yet; locked: database exists, key not loaded; unlocked: key loaded, nobody signed in. */
  state: z.enum(['uninitialized', 'locked', 'unlocked', 'signedIn']),
  user: user.nullable(),
  clinicName: z.string().nullable(),
  /** Signed out by the idle timer (the sign-in screen says so). */
  autoLocked: z.boolean(),
  autoLockMinutes: z.number(),
});
export type SessionState = z.infer<typeof sessionState>;

/**
 * The one typed contract between renderer and backend. Every channel names its input and output
 * schema; Electron IPC, the CLI, the web transport and the e2e bridge all go through
 * `dispatch`, which validates against these.
 */
export const contract = {
  'session.status': { input: none, output: sessionState },
  'session.setup': {
    input: z
      .object({
        clinicName: z.string().trim().min(1, 'clinic name is required').max(200),
        passphrase,
        adminUsername: username,
        adminDisplayName: z.string().trim().min(1, 'display name is required').max(100),
        adminPassword: password,
      })
      .strict()
      .superRefine(passwordAgainstNames('adminPassword', (v) => ({ username: v.adminUsername, displayName: v.adminDisplayName, clinicName: v.clinicName }))),
    output: sessionState,
  },
  'session.unlock': {
    input: z.object({ passphrase: z.string().min(1, 'passphrase is required').max(500) }).strict(),
    output: sessionState,
  },
  'session.login': {
    input: z.object({ username, password: z.string().min(1, 'password is required').max(200) }).strict(),
    output: sessionState,
  },
  'session.logout': { input: none, output: sessionState },
  'session.lock': { input: none, output: sessionState },
  /** A chart with the same name, birth date and sex is refused (possible_duplicate) until sent again with confirmDuplicate: true. */
  'patients.create': { input: patientInput, output: patient },
  'patients.update': { input: patientUpdate, output: patient },
  'patients.get': { input: z.object({ id: z.uuid('not a patient id') }).strict(), output: patient },
  'patients.search': {
    input: z
      .object({
        query: z.string().max(200, 'search text is too long'),
        limit: z.number().int().min(1).max(200).default(25),
      })
      .strict(),
    output: z.array(searchHit),
  },
  'patients.chartHeader': {
    input: z.object({ id: z.uuid('not a patient id') }).strict(),
    output: z.object({ patient, allergyStatus }),
  },
  /** Charts with the same family name, given name, birth date and sex (the registration form's duplicate check). */
  'patients.findDuplicates': { input: identityKey, output: z.array(searchHit) },
  'patients.setRestricted': { input: z.object({ id: z.uuid('not a patient id'), restricted: z.boolean() }).strict(), output: patient },
  'patients.breakGlass': {
    input: z
      .object({
        patientId: z.uuid('not a patient id'),
        reason: z.string().trim().min(10, 'say why you need this restricted chart (at least 10 characters)').max(500, 'at most 500 characters'),
        password: z.string().min(1, 'enter your password to break the glass').max(200),
      })
      .strict(),
    /** Access to this chart for the signed-in user until `until` (or sign-out, whichever comes first). */
    output: z.object({ patientId: z.string(), until: z.string() }),
  },
  'settings.autoLock': {
    input: z.object({ minutes: z.number().int().min(1, 'at least 1 minute').max(240, 'at most 4 hours') }).strict(),
    output: z.object({ minutes: z.number() }),
  },
  /** The clinic's name, address and phone as printed on prescriptions (kept on this device). */
  'settings.clinic': { input: none, output: clinicInfo },
  'settings.setClinic': { input: clinicSettings, output: clinicInfo },
  'audit.search': {
    input: z
      .object({
        patientId: z.uuid().optional(),
        userId: z.string().max(100).optional(),
        action: z.string().max(100).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    output: z.object({
      entries: z.array(
        z.object({
          seq: z.number(),
          at: z.string(),
          userId: z.string().nullable(),
          user: z.string().nullable(),
          deviceId: z.string(),
          action: z.string(),
          patientId: z.string().nullable(),
          recordType: z.string().nullable(),
          recordId: z.string().nullable(),
          detail: z.string().nullable(),
        }),
      ),
      chainIntact: z.boolean(),
    }),
  },
  'users.list': { input: none, output: z.array(user.extend({ disabled: z.boolean(), npi: z.string().nullable(), dea: z.string().nullable() })) },
  'users.create': {
    input: z
      .object({
        username,
        displayName: z.string().trim().min(1, 'display name is required').max(100),
        role,
        password,
        npi: npiOrNone.optional(),
        dea: deaOrNone.optional(),
      })
      .strict()
      .superRefine(passwordAgainstNames('password', (v) => ({ username: v.username, displayName: v.displayName })))
      .superRefine(idsOnlyForPrescribers),
    output: user,
  },
  /** A prescriber's NPI and DEA number (a field left out stays as it is; null clears it). */
  'users.update': {
    input: z.object({ username, npi: npiOrNone.optional(), dea: deaOrNone.optional() }).strict(),
    output: user.extend({ disabled: z.boolean(), npi: z.string().nullable(), dea: z.string().nullable() }),
  },
  'users.disable': { input: z.object({ username }).strict(), output: user.extend({ disabled: z.boolean() }) },
  'users.enable': { input: z.object({ username }).strict(), output: user.extend({ disabled: z.boolean() }) },
  'users.resetPassword': {
    input: z
      .object({ username, password })
      .strict()
      .superRefine(passwordAgainstNames('password', (v) => ({ username: v.username }))),
    output: user,
  },
  'encounters.create': { input: encounterCreate, output: encounter },
  'encounters.setStatus': { input: z.object({ id: z.uuid(), status: encounterStatus }).strict(), output: encounter },
  'encounters.list': { input: z.object({ patientId: z.uuid() }).strict(), output: z.array(encounter) },
  'encounters.get': {
    input: z.object({ id: z.uuid() }).strict(),
    output: z.object({ encounter, notes: z.array(note), vitals: z.array(vitalObservation) }),
  },
  'schedule.config': { input: none, output: scheduleConfig },
  'schedule.providers': { input: none, output: z.array(z.object({ id: z.string(), displayName: z.string(), role: z.string() })) },
  'schedule.list': { input: listInput, output: z.array(appointment) },
  'schedule.freeSlot': { input: freeSlotInput, output: z.object({ startAt: z.string(), endAt: z.string() }).nullable() },
  /** A double booking is refused (needs_override) until sent again with allowDoubleBooking: true. */
  'schedule.book': { input: bookInput, output: bookResult },
  'schedule.reschedule': { input: rescheduleInput, output: appointment },
  /** Cancel or no-show, with the reason; `scope: 'rest'` cancels the rest of a series. */
  'schedule.cancel': { input: cancelInput, output: z.array(appointment) },
  /** One step along the flow board; checking in opens the visit's encounter. */
  'schedule.advance': { input: advanceInput, output: appointment },
  'templates.list': {
    input: none,
    output: z.object({ templates: z.array(noteTemplate), problems: z.array(z.object({ file: z.string(), message: z.string() })) }),
  },
  'notes.saveDraft': { input: noteDraft, output: note },
  'notes.sign': {
    input: z.object({ id: z.uuid(), expectedVersion: z.number().int().positive(), password: z.string().min(1, 'enter your password to sign') }).strict(),
    output: note,
  },
  'notes.addendum': {
    input: z
      .object({
        noteId: z.uuid(),
        text: z.string().trim().min(1, 'the addendum is empty').max(20000),
        password: z.string().min(1, 'enter your password to sign'),
      })
      .strict(),
    output: note,
  },
  'notes.enteredInError': {
    input: z.object({ id: z.uuid(), reason: z.string().trim().min(3, 'say why the note is in error').max(500) }).strict(),
    output: note,
  },
  'notes.list': { input: z.object({ patientId: z.uuid(), encounterId: z.uuid().optional() }).strict(), output: z.array(note) },
  'notes.pdf': { input: z.object({ id: z.uuid() }).strict(), output: z.object({ fileName: z.string(), base64: z.string() }) },
  'vitals.record': {
    input: vitalsInput.and(z.object({ patientId: z.uuid(), encounterId: z.uuid().optional() })),
    output: z.array(vitalObservation),
  },
  'vitals.trends': { input: z.object({ patientId: z.uuid() }).strict(), output: z.array(vitalTrend) },
  'problems.searchCodes': {
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).default(25) }).strict(),
    output: z.array(icd10Code),
  },
  'problems.add': { input: problemAdd, output: problem },
  'problems.update': { input: problemUpdate, output: problem },
  'problems.list': { input: z.object({ patientId: z.uuid() }).strict(), output: z.array(problem) },
  'allergies.add': { input: allergyAdd, output: allergy.extend({ alerts: z.array(medAlert) }) },
  'allergies.changeStatus': { input: allergyStatusChange, output: allergy },
  'allergies.list': { input: z.object({ patientId: z.uuid() }).strict(), output: z.array(allergy) },
  /** What an allergy is to: drug classes, ingredients, foods and other allergens (never drug products). */
  'allergies.searchSubstances': {
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(12) }).strict(),
    output: z.array(allergenHit),
  },
  'immunizations.vaccines': { input: z.object({ query: z.string().max(100) }).strict(), output: z.array(vaccine) },
  'immunizations.manufacturers': { input: none, output: z.array(z.object({ mvx: z.string(), name: z.string() })) },
  'immunizations.add': { input: immunizationAdd, output: immunization },
  'immunizations.list': { input: z.object({ patientId: z.uuid() }).strict(), output: z.array(immunization) },
  'immunizations.due': { input: z.object({ patientId: z.uuid(), on: isoDate.optional() }).strict(), output: z.array(dueItem) },
  'chart.summary': { input: z.object({ patientId: z.uuid() }).strict(), output: chartSummary },
  'meds.searchDrugs': {
    input: z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(20) }).strict(),
    output: z.array(
      z.object({ rxcui: z.string(), name: z.string(), brands: z.array(z.string()), route: z.string(), doseForm: z.string(), classes: z.array(z.string()) }),
    ),
  },
  'meds.check': {
    input: z
      .object({
        patientId: z.uuid(),
        rxcui: z.string().regex(/^\d{1,8}$/, 'an RXCUI is 1 to 8 digits'),
        dose: z.object({ amount: z.number().positive(), unit: doseUnit, perDay: z.number().positive().nullable() }).optional(),
      })
      .strict(),
    output: checkResult,
  },
  'meds.list': {
    input: z.object({ patientId: z.uuid() }).strict(),
    output: z.object({ courses: z.array(medicationCourse), lastReconciliation: reconciliation.nullable() }),
  },
  'meds.add': { input: medicationAdd, output: z.object({ course: medicationCourse, alerts: z.array(medAlert) }) },
  'meds.prescribe': { input: prescribe, output: z.object({ prescriptionId: z.string(), courseId: z.string(), alerts: z.array(medAlert) }) },
  'meds.change': { input: medicationChange, output: medicationCourse },
  'meds.stop': { input: medicationStop, output: medicationCourse },
  'meds.reconcile': { input: reconcile, output: z.object({ id: z.string(), reconciledAt: z.string() }) },
  'meds.prescriptionPdf': { input: z.object({ id: z.uuid() }).strict(), output: z.object({ fileName: z.string(), base64: z.string() }) },
  'sync.status': { input: none, output: syncStatus },
  'sync.now': { input: none, output: syncStatus },
  'sync.conflicts.list': {
    input: z
      .object({ patientId: z.uuid().optional(), includeClosed: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(200) })
      .strict(),
    /** Open conflicts first, then (when asked) the recently settled ones. */
    output: z.array(conflictView),
  },
  'sync.conflicts.resolve': {
    input: z
      .object({
        id: z.uuid('not a conflict id'),
        /** The index of the value to keep, or a value typed in for a field. */
        choice: z.union([z.number().int().min(0).max(50), z.object({ value: z.union([z.string().trim().max(20000), z.number(), z.null()]) }).strict()]),
        note: z.string().trim().max(500, 'at most 500 characters').optional(),
      })
      .strict(),
    output: conflictView,
  },
  'sync.conflicts.dismiss': {
    input: z
      .object({ id: z.uuid('not a conflict id'), reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500, 'at most 500 characters') })
      .strict(),
    output: conflictView,
  },
  'sync.quarantine.list': { input: z.object({ includeReviewed: z.boolean().default(false) }).strict(), output: z.array(quarantineItem) },
  'sync.quarantine.review': {
    input: z
      .object({
        deviceId: z.string().min(1).max(100),
        seq: z.number().int().positive(),
        note: z.string().trim().min(3, 'say what was done about it (at least 3 characters)').max(500, 'at most 500 characters'),
      })
      .strict(),
    output: quarantineItem,
  },
  'patients.merge': {
    input: z
      .object({ survivorId: z.uuid('not a patient id'), duplicateId: z.uuid('not a patient id'), conflictId: z.uuid('not a conflict id').optional() })
      .strict()
      .refine((v) => v.survivorId !== v.duplicateId, { path: ['duplicateId'], message: 'a chart cannot be merged into itself' }),
    output: patient,
  },
  'patients.unmerge': { input: z.object({ id: z.uuid('not a patient id') }).strict(), output: patient },
  'patients.reassignMrn': { input: z.object({ id: z.uuid('not a patient id'), conflictId: z.uuid('not a conflict id').optional() }).strict(), output: patient },
  'patients.links': { input: z.object({ id: z.uuid('not a patient id') }).strict(), output: chartLinks },
  'labs.inbox': { input: inboxInput, output: inboxPage },
  'labs.acknowledge': {
    input: z
      .object({
        observationIds: z.array(z.uuid('not a result id')).min(1, 'choose at least one result').max(500),
        note: z.string().trim().max(500, 'at most 500 characters').optional(),
      })
      .strict(),
    /** The results acknowledged now (one acknowledged before is left as it was). */
    output: z.object({ acknowledged: z.array(z.string()) }),
  },
  'labs.patientResults': { input: z.object({ patientId: z.uuid() }).strict(), output: z.array(labResultView) },
  'labs.cumulative': { input: z.object({ patientId: z.uuid() }).strict(), output: cumulativeView },
  'labs.trend': { input: z.object({ patientId: z.uuid(), loinc: z.string().trim().min(1).max(40) }).strict(), output: labTrend },
  'labs.unmatched': { input: none, output: z.array(unmatchedItem) },
  'labs.matchToPatient': {
    input: z.object({ reviewId: z.uuid('not a review id'), patientId: z.uuid('not a patient id') }).strict(),
    output: z.object({ reviewId: z.string(), patientId: z.string(), results: z.number() }),
  },
  'labs.orderSets': { input: none, output: z.array(orderSet) },
  'labs.order': { input: labOrderInput, output: labOrder },
  'labs.orders': { input: z.object({ patientId: z.uuid('not a patient id') }).strict(), output: z.array(labOrder) },
  'labs.orderStatus': { input: labOrderStatusInput, output: labOrder },
  'labs.requisitionPdf': { input: z.object({ id: z.uuid('not a lab order id') }).strict(), output: z.object({ fileName: z.string(), base64: z.string() }) },
  /** The ORM^O01 text for the lab interface (CR-separated segments). */
  'labs.orderMessage': {
    input: z.object({ id: z.uuid('not a lab order id') }).strict(),
    output: z.object({ placerNumber: z.string(), controlId: z.string(), message: z.string() }),
  },
  'population.preventive': { input: preventiveInput, output: z.array(preventiveItemView) },
  'population.dueList': { input: dueListInput, output: dueList },
  'population.dueListCsv': { input: dueListInput, output: z.object({ fileName: z.string(), csv: z.string() }) },
  'population.measures': { input: measuresInput, output: z.array(measureSummary) },
  'population.measuresTrend': { input: measuresInput, output: z.array(measureTrendPoint) },
  'population.measurePatients': { input: measurePatientsInput, output: z.array(measurePatient) },
  'population.measuresCsv': { input: measuresInput, output: z.object({ fileName: z.string(), csv: z.string() }) },
  'population.measuresPdf': { input: measuresInput, output: z.object({ fileName: z.string(), base64: z.string() }) },
  'labs.reviews': { input: labReviewsInput, output: z.array(hl7Review) },
  'labs.resolveFieldDifference': { input: resolveFieldDifferenceInput, output: hl7Review },
  'labs.resolveMerge': { input: resolveMergeInput, output: hl7Review },
  'labs.dismissUnmatched': { input: dismissUnmatchedInput, output: hl7Review },
  /** One FHIR R4 bundle file (File → Import): each patient in one transaction; a re-import changes nothing. */
  'fhir.importBundle': { input: importBundleInput, output: importSummary },
} satisfies Record<Channel, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
/** What a caller sends (before zod defaults/transforms). */
export type In<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after validation). */
export type Parsed<C extends Channel> = z.output<Contract[C]['input']>;
export type Out<C extends Channel> = z.output<Contract[C]['output']>;

/** The API the renderer sees as `window.cairn`. */
export type CairnApi = { [C in Channel]: (input: In<C>) => Promise<Result<Out<C>>> };

/** The generic invoke used by transports. */
export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;
