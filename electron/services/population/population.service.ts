import type Database from 'better-sqlite3';
import { CairnFailure } from '../../../shared/api/result';
import { addDays } from '../../../shared/domain/dates';
import type { DueItem } from '../../../shared/domain/immunizations';
import { computeMeasures, MEASURE_LOINCS, MEASURES, type MeasureContext, type MeasureReport, type Period, yearPeriod } from '../../../shared/domain/measures';
import type { PatientFacts } from '../../../shared/domain/population';
import type { DueList, DueListInput, MeasurePatient, MeasureSummary, MeasureTrendPoint, PreventiveItemView } from '../../../shared/domain/population-report';
import { compileRules, preventiveCare, preventiveRulesFile, type PreventiveItem, type PreventiveRules } from '../../../shared/domain/preventive';
import type { Resources } from '../resources/resources';
import { FactsRepo } from './facts.repo';
import { clinicZoneOf } from '../schedule/schedule-config';

interface LoadedRules {
  rules: PreventiveRules;
  ctx: MeasureContext;
  loincs: Set<string>;
}

/** The shipped preventive rules and CVX vaccine groups, read and validated once per session. */
function load(resources: Resources): LoadedRules {
  return resources.derived('preventive', () => {
    const file = resources.json('preventive/rules.json', preventiveRulesFile);
    const cvxGroups = new Map<string, string[]>();
    for (const r of resources.tsv('codesets/cvx-vaccine-groups.tsv')) {
      const cvx = r['cvx_code'];
      const group = r['vaccine_group_name'];
      if (!cvx || !group) continue;
      cvxGroups.set(cvx, [...(cvxGroups.get(cvx) ?? []), group]);
    }
    const loincs = new Set<string>(MEASURE_LOINCS);
    for (const r of file.rules)
      for (const m of [...r.satisfiedBy.map((s) => s.codes), ...r.exclusions.map((e) => e.codes), ...(r.riskFactor ? [r.riskFactor.codes] : [])])
        for (const c of m.loinc ?? []) loincs.add(c);
    return { rules: compileRules(file), ctx: { cvxGroups }, loincs };
  });
}

/** An immunization series forecast as a preventive item (the charting issue's schedule). */
function fromImmunization(d: DueItem, version: string): PreventiveItem {
  const status = d.status === 'complete' || d.status === 'not_yet_due' ? 'done' : d.status;
  const why = d.status === 'not_yet_due' ? `up to date; next dose from ${d.dueDate ?? '?'}` : d.reason;
  return {
    ruleId: `immunization:${d.seriesId}`,
    title: `Immunization: ${d.series}`,
    status,
    dueOn: d.dueDate,
    evidence: null,
    why,
    citation: d.citation,
    rulesVersion: version,
  };
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  // Important: a cell starting with = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * Preventive care and quality measures over the device's charts. Facts are loaded per call (one
 * query per kind); the last practice-wide load is kept until the database changes, so paging
 * through a report's patients does not reload everything.
 */
export class PopulationService {
  private cache: { key: string; facts: PatientFacts[]; restricted: Set<string> } | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly resources: Resources,
    private readonly immunizationsFor: (patientId: string, on: string) => DueItem[],
  ) {}

  /**
   * The practice's facts, reloaded when a chart changed: another connection committed (data_version),
   * this one wrote a clinical change (every one adds an outbox row) or pulled from the clinic server
   * (the cursor moves). Audit entries do not count, so auditing a report does not reload it.
   */
  private practice(): { facts: PatientFacts[]; restricted: Set<string> } {
    const dataVersion = this.sqlite.pragma('data_version', { simple: true }) as number;
    const { outbox, cursor } = this.sqlite
      .prepare(`SELECT (SELECT coalesce(max(rowid), 0) FROM sync_outbox) AS outbox, (SELECT value FROM meta WHERE key = 'sync.cursor') AS cursor`)
      .get() as { outbox: number; cursor: string | null };
    const key = `${dataVersion}:${outbox}:${cursor ?? ''}`;
    if (this.cache?.key !== key)
      this.cache = { key, ...new FactsRepo(this.sqlite, clinicZoneOf(this.resources)).load({ loincs: load(this.resources).loincs }) };
    return this.cache;
  }

  /** Every preventive rule and immunization series for one chart on a date. */
  preventive(patientId: string, on: string): PreventiveItemView[] {
    const { rules, loincs } = load(this.resources);
    const facts = new FactsRepo(this.sqlite, clinicZoneOf(this.resources)).load({ loincs, patientId }).facts[0];
    if (!facts) throw new CairnFailure('not_found', `no patient with id ${patientId}`);
    const items = preventiveCare(facts, rules, on);
    const shots = this.immunizationsFor(patientId, on)
      .filter((d) => d.status !== 'not_applicable')
      .map((d) => fromImmunization(d, rules.version));
    return [...items, ...shots].map((i) => ({
      ...i,
      evidence: i.evidence && { kind: i.evidence.kind, code: i.evidence.code, label: i.evidence.label, on: i.evidence.on },
    }));
  }

  /** Patients with something due or overdue, most overdue first. Restricted charts are counted, not listed. */
  dueList(input: DueListInput, on: string): DueList {
    const { rules } = load(this.resources);
    const { facts, restricted } = this.practice();
    const wanted = new Set(input.statuses);
    const ruleIds = input.ruleIds ? new Set(input.ruleIds) : null;
    const rows: DueList['rows'] = [];
    const counts = new Map(rules.compiled.map((c) => [c.rule.id, { ruleId: c.rule.id, title: c.rule.title, due: 0, overdue: 0 }]));
    let restrictedNotListed = 0;
    for (const p of facts) {
      if (input.providerId && p.providerId !== input.providerId) continue;
      for (const item of preventiveCare(p, rules, on)) {
        if (item.status !== 'due' && item.status !== 'overdue') continue;
        counts.get(item.ruleId)![item.status] += 1;
        if (!wanted.has(item.status) || (ruleIds && !ruleIds.has(item.ruleId))) continue;
        if (restricted.has(p.id)) {
          restrictedNotListed += 1;
          continue;
        }
        rows.push({
          patientId: p.id,
          name: p.name,
          mrn: p.mrn,
          birthDate: p.birthDate,
          providerId: p.providerId,
          ruleId: item.ruleId,
          title: item.title,
          status: item.status,
          dueOn: item.dueOn,
          lastDone: item.evidence?.on ?? null,
        });
      }
    }
    // Plain comparisons (not localeCompare): a large practice sorts hundreds of thousands of rows.
    const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
    rows.sort((a, b) => (a.status === b.status ? 0 : a.status === 'overdue' ? -1 : 1) || cmp(a.dueOn ?? '', b.dueOn ?? '') || cmp(a.name, b.name));
    return { on, rulesVersion: rules.version, rows: rows.slice(0, input.limit), total: rows.length, counts: [...counts.values()], restrictedNotListed };
  }

  dueListCsv(input: DueListInput, on: string): string {
    const list = this.dueList({ ...input, limit: 100_000 }, on);
    return toCsv(
      ['patient_id', 'name', 'mrn', 'birth_date', 'item', 'status', 'due_on', 'last_done', 'rules_version'],
      list.rows.map((r) => [r.patientId, r.name, r.mrn, r.birthDate, r.title, r.status, r.dueOn, r.lastDone, list.rulesVersion]),
    );
  }

  /** The full reports (with patient ids per group) for a period, optionally one provider's patients. */
  reports(period: Period, providerId?: string): MeasureReport[] {
    const { ctx } = load(this.resources);
    const { facts } = this.practice();
    return computeMeasures(providerId ? facts.filter((p) => p.providerId === providerId) : facts, period, ctx);
  }

  measures(year: number, providerId?: string): MeasureSummary[] {
    return this.reports(yearPeriod(year), providerId).map(summary);
  }

  /** Rates over the year: each quarter's end with the 12 months before it. */
  trend(year: number, providerId?: string): MeasureTrendPoint[] {
    const points: MeasureTrendPoint[] = [];
    for (const end of [`${year}-03-31`, `${year}-06-30`, `${year}-09-30`, `${year}-12-31`]) {
      const start = `${Number(end.slice(0, 4)) - 1}${end.slice(4)}`;
      const period = { start: addDays(start, 1), end };
      for (const r of this.reports(period, providerId))
        for (const p of r.populations) points.push({ periodEnd: end, measureId: r.id, populationId: p.id, rate: p.rate });
    }
    return points;
  }

  /** The patients of one group of one measure; restricted charts by name only when the viewer may not open them. */
  patients(
    year: number,
    measureId: string,
    populationId: string,
    group: 'denominator' | 'excluded' | 'numerator' | 'gaps',
    providerId: string | undefined,
    mayOpen: (id: string) => boolean,
  ): MeasurePatient[] {
    const report = this.reports(yearPeriod(year), providerId).find((r) => r.id === measureId);
    if (!report) throw new CairnFailure('not_found', `no measure ${measureId}; Cairn reports ${MEASURES.map((m) => m.id).join(', ')}`);
    const pop = report.populations.find((p) => p.id === populationId);
    if (!pop)
      throw new CairnFailure(
        'not_found',
        `measure ${measureId} has no population "${populationId}" (it has ${report.populations.map((p) => p.id).join(', ')})`,
      );
    const { facts, restricted } = this.practice();
    const byId = new Map(facts.map((f) => [f.id, f]));
    return pop.patients[group].map((id) => {
      const f = byId.get(id)!;
      const hidden = restricted.has(id) && !mayOpen(id);
      return { id, name: f.name, mrn: hidden ? null : f.mrn, birthDate: hidden ? '' : f.birthDate, restricted: restricted.has(id) };
    });
  }

  measuresCsv(year: number, providerId?: string): string {
    const rows = this.measures(year, providerId).flatMap((m) =>
      m.populations.map((p) => [
        m.id,
        m.title,
        p.label,
        m.period.start,
        m.period.end,
        p.denominator,
        p.exclusions,
        p.numerator,
        p.gaps,
        p.rate === null ? null : (p.rate * 100).toFixed(1),
        p.inverse ? 'lower is better' : 'higher is better',
      ]),
    );
    return toCsv(
      ['measure', 'title', 'population', 'period_start', 'period_end', 'denominator', 'exclusions', 'numerator', 'gaps', 'rate_percent', 'direction'],
      rows,
    );
  }
}

export function summary(r: MeasureReport): MeasureSummary {
  return {
    id: r.id,
    title: r.title,
    version: r.version,
    period: r.period,
    approximations: [...r.approximations],
    populations: r.populations.map((p) => ({
      id: p.id,
      label: p.label,
      inverse: p.inverse,
      denominator: p.denominator,
      exclusions: p.exclusions,
      numerator: p.numerator,
      gaps: p.patients.gaps.length,
      rate: p.rate,
    })),
  };
}
