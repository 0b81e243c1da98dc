import type { ccdaChannels } from '../../../shared/api/ccda.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { AreaHandlers, HandlerContext } from '../handler-context';

const notYet = (): never => {
  throw new CairnFailure('internal', 'C-CDA import and export are being built');
};

/** The handlers of shared/api/ccda.contract.ts, one per channel. */
export function ccdaHandlers(ctx: HandlerContext): AreaHandlers<typeof ccdaChannels> {
  void ctx;
  return {
    'ccda.import': notYet,
    'ccda.imports': notYet,
    'ccda.items': notYet,
    'ccda.decide': notYet,
    'ccda.view': notYet,
    'ccda.export': notYet,
  };
}
