import { Icd10Index } from '../codes/icd10.index';
import { VaccineCatalog } from '../codes/vaccines';
import { loadDrugKnowledge, type LoadedKnowledge } from '../drugs/knowledge';
import { auditChainOf, type Store } from '../db/open';
import { Resources } from '../resources/resources';
import { TemplateLibrary } from '../templates';
import { AllergiesRepo } from './allergies.repo';
import { AuditRepo } from './audit.repo';
import { EncountersRepo } from './encounters.repo';
import { ImmunizationsRepo } from './immunizations.repo';
import { MedicationsRepo } from './medications.repo';
import { NotesRepo } from './notes.repo';
import { OutboxRepo } from './outbox.repo';
import { PatientsRepo } from './patients.repo';
import { ProblemsRepo } from './problems.repo';
import { UsersRepo } from './users.repo';
import { VitalsRepo } from './vitals.repo';
import { ClinicalWriter } from './writer';
import { DeviceClock } from '../sync/device-clock';
import { RowAccess } from '../sync/row-reader';
import { ConflictsRepo } from '../sync/conflicts.repo';
import { QuarantineRepo } from '../sync/quarantine.repo';
import { GrowthAssessor } from '../growth/assessor';
import { BirthHistory } from '../growth/birth-history';

export interface Repos {
  store: Store;
  audit: AuditRepo;
  outbox: OutboxRepo;
  clock: DeviceClock;
  rowAccess: RowAccess;
  writer: ClinicalWriter;
  patients: PatientsRepo;
  users: UsersRepo;
  encounters: EncountersRepo;
  notes: NotesRepo;
  problems: ProblemsRepo;
  allergies: AllergiesRepo;
  immunizations: ImmunizationsRepo;
  vitals: VitalsRepo;
  /** Growth percentiles (WHO/CDC) and blood pressure categories (AAP 2017, the clinic's adult guideline). */
  growth: GrowthAssessor;
  medications: MedicationsRepo;
  /** Conflicts and duplicates found by the clinic server, and their resolution. */
  conflicts: ConflictsRepo;
  /** This device's changes the clinic server refused. */
  quarantine: QuarantineRepo;
  drugs: () => LoadedKnowledge;
  /** The shipped data files (and the clinic's own templates), read and validated once for this session. */
  resources: Resources;
  resourcesDir: string;
  templates: TemplateLibrary;
  icd10: () => Icd10Index;
  vaccines: () => VaccineCatalog;
}

export interface RepoOptions {
  now?: () => Date;
  /** Folder with codesets/, templates/, immunizations/ (defaults to the shipped one). */
  resourcesDir?: string;
  /** Where derived, PHI-free caches (the ICD-10 index) may be written; defaults to the db's folder. */
  cacheDir?: string;
  /** Extra template folder a clinic adds its own templates to. */
  clinicTemplatesDir?: string;
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** All repositories over one open store, sharing one clock and one writer. */
export function createRepos(store: Store, opts: RepoOptions | (() => Date) = {}): Repos {
  const o: RepoOptions = typeof opts === 'function' ? { now: opts } : opts;
  const now = o.now ?? ((): Date => new Date());
  const resourcesDir = o.resourcesDir ?? store.resourcesDir;
  const audit = new AuditRepo(store.sqlite, store.deviceId, auditChainOf(store));
  const rowAccess = new RowAccess(store.sqlite);
  const clock = new DeviceClock(store.sqlite, store.deviceId, () => now().getTime());
  const outbox = new OutboxRepo(store.sqlite, store.deviceId, rowAccess, clock);
  const writer = new ClinicalWriter(store.sqlite, audit, outbox, now);
  const resources = new Resources(resourcesDir, { templates: o.clinicTemplatesDir });
  const icd10 = lazy(() => Icd10Index.open(resources, o.cacheDir ?? store.dir));
  const vaccines = lazy(() => VaccineCatalog.load(resources));
  const templates = new TemplateLibrary(resources);
  const drugs = (): LoadedKnowledge => loadDrugKnowledge(resources);
  const growth = new GrowthAssessor(store.sqlite, resources, new BirthHistory(store.sqlite, store.orm, writer));
  return {
    store,
    audit,
    outbox,
    clock,
    rowAccess,
    writer,
    patients: new PatientsRepo(store, writer, audit),
    users: new UsersRepo(store, writer, audit, resources),
    encounters: new EncountersRepo(store.orm, writer),
    notes: new NotesRepo(store.orm, writer, (id) => templates.get(id)),
    problems: new ProblemsRepo(store.orm, writer, icd10),
    allergies: new AllergiesRepo(store.orm, writer),
    immunizations: new ImmunizationsRepo(store.orm, writer, vaccines),
    vitals: new VitalsRepo(store.sqlite, store.orm, writer, growth),
    growth,
    medications: new MedicationsRepo(store.sqlite, store.orm, writer, drugs),
    conflicts: new ConflictsRepo(store.sqlite, store.deviceId, writer, rowAccess),
    quarantine: new QuarantineRepo(store.sqlite, store.deviceId, writer, audit, rowAccess),
    drugs,
    resources,
    resourcesDir,
    templates,
    icd10,
    vaccines,
  };
}
