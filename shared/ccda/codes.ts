/** Codes, names and quantities as a C-CDA entry sends them, with text references resolved into the narrative. */
import type { Code, Coded, Quantity } from './model';
import { attr, child, children, text } from './tree';
import type { XmlElement } from './xml';

/** What every entry reader needs besides its element: the narrative elements by ID (for `<reference value="#x">`). */
export interface ReadContext {
  ids: Map<string, XmlElement>;
}

/** A code element's code (null when it has none: a nullFlavor, or only originalText). Unknown systems are kept by OID. */
export function readCode(el: XmlElement | null | undefined): Code | null {
  const code = attr(el, 'code');
  if (!el || !code) return null;
  return { code, system: attr(el, 'codeSystem') ?? '', systemName: attr(el, 'codeSystemName'), display: attr(el, 'displayName') };
}

/** The text an element stands for: its `<reference value="#id">` resolved into the narrative, else its own text. */
export function referencedText(el: XmlElement | null | undefined, ctx: ReadContext): string {
  if (!el) return '';
  const ref = attr(child(el, 'reference'), 'value');
  if (ref && ref.startsWith('#')) {
    const target = ctx.ids.get(ref.slice(1));
    const t = text(target);
    if (t !== '') return t;
  }
  return text(el);
}

/**
 * A coded element with its translations and its name: the display name, else the original text
 * (resolved into the narrative), else a translation's display name, else `fallback`'s text (the entry's
 * own `<text>`), else ''.
 */
export function readCoded(el: XmlElement | null | undefined, ctx: ReadContext, fallback?: XmlElement | null): Coded {
  const code = readCode(el);
  const translations: Code[] = [];
  for (const t of children(el, 'translation')) {
    const c = readCode(t);
    if (c) translations.push(c);
  }
  let name = code?.display ?? '';
  if (name === '') name = referencedText(child(el, 'originalText'), ctx);
  if (name === '') name = translations.find((t) => t.display)?.display ?? '';
  if (name === '' && fallback) name = referencedText(child(fallback, 'text'), ctx);
  // A bare code with nothing to call it by: better its code than nothing.
  if (name === '' && code) name = code.code;
  return { code, translations, name };
}

/** True when a coded thing carries a code or a name worth keeping. */
export function hasContent(c: Coded): boolean {
  return c.code !== null || c.translations.length > 0 || c.name !== '';
}

/** A PQ (value + unit; UCUM's default unit is "1"), or an IVL_PQ's low/center/high, or null. */
export function readQuantity(el: XmlElement | null | undefined): Quantity | null {
  if (!el) return null;
  const raw = attr(el, 'value');
  if (raw === null) {
    const inner = child(el, 'low') ?? child(el, 'center') ?? child(el, 'high');
    return inner ? readQuantity(inner) : null;
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  return { value, unit: attr(el, 'unit') ?? '1' };
}

/** A status from a statusCode (HL7 ActStatus) element. */
export function actStatus(el: XmlElement | null | undefined): 'active' | 'completed' | 'aborted' | 'inactive' | 'unknown' {
  switch ((attr(el, 'code') ?? '').toLowerCase()) {
    case 'active':
    case 'new':
    case 'held':
      return 'active';
    case 'completed':
      return 'completed';
    case 'aborted':
    case 'cancelled':
    case 'nullified':
      return 'aborted';
    case 'suspended':
      return 'inactive';
    default:
      return 'unknown';
  }
}

/** A person's name in words ("Henry Levin"), from a PN element. */
export function personName(el: XmlElement | null | undefined): string {
  if (!el) return '';
  const given = children(el, 'given').map((g) => text(g));
  const family = children(el, 'family').map((f) => text(f));
  const parts = [...children(el, 'prefix').map((p) => text(p)), ...given, ...family, ...children(el, 'suffix').map((s) => text(s))].filter((s) => s !== '');
  return parts.length > 0 ? parts.join(' ') : text(el);
}
