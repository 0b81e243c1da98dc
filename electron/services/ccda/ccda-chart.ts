import type { CcdaSection } from '../../../shared/ccda/model';
import { ENTITIES, type EntityName } from '../../../shared/sync/entities';
import { newId } from '../../common/ids';
import { statementsFor, type StatementCache } from '../db/statement-cache';
import { ImportFiling } from '../labs/filing';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';
import type { ChartDraft } from './ccda-drafts';

/** How an entry stands beside the chart, and the chart row it matches or differs from. */
export interface Classified {
  match: 'new' | 'same' | 'different';
  matchType: string | null;
  matchId: string | null;
  /** For `different`: what differs, in words. */
  differs: string | null;
}

interface Held {
  id: string;
  entity: EntityName;
  /** What is compared for `same`: field → value in words. */
  facts: Record<string, string | null>;
}

const norm = (v: string | null | undefined): string => (v ?? '').trim().toLowerCase();
const num = (v: unknown): string | null => (typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : null);

/**
 * What the chart holds, keyed the way C-CDA entries are matched: problems by ICD-10-CM or SNOMED
 * code, medications by RxNorm (else name), allergies by substance code or name, immunizations by
 * CVX and date, results and vitals by LOINC and time, visits by day, procedures by code and day.
 * Loaded once per import (a chart of ten years is a few thousand rows).
 */
export class ChartIndex {
  private readonly byKey = new Map<string, Held[]>();

  constructor(repos: Repos, patientId: string) {
    const st = statementsFor(repos.store.sqlite);
    const all = <T>(sql: string): T[] => st.get(sql).all(patientId) as T[];
    for (const r of all<{ id: string; icd10: string | null; snomed: string | null; onset_date: string | null; clinical_status: string }>(
      `SELECT id, icd10, snomed, onset_date, clinical_status FROM conditions WHERE patient_id = ? AND deleted_at IS NULL`,
    )) {
      const h: Held = { id: r.id, entity: 'condition', facts: { onset: r.onset_date, status: r.clinical_status } };
      if (r.icd10) this.put(`problems|${r.icd10}`, h);
      if (r.snomed) this.put(`problems|sct:${r.snomed}`, h);
    }
    for (const r of all<{ id: string; rxcui: string | null; drug_name: string; effective_at: string; dose: string | null }>(
      `SELECT id, rxcui, drug_name, effective_at, dose FROM medication_events WHERE patient_id = ? AND event = 'start' AND deleted_at IS NULL`,
    ))
      this.put(`medications|${r.rxcui ?? `name:${norm(r.drug_name)}`}`, {
        id: r.id,
        entity: 'medication_event',
        facts: { start: r.effective_at.slice(0, 10), dose: r.dose },
      });
    for (const r of all<{ id: string; substance: string | null; substance_code: string | null; status: string; severity: string | null }>(
      `SELECT id, substance, substance_code, status, severity FROM allergies WHERE patient_id = ? AND kind = 'allergy' AND deleted_at IS NULL`,
    )) {
      const h: Held = { id: r.id, entity: 'allergy', facts: { status: r.status, severity: r.severity } };
      if (r.substance_code) this.put(`allergies|${r.substance_code}`, h);
      this.put(`allergies|name:${norm(r.substance)}`, h);
    }
    for (const r of all<{ id: string; cvx: string; administered_on: string; lot: string | null }>(
      `SELECT id, cvx, administered_on, lot FROM immunizations WHERE patient_id = ? AND deleted_at IS NULL AND status = 'completed'`,
    ))
      this.put(`immunizations|${r.cvx}|${r.administered_on}`, { id: r.id, entity: 'immunization', facts: { lot: r.lot } });
    for (const r of all<{
      id: string;
      category: string;
      loinc: string;
      effective_at: string;
      value_num: number | null;
      value_text: string | null;
      unit: string | null;
    }>(
      `SELECT id, category, loinc, effective_at, value_num, value_text, unit FROM observations o WHERE patient_id = ? AND deleted_at IS NULL
         AND status != 'entered-in-error' AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id)`,
    ))
      this.put(`obs|${r.loinc}|${r.effective_at}`, {
        id: r.id,
        entity: 'observation',
        facts: { value: num(r.value_num) ?? norm(r.value_text), unit: r.value_num !== null ? r.unit : null },
      });
    for (const r of all<{ id: string; start_at: string | null }>(`SELECT id, start_at FROM encounters WHERE patient_id = ? AND deleted_at IS NULL`))
      if (r.start_at) this.put(`encounters|${r.start_at.slice(0, 10)}`, { id: r.id, entity: 'encounter', facts: {} });
    for (const r of all<{ id: string; code: string | null; display: string; performed_start: string | null }>(
      `SELECT id, code, display, performed_start FROM procedures WHERE patient_id = ? AND deleted_at IS NULL`,
    ))
      this.put(`procedures|${r.code ?? `name:${norm(r.display)}`}`, {
        id: r.id,
        entity: 'procedure',
        facts: { date: r.performed_start?.slice(0, 10) ?? null },
      });
  }

  private put(key: string, h: Held): void {
    const list = this.byKey.get(key);
    if (list) list.push(h);
    else this.byKey.set(key, [h]);
  }

  /** After a row is written for a draft, so a second identical entry in the same document is `same`. */
  remember(section: CcdaSection, d: ChartDraft, id: string): void {
    for (const key of this.keys(section, d)) this.put(key, { id, entity: d.entity, facts: this.factsOf(section, d) });
  }

  private keys(section: CcdaSection, d: ChartDraft): string[] {
    const r = d.row;
    switch (section) {
      case 'problems':
        return [r['icd10'] ? `problems|${String(r['icd10'])}` : null, r['snomed'] ? `problems|sct:${String(r['snomed'])}` : null].filter(
          (k): k is string => k !== null,
        );
      case 'medications':
        return [`medications|${r['rxcui'] !== null ? String(r['rxcui']) : `name:${norm(String(r['drug_name']))}`}`];
      case 'allergies':
        return [r['substance_code'] ? `allergies|${String(r['substance_code'])}` : null, `allergies|name:${norm(String(r['substance']))}`].filter(
          (k): k is string => k !== null,
        );
      case 'immunizations':
        return [`immunizations|${String(r['cvx'])}|${String(r['administered_on'])}`];
      case 'results':
      case 'vitals':
      case 'smoking':
        return [`obs|${String(r['loinc'])}|${String(r['effective_at'])}`];
      case 'encounters':
        return [`encounters|${String(r['start_at']).slice(0, 10)}`];
      case 'procedures':
        return [`procedures|${r['code'] !== null ? String(r['code']) : `name:${norm(String(r['display']))}`}`];
    }
  }

  private factsOf(section: CcdaSection, d: ChartDraft): Record<string, string | null> {
    const r = d.row;
    const s = (k: string): string | null => (r[k] === null || r[k] === undefined ? null : String(r[k]));
    switch (section) {
      case 'problems':
        return { onset: s('onset_date'), status: s('clinical_status') };
      case 'medications':
        return { start: s('effective_at')?.slice(0, 10) ?? null, dose: s('dose') };
      case 'allergies':
        return { status: s('status'), severity: s('severity') };
      case 'immunizations':
        return { lot: s('lot') };
      case 'results':
      case 'vitals':
      case 'smoking':
        return { value: num(r['value_num']) ?? norm(s('value_text')), unit: r['value_num'] !== null ? s('unit') : null };
      case 'encounters':
        return {};
      case 'procedures':
        return { date: s('performed_start')?.slice(0, 10) ?? null };
    }
  }

  /** new, same (the same code and date, nothing else differs) or different (and what differs). */
  classify(section: CcdaSection, d: ChartDraft): Classified {
    const found = this.keys(section, d).flatMap((k) => this.byKey.get(k) ?? []);
    if (found.length === 0) return { match: 'new', matchType: null, matchId: null, differs: null };
    const mine = this.factsOf(section, d);
    let best: { h: Held; diffs: string[] } | null = null;
    for (const h of found) {
      const diffs = Object.keys(mine)
        // A fact the document does not give is not a difference (a dose left out is not a new dose).
        .filter((k) => mine[k] !== null && mine[k] !== '' && norm(mine[k]) !== norm(h.facts[k]))
        .map((k) => `${k} ${h.facts[k] ?? 'not recorded'} here, ${mine[k]} in the document`);
      if (best === null || diffs.length < best.diffs.length) best = { h, diffs };
      if (diffs.length === 0) break;
    }
    const b = best!;
    return {
      match: b.diffs.length === 0 ? 'same' : 'different',
      matchType: b.h.entity,
      matchId: b.h.id,
      differs: b.diffs.length === 0 ? null : b.diffs.join('; '),
    };
  }
}

/** Rows per multi-row INSERT: a handful of statements (each prepared once) for a document's hundred results. */
const ROWS_PER_INSERT = 32;

/**
 * Writes drafts as chart rows inside the caller's writer.write: each row with its audit entry and
 * sync entry (write-once rows, the bulk of a document, share one audit entry per kind and one
 * outbox call, as lab filing does). Old lab history is filed as reviewed (ImportFiling).
 */
export class ChartRows {
  private readonly st: StatementCache;
  private readonly appended = new Map<EntityName, string[]>();
  /** Write-once rows not yet inserted, by table and columns (see flush). */
  private readonly pending = new Map<string, { table: string; cols: string[]; values: (string | number | null)[]; rows: number }>();
  private readonly filing: ImportFiling;
  private toFile: { id: string; category: unknown; at: unknown }[] = [];

  constructor(
    private readonly repos: Repos,
    private readonly actor: Actor,
    private readonly at: string,
    private readonly patientId: string,
    private readonly action: string,
    /** When an entry gives no time of its own (a medication without a start): the document's time, else now. */
    private readonly fallbackAt: string,
  ) {
    this.st = statementsFor(repos.store.sqlite);
    this.filing = new ImportFiling(repos, actor, at);
  }

  /** Writes the draft; returns `entity:id` of the row (a medication: its start event). */
  write(d: ChartDraft): { entity: EntityName; id: string } {
    const row = { ...d.row };
    if (row['effective_at'] === '') row['effective_at'] = this.fallbackAt;
    if (row['recorded_at'] === '') row['recorded_at'] = this.at;
    if (d.entity === 'medication_event') row['course_id'] = newId();
    const id = this.insert(d.entity, d.table, row);
    if (d.stop) this.insert(d.entity, d.table, { ...row, event: 'stop', effective_at: d.stop.effective_at ?? this.at, reason: d.stop.reason });
    if (d.entity === 'observation') this.toFile.push({ id, category: row['category'], at: row['effective_at'] });
    return { entity: d.entity, id };
  }

  private insert(entity: EntityName, table: string, row: Record<string, string | number | null>): string {
    const id = newId();
    const full: Record<string, string | number | null> = {
      id,
      patient_id: this.patientId,
      ...row,
      created_at: this.at,
      created_by: this.actor.userId,
      updated_at: this.at,
      updated_by: this.actor.userId,
    };
    const cols = Object.keys(full);
    if (ENTITIES[entity].kind === 'append') {
      // Important: write-once rows are inserted several to a statement at flush() (a document's results are the bulk of its rows).
      const key = `${table}|${cols.join(',')}`;
      let group = this.pending.get(key);
      if (!group) this.pending.set(key, (group = { table, cols, values: [], rows: 0 }));
      for (const c of cols) group.values.push(full[c] ?? null);
      if (++group.rows === ROWS_PER_INSERT) this.flushGroup(key, group);
      const list = this.appended.get(entity);
      if (list) list.push(id);
      else this.appended.set(entity, [id]);
    } else {
      const stmt = this.st.get(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`);
      const written = stmt.get(cols.map((c) => full[c])) as StoredRow;
      this.repos.writer.record(this.at, { action: this.action, actor: this.actor, patientId: this.patientId, entity, id, op: 'insert', payload: written });
    }
    return id;
  }

  private flushGroup(key: string, g: { table: string; cols: string[]; values: (string | number | null)[]; rows: number }): void {
    if (g.rows === 0) return;
    const one = `(${g.cols.map(() => '?').join(', ')})`;
    this.st.get(`INSERT INTO ${g.table} (${g.cols.join(', ')}) VALUES ${Array.from({ length: g.rows }, () => one).join(', ')}`).run(g.values);
    this.pending.delete(key);
  }

  /** Inserts every write-once row still waiting (before anything reads or refers to them). */
  private flush(): void {
    for (const [key, g] of this.pending) this.flushGroup(key, g);
  }

  /** After the last write: the sync entries and one audit entry per kind of write-once row. */
  finish(detail: string): void {
    this.flush();
    for (const [entity, ids] of this.appended) {
      this.repos.writer.syncInsertedMany(this.at, entity, ids, this.actor, this.patientId);
      this.repos.writer.audited(
        this.at,
        this.action,
        this.actor,
        this.patientId,
        entity,
        ids.length === 1 ? ids[0]! : '',
        `${ids.length} ${entity} rows ${detail}`,
      );
    }
    this.appended.clear();
    // Important: after the observations' own outbox entries (a device receives a result before its acknowledgement).
    this.filing.considerMany(this.patientId, this.toFile);
    this.toFile = [];
    this.filing.audit(this.patientId);
  }
}
