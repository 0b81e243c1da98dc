/**
 * readCcda: any C-CDA R1.1 or R2.1 document → the model in model.ts. One unreadable entry becomes a
 * `skipped` item naming its section and why; only a file that is not a C-CDA document (or names no
 * patient) is refused. Never throws.
 */
import { readAllergy } from './allergies';
import type { ReadContext } from './codes';
import { readEncounter } from './encounters';
import type { EntryReader } from './entry';
import { readHeader } from './header';
import { readImmunization } from './immunizations';
import { readMedication } from './medications';
import { type CcdaDocument, type CcdaError, type CcdaSection, type SectionView } from './model';
import { renderNarrative } from './narrative';
import { readObservationEntry } from './observations';
import { readProblem } from './problems';
import { readProcedure } from './procedures';
import { allSections, sectionKind } from './sections';
import { readSmoking } from './smoking';
import { attr, child, children, path, statements, text } from './tree';
import { type XmlElement, parseXml } from './xml';

export type ReadCcdaResult = { ok: true; value: CcdaDocument } | { ok: false; error: CcdaError };

export interface ReadCcdaOptions {
  /** Refuse larger inputs (`too_large`); default 20 MB. */
  maxBytes?: number;
}

const HL7_V3 = 'urn:hl7-org:v3';

const READERS: { [S in CcdaSection]: EntryReader<CcdaDocument[S][number]> } = {
  problems: readProblem,
  medications: readMedication,
  allergies: readAllergy,
  immunizations: readImmunization,
  results: readObservationEntry,
  vitals: readObservationEntry,
  encounters: readEncounter,
  procedures: readProcedure,
  smoking: readSmoking,
};

const SECTION_WORDS: Record<CcdaSection | 'other', string> = {
  problems: 'Problems',
  medications: 'Medications',
  allergies: 'Allergies',
  immunizations: 'Immunizations',
  results: 'Results',
  vitals: 'Vital signs',
  encounters: 'Encounters',
  procedures: 'Procedures',
  smoking: 'Social history',
  other: 'Other',
};

/** Reads a C-CDA document. See index.ts for an example. */
export function readCcda(input: string | Uint8Array, opts: ReadCcdaOptions = {}): ReadCcdaResult {
  try {
    return readUnsafe(input, opts);
  } catch (e) {
    // Important: a bug here must not take down an import of many files; say so plainly instead.
    return {
      ok: false,
      error: { code: 'not_cda', message: `Cairn could not read this document (${e instanceof Error ? e.message : String(e)}); please report it with the file` },
    };
  }
}

function readUnsafe(input: string | Uint8Array, opts: ReadCcdaOptions): ReadCcdaResult {
  const parsed = parseXml(input, opts.maxBytes);
  if (!parsed.ok) return parsed;
  const { root, ids } = parsed;
  const prefix = root.qname.includes(':') ? root.qname.slice(0, root.qname.indexOf(':')) : '';
  const ns = root.attrs[prefix ? `xmlns:${prefix}` : 'xmlns'] ?? null;
  if (root.name !== 'ClinicalDocument' || ns !== HL7_V3) {
    const what = ns ? ` in the namespace ${ns}` : ' in no namespace';
    return {
      ok: false,
      error: {
        code: 'not_cda',
        message: `this file is not a C-CDA document: its root element is <${root.qname}>${root.name === 'ClinicalDocument' ? what : ''}, expected <ClinicalDocument> in the ${HL7_V3} namespace`,
      },
    };
  }
  const header = readHeader(root);
  if (!header.patient)
    return {
      ok: false,
      error: {
        code: 'no_patient',
        message: 'this C-CDA document names no patient (no recordTarget/patientRole/patient in its header), so it cannot be filed to a chart',
      },
    };

  const doc: CcdaDocument = {
    header,
    sections: [],
    problems: [],
    medications: [],
    allergies: [],
    immunizations: [],
    results: [],
    vitals: [],
    encounters: [],
    procedures: [],
    smoking: [],
    skipped: [],
  };
  const ctx: ReadContext = { ids };
  for (const section of allSections(root)) readSection(section, ctx, doc);
  const unstructured = path(root, 'component', 'nonXMLBody');
  if (unstructured) doc.sections.push(unstructuredView(unstructured));
  return { ok: true, value: doc };
}

function readSection(section: XmlElement, ctx: ReadContext, doc: CcdaDocument): void {
  let key: CcdaSection | 'other' = 'other';
  try {
    key = sectionKind(section);
    const narrative = renderNarrative(child(section, 'text'));
    const view: SectionView = {
      key,
      title: text(child(section, 'title')) || attr(child(section, 'code'), 'displayName') || SECTION_WORDS[key],
      code: attr(child(section, 'code'), 'code'),
      narrativeHtml: narrative.html,
      narrativeText: narrative.text,
    };
    doc.sections.push(view);
    if (key !== 'other') readEntries(section, key, view.title, ctx, doc);
  } catch (e) {
    doc.skipped.push({ section: key, reason: `the section "${text(child(section, 'title')) || SECTION_WORDS[key]}" could not be read: ${message(e)}` });
  }
}

function readEntries<S extends CcdaSection>(section: XmlElement, key: S, title: string, ctx: ReadContext, doc: CcdaDocument): void {
  const reader = READERS[key] as EntryReader<CcdaDocument[S][number]>;
  const list = doc[key] as CcdaDocument[S][number][];
  children(section, 'entry').forEach((entry, i) => {
    const where = `${title}, entry ${i + 1}`;
    const out = {
      add: (item: CcdaDocument[S][number]): void => void list.push(item),
      skip: (reason: string): void => void doc.skipped.push({ section: key, reason: `${where}: ${reason}` }),
    };
    const found = statements(entry);
    if (found.length === 0) return out.skip('the entry holds no clinical statement');
    for (const statement of found) {
      const before = list.length;
      try {
        reader(statement, ctx, out);
      } catch (e) {
        // Whatever this entry added before failing is half-read: take it back out.
        list.length = before;
        out.skip(`could not be read (${message(e)})`);
      }
    }
  });
}

function unstructuredView(body: XmlElement): SectionView {
  const t = child(body, 'text');
  const b64 = attr(t, 'representation') === 'B64' || child(t, 'reference') !== null;
  const words = b64 ? '' : text(t);
  const media = attr(t, 'mediaType') ?? 'an attachment';
  return {
    key: 'other',
    title: 'Document body',
    code: null,
    narrativeHtml: words ? `<p>${escapeText(words)}</p>` : `<p>${escapeText(`The document's body is ${media}, kept as sent.`)}</p>`,
    narrativeText: words || `The document's body is ${media}, kept as sent.`,
  };
}

const escapeText = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
