import type { documentsChannels } from '../../../shared/api/documents.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';

/** The handlers of shared/api/documents.contract.ts, one per channel. */
export function documentsHandlers(ctx: HandlerContext): AreaHandlers<typeof documentsChannels> {
  void ctx;
  return {};
}
