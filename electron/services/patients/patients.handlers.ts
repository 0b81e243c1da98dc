import { breakGlass } from '../chart-access.guard';
import type { patientsChannels } from '../../../shared/api/patients.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The patients area's handlers, one per channel of shared/api/patients.contract.ts. */
export function patientsHandlers({ session }: HandlerContext): AreaHandlers<typeof patientsChannels> {
  return {
    // A person registering: a chart with the same name, birth date and sex needs their confirmation.
    'patients.create': (i, me) => session.repos.patients.create(i, me.actor, { refuseDuplicates: true }),
    'patients.update': (i, me) => session.repos.patients.update(i, me.actor),
    'patients.get': (i, me) => session.repos.patients.get(i.id, me.actor),
    'patients.search': (i, me) => session.repos.patients.search(i.query, i.limit, me.actor),
    'patients.chartHeader': (i, me) => {
      const patient = session.repos.patients.get(i.id, me.actor, 'chart.open');
      return { patient, allergyStatus: session.repos.allergies.status(i.id) };
    },
    'patients.findDuplicates': (i, me) => {
      const found = session.repos.patients.duplicatesOf(i);
      // Names and birth dates across charts: audited like a search.
      session.repos.writer.read('patient.duplicate_check', me.actor, null);
      return found;
    },
    'patients.setRestricted': (i, me) => session.repos.patients.setRestricted(i.id, i.restricted, me.actor),
    'patients.breakGlass': (i) => breakGlass(session, i),
    'patients.merge': (i, me) => {
      session.repos.conflicts.merge(i.survivorId, i.duplicateId, i.conflictId, me.viewer);
      return session.repos.patients.peek(i.duplicateId);
    },
    'patients.unmerge': (i, me) => {
      session.repos.conflicts.unmerge(i.id, me.viewer);
      return session.repos.patients.peek(i.id);
    },
    'patients.reassignMrn': (i, me) => {
      session.repos.conflicts.reassignMrn(i.id, i.conflictId, me.viewer);
      return session.repos.patients.peek(i.id);
    },
    'patients.links': (i, me) => session.repos.conflicts.links(i.id, me.viewer),
  };
}
