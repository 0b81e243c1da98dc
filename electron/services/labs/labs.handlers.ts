import { loadLabOrderCatalog } from './order-catalog';
import { listUnmatched, matchToPatient } from './unmatched';
import type { labsChannels } from '../../../shared/api/labs.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The labs area's handlers, one per channel of shared/api/labs.contract.ts. */
export function labsHandlers({ session, now, services, reading, clinicName }: HandlerContext): AreaHandlers<typeof labsChannels> {
  return {
    'labs.inbox': (i, me) => {
      const v = me.viewer;
      // Results across charts: listing them is audited like reading them.
      session.repos.writer.read('labs.inbox', v, null);
      return services().labResults.inbox(v, i.scope, i.limit);
    },
    'labs.acknowledge': (i, me) => ({ acknowledged: services().labResults.acknowledge(i.observationIds, i.note, me.actor) }),
    'labs.patientResults': (i, me) => {
      reading(me, 'labs.results', i.patientId);
      return services().labResults.results(i.patientId);
    },
    'labs.resultVersions': (i, me) => {
      reading(me, 'labs.results', i.patientId);
      return services().labResults.versions(i.patientId, i.id);
    },
    'labs.cumulative': (i, me) => {
      reading(me, 'labs.cumulative', i.patientId);
      return services().labResults.cumulative(i.patientId);
    },
    'labs.trend': (i, me) => {
      reading(me, 'labs.trend', i.patientId);
      return services().labResults.trend(i.patientId, i.loinc);
    },
    'labs.unmatched': (_i, me) => {
      session.repos.writer.read('labs.unmatched', me.actor, null);
      return listUnmatched(session.repos);
    },
    'labs.matchToPatient': (i, me) => matchToPatient(session.repos, i.reviewId, i.patientId, me.actor),
    'labs.orderSets': () => {
      return [...loadLabOrderCatalog(session.repos.resources).orderSets];
    },
    'labs.order': (i, me) => services().labOrders.create(i, me.actor),
    'labs.orders': (i, me) => {
      reading(me, 'lab_order.list', i.patientId);
      return services().labOrders.list(i.patientId);
    },
    'labs.orderStatus': (i, me) => services().labOrders.setStatus(i.id, i.status, me.actor),
    'labs.requisitionPdf': async (i, me) => {
      const s = services().labOrders;
      reading(me, 'lab_order.print', s.get(i.id).patientId);
      return s.requisitionPdf(i.id, clinicName(), now());
    },
    'labs.orderMessage': (i, me) => {
      const s = services().labOrders;
      reading(me, 'lab_order.message', s.get(i.id).patientId);
      return s.orderMessage(i.id, clinicName(), now());
    },
    'labs.reviews': (i, me) => {
      const v = me.viewer;
      // Demographics across charts: listing them is audited like reading them.
      session.repos.writer.read('labs.reviews', v, null);
      return services().hl7Reviews.list(i.status, v);
    },
    'labs.resolveFieldDifference': (i, me) => services().hl7Reviews.resolveFieldDifference(i, me.viewer),
    'labs.resolveMerge': (i, me) => services().hl7Reviews.resolveMerge(i, me.viewer),
    'labs.dismissUnmatched': (i, me) => services().hl7Reviews.dismissUnmatched(i, me.viewer),
  };
}
