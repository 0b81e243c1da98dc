import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import { allows } from '../../../shared/fhir/scopes';
import { FHIR_ID } from '../../../shared/fhir/search-params';
import { courseToFhir, rowToFhir, type Row } from '../../../shared/fhir/to-fhir';
import type { Sql } from '../db/open';
import type { Grant } from './fhir-auth';
import { FhirError, outcome } from './outcome';
import { planSearch, SOURCES, type Source } from './fhir-search';

interface DbRow {
  entity: string;
  entity_id: string;
  patient_id?: string | null;
  /** The row belongs to a restricted chart (selected only when the reader may be served one). */
  restricted?: boolean | null;
  data: Row;
}

/**
 * Who is reading, for what every answer may hold: the token's grant, and the restricted charts
 * the answer served (`disclosed`, only to a grant that holds them) or refused (`withheld`), for the
 * access log. One per request.
 */
export interface ChartAccess {
  grant: Grant;
  disclosed: Set<string>;
  withheld: Set<string>;
}

/** A fresh ChartAccess for one request. */
export function chartAccess(grant: Grant): ChartAccess {
  return { grant, disclosed: new Set(), withheld: new Set() };
}

/** The resource type each Cairn entity is served as. */
const TYPE_OF_ENTITY: Record<string, string> = Object.fromEntries(
  Object.entries(SOURCES).flatMap(([type, sources]) => sources.map((src) => [src.entity, type])),
);

// A chart is restricted when its patient row says so (SQLite's 1, or true).
const IS_RESTRICTED = (alias: string): string => `coalesce((${alias}.data->>'restricted') IN ('1', 'true'), false)`;
/** Whether row r belongs to a restricted chart: its own flag for a patient, else its patient's (by primary key). */
const ROW_RESTRICTED = `CASE WHEN r.entity = 'patient' THEN ${IS_RESTRICTED('r')} ELSE EXISTS (SELECT 1 FROM sync_rows p WHERE p.entity = 'patient' AND p.entity_id = r.patient_id AND ${IS_RESTRICTED('p')}) END`;
/** The same for rows known to be patients ('patient') or known not to be ('other'); null: either. */
type RowKind = 'patient' | 'other' | null;
const restrictedSql = (kind: RowKind): string =>
  kind === 'patient'
    ? IS_RESTRICTED('r')
    : kind === null
      ? ROW_RESTRICTED
      : `EXISTS (SELECT 1 FROM sync_rows p WHERE p.entity = 'patient' AND p.entity_id = r.patient_id AND ${IS_RESTRICTED('p')})`;
const kindOf = (type: string | null): RowKind => (type === null ? null : type === 'Patient' ? 'patient' : 'other');

/** The chart a row belongs to. */
const chartOf = (r: DbRow): string | null => (r.entity === 'patient' ? r.entity_id : (r.patient_id ?? null));

/** A read by id waiting for its turn: see FhirService.read. */
interface PendingRead {
  id: string;
  resolve: (rows: DbRow[]) => void;
  reject: (e: unknown) => void;
}

/** At most this many ids go into one read query. */
const MAX_READ_BATCH = 256;

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

/** Entities whose rows make the resources of a patient's record ($everything, patient export). */
export const PATIENT_ENTITIES = [
  'encounter',
  'observation',
  'condition',
  'allergy',
  'medication_event',
  'prescription',
  'immunization',
  'procedure',
  'diagnostic_report',
] as const;

export interface SearchOptions {
  count: number;
  offset: number;
  /** false with `_total=none`: no count query. */
  total: boolean;
  /** Resource types whose patient (subject) to include, from `_include=X:patient`. */
  includePatients: boolean;
  /** The request URL without paging parameters, for the Bundle's links. */
  selfUrl: URL;
  base: string;
}

/** Reads FHIR resources out of the synced rows (read, search, $everything, export pages). */
export class FhirService {
  private readonly pendingReads = new Map<string, PendingRead[]>();
  private readsInFlight = 0;
  private drainScheduled = false;

  /**
   * `readConcurrency`: how many read-by-id queries may run at once. Embedded PGlite runs one
   * query at a time anyway (1); a PostgreSQL pool can run several.
   */
  constructor(
    readonly db: Sql,
    private readonly readConcurrency = 1,
  ) {}

  /** Rows of sync_rows; data comes as text and is parsed here (PGlite's jsonb decoding is slower). */
  private async rows(where: string, params: unknown[], tail = '', restricted: string | null = null): Promise<DbRow[]> {
    const flag = restricted ? `, ${restricted} AS restricted` : '';
    const raw = await this.db.query<{ entity: string; entity_id: string; patient_id: string | null; restricted?: boolean; data: string }>(
      `SELECT r.entity, r.entity_id, r.patient_id${flag}, r.data::text AS data FROM sync_rows r WHERE ${where} ${tail}`,
      params,
    );
    return raw.map((r) => ({
      entity: r.entity,
      entity_id: r.entity_id,
      patient_id: r.patient_id,
      restricted: r.restricted ?? false,
      data: JSON.parse(r.data) as Row,
    }));
  }

  /**
   * Leaves restricted charts out of a query unless the grant holds them; when it does, marks the
   * rows so the charts they disclose are logged. Returns the WHERE clause and the flag to select.
   */
  private visible(kind: RowKind, where: string, access: ChartAccess): { where: string; flag: string | null } {
    return access.grant.restricted ? { where, flag: restrictedSql(kind) } : { where: `(${where}) AND NOT ${restrictedSql(kind)}`, flag: null };
  }

  /** Notes the restricted charts among served rows (only a grant that holds them is served any). */
  private static disclose(rows: readonly DbRow[], access: ChartAccess): void {
    for (const r of rows) {
      const chart = chartOf(r);
      if (r.restricted && chart) access.disclosed.add(chart);
    }
  }

  /** Maps rows to resources; medication events are folded into their courses. */
  async toResources(rows: readonly DbRow[]): Promise<Resource[]> {
    const courses = [...new Set(rows.filter((r) => r.entity === 'medication_event').map((r) => String(r.data['course_id'])))];
    const events = new Map<string, Row[]>();
    if (courses.length > 0) {
      const all = await this.db.query<{ data: Row }>(
        `SELECT data FROM sync_rows WHERE entity = 'medication_event' AND (data->>'course_id') = ANY($1::text[])`,
        [courses],
      );
      for (const e of all) {
        const k = String(e.data['course_id']);
        events.set(k, [...(events.get(k) ?? []), e.data]);
      }
    }
    const out: Resource[] = [];
    const seenCourse = new Set<string>();
    for (const r of rows) {
      let res: Resource | null;
      if (r.entity === 'medication_event') {
        const k = String(r.data['course_id']);
        if (seenCourse.has(k)) continue;
        seenCourse.add(k);
        res = courseToFhir(events.get(k) ?? [r.data]);
      } else res = rowToFhir(r.entity, r.data);
      if (res) out.push(res);
    }
    return out;
  }

  /**
   * One resource by id, or 404.
   *
   * Reads that arrive while earlier ones are at the database wait and then go together, one query
   * per resource type (`id = ANY(…)`): a query's fixed cost (over 100 µs in embedded PGlite) is
   * paid once per batch instead of once per request. Nothing is cached: every read still gets the
   * row as the database has it when its query runs.
   */
  async read(type: string, id: string, access: ChartAccess): Promise<Resource> {
    if (!Object.hasOwn(SOURCES, type)) throw new FhirError(404, 'not-supported', `resource type ${type} is not served here`);
    if (!FHIR_ID.test(id)) throw new FhirError(400, 'invalid', `"${id.slice(0, 80)}" is not a FHIR id (1 to 64 letters, digits, "-" or ".")`);
    const rows = await new Promise<DbRow[]>((resolve, reject) => {
      let queue = this.pendingReads.get(type);
      if (!queue) this.pendingReads.set(type, (queue = []));
      queue.push({ id, resolve, reject });
      if (!this.drainScheduled && this.readsInFlight < this.readConcurrency) {
        // After this turn of the event loop: the requests that arrived with this one join it.
        // (PGlite runs a query synchronously, so none can arrive while one is "in flight".)
        this.drainScheduled = true;
        setImmediate(() => {
          this.drainScheduled = false;
          void this.drainReads();
        });
      }
    });
    const [res] = await this.toResources(rows);
    if (!res) throw new FhirError(404, 'not-found', `${type}/${id} is not known here`);
    const chart = rows.find((r) => r.restricted) ?? null;
    const chartId = chart ? chartOf(chart) : null;
    if (chartId) {
      if (!access.grant.restricted) {
        access.withheld.add(chartId);
        throw new FhirError(
          403,
          'forbidden',
          `${type}/${id} ${type === 'Patient' ? 'is' : 'belongs to'} a restricted chart: it is not served to this client (a client must be granted restricted charts explicitly, cairn server fhir-client add --restricted)`,
        );
      }
      access.disclosed.add(chartId);
    }
    return res;
  }

  /** Runs the waiting reads, a batch per resource type, until none is left. */
  private async drainReads(): Promise<void> {
    this.readsInFlight++;
    try {
      for (;;) {
        const next = this.pendingReads.entries().next();
        if (next.done) return;
        const [type, queue] = next.value;
        const batch = queue.splice(0, MAX_READ_BATCH);
        if (queue.length === 0) this.pendingReads.delete(type);
        try {
          const found = await this.rowsByIds(SOURCES[type]!, [...new Set(batch.map((b) => b.id))]);
          for (const b of batch) b.resolve(found.get(b.id) ?? []);
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.readsInFlight--;
    }
  }

  /** The live rows behind these resource ids, by id (the first source of the type first). */
  private async rowsByIds(sources: readonly Source[], ids: readonly string[]): Promise<Map<string, DbRow[]>> {
    const idOf = (src: Source): string => (src.idCol ? `(r.data->>'${src.idCol}')` : 'r.entity_id');
    const where = sources
      .map(
        (src) => `(r.entity = '${src.entity}' AND ${idOf(src)} = ANY($1::text[]) AND (r.data->>'deleted_at') IS NULL${src.where ? ` AND ${src.where}` : ''})`,
      )
      .join(' OR ');
    // jsonb straight to the driver: for a few small rows that is cheaper than ::text + JSON.parse.
    // Every read learns whether its chart is restricted (a primary-key lookup of the patient row).
    const raw = await this.db.query<DbRow>(
      `SELECT r.entity, r.entity_id, r.patient_id, ${ROW_RESTRICTED} AS restricted, r.data FROM sync_rows r WHERE ${where}`,
      [ids],
    );
    const rank = new Map(sources.map((src, i) => [src.entity, i]));
    raw.sort((a, b) => (rank.get(a.entity) ?? 0) - (rank.get(b.entity) ?? 0));
    const byId = new Map<string, DbRow[]>();
    for (const row of raw) {
      const src = sources[rank.get(row.entity) ?? 0]!;
      const key = src.idCol ? String(row.data[src.idCol]) : row.entity_id;
      const list = byId.get(key);
      if (list) list.push(row);
      else byId.set(key, [row]);
    }
    return byId;
  }

  /** A search as a `searchset` Bundle with total and paging links. */
  async search(type: string, query: [string, string][], lenient: boolean, o: SearchOptions, access: ChartAccess): Promise<Bundle> {
    const { where, params } = planSearch(type, query, lenient);
    return this.page(type, where, params, o, access);
  }

  /**
   * Everything in one patient's record (the Patient first), paged like a search. The types the
   * grant may not read are left out, and each page says so in an OperationOutcome entry.
   */
  async everything(patientId: string, o: SearchOptions, access: ChartAccess): Promise<Bundle> {
    if (!FHIR_ID.test(patientId)) throw new FhirError(400, 'invalid', 'not a FHIR id');
    await this.read('Patient', patientId, access);
    const entities = PATIENT_ENTITIES.filter((e) => allows(access.grant.scopes, TYPE_OF_ENTITY[e]!, 'read'));
    const left = [...new Set(PATIENT_ENTITIES.map((e) => TYPE_OF_ENTITY[e]!).filter((t) => !allows(access.grant.scopes, t, 'read')))];
    const where = `((r.entity = 'patient' AND r.entity_id = $1) OR (r.patient_id = $1 AND r.entity = ANY($2::text[]) AND (r.entity <> 'medication_event' OR (r.data->>'event') = 'start'))) AND (r.data->>'deleted_at') IS NULL`;
    const warnings = left.length > 0 ? [`$everything: ${left.join(', ')} resources were left out: the access token's scopes do not allow reading them`] : [];
    return this.page(null, where, [patientId, entities], { ...o, includePatients: false }, access, warnings);
  }

  private async page(type: string | null, planned: string, params: unknown[], o: SearchOptions, access: ChartAccess, warnings: string[] = []): Promise<Bundle> {
    const { where, flag } = this.visible(kindOf(type), planned, access);
    const order = type === null ? `CASE WHEN r.entity = 'patient' THEN 0 ELSE 1 END, r.entity, r.entity_id` : 'r.entity, r.entity_id';
    const n = params.length;
    const rows = o.count === 0 ? [] : await this.rows(where, [...params, o.count + 1, o.offset], `ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`, flag);
    const more = rows.length > o.count;
    // The total needs its own count only when the page does not reach the end (or is empty by _count=0).
    let total: number | null = null;
    if (o.total || o.count === 0) {
      total =
        !more && o.count > 0 && (rows.length > 0 || o.offset === 0)
          ? o.offset + rows.length
          : Number((await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_rows r WHERE ${where}`, params))[0]?.n ?? 0);
    }
    const served = rows.slice(0, o.count);
    FhirService.disclose(served, access);
    const resources = await this.toResources(served);
    const entries: BundleEntry[] = resources.map((r) => ({ fullUrl: `${o.base}/${r.resourceType}/${r.id ?? ''}`, resource: r, search: { mode: 'match' } }));
    if (o.includePatients) {
      // Important: an included resource is read as surely as a matched one, so the grant must allow
      // its type too (FHIR servers leave out what is not allowed and say so in an outcome entry).
      if (!allows(access.grant.scopes, 'Patient', 'read'))
        warnings.push(`_include: Patient resources were left out: the access token's scopes do not allow reading Patient`);
      else await this.includePatients(resources, o.base, entries, access);
    }
    for (const text of warnings) entries.push({ resource: outcome('warning', 'forbidden', text), search: { mode: 'outcome' } });
    const link = (rel: string, offset: number): BundleLink => {
      const u = new URL(o.selfUrl);
      u.searchParams.set('_count', String(o.count));
      if (offset > 0) u.searchParams.set('_offset', String(offset));
      else u.searchParams.delete('_offset');
      return { relation: rel, url: u.toString() };
    };
    const links = [link('self', o.offset)];
    if (o.offset > 0) links.push(link('first', 0), link('previous', Math.max(0, o.offset - o.count)));
    if (more) links.push(link('next', o.offset + o.count));
    return { resourceType: 'Bundle', type: 'searchset', ...(total !== null && { total }), link: links, entry: entries };
  }

  /** The patients of the matched resources, as include entries (restricted ones as any read). */
  private async includePatients(resources: readonly Resource[], base: string, entries: BundleEntry[], access: ChartAccess): Promise<void> {
    const ids = [
      ...new Set(
        resources
          .map(
            (r) =>
              (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject?.reference ??
              (r as { patient?: { reference?: string } }).patient?.reference,
          )
          .filter((x): x is string => Boolean(x?.startsWith('Patient/')))
          .map((x) => x.slice(8)),
      ),
    ];
    if (ids.length === 0) return;
    const { where, flag } = this.visible('patient', `r.entity = 'patient' AND r.entity_id = ANY($1::text[]) AND (r.data->>'deleted_at') IS NULL`, access);
    const pats = await this.rows(where, [ids], 'ORDER BY r.entity_id', flag);
    FhirService.disclose(pats, access);
    for (const p of await this.toResources(pats)) entries.push({ fullUrl: `${base}/Patient/${p.id ?? ''}`, resource: p, search: { mode: 'include' } });
  }

  /**
   * Pages through every row of `entities` (optionally of some patients, changed since a time) in
   * a stable order: the bulk export's reader.
   */
  async *scan(entity: string, opts: { patients?: string[]; since?: string | null; batch?: number; access: ChartAccess }): AsyncGenerator<Resource[]> {
    const batch = opts.batch ?? 1000;
    let after = '';
    const extra =
      entity === 'user' ? ` AND (r.data->>'role') IN ('physician', 'nurse')` : entity === 'medication_event' ? ` AND (r.data->>'event') = 'start'` : '';
    for (;;) {
      const params: unknown[] = [after, batch];
      let where = `r.entity = '${entity}' AND r.entity_id > $1 AND (r.data->>'deleted_at') IS NULL${extra}`;
      if (opts.patients) {
        params.push(opts.patients);
        where += entity === 'patient' ? ` AND r.entity_id = ANY($${params.length}::text[])` : ` AND r.patient_id = ANY($${params.length}::text[])`;
      }
      if (opts.since) {
        params.push(opts.since);
        where += ` AND (r.data->>'updated_at') >= $${params.length}`;
      }
      const v = this.visible(entity === 'patient' ? 'patient' : 'other', where, opts.access);
      const rows = await this.rows(v.where, params, 'ORDER BY r.entity_id LIMIT $2', v.flag);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.entity_id;
      FhirService.disclose(rows, opts.access);
      yield await this.toResources(rows);
      if (rows.length < batch) return;
    }
  }
}
