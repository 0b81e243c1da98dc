import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { printable } from './pdf-text';

/** What the patient-facing billing papers (receipt, statement) share: dates a person reads, and placed text. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 3, 2026" from YYYY-MM-DD (or the date part of an ISO time); anything else as given. */
export function printDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `${month} ${Number(m[3])}, ${m[1]}` : iso;
}

/**
 * "Nov 3, 2026, 14:05 UTC" from an ISO time. The time is printed in the zone the ISO string carries (UTC for
 * "Z", the offset otherwise), never converted here, so the paper says the same time the ledger recorded.
 */
export function printDateTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!m) return iso;
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? ' UTC' : ` UTC${m[3]}`;
  return `${printDate(m[1]!)}, ${m[2]}${zone}`;
}

export const GREY = rgb(0.4, 0.4, 0.4);
const BLACK = rgb(0, 0, 0);

export interface Paper {
  doc: PDFDocument;
  regular: PDFFont;
  bold: PDFFont;
  addPage: () => PDFPage;
  /** Text at `x` (or ending at `x` when right-aligned), `top` points from the top edge. */
  text: (
    page: PDFPage,
    s: string,
    x: number,
    top: number,
    o?: { size?: number; bold?: boolean; right?: boolean; color?: ReturnType<typeof rgb>; width?: number },
  ) => void;
  rule: (page: PDFPage, x1: number, x2: number, top: number, dashed?: boolean) => void;
}

/** A document of `size` pages with Helvetica, written in top-down coordinates. */
export async function paper(title: string, size: [number, number]): Promise<Paper> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(title));
  doc.setCreator('Cairn');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  return {
    doc,
    regular,
    bold,
    addPage: () => doc.addPage(size),
    text: (page, s, x, top, o = {}) => {
      const font = o.bold ? bold : regular;
      const fontSize = o.size ?? 10;
      let t = printable(s);
      if (o.width) while (t.length > 1 && font.widthOfTextAtSize(t, fontSize) > o.width) t = t.slice(0, -1);
      const w = font.widthOfTextAtSize(t, fontSize);
      page.drawText(t, { x: o.right ? x - w : x, y: size[1] - top, size: fontSize, font, color: o.color ?? BLACK });
    },
    rule: (page, x1, x2, top, dashed = false) =>
      page.drawLine({
        start: { x: x1, y: size[1] - top },
        end: { x: x2, y: size[1] - top },
        thickness: 0.6,
        color: GREY,
        ...(dashed ? { dashArray: [4, 3] } : {}),
      }),
  };
}
