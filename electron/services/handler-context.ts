import type { PublicChannel, Out, Parsed, Channel } from '../../shared/api/contract';
import type { User } from '../../shared/domain/user';
import type { BillingService } from './billing/billing.service';
import type { LabOrdersService } from './labs/orders';
import type { LabResultsRepo } from './labs/results.repo';
import type { Hl7ReviewsService } from './labs/reviews';
import type { PopulationService } from './population/population.service';
import type { DocumentFetcher } from './records/document-fetcher';
import type { Actor } from './repos/writer';
import type { AppointmentsService } from './schedule/appointments.repo';
import type { Session } from './session';
import type { SyncController } from './sync';
import type { Viewer } from './sync/conflicts.repo';

/** The signed-in caller, resolved once per call by the dispatcher's role check and passed down. */
export interface SignedIn {
  readonly user: User;
  /** Who writes: the audit entries and rows record this user. */
  readonly actor: Actor;
  /** Who reads: their role and the restricted charts they may open decide what they see. */
  readonly viewer: Viewer;
}

/** A public channel (before sign-in) has no caller; every other one has the signed-in user. */
export type CallerOf<C extends Channel> = C extends PublicChannel ? null : SignedIn;
export type Handler<C extends Channel> = (input: Parsed<C>, me: CallerOf<C>) => Out<C> | Promise<Out<C>>;
/** An area's handlers: exactly one per channel of its contract file. */
export type AreaHandlers<T> = { [C in keyof T & Channel]: Handler<C> };

/** The services an open database needs beyond its repositories, built once per database by the composition root. */
export interface AreaServices {
  readonly labResults: LabResultsRepo;
  readonly labOrders: LabOrdersService;
  readonly hl7Reviews: Hl7ReviewsService;
  readonly schedule: AppointmentsService;
  readonly population: PopulationService;
  /** Practice management: payers, coverage, claims, remittances and accounts. */
  readonly billing: BillingService;
}

/** What every area's handlers are built from (ports, no globals): the same in the app, the CLI and tests. */
export interface HandlerContext {
  readonly session: Session;
  readonly now: () => Date;
  /** The clinic's IANA zone (resources/schedule/clinic-hours.json): its calendar days are the schedule's and the billing's. */
  readonly clinicZone: () => string;
  /** Today's date in the clinic's zone. */
  readonly today: () => string;
  /** The device's sync loop (absent: the status says not enrolled and nothing syncs). */
  readonly sync: SyncController | undefined;
  /** The open database's services (built on first use after each unlock). */
  readonly services: () => AreaServices;
  /** Records a read of a patient's data, audited like opening the chart. */
  readonly reading: (me: SignedIn, action: string, patientId: string) => void;
  /** The clinic's name as printed on documents. */
  readonly clinicName: () => string;
  /** Brings a document's content from the clinic server when it is not on this device (absent: open answers not_available). */
  readonly documentFetcher?: DocumentFetcher;
}
