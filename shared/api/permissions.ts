import type { Role } from '../domain/user';
import type { Channel } from './channels';

const CLINICAL: readonly Role[] = ['physician', 'nurse', 'admin'];
const CLINICAL_WRITE: readonly Role[] = ['physician', 'nurse'];
const DEMOGRAPHICS_READ: readonly Role[] = ['physician', 'nurse', 'front_desk', 'billing', 'admin'];
const DEMOGRAPHICS_WRITE: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];
const CODES_READ: readonly Role[] = ['physician', 'nurse', 'billing', 'admin'];
const PHYSICIAN: readonly Role[] = ['physician'];
const ADMIN: readonly Role[] = ['admin'];

/**
 * Who may call each channel, enforced by the dispatcher before anything else runs (the renderer
 * only hides what a role cannot use). 'public' channels work before sign-in (setup, unlock,
 * sign-in itself). Front desk sees demographics and visits but no notes, vitals or results;
 * billing sees demographics, insurance and diagnosis codes but no note text; only physicians sign
 * notes and prescriptions; only administrators manage users and settings.
 */
export const PERMISSIONS: { readonly [C in Channel]: 'public' | readonly Role[] } = {
  'session.status': 'public',
  'session.setup': 'public',
  'session.unlock': 'public',
  'session.login': 'public',
  'session.logout': 'public',
  'session.lock': 'public',
  'patients.create': DEMOGRAPHICS_WRITE,
  'patients.update': DEMOGRAPHICS_WRITE,
  'patients.get': DEMOGRAPHICS_READ,
  'patients.search': DEMOGRAPHICS_READ,
  'patients.chartHeader': DEMOGRAPHICS_READ,
  // Whoever registers patients checks for an existing chart first.
  'patients.findDuplicates': DEMOGRAPHICS_WRITE,
  // A privacy decision: the physician (at the patient's request) or the administrator (staff, VIP charts).
  'patients.setRestricted': ['physician', 'admin'],
  // Whoever may open a chart may break the glass for a restricted one: the reason and the audit are the check.
  'patients.breakGlass': DEMOGRAPHICS_READ,
  'settings.autoLock': ADMIN,
  // Everyone signed in prints documents headed by the clinic's address; only administrators change it.
  'settings.clinic': DEMOGRAPHICS_READ,
  'settings.setClinic': ADMIN,
  'audit.search': ADMIN,
  'users.list': ADMIN,
  'users.create': ADMIN,
  'users.disable': ADMIN,
  'users.enable': ADMIN,
  'users.resetPassword': ADMIN,
  'users.update': ADMIN,
  // Front desk opens a visit only by checking the patient in (schedule.advance); a visit they could
  // start here would open on a workspace they may not read.
  'encounters.create': CLINICAL_WRITE,
  'encounters.setStatus': ['physician', 'nurse', 'front_desk'],
  'encounters.list': ['physician', 'nurse', 'front_desk', 'billing', 'admin'],
  'encounters.get': CLINICAL,
  // Scheduling: whoever books and checks patients in (as for visits); everyone signed in sees the calendar.
  'schedule.config': DEMOGRAPHICS_READ,
  'schedule.providers': DEMOGRAPHICS_READ,
  'schedule.list': DEMOGRAPHICS_READ,
  'schedule.freeSlot': DEMOGRAPHICS_READ,
  'schedule.book': ['physician', 'nurse', 'front_desk'],
  'schedule.reschedule': ['physician', 'nurse', 'front_desk'],
  'schedule.cancel': ['physician', 'nurse', 'front_desk'],
  'schedule.advance': ['physician', 'nurse', 'front_desk'],
  'templates.list': CLINICAL,
  'notes.saveDraft': CLINICAL_WRITE,
  'notes.sign': PHYSICIAN,
  'notes.addendum': CLINICAL_WRITE,
  'notes.enteredInError': CLINICAL_WRITE,
  'notes.list': CLINICAL,
  'notes.pdf': CLINICAL,
  'vitals.record': CLINICAL_WRITE,
  'vitals.trends': CLINICAL,
  'problems.searchCodes': CODES_READ,
  'problems.add': CLINICAL_WRITE,
  'problems.update': CLINICAL_WRITE,
  'problems.list': CODES_READ,
  'allergies.add': CLINICAL_WRITE,
  'allergies.changeStatus': CLINICAL_WRITE,
  'allergies.list': CLINICAL,
  'allergies.searchSubstances': CLINICAL,
  'immunizations.vaccines': CLINICAL,
  'immunizations.manufacturers': CLINICAL,
  'immunizations.add': CLINICAL_WRITE,
  'immunizations.list': CLINICAL,
  'immunizations.due': CLINICAL,
  'chart.summary': CLINICAL,
  'meds.searchDrugs': CLINICAL,
  'meds.check': CLINICAL,
  'meds.list': CLINICAL,
  'meds.add': CLINICAL_WRITE,
  'meds.prescribe': PHYSICIAN,
  'meds.change': CLINICAL_WRITE,
  'meds.stop': CLINICAL_WRITE,
  'meds.reconcile': CLINICAL_WRITE,
  'meds.prescriptionPdf': CLINICAL,
  // Everyone signed in sees whether their work has reached the clinic server, and may push it now.
  'sync.status': DEMOGRAPHICS_READ,
  'sync.now': DEMOGRAPHICS_READ,
  // Front desk settles demographics conflicts only: the handler refuses them every other record.
  'sync.conflicts.list': DEMOGRAPHICS_WRITE,
  'sync.conflicts.resolve': DEMOGRAPHICS_WRITE,
  'sync.conflicts.dismiss': DEMOGRAPHICS_WRITE,
  // The refused changes of this device: whoever works on it may see and review them (values by role).
  'sync.quarantine.list': DEMOGRAPHICS_READ,
  'sync.quarantine.review': DEMOGRAPHICS_READ,
  // Chart identity decisions (merging a duplicate, a new MRN for one of two charts sharing one): reversible, audited.
  'patients.merge': ['physician', 'admin'],
  'patients.unmerge': ['physician', 'admin'],
  'patients.reassignMrn': ['physician', 'admin'],
  'patients.links': DEMOGRAPHICS_READ,
  // Lab results: clinicians review and acknowledge; the administrator may read them and work the unmatched queue.
  'labs.inbox': CLINICAL,
  'labs.acknowledge': CLINICAL_WRITE,
  'labs.patientResults': CLINICAL,
  'labs.cumulative': CLINICAL,
  'labs.trend': CLINICAL,
  'labs.unmatched': CLINICAL,
  'labs.matchToPatient': CLINICAL,
  // Lab orders: the physician orders; the nurse also records collection and results arriving.
  'labs.orderSets': CLINICAL,
  'labs.order': PHYSICIAN,
  'labs.orders': CLINICAL,
  'labs.orderStatus': CLINICAL_WRITE,
  'labs.requisitionPdf': CLINICAL,
  'labs.orderMessage': CLINICAL,
  // Population health: clinicians act on the lists; no one else sees whose screening is due.
  'population.preventive': CLINICAL,
  'population.dueList': CLINICAL_WRITE,
  'population.dueListCsv': CLINICAL_WRITE,
  'population.measures': CLINICAL,
  'population.measuresTrend': CLINICAL,
  'population.measurePatients': CLINICAL_WRITE,
  'population.measuresCsv': CLINICAL,
  'population.measuresPdf': CLINICAL,
  // HL7 reviews: who works the unmatched queue settles demographic differences and closes held messages;
  // a merge of two charts is a chart identity decision, as for sync duplicates.
  'labs.reviews': CLINICAL,
  'labs.resolveFieldDifference': CLINICAL,
  'labs.resolveMerge': ['physician', 'admin'],
  'labs.dismissUnmatched': CLINICAL,
  // Physicians only: the clinic server accepts clinical records from clinicians (the installer's bulk import runs as `cairn import fhir`).
  'fhir.importBundle': PHYSICIAN,
};

/** True when `role` may call `channel` (public channels: anyone). */
export function mayCall(role: Role | null, channel: Channel): boolean {
  const allowed = PERMISSIONS[channel];
  return allowed === 'public' || (role !== null && allowed.includes(role));
}

/** The same rule under the short name the renderer uses to decide what to show: `can(role, 'encounters.create')`. */
export const can = mayCall;
