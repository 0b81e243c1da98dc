/**
 * A small tree view of a written document for the writer's tests, parsed by fast-xml-parser (not
 * by the code under test): find elements, read attributes and text.
 */
import { XMLParser } from 'fast-xml-parser';

export interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  /** Text directly inside this element (not its descendants). */
  ownText: string;
}

type Raw = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

function convert(raw: Raw): Node | string {
  if ('#text' in raw) return String(raw['#text']);
  const name = Object.keys(raw).find((k) => k !== ':@')!;
  const kids = (raw[name] as Raw[]).map(convert);
  return {
    name,
    attrs: (raw[':@'] as Record<string, string> | undefined) ?? {},
    children: kids.filter((k): k is Node => typeof k !== 'string'),
    ownText: kids.filter((k): k is string => typeof k === 'string').join(''),
  };
}

/** The document element. */
export function parseXml(xml: string): Node {
  const top = (parser.parse(xml) as Raw[]).map(convert).filter((n): n is Node => typeof n !== 'string' && n.name !== '?xml');
  return top[0]!;
}

/** Every descendant (depth first, document order) with this element name. */
export function findAll(node: Node, name: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    for (const c of n.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** Direct children with this name. */
export function kids(node: Node, name: string): Node[] {
  return node.children.filter((c) => c.name === name);
}

/** The first direct child with this name (throws when absent: a test then says what was missing). */
export function kid(node: Node, name: string): Node {
  const k = node.children.find((c) => c.name === name);
  if (!k) throw new Error(`<${node.name}> has no <${name}>`);
  return k;
}

/** All text inside, descendants included. */
export function textOf(node: Node): string {
  return node.ownText + node.children.map(textOf).join('');
}

/** The document's sections by LOINC code. */
export function sectionsByCode(doc: Node): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const s of findAll(doc, 'section')) map.set(kid(s, 'code').attrs['code']!, s);
  return map;
}

/** Every element carrying an ID attribute, by ID. */
export function idIndex(doc: Node): Map<string, Node> {
  const map = new Map<string, Node>();
  const walk = (n: Node): void => {
    if (n.attrs['ID'] !== undefined) map.set(n.attrs['ID'], n);
    n.children.forEach(walk);
  };
  walk(doc);
  return map;
}
