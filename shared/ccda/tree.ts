/** Small, allocation-light lookups over the element tree (local names; CDA's default namespace assumed). */
import type { XmlElement, XmlNode } from './xml';

/** The first child element named `name`, or null. */
export function child(el: XmlElement | null | undefined, name: string): XmlElement | null {
  if (!el) return null;
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return null;
}

/** Every child element named `name` (all child elements when `name` is omitted). */
export function children(el: XmlElement | null | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** Follows a path of child names (`path(el, 'consumable', 'manufacturedProduct')`), first match at each step. */
export function path(el: XmlElement | null | undefined, ...names: string[]): XmlElement | null {
  let at: XmlElement | null = el ?? null;
  for (const n of names) {
    at = child(at, n);
    if (!at) return null;
  }
  return at;
}

/** An attribute's value, trimmed; null when absent or blank. */
export function attr(el: XmlElement | null | undefined, name: string): string | null {
  const v = el?.attrs[name];
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** All the text under an element, whitespace collapsed to single spaces. */
export function text(el: XmlElement | null | undefined): string {
  if (!el) return '';
  const parts: string[] = [];
  collect(el, parts);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function collect(el: XmlElement, parts: string[]): void {
  for (const c of el.children) {
    if (typeof c === 'string') parts.push(c);
    else {
      // Cells and lines must not run together in a one-line rendering ("120mg" + "daily").
      if (c.name === 'br') parts.push(' ');
      collect(c, parts);
      parts.push(' ');
    }
  }
}

/** The element's templateId roots. */
export function templateIds(el: XmlElement | null | undefined): string[] {
  const out: string[] = [];
  for (const t of children(el, 'templateId')) {
    const root = attr(t, 'root');
    if (root) out.push(root);
  }
  return out;
}

/** True when the element carries any of the given templateId roots (R1.1 and R2.1 share roots; R2.1 adds an extension). */
export function hasTemplate(el: XmlElement | null | undefined, roots: ReadonlySet<string>): boolean {
  for (const t of children(el, 'templateId')) {
    const root = attr(t, 'root');
    if (root && roots.has(root)) return true;
  }
  return false;
}

/** The element's nullFlavor, or null. */
export function nullFlavor(el: XmlElement | null | undefined): string | null {
  return attr(el, 'nullFlavor');
}

/** Every descendant element named `name`, depth first, not descending into matches. */
export function findAll(el: XmlElement | null | undefined, name: string, out: XmlElement[] = []): XmlElement[] {
  if (!el) return out;
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    else findAll(c, name, out);
  }
  return out;
}

/** The clinical statement inside an entry or entryRelationship or component (observation, act, …). */
export function statements(el: XmlElement | null | undefined): XmlElement[] {
  return children(el).filter((c) => STATEMENT_NAMES.has(c.name));
}
export const STATEMENT_NAMES: ReadonlySet<string> = new Set([
  'act',
  'observation',
  'substanceAdministration',
  'supply',
  'procedure',
  'encounter',
  'organizer',
  'regionOfInterest',
  'observationMedia',
]);

export const isElement = (n: XmlNode): n is XmlElement => typeof n !== 'string';
