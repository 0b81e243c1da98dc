/**
 * A section's frame and its narrative: the human-readable table and the coded entries must say the
 * same thing, so every section is written from one list of rows, one row per entry, and each entry
 * points back at its row (`<text><reference value="#row"/>`) and at the cell naming it
 * (`<originalText><reference value="#cell"/>`).
 */
import type { ClinicalStatus } from './model';
import { all, attr, el, fixedCode, templateIds, text } from './write-xml';

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

/**
 * A large piece of the document as the strings it is made of, joined once by writeCcda. Important:
 * a ten-year chart is ~3 MB, and every join of a section (then of the document) copied all of it
 * again; on a busy machine each copy of 3 MB costs ~10 ms.
 */
export type XmlParts = string[];

/**
 * Joins the parts pushed since `start` into one string in their place. An entry or a table row is
 * a few dozen short pieces: joined while they are fresh, the document's one big join has a few
 * thousand pieces to copy rather than a hundred thousand (each piece costs as much as ~100 bytes).
 */
export function joinFrom(out: XmlParts, start: number): void {
  const joined = out.slice(start).join('');
  out.length = start;
  out.push(joined);
}

/** The narrative table of a section. */
export function narrativeTable(headers: readonly string[], rows: readonly Row[]): XmlParts {
  const out: XmlParts = ['<table border="1" width="100%">', el('thead', null, el('tr', null, all(headers.map((h) => el('th', null, text(h)))))), '<tbody>'];
  for (const r of rows) {
    const start = out.length;
    out.push('<tr ID="', attr(r.id), '">');
    for (const c of r.cells) {
      const body = c.xml ?? text(c.text ?? '');
      const open = c.id === null || c.id === undefined ? '<td' : '<td ID="' + attr(c.id) + '"';
      out.push(body ? open + '>' + body + '</td>' : open + '/>');
    }
    out.push('</tr>');
    joinFrom(out, start);
  }
  out.push('</tbody></table>');
  return out;
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
 * Entries written straight into the section's parts (`\n<entry>…</entry>` each), for the long
 * sections: no string per entry that is then copied again.
 */
export interface EntryWriter {
  count: number;
  write(out: XmlParts): void;
}

/**
 * A whole `<component><section>`. With no entries the section is still written, as the guide asks
 * of sections whose entries are required: `nullFlavor="NI"` and a narrative saying so.
 */
export function section(kind: SectionKind, narrative: string | XmlParts, entries: readonly string[] | EntryWriter, emptyText: string): XmlParts {
  const head =
    templateIds(kind.templateRoot, kind.templateExt, true) +
    fixedCode('code', kind.code, LOINC, 'LOINC', kind.codeDisplay) +
    el('title', null, text(kind.title));
  if ('count' in entries ? entries.count === 0 : entries.length === 0) {
    return [el('component', null, el('section', { nullFlavor: 'NI' }, head, el('text', null, el('paragraph', null, text(emptyText)))))];
  }
  const out: XmlParts = ['<component><section>', head, '<text>'];
  if (typeof narrative === 'string') out.push(narrative);
  else for (const p of narrative) out.push(p);
  out.push('</text>');
  // One entry a line: a schema error then names a line a person can find.
  if ('count' in entries) entries.write(out);
  else for (const e of entries) out.push('\n<entry>', e, '</entry>');
  out.push('</section></component>');
  return out;
}

/** A section with narrative only (no entries defined for it). */
export function narrativeSection(kind: SectionKind, narrative: string): XmlParts {
  const head =
    templateIds(kind.templateRoot, kind.templateExt, true) +
    fixedCode('code', kind.code, LOINC, 'LOINC', kind.codeDisplay) +
    el('title', null, text(kind.title));
  return [el('component', null, el('section', null, head, el('text', null, narrative)))];
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
