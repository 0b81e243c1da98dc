import type { Out, Parsed } from '../../shared/api/contract';
import type { Channel } from '../../shared/api/channels';
import { isoToday } from '../../shared/domain/dates';
import { PERMISSIONS } from '../../shared/api/permissions';
import { buildChartSummary, immunizationsDueFor } from './chart-summary';
import { notePdf, prescriptionPdfFor } from './documents/note-pdf';
import { searchDrugs } from '../../shared/domain/med-checks';
import { searchAllergens } from '../../shared/domain/drugs-allergens';
import { breakGlass, guardRestrictedCharts } from './chart-access.guard';
import type { Session } from './session';
import { syncCounts, type SyncController, type SyncStatus } from './sync';
import type { Viewer } from './sync/conflicts.repo';
import { loadLabOrderCatalog } from './labs/order-catalog';
import { LabOrdersService } from './labs/orders';
import { LabResultsRepo } from './labs/results.repo';
import { Hl7ReviewsService } from './labs/reviews';
import { FhirImporter } from './fhir/import';
import { listUnmatched, matchToPatient } from './labs/unmatched';
import { measuresPdf } from './documents/measures.pdf';
import { PopulationService } from './population/population.service';
import { AppointmentsService } from './schedule/appointments.repo';
import { loadScheduleConfig } from './schedule/schedule-config';
import { readClinic, writeClinic } from './clinic-settings';

export type Handler<C extends Channel> = (input: Parsed<C>) => Out<C> | Promise<Out<C>>;
/** Runs before validation: refuses a caller whose role may not use the channel. */
export const AUTHORIZE: unique symbol = Symbol('authorize');
/** Runs after validation, before the handler: refuses a restricted chart unless the glass was broken. */
export const CHART_GUARD: unique symbol = Symbol('chart guard');
export type Handlers = { [C in Channel]: Handler<C> } & {
  [AUTHORIZE]?: (channel: Channel) => void;
  [CHART_GUARD]?: (channel: Channel, input: unknown) => void;
};

/** One results repository per open database (its statements prepared once). */
const labRepos = new WeakMap<Session['repos'], LabResultsRepo>();
function labResults(repos: Session['repos']): LabResultsRepo {
  let r = labRepos.get(repos);
  if (!r) labRepos.set(repos, (r = new LabResultsRepo(repos.store.sqlite, repos.writer)));
  return r;
}

/** One population service per open database (its last practice-wide load cached). */
const populationServices = new WeakMap<Session['repos'], PopulationService>();
function population(repos: Session['repos']): PopulationService {
  let p = populationServices.get(repos);
  if (!p) populationServices.set(repos, (p = new PopulationService(repos.store.sqlite, repos.resourcesDir, (pid, on) => immunizationsDueFor(repos, pid, on))));
  return p;
}

/** Channels the screen polls on its own: they do not count as activity for the idle sign-out. */
const PASSIVE: ReadonlySet<Channel> = new Set<Channel>(['sync.status']);

/** The status of a device with no sync worker (the command line, a device never enrolled). */
function withoutSync(sqlite: Session['repos']['store']['sqlite']): SyncStatus {
  const c = syncCounts(sqlite);
  return {
    state: 'not_enrolled',
    serverUrl: c.serverUrl,
    lastSyncedAt: null,
    lastAttemptAt: null,
    pending: c.pending,
    quarantined: c.quarantined,
    conflictsOpen: c.conflictsOpen,
    error: null,
    progress: null,
    nextAttemptAt: null,
  };
}

/**
 * The handlers behind every channel, built from ports (no globals) so tests use real temp files.
 * `sync` is the device's sync loop (absent: the status says not enrolled and nothing syncs).
 */
export function createHandlers({ session, now = (): Date => new Date(), sync }: { session: Session; now?: () => Date; sync?: SyncController }): Handlers {
  const actor = (): { userId: string } => ({ userId: session.requireUser().id });
  /** Reading a patient's data is audited like opening the chart. */
  const reading = (action: string, patientId: string): { userId: string } => {
    const a = actor();
    session.repos.writer.read(action, a, patientId);
    return a;
  };
  /** The signed-in user with what decides what they may see and settle of sync conflicts. */
  const viewer = (passive = false): Viewer => {
    const u = session.requireUser(undefined, { passive });
    return { userId: u.id, role: u.role, mayOpen: (pid) => !session.repos.patients.isRestricted(pid) || session.mayOpenRestricted(pid) };
  };
  const labOrders = (): LabOrdersService => new LabOrdersService(session.repos, loadLabOrderCatalog(session.repos.resourcesDir));
  const schedule = (): AppointmentsService => new AppointmentsService(session.repos, loadScheduleConfig(session.repos.resourcesDir));
  const clinicName = (): string => session.status().clinicName ?? 'Cairn';
  const syncStatus = (s?: SyncStatus): SyncStatus => {
    const v = viewer(true);
    // Counted for this role: front desk sees demographics conflicts only.
    return { ...(s ?? sync?.status() ?? withoutSync(session.repos.store.sqlite)), conflictsOpen: session.repos.conflicts.openCount(v.role) };
  };
  return {
    [AUTHORIZE]: (channel) => {
      const allowed = PERMISSIONS[channel];
      if (allowed !== 'public') session.requireUser(allowed, { passive: PASSIVE.has(channel) });
    },
    [CHART_GUARD]: (channel, input) => guardRestrictedCharts(session, channel, input),
    'session.status': () => session.status(),
    'session.setup': (i) => session.setup(i),
    'session.unlock': (i) => session.unlock(i.passphrase),
    'session.login': (i) => session.login(i.username, i.password),
    'session.logout': () => session.logout(),
    'session.lock': () => session.lock(),
    // A person registering: a chart with the same name, birth date and sex needs their confirmation.
    'patients.create': (i) => session.repos.patients.create(i, actor(), { refuseDuplicates: true }),
    'patients.update': (i) => session.repos.patients.update(i, actor()),
    'patients.get': (i) => session.repos.patients.get(i.id, actor()),
    'patients.search': (i) => session.repos.patients.search(i.query, i.limit, actor()),
    'patients.chartHeader': (i) => {
      const patient = session.repos.patients.get(i.id, actor(), 'chart.open');
      return { patient, allergyStatus: session.repos.allergies.status(i.id) };
    },
    'patients.findDuplicates': (i) => {
      const found = session.repos.patients.duplicatesOf(i);
      // Names and birth dates across charts: audited like a search.
      session.repos.writer.read('patient.duplicate_check', actor(), null);
      return found;
    },
    'patients.setRestricted': (i) => session.repos.patients.setRestricted(i.id, i.restricted, actor()),
    'patients.breakGlass': (i) => breakGlass(session, i),
    'settings.autoLock': (i) => ({ minutes: session.setAutoLockMinutes(i.minutes) }),
    'settings.clinic': () => readClinic(session.repos.store.sqlite),
    'settings.setClinic': (i) => writeClinic(session.repos.store.sqlite, session.repos.audit, i, actor().userId, now().toISOString()),
    'audit.search': (i) => {
      const audit = session.repos.audit;
      const rows = audit
        .export({ ...(i.patientId && { patientId: i.patientId }), ...(i.from && { from: i.from }), ...(i.to && { to: i.to }) })
        .filter((e) => (!i.userId || e.userId === i.userId) && (!i.action || e.action.startsWith(i.action)));
      const chainIntact = audit.firstBroken() === null;
      // Viewing the audit is itself audited; the viewer lists newest first.
      session.repos.writer.read('audit.view', actor(), i.patientId ?? null);
      return { entries: rows.reverse().slice(0, i.limit), chainIntact };
    },
    'users.list': () => session.repos.users.list(),
    'users.create': (i) => session.repos.users.create(i, actor().userId),
    'users.disable': (i) => session.repos.users.setDisabled(i.username, true, actor().userId),
    'users.enable': (i) => session.repos.users.setDisabled(i.username, false, actor().userId),
    'users.update': (i) => session.repos.users.setPrescriberIds(i.username, { npi: i.npi, dea: i.dea }, actor().userId),
    'users.resetPassword': async (i) => {
      const me = actor().userId;
      const reset = await session.repos.users.resetPassword(i.username, i.password, me);
      // Resetting one's own password keeps this session; every other session of that user ends.
      if (reset.id === me) session.acceptOwnPasswordChange();
      return reset;
    },
    'encounters.create': (i) => session.repos.encounters.create(i, actor()),
    'encounters.setStatus': (i) => session.repos.encounters.setStatus(i.id, i.status, actor()),
    'encounters.list': (i) => {
      reading('encounter.list', i.patientId);
      return session.repos.encounters.list(i.patientId);
    },
    'encounters.get': (i) => {
      const encounter = session.repos.encounters.get(i.id);
      reading('encounter.read', encounter.patientId);
      return {
        encounter,
        notes: session.repos.notes.list({ patientId: encounter.patientId, encounterId: encounter.id }),
        vitals: session.repos.vitals.forEncounter(encounter.id),
      };
    },
    'schedule.config': () => {
      actor();
      return loadScheduleConfig(session.repos.resourcesDir);
    },
    'schedule.providers': () => {
      actor();
      return schedule().providers();
    },
    'schedule.list': (i) => {
      // Names across charts: listing them is audited like a search.
      const v = viewer();
      session.repos.writer.read('appointment.list', v, null);
      return schedule().list(i, v.mayOpen);
    },
    'schedule.freeSlot': (i) => {
      actor();
      return schedule().freeSlot(i.providerId, i.minutes, i.from ? Date.parse(i.from) : now().getTime(), i.room);
    },
    'schedule.book': (i) => schedule().book(i, actor()),
    'schedule.reschedule': (i) => schedule().reschedule(i, actor()),
    'schedule.cancel': (i) => schedule().cancel(i, actor()),
    'schedule.advance': (i) => schedule().advance(i, actor()),
    'templates.list': () => {
      actor();
      return session.repos.templates.list();
    },
    'notes.saveDraft': (i) => session.repos.notes.saveDraft(i, actor()),
    'notes.sign': async (i) => {
      const a = actor();
      await session.repos.users.reauthenticate(a.userId, i.password, 'signing the note');
      return session.repos.notes.sign(i.id, i.expectedVersion, a);
    },
    'notes.addendum': async (i) => {
      const a = actor();
      await session.repos.users.reauthenticate(a.userId, i.password, 'signing the addendum');
      return session.repos.notes.addendum(i.noteId, i.text, a);
    },
    'notes.enteredInError': (i) => session.repos.notes.enteredInError(i.id, i.reason, actor()),
    'notes.list': (i) => {
      reading('note.list', i.patientId);
      return session.repos.notes.list(i);
    },
    'notes.pdf': async (i) => {
      const n = session.repos.notes.get(i.id);
      reading('note.print', n.patientId);
      return notePdf(session, n, now());
    },
    'vitals.record': (i) => session.repos.vitals.record(i, actor()),
    'vitals.trends': (i) => {
      reading('vitals.read', i.patientId);
      const p = session.repos.patients.peek(i.patientId);
      return session.repos.vitals.trends(i.patientId, p.birthDate, isoToday(now()));
    },
    'problems.searchCodes': (i) => {
      actor();
      return session.repos.icd10().search(i.query, i.limit);
    },
    'problems.add': (i) => session.repos.problems.add(i, actor()),
    'problems.update': (i) => session.repos.problems.update(i, actor()),
    'problems.list': (i) => {
      reading('problem.list', i.patientId);
      return session.repos.problems.list(i.patientId);
    },
    'allergies.add': (i) => {
      const allergy = session.repos.allergies.add(i, actor());
      // A new allergy is checked against the current medication list at once.
      const alerts =
        allergy.kind === 'allergy' && allergy.substance
          ? session.repos.medications.checkAllergy(allergy.patientId, allergy.substance, allergy.substanceCode, isoToday(now()))
          : [];
      return { ...allergy, alerts };
    },
    'allergies.changeStatus': (i) => session.repos.allergies.changeStatus(i, actor()),
    'allergies.searchSubstances': (i) => {
      actor();
      return searchAllergens(session.repos.drugs().allergens, i.query, i.limit);
    },
    'allergies.list': (i) => {
      reading('allergy.list', i.patientId);
      return session.repos.allergies.list(i.patientId);
    },
    'immunizations.vaccines': (i) => {
      actor();
      return session.repos.vaccines().search(i.query);
    },
    'immunizations.manufacturers': () => {
      actor();
      return [...session.repos.vaccines().manufacturers].map(([mvx, name]) => ({ mvx, name })).sort((a, b) => a.name.localeCompare(b.name));
    },
    'immunizations.add': (i) => session.repos.immunizations.add(i, actor(), isoToday(now())),
    'immunizations.list': (i) => {
      reading('immunization.list', i.patientId);
      return session.repos.immunizations.list(i.patientId);
    },
    'immunizations.due': (i) => {
      reading('immunization.due', i.patientId);
      return immunizationsDueFor(session.repos, i.patientId, i.on ?? isoToday(now()));
    },
    'meds.searchDrugs': (i) => {
      actor();
      return searchDrugs(session.repos.drugs().index, i.query, i.limit).map((d) => ({
        rxcui: d.rxcui,
        name: d.name,
        brands: d.brands,
        route: d.route,
        doseForm: d.doseForm,
        classes: d.classes,
      }));
    },
    'meds.check': (i) => {
      reading('med.check', i.patientId);
      const r = session.repos.medications.check(i.patientId, i.rxcui, isoToday(now()), i.dose);
      return { ...r, drug: r.drug ? { rxcui: r.drug.rxcui, name: r.drug.name } : null };
    },
    'meds.list': (i) => {
      reading('med.list', i.patientId);
      return { courses: session.repos.medications.history(i.patientId), lastReconciliation: session.repos.medications.lastReconciliation(i.patientId) };
    },
    'meds.add': (i) => session.repos.medications.add(i, actor(), isoToday(now())),
    'meds.prescribe': async (i) => {
      const user = session.requireUser();
      // Refused before the password is checked or anything written, with the reason.
      session.repos.patients.requireLiving(i.patientId, 'prescribing');
      await session.repos.users.reauthenticate(user.id, i.password, 'signing the prescription');
      return session.repos.medications.prescribe(i, { userId: user.id, name: user.displayName }, isoToday(now()));
    },
    'meds.change': (i) => session.repos.medications.change(i, actor(), isoToday(now())),
    'meds.stop': (i) => session.repos.medications.stop(i.courseId, i.reason, actor()),
    'meds.reconcile': (i) => session.repos.medications.reconcile(i, actor(), isoToday(now())),
    'meds.prescriptionPdf': async (i) => {
      const rx = session.repos.medications.prescription(i.id);
      reading('med.prescription_print', rx.patientId);
      return prescriptionPdfFor(session, rx);
    },
    'chart.summary': (i) => {
      // The face sheet is what "opening the chart" shows: audited as such.
      reading('chart.open', i.patientId);
      return buildChartSummary(session.repos, i.patientId, isoToday(now()));
    },
    'sync.status': () => syncStatus(),
    'sync.now': async () => {
      actor();
      return syncStatus(sync ? await sync.syncNow() : undefined);
    },
    'sync.conflicts.list': (i) => {
      // The values are chart data: listing them is audited like reading the chart.
      const v = viewer();
      session.repos.writer.read('sync.conflict_list', v, i.patientId ?? null);
      return session.repos.conflicts.list(v, i);
    },
    'sync.conflicts.resolve': (i) => session.repos.conflicts.resolve(i.id, i.choice, i.note, viewer()),
    'sync.conflicts.dismiss': (i) => session.repos.conflicts.dismiss(i.id, i.reason, viewer()),
    'sync.quarantine.list': (i) => {
      const v = viewer();
      session.repos.writer.read('sync.quarantine_list', v, null);
      return session.repos.quarantine.list(v, i.includeReviewed);
    },
    'sync.quarantine.review': (i) => session.repos.quarantine.review(i.deviceId, i.seq, i.note, viewer()),
    'patients.merge': (i) => {
      session.repos.conflicts.merge(i.survivorId, i.duplicateId, i.conflictId, viewer());
      return session.repos.patients.peek(i.duplicateId);
    },
    'patients.unmerge': (i) => {
      session.repos.conflicts.unmerge(i.id, viewer());
      return session.repos.patients.peek(i.id);
    },
    'patients.reassignMrn': (i) => {
      session.repos.conflicts.reassignMrn(i.id, i.conflictId, viewer());
      return session.repos.patients.peek(i.id);
    },
    'patients.links': (i) => session.repos.conflicts.links(i.id, viewer()),
    'labs.inbox': (i) => {
      const v = viewer();
      // Results across charts: listing them is audited like reading them.
      session.repos.writer.read('labs.inbox', v, null);
      return labResults(session.repos).inbox(v, i.scope, i.limit);
    },
    'labs.acknowledge': (i) => ({ acknowledged: labResults(session.repos).acknowledge(i.observationIds, i.note, actor()) }),
    'labs.patientResults': (i) => {
      reading('labs.results', i.patientId);
      return labResults(session.repos).results(i.patientId);
    },
    'labs.cumulative': (i) => {
      reading('labs.cumulative', i.patientId);
      return labResults(session.repos).cumulative(i.patientId);
    },
    'labs.trend': (i) => {
      reading('labs.trend', i.patientId);
      return labResults(session.repos).trend(i.patientId, i.loinc);
    },
    'labs.unmatched': () => {
      session.repos.writer.read('labs.unmatched', actor(), null);
      return listUnmatched(session.repos);
    },
    'labs.matchToPatient': (i) => matchToPatient(session.repos, i.reviewId, i.patientId, actor()),
    'labs.orderSets': () => {
      actor();
      return [...loadLabOrderCatalog(session.repos.resourcesDir).orderSets];
    },
    'labs.order': (i) => labOrders().create(i, actor()),
    'labs.orders': (i) => {
      reading('lab_order.list', i.patientId);
      return labOrders().list(i.patientId);
    },
    'labs.orderStatus': (i) => labOrders().setStatus(i.id, i.status, actor()),
    'labs.requisitionPdf': async (i) => {
      const s = labOrders();
      reading('lab_order.print', s.get(i.id).patientId);
      return s.requisitionPdf(i.id, clinicName(), now());
    },
    'labs.orderMessage': (i) => {
      const s = labOrders();
      reading('lab_order.message', s.get(i.id).patientId);
      return s.orderMessage(i.id, clinicName(), now());
    },
    'population.preventive': (i) => {
      reading('population.preventive', i.patientId);
      return population(session.repos).preventive(i.patientId, i.on ?? isoToday(now()));
    },
    // Practice-wide lists read many charts: each run is audited once, with what was asked.
    'population.dueList': (i) => {
      session.repos.writer.read('population.due_list', actor(), null, 'due_list', i.ruleIds?.join(',') ?? 'all');
      return population(session.repos).dueList(i, i.on ?? isoToday(now()));
    },
    'population.dueListCsv': (i) => {
      const on = i.on ?? isoToday(now());
      session.repos.writer.read('population.due_list_export', actor(), null, 'due_list', i.ruleIds?.join(',') ?? 'all');
      return { fileName: `cairn-due-list-${on}.csv`, csv: population(session.repos).dueListCsv(i, on) };
    },
    'population.measures': (i) => {
      session.repos.writer.read('population.measures', actor(), null, 'measure_report', String(i.year));
      return population(session.repos).measures(i.year, i.providerId);
    },
    'population.measuresTrend': (i) => {
      session.repos.writer.read('population.measures', actor(), null, 'measure_report', String(i.year));
      return population(session.repos).trend(i.year, i.providerId);
    },
    'population.measurePatients': (i) => {
      const v = viewer();
      session.repos.writer.read('population.measure_patients', v, null, 'measure_report', `${i.year} ${i.measureId} ${i.populationId} ${i.group}`);
      return population(session.repos).patients(i.year, i.measureId, i.populationId, i.group, i.providerId, v.mayOpen);
    },
    'population.measuresCsv': (i) => {
      session.repos.writer.read('population.measures_export', actor(), null, 'measure_report', String(i.year));
      return { fileName: `cairn-measures-${i.year}.csv`, csv: population(session.repos).measuresCsv(i.year, i.providerId) };
    },
    'population.measuresPdf': async (i) => {
      session.repos.writer.read('population.measures_export', actor(), null, 'measure_report', String(i.year));
      const provider = i.providerId ? (session.repos.users.list().find((u) => u.id === i.providerId)?.displayName ?? i.providerId) : null;
      const bytes = await measuresPdf({
        clinicName: clinicName(),
        year: i.year,
        provider,
        measures: population(session.repos).measures(i.year, i.providerId),
        printedAt: now().toISOString(),
      });
      return { fileName: `cairn-measures-${i.year}.pdf`, base64: Buffer.from(bytes).toString('base64') };
    },
    'labs.reviews': (i) => {
      const v = viewer();
      // Demographics across charts: listing them is audited like reading them.
      session.repos.writer.read('labs.reviews', v, null);
      return new Hl7ReviewsService(session.repos).list(i.status, v);
    },
    'labs.resolveFieldDifference': (i) => new Hl7ReviewsService(session.repos).resolveFieldDifference(i, viewer()),
    'labs.resolveMerge': (i) => new Hl7ReviewsService(session.repos).resolveMerge(i, viewer()),
    'labs.dismissUnmatched': (i) => new Hl7ReviewsService(session.repos).dismissUnmatched(i, viewer()),
    'fhir.importBundle': (i) => {
      // A restricted chart an earlier import made is changed only with the glass broken for it.
      const importer = new FhirImporter(session.repos, actor(), {
        mayChange: (pid) => !session.repos.patients.isRestricted(pid) || session.mayOpenRestricted(pid),
      });
      importer.importText(i.text, i.fileName);
      return importer.summary;
    },
  };
}
