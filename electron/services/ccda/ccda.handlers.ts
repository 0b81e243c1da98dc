import type { ccdaChannels } from '../../../shared/api/ccda.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The handlers of shared/api/ccda.contract.ts, one per channel. */
export function ccdaHandlers(ctx: HandlerContext): AreaHandlers<typeof ccdaChannels> {
  void ctx;
  return {};
}
