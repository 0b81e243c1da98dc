import type { Channel } from '../../shared/api/channels';
import type { Parsed } from '../../shared/api/contract';
import { CairnFailure } from '../../shared/api/result';
import { BREAK_GLASS_MINUTES } from '../../shared/domain/patient';
import type { ChartRow } from './repos/patients.repo';
import type { Session } from './session';

type OwnerOf = (row: ChartRow, id: string | undefined) => string | undefined;
/** Whose charts a call touches, from its validated input; 'none' for a channel that touches no chart. */
type Scope<C extends Channel> = 'none' | ((input: Parsed<C>, ownerOf: OwnerOf) => readonly (string | undefined)[]);

const patient = (i: { patientId: string }): string[] => [i.patientId];
const patientAndVisit = (i: { patientId: string; encounterId?: string | undefined }, o: OwnerOf): (string | undefined)[] => [
  i.patientId,
  o('encounter', i.encounterId),
];

/**
 * Every channel says which patients' charts it reads or writes, so a restricted chart cannot be
 * reached through a channel someone forgot: a new channel does not compile until it is listed
 * here. Rows named by their own id (a note, a course, a prescription) are traced to their patient.
 */
export const CHART_SCOPE: { readonly [C in Channel]: Scope<C> } = {
  'session.status': 'none',
  'session.setup': 'none',
  'session.unlock': 'none',
  'session.login': 'none',
  'session.logout': 'none',
  'session.lock': 'none',
  'patients.create': 'none',
  'patients.update': (i) => [i.id],
  'patients.get': (i) => [i.id],
  // Restricted hits are reduced to the name by the repository.
  'patients.search': 'none',
  'patients.chartHeader': (i) => [i.id],
  // Restricted charts are reduced to the name by the repository, as in search.
  'patients.findDuplicates': 'none',
  // Restricting an open chart needs nothing; lifting a restriction needs the glass broken first.
  'patients.setRestricted': (i) => [i.id],
  // The way in.
  'patients.breakGlass': 'none',
  'settings.autoLock': 'none',
  'settings.clinic': 'none',
  'settings.setClinic': 'none',
  // The accounting of access to a restricted chart is the privacy officer's tool: not blocked.
  'audit.search': 'none',
  'users.list': 'none',
  'users.create': 'none',
  'users.disable': 'none',
  'users.enable': 'none',
  'users.resetPassword': 'none',
  'users.update': 'none',
  'encounters.create': patient,
  'encounters.setStatus': (i, o) => [o('encounter', i.id)],
  'encounters.list': patient,
  'encounters.get': (i, o) => [o('encounter', i.id)],
  'schedule.config': 'none',
  'schedule.providers': 'none',
  // Across charts: the calendar shows a restricted chart's name only (no MRN, no reason), as search does.
  'schedule.list': 'none',
  'schedule.freeSlot': 'none',
  // Writes name the patient; the service refuses an appointment that is not that patient's.
  'schedule.book': patient,
  'schedule.reschedule': patient,
  'schedule.cancel': patient,
  'schedule.advance': patient,
  'templates.list': 'none',
  // An existing draft is found by its own id, whatever patientId says: check both.
  'notes.saveDraft': (i, o) => [...patientAndVisit(i, o), o('note', i.id)],
  'notes.sign': (i, o) => [o('note', i.id)],
  'notes.addendum': (i, o) => [o('note', i.noteId)],
  'notes.enteredInError': (i, o) => [o('note', i.id)],
  'notes.list': (i, o) => patientAndVisit(i, o),
  'notes.pdf': (i, o) => [o('note', i.id)],
  'vitals.record': (i, o) => patientAndVisit(i, o),
  'vitals.trends': patient,
  'problems.searchCodes': 'none',
  'problems.add': patient,
  'problems.update': (i, o) => [o('problem', i.id)],
  'problems.list': patient,
  'allergies.add': patient,
  'allergies.changeStatus': (i, o) => [o('allergy', i.id)],
  'allergies.list': patient,
  'allergies.searchSubstances': 'none',
  'immunizations.vaccines': 'none',
  'immunizations.manufacturers': 'none',
  'immunizations.add': patient,
  'immunizations.list': patient,
  'immunizations.due': patient,
  'chart.summary': patient,
  'meds.searchDrugs': 'none',
  'meds.check': patient,
  'meds.list': patient,
  'meds.add': (i, o) => patientAndVisit(i, o),
  'meds.prescribe': (i, o) => patientAndVisit(i, o),
  'meds.change': (i, o) => [o('medication_course', i.courseId)],
  'meds.stop': (i, o) => [o('medication_course', i.courseId)],
  'meds.reconcile': (i, o) => [...patientAndVisit(i, o), ...i.items.map((item) => o('medication_course', item.courseId))],
  'meds.prescriptionPdf': (i, o) => [o('prescription', i.id)],
  'sync.status': 'none',
  'sync.now': 'none',
  // Across charts, a restricted chart's conflicts are listed by name only (values hidden) by the repository.
  'sync.conflicts.list': (i) => (i.patientId ? [i.patientId] : []),
  'sync.conflicts.resolve': (i, o) => [o('sync_conflict', i.id)],
  'sync.conflicts.dismiss': (i, o) => [o('sync_conflict', i.id)],
  // Refused values of a restricted chart are hidden by the repository; reviewing shows nothing new.
  'sync.quarantine.list': 'none',
  'sync.quarantine.review': 'none',
  'patients.merge': (i, o) => [i.survivorId, i.duplicateId, i.conflictId === undefined ? undefined : o('sync_conflict', i.conflictId)],
  'patients.unmerge': (i) => [i.id],
  'patients.reassignMrn': (i) => [i.id],
  'patients.links': (i) => [i.id],
  // Across charts: a restricted chart's results are listed by the patient's name only, by the repository.
  'labs.inbox': 'none',
  'labs.acknowledge': (i, o) => i.observationIds.map((id) => o('observation', id)),
  'labs.patientResults': patient,
  'labs.cumulative': patient,
  'labs.trend': patient,
  // The queue holds messages tied to no chart yet.
  'labs.unmatched': 'none',
  'labs.matchToPatient': patient,
  'labs.orderSets': 'none',
  'labs.order': (i, o) => patientAndVisit(i, o),
  'labs.orders': patient,
  'labs.orderStatus': (i, o) => [o('lab_order', i.id)],
  'labs.requisitionPdf': (i, o) => [o('lab_order', i.id)],
  'labs.orderMessage': (i, o) => [o('lab_order', i.id)],
  'population.preventive': patient,
  // Practice lists: restricted charts are counted and never listed with clinical detail.
  'population.dueList': 'none',
  'population.dueListCsv': 'none',
  'population.measures': 'none',
  'population.measuresTrend': 'none',
  'population.measurePatients': 'none',
  'population.measuresCsv': 'none',
  'population.measuresPdf': 'none',
  // Across charts: a restricted chart's values are hidden by the service. A decision names the charts the
  // person saw, and the service refuses it unless they are the review's.
  'labs.reviews': 'none',
  'labs.resolveFieldDifference': patient,
  'labs.resolveMerge': (i) => [i.survivorId, i.duplicateId],
  // Held messages are tied to no chart.
  'labs.dismissUnmatched': 'none',
  // Creates charts (or updates the ones an earlier import of the same bundle made).
  'fhir.importBundle': 'none',
};

/**
 * Refuses a call that touches a restricted chart unless the signed-in user broke the glass for it
 * in this session. Runs in the dispatcher after validation, before the handler; each refusal is
 * audited, so an attempt shows in the accounting of access.
 */
export function guardRestrictedCharts(session: Session, channel: Channel, input: unknown): void {
  const scope = CHART_SCOPE[channel] as 'none' | ((i: unknown, o: OwnerOf) => readonly (string | undefined)[]);
  if (scope === 'none') return;
  const patients = session.repos.patients;
  const ids = new Set(scope(input, (row, id) => (id === undefined ? undefined : patients.ownerOf(row, id))));
  for (const id of ids) {
    if (id === undefined || !patients.isRestricted(id) || session.mayOpenRestricted(id)) continue;
    const userId = session.requireUser().id;
    session.repos.writer.write((at) =>
      session.repos.audit.append({ action: 'chart.restricted_refused', userId, patientId: id, recordType: 'patient', recordId: id, detail: channel }, at),
    );
    throw new CairnFailure('break_glass_required', 'this chart is restricted: break the glass (give a reason and your password) to open it');
  }
}

/**
 * Break-glass: the user's own password again and a reason, recorded in the audit log as
 * `chart.break_glass` before access is granted for this session (BREAK_GLASS_MINUTES at most).
 */
export async function breakGlass(session: Session, i: Parsed<'patients.breakGlass'>): Promise<{ patientId: string; until: string }> {
  const user = session.requireUser();
  const restricted = session.repos.patients.isRestricted(i.patientId);
  if (restricted === undefined) throw new CairnFailure('not_found', `no patient with id ${i.patientId}`);
  if (!restricted) throw new CairnFailure('conflict', 'this chart is not restricted: open it without breaking the glass');
  await session.repos.users.reauthenticate(user.id, i.password, 'breaking the glass');
  const detail = JSON.stringify({ breakGlass: true, reason: i.reason, minutes: BREAK_GLASS_MINUTES });
  session.repos.writer.write((at) =>
    session.repos.audit.append(
      { action: 'chart.break_glass', userId: user.id, patientId: i.patientId, recordType: 'patient', recordId: i.patientId, detail },
      at,
    ),
  );
  return { patientId: i.patientId, until: session.grantBreakGlass(i.patientId) };
}
