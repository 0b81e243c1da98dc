import type { referralsChannels } from '../../../shared/api/referrals.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The handlers of shared/api/referrals.contract.ts, one per channel. */
export function referralsHandlers(ctx: HandlerContext): AreaHandlers<typeof referralsChannels> {
  void ctx;
  return {};
}
