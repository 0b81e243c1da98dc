/**
 * A section's narrative block (CDA StrucDocText) → HTML made only of a fixed set of tags with every
 * text escaped, and → plain text. Nothing from the document is copied as markup: each element is
 * mapped by name to a tag Cairn writes itself (or to nothing), and no attribute survives except a
 * numeric colspan/rowspan. A <script>, an onclick or a javascript: link therefore cannot reach the page.
 */
import { attr } from './tree';
import type { XmlElement, XmlNode } from './xml';

/** CDA narrative element → the tag Cairn writes for it (null: children only, no tag). */
const TAGS: Record<string, string | null> = {
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tfoot: 'tbody',
  tr: 'tr',
  th: 'th',
  td: 'td',
  caption: 'caption',
  paragraph: 'p',
  content: 'span',
  sub: 'sub',
  sup: 'sup',
  item: 'li',
  linkHtml: null,
  footnote: 'span',
  footnoteRef: null,
  text: null,
};
/** Dropped with everything inside them: pictures Cairn cannot show, and markup that has no business in a narrative. */
const DROPPED = new Set(['renderMultiMedia', 'script', 'style', 'iframe', 'object', 'embed', 'colgroup', 'col', 'head', 'title']);
const STYLE_TAGS: [RegExp, string][] = [
  [/\bbold\b/i, 'b'],
  [/\bitalics?\b/i, 'i'],
  [/\bunderline\b/i, 'u'],
];

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML content or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** The narrative as safe HTML and as text. */
export function renderNarrative(textEl: XmlElement | null): { html: string; text: string } {
  if (!textEl) return { html: '', text: '' };
  const html: string[] = [];
  const lines: string[] = [];
  const line: string[] = [];
  renderChildren(textEl.children, html, { line, lines }, false);
  flush({ line, lines });
  return { html: html.join(''), text: lines.join('\n') };
}

interface TextState {
  line: string[];
  lines: string[];
}

function flush(t: TextState): void {
  const s = t.line
    .join('')
    .replace(/[ \t\f\v\r\n]+/g, ' ')
    .trim();
  if (s !== '') t.lines.push(s);
  t.line.length = 0;
}

function renderChildren(nodes: XmlNode[], html: string[], t: TextState, inTable: boolean): void {
  for (const n of nodes) {
    if (typeof n === 'string') {
      html.push(escapeHtml(n));
      t.line.push(n);
    } else renderElement(n, html, t, inTable);
  }
}

function renderElement(el: XmlElement, html: string[], t: TextState, inTable: boolean): void {
  const name = el.name;
  if (DROPPED.has(name)) return;
  if (name === 'br') {
    html.push('<br>');
    flush(t);
    return;
  }
  let tag: string | null;
  if (name === 'list') tag = attr(el, 'listType') === 'ordered' ? 'ol' : 'ul';
  else if (name === 'caption' && !inTable) tag = 'p';
  else tag = name in TAGS ? TAGS[name]! : null;

  const styles: string[] = [];
  const styleCode = attr(el, 'styleCode');
  if (styleCode) for (const [re, s] of STYLE_TAGS) if (re.test(styleCode)) styles.push(s);

  const block = tag === 'p' || tag === 'tr' || tag === 'li' || tag === 'caption' || tag === 'table' || tag === 'ul' || tag === 'ol';
  if (block) flush(t);
  // Cells of a row read as one line: "Aspirin | 81 mg | daily".
  if ((tag === 'td' || tag === 'th') && t.line.some((x) => x.trim() !== '')) t.line.push(' | ');

  // A list's caption goes before the list (ul/ol may only hold li).
  let rest = el.children;
  if (tag === 'ul' || tag === 'ol') {
    const caption = el.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'caption');
    if (caption) {
      renderElement(caption, html, t, false);
      rest = el.children.filter((c) => c !== caption);
    }
  }
  if (tag) html.push(`<${tag}${spans(el, tag)}>`);
  for (const s of styles) html.push(`<${s}>`);
  renderChildren(rest, html, t, tag === 'table' ? true : tag === 'ul' || tag === 'ol' || tag === 'p' ? false : inTable);
  for (let i = styles.length - 1; i >= 0; i--) html.push(`</${styles[i]}>`);
  if (tag) html.push(`</${tag}>`);
  if (block) flush(t);
}

/** colspan/rowspan on a cell, only when they are plain numbers. */
function spans(el: XmlElement, tag: string): string {
  if (tag !== 'td' && tag !== 'th') return '';
  let out = '';
  for (const a of ['colspan', 'rowspan']) {
    const v = attr(el, a);
    if (v && /^\d{1,3}$/.test(v)) out += ` ${a}="${v}"`;
  }
  return out;
}
