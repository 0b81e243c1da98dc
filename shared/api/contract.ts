import type { z } from 'zod';
import { billingChannels } from './billing.contract';
import { ccdaChannels } from './ccda.contract';
import { chartingChannels } from './charting.contract';
import { doctorChannels } from './doctor.contract';
import { documentsChannels } from './documents.contract';
import { fhirChannels } from './fhir.contract';
import { growthChannels } from './growth.contract';
import { labsChannels } from './labs.contract';
import { medsChannels } from './meds.contract';
import { patientsChannels } from './patients.contract';
import { populationChannels } from './population.contract';
import { portalChannels } from './portal.contract';
import { referralsChannels } from './referrals.contract';
import type { Result } from './result';
import { scheduleChannels } from './schedule.contract';
import { securityChannels } from './security.contract';
import { syncChannels } from './sync.contract';
import type { Access, ChannelSpec } from './channel';

export { sessionState, type SessionState } from './security.contract';

/**
 * The one typed contract between renderer and backend: the union of the areas' contract files
 * (`<area>.contract.ts`), each channel defined once there. Electron IPC, the CLI, the web transport
 * and the e2e bridge all go through `dispatch`, which validates against these.
 */
export const contract = {
  ...securityChannels,
  ...patientsChannels,
  ...chartingChannels,
  ...medsChannels,
  ...scheduleChannels,
  ...labsChannels,
  ...populationChannels,
  ...syncChannels,
  ...fhirChannels,
  ...growthChannels,
  ...doctorChannels,
  ...billingChannels,
  ...portalChannels,
  ...documentsChannels,
  ...ccdaChannels,
  ...referralsChannels,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema; each entry's own types come from channel()
} satisfies Record<string, ChannelSpec<any, any, Access>>;

export type Contract = typeof contract;
/** A channel name, `area.action`. */
export type Channel = keyof Contract;
/** What a caller sends (before zod defaults/transforms). */
export type In<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after validation). */
export type Parsed<C extends Channel> = z.output<Contract[C]['input']>;
export type Out<C extends Channel> = z.output<Contract[C]['output']>;
/** The channels that work before sign-in. */
export type PublicChannel = { [C in Channel]: Contract[C]['roles'] extends 'public' ? C : never }[Channel];

/** The API the renderer sees as `window.cairn`. */
export type CairnApi = { [C in Channel]: (input: In<C>) => Promise<Result<Out<C>>> };

/** The generic invoke used by transports. */
export type Invoke = (channel: string, input: unknown) => Promise<Result<unknown>>;
