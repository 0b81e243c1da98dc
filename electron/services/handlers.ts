import { contract, type Channel } from '../../shared/api/contract';
import { CairnFailure } from '../../shared/api/result';
import { BillingService } from './billing/billing.service';
import { billingHandlers } from './billing/billing.handlers';
import { immunizationsDueFor } from './chart-summary';
import { guardRestrictedCharts } from './chart-access.guard';
import { ccdaHandlers } from './ccda/ccda.handlers';
import { chartingHandlers } from './charting/charting.handlers';
import { doctorHandlers } from './doctor/doctor.handlers';
import { fhirHandlers } from './fhir/fhir.handlers';
import { growthHandlers } from './growth/growth.handlers';
import type { AreaServices, Handler, HandlerContext, SignedIn } from './handler-context';
import { labsHandlers } from './labs/labs.handlers';
import { loadLabOrderCatalog } from './labs/order-catalog';
import { LabOrdersService } from './labs/orders';
import { LabResultsRepo } from './labs/results.repo';
import { Hl7ReviewsService } from './labs/reviews';
import { medsHandlers } from './meds/meds.handlers';
import { patientsHandlers } from './patients/patients.handlers';
import { PopulationService } from './population/population.service';
import { populationHandlers } from './population/population.handlers';
import { portalHandlers } from './portal/portal.handlers';
import { documentsHandlers } from './records/documents.handlers';
import { referralsHandlers } from './referrals/referrals.handlers';
import type { Repos } from './repos';
import { AppointmentsService } from './schedule/appointments.repo';
import { scheduleHandlers } from './schedule/schedule.handlers';
import { clinicZoneOf, loadScheduleConfig } from './schedule/schedule-config';
import { clinicDate } from '../../shared/domain/dates';
import { securityHandlers } from './security/security.handlers';
import type { Session } from './session';
import type { SyncController } from './sync';
import { documentTransferFor, type DocumentFetcher } from './sync/document-transfer';
import { syncHandlers } from './sync/sync.handlers';

export type { Handler, SignedIn } from './handler-context';
/** Runs before validation: refuses a caller whose role may not use the channel, and resolves who is calling. */
export const AUTHORIZE: unique symbol = Symbol('authorize');
/** Runs after validation, before the handler: refuses a restricted chart unless the glass was broken. */
export const CHART_GUARD: unique symbol = Symbol('chart guard');
export type ChannelHandlers = { [C in Channel]: Handler<C> };
export type Handlers = ChannelHandlers & {
  [AUTHORIZE]?: (channel: Channel) => SignedIn | null;
  [CHART_GUARD]?: (channel: Channel, input: unknown) => void;
};

/** The services of one open database: built once, on first use after an unlock. */
function buildServices(repos: Repos, now: () => Date): AreaServices {
  return {
    labResults: new LabResultsRepo(repos.store.sqlite, repos.writer),
    labOrders: new LabOrdersService(repos, loadLabOrderCatalog(repos.resources)),
    hl7Reviews: new Hl7ReviewsService(repos),
    schedule: new AppointmentsService(repos, loadScheduleConfig(repos.resources)),
    population: new PopulationService(repos.store.sqlite, repos.resources, (pid, on) => immunizationsDueFor(repos, pid, on)),
    billing: new BillingService(repos, now),
  };
}

/**
 * The composition root: the handlers behind every channel, built from ports (no globals) so tests
 * use real temp files, merged from the areas' handler files. `sync` is the device's sync loop
 * (absent: the status says not enrolled and nothing syncs).
 */
export function createHandlers({
  session,
  now = (): Date => new Date(),
  sync,
  documentFetcher,
}: {
  session: Session;
  now?: () => Date;
  sync?: SyncController;
  /** Brings a document's bytes from the clinic server (default: this device's enrolled server, when it has one). */
  documentFetcher?: DocumentFetcher;
}): Handlers {
  let built: { repos: Repos; services: AreaServices } | null = null;
  const ctx: HandlerContext = {
    session,
    now,
    clinicZone: () => clinicZoneOf(session.repos.resources),
    today: () => clinicDate(now(), ctx.clinicZone()),
    sync,
    services: () => {
      // A new unlock opens a new database: its services are built again, once.
      const repos = session.repos;
      if (built?.repos !== repos) built = { repos, services: buildServices(repos, now) };
      return built.services;
    },
    reading: (me, action, patientId) => session.repos.writer.read(action, me.actor, patientId),
    clinicName: () => session.status().clinicName ?? 'Cairn',
    documentFetcher: documentFetcher ?? {
      fetch: async (id) => {
        const transfer = documentTransferFor(session.repos.store.sqlite, () => session.requireUser().id);
        if (!transfer)
          throw new CairnFailure(
            'not_available',
            "this document's content is on the device that added it, and this one is not enrolled with a clinic server: open it there, or enroll this device",
          );
        await transfer.fetch(id);
      },
    },
  };
  const handlers: ChannelHandlers = {
    ...securityHandlers(ctx),
    ...patientsHandlers(ctx),
    ...chartingHandlers(ctx),
    ...medsHandlers(ctx),
    ...scheduleHandlers(ctx),
    ...labsHandlers(ctx),
    ...populationHandlers(ctx),
    ...syncHandlers(ctx),
    ...fhirHandlers(ctx),
    ...growthHandlers(ctx),
    ...doctorHandlers(ctx),
    ...billingHandlers(ctx),
    ...portalHandlers(ctx),
    ...documentsHandlers(ctx),
    ...ccdaHandlers(ctx),
    ...referralsHandlers(ctx),
  };
  return {
    ...handlers,
    [AUTHORIZE]: (channel) => {
      const spec = contract[channel];
      if (spec.roles === 'public') return null;
      const user = session.requireUser(spec.roles, { passive: 'passive' in spec && spec.passive === true });
      return {
        user,
        actor: { userId: user.id },
        viewer: { userId: user.id, role: user.role, mayOpen: (pid) => !session.repos.patients.isRestricted(pid) || session.mayOpenRestricted(pid) },
      };
    },
    [CHART_GUARD]: (channel, input) => guardRestrictedCharts(session, channel, input),
  };
}
