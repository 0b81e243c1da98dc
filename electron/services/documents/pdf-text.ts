import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

/** The standard fonts speak WinAnsi only: keep Latin-1 letters (José, Zoë), replace the rest. */
export function printable(s: string): string {
  return s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

export interface TextPdf {
  doc: PDFDocument;
  regular: PDFFont;
  bold: PDFFont;
  /** Writes one line at the cursor (a new letter page when this one is full). */
  line: (text: string, size?: number, font?: PDFFont, x?: number) => void;
  /** Leaves `points` of blank space. */
  gap: (points: number) => void;
  save: () => Promise<Uint8Array>;
}

/** A plain text document on US-letter pages, written line by line (requisitions, reports). */
export async function textPdf(title: string): Promise<TextPdf> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(title));
  doc.setCreator('Cairn');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([612, 792]);
  let y = 742;
  return {
    doc,
    regular,
    bold,
    line: (text, size = 10, font = regular, x = 50) => {
      if (y < 60) {
        page = doc.addPage([612, 792]);
        y = 742;
      }
      page.drawText(printable(text), { x, y, size, font, color: rgb(0, 0, 0), maxWidth: 562 - x });
      y -= size + 6;
    },
    gap: (points) => {
      y -= points;
    },
    save: () => doc.save(),
  };
}
