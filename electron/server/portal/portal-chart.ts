import type {
  AllergyView,
  AppointmentsView,
  AppointmentView,
  ChartRef,
  ChartSummary,
  ImmunizationView,
  MedicationView,
  ProblemView,
  ReleasedItem,
  ResultFlag,
  ResultView,
  VitalTrend,
} from '../../../shared/api/portal-http';
import { hidesConfidentialFromProxy, releaseAt, releaseDelayDays, type PortalSettings } from '../../../shared/domain/portal';
import { sig as sigSchema, sigText } from '../../../shared/domain/sig';
import { VITAL_KINDS } from '../../../shared/domain/vitals';
import type { Sql } from '../db/open';
import { chartsOf } from './portal-auth';
import { clinicDate } from '../../../shared/domain/dates';
import type { PortalCatalog } from './portal-catalog';
import { n, s, truthy, type Row } from './portal-row';
import { signedNotes, VITAL_BY_LOINC, vitalsByEncounter, visitViews } from './portal-visits';

/**
 * The portal's read model over the merged rows (sync_rows): what a patient (or a proxy) sees of
 * one chart. Deleted rows and rows entered in error never show; results show only when final and
 * released (the clinic's delay per kind of result, shared/domain/portal.ts); a proxy of a 12–17
 * year-old does not see what the clinic marked confidential, and is told only how many items that is.
 */

export type { Row } from './portal-row';

/** A chart opened by a signed-in account. */
export interface ChartAccess {
  accountId: string;
  chart: ChartRef;
  /** A proxy of a 12–17-year-old: confidential items are left out. */
  hidesConfidential: boolean;
}

export interface ReadDeps {
  db: Sql;
  settings: PortalSettings;
  catalog: PortalCatalog;
  now: () => number;
  /** Summaries already built, by chart and view, with the chart's version they were built at (see `chartSummary`). */
  summaries?: Map<string, { version: string; value: ChartSummary }>;
}

const SUMMARIES_MAX = 5000;

/**
 * What a chart's summary is built from, as one comparable string: the newest change to any of its
 * rows and how many there are (a row moved to another chart lowers the count), the newest change to
 * a staff account (names on visit summaries) and the chart's link. A summary built at the same
 * version is the same summary.
 */
async function summaryVersion(d: ReadDeps, a: ChartAccess): Promise<string> {
  const [v] = await d.db.query<{ seq: string | null; n: string; users: string | null }>(
    `SELECT (SELECT max(server_seq) FROM sync_rows WHERE patient_id = $1)::text AS seq,
            (SELECT count(*) FROM sync_rows WHERE patient_id = $1)::text AS n,
            (SELECT max(server_seq) FROM sync_rows WHERE entity = 'user')::text AS users`,
    [a.chart.patientId],
  );
  return `${v?.seq ?? ''}/${v?.n ?? ''}/${v?.users ?? ''}/${a.chart.kind}/${a.chart.name}/${a.chart.birthDate}`;
}

/** The chart if the account is linked to it, else null (the caller answers 404 and audits). */
export async function openChart(d: ReadDeps, accountId: string, patientId: string): Promise<ChartAccess | null> {
  const chart = (await chartsOf(d.db, accountId)).find((c) => c.patientId === patientId);
  if (!chart) return null;
  const today = clinicDate(d.now(), d.catalog.timeZone);
  return {
    accountId,
    chart,
    hidesConfidential: chart.kind === 'proxy' && /^\d{4}-\d{2}-\d{2}$/.test(chart.birthDate) && hidesConfidentialFromProxy(chart.birthDate, today),
  };
}

// ---- Loading -------------------------------------------------------------------------------------

export interface Loaded {
  rows: Map<string, Row[]>;
  /** `record_type:record_id` of the items marked confidential (only read for a proxy who must not see them). */
  confidential: Set<string>;
}

/** The live rows of some entities of one chart (deleted ones left out), and its confidential marks. */
export async function loadRows(d: ReadDeps, a: ChartAccess, entities: readonly string[]): Promise<Loaded> {
  const want = a.hidesConfidential ? [...entities, 'portal_confidential'] : [...entities];
  const raw = await d.db.query<{ entity: string; data: string }>(
    `SELECT entity, data::text AS data FROM sync_rows WHERE patient_id = $1 AND entity = ANY($2::text[]) AND (data->>'deleted_at') IS NULL`,
    [a.chart.patientId, want],
  );
  const rows = new Map<string, Row[]>(entities.map((e) => [e, []]));
  const confidential = new Set<string>();
  for (const r of raw) {
    const data = JSON.parse(r.data) as Row;
    if (r.entity === 'portal_confidential') {
      if (truthy(data['hidden']) && s(data['record_type']) && s(data['record_id'])) confidential.add(`${data['record_type']}:${data['record_id']}`);
    } else rows.get(r.entity)?.push(data);
  }
  return { rows, confidential };
}

/** The marks that would hide a row: its own, and those of what it belongs to (its visit, order, course, thread). */
function marksOf(entity: string, r: Row): string[] {
  const own = `${entity}:${s(r['id']) ?? ''}`;
  const enc = s(r['encounter_id']) ? [`encounter:${r['encounter_id']}`] : [];
  switch (entity) {
    case 'medication_event':
      return [own, `medication_event:${s(r['course_id']) ?? ''}`, ...enc];
    case 'observation':
      return [
        own,
        ...enc,
        ...(s(r['order_id']) ? [`lab_order:${r['order_id']}`] : []),
        ...(s(r['supersedes_id']) ? [`observation:${r['supersedes_id']}`] : []),
      ];
    case 'note':
      return [own, ...enc, ...(s(r['amends_note_id']) ? [`note:${r['amends_note_id']}`] : [])];
    case 'portal_message':
      return [own, `portal_thread:${s(r['thread_id']) ?? ''}`];
    default:
      return [own, ...enc];
  }
}

/** Whether a proxy must not see this row. */
export function isHidden(a: ChartAccess, l: Loaded, entity: string, r: Row): boolean {
  return a.hidesConfidential && marksOf(entity, r).some((k) => l.confidential.has(k));
}

/** Splits rows into those shown and a count of those hidden from a proxy. */
function visible<T extends Row>(a: ChartAccess, l: Loaded, entity: string, rows: readonly T[]): { shown: T[]; hidden: number } {
  const shown = rows.filter((r) => !isHidden(a, l, entity, r));
  return { shown, hidden: rows.length - shown.length };
}

async function userNames(d: ReadDeps, ids: Iterable<string | null>): Promise<Map<string, string>> {
  const list = [...new Set([...ids].filter((x): x is string => Boolean(x)))];
  if (list.length === 0) return new Map();
  const rows = await d.db.query<{ entity_id: string; name: string | null }>(
    `SELECT entity_id, data->>'display_name' AS name FROM sync_rows WHERE entity = 'user' AND entity_id = ANY($1::text[])`,
    [list],
  );
  return new Map(rows.filter((r) => r.name).map((r) => [r.entity_id, r.name!]));
}

// ---- Chart items ---------------------------------------------------------------------------------

const ERROR_STATUSES = new Set(['entered-in-error', 'entered_in_error']);
const ACTIVE_PROBLEM = new Set(['active', 'recurrence', 'relapse']);

function problems(rows: Row[]): Row[] {
  return rows
    .filter((r) => !ERROR_STATUSES.has(String(r['clinical_status'])) && !ERROR_STATUSES.has(String(r['verification_status'])))
    .sort(
      (x, y) =>
        Number(ACTIVE_PROBLEM.has(String(y['clinical_status']))) - Number(ACTIVE_PROBLEM.has(String(x['clinical_status']))) ||
        String(y['onset_date'] ?? '').localeCompare(String(x['onset_date'] ?? '')) ||
        String(x['display']).localeCompare(String(y['display'])),
    );
}

const problemView = (r: Row): ProblemView => ({
  id: String(r['id']),
  name: s(r['display']) ?? s(r['icd10']) ?? 'Problem',
  code: s(r['icd10']) ?? s(r['snomed']),
  since: s(r['onset_date']),
  status: s(r['clinical_status']) ?? 'active',
});

/** Current medication courses: the latest event of each is not a stop. One entry per course, its latest event. */
function currentCourses(events: Row[]): { latest: Row; since: string | null; events: Row[] }[] {
  const byCourse = new Map<string, Row[]>();
  for (const e of events) {
    const k = s(e['course_id']) ?? String(e['id']);
    byCourse.set(k, [...(byCourse.get(k) ?? []), e]);
  }
  const out: { latest: Row; since: string | null; events: Row[] }[] = [];
  for (const list of byCourse.values()) {
    list.sort(
      (x, y) =>
        String(x['effective_at']).localeCompare(String(y['effective_at'])) ||
        String(x['created_at']).localeCompare(String(y['created_at'])) ||
        String(x['id']).localeCompare(String(y['id'])),
    );
    const latest = list[list.length - 1]!;
    if (latest['event'] !== 'stop') out.push({ latest, since: s(list[0]!['effective_at'])?.slice(0, 10) ?? null, events: list });
  }
  return out.sort((x, y) => String(x.latest['drug_name']).localeCompare(String(y.latest['drug_name'])));
}

function instructions(e: Row): string | null {
  const raw = s(e['sig']);
  if (raw) {
    try {
      const parsed = sigSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return sigText(parsed.data, String(e['drug_name'])).replace(/^[^:]*:\s*/, '');
    } catch {
      // Not JSON: the plain fields below say it.
    }
  }
  const parts = [s(e['dose']), s(e['route']), s(e['frequency'])].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

function allergyView(r: Row): AllergyView {
  let reactions: string[] = [];
  try {
    const parsed: unknown = JSON.parse(String(r['reactions'] ?? '[]'));
    if (Array.isArray(parsed)) reactions = parsed.filter((x): x is string => typeof x === 'string');
  } catch {
    reactions = [];
  }
  return {
    id: String(r['id']),
    substance: r['kind'] === 'nka' ? 'No known allergies' : (s(r['substance']) ?? 'Allergy'),
    reaction: reactions.length > 0 ? reactions.join(', ') : null,
    severity: s(r['severity']),
  };
}

const immunizationView = (d: ReadDeps, r: Row): ImmunizationView => ({
  id: String(r['id']),
  vaccine: d.catalog.vaccines.get(String(r['cvx'])) ?? `Vaccine (CVX ${String(r['cvx'])})`,
  date: String(r['administered_on'] ?? '').slice(0, 10),
  lot: s(r['lot']),
});

const liveImmunization = (r: Row): boolean => !ERROR_STATUSES.has(String(r['status'])) && r['status'] !== 'not-done';

/** Observations still current: not replaced by a correction, not entered in error, cancelled or still awaited. */
function currentObservations(rows: Row[]): Row[] {
  const replaced = new Set(rows.map((r) => s(r['supersedes_id'])).filter(Boolean));
  return rows.filter((r) => !replaced.has(String(r['id'])) && !['entered-in-error', 'cancelled', 'registered'].includes(String(r['status'])));
}

const MAX_POINTS = 50;

function vitalTrends(rows: Row[]): VitalTrend[] {
  const trends = new Map<string, VitalTrend>();
  for (const r of rows) {
    const k = VITAL_BY_LOINC.get(String(r['loinc']));
    const value = n(r['value_num']);
    if (!k || value === null) continue;
    let t = trends.get(k.kind);
    if (!t) trends.set(k.kind, (t = { kind: k.kind, label: k.label, unit: s(r['unit']) ?? k.unit, points: [] }));
    t.points.push({ at: String(r['effective_at']), value });
  }
  const order = Object.keys(VITAL_KINDS);
  return [...trends.values()]
    .sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind))
    .map((t) => ({ ...t, points: t.points.sort((x, y) => x.at.localeCompare(y.at)).slice(-MAX_POINTS) }));
}

// ---- Results -------------------------------------------------------------------------------------

const FINAL = new Set(['final', 'corrected', 'amended']);
const FLAGS: Record<string, ResultFlag> = { N: 'normal', L: 'low', H: 'high', LL: 'critical_low', HH: 'critical_high', A: 'abnormal', AA: 'abnormal' };

function plainNumber(v: number): string {
  return String(Number(v.toPrecision(12)));
}

function referenceRange(r: Row): string | null {
  const text = s(r['ref_text']);
  if (text) return text;
  const low = n(r['ref_low']);
  const high = n(r['ref_high']);
  if (low !== null && high !== null) return `${plainNumber(low)}-${plainNumber(high)}`;
  if (low !== null) return `>= ${plainNumber(low)}`;
  if (high !== null) return `<= ${plainNumber(high)}`;
  return null;
}

function flagOf(r: Row): ResultFlag {
  const code = s(r['interpretation']);
  if (code && Object.hasOwn(FLAGS, code)) return FLAGS[code]!;
  const v = n(r['value_num']);
  const low = n(r['ref_low']);
  const high = n(r['ref_high']);
  if (v === null || (low === null && high === null)) return 'unknown';
  if (high !== null && v > high) return 'high';
  if (low !== null && v < low) return 'low';
  return 'normal';
}

/** A final result with its release time under the clinic's rules (reported = when the clinic stored it). */
function withRelease(d: ReadDeps, r: Row): { row: Row; releasedAt: string; kind: string | null } {
  const rule = releaseDelayDays(d.settings, { loinc: s(r['loinc']), orderCode: s(r['lab_order_code']) });
  const reported = s(r['created_at']) ?? s(r['effective_at']) ?? new Date(0).toISOString();
  return { row: r, releasedAt: releaseAt(reported, rule.days), kind: rule.kind };
}

const resultView = (x: { row: Row; releasedAt: string; kind: string | null }): ResultView => {
  const r = x.row;
  const num = n(r['value_num']);
  return {
    id: String(r['id']),
    name: s(r['display']) ?? s(r['lab_order_display']) ?? s(r['loinc']) ?? 'Result',
    loinc: s(r['loinc']),
    value: num !== null ? plainNumber(num) : (s(r['value_text']) ?? ''),
    unit: s(r['unit']),
    referenceRange: referenceRange(r),
    flag: flagOf(r),
    effectiveAt: String(r['effective_at']),
    releasedAt: x.releasedAt,
    kind: x.kind,
  };
};

/** The released laboratory results a viewer may see, newest first. */
export function releasedResults(d: ReadDeps, a: ChartAccess, l: Loaded): ResultView[] {
  const now = d.now();
  const labs = currentObservations(l.rows.get('observation') ?? []).filter((r) => r['category'] === 'laboratory' && FINAL.has(String(r['status'])));
  return visible(a, l, 'observation', labs)
    .shown.map((r) => withRelease(d, r))
    .filter((x) => Date.parse(x.releasedAt) <= now)
    .map(resultView)
    .sort((x, y) => y.effectiveAt.localeCompare(x.effectiveAt) || x.name.localeCompare(y.name));
}

// ---- The reads -----------------------------------------------------------------------------------

export const SUMMARY_ENTITIES = ['condition', 'allergy', 'medication_event', 'immunization', 'observation', 'note', 'encounter'] as const;

export async function chartSummary(d: ReadDeps, a: ChartAccess, loaded?: Loaded): Promise<ChartSummary> {
  if (loaded || !d.summaries) return buildSummary(d, a, loaded);
  // Charts change far less often than patients look at them: a summary is built again only when
  // something it is made from changed (or the patient's age now hides confidential items from a proxy).
  const key = `${a.accountId}:${a.chart.patientId}:${a.hidesConfidential ? 'hide' : 'all'}`;
  const version = await summaryVersion(d, a);
  const known = d.summaries.get(key);
  if (known?.version === version) return known.value;
  const value = await buildSummary(d, a);
  if (d.summaries.size >= SUMMARIES_MAX) d.summaries.delete(d.summaries.keys().next().value!);
  d.summaries.set(key, { version, value });
  return value;
}

async function buildSummary(d: ReadDeps, a: ChartAccess, loaded?: Loaded): Promise<ChartSummary> {
  const l = loaded ?? (await loadRows(d, a, SUMMARY_ENTITIES));
  const rows = (e: string): Row[] => l.rows.get(e) ?? [];
  const probs = visible(a, l, 'condition', problems(rows('condition')));
  const courses = currentCourses(rows('medication_event'));
  const meds = courses.filter((c) => !c.events.some((e) => isHidden(a, l, 'medication_event', e)));
  const allergies = visible(
    a,
    l,
    'allergy',
    rows('allergy').filter((r) => r['status'] === 'active'),
  );
  const imms = visible(a, l, 'immunization', rows('immunization').filter(liveImmunization));
  const vitals = visible(
    a,
    l,
    'observation',
    currentObservations(rows('observation')).filter((r) => r['category'] === 'vital-signs'),
  );
  const notes = signedNotes(rows('note'));
  const shownNotes = notes.filter((x) => !isHidden(a, l, 'note', x.note));
  const names = await userNames(
    d,
    shownNotes.flatMap((x) => [x.note, ...x.addenda].flatMap((r) => [s(r['signed_by']), s(r['author_id'])])),
  );
  const encounters = new Map(rows('encounter').map((e) => [String(e['id']), e]));
  const shownAddenda = shownNotes.map((x) => ({ ...x, addenda: x.addenda.filter((ad) => !isHidden(a, l, 'note', ad)) }));
  return {
    patient: a.chart,
    problems: probs.shown.map(problemView),
    medications: meds.map((c): MedicationView => ({
      id: s(c.latest['course_id']) ?? String(c.latest['id']),
      name: String(c.latest['drug_name']),
      instructions: instructions(c.latest),
      since: c.since,
    })),
    allergies: allergies.shown.map(allergyView),
    immunizations: imms.shown.map((r) => immunizationView(d, r)).sort((x, y) => y.date.localeCompare(x.date)),
    vitals: vitalTrends(vitals.shown),
    visits: visitViews(d, shownAddenda, encounters, names, vitalsByEncounter(vitals.shown)),
    hiddenFromProxy: probs.hidden + (courses.length - meds.length) + allergies.hidden + imms.hidden + vitals.hidden + (notes.length - shownNotes.length),
  };
}

export async function chartResults(d: ReadDeps, a: ChartAccess): Promise<ResultView[]> {
  return releasedResults(d, a, await loadRows(d, a, ['observation']));
}

/** Everything released to the portal (results and visit summaries), newest release first. */
export async function chartReleased(d: ReadDeps, a: ChartAccess): Promise<ReleasedItem[]> {
  const l = await loadRows(d, a, ['observation', 'note']);
  const results = releasedResults(d, a, l).map((r): ReleasedItem => ({ kind: 'result', id: r.id, title: r.name, releasedAt: r.releasedAt }));
  const notes = signedNotes(l.rows.get('note') ?? [])
    .filter((x) => !isHidden(a, l, 'note', x.note))
    .map((x): ReleasedItem => ({
      kind: 'visit_summary',
      id: String(x.note['id']),
      title: s(x.note['title']) ?? 'Visit summary',
      releasedAt: s(x.note['signed_at']) ?? String(x.note['created_at']),
    }));
  return [...results, ...notes].sort((x, y) => y.releasedAt.localeCompare(x.releasedAt) || x.id.localeCompare(y.id));
}

// ---- Appointments --------------------------------------------------------------------------------

const GONE = new Set(['cancelled', 'no_show', 'checked_out']);

/** One appointment as the patient sees it (shared with the booking and cancelling services). */
export function appointmentView(d: Pick<ReadDeps, 'settings' | 'catalog' | 'now'>, r: Row, names: Map<string, string>): AppointmentView {
  const type = String(r['appointment_type'] ?? '');
  const start = String(r['start_at']);
  const status = s(r['status']) ?? 'scheduled';
  return {
    id: String(r['id']),
    start,
    end: String(r['end_at']),
    type,
    typeName: d.catalog.appointmentTypes.find((t) => t.id === type)?.name ?? type,
    clinician: names.get(String(r['provider_id'] ?? '')) ?? null,
    status,
    bookedOnline: truthy(r['booked_online']),
    cancellable: status === 'scheduled' && Date.parse(start) - d.now() >= d.settings.booking.cancelNoticeHours * 3_600_000,
  };
}

export async function chartAppointments(d: ReadDeps, a: ChartAccess): Promise<AppointmentsView> {
  const l = await loadRows(d, a, ['appointment']);
  const rows = visible(a, l, 'appointment', l.rows.get('appointment') ?? []).shown;
  const names = await userNames(
    d,
    rows.map((r) => s(r['provider_id'])),
  );
  const now = d.now();
  const views = rows.map((r) => appointmentView(d, r, names));
  const upcoming = views
    .filter((v) => Date.parse(v.end) > now && !GONE.has(v.status) && v.status !== 'cancelled')
    .sort((x, y) => x.start.localeCompare(y.start));
  const ids = new Set(upcoming.map((v) => v.id));
  const past = views
    .filter((v) => !ids.has(v.id))
    .sort((x, y) => y.start.localeCompare(x.start))
    .slice(0, 100);
  const bookableTypes = d.settings.booking.appointmentTypes
    .map((id) => d.catalog.appointmentTypes.find((t) => t.id === id))
    .filter((t): t is NonNullable<typeof t> => t !== undefined)
    .map((t) => ({ id: t.id, name: t.name, minutes: t.minutes }));
  return { upcoming, past, bookableTypes };
}

/** Whether a record of this chart exists and the viewer may see it (for IDOR checks before a write). */
export async function ownsRecord(d: ReadDeps, a: ChartAccess, entity: string, id: string): Promise<boolean> {
  const [r] = await d.db.query<{ patient_id: string | null; data: string }>(
    `SELECT patient_id, data::text AS data FROM sync_rows WHERE entity = $1 AND entity_id = $2 AND (data->>'deleted_at') IS NULL`,
    [entity, id],
  );
  if (!r || r.patient_id !== a.chart.patientId) return false;
  if (!a.hidesConfidential) return true;
  const l = await loadRows(d, a, []);
  return !isHidden(a, l, entity, JSON.parse(r.data) as Row);
}
