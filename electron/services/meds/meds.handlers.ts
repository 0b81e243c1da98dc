import { searchDrugs } from '../../../shared/domain/med-checks';
import { prescriptionPdfFor } from '../documents/note-pdf';
import type { medsChannels } from '../../../shared/api/meds.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The meds area's handlers, one per channel of shared/api/meds.contract.ts. */
export function medsHandlers({ session, reading, today }: HandlerContext): AreaHandlers<typeof medsChannels> {
  return {
    'meds.searchDrugs': (i) => {
      return searchDrugs(session.repos.drugs().index, i.query, i.limit).map((d) => ({
        rxcui: d.rxcui,
        name: d.name,
        ...(d.description !== undefined && { description: d.description }),
        brands: d.brands,
        route: d.route,
        doseForm: d.doseForm,
        classes: d.classes,
      }));
    },
    'meds.check': (i, me) => {
      reading(me, 'med.check', i.patientId);
      const r = session.repos.medications.check(i.patientId, i.rxcui, today(), i.dose);
      return { ...r, drug: r.drug ? { rxcui: r.drug.rxcui, name: r.drug.name } : null };
    },
    'meds.list': (i, me) => {
      reading(me, 'med.list', i.patientId);
      return { courses: session.repos.medications.history(i.patientId), lastReconciliation: session.repos.medications.lastReconciliation(i.patientId) };
    },
    'meds.add': (i, me) => session.repos.medications.add(i, me.actor, today()),
    'meds.prescribe': async (i, me) => {
      const user = me.user;
      // Refused before the password is checked or anything written, with the reason.
      session.repos.patients.requireLiving(i.patientId, 'prescribing');
      await session.repos.users.reauthenticate(user.id, i.password, 'signing the prescription');
      return session.repos.medications.prescribe(i, { userId: user.id, name: user.displayName }, today());
    },
    'meds.change': (i, me) => session.repos.medications.change(i, me.actor, today()),
    'meds.stop': (i, me) => session.repos.medications.stop(i.courseId, i.reason, me.actor),
    'meds.reconcile': (i, me) => session.repos.medications.reconcile(i, me.actor, today()),
    'meds.prescriptionPdf': async (i, me) => {
      const rx = session.repos.medications.prescription(i.id);
      reading(me, 'med.prescription_print', rx.patientId);
      return prescriptionPdfFor(session, rx);
    },
  };
}
