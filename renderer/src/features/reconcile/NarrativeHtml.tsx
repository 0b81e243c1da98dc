import { createElement, useMemo, type ReactElement, type ReactNode } from 'react';

/** The tags a C-CDA narrative is built from by the reader (shared/ccda/model.ts, SectionView.narrativeHtml). */
const ALLOWED = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'ul', 'ol', 'li', 'p', 'br', 'span', 'b', 'i', 'u', 'sub', 'sup']);
const VOID = new Set(['br']);
const CELL_STYLE = { border: '1px solid var(--mantine-color-gray-4)', padding: '2px 6px', textAlign: 'left' as const, verticalAlign: 'top' as const };

function span(value: string | null): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n > 1 && n < 100 ? n : undefined;
}

function build(node: Node, key: string): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  const children = Array.from(el.childNodes, (c, i) => build(c, `${key}.${i}`));
  // Anything outside the fixed set is unwrapped to its text: never an element, attribute or URL of its own.
  if (!ALLOWED.has(tag)) return createElement('span', { key }, ...children);
  if (VOID.has(tag)) return createElement(tag, { key });
  const props: Record<string, unknown> = { key };
  if (tag === 'td' || tag === 'th') {
    props['colSpan'] = span(el.getAttribute('colspan'));
    props['rowSpan'] = span(el.getAttribute('rowspan'));
    props['style'] = CELL_STYLE;
    if (tag === 'th') props['scope'] = el.parentElement?.parentElement?.tagName.toLowerCase() === 'thead' ? 'col' : undefined;
  }
  if (tag === 'table') props['style'] = { borderCollapse: 'collapse', margin: '4px 0', fontSize: 'var(--mantine-font-size-sm)' };
  return createElement(tag, props, ...children);
}

/**
 * A section's narrative. The reader already builds it from a fixed set of tags with every text and
 * attribute escaped; this component still takes it apart (DOMParser runs no script and loads
 * nothing) and rebuilds it as React elements of that set only, so no HTML string is ever put into
 * the page as HTML, and a narrative from an older import or a changed reader cannot carry more.
 */
export function NarrativeHtml({ html }: { html: string }): ReactElement {
  const content = useMemo(() => {
    const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, 'text/html');
    return Array.from(doc.body.childNodes, (c, i) => build(c, String(i)));
  }, [html]);
  return (
    <div className="cairn-narrative" data-testid="ccda-narrative">
      {content}
    </div>
  );
}
