/**
 * The safe XML step of the C-CDA reader: bytes or text in, an element tree out, or an error a person
 * can act on. fast-xml-parser does the parsing; this file decides what it may be given.
 *
 * Important: entity processing is off (no DTD entities, no external entities: XXE and "billion laughs"
 * cannot happen), and a DOCTYPE that declares entities is refused before the parser sees it. The five
 * predefined entities and character references are decoded here, which expands nothing.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CcdaError } from './model';

/** An element with its local name (prefix stripped), its attributes (prefixes stripped, except xmlns*) and its children. */
export interface XmlElement {
  name: string;
  /** The qualified name as written (`cda:section`), for messages. */
  qname: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** 20 MB: far above any real C-CDA (most are under 2 MB), small enough to parse in memory safely. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

// In every runtime Cairn runs on (Node, Chromium), though not in the ES2022 library shared/ compiles against.
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input: Uint8Array): string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Matcher-based paths: the string jPath costs a third of the parse time and is never used here.
  jPath: false,
  maxNestedTags: 200,
});

export type ParseResult = { ok: true; root: XmlElement; ids: Map<string, XmlElement> } | { ok: false; error: CcdaError };

/** Bytes → text: UTF-16 when a BOM says so, else UTF-8 (an invalid byte becomes U+FFFD rather than failing the file). */
export function decodeBytes(input: Uint8Array): string {
  if (input[0] === 0xff && input[1] === 0xfe) return new TextDecoder('utf-16le').decode(input.subarray(2));
  if (input[0] === 0xfe && input[1] === 0xff) return new TextDecoder('utf-16be').decode(input.subarray(2));
  return new TextDecoder('utf-8').decode(input);
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Refuses what is too large, declares entities, or is not well-formed; otherwise the element tree. */
export function parseXml(input: string | Uint8Array, maxBytes = DEFAULT_MAX_BYTES): ParseResult {
  const size = typeof input === 'string' ? (input.length > maxBytes || input.length * 3 <= maxBytes ? input.length : utf8Length(input)) : input.length;
  if (size > maxBytes)
    return fail(
      'too_large',
      `this file is ${mb(size)}, more than the ${mb(maxBytes)} a C-CDA document may be here; ask the sender for a smaller export (one patient per document)`,
    );
  const decoded = typeof input === 'string' ? input : decodeBytes(input);
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  if (!/\S/.test(text)) return fail('not_xml', 'this file is empty: a C-CDA document is an XML file beginning with <ClinicalDocument>');

  // Important: a DOCTYPE can only come before the root element, so only the head of the file is searched (fast on large files).
  const rootAt = text.search(/<[A-Za-z_]/);
  const head = rootAt < 0 ? text : text.slice(0, rootAt);
  if (/<!DOCTYPE/i.test(head) && /<!ENTITY/i.test(text))
    return fail(
      'unsafe_xml',
      'this file declares XML entities in a <!DOCTYPE> (a way to read local files or to exhaust memory); Cairn does not read such files. A genuine C-CDA export has no DOCTYPE: ask the sender for a plain export',
    );

  const invalid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (invalid !== true) {
    const { line, col, msg } = invalid.err;
    return fail('not_xml', `this file is not well-formed XML (line ${line}, column ${col}): ${msg}`);
  }
  let raw: unknown;
  try {
    raw = parser.parse(text);
  } catch (e) {
    return fail('not_xml', `this file is not XML Cairn can read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ids = new Map<string, XmlElement>();
  const top = Array.isArray(raw) ? convertChildren(raw, ids).filter((n): n is XmlElement => typeof n !== 'string') : [];
  const root = top[0];
  if (!root) return fail('not_xml', 'this file has no XML element in it: a C-CDA document begins with <ClinicalDocument>');
  return { ok: true, root, ids };
}

function fail(code: CcdaError['code'], message: string): { ok: false; error: CcdaError } {
  return { ok: false, error: { code, message } };
}

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The predefined entities and character references; anything else (`&foo;`) stays as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name]!;
    const cp = dec ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}

// fast-xml-parser's ordered form: [{ tag: children, ':@': attrs } | { '#text': s } | { '#cdata': [{ '#text': s }] }].
type Ordered = Record<string, unknown>;

function convertChildren(list: unknown[], ids: Map<string, XmlElement>): XmlNode[] {
  const out: XmlNode[] = [];
  for (let i = 0; i < list.length; i++) {
    const node = list[i] as Ordered;
    // Each ordered node has exactly one content key (the tag, '#text' or '#cdata'), and ':@' for attributes.
    const keys = Object.keys(node);
    const key = keys[0] === ':@' ? keys[1] : keys[0];
    if (key === undefined) continue;
    const value = node[key];
    if (key === '#text') out.push(decodeEntities(value as string));
    else if (key === '#cdata') {
      for (const c of value as Ordered[]) if (typeof c['#text'] === 'string') out.push(c['#text']);
    } else if (key.charCodeAt(0) !== 63 /* ? */ && key.charCodeAt(0) !== 33 /* ! */) {
      const attrs: Record<string, string> = {};
      const rawAttrs = node[':@'] as Record<string, string> | undefined;
      if (rawAttrs)
        for (const a of Object.keys(rawAttrs)) {
          const v = rawAttrs[a]!;
          const decoded = v.includes('&') ? decodeEntities(v) : v;
          const colon = a.indexOf(':');
          attrs[colon < 0 || a.startsWith('xmlns') ? a : a.slice(colon + 1)] = decoded;
        }
      const colon = key.indexOf(':');
      const el: XmlElement = {
        name: colon < 0 ? key : key.slice(colon + 1),
        qname: key,
        attrs,
        children: Array.isArray(value) ? convertChildren(value, ids) : [],
      };
      if (attrs.ID !== undefined) ids.set(attrs.ID, el);
      out.push(el);
    }
  }
  return out;
}
