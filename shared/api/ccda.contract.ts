import { z } from 'zod';
import { CCDA_SECTIONS } from '../ccda/model';
import { RECONCILE_MATCHES, RECONCILE_SECTIONS, RECONCILE_STATUSES } from '../domain/records';
import type { Role } from '../domain/user';
import { channel, ofPatient } from './channel';

/**
 * C-CDA documents in and out: import, reconciliation, export.
 *
 * A C-CDA received for a chart is kept whole (a filed document, category outside records) and each
 * of its entries becomes a reconciliation item, marked new, same (already in the chart: same code
 * and date) or different. Nothing reaches the chart until a physician or nurse accepts an item (the
 * ONC "clinical information reconciliation" workflow); `cairn import ccda` (migration mode) is the
 * only path that writes history directly.
 */

/** Who files outside records into a chart and reconciles them: clinicians (it changes the chart). */
const CLINICAL: readonly Role[] = ['physician', 'nurse'];
/**
 * Who may read an imported document: clinicians, and the front desk, who file outside records
 * into charts and must see what they filed (they still cannot accept its entries).
 */
const VIEW: readonly Role[] = ['physician', 'nurse', 'front_desk'];

const id = z.uuid();
/** About 40 MB of base64: over the documents' 32 MB limit, so the handler names the limit itself. */
const MAX_BASE64 = 44_000_000;

const sectionCounts = z.object(Object.fromEntries(CCDA_SECTIONS.map((s) => [s, z.number()])) as Record<(typeof CCDA_SECTIONS)[number], z.ZodNumber>);
const skippedEntry = z.object({ section: z.string(), reason: z.string() });

/** One imported document, as the chart's list of received records shows it. */
export const ccdaImportView = z.object({
  id: z.string(),
  patientId: z.string(),
  documentId: z.string().nullable(),
  docType: z.string(),
  title: z.string(),
  sourceName: z.string(),
  effectiveTime: z.string().nullable(),
  /** reconcile | migration */
  mode: z.string(),
  counts: sectionCounts,
  skipped: z.array(skippedEntry),
  importedAt: z.string(),
  importedBy: z.string(),
  /** Items still waiting for a decision (0 for a migration). */
  pending: z.number(),
});
export type CcdaImportView = z.infer<typeof ccdaImportView>;

/** One item offered for reconciliation. */
export const reconcileItemView = z.object({
  id: z.string(),
  patientId: z.string(),
  importId: z.string().nullable(),
  section: z.enum(RECONCILE_SECTIONS),
  /** "C-CDA CCD from Good Health Clinic, 2012-09-12" */
  sourceLabel: z.string(),
  match: z.enum(RECONCILE_MATCHES),
  /** The chart row it matches or differs from (`entity`, id), if any. */
  matchType: z.string().nullable(),
  matchId: z.string().nullable(),
  /** The item in words; for `different`, what differs ("onset 2010-03-01 here, 2009-01-01 in the document"). */
  summary: z.string(),
  codeSystem: z.string().nullable(),
  code: z.string().nullable(),
  itemDate: z.string().nullable(),
  status: z.enum(RECONCILE_STATUSES),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** `entity:id` of what accepting wrote (null: accepted as already in the chart, or not decided). */
  chartRecord: z.string().nullable(),
  version: z.number(),
});
export type ReconcileItemView = z.infer<typeof reconcileItemView>;

/** The items of one section, in document order. */
export const reconcileSectionView = z.object({ section: z.enum(RECONCILE_SECTIONS), items: z.array(reconcileItemView) });
export type ReconcileSectionView = z.infer<typeof reconcileSectionView>;

/** A document for the viewer: its header and its sections' narrative (HTML built from a fixed set of tags, safe to show). */
export const ccdaDocumentView = z.object({
  importId: z.string().nullable(),
  documentId: z.string(),
  header: z.object({
    docType: z.string(),
    title: z.string(),
    effectiveTime: z.string().nullable(),
    sourceName: z.string(),
    author: z.string().nullable(),
    patient: z.object({ name: z.string(), birthDate: z.string().nullable(), sex: z.string() }).nullable(),
  }),
  sections: z.array(z.object({ key: z.string(), title: z.string(), code: z.string().nullable(), narrativeHtml: z.string() })),
});
export type CcdaDocumentView = z.infer<typeof ccdaDocumentView>;

export const ccdaImportResult = z.object({
  importId: z.string(),
  documentId: z.string(),
  counts: sectionCounts,
  skipped: z.array(skippedEntry),
  /** Items made, by how they stand beside the chart. */
  matches: z.object({ new: z.number(), same: z.number(), different: z.number() }),
});
export type CcdaImportResult = z.infer<typeof ccdaImportResult>;

export const ccdaChannels = {
  'ccda.import': channel({
    doc: 'Receives a C-CDA for a chart: checks its patient against the chart, keeps the XML as a document and offers each entry for reconciliation (nothing is written into the chart yet).',
    roles: CLINICAL,
    scope: ofPatient,
    input: z
      .object({
        patientId: id,
        fileName: z.string().trim().min(1, 'name the file').max(255),
        dataBase64: z
          .string()
          .min(1, 'the file is empty')
          .max(MAX_BASE64, 'this file is over 32 MB: Cairn keeps documents up to 32 MB')
          .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'the file is not base64'),
        /** The clinician has checked that the document is this patient's although its name, birth date or sex differ. */
        confirmPatient: z.boolean().default(false),
      })
      .strict(),
    output: ccdaImportResult,
  }),
  'ccda.imports': channel({
    doc: "The chart's received C-CDA documents, newest first, with how many items still wait for a decision.",
    roles: VIEW,
    scope: ofPatient,
    input: z.object({ patientId: id }).strict(),
    output: z.array(ccdaImportView),
  }),
  'ccda.items': channel({
    doc: "The chart's reconciliation items grouped by section (pending by default), each with its source.",
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: id, status: z.enum([...RECONCILE_STATUSES, 'all']).default('pending'), importId: id.optional() }).strict(),
    output: z.array(reconcileSectionView),
  }),
  'ccda.decide': channel({
    doc: 'Accepts (writes into the chart through its repositories) or ignores items: one, or a whole section; an item already decided is refused.',
    roles: CLINICAL,
    scope: (i, o) => i.itemIds.map((itemId) => o('reconcile_item', itemId)),
    input: z
      .object({
        itemIds: z.array(id).min(1, 'choose at least one item').max(5000, 'decide at most 5,000 items at once'),
        decision: z.enum(['accept', 'ignore']),
      })
      .strict(),
    output: z.array(reconcileItemView),
  }),
  'ccda.view': channel({
    doc: 'A received C-CDA for the viewer (by its import or its document): header and each section as safe HTML.',
    roles: VIEW,
    scope: (i, o) => [i.importId !== undefined ? o('ccda_import', i.importId) : o('document', i.documentId)],
    input: z
      .object({ importId: id.optional(), documentId: id.optional() })
      .strict()
      .refine((i) => (i.importId === undefined) !== (i.documentId === undefined), { message: 'name the import or the document (one of them)' }),
    output: ccdaDocumentView,
  }),
  'ccda.export': channel({
    doc: 'The chart as a C-CDA R2.1 CCD (XML), authored by the signed-in user for the clinic; audited as a disclosure.',
    roles: CLINICAL,
    scope: ofPatient,
    input: z.object({ patientId: id }).strict(),
    output: z.object({ fileName: z.string(), xml: z.string() }),
  }),
};
