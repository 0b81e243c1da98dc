import type { portalChannels } from '../../../shared/api/portal.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { AreaHandlers, HandlerContext } from '../handler-context';

const notYet = (): never => {
  throw new CairnFailure('internal', 'the portal desk is being built');
};

/** The portal desk's handlers, one per channel of shared/api/portal.contract.ts. */
export function portalHandlers(_ctx: HandlerContext): AreaHandlers<typeof portalChannels> {
  return {
    'portal.invite': notYet,
    'portal.access': notYet,
    'portal.revoke': notYet,
    'portal.inbox': notYet,
    'portal.thread': notYet,
    'portal.attachment': notYet,
    'portal.reply': notYet,
    'portal.assign': notYet,
    'portal.close': notYet,
    'portal.toNote': notYet,
    'portal.reported': notYet,
    'portal.accept': notYet,
    'portal.decline': notYet,
    'portal.confidential': notYet,
    'portal.confidentialList': notYet,
  };
}
