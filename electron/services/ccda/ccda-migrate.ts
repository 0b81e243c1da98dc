import { CCDA_SECTIONS, type CcdaPatient, type SectionCounts, type Skipped } from '../../../shared/ccda/model';
import { patientInput } from '../../../shared/domain/patient';
import { newId } from '../../common/ids';
import { statementsFor } from '../db/statement-cache';
import { loadSnomedIcd10 } from '../fhir/import';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor } from '../repos/writer';
import { ChartIndex, ChartRows } from './ccda-chart';
import { keepXml, recordImport } from './ccda-import.service';
import { draftsOf, patientName, readDocument, type ReadDocument } from './ccda-read';

/** What `cairn import ccda` prints for one file (one JSON line). */
export interface MigrationLine {
  file: string;
  patientId: string | null;
  patient: 'created' | 'matched' | 'review' | null;
  /** Rows written into the chart, per section (all zero when already imported or sent to review). */
  counts: SectionCounts | null;
  skipped: Skipped[];
  /** Set when the document was imported before (same document id): nothing was written again. */
  alreadyImported?: true;
  /** Set for a document that could not be imported at all. */
  error?: string;
}

interface Candidate {
  id: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  sex: string;
  mrn: string;
}

const n = (s: string | undefined | null): string => (s ?? '').trim().toLowerCase();

/** A given name that may be the same person's written another way: "Bob"/"Robert" aside, a prefix or a shared first three letters. */
function givenVariant(a: string, b: string): boolean {
  if (!a || !b) return false;
  return a.startsWith(b) || b.startsWith(a) || (a.length >= 3 && b.length >= 3 && a.slice(0, 3) === b.slice(0, 3));
}

/**
 * Migration mode (a practice moving to Cairn): each document's patient is matched to a chart by
 * family and given name (case aside), birth date and sex; no chart → one is made (MRN by rule);
 * anything uncertain (two charts, or the same name and birth date with another sex, or a given-name
 * variant) goes to the duplicate review and its history is skipped, never guessed. The history is
 * written directly ("imported from <source>"), with the XML attached, in one transaction per file.
 */
export class CcdaMigration {
  private readonly snomed: ReadonlyMap<string, string>;

  constructor(
    private readonly repos: Repos,
    private readonly actor: Actor,
  ) {
    this.snomed = loadSnomedIcd10(repos.resources);
  }

  /**
   * Runs several files' imports in one outer transaction: each file still commits or rolls back
   * alone (a savepoint), but the encrypted file is written once for the lot, as FhirImporter.batch
   * does (a commit costs milliseconds, as much as a whole document's rows). If the process dies
   * mid-batch none of it is kept, and running the files again picks them up (already imported ones
   * are recognised by their document id).
   */
  batch<T>(fn: () => T): T {
    return this.repos.store.sqlite.transaction(fn).immediate();
  }

  /** Imports one file; never throws for a bad document (the line carries the error). */
  importFile(file: string, bytes: Uint8Array): MigrationLine {
    let read: ReadDocument;
    try {
      read = readDocument(bytes);
    } catch (e) {
      return { file, patientId: null, patient: null, counts: null, skipped: [], error: e instanceof Error ? e.message : String(e) };
    }
    return this.importDocument(file, read);
  }

  /** Imports a document already read (see CcdaReadPool); never throws (the line carries the error). */
  importDocument(file: string, read: ReadDocument): MigrationLine {
    try {
      return this.importRead(file, read);
    } catch (e) {
      return { file, patientId: null, patient: null, counts: null, skipped: [], error: e instanceof Error ? e.message : String(e) };
    }
  }

  private importRead(file: string, read: ReadDocument): MigrationLine {
    const repos = this.repos;
    const st = statementsFor(repos.store.sqlite);
    const p = read.doc.header.patient!;
    const before = st
      .get(
        `SELECT i.patient_id FROM ccda_imports i JOIN documents d ON d.id = i.document_id
          WHERE i.mode = 'migration' AND d.origin_ref = ? AND i.deleted_at IS NULL LIMIT 1`,
      )
      .get(read.key) as { patient_id: string } | undefined;
    if (before)
      return {
        file,
        patientId: before.patient_id,
        patient: 'matched',
        counts: null,
        skipped: [{ section: 'header', reason: 'already imported (same document id): nothing written again' }],
        alreadyImported: true,
      };
    if (!p.birthDate)
      return {
        file,
        patientId: null,
        patient: null,
        counts: null,
        skipped: [],
        error: 'the document gives no full birth date: a chart cannot be matched or made safely',
      };
    const sourceName = read.doc.header.sourceName || 'an outside record';
    const { drafted, skipped } = draftsOf(read.doc, { provenance: `imported from ${sourceName}`, snomedToIcd10: this.snomed });
    return repos.writer.write((at) => {
      const candidates = st
        .get(
          `SELECT id, given_name, family_name, birth_date, sex, mrn FROM patients WHERE lower(family_name) = ? AND birth_date = ? AND deleted_at IS NULL AND merged_into IS NULL`,
        )
        .all(n(p.family), p.birthDate) as Candidate[];
      const given = n(p.given[0]);
      const exact = candidates.filter((c) => n(c.given_name) === given && c.sex === p.sex);
      const partial = candidates.filter(
        (c) => !exact.includes(c) && ((n(c.given_name) === given && c.sex !== p.sex) || (c.sex === p.sex && givenVariant(n(c.given_name), given))),
      );
      if (exact.length === 1) return this.writeHistory(at, file, read, exact[0]!.id, 'matched', drafted, skipped);
      if (exact.length > 1 || partial.length > 0) return this.review(at, file, read, p, [...exact, ...partial]);
      const chart = this.createChart(p);
      return this.writeHistory(at, file, read, chart, 'created', drafted, skipped);
    });
  }

  private createChart(p: CcdaPatient): string {
    const base = {
      givenName: p.given[0] ?? '',
      middleName: p.given.slice(1).join(' ') || undefined,
      familyName: p.family,
      birthDate: p.birthDate!,
      sex: p.sex,
    };
    const addr = p.address;
    const full = patientInput.safeParse({
      ...base,
      ...(p.phone && { phone: p.phone }),
      ...(p.email && { email: p.email }),
      ...(addr && {
        address: {
          line1: addr.lines[0] ?? undefined,
          line2: addr.lines[1] ?? undefined,
          city: addr.city ?? undefined,
          state: addr.state ?? undefined,
          postalCode: addr.postalCode ?? undefined,
        },
      }),
    });
    // Contact details the registration rules refuse (a malformed phone) are left out, not the chart.
    const input = full.success ? full.data : patientInput.parse(base);
    return this.repos.patients.create(input, this.actor).id;
  }

  private writeHistory(
    at: string,
    file: string,
    read: ReadDocument,
    patientId: string,
    how: 'created' | 'matched',
    drafted: ReturnType<typeof draftsOf>['drafted'],
    skipped: Skipped[],
  ): MigrationLine {
    const repos = this.repos;
    const index = how === 'matched' ? new ChartIndex(repos, patientId) : null;
    const fallback = read.doc.header.effectiveTime ?? at;
    const rows = new ChartRows(repos, this.actor, at, patientId, 'ccda.import.migration', fallback.includes('T') ? new Date(fallback).toISOString() : fallback);
    const counts = Object.fromEntries(CCDA_SECTIONS.map((s) => [s, 0])) as SectionCounts;
    const notes = [...skipped];
    for (const { section, draft } of drafted) {
      // Already in the chart (an earlier document of the same history): not written twice.
      if (index && index.classify(section, draft).match === 'same') {
        notes.push({ section, reason: `already in the chart: ${draft.summary}` });
        continue;
      }
      const w = rows.write(draft);
      index?.remember(section, draft, w.id);
      counts[section]++;
    }
    rows.finish(`imported from ${read.doc.header.sourceName}`);
    const documentId = keepXml(repos, at, this.actor, patientId, read, file);
    recordImport(repos, at, this.actor, { patientId, documentId, read, mode: 'migration', counts, skipped: notes });
    return { file, patientId, patient: how, counts, skipped: notes };
  }

  /**
   * Uncertain: a chart is made for the document's patient (so the review can set the two side by
   * side) and a possible duplicate recorded for the existing duplicate review; the XML is kept on
   * the new chart, its history is not written (merge or dismiss, then import the file again).
   */
  private review(at: string, file: string, read: ReadDocument, p: CcdaPatient, others: Candidate[]): MigrationLine {
    const repos = this.repos;
    const exact = others.filter((c) => n(c.given_name) === n(p.given[0]) && c.sex === p.sex);
    // Two charts already answer to this person: the review is between them, no third chart is made.
    const patientId = exact.length > 1 ? exact[0]!.id : this.createChart(p);
    const pairs = exact.length > 1 ? exact.slice(1) : others;
    const insert = statementsFor(repos.store.sqlite).get(
      `INSERT INTO sync_conflicts (id, kind, entity, entity_id, patient_id, field, "values", winner, status, created_at, updated_at, updated_by)
       VALUES (?, 'duplicate_patient', 'patient', ?, ?, NULL, ?, 'null', 'open', ?, ?, ?) RETURNING *`,
    );
    for (const other of pairs) {
      const id = newId();
      const row = insert.get(id, patientId, patientId, JSON.stringify([{ patientId: other.id }, { patientId }]), at, at, this.actor.userId) as StoredRow;
      repos.writer.record(at, {
        action: 'ccda.import.possible_duplicate',
        actor: this.actor,
        patientId,
        entity: 'sync_conflict',
        id,
        op: 'insert',
        payload: row,
        detail: `${patientName(p)} may be MRN ${other.mrn}`,
      });
    }
    if (exact.length <= 1) keepXml(repos, at, this.actor, patientId, read, file);
    const which = others.map((c) => `MRN ${c.mrn} (${c.given_name} ${c.family_name}, ${c.birth_date}, ${c.sex})`).join(', ');
    const reason = `possible duplicate of ${which}: sent to the duplicate review; merge or dismiss it, then import this file again`;
    return {
      file,
      patientId,
      patient: 'review',
      counts: Object.fromEntries(CCDA_SECTIONS.map((s) => [s, 0])) as SectionCounts,
      skipped: CCDA_SECTIONS.filter((s) => read.counts[s] > 0).map((section) => ({ section, reason })),
    };
  }
}
