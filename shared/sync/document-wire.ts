import { z } from 'zod';

// The wire of document bytes (/sync/documents), shared by the clinic server's routes and the
// device's DocumentTransfer. A document's row syncs through push and pull; its bytes travel here.

/** The clinic server's path for document bytes. */
export const DOCUMENTS_PATH = '/sync/documents';
/** Header carrying a chunk's SHA-256 (hex): sent with each upload, answered with each download. */
export const CHUNK_SHA_HEADER = 'x-chunk-sha256';

/** GET /sync/documents/:id — which chunks the server holds, so an interrupted upload resumes. */
export const documentHoldings = z.object({
  chunkCount: z.number().int().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string(),
  have: z.array(z.number().int().nonnegative()),
  /** Every chunk is held and the whole was checked against the row's SHA-256. */
  complete: z.boolean(),
});
export type DocumentHoldings = z.infer<typeof documentHoldings>;

/** PUT /sync/documents/:id/chunks/:idx — the answer to one chunk. */
export const chunkAccepted = z.object({
  stored: z.boolean(),
  complete: z.boolean(),
  have: z.array(z.number().int().nonnegative()),
});
export type ChunkAccepted = z.infer<typeof chunkAccepted>;
