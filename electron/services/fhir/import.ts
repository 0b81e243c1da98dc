import { createHash } from 'node:crypto';
import { newId } from '../../common/ids';
import { patientOf, readBundle, type ImportIssue, type SourceEntry, type SourceKey } from '../../../shared/fhir/bundle';
import { APPLY_ORDER, mapResource, parseSnomedIcd10Map, type Cell, type Draft, type MapContext, type MapOutcome } from '../../../shared/fhir/from-fhir';
import type { ImportSummary, TypeTally } from '../../../shared/fhir/import-summary';
import { ENTITIES, type EntityName } from '../../../shared/sync/entities';
import { statementsFor } from '../db/statement-cache';
import type { Repos } from '../repos';
import type { Resources } from '../resources/resources';
import { MrnAllocator } from '../repos/mrn';
import { ImportFiling } from '../labs/filing';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';

export type { ImportSummary, TypeTally } from '../../../shared/fhir/import-summary';

export interface ImportProgress {
  done: number;
  total: number;
  source: string;
}

type Outcome = 'imported' | 'updated' | 'unchanged' | 'kept';

const KEPT = 'changed at the source, but immunizations and medication events are written once here: the first import stands';

function emptyTally(): TypeTally {
  return { imported: 0, updated: 0, unchanged: 0, skipped: 0, errors: 0, notApplied: 0, reasons: {} };
}

export function emptySummary(): ImportSummary {
  return { bundles: 0, resources: 0, patients: { imported: 0, updated: 0, unchanged: 0, failed: 0 }, byType: {}, uncodedToIcd10: {}, errors: [], elapsedMs: 0 };
}

/** The shipped SNOMED CT → ICD-10-CM starter map, read once per session. */
export function loadSnomedIcd10(resources: Resources): Map<string, string> {
  return resources.derived('snomed-icd10', () => parseSnomedIcd10Map(resources.text('codesets/snomed-icd10-synthea.tsv')));
}

const order = (e: SourceEntry): number => {
  const i = APPLY_ORDER.indexOf(e.resource.resourceType);
  return i === -1 ? APPLY_ORDER.length : i;
};

/** A failure while writing one entry: rolls back its patient and names the entry. */
class EntryFailure extends Error {
  constructor(
    readonly entry: SourceEntry,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Imports FHIR R4 bundles into the device database. Each patient's resources are applied in one
 * transaction (rows, audit entries, sync outbox entries and import sources), so a broken resource
 * leaves nothing of that patient half-applied. `fhir_import_sources` remembers which row each
 * resource became and the hash of its content: the same resource again changes nothing; a
 * changed one updates its row (a changed observation is stored as a correction superseding it).
 */
export class FhirImporter {
  private readonly snomedToIcd10: Map<string, string>;
  private readonly mrns: MrnAllocator;
  /** Whether the importing user may change this existing chart (a restricted one needs break-glass). */
  private readonly mayChange: (patientId: string) => boolean;
  readonly summary: ImportSummary = emptySummary();

  constructor(
    private readonly repos: Repos,
    private readonly actor: Actor,
    opts: { snomedToIcd10?: Map<string, string>; mayChange?: (patientId: string) => boolean } = {},
  ) {
    this.snomedToIcd10 = opts.snomedToIcd10 ?? loadSnomedIcd10(repos.resources);
    this.mayChange = opts.mayChange ?? ((): boolean => true);
    this.mrns = new MrnAllocator(repos.store.sqlite);
  }

  private tally(type: string): TypeTally {
    return (this.summary.byType[type] ??= emptyTally());
  }

  private skip(type: string, reason: string): void {
    const t = this.tally(type);
    t.skipped++;
    t.reasons[reason] = (t.reasons[reason] ?? 0) + 1;
  }

  /**
   * Runs several imports in one outer transaction: each patient still commits or rolls back alone
   * (a savepoint), but the file is written once for the lot, which is what bulk speed needs (each
   * encrypted commit costs milliseconds). If the process dies before the end, none of the batch is
   * kept, and importing again picks it all up (the import is idempotent).
   */
  batch<T>(fn: () => T): T {
    return this.repos.store.sqlite.transaction(fn).immediate();
  }

  /** Imports one bundle's JSON text; `source` names it in errors (a file name). */
  importText(text: string, source: string, onProgress?: (p: ImportProgress) => void): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      this.summary.errors.push({ source, index: null, path: '', resourceType: null, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    this.importJson(json, source, onProgress);
  }

  importJson(json: unknown, source: string, onProgress?: (p: ImportProgress) => void): void {
    const started = performance.now();
    const bundle = readBundle(json);
    if ('error' in bundle) {
      this.summary.errors.push({ source, ...bundle.error });
      return;
    }
    this.summary.bundles++;
    this.summary.resources += bundle.entries.length + bundle.issues.length;
    for (const issue of bundle.issues) {
      this.summary.errors.push({ source, ...issue });
      this.tally(issue.resourceType ?? 'unknown').errors++;
    }
    const groups = new Map<SourceKey, SourceEntry[]>();
    for (const e of bundle.entries) {
      const patient = patientOf(e, bundle.resolve);
      if (patient === null) {
        const mapped = mapResource(e, { snomedToIcd10: this.snomedToIcd10, importedAt: '', resolve: bundle.resolve });
        if (mapped.kind === 'skipped') this.skip(e.resource.resourceType, mapped.reason);
        else {
          this.tally(e.resource.resourceType).errors++;
          const issues =
            mapped.kind === 'error'
              ? mapped.issues
              : [
                  {
                    index: e.index,
                    path: `entry[${e.index}].resource.subject`,
                    resourceType: e.resource.resourceType,
                    message: 'the resource belongs to no patient',
                  },
                ];
          for (const i of issues) this.summary.errors.push({ source, ...i });
        }
        continue;
      }
      let g = groups.get(patient);
      if (!g) groups.set(patient, (g = []));
      g.push(e);
    }
    let done = bundle.entries.length - [...groups.values()].reduce((n, g) => n + g.length, 0);
    for (const [patient, entries] of groups) {
      this.importPatient(
        patient,
        entries.sort((a, b) => order(a) - order(b) || a.index - b.index),
        bundle.resolve,
        source,
      );
      done += entries.length;
      onProgress?.({ done, total: bundle.entries.length, source });
    }
    this.summary.elapsedMs += performance.now() - started;
  }

  private importPatient(patientKey: SourceKey, entries: SourceEntry[], resolve: MapContext['resolve'], source: string): void {
    const importedAt = this.repos.writer.now().toISOString();
    const ctx: MapContext = { snomedToIcd10: this.snomedToIcd10, importedAt, resolve };
    const mapped = entries.map((e) => ({ entry: e, out: mapResource(e, ctx) }));
    const existing = this.existingChart(patientKey);
    if (existing !== null && !this.mayChange(existing)) {
      const first = entries[0]!;
      this.fail(mapped, [], source, [
        {
          index: first.index,
          path: `entry[${first.index}].resource`,
          resourceType: first.resource.resourceType,
          message: 'this chart is restricted: break the glass for it before importing into it',
        },
      ]);
      return;
    }
    const failed = mapped.filter((m) => m.out.kind === 'error');
    if (failed.length > 0) {
      this.fail(
        mapped,
        failed.map((m) => m.entry),
        source,
        failed.flatMap((m) => (m.out.kind === 'error' ? m.out.issues : [])),
      );
      return;
    }
    const outcomes = new Map<SourceEntry, Outcome>();
    try {
      this.repos.writer.write((at) => {
        // A patient never imported before has no earlier rows to look up (the fast path of a first import).
        const fresh = existing === null && entries.some((e) => e.key === patientKey);
        const w = new PatientWrite(this.repos, this.actor, at, this.mrns, fresh);
        for (const { entry, out } of mapped) {
          if (out.kind !== 'rows') continue;
          try {
            outcomes.set(entry, w.apply(entry, out.drafts, patientKey));
          } catch (e) {
            throw e instanceof EntryFailure ? e : new EntryFailure(entry, e instanceof Error ? e.message : String(e));
          }
        }
        w.finish(patientKey);
      });
    } catch (e) {
      if (!(e instanceof EntryFailure)) throw e;
      const path = `entry[${e.entry.index}].resource`;
      this.fail(mapped, [e.entry], source, [{ index: e.entry.index, path, resourceType: e.entry.resource.resourceType, message: e.message }]);
      return;
    }
    for (const { entry, out } of mapped) {
      const type = entry.resource.resourceType;
      if (out.kind === 'skipped') this.skip(type, out.reason);
      else if (out.kind === 'rows') {
        for (const n of out.notes)
          if (n.startsWith('uncoded to ICD-10: ')) this.summary.uncodedToIcd10[n.slice(19)] = (this.summary.uncodedToIcd10[n.slice(19)] ?? 0) + 1;
        const o = outcomes.get(entry) ?? 'unchanged';
        if (o === 'kept') this.skip(type, KEPT);
        else this.tally(type)[o]++;
        if (type === 'Patient' && o !== 'kept') this.summary.patients[o]++;
      }
    }
  }

  /** The chart an earlier import made for this patient, if any. */
  private existingChart(patientKey: SourceKey): string | null {
    const id = patientKey.slice('Patient/'.length);
    const row = statementsFor(this.repos.store.sqlite)
      .get(`SELECT entity_id FROM fhir_import_sources WHERE resource_type = 'Patient' AND source_id = ?`)
      .get(id) as { entity_id: string } | undefined;
    return row?.entity_id ?? null;
  }

  /** A patient not applied: its bad entries are errors, what would have been skipped is still skipped, the rest not applied. */
  private fail(mapped: { entry: SourceEntry; out: MapOutcome }[], bad: SourceEntry[], source: string, issues: ImportIssue[]): void {
    this.summary.patients.failed++;
    for (const { entry, out } of mapped) {
      const type = entry.resource.resourceType;
      if (bad.includes(entry)) this.tally(type).errors++;
      else if (out.kind === 'skipped') this.skip(type, out.reason);
      else this.tally(type).notApplied++;
    }
    for (const i of issues) this.summary.errors.push({ source, ...i });
  }
}

/** The writes of one patient's import, inside its transaction. */
class PatientWrite {
  private readonly ids = new Map<SourceKey, string[]>();
  private readonly vitalSets = new Map<string, string>();
  private readonly stmts;
  /** Old lab history is filed as reviewed, so it does not flood the results inbox. */
  private readonly filing: ImportFiling;

  constructor(
    private readonly repos: Repos,
    private readonly actor: Actor,
    private readonly at: string,
    private readonly mrns: MrnAllocator,
    private readonly fresh: boolean,
  ) {
    this.stmts = statementsFor(repos.store.sqlite);
    this.filing = new ImportFiling(repos, actor, at);
  }

  /** After the patient's last entry: the audit entry of the results filed as reviewed. */
  finish(patientKey: SourceKey): void {
    this.filing.audit(this.idsOf(patientKey)[0] ?? null);
  }

  private source(type: string, sourceId: string): { entity_id: string; content_hash: string } | undefined {
    if (this.fresh) return undefined;
    return this.stmts.get('SELECT entity_id, content_hash FROM fhir_import_sources WHERE resource_type = ? AND source_id = ?').get(type, sourceId) as
      { entity_id: string; content_hash: string } | undefined;
  }

  /** The Cairn ids a source key became: in this import, or in an earlier one. */
  private idsOf(key: SourceKey): string[] {
    const known = this.ids.get(key);
    if (known) return known;
    const [type, id] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const rows = this.stmts
      .get(`SELECT entity_id FROM fhir_import_sources WHERE resource_type = ? AND (source_id = ? OR source_id LIKE ? ESCAPE '\\') ORDER BY source_id`)
      .all(type, id, `${id.replace(/[\\%_]/g, '\\$&')}#%`) as { entity_id: string }[];
    const found = rows.map((r) => r.entity_id);
    this.ids.set(key, found);
    return found;
  }

  private cell(c: Cell): string | number | null {
    if (c === null || typeof c !== 'object') return c;
    if ('ref' in c) return this.idsOf(c.ref)[0] ?? null;
    return JSON.stringify(c.refs.flatMap((k) => this.idsOf(k)));
  }

  private resolved(d: Draft, entry: SourceEntry): Record<string, string | number | null> {
    const row: Record<string, string | number | null> = {};
    for (const [k, v] of Object.entries(d.row)) row[k] = this.cell(v);
    if ('patient_id' in d.row && row['patient_id'] === null) throw new EntryFailure(entry, 'its patient was not imported');
    if (d.vitalSet !== undefined) {
      let set = this.vitalSets.get(d.vitalSet);
      if (!set) this.vitalSets.set(d.vitalSet, (set = newId()));
      row['set_id'] = set;
    }
    return row;
  }

  apply(entry: SourceEntry, drafts: Draft[], patientKey: SourceKey): Outcome {
    const type = entry.resource.resourceType;
    const sourceId = entry.key.slice(type.length + 1);
    const hash = createHash('sha256').update(JSON.stringify(entry.resource)).digest('base64url');
    const made: string[] = [];
    let course: string | null = null;
    let existed = false;
    let wrote = false;
    let kept = false;
    for (const d of drafts) {
      const key = sourceId + d.key;
      const prior = this.source(type, key);
      existed ||= prior !== undefined;
      if (d.course && course === null) {
        const start = prior ?? this.source(type, `${sourceId}#start`);
        course = start
          ? ((this.stmts.get('SELECT course_id FROM medication_events WHERE id = ?').get(start.entity_id) as { course_id: string } | undefined)?.course_id ??
            null)
          : null;
        course ??= newId();
      }
      if (prior && prior.content_hash === hash) {
        made.push(prior.entity_id);
        continue;
      }
      const row = this.resolved(d, entry);
      if (d.course) row['course_id'] = course;
      const kind = ENTITIES[d.entity as EntityName].kind;
      let id: string;
      if (prior && kind !== 'append') {
        this.update(d, prior.entity_id, row, entry);
        id = prior.entity_id;
        wrote = true;
      } else if (prior && d.entity !== 'observation') {
        // Written once in Cairn (immunizations, medication events): the first import stands.
        id = prior.entity_id;
        kept = true;
      } else {
        // New, or a changed observation: a correction that supersedes the earlier one.
        if (prior) row['supersedes_id'] = prior.entity_id;
        id = this.insert(d, row, entry, patientKey);
        wrote = true;
      }
      made.push(id);
      this.putSource(entry, type, key, d.entity, id, hash);
    }
    this.ids.set(entry.key, made);
    return wrote ? (existed ? 'updated' : 'imported') : kept ? 'kept' : 'unchanged';
  }

  private putSource(entry: SourceEntry, type: string, key: string, entity: string, id: string, hash: string): void {
    this.stmts
      .get(
        `INSERT INTO fhir_import_sources (source, resource_type, source_id, entity, entity_id, content_hash, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(resource_type, source_id) DO UPDATE SET source = excluded.source, entity = excluded.entity, entity_id = excluded.entity_id, content_hash = excluded.content_hash, imported_at = excluded.imported_at`,
      )
      .run(entry.fullUrl ?? entry.key, type, key, entity, id, hash, this.at);
  }

  private insert(d: Draft, row: Record<string, string | number | null>, entry: SourceEntry, patientKey: SourceKey): string {
    const id = newId();
    const full: Record<string, string | number | null> = {
      id,
      ...row,
      created_at: this.at,
      created_by: this.actor.userId,
      updated_at: this.at,
      updated_by: this.actor.userId,
    };
    if (d.entity === 'patient') {
      // MRNs are assigned here by rule; one from another Cairn's export is kept when it is free.
      const offered = typeof full['mrn'] === 'string' ? full['mrn'] : null;
      full['mrn'] = offered !== null && !this.mrns.isTaken(offered) ? offered : this.mrns.next();
    }
    const cols = Object.keys(full);
    const written = this.stmts
      .get(`INSERT INTO ${d.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`)
      .get(cols.map((c) => full[c])) as StoredRow;
    const patientId = d.entity === 'patient' ? id : ((full['patient_id'] as string | null) ?? this.idsOf(patientKey)[0] ?? null);
    this.repos.writer.record(this.at, {
      action: 'fhir.import',
      actor: this.actor,
      patientId,
      entity: d.entity,
      id,
      op: 'insert',
      payload: written,
      detail: entry.key,
    });
    // Important: after the observation's own outbox entry, so a device receives the result before its acknowledgement.
    if (d.entity === 'observation' && patientId !== null) this.filing.consider(id, patientId, full['category'], full['effective_at']);
    return id;
  }

  private update(d: Draft, id: string, row: Record<string, string | number | null>, entry: SourceEntry): void {
    const cols = Object.keys(row).filter((c) => c !== 'patient_id' && c !== 'mrn');
    const written = this.stmts
      .get(
        `UPDATE ${d.table} SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL RETURNING *`,
      )
      .get(...cols.map((c) => row[c]), this.at, this.actor.userId, id) as StoredRow | undefined;
    if (written === undefined) throw new EntryFailure(entry, `the ${d.entity} it was imported as earlier was deleted here: not updated`);
    const patientId = d.entity === 'patient' ? id : (row['patient_id'] as string | null);
    this.repos.writer.record(this.at, {
      action: 'fhir.import.update',
      actor: this.actor,
      patientId,
      entity: d.entity,
      id,
      op: 'update',
      payload: written,
      detail: entry.key,
    });
  }
}
