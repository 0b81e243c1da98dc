import type { referralsChannels } from '../../../shared/api/referrals.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { AreaHandlers, HandlerContext } from '../handler-context';

const soon = (): never => {
  throw new CairnFailure('not_found', 'this part of referrals and imaging is being built');
};

/** The handlers of shared/api/referrals.contract.ts, one per channel. */
export function referralsHandlers(ctx: HandlerContext): AreaHandlers<typeof referralsChannels> {
  void ctx;
  return {
    'referrals.contacts.list': soon,
    'referrals.contacts.add': soon,
    'referrals.contacts.update': soon,
    'referrals.contacts.remove': soon,
    'referrals.create': soon,
    'referrals.advance': soon,
    'referrals.get': soon,
    'referrals.list': soon,
    'referrals.overdue': soon,
    'referrals.letter': soon,
    'referrals.summary': soon,
    'imaging.catalog': soon,
    'imaging.order': soon,
    'imaging.list': soon,
    'imaging.requisition': soon,
    'imaging.attachReport': soon,
    'care.list': soon,
    'care.forPatient': soon,
    'care.record': soon,
    'care.followUp': soon,
  };
}
