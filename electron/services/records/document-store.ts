import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { DocumentMeta } from '../../../shared/api/documents.contract';
import { CairnFailure } from '../../../shared/api/result';
import { DOCUMENT_CHUNK_BYTES, DOCUMENT_MAX_BYTES, tooLargeMessage, type DocumentCategory, type DocumentMimeType } from '../../../shared/domain/records';
import { newId } from '../../common/ids';
import { statementsFor, type StatementCache } from '../db/statement-cache';
import type { Repos } from '../repos';
import type { StoredRow } from '../repos/stored-row';
import type { Actor, ClinicalWriter } from '../repos/writer';
import { contentRefusal } from './document-sniff';

export type { DocumentMeta } from '../../../shared/api/documents.contract';

export type DocumentOrigin = 'upload' | 'scan' | 'hl7' | 'ccda' | 'generated';

/** A document to keep: its description and its bytes (checked against `mimeType` before anything is written). */
export interface NewDocument {
  /** null only while unfiled (the scan/fax inbox). */
  patientId: string | null;
  status: 'unfiled' | 'filed';
  /** Required when filed; null while unfiled. */
  category: DocumentCategory | null;
  title: string;
  documentDate: string | null;
  source: string | null;
  mimeType: DocumentMimeType;
  bytes: Uint8Array;
  origin: DocumentOrigin;
  originRef?: string | null;
  orderId?: string | null;
  referralId?: string | null;
  note?: string | null;
}

/** What filing an unfiled document into a chart sets. */
export interface Filing {
  patientId: string;
  category: DocumentCategory;
  title: string;
  documentDate: string | null;
  orderId?: string | null | undefined;
  referralId?: string | null | undefined;
}

/** What a person may change on a document (the bytes never change: a new file is a new document). */
export interface DocumentChanges {
  title?: string | undefined;
  category?: DocumentCategory | undefined;
  documentDate?: string | null | undefined;
  note?: string | null | undefined;
}

interface DocumentRow {
  id: string;
  patient_id: string | null;
  status: DocumentMeta['status'];
  category: DocumentCategory | null;
  title: string;
  document_date: string | null;
  source: string | null;
  mime_type: DocumentMimeType;
  size_bytes: number;
  sha256: string;
  chunk_count: number;
  origin: DocumentOrigin;
  origin_ref: string | null;
  order_id: string | null;
  referral_id: string | null;
  filed_by: string | null;
  filed_at: string | null;
  note: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
  complete: number | null;
}

const SELECT = `SELECT d.*, s.complete FROM documents d LEFT JOIN document_content_state s ON s.document_id = d.id`;

function toMeta(r: DocumentRow): DocumentMeta {
  return {
    id: r.id,
    patientId: r.patient_id,
    status: r.status,
    category: r.category,
    title: r.title,
    documentDate: r.document_date,
    source: r.source,
    mimeType: r.mime_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    chunkCount: r.chunk_count,
    origin: r.origin,
    originRef: r.origin_ref,
    orderId: r.order_id,
    referralId: r.referral_id,
    filedBy: r.filed_by,
    filedAt: r.filed_at,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    version: r.version,
    contentHere: r.complete === 1,
  };
}

/** The number of chunks `size` bytes take (an empty document is refused before this matters). */
export function chunkCountOf(size: number): number {
  return Math.max(1, Math.ceil(size / DOCUMENT_CHUNK_BYTES));
}

/** SHA-256 of the bytes, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Documents and their bytes on this device. The row is a synced `document` (written through the
 * ClinicalWriter: audit and outbox with it); the bytes are local chunks inside the encrypted
 * database, so a document's content is never a plaintext file on the disk.
 *
 * Important: the writing methods run INSIDE the caller's `repos.writer.write((at) => …)`, so a
 * document and whatever it comes with (a C-CDA import, an order it closes) commit together.
 */
export class DocumentStore {
  private readonly sqlite: Database.Database;
  private readonly writer: ClinicalWriter;
  private readonly stmts: StatementCache;

  constructor(private readonly repos: Repos) {
    this.sqlite = repos.store.sqlite;
    this.writer = repos.writer;
    this.stmts = statementsFor(this.sqlite);
  }

  /** Refusal of bytes Cairn will not keep as `mime` (empty, too large, not what they claim), as a CairnFailure. */
  static check(bytes: Uint8Array, mime: DocumentMimeType): void {
    if (bytes.length > DOCUMENT_MAX_BYTES) throw new CairnFailure('invalid_input', tooLargeMessage(bytes.length), [{ path: 'file', message: 'too large' }]);
    const refusal = contentRefusal(bytes, mime);
    if (refusal) throw new CairnFailure('invalid_input', refusal, [{ path: 'file', message: refusal }]);
  }

  /** Inside writer.write: keeps a new document (row + audit + outbox, its chunks, its content state). */
  add(at: string, actor: Actor, input: NewDocument): DocumentMeta {
    DocumentStore.check(input.bytes, input.mimeType);
    this.checkPlacement(input.status, input.patientId, input.category);
    const title = input.title.trim();
    if (!title) throw new CairnFailure('invalid_input', 'give the document a title', [{ path: 'title', message: 'required' }]);
    const id = newId();
    const chunkCount = chunkCountOf(input.bytes.length);
    const filed = input.status === 'filed';
    const values: Record<string, string | number | null> = {
      id,
      created_at: at,
      created_by: actor.userId,
      updated_at: at,
      updated_by: actor.userId,
      version: 1,
      patient_id: input.patientId,
      status: input.status,
      category: input.category,
      title,
      document_date: input.documentDate,
      source: input.source,
      mime_type: input.mimeType,
      size_bytes: input.bytes.length,
      sha256: sha256Hex(input.bytes),
      chunk_count: chunkCount,
      origin: input.origin,
      origin_ref: input.originRef ?? null,
      order_id: input.orderId ?? null,
      referral_id: input.referralId ?? null,
      filed_by: filed ? actor.userId : null,
      filed_at: filed ? at : null,
      note: input.note ?? null,
    };
    const cols = Object.keys(values);
    const sql = `INSERT INTO documents (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING *`;
    const stored = this.stmts.get(sql).get(...cols.map((c) => values[c])) as StoredRow;
    const detail = JSON.stringify({ origin: input.origin, status: input.status, mimeType: input.mimeType, sizeBytes: input.bytes.length });
    this.writer.record(at, { action: 'document.added', actor, patientId: input.patientId, entity: 'document', id, op: 'insert', payload: stored, detail });
    this.putChunks(id, input.bytes);
    this.stmts.get('INSERT INTO document_content_state (document_id, complete, uploaded, last_error, updated_at) VALUES (?, 1, 0, NULL, ?)').run(id, at);
    return this.require(id);
  }

  /** The document (deleted ones too: the caller decides), or null. */
  meta(id: string): DocumentMeta | null {
    const r = this.stmts.get(`${SELECT} WHERE d.id = ?`).get(id) as DocumentRow | undefined;
    return r ? toMeta(r) : null;
  }

  /** The document, or `not_found` (a removed document counts as gone). */
  require(id: string): DocumentMeta {
    const r = this.stmts.get(`${SELECT} WHERE d.id = ? AND d.deleted_at IS NULL`).get(id) as DocumentRow | undefined;
    if (!r) throw new CairnFailure('not_found', `no document with id ${id}`);
    return toMeta(r);
  }

  /** Whether every chunk of the document is on this device. */
  contentHere(id: string): boolean {
    return (this.stmts.get('SELECT complete FROM document_content_state WHERE document_id = ?').get(id) as { complete: number } | undefined)?.complete === 1;
  }

  /**
   * The whole content, put together again and checked against its SHA-256; null when not every
   * chunk is on this device. A mismatch is refused: a damaged document is never shown as if whole.
   */
  bytes(id: string): Uint8Array | null {
    const doc = this.stmts.get('SELECT size_bytes AS size, sha256, chunk_count AS chunks FROM documents WHERE id = ?').get(id) as
      { size: number; sha256: string; chunks: number } | undefined;
    if (!doc) return null;
    const parts = this.stmts.get('SELECT idx, data FROM document_chunks WHERE document_id = ? ORDER BY idx').all(id) as { idx: number; data: Buffer }[];
    if (parts.length !== doc.chunks || parts.some((p, i) => p.idx !== i)) return null;
    const out = Buffer.concat(
      parts.map((p) => p.data),
      doc.size,
    );
    if (out.length !== doc.size || sha256Hex(out) !== doc.sha256)
      throw new CairnFailure(
        'database_error',
        "this document's content on this device is damaged (its checksum does not match): restore it from the clinic server or a backup",
      );
    return out;
  }

  /** A chart's documents (not removed, filed), newest document date first; undated ones last, newest added first. */
  listForPatient(patientId: string, category?: DocumentCategory): DocumentMeta[] {
    const rows = this.stmts
      .get(
        `${SELECT} WHERE d.patient_id = ? AND d.deleted_at IS NULL AND d.status = 'filed' AND (? IS NULL OR d.category = ?)
         ORDER BY d.document_date IS NULL, d.document_date DESC, d.created_at DESC`,
      )
      .all(patientId, category ?? null, category ?? null) as DocumentRow[];
    return rows.map(toMeta);
  }

  /** The unfiled queue (scan/fax inbox), oldest first: what waited longest is filed first. */
  inbox(): DocumentMeta[] {
    const rows = this.stmts.get(`${SELECT} WHERE d.status = 'unfiled' AND d.deleted_at IS NULL ORDER BY d.created_at, d.id`).all() as DocumentRow[];
    return rows.map(toMeta);
  }

  /** How many documents wait unfiled, and when the newest was added. */
  inboxCount(): { waiting: number; newestAt: string | null } {
    return this.stmts.get(`SELECT count(*) AS waiting, max(created_at) AS newestAt FROM documents WHERE status = 'unfiled' AND deleted_at IS NULL`).get() as {
      waiting: number;
      newestAt: string | null;
    };
  }

  /** Inside writer.write: changes the title, category, date or note (refused `conflict` if someone changed it since `version`). */
  update(at: string, actor: Actor, id: string, changes: DocumentChanges, version: number): DocumentMeta {
    const doc = this.require(id);
    if (doc.version !== version)
      throw new CairnFailure('conflict', 'someone changed this document since you opened it: reopen it to see their change, then make yours');
    if (changes.category !== undefined && doc.status === 'unfiled')
      throw new CairnFailure('invalid_input', 'file this document into a chart to give it a category', [{ path: 'category', message: 'file it first' }]);
    const values: Record<string, string | null> = {};
    if (changes.title !== undefined) {
      const t = changes.title.trim();
      if (!t) throw new CairnFailure('invalid_input', 'give the document a title', [{ path: 'title', message: 'required' }]);
      values['title'] = t;
    }
    if (changes.category !== undefined) values['category'] = changes.category;
    if (changes.documentDate !== undefined) values['document_date'] = changes.documentDate;
    if (changes.note !== undefined) values['note'] = changes.note;
    if (Object.keys(values).length === 0) return doc;
    this.change(at, actor, doc, values, 'document.updated', JSON.stringify({ fields: Object.keys(values) }));
    return this.require(id);
  }

  /** Inside writer.write: removes the document from the chart (soft: the row and its bytes stay), with the reason audited. */
  remove(at: string, actor: Actor, id: string, reason: string): DocumentMeta {
    const doc = this.require(id);
    this.change(at, actor, doc, { deleted_at: at, deleted_by: actor.userId }, 'document.removed', JSON.stringify({ reason }));
    const after = this.meta(id);
    if (!after) throw new Error(`document ${id} vanished while being removed`);
    return after;
  }

  /** Inside writer.write: files an unfiled document into the chart staff chose (never a guessed one). */
  file(at: string, actor: Actor, id: string, f: Filing): DocumentMeta {
    const doc = this.require(id);
    if (doc.status !== 'unfiled') throw new CairnFailure('conflict', 'this document is already filed in a chart: open it there to change it');
    this.checkPlacement('filed', f.patientId, f.category);
    const title = f.title.trim();
    if (!title) throw new CairnFailure('invalid_input', 'give the document a title', [{ path: 'title', message: 'required' }]);
    const values: Record<string, string | null> = {
      status: 'filed',
      patient_id: f.patientId,
      category: f.category,
      title,
      document_date: f.documentDate,
      filed_by: actor.userId,
      filed_at: at,
    };
    if (f.orderId !== undefined) values['order_id'] = f.orderId;
    if (f.referralId !== undefined) values['referral_id'] = f.referralId;
    this.change(at, actor, { ...doc, patientId: f.patientId }, values, 'document.filed', JSON.stringify({ category: f.category }));
    if (doc.origin === 'hl7' && doc.originRef) this.settleHeldMessage(doc.originRef, doc.source, f.patientId);
    return this.require(id);
  }

  /**
   * An HL7 report (MDM) held for want of a matching chart was received as `queued`: once the last of
   * its documents is filed, the message is processed and names the chart, as a held result is when
   * matched by hand. Only on the device that received it (the message log is not synced).
   */
  private settleHeldMessage(controlId: string, source: string | null, patientId: string): void {
    this.stmts
      .get(
        `UPDATE hl7_messages SET status = 'processed', patient_id = @patient, error = NULL
          WHERE status = 'queued' AND message_type = 'MDM^T02' AND control_id = @ref
            AND 'HL7 MDM from ' || coalesce(nullif(sending_facility, ''), nullif(sending_application, ''), 'an unnamed sender') = @source
            AND NOT EXISTS (SELECT 1 FROM documents WHERE origin = 'hl7' AND origin_ref = @ref AND source = @source AND status = 'unfiled' AND deleted_at IS NULL)`,
      )
      .run({ ref: controlId, source: source ?? '', patient: patientId });
  }

  /** A filed document names a living-or-not but existing chart and a category; an unfiled one neither. */
  private checkPlacement(status: 'unfiled' | 'filed', patientId: string | null, category: DocumentCategory | null): void {
    if (status === 'unfiled') {
      if (patientId !== null) throw new CairnFailure('invalid_input', 'an unfiled document belongs to no chart yet: file it to put it in one');
      return;
    }
    if (patientId === null)
      throw new CairnFailure('invalid_input', 'choose the patient whose chart this document goes in', [{ path: 'patientId', message: 'required' }]);
    if (category === null) throw new CairnFailure('invalid_input', 'choose a category for the document', [{ path: 'category', message: 'required' }]);
    const p = this.stmts.get('SELECT id FROM patients WHERE id = ? AND deleted_at IS NULL').get(patientId);
    if (!p) throw new CairnFailure('not_found', `no patient with id ${patientId}`, [{ path: 'patientId', message: 'no such patient' }]);
  }

  private change(at: string, actor: Actor, doc: DocumentMeta, values: Record<string, string | null>, action: string, detail: string): void {
    const cols = Object.keys(values);
    const set = [...cols.map((c) => `${c} = ?`), 'updated_at = ?', 'updated_by = ?', 'version = version + 1'].join(', ');
    const stored = this.stmts.get(`UPDATE documents SET ${set} WHERE id = ? RETURNING *`).get(...cols.map((c) => values[c]), at, actor.userId, doc.id) as
      StoredRow | undefined;
    if (!stored) throw new CairnFailure('not_found', `no document with id ${doc.id}`);
    this.writer.record(at, { action, actor, patientId: doc.patientId, entity: 'document', id: doc.id, op: 'update', payload: stored, detail });
  }

  /** The bytes in DOCUMENT_CHUNK_BYTES pieces (views of the input: nothing is copied before SQLite copies it). */
  private putChunks(id: string, bytes: Uint8Array): void {
    const put = this.stmts.get('INSERT INTO document_chunks (document_id, idx, data) VALUES (?, ?, ?)');
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0, at = 0; at < buf.length; i++, at += DOCUMENT_CHUNK_BYTES) put.run(id, i, buf.subarray(at, at + DOCUMENT_CHUNK_BYTES));
  }
}
