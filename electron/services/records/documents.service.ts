import { basename } from 'node:path';
import { CairnFailure } from '../../../shared/api/result';
import { DOCUMENT_MAX_BYTES, tooLargeMessage, type DocumentCategory, type DocumentMimeType } from '../../../shared/domain/records';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import type { DocumentFetcher } from './document-fetcher';
import { NOT_HERE_MESSAGE } from './document-fetcher';
import { typeOfUpload } from './document-sniff';
import { DocumentStore, sha256Hex, type DocumentMeta, type DocumentOrigin } from './document-store';

/** A file picked at the desk, read from the command line or found in the scan folder. */
export interface IncomingFile {
  fileName: string;
  bytes: Uint8Array;
}

/** "2024-03-01_Mercy_Radiology-CT.pdf" → "2024-03-01 Mercy Radiology CT" (dates keep their dashes): what staff see until they give a better title. */
export function titleFromFileName(fileName: string): string {
  const stem = basename(fileName).replace(/\.[a-z0-9]{1,5}$/i, '');
  const t = stem
    .replace(/[_]+/g, ' ')
    .replace(/\s+-\s*|(?<=[A-Za-z])-|-(?=[A-Za-z])/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (t || 'Untitled document').slice(0, 200);
}

/**
 * Decodes a file's base64 after the contract checked its alphabet and length, refusing (before the
 * bytes are sniffed) a content over the limit that the string's length alone did not catch.
 */
export function decodeBase64(dataBase64: string): Uint8Array {
  // 3 bytes per 4 characters, less the padding: known without decoding.
  const size = Math.floor((dataBase64.length * 3) / 4) - (dataBase64.endsWith('==') ? 2 : dataBase64.endsWith('=') ? 1 : 0);
  if (size > DOCUMENT_MAX_BYTES) throw new CairnFailure('invalid_input', tooLargeMessage(size), [{ path: 'dataBase64', message: 'too large' }]);
  return Buffer.from(dataBase64, 'base64');
}

/** The type of an incoming file, or `invalid_input` with the reason. */
function typeOf(file: IncomingFile): { mime: DocumentMimeType } {
  if (file.bytes.length > DOCUMENT_MAX_BYTES)
    throw new CairnFailure('invalid_input', tooLargeMessage(file.bytes.length), [{ path: 'file', message: 'too large' }]);
  const t = typeOfUpload(file.fileName, file.bytes);
  if ('refusal' in t) throw new CairnFailure('invalid_input', t.refusal, [{ path: 'file', message: t.refusal }]);
  return t;
}

/**
 * Documents as the desk, the command line and the scan folder use them: a file becomes a document
 * (its type read from its bytes), in a chart or in the unfiled queue; opening one brings its bytes
 * (from the clinic server through the fetcher when they are not here).
 */
export class DocumentsService {
  readonly store: DocumentStore;

  constructor(
    private readonly repos: Repos,
    private readonly fetcher?: DocumentFetcher,
  ) {
    this.store = new DocumentStore(repos);
  }

  /** Attaches a file to a chart. */
  attach(
    actor: Actor,
    i: {
      patientId: string;
      category: DocumentCategory;
      title: string;
      documentDate: string | null;
      source: string | null;
      note?: string | undefined;
      origin?: DocumentOrigin;
    } & IncomingFile,
  ): DocumentMeta {
    const { mime } = typeOf(i);
    return this.repos.writer.write((at) =>
      this.store.add(at, actor, {
        patientId: i.patientId,
        status: 'filed',
        category: i.category,
        title: i.title,
        documentDate: i.documentDate,
        source: i.source ?? basename(i.fileName),
        mimeType: mime,
        bytes: i.bytes,
        origin: i.origin ?? 'upload',
        note: i.note ?? null,
      }),
    );
  }

  /** Puts a file into the unfiled queue (no chart: staff pick the patient when they file it). */
  addToInbox(actor: Actor, i: IncomingFile & { source: string | null; title?: string | undefined; origin?: DocumentOrigin }): DocumentMeta {
    const { mime } = typeOf(i);
    return this.repos.writer.write((at) =>
      this.store.add(at, actor, {
        patientId: null,
        status: 'unfiled',
        category: null,
        title: i.title ?? titleFromFileName(i.fileName),
        documentDate: null,
        source: i.source ?? `Picked at the desk: ${basename(i.fileName)}`,
        mimeType: mime,
        bytes: i.bytes,
        origin: i.origin ?? 'upload',
      }),
    );
  }

  /**
   * A file from the scan/fax folder into the unfiled queue. Idempotent: a file kept just before the
   * program stopped (and so not yet moved out of the folder) is found again by its name and hash,
   * not kept twice.
   */
  scanned(actor: Actor, i: IncomingFile & { source: string }): DocumentMeta {
    const sha = sha256Hex(i.bytes);
    const existing = this.repos.store.sqlite
      .prepare("SELECT id FROM documents WHERE origin = 'scan' AND origin_ref = ? AND sha256 = ? AND deleted_at IS NULL")
      .get(basename(i.fileName), sha) as { id: string } | undefined;
    if (existing) return this.store.require(existing.id);
    const { mime } = typeOf(i);
    return this.repos.writer.write((at) =>
      this.store.add(at, actor, {
        patientId: null,
        status: 'unfiled',
        category: null,
        title: titleFromFileName(i.fileName),
        documentDate: null,
        source: i.source,
        mimeType: mime,
        bytes: i.bytes,
        origin: 'scan',
        originRef: basename(i.fileName),
      }),
    );
  }

  /**
   * A document and its content, the read audited as `document.opened` on its chart. Content not on
   * this device is fetched first (when a fetcher is wired), else refused `not_available`.
   */
  async open(actor: Actor, id: string): Promise<{ document: DocumentMeta; bytes: Uint8Array }> {
    const document = this.store.require(id);
    let bytes = this.store.bytes(id);
    if (!bytes && this.fetcher) {
      await this.fetcher.fetch(id);
      bytes = this.store.bytes(id);
    }
    if (!bytes) throw new CairnFailure('not_available', NOT_HERE_MESSAGE);
    this.repos.writer.read('document.opened', actor, document.patientId, 'document', id);
    return { document: this.store.require(id), bytes };
  }
}
