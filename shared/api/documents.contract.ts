import { z } from 'zod';
import { DOCUMENT_ORIGINS, DOCUMENT_STATUSES, documentCategory, documentMimeType } from '../domain/records';

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

export const documentsChannels = {};
