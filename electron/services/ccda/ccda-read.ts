import { createHash } from 'node:crypto';
import { readCcda } from '../../../shared/ccda';
import {
  CCDA_SECTIONS,
  countEntries,
  type CcdaDocument,
  type CcdaHeader,
  type CcdaPatient,
  type CcdaSection,
  type SectionCounts,
  type Skipped,
} from '../../../shared/ccda/model';
import { CairnFailure } from '../../../shared/api/result';
import { DOCUMENT_MAX_BYTES, tooLargeMessage } from '../../../shared/domain/records';
import { draftOf, type ChartDraft, type DraftContext, type EntryOf } from './ccda-drafts';

/** A document read, with what identifies it and how its entries become chart rows. */
export interface ReadDocument {
  doc: CcdaDocument;
  bytes: Uint8Array;
  /** The document's own id (root^extension), else `sha256:<hex>` of the bytes: what "already imported" is checked by. */
  key: string;
  counts: SectionCounts;
}

/** Reads a C-CDA or refuses it with the reader's message (nothing is stored for a refused document). */
export function readDocument(bytes: Uint8Array): ReadDocument {
  if (bytes.byteLength === 0) throw new CairnFailure('invalid_input', 'the file is empty');
  if (bytes.byteLength > DOCUMENT_MAX_BYTES) throw new CairnFailure('invalid_input', tooLargeMessage(bytes.byteLength));
  const read = readCcda(bytes);
  if (!read.ok) throw new CairnFailure('invalid_input', `this C-CDA cannot be read: ${read.error.message}`);
  const doc = read.value;
  if (doc.header.patient === null) throw new CairnFailure('invalid_input', 'this C-CDA names no patient (recordTarget): Cairn cannot tell whose record it is');
  const key = doc.header.id ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { doc, bytes, key, counts: countEntries(doc) };
}

/** "C-CDA CCD from Good Health Clinic, 2012-09-12": how an item names where it came from. */
export function sourceLabel(h: CcdaHeader): string {
  return `C-CDA ${h.docType} from ${h.sourceName || 'an unnamed source'}${h.effectiveTime ? `, ${h.effectiveTime.slice(0, 10)}` : ''}`;
}

/** The patient's name in words (given names, family). */
export function patientName(p: CcdaPatient): string {
  return [...p.given, p.family].filter(Boolean).join(' ');
}

/** One entry of a document as a draft chart row, in document order. */
export interface Drafted {
  section: CcdaSection;
  index: number;
  draft: ChartDraft;
}

/** Every entry's draft; the entries that cannot become a row are skipped with the reason (the document still counts). */
export function draftsOf(doc: CcdaDocument, ctx: DraftContext): { drafted: Drafted[]; skipped: Skipped[] } {
  const drafted: Drafted[] = [];
  const skipped: Skipped[] = [...doc.skipped];
  for (const section of CCDA_SECTIONS) {
    const entries = doc[section] as EntryOf<typeof section>[];
    entries.forEach((entry, index) => {
      const out = draftOf(section, entry, ctx);
      if (out.ok) drafted.push({ section, index, draft: out.draft });
      else skipped.push({ section, reason: out.reason });
    });
  }
  return { drafted, skipped };
}
