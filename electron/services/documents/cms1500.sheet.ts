import { rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { printable } from './pdf-text';

/**
 * Drawing on a form page in "top" coordinates (points from the top edge, as forms are measured), so the
 * CMS-1500 layout reads top to bottom. Each box draws its label first and then its contents, so a reader
 * of the page's text (and the tests) finds a box's values right after its label.
 */

export const PAGE_HEIGHT = 792;
/** The form's own ink: a dark red like the printed form, so the filled-in values (black) stand out. */
const FORM = rgb(0.7, 0.12, 0.14);
const SHADE = rgb(0.99, 0.92, 0.92);
const INK = rgb(0, 0, 0);
export const LABEL_SIZE = 5.5;
export const VALUE_SIZE = 9;

export interface Box {
  x: number;
  top: number;
  w: number;
  h: number;
}

export class Sheet {
  constructor(
    readonly page: PDFPage,
    private readonly label: PDFFont,
    private readonly value: PDFFont,
  ) {}

  /** A ruled box with its label (lines split at \n) in its top-left corner. */
  box(label: string, x: number, top: number, w: number, h: number, shaded = false): Box {
    this.page.drawRectangle({ x, y: PAGE_HEIGHT - top - h, width: w, height: h, borderColor: FORM, borderWidth: 0.5, ...(shaded ? { color: SHADE } : {}) });
    label.split('\n').forEach((l, i) => this.caption({ x, top, w, h }, l, 2, 6 + i * 6));
    return { x, top, w, h };
  }

  /** A light band (the shaded upper half of a service line). */
  shade(x: number, top: number, w: number, h: number): void {
    this.page.drawRectangle({ x, y: PAGE_HEIGHT - top - h, width: w, height: h, color: SHADE });
  }

  /** Small form text (a sub-label, a checkbox's name) at (dx, dy) inside `b`. */
  caption(b: Box, text: string, dx: number, dy: number, size = LABEL_SIZE): void {
    this.draw(text, b.x + dx, b.top + dy, size, this.label, FORM, b.w - dx - 1);
  }

  /** A filled-in value at (dx, dy) inside `b` (dy to the baseline), cut to fit the box. */
  put(b: Box, text: string, dx = 4, dy = b.h - 4, size = VALUE_SIZE): void {
    if (text) this.draw(text, b.x + dx, b.top + dy, size, this.value, INK, b.w - dx - 1);
  }

  /** A value right-aligned to `right` (from the box's left edge): dollars against the cents divider. */
  putRight(b: Box, text: string, right: number, dy = b.h - 4, size = VALUE_SIZE): void {
    const width = this.value.widthOfTextAtSize(printable(text), size);
    this.put(b, text, right - width, dy, size);
  }

  /**
   * Checkboxes in a row from `dx`: each option's name then its square, `gap` points to the next, with an X
   * (drawn right after the name) in the chosen one.
   */
  checks(b: Box, names: readonly string[], chosen: string | null, dx: number, gap = 8, dy = b.h - 5): void {
    let x = b.x + dx;
    for (const name of names) {
      this.caption(b, name, x - b.x, dy);
      x += this.label.widthOfTextAtSize(name, LABEL_SIZE) + 1.5;
      this.page.drawRectangle({ x, y: PAGE_HEIGHT - b.top - dy - 1.5, width: 6.5, height: 6.5, borderColor: FORM, borderWidth: 0.5 });
      if (name === chosen) this.draw('X', x + 0.8, b.top + dy, 7.5, this.value, INK, 10);
      x += 6.5 + gap;
    }
  }

  /** A vertical rule inside a box (the dollars | cents divider, the 24 column edges). */
  rule(x: number, top: number, h: number): void {
    this.page.drawLine({ start: { x, y: PAGE_HEIGHT - top }, end: { x, y: PAGE_HEIGHT - top - h }, thickness: 0.5, color: FORM });
  }

  /** Text anywhere on the page (title, carrier block). */
  text(text: string, x: number, top: number, size: number, font: 'label' | 'value', width = 560): void {
    this.draw(text, x, top, size, font === 'label' ? this.label : this.value, font === 'label' ? FORM : INK, width);
  }

  private draw(text: string, x: number, top: number, size: number, font: PDFFont, color: ReturnType<typeof rgb>, width: number): void {
    let t = printable(text);
    // Important: a form box has a fixed size; cut the value rather than let it run into the next box.
    while (t.length > 0 && font.widthOfTextAtSize(t, size) > width) t = t.slice(0, -1);
    if (t) this.page.drawText(t, { x, y: PAGE_HEIGHT - top, size, font, color });
  }
}

/** Whole dollars and cents as the form's money boxes take them: no $, no commas ("1234", "56"). */
export function dollarsAndCents(cents: number): [string, string] {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return [`${sign}${Math.floor(abs / 100)}`, String(abs % 100).padStart(2, '0')];
}
