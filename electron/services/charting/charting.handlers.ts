import { searchAllergens } from '../../../shared/domain/drugs-allergens';
import { buildChartSummary, immunizationsDueFor } from '../chart-summary';
import { notePdf } from '../documents/note-pdf';
import type { chartingChannels } from '../../../shared/api/charting.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The charting area's handlers, one per channel of shared/api/charting.contract.ts. */
export function chartingHandlers({ session, now, reading, today, clinicZone }: HandlerContext): AreaHandlers<typeof chartingChannels> {
  return {
    'encounters.create': (i, me) => session.repos.encounters.create(i, me.actor),
    'encounters.setStatus': (i, me) => session.repos.encounters.setStatus(i.id, i.status, me.actor),
    'encounters.list': (i, me) => {
      reading(me, 'encounter.list', i.patientId);
      return session.repos.encounters.list(i.patientId);
    },
    'encounters.get': (i, me) => {
      const encounter = session.repos.encounters.get(i.id);
      reading(me, 'encounter.read', encounter.patientId);
      return {
        encounter,
        notes: session.repos.notes.list({ patientId: encounter.patientId, encounterId: encounter.id }),
        vitals: session.repos.vitals.forEncounter(encounter.id),
      };
    },
    'templates.list': () => {
      return session.repos.templates.list();
    },
    'notes.saveDraft': (i, me) => session.repos.notes.saveDraft(i, me.actor),
    'notes.sign': async (i, me) => {
      const a = me.actor;
      await session.repos.users.reauthenticate(a.userId, i.password, 'signing the note');
      return session.repos.notes.sign(i.id, i.expectedVersion, a);
    },
    'notes.addendum': async (i, me) => {
      const a = me.actor;
      await session.repos.users.reauthenticate(a.userId, i.password, 'signing the addendum');
      return session.repos.notes.addendum(i.noteId, i.text, a);
    },
    'notes.enteredInError': (i, me) => session.repos.notes.enteredInError(i.id, i.reason, me.actor),
    'notes.list': (i, me) => {
      reading(me, 'note.list', i.patientId);
      return session.repos.notes.list(i);
    },
    'notes.pdf': async (i, me) => {
      const n = session.repos.notes.get(i.id);
      reading(me, 'note.print', n.patientId);
      return notePdf(session, n, now(), clinicZone());
    },
    'vitals.record': (i, me) => session.repos.vitals.record(i, me.actor),
    'vitals.trends': (i, me) => {
      reading(me, 'vitals.read', i.patientId);
      const p = session.repos.patients.peek(i.patientId);
      return session.repos.vitals.trends(i.patientId, p.birthDate, today());
    },
    'problems.searchCodes': (i) => {
      return session.repos.icd10().search(i.query, i.limit);
    },
    'problems.add': (i, me) => session.repos.problems.add(i, me.actor),
    'problems.update': (i, me) => session.repos.problems.update(i, me.actor),
    'problems.list': (i, me) => {
      reading(me, 'problem.list', i.patientId);
      return session.repos.problems.list(i.patientId);
    },
    'allergies.add': (i, me) => {
      const allergy = session.repos.allergies.add(i, me.actor);
      // A new allergy is checked against the current medication list at once.
      const alerts =
        allergy.kind === 'allergy' && allergy.substance
          ? session.repos.medications.checkAllergy(allergy.patientId, allergy.substance, allergy.substanceCode, today())
          : [];
      return { ...allergy, alerts };
    },
    'allergies.changeStatus': (i, me) => session.repos.allergies.changeStatus(i, me.actor),
    'allergies.list': (i, me) => {
      reading(me, 'allergy.list', i.patientId);
      return session.repos.allergies.list(i.patientId);
    },
    'allergies.searchSubstances': (i) => {
      return searchAllergens(session.repos.drugs().allergens, i.query, i.limit);
    },
    'immunizations.vaccines': (i) => {
      return session.repos.vaccines().search(i.query);
    },
    'immunizations.manufacturers': () => {
      return [...session.repos.vaccines().manufacturers].map(([mvx, name]) => ({ mvx, name })).sort((a, b) => a.name.localeCompare(b.name));
    },
    'immunizations.add': (i, me) => session.repos.immunizations.add(i, me.actor, today()),
    'immunizations.list': (i, me) => {
      reading(me, 'immunization.list', i.patientId);
      return session.repos.immunizations.list(i.patientId);
    },
    'immunizations.due': (i, me) => {
      reading(me, 'immunization.due', i.patientId);
      return immunizationsDueFor(session.repos, i.patientId, i.on ?? today());
    },
    'chart.summary': (i, me) => {
      // The face sheet is what "opening the chart" shows: audited as such.
      reading(me, 'chart.open', i.patientId);
      return buildChartSummary(session.repos, i.patientId, today());
    },
  };
}
