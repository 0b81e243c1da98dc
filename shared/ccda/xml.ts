/**
 * The safe XML step of the C-CDA reader: bytes or text in, an element tree out, or an error a person
 * can act on. saxes (a strict, conformant XML parser) does the parsing; this file decides what it may be given
 * and builds the tree from its events in the same pass.
 *
 * Important: entity processing is off (no DTD entities, no external entities: XXE and "billion laughs"
 * cannot happen), and a DOCTYPE that declares entities is refused before the parser sees it. The five
 * predefined entities and character references are decoded, which expands nothing; any other entity
 * reference is kept as written.
 */
import { SaxesParser } from 'saxes';
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

  const first = buildTree(text, false);
  if ('root' in first) return first.root ? { ok: true, root: first.root, ids: first.ids } : fail('not_xml', NO_ELEMENT);
  // Positions cost a fifth of the parse, so they are tracked only to name where a refused file went wrong.
  const again = buildTree(text, true);
  const { line, column, reason } = 'reason' in again ? again : { ...first, line: 0, column: 0 };
  return fail('not_xml', `this file is not well-formed XML (line ${line}, column ${column}): ${reason}`);
}

const NO_ELEMENT = 'this file has no XML element in it: a C-CDA document begins with <ClinicalDocument>';

/** Deeper than any C-CDA (about 20 levels); the readers recurse over the tree, so a bound keeps them off the stack's edge. */
const MAX_DEPTH = 200;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// XML's Name production, simplified to what an entity name in a C-CDA could be; anything else stays an error.
const ENTITY_NAME = /^[A-Za-z_:\u00C0-\uFFFD][-A-Za-z0-9._:\u00B7-\uFFFD]*$/;
/**
 * Important: what saxes looks entity names up in. The five predefined entities decode; any other
 * name (`&xxe;`) is kept as written, never expanded (no DTD is ever read, and a DOCTYPE that
 * declares entities was refused above).
 */
const ENTITIES: Record<string, string> = new Proxy(PREDEFINED, {
  get: (target, name): string | undefined =>
    typeof name !== 'string' ? undefined : Object.prototype.hasOwnProperty.call(target, name) ? target[name] : ENTITY_NAME.test(name) ? `&${name};` : undefined,
});

type Built = { root: XmlElement | null; ids: Map<string, XmlElement> } | { reason: string; line: number; column: number };

/** Stops saxes at its first complaint (it would otherwise carry on and report the knock-on errors too). */
class Refused extends Error {}

/**
 * One pass of saxes, a strict and conformant XML parser (mis-nested tags, duplicate attributes,
 * bad characters and a second root are all errors), building the element tree from its events.
 */
function buildTree(text: string, position: boolean): Built {
  const parser = new SaxesParser({ position });
  parser.ENTITIES = ENTITIES;
  const ids = new Map<string, XmlElement>();
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let reason = '';
  const refuse = (why: string): never => {
    reason = why;
    throw new Refused(why);
  };
  parser.on('error', (e) => refuse(e.message.replace(/^\d+:\d+: /, '')));
  // Attributes are gathered as saxes reports them, into an ordinary object (see NO_ATTRS).
  let attrs: Record<string, string> = NO_ATTRS;
  parser.on('attribute', ({ name, value }) => {
    if (attrs === NO_ATTRS) attrs = {};
    const colon = name.indexOf(':');
    attrs[colon < 0 || name.startsWith('xmlns') ? name : name.slice(colon + 1)] = value;
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) refuse(`elements are nested more than ${MAX_DEPTH} deep`);
    const qname = tag.name;
    const colon = qname.indexOf(':');
    const el: XmlElement = { name: colon < 0 ? qname : qname.slice(colon + 1), qname, attrs, children: NO_CHILDREN };
    attrs = NO_ATTRS;
    if (el.attrs.ID !== undefined) ids.set(el.attrs.ID, el);
    const parent = stack[stack.length - 1];
    if (parent) addChild(parent, el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  const addText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent) addChild(parent, t);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(text).close();
  } catch (e) {
    if (!(e instanceof Refused)) reason = e instanceof Error ? e.message : String(e);
    return { reason, line: parser.line, column: parser.column };
  }
  return { root, ids };
}

/**
 * Important: most elements are leaves; they share this one frozen empty list rather than each holding
 * an array of its own (a third of a document's tree, and GC time, went on empty arrays).
 */
const NO_CHILDREN: XmlNode[] = Object.freeze([]) as unknown as XmlNode[];

function addChild(parent: XmlElement, node: XmlNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [node];
  else parent.children.push(node);
}

/**
 * Elements without attributes share one frozen empty object. Important: saxes hands over each
 * element's attributes as a prototype-less dictionary, larger and slower to look in than an
 * ordinary object, so the tree keeps its own.
 */
const NO_ATTRS: Record<string, string> = Object.freeze({});

function fail(code: CcdaError['code'], message: string): { ok: false; error: CcdaError } {
  return { ok: false, error: { code, message } };
}
