import type { referralsChannels } from '../../../shared/api/referrals.contract';
import { writeCcda } from '../../../shared/ccda/write';
import { referralNoteFor } from '../ccda/chart-snapshot';
import type { AreaHandlers, HandlerContext } from '../handler-context';
import { CareRepo } from './care.repo';
import { ContactsRepo } from './contacts.repo';
import { ImagingService, loadImagingCatalog } from './imaging.service';
import { referralLetterFor } from './referral-letter';
import { ReferralsRepo } from './referrals.repo';

/** The handlers of shared/api/referrals.contract.ts, one per channel. */
export function referralsHandlers({ session, now, services, reading, clinicName }: HandlerContext): AreaHandlers<typeof referralsChannels> {
  // Cheap to make: each holds only the open database's repositories, so a new unlock is picked up.
  const contacts = (): ContactsRepo => new ContactsRepo(session.repos);
  const referrals = (): ReferralsRepo => new ReferralsRepo(session.repos);
  const care = (): CareRepo => new CareRepo(session.repos);
  const imaging = (): ImagingService => new ImagingService(session.repos, services().labOrders);
  return {
    'referrals.contacts.list': (i) => contacts().list(i),
    'referrals.contacts.add': (i, me) => contacts().add(i, me.actor),
    'referrals.contacts.update': (i, me) => contacts().update(i, me.actor),
    'referrals.contacts.remove': (i, me) => contacts().remove(i.id, me.actor),
    'referrals.create': (i, me) => referrals().create(i, { actor: me.actor, role: me.user.role }),
    'referrals.advance': (i, me) => referrals().advance(i, me.actor),
    'referrals.get': (i, me) => {
      const r = referrals().get(i.id);
      reading(me, 'referral.read', r.patientId);
      return r;
    },
    'referrals.list': (i, me) => {
      reading(me, 'referral.list', i.patientId);
      return referrals().list(i.patientId);
    },
    'referrals.overdue': (i, me) => {
      // Referrals across charts: listing them is audited like reading them.
      session.repos.writer.read('referral.overdue', me.actor, null);
      return referrals().overdue(now(), me.viewer, i.limit);
    },
    'referrals.letter': async (i, me) => {
      const r = referrals();
      reading(me, 'referral.letter', r.get(i.id).patientId);
      return referralLetterFor(session.repos, r, i.id, now());
    },
    'referrals.summary': (i, me) => {
      const r = referrals().get(i.id);
      reading(me, 'referral.summary', r.patientId);
      const xml = writeCcda(referralNoteFor(session.repos, i.id, me.actor, now()));
      const mrn = session.repos.patients.peek(r.patientId).mrn;
      return { fileName: `referral-note-${mrn}-${r.id.slice(-8)}.xml`, xml };
    },
    'imaging.catalog': () => [...loadImagingCatalog(session.repos)],
    'imaging.order': (i, me) => imaging().order(i, me.actor),
    'imaging.list': (i, me) => {
      reading(me, 'imaging_order.list', i.patientId);
      return imaging().list(i.patientId);
    },
    'imaging.requisition': async (i, me) => {
      const s = imaging();
      reading(me, 'imaging_order.print', s.get(i.id).patientId);
      return s.requisition(i.id, clinicName(), now());
    },
    'imaging.attachReport': (i, me) => imaging().attachReport(i.orderId, i.documentId, me.actor),
    'care.list': (i, me) => {
      session.repos.writer.read('care_event.list', me.actor, null);
      return care().list(now(), me.viewer, i.includeClosed, i.limit);
    },
    'care.forPatient': (i, me) => {
      reading(me, 'care_event.list', i.patientId);
      return care().forPatient(i.patientId);
    },
    'care.record': (i, me) => care().record(i, me.actor, now()),
    'care.followUp': (i, me) => care().followUp(i, me.actor),
  };
}
