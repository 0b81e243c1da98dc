import { z } from 'zod';
import { isoDate } from '../domain/clinical';
import { DOCUMENT_MAX_BYTES, DOCUMENT_ORIGINS, DOCUMENT_STATUSES, documentCategory, documentMimeType, tooLargeMessage } from '../domain/records';
import type { Role } from '../domain/user';
import { channel, none, ofPatient } from './channel';

/**
 * Documents in the chart and the unfiled scan/fax inbox.
 */

/** One document's description, without its bytes (open gives those). */
export const documentMeta = z.object({
  id: z.string(),
  patientId: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  category: documentCategory.nullable(),
  title: z.string(),
  /** The date the document speaks of (YYYY-MM-DD). */
  documentDate: z.string().nullable(),
  source: z.string().nullable(),
  mimeType: documentMimeType,
  sizeBytes: z.number(),
  sha256: z.string(),
  chunkCount: z.number(),
  origin: z.enum(DOCUMENT_ORIGINS),
  originRef: z.string().nullable(),
  orderId: z.string().nullable(),
  referralId: z.string().nullable(),
  filedBy: z.string().nullable(),
  filedAt: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  /** Whether every byte is on this device (false: the row came by sync, the content is on the clinic server). */
  contentHere: z.boolean(),
});
export type DocumentMeta = z.infer<typeof documentMeta>;

/** Staff who scan, file and attach documents (never billing: documents hold health information). */
const STAFF: readonly Role[] = ['physician', 'nurse', 'front_desk'];
/** Who sets this device's scan folder: the desk, and administrators who set devices up. */
const SETUP: readonly Role[] = ['physician', 'nurse', 'front_desk', 'admin'];

const id = z.uuid();
const title = z.string().trim().min(1, 'give the document a title').max(200, 'a title of at most 200 characters');
const source = z.string().trim().max(200, 'a source of at most 200 characters');
const note = z.string().trim().max(2000, 'a note of at most 2,000 characters');

/** Base64 of at most DOCUMENT_MAX_BYTES bytes. */
export const DOCUMENT_MAX_BASE64 = Math.ceil(DOCUMENT_MAX_BYTES / 3) * 4;

/**
 * A file's content as base64. Important: the length is checked first and stops the checks there
 * (abort), so a 200 MB string is refused with one message without being scanned or decoded.
 */
export const fileBase64 = z
  .string()
  .min(1, 'the file is empty: there is nothing to keep')
  .max(DOCUMENT_MAX_BASE64, {
    // The size from the string's length alone (3 bytes per 4 characters): nothing is decoded.
    error: (iss) => tooLargeMessage(Math.floor(((typeof iss.input === 'string' ? iss.input.length : 0) * 3) / 4)),
    abort: true,
  })
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'the file did not arrive whole (its content is not base64): pick it again');

const fileName = z.string().trim().min(1, 'the file has no name').max(255, 'a file name of at most 255 characters');

/** A document and its content. */
export const openedDocument = z.object({ document: documentMeta, dataBase64: z.string() });

/** Where the scanner or fax software drops its files (null: no folder is watched on this device). */
export const inboxSettings = z.object({ dir: z.string().nullable() });

export const documentsChannels = {
  'documents.list': channel({
    doc: "A chart's documents, newest document date first (optionally one category).",
    roles: STAFF,
    scope: ofPatient,
    input: z.object({ patientId: id, category: documentCategory.optional() }).strict(),
    output: z.array(documentMeta),
  }),
  'documents.attach': channel({
    doc: 'Attaches a PDF or image (JPEG, PNG, TIFF) to a chart with a category, date and source; its type is read from its bytes.',
    roles: STAFF,
    scope: ofPatient,
    input: z
      .object({
        patientId: id,
        category: documentCategory,
        title,
        documentDate: isoDate.nullable().default(null),
        source: source.nullable().default(null),
        fileName,
        dataBase64: fileBase64,
        note: note.optional(),
      })
      .strict(),
    output: documentMeta,
  }),
  'documents.open': channel({
    doc: 'A document with its content (audited as a read of the chart); refused not_available when the content is on the clinic server only.',
    roles: STAFF,
    scope: (i, o) => [o('document', i.id)],
    input: z.object({ id }).strict(),
    output: openedDocument,
  }),
  'documents.update': channel({
    doc: "Changes a document's title, category, date or note (refused if someone changed it since `version`).",
    roles: STAFF,
    scope: (i, o) => [o('document', i.id)],
    input: z
      .object({
        id,
        version: z.number().int().positive(),
        title: title.optional(),
        category: documentCategory.optional(),
        documentDate: isoDate.nullable().optional(),
        note: note.nullable().optional(),
      })
      .strict(),
    output: documentMeta,
  }),
  'documents.remove': channel({
    doc: 'Removes a document from the chart or the inbox, with the reason (audited; the content is kept).',
    roles: STAFF,
    scope: (i, o) => [o('document', i.id)],
    input: z.object({ id, reason: z.string().trim().min(3, 'say why the document is removed').max(500) }).strict(),
    output: documentMeta,
  }),
  'documents.inbox': channel({
    doc: 'The unfiled scan/fax queue, oldest first.',
    roles: STAFF,
    // Unfiled documents belong to no chart yet.
    scope: 'none',
    input: none,
    output: z.array(documentMeta),
  }),
  'documents.inboxCount': channel({
    doc: 'How many documents wait in the unfiled queue and when the newest came: no titles or contents, so it is not audited and may be asked often (the navigation polls it).',
    roles: STAFF,
    // Polled by the navigation on its own: not activity for the idle sign-out.
    passive: true,
    scope: 'none',
    input: none,
    output: z.object({ waiting: z.number().int().nonnegative(), newestAt: z.string().nullable() }),
  }),
  'documents.inboxAdd': channel({
    doc: 'Puts a file picked at the desk into the unfiled queue (same checks as attach).',
    roles: STAFF,
    scope: 'none',
    input: z.object({ fileName, dataBase64: fileBase64, source: source.nullable().default(null), title: title.optional() }).strict(),
    output: documentMeta,
  }),
  'documents.file': channel({
    doc: 'Files an unfiled document into the chart staff chose, with its category, title and date (and the order or referral it answers).',
    roles: STAFF,
    scope: (i, o) => [o('document', i.id), i.patientId],
    input: z
      .object({
        id,
        patientId: id,
        category: documentCategory,
        title,
        documentDate: isoDate.nullable().default(null),
        orderId: id.nullable().optional(),
        referralId: id.nullable().optional(),
      })
      .strict(),
    output: documentMeta,
  }),
  'documents.inboxSettings': channel({
    doc: 'The scan/fax folder this device watches.',
    roles: SETUP,
    scope: 'none',
    input: none,
    output: inboxSettings,
  }),
  'documents.setInboxSettings': channel({
    doc: 'Sets (or, null, clears) the scan/fax folder this device watches; the folder must exist and be writable.',
    roles: SETUP,
    scope: 'none',
    input: z.object({ dir: z.string().trim().min(1, 'choose a folder').max(1000).nullable() }).strict(),
    output: inboxSettings,
  }),
};
