/**
 * A section's frame and its narrative: the human-readable table and the coded entries must say the
 * same thing, so every section is written from one list of rows, one row per entry, and each entry
 * points back at its row (`<text><reference value="#row"/>`) and at the cell naming it
 * (`<originalText><reference value="#cell"/>`).
 */
import type { ClinicalStatus } from './model';
import { all, el, fixedCode, templateIds, text } from './write-xml';

const LOINC = '2.16.840.1.113883.6.1';

/** One cell: plain text (escaped here), or narrative XML already built (e.g. a list of reactions), with an optional ID to reference. */
export interface Cell {
  text?: string | null;
  xml?: string;
  id?: string | null;
}

/** One row of a section's table: its ID (what the entry's `<text>` references) and its cells. */
export interface Row {
  id: string;
  cells: Cell[];
}

/** The narrative table of a section. */
export function narrativeTable(headers: readonly string[], rows: readonly Row[]): string {
  const head = el('thead', null, el('tr', null, all(headers.map((h) => el('th', null, text(h))))));
  const body = all(rows.map((r) => el('tr', { ID: r.id }, all(r.cells.map((c) => el('td', { ID: c.id ?? null }, c.xml ?? text(c.text ?? '')))))));
  // Joined once rather than nested el() calls: the table is the bulk of a long section (see el()).
  return ['<table border="1" width="100%">', head, '<tbody>', body, '</tbody></table>'].join('');
}

/** What a section is: its template (R2.1 extension; the R1.1 root is written too), LOINC code and title. */
export interface SectionKind {
  templateRoot: string;
  templateExt: string | null;
  code: string;
  codeDisplay: string;
  title: string;
}

/**
 * A whole `<component><section>`. With no entries the section is still written, as the guide asks
 * of sections whose entries are required: `nullFlavor="NI"` and a narrative saying so.
 */
export function section(kind: SectionKind, narrative: string, entries: readonly string[], emptyText: string): string {
  const head =
    templateIds(kind.templateRoot, kind.templateExt, true) +
    fixedCode('code', kind.code, LOINC, 'LOINC', kind.codeDisplay) +
    el('title', null, text(kind.title));
  if (entries.length === 0) {
    return el('component', null, el('section', { nullFlavor: 'NI' }, head, el('text', null, el('paragraph', null, text(emptyText)))));
  }
  // One entry a line: a schema error then names a line a person can find.
  const body = entries.map((e) => '\n<entry>' + e + '</entry>').join('');
  return ['<component><section>', head, '<text>', narrative, '</text>', body, '</section></component>'].join('');
}

/** A section with narrative only (no entries defined for it). */
export function narrativeSection(kind: SectionKind, narrative: string): string {
  const head =
    templateIds(kind.templateRoot, kind.templateExt, true) +
    fixedCode('code', kind.code, LOINC, 'LOINC', kind.codeDisplay) +
    el('title', null, text(kind.title));
  return el('component', null, el('section', null, head, el('text', null, narrative)));
}

/** Ids for entries: the document's UUID as root and a per-entry extension, so every entry id is unique and stable for this document. */
export function entryId(documentId: string, extension: string): string {
  return el('id', { root: documentId, extension });
}

/** An act's statusCode from a clinical status; `unknown` is sent as a nullFlavor rather than guessed. */
export function actStatus(status: ClinicalStatus): string {
  switch (status) {
    case 'active':
      return el('statusCode', { code: 'active' });
    case 'aborted':
      return el('statusCode', { code: 'aborted' });
    case 'completed':
    case 'inactive':
    case 'resolved':
      return el('statusCode', { code: 'completed' });
    case 'unknown':
      return el('statusCode', { nullFlavor: 'UNK' });
  }
}

/** Human words for a status in the narrative. */
export function statusWords(status: ClinicalStatus): string {
  return status === 'unknown' ? '' : status[0]!.toUpperCase() + status.slice(1);
}

/** A date in the narrative as the model gave it (ISO at its own precision). */
export function dateWords(date: string | null | undefined): string {
  return date ?? '';
}
